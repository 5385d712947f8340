"""Collect the outcome of every interoperability check and write tests/interop/results.json.

The file has the peers' versions and one list per section: ``matrix`` (the
algorithm cells), ``claims`` (exp, nbf and aud honoured across
implementations), ``key_sets`` (JWK Sets and kid selection) and
``rejections`` (peer tokens jwtkit rejects on purpose). It is rewritten only
when a run produced every entry of every section, so a partial run (one
peer, ``-k``, a skipped Node peer) never replaces a complete file with a
fragment. docs/conformance.md is rendered from this file.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

RESULTS_PATH = Path(__file__).resolve().parent / "results.json"

PASS = "pass"
FAIL = "fail"
UNSUPPORTED = "unsupported by peer"
REJECTED = "rejected by jwtkit"
# A peer that rejects the weak key itself and makes no token, as jwtkit would.
PEER_REJECTS_TOO = "rejected by peer too"


# NumericDates and ISO 8601 times in error messages change on every run.
_TIMES = re.compile(r"\b\d{9,}(\.\d+)?\b|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?")


def stable_detail(text: str) -> str:
    """Replace the times in a message with ``<time>``, so that reruns write the same file."""
    return _TIMES.sub("<time>", text)


@dataclass(frozen=True)
class MatrixEntry:
    """One cell: an algorithm, a direction, a peer and a key form, with its outcome."""

    alg: str
    direction: str
    peer: str
    key_form: str
    status: str
    detail: str


@dataclass(frozen=True)
class ClaimsEntry:
    """One claims-validation check across implementations."""

    check: str
    direction: str
    peer: str
    status: str
    detail: str


@dataclass(frozen=True)
class KeySetEntry:
    """One JWK Set exchange: a set exported by one side, keys selected by kid on the other."""

    direction: str
    peer: str
    status: str
    detail: str


@dataclass(frozen=True)
class RejectionEntry:
    """A token a peer produces that jwtkit rejects on purpose, and why."""

    case: str
    peer: str
    status: str
    detail: str


Entry = MatrixEntry | ClaimsEntry | KeySetEntry | RejectionEntry


class ResultsRecorder:
    """Gathers entries during a test run and writes them once the run is complete."""

    def __init__(self, expected: dict[str, int], order: list[str]) -> None:
        # The number of entries each section needs before the file is written.
        self.expected = expected
        # Algorithm labels, directions, peer names and the like in the order
        # the file lists them, so that reruns produce the same file.
        self.order = {name: position for position, name in enumerate(order)}
        self.peers: dict[str, str] = {}
        # The runtimes and the crypto library under the peers, which decide
        # some outcomes (WebCrypto's curves in Node, OpenSSL's through cryptography).
        self.runtimes: dict[str, str] = {}
        self.sections: dict[str, dict[tuple[Any, ...], Entry]] = {name: {} for name in expected}

    def record(self, section: str, entry: Entry) -> None:
        fields = asdict(entry)
        del fields["status"], fields["detail"]
        stable = replace(entry, detail=stable_detail(entry.detail))
        self.sections[section][tuple(fields.values())] = stable

    def is_complete(self) -> bool:
        return all(len(self.sections[name]) == count for name, count in self.expected.items())

    def write(self, path: Path = RESULTS_PATH) -> None:
        document: dict[str, Any] = {
            "peers": dict(sorted(self.peers.items())),
            "runtimes": dict(sorted(self.runtimes.items())),
        }
        for name, entries in self.sections.items():
            ranked = sorted(entries.items(), key=lambda item: self._rank(item[0]))
            document[name] = [asdict(entry) for _, entry in ranked]
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")

    def _rank(self, identity: tuple[Any, ...]) -> tuple[int, ...]:
        return tuple(self.order.get(value, len(self.order)) for value in identity)
