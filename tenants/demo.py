"""The demo tenant for ``sampark up --demo``: a company, its admin and a few dozen contacts, made once.

``sampark up`` reaches this module by name (the platform does not import tenant code). Running it again on the
same data does nothing new; the admin password is generated on first run and kept in ``demo-admin.txt`` under
the data directory (mode 0600), so a restart can show it again.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sampark.platform.identity.signup import SignupForm, sign_up
from sampark.platform.identity.users import get_user_by_email
from sampark.platform.tenancy.context import tenant_context
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.tenants.consent.services import record_consent
from sampark.tenants.contacts.services import count_contacts, create_contact
from sampark.tenants.currencies.services import import_rates
from sampark.tenants.customfields.demo import demo_custom, seed_custom_fields
from sampark.tenants.leads.services import count_leads, create_lead

DEMO_SLUG = "demo"
DEMO_COMPANY = "Sampark Demo"
DEMO_REGION = "EU"
DEMO_RATES = b"currency,rate,date\nUSD,0.92,2026-01-01\nGBP,1.17,2026-01-01\nINR,0.011,2026-01-01\nJPY,0.0061,2026-01-01\n"
DEMO_ADMIN_NAME = "Demo Admin"
DEMO_ADMIN_EMAIL = "admin@demo.sampark.localhost"
ADMIN_FILE = "demo-admin.txt"

# (first name, last name, e-mail, phone). Addresses use reserved example domains so nothing can be mailed.
DEMO_CONTACTS: tuple[tuple[str, str, str, str], ...] = (
    ("Aarav", "Sharma", "aarav.sharma@example.in", "+91 98765 43210"),
    ("Priya", "Iyer", "priya.iyer@example.in", "+91 91234 56789"),
    ("Sofía", "García López", "sofia.garcia@example.es", "+34 612 345 678"),
    ("João", "Silva", "joao.silva@example.com.br", "+55 11 91234-5678"),
    ("Mariana", "Costa", "mariana.costa@example.pt", "+351 912 345 678"),
    ("Lukas", "Müller", "lukas.mueller@example.de", "+49 151 23456789"),
    ("Chloé", "Dubois", "chloe.dubois@example.fr", "+33 6 12 34 56 78"),
    ("Giulia", "Rossi", "giulia.rossi@example.it", "+39 312 345 6789"),
    ("Sven", "Andersson", "sven.andersson@example.se", "+46 70 123 45 67"),
    ("Katarzyna", "Nowak", "katarzyna.nowak@example.pl", "+48 512 345 678"),
    ("Olumide", "Adeyemi", "olumide.adeyemi@example.ng", "+234 803 123 4567"),
    ("Amani", "Wanjiru", "amani.wanjiru@example.ke", "+254 712 345678"),
    ("Fatima Zahra", "El Amrani", "fatima.elamrani@example.ma", "+212 612-345678"),
    ("Omar", "Haddad", "omar.haddad@example.jo", "+962 7 9123 4567"),
    ("Yuki", "Tanaka", "yuki.tanaka@example.jp", "+81 90-1234-5678"),
    ("Min-jun", "Kim", "minjun.kim@example.kr", "+82 10-1234-5678"),
    ("Wei", "Zhang", "wei.zhang@example.cn", "+86 138 0013 8000"),
    ("Thị Lan", "Nguyễn", "lan.nguyen@example.vn", "+84 91 234 56 78"),
    ("Siti", "Rahmawati", "siti.rahmawati@example.id", "+62 812-3456-7890"),
    ("Liam", "O'Connor", "liam.oconnor@example.ie", "+353 85 123 4567"),
    ("Olivia", "Thompson", "olivia.thompson@example.co.uk", "+44 7700 900123"),
    ("Ethan", "Nguyen", "ethan.nguyen@example.com", "+1 415 555 0142"),
    ("Isabella", "Martínez", "isabella.martinez@example.mx", "+52 55 1234 5678"),
    ("Noah", "Wilson", "noah.wilson@example.com.au", "+61 412 345 678"),
    ("Ana", "Petrović", "ana.petrovic@example.rs", "+381 64 1234567"),
    ("Mehmet", "Yılmaz", "mehmet.yilmaz@example.com.tr", "+90 532 123 45 67"),  # noqa: RUF001 (a Turkish dotless i, on purpose)
)


@dataclass(frozen=True)
class DemoInfo:
    """What ``sampark up`` prints about the demo. ``password`` is None only when its file was deleted."""

    slug: str
    admin_email: str
    password: str | None
    password_file: Path
    created: bool
    contacts_added: int


async def seed_demo(data_dir: Path) -> DemoInfo:
    """Create the demo tenant, its admin and its contacts, each only if missing; needs an open engine."""
    password_file = Path(data_dir) / ADMIN_FILE
    password = read_password(password_file)
    created = False
    if await get_tenant(DEMO_SLUG) is None:
        if password is None:
            # Written before the sign-up, so a crash in between never loses the password of a created admin.
            password = secrets.token_urlsafe(12)
            write_password(password_file, password)
        await sign_up(
            SignupForm(
                company_name=DEMO_COMPANY,
                slug=DEMO_SLUG,
                region=DEMO_REGION,
                admin_name=DEMO_ADMIN_NAME,
                admin_email=DEMO_ADMIN_EMAIL,
                password=password,
            )
        )
        created = True
    added = await seed_contacts(DEMO_SLUG)
    await seed_leads(DEMO_SLUG)
    return DemoInfo(DEMO_SLUG, DEMO_ADMIN_EMAIL, password, password_file, created, added)


async def seed_contacts(slug: str, owner_email: str = DEMO_ADMIN_EMAIL) -> int:
    """Create the demo contacts, owned by ``owner_email``, in an active tenant whose contact list is empty.

    They go through the contact service as that member, so they are validated and audited like any other.
    Returns how many were added.
    """
    tenant = await get_tenant(slug)
    owner = await get_user_by_email(owner_email)
    if tenant is None or tenant.status != TenantStatus.ACTIVE or owner is None:
        return 0
    async with tenant_context(slug=slug, member_user_id=owner.id) as context:
        with acting_as(await load_principal(owner.id, context.member_role or "")):
            if await count_contacts() > 0:
                return 0
            await seed_custom_fields()
            created = []
            for index, (first, last, email, phone) in enumerate(DEMO_CONTACTS):
                custom = demo_custom(index)
                created.append(
                    await create_contact(
                        {
                            "first_name": first,
                            "last_name": last,
                            "email": email,
                            "phone": phone,
                            "custom": custom,
                        }
                    )
                )
            await seed_consent([contact.id for contact in created])
            # A few exchange rates into the EU base (EUR), so deals in these currencies convert on the board.
            await import_rates(DEMO_RATES)
    return len(DEMO_CONTACTS)


# (contact index, purpose, action, source, evidence): answers recorded through the consent service, so the EU demo
# shows a pending double opt-in (its confirmation mail lands in the sink), grants and a withdrawal.
DEMO_CONSENT: tuple[tuple[int, str, str, str, str], ...] = (
    (0, "email_marketing", "grant", "form", "Ticked the newsletter box on the contact form"),
    (0, "sms_marketing", "grant", "phone", "Agreed on a call to receive delivery updates by SMS"),
    (1, "sms_marketing", "grant", "in_person", "Signed the opt-in card at the trade fair stand"),
    (1, "sms_marketing", "withdraw", "email", "Replied STOP to an SMS and confirmed by e-mail"),
    (2, "phone_marketing", "grant", "phone", "Asked to be called about new offers"),
)


async def seed_consent(contact_ids: list[int]) -> None:
    """Record the demo consent answers for the given contacts (by position), through the consent service."""
    for index, purpose, action, source, evidence in DEMO_CONSENT:
        if index < len(contact_ids):
            await record_consent(
                contact_ids[index], purpose, action, lawful_basis="consent" if action == "grant" else "",
                source=source, evidence=evidence, expected_version=None,
            )  # fmt: skip


# (first name, last name, company, e-mail, source, status): prospects to qualify and convert in the demo.
DEMO_LEADS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Ravi", "Menon", "Menon Textiles", "ravi@menon-textiles.example", "form", "new"),
    ("Elena", "Vargas", "Vargas Logística", "elena@vargas-logistica.example", "event", "contacted"),
    ("Tom", "Becker", "Becker Bau", "tom.becker@becker-bau.example", "referral", "qualified"),
    ("Aiko", "Sato", "Sato Foods", "aiko@sato-foods.example", "manual", "new"),
)


async def seed_leads(slug: str, owner_email: str = DEMO_ADMIN_EMAIL) -> int:
    """Create the demo leads (through the lead service, audited) when the tenant has none; how many were added."""
    tenant = await get_tenant(slug)
    owner = await get_user_by_email(owner_email)
    if tenant is None or tenant.status != TenantStatus.ACTIVE or owner is None:
        return 0
    async with tenant_context(slug=slug, member_user_id=owner.id) as context:
        with acting_as(await load_principal(owner.id, context.member_role or "")):
            if await count_leads() > 0:
                return 0
            for first, last, company, email, source, status in DEMO_LEADS:
                await create_lead(
                    {"first_name": first, "last_name": last, "company_name": company, "emails": [email],
                     "source": source, "status": status},
                )  # fmt: skip
    return len(DEMO_LEADS)


def read_password(path: Path) -> str | None:
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "password" and value.strip():
            return value.strip()
    return None


def write_password(path: Path, password: str) -> None:
    """Write the admin's e-mail and password, readable by the owner only from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"email: {DEMO_ADMIN_EMAIL}\npassword: {password}\n")
    path.chmod(0o600)  # in case the file already existed with wider permissions
