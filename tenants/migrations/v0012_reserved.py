"""A placeholder keeping tenant steps contiguous while another branch owns step 12 (dropped at merge)."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(version=12, name="reserved_12", statements=())
