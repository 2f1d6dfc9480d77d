"""``python -m schulerfolg``: the build's command line (``schulerfolg.adapters.cli``)."""

import sys

from schulerfolg.adapters.cli import main

sys.exit(main())
