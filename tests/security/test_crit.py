"""``crit`` lists only extensions jwtkit processes, and only in its one valid form.

RFC 7515 §4.1.11: ``crit`` is a non-empty array of header parameter names
that the recipient must understand; a recipient that does not process one of
them must reject the token. The names must not be parameters RFC 7515 or
RFC 7518 define, and each must be present in the header. jwtkit processes only
``b64`` (RFC 7797), which in turn must be listed in ``crit`` (RFC 7797 §6).
Each token here has a valid MAC, so only the header rules can reject it.
"""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from jwtkit.jws.header import REGISTERED_HEADER_PARAMETERS
from tests.security.conftest import Verify
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
CLAIMS = {"sub": "alice"}


def _rejected(verify: Verify, header: dict[str, Any]) -> errors.CriticalHeaderError:
    token = hmac_token(SECRET, header, CLAIMS)
    with pytest.raises(errors.CriticalHeaderError) as excinfo:
        verify(token, SECRET, ["HS256"])
    assert excinfo.value.code == "unsupported_critical_header"
    return excinfo.value


@pytest.mark.parametrize(
    "names",
    [
        ["exp"],
        ["http://example.com/ext"],
        ["urn:example:policy"],
        ["B64"],
        ["b64", "exp"],
        ["exp", "b64"],
        ["b64 "],
    ],
)
def test_unknown_extension_rejected(verify: Verify, names: list[str]) -> None:
    header: dict[str, Any] = {"alg": "HS256", "crit": names}
    for name in names:
        header[name] = True

    error = _rejected(verify, header)

    assert "which jwtkit does not process" in error.message


def test_b64_listed_but_absent_rejected(verify: Verify) -> None:
    error = _rejected(verify, {"alg": "HS256", "crit": ["b64"]})

    assert "the header has no 'b64' parameter" in error.message


# Well-typed values for the registered parameters that are not strings, so
# that only the crit rule can reject the header.
REGISTERED_VALUES: dict[str, Any] = {
    "jwk": {"kty": "oct", "k": "c2VjcmV0"},
    "x5c": ["MAMCAQE="],
    "epk": {"kty": "EC", "crv": "P-256"},
    "p2c": 1000,
}


@pytest.mark.parametrize("name", sorted(REGISTERED_HEADER_PARAMETERS))
def test_registered_name_rejected(verify: Verify, name: str) -> None:
    header: dict[str, Any] = {"alg": "HS256", "crit": [name]}
    header.setdefault(name, REGISTERED_VALUES.get(name, "value"))

    error = _rejected(verify, header)

    assert "only extensions may be listed there" in error.message
    assert repr(name) in error.message


def test_empty_crit_rejected(verify: Verify) -> None:
    error = _rejected(verify, {"alg": "HS256", "crit": []})

    assert "non-empty array" in error.message


@pytest.mark.parametrize(
    "crit",
    ["b64", {"b64": True}, 1, True, False, None, ""],
    ids=["string", "object", "number", "true", "false", "null", "empty string"],
)
def test_crit_not_array_rejected(verify: Verify, crit: Any) -> None:
    # null included: a crit member that is present must be an array, even an
    # "empty-looking" one.
    error = _rejected(verify, {"alg": "HS256", "crit": crit})

    assert "must be a non-empty array" in error.message


@pytest.mark.parametrize("crit", [[1], [None], [["b64"]], [{"b64": True}], ["b64", 1]])
def test_crit_member_not_string_rejected(verify: Verify, crit: list[Any]) -> None:
    error = _rejected(verify, {"alg": "HS256", "crit": crit, "b64": True})

    assert "which is not a string" in error.message


def test_crit_duplicate_name_rejected(verify: Verify) -> None:
    error = _rejected(verify, {"alg": "HS256", "crit": ["b64", "b64"], "b64": True})

    assert "twice" in error.message


@pytest.mark.parametrize("b64_value", [True, False])
def test_b64_without_crit_rejected(verify: Verify, b64_value: bool) -> None:
    # RFC 7797 §6: b64 outside crit would let two recipients read the payload differently.
    error = _rejected(verify, {"alg": "HS256", "b64": b64_value})

    assert "does not list it in 'crit'" in error.message


def test_crit_rejected_before_signature(verify: Verify) -> None:
    # An unknown critical extension fails even with a wrong MAC and a wrong key:
    # the header rules run before any key is chosen.
    token = hmac_token(
        b"another secret, also 32 bytes long!", {"alg": "HS256", "crit": ["x"], "x": 1}, CLAIMS
    )

    with pytest.raises(errors.CriticalHeaderError):
        verify(token, SECRET, ["HS256"])


def test_understood_b64_accepted(verify: Verify) -> None:
    # The positive controls: b64 listed in crit, true (encoded) or false (RFC 7797).
    encoded = hmac_token(SECRET, {"alg": "HS256", "crit": ["b64"], "b64": True}, CLAIMS)
    assert verify(encoded, SECRET, ["HS256"])

    unencoded = jwtkit.jws.sign_compact(b"price: $2", SECRET, "HS256", {"b64": False})
    verified = jwtkit.jws.verify_compact(unencoded, SECRET, algorithms=["HS256"])
    assert verified.payload == b"price: $2"


def test_crit_in_unprotected_json_header_rejected() -> None:
    # In the JSON serialization crit must be protected (RFC 7515 §4.1.11).
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    header_part, payload_part, signature_part = token.split(".")
    document = {
        "payload": payload_part,
        "protected": header_part,
        "header": {"crit": ["x"], "x": 1},
        "signature": signature_part,
    }

    with pytest.raises(errors.CriticalHeaderError) as excinfo:
        jwtkit.jws.verify_json(document, SECRET, algorithms=["HS256"])

    assert "unprotected header" in excinfo.value.message


@pytest.mark.parametrize("crit", [None, [], ["x"], "b64"])
def test_crit_rejected_in_jws_json(crit: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "crit": crit, "x": 1}, CLAIMS)
    header_part, payload_part, signature_part = token.split(".")
    document = {"payload": payload_part, "protected": header_part, "signature": signature_part}

    with pytest.raises(errors.CriticalHeaderError):
        jwtkit.jws.verify_json(document, SECRET, algorithms=["HS256"])
