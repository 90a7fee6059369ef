"""Mail templates: a small Jinja environment of the platform's own (the platform cannot import web/).

Each mail is ``<name>.txt`` (plain text, not escaped) and ``<name>.html`` (autoescaped), translated through
the same gettext catalogs as everything else, in the locale active when they are rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape

from sampark.platform.i18n import current_locale, translations_for

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


def _gettext(message: str) -> str:
    return translations_for(current_locale()).gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translations_for(current_locale()).ngettext(singular, plural, count)


@lru_cache(maxsize=1)
def mail_environment() -> Environment:
    """Autoescape for ``.html`` only; undefined names fail loudly instead of sending a half-empty mail."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_mail(name: str, subject: str, context: Mapping[str, Any]) -> RenderedMail:
    """Render ``<name>.txt`` and, when it exists, ``<name>.html`` with ``context``."""
    env = mail_environment()
    text = env.get_template(f"{name}.txt").render(context)
    try:
        html: str | None = env.get_template(f"{name}.html").render(context)
    except TemplateNotFound:
        html = None
    return RenderedMail(subject=subject, text=text, html=html)
