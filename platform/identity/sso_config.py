"""A tenant's single sign-on settings: its OIDC provider, the client credentials, and the sign-in rules.

The client secret is sealed (``sealing.py``, bound to the tenant id) and never read back for display: the
admin page can only replace it. ``tenants.sso_only`` sits on the tenant row so the tenant entry statement
reads it with the rest of the registry row (web/deps.py acts on it without another query).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from piccolo.columns import JSONB, BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.db.jsonb import jsonb_value
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.login_audit import app_connection
from sampark.platform.identity.oidc import issuer_problem
from sampark.platform.identity.sealing import seal, unseal
from sampark.platform.tenancy.tables import Tenant

MAX_DOMAINS: Final = 50
_PURPOSE = "oidc-client-secret"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class TenantSso(Table, schema="public", tablename="tenant_sso"):
    """One tenant's OIDC provider (platform step v0007). ``client_secret`` is sealed."""

    id = BigSerial(primary_key=True)
    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, db_column_name="tenant_id", unique=True)
    issuer = Varchar(length=500)
    client_id = Varchar(length=255)
    client_secret = Varchar(length=2000)
    default_role = Varchar(length=32, default="read-only")
    allowed_domains = JSONB(default="[]")
    updated_at = Timestamptz()


@dataclass(frozen=True)
class SsoSettings:
    """What may be shown of a tenant's SSO settings: never the secret, only whether one is stored."""

    tenant_id: int
    tenant_slug: str
    tenant_name: str
    issuer: str
    client_id: str
    has_secret: bool
    default_role: str
    allowed_domains: tuple[str, ...]
    sso_only: bool

    def domain_allowed(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower()
        return not self.allowed_domains or domain in self.allowed_domains


@dataclass(frozen=True)
class SsoForm:
    issuer: str
    client_id: str
    client_secret: str  # empty: keep the stored one
    default_role: str
    allowed_domains: str
    sso_only: bool

    def domains(self) -> list[str]:
        return [
            d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", self.allowed_domains) if d.strip()
        ]


_SELECT = """
SELECT t.id AS tenant_id, t.slug AS tenant_slug, t.name AS tenant_name, t.sso_only,
       s.issuer, s.client_id, s.client_secret <> '' AS has_secret, s.default_role, s.allowed_domains
FROM public.tenants t JOIN public.tenant_sso s ON s.tenant_id = t.id
WHERE t.status = 'active' AND {where}
"""


def _settings(row: Any) -> SsoSettings:
    domains = row["allowed_domains"]
    domains = jsonb_value(domains)
    return SsoSettings(**{**dict(row), "allowed_domains": tuple(domains or ())})


async def get_sso(tenant_id: int) -> SsoSettings | None:
    """The tenant's SSO settings, or None when none are configured (works inside a tenant request)."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_SELECT.format(where="t.id = $1"), tenant_id)
    return _settings(row) if row else None


async def get_sso_by_slug(slug: str) -> SsoSettings | None:
    """The SSO settings of an active tenant by slug, for the sign-in pages (None: no SSO there)."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_SELECT.format(where="t.slug = $1"), slug)
    return _settings(row) if row else None


async def client_secret(tenant_id: int, secret_key: str) -> str | None:
    """The tenant's client secret in the clear, for the token request only. None when unreadable."""
    async with app_connection() as connection:
        stored = await connection.fetchval(
            "SELECT client_secret FROM public.tenant_sso WHERE tenant_id = $1", tenant_id
        )
    if not stored:
        return None
    return unseal(stored, purpose=_PURPOSE, bound_to=str(tenant_id), secret_key=secret_key)


def validate_form(form: SsoForm, role_keys: list[str], *, has_secret: bool) -> dict[str, str]:
    """Field errors of the settings form (translated), before any network check."""
    errors: dict[str, str] = {}
    problem = issuer_problem(form.issuer) if form.issuer else "missing"
    if problem == "missing":
        errors["issuer"] = _("Enter the issuer URL of your identity provider.")
    elif problem == "issuer_not_https":
        errors["issuer"] = _("The issuer URL must start with https://.")
    elif problem is not None or len(form.issuer) > 500:
        errors["issuer"] = _("Enter a valid URL, such as https://login.example.com.")
    if not form.client_id or len(form.client_id) > 255:
        errors["client_id"] = _("Enter the client ID your identity provider gave you.")
    if not form.client_secret and not has_secret:
        errors["client_secret"] = _("Enter the client secret your identity provider gave you.")
    elif len(form.client_secret) > 1000:
        errors["client_secret"] = _("Use at most %(count)s characters.", count=1000)
    if form.default_role not in role_keys:
        errors["default_role"] = _("Choose a role.")
    domains = form.domains()
    if len(domains) > MAX_DOMAINS or any(not _DOMAIN.match(d) for d in domains):
        errors["allowed_domains"] = _("Enter domain names such as example.com, separated by commas.")
    return errors


async def save_sso(tenant_id: int, form: SsoForm, issuer: str, secret_key: str) -> None:
    """Store the settings (``issuer`` as the provider declares it); an empty secret keeps the stored one."""
    sealed = (
        seal(form.client_secret, purpose=_PURPOSE, bound_to=str(tenant_id), secret_key=secret_key)
        if form.client_secret
        else None
    )
    async with app_connection() as connection, connection.transaction():
        await connection.execute(
            """INSERT INTO public.tenant_sso
                   (tenant_id, issuer, client_id, client_secret, default_role, allowed_domains, updated_at)
               VALUES ($1, $2, $3, coalesce($4, ''), $5, $6::jsonb, $7)
               ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer,
                   client_id = EXCLUDED.client_id,
                   client_secret = coalesce($4, tenant_sso.client_secret),
                   default_role = EXCLUDED.default_role, allowed_domains = EXCLUDED.allowed_domains,
                   updated_at = EXCLUDED.updated_at""",
            tenant_id,
            issuer,
            form.client_id,
            sealed,
            form.default_role,
            json.dumps(form.domains()),
            datetime.now(UTC),
        )
        await connection.execute(
            "UPDATE public.tenants SET sso_only = $2, updated_at = now() WHERE id = $1",
            tenant_id,
            form.sso_only,
        )


async def remove_sso(tenant_id: int) -> None:
    """Forget the provider and the secret; password sign-in works again for everyone."""
    async with app_connection() as connection, connection.transaction():
        await connection.execute("DELETE FROM public.tenant_sso WHERE tenant_id = $1", tenant_id)
        await connection.execute(
            "UPDATE public.tenants SET sso_only = false, updated_at = now() WHERE id = $1", tenant_id
        )
