"""``Finding`` and ``Severity``: what ``lint_token`` reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from jwtkit.errors import UsageError


class Severity(Enum):
    """The urgency of a finding.

    ``HIGH``: anyone can forge tokens, or secrets leak, now. ``MEDIUM``: a
    defence that RFC 8725 recommends is missing. ``LOW``: hygiene that limits
    the damage when something else goes wrong.
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """The severity's position from 1 (low) to 3 (high), for sorting and thresholds."""
        return _RANKS[self]

    @classmethod
    def parse(cls, name: str) -> Severity:
        """Return the severity named ``name`` ("low", "medium" or "high", any case)."""
        try:
            return cls(name.lower())
        except ValueError:
            raise UsageError(f"severity {name!r} is not one of: low, medium, high") from None


_RANKS = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


@dataclass(frozen=True)
class Finding:
    """One weakness found in a token or its key.

    ``code`` is a stable identifier such as ``"alg-none"``; ``location`` names
    where the finding sits (``"header.kid"``, ``"claims.email"``, ``"key"``).
    """

    severity: Severity
    code: str
    message: str
    fix: str
    location: str

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict."""
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
            "location": self.location,
        }
