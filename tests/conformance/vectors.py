"""Small loaders for the public conformance vectors: one object per test case.

The loaders run when pytest collects the tests, so they read from the fixed
vectors folder rather than from the ``vectors_dir`` fixture. When that folder
is absent they return one placeholder parameter, and the test's ``vectors_dir``
fixture then skips it (or fails it under CI). A folder that is present but
lacks a file is a broken checkout, and loading raises.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.conftest import VECTORS_DIR

WYCHEPROOF_DIR = VECTORS_DIR / "wycheproof" / "testvectors_v1"
COOKBOOK_DIR = VECTORS_DIR / "jose-cookbook"
LATCHSET_DIR = VECTORS_DIR / "latchset-jose" / "tests" / "vectors"
ERLANG_DIR = VECTORS_DIR / "erlang-jose" / "test" / "jose_SUITE_data"
JOSERFC_DIR = VECTORS_DIR / "joserfc" / "tests" / "keys"

# Latchset file extensions whose content is JSON; the others are plain text
# (compact tokens, thumbprints) or raw bytes (payloads).
_LATCHSET_JSON = frozenset({"jwk", "jwkset", "jwsf", "jwsg", "jwef", "jweg", "pwd"})
_LATCHSET_BYTES = frozenset({"pt", "payl"})

Case = TypeVar("Case")


def available() -> bool:
    """Tell whether the vectors folder is present beside the checkout."""
    return VECTORS_DIR.is_dir()


def parametrize(cases: Iterable[Case], case_id: Callable[[Case], str], width: int = 1) -> list[Any]:
    """Turn cases into pytest parameters, or one placeholder when the vectors are absent.

    With ``width`` above 1, each case is a tuple that fills that many argument
    names of ``pytest.mark.parametrize``.
    """
    if not available():
        return [pytest.param(*[None] * width, id="vectors-missing")]
    if width == 1:
        return [pytest.param(case, id=case_id(case)) for case in cases]
    return [pytest.param(*case, id=case_id(case)) for case in cases]  # type: ignore[misc]


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def b64url_decode_stdlib(text: str) -> bytes:
    """Decode base64url with the standard library, independently of jwtkit's decoder."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -- Wycheproof ---------------------------------------------------------------


@dataclass(frozen=True)
class WycheproofTest:
    """One Wycheproof test with its group's keys.

    ``token`` is the ``jws`` member as stored: compact text, or a JSON object
    for some JSON-serialization cases. ``private`` and ``public`` are a JWK or
    a JWK Set, as the group gives them.
    """

    file: str
    tc_id: int
    comment: str
    result: str
    flags: tuple[str, ...]
    group: str
    private: Any
    public: Any
    token: Any

    @property
    def id(self) -> str:
        return f"tcId{self.tc_id}-{self.comment}"

    @property
    def verification_key(self) -> Any:
        """The key the test verifies with: the public one when the group has it."""
        return self.public if self.public is not None else self.private


def wycheproof_tests(file_name: str, member: str = "jws") -> list[WycheproofTest]:
    """Load the tests of one Wycheproof file that carry ``member`` (``jws`` or ``jwe``)."""
    if not available():
        return []
    data = load_json(WYCHEPROOF_DIR / file_name)
    tests = []
    for group in data["testGroups"]:
        for test in group["tests"]:
            if member not in test:
                continue
            tests.append(
                WycheproofTest(
                    file=file_name,
                    tc_id=test["tcId"],
                    comment=test["comment"],
                    result=test["result"],
                    flags=tuple(test["flags"]),
                    group=group["comment"],
                    private=group["private"],
                    public=group.get("public"),
                    token=test[member],
                )
            )
    return tests


def wycheproof_test(file_name: str, tc_id: int) -> WycheproofTest:
    """Return one Wycheproof JWS test by its tcId."""
    for test in wycheproof_tests(file_name):
        if test.tc_id == tc_id:
            return test
    raise LookupError(f"{file_name} has no JWS test with tcId {tc_id}")


