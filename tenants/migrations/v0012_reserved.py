"""Placeholder for the step number another branch owns (tenant steps need versions without gaps).

Delete this file when merging the branch that brings the real step 12.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=12, name="reserved_12", statements=())
