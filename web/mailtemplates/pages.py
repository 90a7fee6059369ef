"""``/t/<slug>/admin/mail-templates``: which mails a tenant overrides per locale; edit, preview and reset one.

Needs the ``settings`` permission; the rules (placeholder check, versions, audit) are in
``sampark.tenants.mailtemplates.services``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import locale_choices, use_locale
from sampark.platform.mail.custom import MAIL_KINDS
from sampark.platform.mail.templates import RenderedMail
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.mailtemplates import services as templates
from sampark.tenants.mailtemplates.services import MailTemplateError
from sampark.tenants.records.errors import VersionConflict
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def _version(form: Any) -> int:
    text = str(form.get("version") or "")
    return int(text) if text.isdigit() else -1


class MailTemplatePagesController(Controller):
    path = "/admin/mail-templates"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("settings", "view", record=False)
        custom = {(item.kind, item.locale) for item in await templates.list_overrides()}
        return render(
            request,
            "mailtemplates/index.html",
            {
                "principal": current_principal(),
                "kinds": list(MAIL_KINDS.values()),
                "locales": locale_choices(),
                "custom": custom,
            },
        )

    async def _page(
        self,
        request: Request[Any, Any, Any],
        kind: str,
        locale: str,
        *,
        subject: str | None = None,
        body: str | None = None,
        errors: dict[str, str] | None = None,
        preview: RenderedMail | None = None,
        status: int = 200,
    ) -> Response[str]:
        current = await templates.get_override(kind, locale)
        mail = MAIL_KINDS[kind]
        with use_locale(locale):  # the starting text is the built-in mail in the template's own language
            default_subject, default_body = mail.default_subject(), mail.default_body()
        if preview is None and not errors:
            with use_locale(locale):
                preview = templates.preview_template(
                    kind, locale, current.subject if current else default_subject,
                    current.body if current else default_body,
                )  # fmt: skip
        context = {
            "principal": current_principal(),
            "mail": mail,
            "locale": locale,
            "locale_name": dict(locale_choices()).get(locale, locale),
            "current": current,
            "subject": subject if subject is not None else (current.subject if current else default_subject),
            "body": body if body is not None else (current.body if current else default_body),
            "errors": errors or {},
            "preview": preview,
            "version": current.version if current else 0,
        }
        return render(request, "mailtemplates/edit.html", context, status_code=status)

    @get("/{kind:str}/{locale:str}")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        kind: FromPath[str],
        locale: FromPath[str],
    ) -> Response[str]:
        require("settings", "view", record=False)
        templates.mail_kind(kind, locale)
        return await self._page(request, kind, locale)

    @post("/{kind:str}/{locale:str}")
    async def save(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        kind: FromPath[str],
        locale: FromPath[str],
    ) -> Response[Any]:
        """``_action=preview`` renders the submitted text with sample data; ``save`` stores it."""
        form = await request.form()
        subject, body = str(form.get("subject") or ""), str(form.get("body") or "")
        templates.mail_kind(kind, locale)
        try:
            if form.get("_action") == "preview":
                with use_locale(locale):
                    shown = templates.preview_template(kind, locale, subject, body)
                return await self._page(request, kind, locale, subject=subject, body=body, preview=shown)
            await templates.save_template(kind, locale, subject, body, expected_version=_version(form))
        except MailTemplateError as problem:
            return await self._page(
                request, kind, locale, subject=subject, body=body, errors=problem.errors, status=400
            )
        except VersionConflict:
            message = _("Someone else changed this template meanwhile. Nothing was saved; try again.")
            return await self._page(
                request, kind, locale, subject=subject, body=body, errors={"template": message}, status=409
            )
        flash(request, _("The template was saved. This mail now uses it."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/mail-templates/{kind}/{locale}", status_code=303)

    @post("/{kind:str}/{locale:str}/reset")
    async def reset(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        kind: FromPath[str],
        locale: FromPath[str],
    ) -> Response[Any]:
        form = await request.form()
        try:
            await templates.reset_template(kind, locale, expected_version=_version(form))
        except VersionConflict:
            message = _("Someone else changed this template meanwhile. Nothing was saved; try again.")
            return await self._page(request, kind, locale, errors={"template": message}, status=409)
        flash(request, _("The built-in mail is sent again."), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/mail-templates/{kind}/{locale}", status_code=303)
