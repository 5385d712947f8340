"""Signatures are judged only by constant-time primitives (RFC 8725 §3.x, design rule 9).

A MAC compared with ``==`` leaks, through timing, how many leading bytes of
a forgery are right. jwtkit compares MACs with ``hmac.compare_digest`` and
leaves every asymmetric verdict to the ``cryptography`` verify call. These
tests spy on both, with spies that delegate to the real function, and check
that each verification makes exactly one such call and that its result is
the verdict. Timing itself is not measured: it depends on the machine.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed448

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import hmac_token, sign, signing_input, with_signature
from tests.security.spies import spy_public_key

SECRET = b"a shared secret of at least 64 bytes, long enough for HS512 as well!"
CLAIMS = {"sub": "alice"}
HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"]


class CompareDigestSpy:
    """Records each ``hmac.compare_digest`` call and returns the real result, or a forced one."""

    def __init__(self, real: Callable[[Any, Any], bool]) -> None:
        self.real = real
        self.calls: list[tuple[bytes, bytes]] = []
        self.forced: bool | None = None

    def __call__(self, a: Any, b: Any) -> bool:
        self.calls.append((bytes(a), bytes(b)))
        result = self.real(a, b)
        return result if self.forced is None else self.forced


@pytest.fixture
def compare_digest(monkeypatch: pytest.MonkeyPatch) -> Iterator[CompareDigestSpy]:
    spy = CompareDigestSpy(hmac.compare_digest)
    monkeypatch.setattr(hmac, "compare_digest", spy)
    yield spy


def _signature(token: str) -> bytes:
    return jwtkit.decode_unverified(token).signature


def _tampered(signature: bytes) -> dict[str, bytes]:
    return {
        "first byte flipped": bytes([signature[0] ^ 1]) + signature[1:],
        "last byte flipped": signature[:-1] + bytes([signature[-1] ^ 0x80]),
        "truncated": signature[:-1],
        "empty": b"",
        "zeros": bytes(len(signature)),
    }


def _verify_json(token: str, key: Any, algorithms: list[str]) -> Any:
    header_part, payload_part, signature_part = token.split(".")
    document = {"payload": payload_part, "protected": header_part, "signature": signature_part}
    return jwtkit.jws.verify_json(document, key, algorithms=algorithms)


@pytest.fixture(params=["entry point", "jws.verify_json"])
def any_verify(request: pytest.FixtureRequest, verify: Verify) -> Verify:
    """Every compact entry point, and the JSON serialization."""
    return verify if request.param == "entry point" else _verify_json


@pytest.mark.parametrize("alg", HMAC_ALGORITHMS)
def test_genuine_mac_compared_once(
    any_verify: Verify, compare_digest: CompareDigestSpy, alg: str
) -> None:
    token = hmac_token(SECRET, {"alg": alg}, CLAIMS, alg)

    assert any_verify(token, SECRET, [alg])

    signature = _signature(token)
    assert compare_digest.calls == [(signature, signature)]


@pytest.mark.parametrize("alg", HMAC_ALGORITHMS)
def test_forged_mac_compared_once(
    any_verify: Verify, compare_digest: CompareDigestSpy, alg: str
) -> None:
    token = hmac_token(SECRET, {"alg": alg}, CLAIMS, alg)
    genuine = _signature(token)

    for name, forged in _tampered(genuine).items():
        compare_digest.calls.clear()
        with pytest.raises(errors.InvalidSignatureError):
            any_verify(with_signature(token, forged), SECRET, [alg])

        # Even a MAC of the wrong length goes through compare_digest, so no
        # early return on length sits in front of it.
        assert compare_digest.calls == [(genuine, forged)], name


@pytest.mark.parametrize("forced", [True, False])
def test_compare_digest_is_the_verdict(
    any_verify: Verify, compare_digest: CompareDigestSpy, forced: bool
) -> None:
    # With the comparison's result forced, the outcome follows it in both
    # directions, so nothing else (such as '==') decides.
    genuine = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    forged = with_signature(genuine, bytes(32))
    compare_digest.forced = forced

    token = forged if forced else genuine
    if forced:
        assert any_verify(token, SECRET, ["HS256"])
    else:
        with pytest.raises(errors.InvalidSignatureError):
            any_verify(token, SECRET, ["HS256"])


ASYMMETRIC_CASES = [
    "RS256",
    "PS256",
    "ES256",
    "ES384",
    "ES512",
    "ES256K",
    "EdDSA",
    "EdDSA with Ed448",
]


@pytest.fixture(scope="module")
def private_keys(
    asymmetric_private_keys: dict[str, Any], ec_private_keys: dict[str, Any]
) -> dict[str, Any]:
    """The signing key for each case of ASYMMETRIC_CASES."""
    return {
        **asymmetric_private_keys,
        "ES384": ec_private_keys["ES384"],
        "ES256K": ec_private_keys["ES256K"],
        "EdDSA with Ed448": ed448.Ed448PrivateKey.generate(),
    }


@pytest.mark.parametrize("case", ASYMMETRIC_CASES)
def test_asymmetric_verdict_from_backend(
    any_verify: Verify, private_keys: dict[str, Any], case: str
) -> None:
    alg = case.split()[0]
    private_key = private_keys[case]
    token = sign(private_key, alg, {"alg": alg}, CLAIMS)
    spy = spy_public_key(private_key.public_key())
    key = jwtkit.Key.from_cryptography(spy)

    assert any_verify(token, key, [alg])
    assert len(spy.calls) == 1
    assert spy.calls[0][1] == signing_input(token)

    # A forgery of the right length reaches the backend, which rejects it.
    genuine = _signature(token)
    spy.calls.clear()
    with pytest.raises(errors.InvalidSignatureError):
        any_verify(with_signature(token, genuine[:-1] + bytes([genuine[-1] ^ 1])), key, [alg])
    assert len(spy.calls) == 1
