"""Reserved: another branch adds this step; the lead renumbers at merge. Empty so the steps stay contiguous."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=17, name="reserved", statements=())
