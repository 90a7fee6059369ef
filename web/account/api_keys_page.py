"""``/account/api-keys``: issue personal API keys for one workspace, with a chosen part of one's permissions."""

from __future__ import annotations

from typing import Any

from babel.support import LazyProxy
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.identity import apikeys
from sampark.platform.identity.login_audit import record_auth_event
from sampark.platform.identity.two_factor import tenant_requires_2fa
from sampark.platform.identity.users import MembershipRecord, memberships_for
from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.tenants.access.catalog import ACTIONS, OBJECTS, Permissions
from sampark.tenants.access.policy import load_principal
from sampark.web.account.signin import client_of, session_has_mfa, session_sso_tenant, touch_session
from sampark.web.deps import require_user
from sampark.web.rendering import flash, render
from sampark.web.sessions import SessionUser

OBJECT_LABELS: dict[str, LazyProxy] = {
    "contacts": lazy_gettext("Contacts"),
    "companies": lazy_gettext("Companies"),
    "leads": lazy_gettext("Leads"),
    "deals": lazy_gettext("Deals"),
    "activities": lazy_gettext("Activities"),
    "tasks": lazy_gettext("Tasks"),
    "files": lazy_gettext("Files"),
    "campaigns": lazy_gettext("Campaigns"),
    "reports": lazy_gettext("Reports"),
    "users": lazy_gettext("Users"),
    "roles": lazy_gettext("Roles"),
    "teams": lazy_gettext("Teams"),
    "audit": lazy_gettext("Audit log"),
    "settings": lazy_gettext("Settings"),
    "consent": lazy_gettext("Consent"),
}
ACTION_LABELS: dict[str, LazyProxy] = {
    "view": lazy_gettext("View"),
    "create": lazy_gettext("Create"),
    "edit": lazy_gettext("Edit"),
    "delete": lazy_gettext("Delete"),
    "import": lazy_gettext("Import"),
    "export": lazy_gettext("Export"),
}


async def role_permissions(user_id: int, slug: str) -> Permissions:
    """The user's role permissions in ``slug`` (nothing when they are not an active member)."""
    try:
        async with tenant_context(slug=slug, member_user_id=user_id) as tenant:
            return (await load_principal(user_id, tenant.member_role or "")).permissions
    except TenantNotFound:
        return {}


def permission_rows(allowed: Permissions, chosen: set[str]) -> list[dict[str, Any]]:
    """The checkboxes to show: one row per object the role reaches, one box per action it may take."""
    rows = []
    for obj in OBJECTS:
        actions = [
            {
                "value": f"{obj}:{action}",
                "label": str(ACTION_LABELS[action]),
                "checked": f"{obj}:{action}" in chosen,
            }
            for action in ACTIONS
            if allowed.get(obj, {}).get(action, "none") != "none"
        ]
        if actions:
            rows.append({"object": obj, "label": str(OBJECT_LABELS.get(obj, obj)), "actions": actions})
    return rows


def _chosen(memberships: list[MembershipRecord], slug: str | None) -> MembershipRecord | None:
    for membership in memberships:
        if membership.slug == slug:
            return membership
    return memberships[0] if memberships else None


class AccountApiKeysController(Controller):
    path = "/account/api-keys"
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        user: SessionUser,
        slug: str | None,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        touch_session(request)
        memberships = await memberships_for(user.id)
        chosen = _chosen(memberships, slug)
        allowed = await role_permissions(user.id, chosen.slug) if chosen else {}
        form = form or {}
        context = {
            "memberships": memberships,
            "chosen": chosen,
            "rows": permission_rows(allowed, set(form.get("scopes", []))),
            "keys": await apikeys.list_keys(user.id),
            "form": form,
            "errors": errors or {},
            "object_labels": {key: str(value) for key, value in OBJECT_LABELS.items()},
            "action_labels": {key: str(value) for key, value in ACTION_LABELS.items()},
        }
        return render(request, "account/api_keys.html", context, status_code=status_code)

    @get("/")
    async def index(
        self, request: Request[Any, Any, Any], tenant: FromQuery[str | None] = None
    ) -> Response[str]:
        return await self._page(request, require_user(request), tenant)

    @post("/")
    async def create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        user = require_user(request)
        data = await request.form()
        slug = str(data.get("tenant", ""))
        name = str(data.get("name", ""))
        pairs = [str(value) for value in data.getall("scopes", [])]
        form = {"name": name, "scopes": pairs}
        membership = next((m for m in await memberships_for(user.id) if m.slug == slug), None)
        if membership is None:
            return await self._page(
                request,
                user,
                None,
                form=form,
                errors={"tenant": _("Choose one of your workspaces.")},
                status_code=400,
            )
        sso_tenant = session_sso_tenant(request)
        if sso_tenant is not None and sso_tenant != membership.tenant_id:
            # A session from one workspace's SSO speaks for that workspace only (docs/authentication.md).
            errors = {
                "tenant": _(
                    "You signed in through another workspace's single sign-on. Sign in again to open this one."
                )
            }
            return await self._page(request, user, slug, form=form, errors=errors, status_code=400)
        if not session_has_mfa(request) and sso_tenant is None and await tenant_requires_2fa(slug):
            errors = {"tenant": _("This workspace requires two-factor authentication. Turn it on first.")}
            return await self._page(request, user, slug, form=form, errors=errors, status_code=400)
        try:
            record, key = await apikeys.create_key(
                user.id,
                membership.tenant_id,
                name,
                apikeys.requested_scopes(pairs),
                await role_permissions(user.id, slug),
            )
        except apikeys.ApiKeyError as rejected:
            return await self._page(request, user, slug, form=form, errors=rejected.errors, status_code=400)
        await record_auth_event(
            "api_key_created", user_id=user.id, tenant_id=membership.tenant_id, client=client_of(request)
        )
        base_url = str(request.base_url).rstrip("/")
        return render(
            request,
            "account/api_key_created.html",
            {
                "record": record,
                "key": key,
                "example_url": f"{base_url}/t/{record.tenant_slug}/api/v1/contacts/",
            },
            headers={"Cache-Control": "no-store"},
        )

    @post("/{key_id:int}/revoke")
    async def revoke(self, request: Request[Any, Any, Any], key_id: FromPath[int]) -> Response[Any]:
        user = require_user(request)
        record = await apikeys.revoke_key(user.id, key_id)
        if record is None:
            flash(request, _("That key was already revoked."), "info")
        else:
            await record_auth_event(
                "api_key_revoked", user_id=user.id, tenant_id=record.tenant_id, client=client_of(request)
            )
            flash(
                request, _("The key %(name)s was revoked. It no longer works.", name=record.name), "success"
            )
        return Redirect(path="/account/api-keys", status_code=303)
