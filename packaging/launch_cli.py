"""Entry point of the frozen command line (``archive-browser-cli`` beside the window's executable)."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
