"""``/t/<slug>/admin/service-accounts``: a tenant admin manages service accounts and issues their API keys.

A key is shown once (``Cache-Control: no-store``); its scopes are chosen among what the account's role grants.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.identity import apikeys, service_accounts
from sampark.platform.identity.login_audit import record_auth_event
from sampark.tenants.access.policy import current_principal, load_service_principal, require
from sampark.tenants.access.roles import list_roles
from sampark.tenants.audit.services import record_change
from sampark.web.account.api_keys_page import ACTION_LABELS, OBJECT_LABELS, permission_rows
from sampark.web.account.signin import client_of
from sampark.web.deps import CurrentTenant, require_user
from sampark.web.rendering import flash, render

AUDIT_TYPE = "service_account"


def _labels() -> dict[str, Any]:
    return {
        "object_labels": {key: str(value) for key, value in OBJECT_LABELS.items()},
        "action_labels": {key: str(value) for key, value in ACTION_LABELS.items()},
    }


async def _account(tenant_id: int, account_id: int) -> service_accounts.ServiceAccountRecord:
    account = await service_accounts.get_account(tenant_id, account_id)
    if account is None:
        raise NotFoundException()
    return account


async def _audit(
    request: Request[Any, Any, Any], tenant: Any, action: str, account_id: int, **after: Any
) -> None:
    user = require_user(request)
    await record_change(action, AUDIT_TYPE, account_id, actor_user_id=user.id, after=after)
    await record_auth_event(
        "service_account_changed", user_id=user.id, tenant_id=tenant.id, client=client_of(request)
    )


class ServiceAccountsController(Controller):
    path = "/admin/service-accounts"
    include_in_schema = False

    async def _list(
        self,
        request: Request[Any, Any, Any],
        tenant: Any,
        *,
        form: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        context = {
            "principal": current_principal(),
            "accounts": await service_accounts.list_accounts(tenant.id),
            "roles": [(role.key, role.name) for role in await list_roles()],
            "form": form or {"role": "read-only"},
            "errors": errors or {},
        }
        return render(request, "account/service_accounts.html", context, status_code=status_code)

    async def _detail(
        self,
        request: Request[Any, Any, Any],
        tenant: Any,
        account_id: int,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        account = await _account(tenant.id, account_id)
        allowed = (await load_service_principal(account.id, account.role)).permissions
        form = form or {}
        context = {
            "principal": current_principal(),
            "account": account,
            "keys": await service_accounts.list_keys(tenant.id, account.id),
            "rows": permission_rows(allowed, set(form.get("scopes", []))),
            "form": form,
            "errors": errors or {},
            **_labels(),
        }
        return render(request, "account/service_account.html", context, status_code=status_code)

    @get("/")
    async def index(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        require("settings", "edit", record=False)
        return await self._list(request, tenant)

    @post("/")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        require("settings", "edit", record=False)
        data = await request.form()
        form = {"name": str(data.get("name", "")), "role": str(data.get("role", ""))}
        try:
            account = await service_accounts.create_account(
                tenant.id,
                form["name"],
                form["role"],
                role_keys=[role.key for role in await list_roles()],
                created_by=require_user(request).id,
            )
        except service_accounts.ServiceAccountError as rejected:
            return await self._list(request, tenant, form=form, errors=rejected.errors, status_code=400)
        await _audit(request, tenant, "create", account.id, name=account.name, role=account.role)
        flash(
            request,
            _("Service account %(name)s created. Issue it a key below.", name=account.name),
            "success",
        )
        return Redirect(path=f"/t/{tenant.slug}/admin/service-accounts/{account.id}", status_code=303)

    @get("/{account_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, account_id: FromPath[int]
    ) -> Response[str]:
        require("settings", "edit", record=False)
        return await self._detail(request, tenant, account_id)

    @post("/{account_id:int}/keys")
    async def issue(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, account_id: FromPath[int]
    ) -> Response[Any]:
        require("settings", "edit", record=False)
        account = await _account(tenant.id, account_id)
        data = await request.form()
        pairs = [str(value) for value in data.getall("scopes", [])]
        form = {"name": str(data.get("name", "")), "scopes": pairs}
        allowed = (await load_service_principal(account.id, account.role)).permissions
        try:
            record, key = await service_accounts.issue_key(
                tenant.id, account.id, form["name"], apikeys.requested_scopes(pairs), allowed
            )
        except apikeys.ApiKeyError as rejected:
            return await self._detail(
                request, tenant, account_id, form=form, errors=rejected.errors, status_code=400
            )
        await _audit(request, tenant, "create", account.id, api_key=record.id, api_key_name=record.name)
        base_url = str(request.base_url).rstrip("/")
        return render(
            request,
            "account/service_key_created.html",
            {
                "account": account,
                "record": record,
                "key": key,
                "example_url": f"{base_url}/t/{tenant.slug}/api/v1/contacts/",
                **_labels(),
            },
            headers={"Cache-Control": "no-store"},
        )

    @post("/{account_id:int}/keys/{key_id:int}/revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        account_id: FromPath[int],
        key_id: FromPath[int],
    ) -> Response[Any]:
        require("settings", "edit", record=False)
        account = await _account(tenant.id, account_id)
        record = await service_accounts.revoke_key(tenant.id, account.id, key_id)
        if record is None:
            flash(request, _("That key was already revoked."), "info")
        else:
            await _audit(request, tenant, "delete", account.id, api_key=record.id, api_key_name=record.name)
            flash(
                request, _("The key %(name)s was revoked. It no longer works.", name=record.name), "success"
            )
        return Redirect(path=f"/t/{tenant.slug}/admin/service-accounts/{account.id}", status_code=303)

    @post("/{account_id:int}/disable")
    async def disable(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, account_id: FromPath[int]
    ) -> Response[Any]:
        require("settings", "edit", record=False)
        account = await service_accounts.disable_account(tenant.id, account_id)
        if account is None:
            raise NotFoundException()
        await _audit(request, tenant, "delete", account.id, name=account.name)
        flash(
            request,
            _("Service account %(name)s disabled; its keys no longer work.", name=account.name),
            "success",
        )
        return Redirect(path=f"/t/{tenant.slug}/admin/service-accounts", status_code=303)
