"""What pipeline services return and raise."""

from __future__ import annotations

from dataclasses import dataclass

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.records.errors import FieldErrors, RecordNotFound

KINDS = ("open", "won", "lost")
# The seeded English names, translated on pages while a tenant keeps them unchanged (the names are data:
# once renamed, a stage shows exactly what the admin typed).
_SEEDED = {
    "Sales": lazy_gettext("Sales"),
    "Qualification": lazy_gettext("Qualification"),
    "Needs analysis": lazy_gettext("Needs analysis"),
    "Proposal": lazy_gettext("Proposal"),
    "Negotiation": lazy_gettext("Negotiation"),
    "Won": lazy_gettext("Won"),
    "Lost": lazy_gettext("Lost"),
}


def display_name(name: str) -> str:
    """A pipeline or stage name as shown: the seeded defaults in the reader's language."""
    seeded = _SEEDED.get(name)
    return str(seeded) if seeded is not None else name


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

    @property
    def label(self) -> str:
        return display_name(self.name)


@dataclass(frozen=True)
class PipelineView:
    id: int
    name: str
    position: int
    is_default: bool
    version: int
    stages: tuple[StageView, ...]

    @property
    def label(self) -> str:
        return display_name(self.name)

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
