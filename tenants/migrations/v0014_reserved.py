"""Reserved: a placeholder for a step another branch adds in parallel (the lead drops it at merge)."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=14, name="reserved", statements=())
