"""Self-service sign-up: a new company becomes a tenant with its first admin, all or nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.support import LazyProxy

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.passwords import password_problems
from sampark.platform.identity.users import (
    EmailTaken,
    UserRecord,
    add_membership,
    create_user,
    email_taken,
    normalize_email,
    validate_email,
)
from sampark.platform.regions import PRESETS, get_preset
from sampark.platform.regions import region_choices as registry_region_choices
from sampark.platform.tenancy.context import TenantRecord
from sampark.platform.tenancy.naming import slug_problem
from sampark.platform.tenancy.provisioning import NewTenant, ProvisioningError, provision_tenant

ADMIN_ROLE = "admin"
MAX_NAME_LENGTH = 200

# Where a tenant's data lives and which rules apply to it: the region registry's presets, by code.
REGIONS: Mapping[str, LazyProxy] = {code: preset.name for code, preset in PRESETS.items()}


def region_choices() -> list[tuple[str, str]]:
    """``(code, display name)`` pairs in the current language, for a select box."""
    return registry_region_choices()


@dataclass(frozen=True)
class SignupForm:
    """What the sign-up page asks for. ``locale`` and ``time_zone`` are optional preferences of the admin."""

    company_name: str
    slug: str
    region: str
    admin_name: str
    admin_email: str
    password: str
    locale: str = ""
    time_zone: str = ""

    def normalized(self) -> SignupForm:
        """Trimmed names, a lower-case slug and a normalized e-mail address; the password as typed."""
        return dataclasses.replace(
            self,
            company_name=self.company_name.strip(),
            slug=self.slug.strip().lower(),
            region=self.region.strip(),
            admin_name=self.admin_name.strip(),
            admin_email=normalize_email(self.admin_email),
        )


class SignupError(ValueError):
    """Sign-up refused; ``errors`` maps form field names to translated messages to show beside them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


def _slug_message(problem: str) -> str:
    if problem == "reserved":
        return _("This address is reserved. Choose another.")
    if problem == "taken":
        return _("This address is already taken. Choose another.")
    return _("Use 3 to 63 lower-case letters, digits and hyphens, starting with a letter.")


def _name_problem(value: str, missing: str) -> str | None:
    if not value:
        return missing
    if len(value) > MAX_NAME_LENGTH:
        return _("Use at most %(count)s characters.", count=MAX_NAME_LENGTH)
    return None


def validate_signup(form: SignupForm) -> dict[str, str]:
    """Check every field without touching the database; return ``{field: message}``, empty when fine."""
    form = form.normalized()
    errors: dict[str, str] = {}
    if problem := _name_problem(form.company_name, _("Enter your company's name.")):
        errors["company_name"] = problem
    if not form.slug:
        errors["slug"] = _("Choose the web address of your workspace.")
    elif problem := slug_problem(form.slug):
        errors["slug"] = _slug_message(problem)
    if form.region not in REGIONS:
        errors["region"] = _("Choose where your data is kept.")
    if problem := _name_problem(form.admin_name, _("Enter your name.")):
        errors["admin_name"] = problem
    if problem := validate_email(form.admin_email):
        errors["admin_email"] = problem
    if problems := password_problems(form.password, form.admin_email, form.admin_name):
        errors["password"] = " ".join(problems)
    return errors


async def sign_up(form: SignupForm) -> tuple[TenantRecord, UserRecord]:
    """Create the tenant, its first admin user and their membership in one transaction.

    An address that already has an account is refused, not linked: joining an existing account to a new
    tenant needs that account's owner signed in.

    Raises:
        SignupError: a field is invalid, the slug is taken or reserved, or the e-mail has an account.
            Nothing has been created.
    """
    form = form.normalized()
    errors = validate_signup(form)
    if errors:
        raise SignupError(errors)
    # Cheap checks first, so a taken address does not cost a schema build; the transaction re-checks both.
    if await email_taken(form.admin_email):
        raise SignupError({"admin_email": _("An account with this e-mail address already exists.")})
    try:
        async with get_engine().transaction() as transaction:
            tenant = await provision_tenant(
                NewTenant(
                    slug=form.slug,
                    name=form.company_name,
                    region=form.region,
                    placement=get_preset(form.region).residency,
                ),
                connection=transaction.connection,
            )
            user = await create_user(
                form.admin_email, form.admin_name, form.password, locale=form.locale, time_zone=form.time_zone
            )
            await add_membership(user.id, tenant.id, ADMIN_ROLE)
            await OperatorAudit.insert(
                OperatorAudit(
                    actor=user.email,
                    action="tenant.signup",
                    tenant_id=tenant.id,
                    details={"slug": tenant.slug, "region": tenant.region, "user_id": user.id},
                    created_at=datetime.now(UTC),
                )
            )
    except ProvisioningError as error:
        if not error.code.startswith("slug_"):
            raise
        raise SignupError({"slug": _slug_message(error.code.removeprefix("slug_"))}) from None
    except EmailTaken as error:
        raise SignupError({"admin_email": error.errors["email"]}) from None
    return tenant, user