# -- JOSE Cookbook (RFC 7520, plus RFC 7797 and RFC 8037 examples) -------------


@dataclass(frozen=True)
class CookbookExample:
    """One JSON file of the JOSE Cookbook: ``input``, ``signing`` and ``output``."""

    name: str
    data: dict[str, Any]

    @property
    def payload(self) -> bytes:
        text: str = self.data["input"]["payload"]
        return text.encode("utf-8")

    @property
    def signing(self) -> list[dict[str, Any]]:
        """The signing steps, one per signature."""
        signing = self.data["signing"]
        return signing if isinstance(signing, list) else [signing]

    @property
    def keys(self) -> list[dict[str, Any]]:
        key = self.data["input"]["key"]
        return key if isinstance(key, list) else [key]

    @property
    def algorithms(self) -> list[str]:
        alg = self.data["input"]["alg"]
        return alg if isinstance(alg, list) else [alg]


def cookbook_examples(folder: str) -> list[CookbookExample]:
    """Load every example in one cookbook folder (``jws``, ``jwk``, ``rfc7797``, ...)."""
    if not available():
        return []
    paths = sorted((COOKBOOK_DIR / folder).glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no cookbook examples in {COOKBOOK_DIR / folder}")
    return [CookbookExample(path.stem, load_json(path)) for path in paths]


def cookbook_example(relative_path: str) -> CookbookExample:
    path = COOKBOOK_DIR / relative_path
    return CookbookExample(path.stem, load_json(path))


# -- latchset/jose: one artifact per file ----------------------------------------


def latchset_vectors(prefix: str) -> dict[str, dict[str, Any]]:
    """Group the latchset files whose names start with ``prefix`` by stem.

    ``latchset_vectors("rfc7520_4")["rfc7520_4.1"]`` contains ``{"jwk": {...},
    "jwsc": "...", "jwsf": {...}, "jwsg": {...}}``. JSON files are parsed,
    payloads are bytes, and everything else is text without surrounding
    whitespace.
    """
    if not available():
        return {}
    grouped: dict[str, dict[str, Any]] = {}
    for path in sorted(LATCHSET_DIR.glob(f"{prefix}*")):
        stem, _, extension = path.name.rpartition(".")
        if extension in _LATCHSET_JSON:
            content: Any = load_json(path)
        elif extension in _LATCHSET_BYTES:
            content = path.read_bytes()
        else:
            content = path.read_text(encoding="utf-8").strip()
        grouped.setdefault(stem, {})[extension] = content
    if not grouped:
        raise FileNotFoundError(f"no latchset vectors named {prefix}* in {LATCHSET_DIR}")
    return grouped


# -- JWK files from every source -------------------------------------------------


@dataclass(frozen=True)
class JWKVector:
    """One JWK from a vector file; ``member`` locates it inside a JWK Set."""

    source: str
    member: int | None
    jwk: dict[str, Any]

    @property
    def id(self) -> str:
        return self.source if self.member is None else f"{self.source}[{self.member}]"


def jwk_vectors() -> list[JWKVector]:
    """Load every JWK and JWK Set member in the vectors folder, JWE keys included."""
    if not available():
        return []
    paths = [
        *sorted(LATCHSET_DIR.glob("*.jwk")),
        *sorted(LATCHSET_DIR.glob("*.jwkset")),
        *sorted(ERLANG_DIR.glob("**/*.jwk+json")),
        *sorted(JOSERFC_DIR.glob("*.json")),
        *sorted((COOKBOOK_DIR / "jwk").glob("*.json")),
    ]
    vectors: list[JWKVector] = []
    for path in paths:
        source = str(path.relative_to(VECTORS_DIR))
        data = load_json(path)
        if "keys" in data:
            vectors.extend(JWKVector(source, index, jwk) for index, jwk in enumerate(data["keys"]))
        else:
            vectors.append(JWKVector(source, None, data))
    return vectors
