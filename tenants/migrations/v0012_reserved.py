"""Reserved for a step of a branch merged in parallel; the lead drops this placeholder at merge."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=12, name="reserved", statements=())
