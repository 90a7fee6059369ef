"""Users on the real PostgreSQL: creation, sign-in and memberships."""

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher, Type

from sampark.platform.identity.tables import Membership, User
from sampark.platform.identity.users import (
    EmailTaken,
    IdentityError,
    add_membership,
    authenticate,
    create_user,
    get_user,
    membership,
    memberships_for,
    set_active,
)
from sampark.platform.tenancy.provisioning import set_status
from sampark.platform.tenancy.tables import TenantStatus

PASSWORD = "violet-kettle-harbour-42"
Email = Callable[[], str]


async def stored_hash(user_id: int) -> str:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    assert row is not None
    return str(row["password_hash"])


async def test_create_user_stores_a_normalized_email_and_an_argon2id_hash(new_email: Email) -> None:
    email = new_email()
    user = await create_user(f"  {email.upper()} ", " Asha Sharma ", PASSWORD, locale="hi")
    assert user.email == email and user.full_name == "Asha Sharma" and user.locale == "hi" and user.is_active
    assert (await stored_hash(user.id)).startswith("$argon2id$")
    assert await get_user(user.id) == user


async def test_a_second_account_for_one_address_is_refused(new_email: Email) -> None:
    email = new_email()
    await create_user(email, "Asha", PASSWORD)
    with pytest.raises(EmailTaken) as caught:
        await create_user(email.upper(), "Someone Else", PASSWORD)
    assert set(caught.value.errors) == {"email"}


async def test_create_user_refuses_a_bad_address_or_empty_name(database) -> None:
    with pytest.raises(IdentityError) as caught:
        await create_user("not-an-address", "  ", PASSWORD)
    assert set(caught.value.errors) == {"email", "full_name"}


async def test_authenticate_succeeds_with_the_right_password_in_any_case(new_email: Email) -> None:
    email = new_email()
    created = await create_user(email, "Asha", PASSWORD)
    assert created.last_login_at is None
    user = await authenticate(f" {email.upper()}", PASSWORD)
    assert user is not None and user.id == created.id
    assert user.last_login_at is not None


async def test_authenticate_refuses_wrong_password_unknown_user_and_inactive_user(new_email: Email) -> None:
    email = new_email()
    user = await create_user(email, "Asha", PASSWORD)
    assert await authenticate(email, PASSWORD + "!") is None
    assert await authenticate(email, "") is None
    assert await authenticate(email, "x" * 100_000) is None
    assert await authenticate(new_email(), PASSWORD) is None
    await set_active(user.id, False)
    assert await authenticate(email, PASSWORD) is None
    refused = await get_user(user.id)
    assert refused is not None and refused.last_login_at is None


async def test_a_user_without_a_password_cannot_sign_in(new_email: Email) -> None:
    email = new_email()
    await create_user(email, "Invited", None)
    assert await authenticate(email, "") is None
    assert await authenticate(email, PASSWORD) is None


async def test_an_old_hash_is_upgraded_at_sign_in(new_email: Email) -> None:
    email = new_email()
    user = await create_user(email, "Asha", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash(PASSWORD)
    await User.update({User.password_hash: weak}).where(User.id == user.id)
    assert await authenticate(email, PASSWORD) is not None
    upgraded = await stored_hash(user.id)
    assert upgraded != weak and "m=65536,t=3,p=4" in upgraded
    assert await authenticate(email, PASSWORD) is not None


async def test_memberships_list_only_active_tenants_and_memberships(make_tenant, new_email: Email) -> None:
    user = await create_user(new_email(), "Asha", PASSWORD)
    alpha, beta, gamma = await make_tenant(), await make_tenant(), await make_tenant()
    await add_membership(user.id, alpha.id, "admin")
    await add_membership(user.id, beta.id, "member")
    await add_membership(user.id, gamma.id, "member")
    assert {(m.slug, m.role) for m in await memberships_for(user.id)} == {
        (alpha.slug, "admin"),
        (beta.slug, "member"),
        (gamma.slug, "member"),
    }
    await set_status(beta.slug, TenantStatus.SUSPENDED)
    await Membership.update({Membership.is_active: False}).where(Membership.tenant == gamma.id)
    found = await memberships_for(user.id)
    assert [(m.tenant_id, m.slug, m.name, m.role) for m in found] == [
        (alpha.id, alpha.slug, alpha.name, "admin")
    ]
    assert await membership(user.id, alpha.id) == found[0]
    assert await membership(user.id, beta.id) is None
    assert await membership(user.id, gamma.id) is None
    other = await create_user(new_email(), "Bruno", PASSWORD)
    assert await membership(other.id, alpha.id) is None
    assert await memberships_for(other.id) == []
