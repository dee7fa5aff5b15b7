"""`python -m examdesk` runs the same entry point as the `examdesk` command."""

import sys

from examdesk.cli import main

sys.exit(main())
