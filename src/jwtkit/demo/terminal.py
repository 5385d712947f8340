"""Terminal output: numbered headings, one line per party's step, wrapped notes."""

from __future__ import annotations

import shutil
import textwrap
import threading
from collections.abc import Callable

from jwtkit.demo.serving import Narrate

# Width of the party column ("client", "issuer", "api", "attacker").
PARTY_WIDTH = 9
INDENT = "  "
# The widest value column of a table; a longer value gets a line of its own.
MAX_VALUE_WIDTH = 28


def shorten(text: str, keep: int = 16) -> str:
    """Cut a long value (a token, a kid) to its first ``keep`` characters and '...'."""
    return text if len(text) <= keep + 3 else text[:keep] + "..."


class Terminal:
    """Formats and prints the demo's lines, wrapped to the terminal's width.

    The issuer and the API print from their server threads, so a lock keeps
    each wrapped line whole.
    """

    def __init__(self, write: Callable[[str], None] = print, width: int | None = None) -> None:
        self.write = write
        if width is None:
            width = shutil.get_terminal_size((100, 24)).columns
        self.width = max(60, min(width, 100))
        self._lock = threading.Lock()

    def _emit(self, text: str) -> None:
        with self._lock:
            self.write(text)

    def title(self, text: str) -> None:
        """Print the demo's title, underlined."""
        self._emit(f"{text}\n{'=' * len(text)}")

    def heading(self, text: str) -> None:
        """Print a section heading after a blank line."""
        self._emit(f"\n{text}")

    def blank(self) -> None:
        """Print an empty line."""
        self._emit("")

    def step(self, party: str, text: str) -> None:
        """Print what ``party`` does, wrapped under its own column."""
        prefix = f"{INDENT}{party:<{PARTY_WIDTH}}"
        self._emit(
            textwrap.fill(
                text,
                self.width,
                initial_indent=prefix,
                subsequent_indent=" " * len(prefix),
                break_long_words=True,
                break_on_hyphens=False,
            )
        )

    def narrator(self, party: str) -> Narrate:
        """Return a function that prints the steps of ``party``."""
        return lambda text: self.step(party, text)

    def note(self, text: str, indent: int = 1) -> None:
        """Print an explanation, wrapped and indented by ``indent`` levels."""
        prefix = INDENT * indent
        self._emit(textwrap.fill(text, self.width, initial_indent=prefix, subsequent_indent=prefix))

    def rows(self, rows: list[tuple[str, str, str]], indent: int = 2) -> None:
        """Print a table of (name, value, meaning), the meaning wrapped in its column."""
        if not rows:
            return
        name_width = max(len(name) for name, _, _ in rows) + 2
        value_width = min(max(len(value) for _, value, _ in rows), MAX_VALUE_WIDTH) + 2
        prefix = INDENT * indent
        for name, value, meaning in rows:
            if len(value) <= MAX_VALUE_WIDTH:
                start = f"{prefix}{name:<{name_width}}{value:<{value_width}}"
            else:
                # A value too long for its column gets a line of its own.
                self._emit(f"{prefix}{name:<{name_width}}{value}")
                start = " " * (len(prefix) + name_width + value_width)
            self._emit(
                textwrap.fill(
                    meaning or "-",
                    self.width,
                    initial_indent=start,
                    subsequent_indent=" " * len(start),
                )
            )
