"""Placeholder on the `tasks` branch only: step 6 belongs to another helper's branch (steps must run without
gaps). The lead deletes this file when merging; it does nothing.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=6, name="reserved_6", statements=())
