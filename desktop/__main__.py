"""``python -m desktop`` starts the window."""

import sys

from desktop.app import main

if __name__ == "__main__":  # a spawned child (the index writer) imports this module too, and must not start the app
    sys.exit(main())
