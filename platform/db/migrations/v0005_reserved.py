"""Placeholder on the `operators` branch only: platform step 5 belongs to another helper's branch (steps must run
without gaps). The lead deletes this file when merging; it does nothing.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=5, name="reserved_5", statements=())
