"""Sign-up: one transaction creates the tenant, its admin and the membership, or nothing at all."""

import secrets
from collections.abc import Callable

import pytest

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.db.engine import get_engine
from sampark.platform.identity import signup as signup_module
from sampark.platform.identity.signup import SignupError, SignupForm, sign_up
from sampark.platform.identity.tables import User
from sampark.platform.identity.users import authenticate, create_user, memberships_for
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.tenants.contacts.tables import Contact

PASSWORD = "violet-kettle-harbour-42"
Email = Callable[[], str]


def form(slug: str, email: str, **changes: str) -> SignupForm:
    values = {
        "company_name": "Acme Traders",
        "slug": slug,
        "region": "IN",
        "admin_name": "Asha Sharma",
        "admin_email": email,
        "password": PASSWORD,
        **changes,
    }
    return SignupForm(**values)


def new_slug(drop_slugs: list[str]) -> str:
    drop_slugs.append(f"su-{secrets.token_hex(4)}")
    return drop_slugs[-1]


async def leftovers(slug: str, email: str, tenant: TenantRecord | None = None) -> dict[str, object]:
    """Everything a sign-up could have left behind, found by name."""
    async with get_engine().transaction() as transaction:
        connection = transaction.connection
        found: dict[str, object] = {
            "tenant": await connection.fetchval("SELECT count(*) FROM public.tenants WHERE slug = $1", slug),
            "user": await connection.fetchval("SELECT count(*) FROM public.users WHERE email = $1", email),
            "audit": await connection.fetchval(
                "SELECT count(*) FROM public.operator_audit WHERE details->>'slug' = $1", slug
            ),
        }
        if tenant is not None:
            found["schema"] = await connection.fetchval(
                "SELECT count(*) FROM pg_namespace WHERE nspname = $1", tenant.schema_name
            )
            found["role"] = await connection.fetchval(
                "SELECT count(*) FROM pg_roles WHERE rolname = $1", tenant.db_role
            )
    return found


async def test_sign_up_creates_tenant_admin_membership_and_audit(
    drop_slugs: list[str], new_email: Email
) -> None:
    slug, email = new_slug(drop_slugs), new_email()
    tenant, user = await sign_up(form(f" {slug.upper()} ", email.upper()))
    assert tenant.slug == slug and tenant.region == "IN" and tenant.name == "Acme Traders"
    assert user.email == email and user.full_name == "Asha Sharma"
    assert [(m.slug, m.role) for m in await memberships_for(user.id)] == [(slug, "admin")]
    assert await authenticate(email, PASSWORD) is not None
    audit = await OperatorAudit.select().where(OperatorAudit.tenant_id == tenant.id).first()
    assert audit is not None and audit["action"] == "tenant.signup" and audit["actor"] == email
    async with tenant_context(slug=slug):  # the schema is built and usable
        assert await Contact.count() == 0


async def test_a_taken_slug_is_a_field_error_and_creates_no_user(make_tenant, new_email: Email) -> None:
    existing = await make_tenant()
    email = new_email()
    with pytest.raises(SignupError) as caught:
        await sign_up(form(existing.slug, email))
    assert set(caught.value.errors) == {"slug"}
    assert (await leftovers(existing.slug, email))["user"] == 0


async def test_a_reserved_or_invalid_slug_is_a_field_error(database, new_email: Email) -> None:
    for slug in ("admin", "Not A Slug!"):
        with pytest.raises(SignupError) as caught:
            await sign_up(form(slug, new_email()))
        assert set(caught.value.errors) == {"slug"}


async def test_an_email_with_an_account_is_refused_not_linked(
    drop_slugs: list[str], new_email: Email
) -> None:
    slug, email = new_slug(drop_slugs), new_email()
    existing = await create_user(email, "Asha", PASSWORD)
    with pytest.raises(SignupError) as caught:
        await sign_up(form(slug, email))
    assert set(caught.value.errors) == {"admin_email"}
    assert await get_tenant(slug) is None
    assert await memberships_for(existing.id) == []


async def test_an_email_taken_during_the_transaction_rolls_the_tenant_back(
    drop_slugs: list[str], new_email: Email, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug, email = new_slug(drop_slugs), new_email()
    await create_user(email, "Asha", PASSWORD)
    made: list[TenantRecord] = []
    provision = signup_module.provision_tenant

    async def spy(*args: object, **kwargs: object) -> TenantRecord:
        made.append(await provision(*args, **kwargs))
        return made[-1]

    async def not_taken(email: str) -> bool:  # as if the other sign-up committed after our early check
        return False

    monkeypatch.setattr(signup_module, "provision_tenant", spy)
    monkeypatch.setattr(signup_module, "email_taken", not_taken)
    with pytest.raises(SignupError) as caught:
        await sign_up(form(slug, email))
    assert set(caught.value.errors) == {"admin_email"}
    assert made, "the tenant was provisioned before the user insert"
    assert await leftovers(slug, email, made[0]) == {
        "tenant": 0,
        "user": 1,
        "audit": 0,
        "schema": 0,
        "role": 0,
    }


async def test_a_failure_after_provisioning_leaves_nothing(
    drop_slugs: list[str], new_email: Email, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug, email = new_slug(drop_slugs), new_email()
    made: list[TenantRecord] = []
    provision = signup_module.provision_tenant

    async def spy(*args: object, **kwargs: object) -> TenantRecord:
        made.append(await provision(*args, **kwargs))
        return made[-1]

    def broken_insert(*rows: object) -> object:
        raise RuntimeError("injected: the user insert failed")

    monkeypatch.setattr(signup_module, "provision_tenant", spy)
    monkeypatch.setattr(User, "insert", broken_insert)
    with pytest.raises(RuntimeError, match="injected"):
        await sign_up(form(slug, email))
    monkeypatch.undo()
    assert made and made[0].slug == slug
    assert await leftovers(slug, email, made[0]) == {
        "tenant": 0,
        "user": 0,
        "audit": 0,
        "schema": 0,
        "role": 0,
    }
    # The same sign-up goes through once nothing is broken: the failure left no half-made state in the way.
    tenant, _user = await sign_up(form(slug, email))
    assert tenant.slug == slug


async def test_a_failure_in_the_audit_write_also_rolls_back(
    drop_slugs: list[str], new_email: Email, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug, email = new_slug(drop_slugs), new_email()

    def broken_insert(*rows: object) -> object:
        raise RuntimeError("injected: the audit insert failed")

    monkeypatch.setattr(OperatorAudit, "insert", broken_insert)
    with pytest.raises(RuntimeError, match="injected"):
        await sign_up(form(slug, email))
    monkeypatch.undo()
    assert await leftovers(slug, email) == {"tenant": 0, "user": 0, "audit": 0}
