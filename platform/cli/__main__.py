"""``python -m sampark.platform.cli``: the same as the ``sampark`` script."""

import sys

from sampark.platform.cli.main import main

sys.exit(main())
