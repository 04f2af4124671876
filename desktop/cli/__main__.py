"""``python -m desktop.cli``: the command line."""

from __future__ import annotations

import sys

from desktop.cli import main

sys.exit(main())
