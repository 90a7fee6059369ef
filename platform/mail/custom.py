"""Tenant-written mails: the documented placeholders of each mail, checking a template, and rendering it.

A tenant admin may replace the subject and plain-text body of a mail Sampark sends in the tenant's name, per
locale. Templates are Jinja2 source rendered by a ``SandboxedEnvironment`` with ``StrictUndefined``, and a
template is accepted only when every expression in it is a documented placeholder (``{{ task.title }}``),
optionally through a few harmless filters, or a plain ``{% if %}`` on one: no item access, no calls, no other
attributes, no loops, includes or assignments. The check runs at save time and again before each send, so a
template that stopped being valid is skipped (the built-in mail goes out) instead of failing the send.

The HTML part is the rendered text escaped as a whole (autoescape for every byte the admin or the data wrote),
split into paragraphs: tenant templates are plain text by design.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from babel.support import LazyProxy
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.mail.templates import RenderedMail

log = structlog.get_logger(__name__)

MAX_SUBJECT = 200
MAX_BODY = 10_000
# Filters a template may use on a placeholder; all are pure string functions.
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default"})
# Statement and expression shapes a template may contain (beyond placeholders and allowed filters).
_PLAIN_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.Not, nodes.And, nodes.Or, nodes.Const,
    nodes.Keyword,
)  # fmt: skip

Placeholders = Mapping[str, Mapping[str, LazyProxy | str]]


@dataclass(frozen=True)
class MailKind:
    """One mail a tenant may override: its placeholders (``{object: {field: description}}``) and texts."""

    key: str
    title: LazyProxy | str
    placeholders: Placeholders
    default_subject: Callable[[], str]
    default_body: Callable[[], str]
    sample: Callable[[], dict[str, dict[str, str]]]

    def names(self) -> list[str]:
        """Every placeholder as written in a template (``task.title``), in documentation order."""
        return [f"{obj}.{attr}" for obj, attrs in self.placeholders.items() for attr in attrs]


@dataclass(frozen=True)
class CustomTemplate:
    """A stored override: what a sender needs from it."""

    subject: str
    body: str


TemplateLookup = Callable[[str, str], Awaitable[CustomTemplate | None]]
"""``lookup(kind, locale)``: the tenant's override for that mail and locale, or None."""


def _reminder_subject() -> str:
    return _("Reminder: %(title)s", title="{{ task.title }}")


def _reminder_body() -> str:
    return "\n".join(
        (
            _("Hello %(name)s,", name="{{ recipient.name }}"),
            "",
            _(
                "This is your reminder for the task “%(title)s” in %(tenant)s.",
                title="{{ task.title }}",
                tenant="{{ tenant.name }}",
            ),
            "",
            _("Due:") + " {{ task.due }}",
            _("Priority:") + " {{ task.priority }}",
            "{% if task.description %}",
            "",
            "{{ task.description }}",
            "{% endif %}",
            "",
            _("Open the task:"),
            "{{ task.url }}",
        )
    )


def _reminder_sample() -> dict[str, dict[str, str]]:
    return {
        "recipient": {"name": "Asha Rao"},
        "task": {
            "title": _("Call back about the renewal"),
            "description": _("Ask whether the new price works for them."),
            "due": _("tomorrow at 10:00"),
            "priority": _("High"),
            "url": "https://sampark.example/t/acme/tasks/1",
        },
        "tenant": {"name": "Acme"},
    }


def _invitation_subject() -> str:
    return _("You are invited to join %(tenant)s on Sampark", tenant="{{ tenant.name }}")


def _invitation_body() -> str:
    return "\n".join(
        (
            _("Hello,"),
            "",
            _(
                "%(inviter)s invited you to join %(tenant)s on Sampark.",
                inviter="{{ inviter.name }}",
                tenant="{{ tenant.name }}",
            ),
            "",
            _("Open this link to accept the invitation:"),
            "{{ invitation.url }}",
            "",
            _("The link works once and expires on %(date)s.", date="{{ invitation.expires }}"),
            _("If you did not expect this invitation, you can ignore this message."),
        )
    )


def _invitation_sample() -> dict[str, dict[str, str]]:
    return {
        "inviter": {"name": "Asha Rao"},
        "tenant": {"name": "Acme"},
        "invitation": {"url": "https://sampark.example/invitations/accept/sample", "expires": "2026-12-01"},
    }


MAIL_KINDS: dict[str, MailKind] = {
    "task_reminder": MailKind(
        "task_reminder",
        lazy_gettext("Task reminder"),
        {
            "recipient": {"name": lazy_gettext("the name of the person reminded")},
            "task": {
                "title": lazy_gettext("the task's title"),
                "description": lazy_gettext("the task's description (may be empty)"),
                "due": lazy_gettext("when it is due, in the recipient's language and time zone"),
                "priority": lazy_gettext("its priority, translated"),
                "url": lazy_gettext("the link to the task"),
            },
            "tenant": {"name": lazy_gettext("your organisation's name in Sampark")},
        },
        _reminder_subject,
        _reminder_body,
        _reminder_sample,
    ),
    "invitation": MailKind(
        "invitation",
        lazy_gettext("Invitation to join"),
        {
            "inviter": {"name": lazy_gettext("the name of the person who invited")},
            "tenant": {"name": lazy_gettext("your organisation's name in Sampark")},
            "invitation": {
                "url": lazy_gettext("the link that accepts the invitation"),
                "expires": lazy_gettext("when the link expires"),
            },
        },
        _invitation_subject,
        _invitation_body,
        _invitation_sample,
    ),
}


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, trim_blocks=True
    )


