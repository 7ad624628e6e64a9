"""Allow ``python -m imageaudit``."""

import sys

from imageaudit.cli import main

sys.exit(main())
