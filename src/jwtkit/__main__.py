"""``python -m jwtkit``: the same as the ``jwtkit`` command."""

import sys

from jwtkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