_ENV = _environment()


class _Checker:
    """Walks a parsed template and collects the first problem of each kind, in the reader's language."""

    def __init__(self, kind: MailKind) -> None:
        self.kind = kind
        self.problems: list[str] = []

    def fail(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def unknown(self, written: str) -> None:
        self.fail(
            _(
                "Unknown placeholder %(name)s. Use one of: %(names)s.",
                name="{{ " + written + " }}",
                names=", ".join(self.kind.names()),
            )
        )

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Getattr):
            target = node.node
            if (
                isinstance(target, nodes.Name)
                and target.name in self.kind.placeholders
                and node.attr in self.kind.placeholders[target.name]
            ):
                return
            self.unknown(_written(node))
            return
        if isinstance(node, nodes.Name):
            self.unknown(node.name)
            return
        if isinstance(node, nodes.Filter):
            if node.name not in FILTERS:
                self.fail(
                    _(
                        "The filter %(name)s is not available. Use one of: %(names)s.",
                        name=node.name,
                        names=", ".join(sorted(FILTERS)),
                    )
                )
                return
        elif not isinstance(node, _PLAIN_NODES):
            self.fail(
                _(
                    "Only placeholders like %(example)s and simple if blocks are allowed.",
                    example="{{ tenant.name }}",
                )
            )
            return
        for child in node.iter_child_nodes():
            self.visit(child)


def _written(node: nodes.Node) -> str:
    """How an attribute chain was written (``task.__class__``), for the error message."""
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Name):
        return node.name
    return "…"


def check_source(kind: MailKind, source: str) -> list[str]:
    """Problems that keep ``source`` from being used as a template of ``kind`` (empty: it is fine)."""
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as problem:
        return [
            _(
                "Line %(line)d cannot be read. Write placeholders as %(example)s and close every if block.",
                line=problem.lineno or 1,
                example="{{ tenant.name }}",
            )
        ]
    checker = _Checker(kind)
    checker.visit(tree)
    return checker.problems


def check_template(kind: MailKind, subject: str, body: str) -> dict[str, str]:
    """Field errors for a subject and body (keys ``subject``, ``body``)."""
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = _("Use at most %(count)d characters.", count=MAX_SUBJECT)
    elif problems := check_source(kind, subject):
        errors["subject"] = " ".join(problems)
    if not body.strip():
        errors["body"] = _("Enter the text of the mail.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("Use at most %(count)d characters.", count=MAX_BODY)
    elif problems := check_source(kind, body):
        errors["body"] = " ".join(problems)
    return errors


def html_part(text: str, lang: str = "") -> Markup:
    """The HTML alternative of a plain-text mail: all of it escaped, blank lines making paragraphs."""
    paragraphs = [part for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    body = Markup("").join(
        Markup("<p>{}</p>\n").format(Markup("<br>\n").join(escape(line) for line in part.strip().split("\n")))
        for part in paragraphs
    )
    page = (
        '<!doctype html>\n<html lang="{}">\n<head><meta charset="utf-8"></head>\n<body>\n{}</body>\n</html>\n'
    )
    return Markup(page).format(lang, body)  # noqa: S704  (a constant; format() escapes what goes in)


def render_template(
    kind: MailKind, template: CustomTemplate, context: Mapping[str, Mapping[str, Any]], *, lang: str = ""
) -> RenderedMail:
    """Render a checked template with ``context`` (``{object: {field: value}}``; values shown as text).

    Raises:
        TemplateError: the template is not (or no longer) acceptable for ``kind``.
    """
    if check_template(kind, template.subject, template.body):
        raise TemplateError(f"tenant template for {kind.key} no longer passes the check")
    values = {obj: {attr: "" if value is None else str(value) for attr, value in attrs.items()}
              for obj, attrs in context.items()}  # fmt: skip
    subject = " ".join(_ENV.from_string(template.subject).render(values).split())[:MAX_SUBJECT]
    text = _ENV.from_string(template.body).render(values).strip() + "\n"
    return RenderedMail(subject=subject, text=text, html=str(html_part(text, lang)))


def preview(kind: MailKind, subject: str, body: str) -> RenderedMail:
    """``subject`` and ``body`` rendered with the mail's sample data (checked first; raises TemplateError)."""
    return render_template(kind, CustomTemplate(subject, body), kind.sample())


def render_override(
    kind: str, template: CustomTemplate | None, context: Mapping[str, Mapping[str, Any]], *, lang: str
) -> RenderedMail | None:
    """A sender's use of a tenant template: the rendered mail, or None to send the built-in one (no override,
    or one that no longer renders; that is logged, never a failed send)."""
    if template is None:
        return None
    try:
        return render_template(MAIL_KINDS[kind], template, context, lang=lang)
    except (TemplateError, KeyError):
        log.warning("mail.custom_template_skipped", kind=kind, lang=lang)
        return None
