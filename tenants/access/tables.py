"""Roles and teams, in each tenant's schema. Users and memberships live in ``public``."""

from piccolo.columns import JSONB, BigInt, BigSerial, Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.tenants.pipelines.tables import Pipeline


class Role(Table, tablename="roles"):
    """A named set of permissions. ``key`` is what a membership names; built-in roles cannot be deleted."""

    id = BigSerial(primary_key=True)
    key = Varchar(length=63, unique=True)
    name = Varchar(length=100)
    is_builtin = Boolean(default=False)
    # {"contacts": {"view": "all", "edit": "own", ...}, ...}; see tenants/access/catalog.py
    permissions = JSONB(default="{}")
    # {"contacts": ["phone"], ...}: fields this role never sees
    hidden_fields = JSONB(default="{}")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Team(Table, tablename="teams"):
    """A regional or sales team; the "team" record scope means the members of the user's teams."""

    id = BigSerial(primary_key=True)
    name = Varchar(length=100, unique=True)
    manager_user_id = BigInt(null=True, default=None)
    default_locale = Varchar(length=16, default="")
    default_time_zone = Varchar(length=64, default="")
    default_currency = Varchar(length=3, default="")
    # New deals and the board start here for the team's members; a deleted pipeline leaves the team without one
    # (its members fall back to the tenant's default pipeline).
    default_pipeline: ForeignKey = ForeignKey(
        Pipeline, on_delete=OnDelete.set_null, null=True, default=None, db_column_name="default_pipeline_id"
    )
    created_at = Timestamptz()


class TeamMember(Table, tablename="team_members"):
    id = BigSerial(primary_key=True)
    team = ForeignKey(Team, on_delete=OnDelete.cascade, db_column_name="team_id")
    user_id = BigInt()


# A user is in a team once; "which teams is this user in" is asked on every request.
ACCESS_INDEXES = (
    'CREATE UNIQUE INDEX team_members_team_user ON "team_members" ("team_id", "user_id")',
    'CREATE INDEX team_members_user ON "team_members" ("user_id")',
)
