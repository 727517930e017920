"""`python -m poseanim` runs the CLI."""

import sys

from poseanim.cli import main

sys.exit(main())
