"""Labels the file templates show: sizes, access levels, access-log actions (all translated)."""

from __future__ import annotations

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.formatting import format_number


def file_size(size: int) -> str:
    """``512 bytes``, ``12.5 KB``, ``3.2 MB`` in the reader's number format."""
    if size < 1024:
        return _("%(size)s bytes", size=format_number(size))
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_number(round(size / 1024, 1), decimals=1))
    return _("%(size)s MB", size=format_number(round(size / (1024 * 1024), 1), decimals=1))


def access_labels() -> dict[str, str]:
    return {
        "everyone": _("Everyone who can see the record"),
        "team": _("The owner's teams"),
        "owner": _("Only the owner (and admins)"),
        "role": _("Members with a role"),
    }


def access_label(level: str, role_name: str = "") -> str:
    if level == "role" and role_name:
        return _("Members with the role %(role)s", role=role_name)
    return access_labels().get(level, level)


def action_label(action: str) -> str:
    return {
        "upload": _("Uploaded"),
        "new_version": _("Uploaded a new version"),
        "open": _("Opened"),
        "download": _("Downloaded"),
        "access": _("Changed who may see it"),
        "delete": _("Deleted"),
    }.get(action, action)


HELPERS = {"file_size": file_size, "access_label": access_label, "action_label": action_label}
