"""``python3 -m oobsim``: the oobsim command (oobsim.cli)."""

import sys

from .cli import main

sys.exit(main())
