"""A placeholder keeping tenant steps contiguous while another branch owns step 11 (dropped at merge)."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=11, name="reserved_11", statements=())
