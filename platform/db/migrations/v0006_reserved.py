"""Placeholder on the `operators` branch only: platform step 6 belongs to another helper's branch (steps must run
without gaps). The lead deletes this file when merging; it does nothing.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=6, name="reserved_6", statements=())
