"""Placeholder on the `tasks` branch only: step 7 belongs to another helper's branch (steps must run without
gaps). The lead deletes this file when merging; it does nothing.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=7, name="reserved_7", statements=())
