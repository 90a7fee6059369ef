"""What pipeline services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.i18n.tenant_text import Translations, localized
from sampark.tenants.records.errors import FieldErrors, RecordNotFound

KINDS = ("open", "won", "lost")
# The seeded English names, marked for the catalogs: their translations are seeded into ``names``
# (``seed.py``); after that the names are data, shown by the tenant-text rule.
SEEDED_NAMES = (
    lazy_gettext("Sales"),
    lazy_gettext("Qualification"),
    lazy_gettext("Needs analysis"),
    lazy_gettext("Proposal"),
    lazy_gettext("Negotiation"),
    lazy_gettext("Won"),
    lazy_gettext("Lost"),
)


def display_name(name: str, names: Mapping[str, str] | None = None) -> str:
    """A pipeline or stage name as shown: the reader's locale, the tenant's language, else the base name."""
    return localized(name, names)


def kind_label(kind: str) -> str:
    return {"open": _("Open"), "won": _("Won"), "lost": _("Lost")}.get(kind, kind)


@dataclass(frozen=True)
class StageView:
    id: int
    pipeline_id: int
    name: str
    position: int
    probability: int
    kind: str
    # {locale: name} translations; ``label`` picks the reader's.
    names: Translations = field(default_factory=dict)

    @property
    def label(self) -> str:
        return display_name(self.name, self.names)


@dataclass(frozen=True)
class PipelineView:
    id: int
    name: str
    position: int
    is_default: bool
    version: int
    stages: tuple[StageView, ...]
    names: Translations = field(default_factory=dict)

    @property
    def label(self) -> str:
        return display_name(self.name, self.names)

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def stage(self, stage_id: int | None) -> StageView | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def first_of(self, kind: str) -> StageView | None:
        return next((stage for stage in self.stages if stage.kind == kind), None)


class PipelineNotFound(RecordNotFound):
    """No such pipeline or stage in this tenant."""


class PipelineError(FieldErrors):
    """Invalid pipeline or stage input; ``errors`` maps field names to messages."""


class StageInUse(Exception):
    """The stage still holds deals: move them to another stage first (``count`` of them)."""

    def __init__(self, stage: StageView, count: int) -> None:
        super().__init__(f"stage {stage.id} holds {count} deal(s)")
        self.stage, self.count = stage, count
