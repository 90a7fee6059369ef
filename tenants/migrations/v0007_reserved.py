"""Placeholder for the step number another branch owns (tenant steps need versions without gaps).

Delete this file when merging the branch that brings the real step 7.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=7, name="reserved_7", statements=())
