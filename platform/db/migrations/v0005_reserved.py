"""Placeholder for the platform step number another branch owns (versions must have no gaps).

Delete this file when merging the branch that brings the real step 5.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=5, name="reserved_5", statements=())
