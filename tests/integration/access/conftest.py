"""One tenant for the CRM permission matrix, built once per module: a role per record scope, an acting member
per role, a team mate and an outsider, and records of every CRM object owned by each of them."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.storage import factory
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.platform.tenancy.provisioning import NewTenant, drop_tenant, provision_tenant
from sampark.tenants.access.catalog import BUILTIN_ROLES
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.access.tables import Role, Team, TeamMember
from sampark.tenants.activities.services import create_activity
from sampark.tenants.companies.services import create_company
from sampark.tenants.contacts.services import create_contact
from sampark.tenants.deals.services import create_deal
from sampark.tenants.files.services import upload_file
from sampark.tenants.leads.services import create_lead
from sampark.tenants.tasks.services import create_task
from tests.support.web import Member, make_member

CRM_OBJECTS = ("contacts", "companies", "leads", "deals", "activities", "tasks", "files")
SCOPES = ("own", "team", "all", "none")
ACTIONS = ("view", "create", "edit", "delete", "import", "export")


def doomed(scope: str) -> tuple[str, str]:
    """The purposes of the two records the actor of ``scope`` deletes (one through the API, one a page)."""
    return f"api-{scope}", f"page-{scope}"


@dataclass(frozen=True)
class Record:
    id: int
    name: str
    owner_id: int
    contact_id: int  # the owner's kept contact the activity or file hangs on (the record itself for contacts)


@dataclass
class World:
    tenant: TenantRecord
    actors: dict[str, Member]
    mate: Member
    outsider: Member
    # records[object][owner user id][purpose]
    records: dict[str, dict[int, dict[str, Record]]] = field(default_factory=dict)

    def owners(self, scope: str) -> dict[str, int]:
        """The three owners the actor of ``scope`` is tested against, by label."""
        return {"me": self.actors[scope].id, "mate": self.mate.id, "outsider": self.outsider.id}


def scope_role(scope: str) -> dict[str, dict[str, str]]:
    """Every CRM object and action at ``scope`` (the "none" role grants nothing at all)."""
    if scope == "none":
        return {}
    return {obj: dict.fromkeys(ACTIONS, scope) for obj in CRM_OBJECTS}


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _seed(
    tenant: TenantRecord, owner_id: int, tag: str, purposes: tuple[str, ...]
) -> dict[str, dict[str, Record]]:
    """Records of every CRM object owned by ``owner_id``, one per purpose, made through the services as him.

    Every owner has a ``keep`` record (viewed, edited, and the target of refused deletes); a record someone
    may delete exists once per scope whose actor deletes it (see ``doomed``)."""
    owner = Principal(user_id=owner_id, role_key="admin", permissions=BUILTIN_ROLES["admin"][1])
    made: dict[str, dict[str, Record]] = {obj: {} for obj in CRM_OBJECTS}
    async with tenant_context(slug=tenant.slug, member_user_id=owner_id):
        with acting_as(owner):
            for purpose in purposes:
                name = f"Mx{tag}{purpose.replace('-', '')}{secrets.token_hex(3)}"
                own = (await create_contact({"first_name": f"{name}c"}, allow_duplicate=True)).id
                made["contacts"][purpose] = Record(own, f"{name}c", owner_id, own)
                # Activities and files hang on the kept contact, which no test deletes.
                contact = made["contacts"]["keep"].id
                company = await create_company({"name": f"{name}o"}, allow_duplicate=True)
                made["companies"][purpose] = Record(company.id, f"{name}o", owner_id, contact)
                lead = await create_lead({"first_name": f"{name}l"}, allow_duplicate=True)
                made["leads"][purpose] = Record(lead.id, f"{name}l", owner_id, contact)
                deal = await create_deal({"name": f"{name}d", "amount": "10", "currency": "EUR"})
                made["deals"][purpose] = Record(deal.id, f"{name}d", owner_id, contact)
                note = await create_activity("note", {"body": f"{name}a"}, links=[f"contact:{contact}"])
                made["activities"][purpose] = Record(note.id, f"{name}a", owner_id, contact)
                task = await create_task({"title": f"{name}t"})
                made["tasks"][purpose] = Record(task.id, f"{name}t", owner_id, contact)
                upload = await upload_file("contact", contact, f"{name}f.txt", _chunks(b"matrix\n"))
                made["files"][purpose] = Record(upload.id, f"{name}f.txt", owner_id, contact)
    return made


@pytest.fixture(scope="module")
async def matrix_storage(database: Settings, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[None]:
    root: Path = tmp_path_factory.mktemp("matrix-files")
    factory.configure_storage(database.with_overrides(data_dir=root))
    yield
    factory.configure_storage(database)


@pytest.fixture(scope="module")
async def world(database: Settings, matrix_storage: None) -> AsyncIterator[World]:
    tenant = await provision_tenant(
        NewTenant(slug=f"mx-{secrets.token_hex(4)}", name="Matrix Co", region="EU")
    )
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            *(
                Role(key=f"mx-{scope}", name=f"Matrix {scope}", permissions=scope_role(scope))
                for scope in SCOPES
            )
        )
    actors = {scope: await make_member(tenant, f"mx-{scope}") for scope in SCOPES}
    mate, outsider = await make_member(tenant, "admin"), await make_member(tenant, "admin")
    async with tenant_context(slug=tenant.slug):
        team = (await Team.insert(Team(name="Matrix team")).returning(Team.id))[0]["id"]
        await TeamMember.insert(
            *(TeamMember(team=team, user_id=user.id) for user in (*actors.values(), mate))
        )
    built = World(tenant, actors, mate, outsider)
    owners = [
        *((scope, actor, ("keep", *doomed(scope))) for scope, actor in actors.items()),
        ("mate", mate, ("keep", *doomed("team"), *doomed("all"))),
        ("outsider", outsider, ("keep", *doomed("all"))),
    ]
    for label, user, purposes in owners:
        for obj, by_purpose in (await _seed(tenant, user.id, label[:2], purposes)).items():
            built.records.setdefault(obj, {})[user.id] = by_purpose
    yield built
    await drop_tenant(tenant.slug)
