"""Run the two-party demo: ``python -m jwtkit.demo``."""

from __future__ import annotations

import sys

from jwtkit.demo.scenario import run
from jwtkit.demo.serving import DemoError
from jwtkit.demo.terminal import Terminal


def main() -> int:
    """Run the demo and return its exit status: 0 on success, 1 on failure."""
    try:
        return run(Terminal())
    except DemoError as exc:
        print(f"jwtkit demo: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
