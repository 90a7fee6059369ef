"""Lead choices: statuses and sources, with their translated labels."""

from __future__ import annotations

from collections.abc import Mapping

from babel.support import LazyProxy

from sampark.platform.i18n import lazy_gettext
from sampark.tenants.contacts.fields import SOURCES as CONTACT_SOURCES

STATUSES: Mapping[str, LazyProxy] = {
    "new": lazy_gettext("New"),
    "contacted": lazy_gettext("Contacted"),
    "qualified": lazy_gettext("Qualified"),
    "unqualified": lazy_gettext("Unqualified"),
    "converted": lazy_gettext("Converted"),
}
# Statuses a person may pick; "converted" is set only by the conversion.
OPEN_STATUSES = ("new", "contacted", "qualified", "unqualified")
# Where leads come from: the capture channels first, then every contact source.
SOURCES: Mapping[str, LazyProxy] = {
    "form": lazy_gettext("Web form"),
    "manual": lazy_gettext("Entered by hand"),
    **CONTACT_SOURCES,
}


def status_label(status: str) -> str:
    return str(STATUSES.get(status, status))


def source_label(source: str) -> str:
    return str(SOURCES.get(source, source))


def contact_source(source: str) -> str:
    """The contact source a converted lead's contact gets (contacts have no "form" or "manual")."""
    if source in CONTACT_SOURCES:
        return source
    return "website" if source == "form" else ""
