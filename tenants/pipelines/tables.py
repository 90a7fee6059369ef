"""Pipeline and stage tables. Deals point at both with ON DELETE RESTRICT: a stage goes only once it is empty."""

from piccolo.columns import JSONB, BigSerial, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Pipeline(Table, tablename="pipelines"):
    """A sales process. Exactly one is the default (new deals land there unless told otherwise)."""

    id = BigSerial(primary_key=True)
    name = Varchar(length=100)
    # {locale: name} translations of ``name`` (platform/i18n/tenant_text.py).
    names = JSONB(default={})
    position = Integer(default=0)
    is_default = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Stage(Table, tablename="pipeline_stages"):
    """One column of a pipeline: ordered by ``position``, with a win probability (0-100) and a kind."""

    id = BigSerial(primary_key=True)
    # A pipeline is never deleted while deals use it (deals restrict), so its stages may follow it.
    pipeline: ForeignKey = ForeignKey(
        Pipeline, on_delete=OnDelete.cascade, null=False, db_column_name="pipeline_id"
    )
    name = Varchar(length=100)
    names = JSONB(default={})
    position = Integer(default=0)
    probability = Integer(default=0)
    # open, won or lost: moving a deal into a won/lost stage closes it.
    kind = Varchar(length=8, default="open")
    created_at = Timestamptz()


PIPELINE_DDL = (
    'CREATE INDEX IF NOT EXISTS pipeline_stages_order ON "pipeline_stages" ("pipeline_id", "position", "id")',
)
