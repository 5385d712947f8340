"""KeySet: importing a JWK Set and selecting the one key that may verify a token."""

from __future__ import annotations

import json
from typing import Any

import pytest

import jwtkit
from jwtkit import Key, KeySet
from jwtkit.errors import InvalidKeyError, KeyMismatchError, KeyNotFoundError, WeakKeyError
from jwtkit.jwa import SIGNATURE_ALGORITHMS

from .conftest import KeyFactory

ES256 = SIGNATURE_ALGORITHMS["ES256"]
ES384 = SIGNATURE_ALGORITHMS["ES384"]
RS256 = SIGNATURE_ALGORITHMS["RS256"]
PS256 = SIGNATURE_ALGORITHMS["PS256"]
HS256 = SIGNATURE_ALGORITHMS["HS256"]
EDDSA = SIGNATURE_ALGORITHMS["EdDSA"]


def public_with(key: Key, **params: Any) -> Key:
    return Key.from_jwk({**key.public_key().to_jwk(), **params})


@pytest.fixture(scope="module")
def p256() -> Key:
    return Key.generate("EC", curve="P-256")


@pytest.fixture(scope="module")
def p256_other() -> Key:
    return Key.generate("EC", curve="P-256")


@pytest.fixture(scope="module")
def p384() -> Key:
    return Key.generate("EC", curve="P-384")


@pytest.fixture(scope="module")
def rsa_key(keys: KeyFactory) -> Key:
    return keys.get("RSA", size=2048)


@pytest.fixture(scope="module")
def ed25519_key() -> Key:
    return Key.generate("OKP", curve="Ed25519")


# -- selection by kid ---------------------------------------------------------------


def test_kid_selects_key(p256: Key, p256_other: Key) -> None:
    first = public_with(p256, kid="a")
    second = public_with(p256_other, kid="b")
    key_set = KeySet([first, second])

    assert key_set.find_key("a", ES256) is first
    assert key_set.find_key("b", ES256) is second


def test_unknown_kid_not_found(p256: Key) -> None:
    key_set = KeySet([public_with(p256, kid="a")])

    with pytest.raises(KeyNotFoundError) as caught:
        key_set.find_key("zzz", ES256)

    assert caught.value.code == "key_not_found"
    assert str(caught.value) == "no key in the key set has kid 'zzz'; the set has kids ['a']"


def test_kid_never_falls_back_to_other_keys(p256: Key) -> None:
    # A token with an unknown kid must not be tried against keys without a kid.
    key_set = KeySet([public_with(p256)])

    with pytest.raises(KeyNotFoundError):
        key_set.find_key("a", ES256)


def test_kid_of_wrong_family_is_mismatch(rsa_key: Key, p256: Key) -> None:
    key_set = KeySet([public_with(rsa_key, kid="r"), public_with(p256, kid="e")])

    with pytest.raises(KeyMismatchError) as caught:
        key_set.find_key("r", ES256)

    assert caught.value.code == "key_mismatch"
    assert "alg 'ES256' needs an EC key, but the key is an RSA key" in str(caught.value)


def test_kid_of_wrong_curve_is_mismatch(p384: Key) -> None:
    key_set = KeySet([public_with(p384, kid="e")])

    with pytest.raises(KeyMismatchError) as caught:
        key_set.find_key("e", ES256)

    assert "needs an EC key on P-256, but the key's curve is P-384" in str(caught.value)


def test_kid_with_jwk_alg_mismatch(rsa_key: Key) -> None:
    key_set = KeySet([public_with(rsa_key, kid="r", alg="RS256")])

    with pytest.raises(KeyMismatchError) as caught:
        key_set.find_key("r", PS256)

    assert "the key's JWK 'alg' is 'RS256', so it cannot be used for alg 'PS256'" in str(
        caught.value
    )


def test_duplicate_kid_is_ambiguous(p256: Key, p256_other: Key) -> None:
    key_set = KeySet([public_with(p256, kid="same"), public_with(p256_other, kid="same")])

    with pytest.raises(KeyNotFoundError) as caught:
        key_set.find_key("same", ES256)

    assert str(caught.value) == (
        "2 keys in the key set have kid 'same' and fit alg 'ES256'; kid values must be "
        "unique, so none is chosen"
    )


def test_duplicate_kid_resolved_by_alg(rsa_key: Key, p256: Key) -> None:
    # The same kid on keys of different families: only one can serve the alg.
    rsa_public = public_with(rsa_key, kid="same")
    ec_public = public_with(p256, kid="same")
    key_set = KeySet([rsa_public, ec_public])

    assert key_set.find_key("same", RS256) is rsa_public
    assert key_set.find_key("same", ES256) is ec_public


def test_get_by_kid(p256: Key, p256_other: Key) -> None:
    first = public_with(p256, kid="a")
    key_set = KeySet([first, public_with(p256_other, kid="b")])

    assert key_set.get("a") is first
    assert key_set.get("c") is None


def test_get_duplicate_kid_rejected(p256: Key, p256_other: Key) -> None:
    key_set = KeySet([public_with(p256, kid="a"), public_with(p256_other, kid="a")])

    with pytest.raises(InvalidKeyError) as caught:
        key_set.get("a")

    assert str(caught.value) == "the key set has 2 keys with kid 'a'"


# -- selection without kid ------------------------------------------------------------


def test_no_kid_selects_by_family(rsa_key: Key, p256: Key, ed25519_key: Key) -> None:
    rsa_public = public_with(rsa_key)
    ec_public = public_with(p256)
    ed_public = public_with(ed25519_key)
    key_set = KeySet([rsa_public, ec_public, ed_public])

    assert key_set.find_key(None, RS256) is rsa_public
    assert key_set.find_key(None, ES256) is ec_public
    assert key_set.find_key(None, EDDSA) is ed_public


def test_no_kid_selects_by_curve(p256: Key, p384: Key) -> None:
    small = public_with(p256)
    large = public_with(p384)
    key_set = KeySet([small, large])

    assert key_set.find_key(None, ES256) is small
    assert key_set.find_key(None, ES384) is large


def test_no_kid_selects_by_jwk_alg(rsa_key: Key) -> None:
    other = Key.generate("RSA")
    for_rs = public_with(rsa_key, alg="RS256")
    for_ps = public_with(other, alg="PS256")
    key_set = KeySet([for_rs, for_ps])

    assert key_set.find_key(None, RS256) is for_rs
    assert key_set.find_key(None, PS256) is for_ps


def test_no_kid_selects_by_use(p256: Key, p256_other: Key) -> None:
    for_signatures = public_with(p256, use="sig")
    key_set = KeySet([for_signatures, public_with(p256_other, use="enc")])

    assert key_set.find_key(None, ES256) is for_signatures


def test_no_kid_selects_by_key_ops(p256: Key, p256_other: Key) -> None:
    verifier = public_with(p256, key_ops=["verify"])
    key_set = KeySet([verifier, public_with(p256_other, key_ops=["deriveBits"])])

    assert key_set.find_key(None, ES256) is verifier


def test_no_kid_several_candidates_rejected(p256: Key, p256_other: Key) -> None:
    key_set = KeySet([public_with(p256), public_with(p256_other)])

    with pytest.raises(KeyNotFoundError) as caught:
        key_set.find_key(None, ES256)

    assert str(caught.value) == (
        "the token has no kid and 2 keys in the key set can verify alg 'ES256'; give tokens a "
        "kid or pass the single key to use"
    )


def test_no_kid_no_candidate(p256: Key) -> None:
    key_set = KeySet([public_with(p256)])

    with pytest.raises(KeyNotFoundError) as caught:
        key_set.find_key(None, RS256)

    assert str(caught.value) == (
        "the token has no kid, and no key in the key set can verify alg 'RS256'"
    )


def test_empty_key_set_finds_nothing() -> None:
    with pytest.raises(KeyNotFoundError):
        KeySet([]).find_key(None, ES256)


def test_hmac_key_set_selects_secret() -> None:
    first = Key.from_secret(b"a" * 32, kid="one")
    second = Key.from_secret(b"b" * 64, kid="two", alg="HS512")
    key_set = KeySet([first, second])

    assert key_set.find_key("one", HS256) is first
    assert key_set.find_key(None, HS256) is first


# -- building a set --------------------------------------------------------------------


def test_mixing_secret_and_public_keys_rejected(p256: Key) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        KeySet([Key.from_secret(b"s" * 32), public_with(p256)])

    assert caught.value.code == "invalid_key"
    assert "mixes secret (kty 'oct') keys with RSA, EC or OKP keys" in str(caught.value)


def test_mixing_in_jwks_rejected(p256: Key) -> None:
    jwks = {"keys": [{"kty": "oct", "k": "c2VjcmV0"}, p256.public_key().to_jwk()]}

    with pytest.raises(InvalidKeyError) as caught:
        KeySet.from_jwks(jwks)

    assert "mixes secret (kty 'oct') keys" in str(caught.value)


def test_non_key_members_rejected() -> None:
    with pytest.raises(InvalidKeyError) as caught:
        KeySet([{"kty": "oct", "k": "AAAA"}])  # type: ignore[list-item]

    assert str(caught.value) == (
        "KeySet takes jwtkit Key objects, got dict; use KeySet.from_jwks for a JWKS dict"
    )


def test_from_jwks_dict_and_text(p256: Key, rsa_key: Key) -> None:
    jwks = {
        "keys": [
            {**p256.public_key().to_jwk(), "kid": "e"},
            {**rsa_key.public_key().to_jwk(), "kid": "r"},
        ]
    }

    for source in (jwks, json.dumps(jwks), json.dumps(jwks).encode()):
        key_set = KeySet.from_jwks(source)
        assert len(key_set) == 2
        assert [key.kid for key in key_set] == ["e", "r"]
        assert key_set.skipped == ()


def test_from_jwks_skips_unusable_members(p256: Key) -> None:
    # RFC 7517 §5: members that cannot be used are ignored, not fatal.
    jwks = {
        "keys": [
            {"kty": "DSA", "kid": "old"},
            {**p256.public_key().to_jwk(), "kid": "good"},
            {"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"},
            # A JWK serialized as a JSON string inside the array is not a JWK.
            json.dumps({**p256.public_key().to_jwk(), "kid": "text"}),
            {"kty": "RSA", "e": "AQAB"},
        ]
    }

    key_set = KeySet.from_jwks(jwks)

    assert [key.kid for key in key_set] == ["good"]
    assert len(key_set.skipped) == 4
    assert key_set.skipped[0].startswith("keys[0]: JWK 'kty' 'DSA' is not supported")
    assert key_set.skipped[1].startswith("keys[2]: EC JWK 'crv' 'P-192' is not supported")
    assert key_set.skipped[2] == "keys[3]: a JWK must be a JSON object, got a JSON string"
    assert key_set.skipped[3] == "keys[4]: RSA JWK is missing the required member 'n'"


def test_skipped_reasons_explain_missing_key(p256: Key) -> None:
    key_set = KeySet.from_jwks({"keys": [{"kty": "DSA", "kid": "old"}]})

    with pytest.raises(KeyNotFoundError) as caught:
        key_set.find_key(None, ES256)

    assert "1 member(s) of the JWKS were skipped: keys[0]: JWK 'kty' 'DSA'" in str(caught.value)


@pytest.mark.parametrize(
    ("jwks", "message"),
    [
        pytest.param({}, "a JWK Set must have a 'keys' member that is an array", id="no-keys"),
        pytest.param({"keys": {}}, "a JWK Set must have a 'keys' member", id="keys-object"),
        pytest.param([], "a JWK Set must be a JSON object, got list", id="list"),
        pytest.param("[]", "JWK Set must be a JSON object, got a JSON array", id="json-array"),
        pytest.param('{"keys":[],"keys":[]}', "duplicate member name 'keys'", id="duplicate"),
    ],
)
def test_invalid_jwks_rejected(jwks: Any, message: str) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        KeySet.from_jwks(jwks)

    assert message in str(caught.value)


def test_to_jwks_public_by_default(p256: Key) -> None:
    key_set = KeySet([p256])

    public = key_set.to_jwks()
    private = key_set.to_jwks(private=True)

    assert "d" not in public["keys"][0]
    assert private["keys"][0]["d"] == p256.to_jwk(private=True)["d"]
    assert KeySet.from_jwks(public).keys[0] == p256.public_key()


def test_many_kids_listed_briefly(p256: Key) -> None:
    keys = [public_with(p256, kid=f"k{index}") for index in range(15)]

    with pytest.raises(KeyNotFoundError) as caught:
        KeySet(keys).find_key("zzz", ES256)

    assert "'k9' and 5 more]" in str(caught.value)


# -- through decode -------------------------------------------------------------------


def test_decode_with_key_set(p256: Key, p256_other: Key) -> None:
    signer = Key.from_jwk({**p256.to_jwk(private=True), "kid": "a"})
    token = jwtkit.encode({"sub": "alice"}, signer, "ES256")
    key_set = KeySet([public_with(p256, kid="a"), public_with(p256_other, kid="b")])

    assert jwtkit.decode_unverified(token).header["kid"] == "a"
    assert jwtkit.decode(token, key_set, algorithms=["ES256"]) == {"sub": "alice"}
    assert jwtkit.decode(token, key_set.to_jwks(), algorithms=["ES256"]) == {"sub": "alice"}


def test_decode_kid_selects_wrong_key_fails(p256: Key, p256_other: Key) -> None:
    token = jwtkit.encode({"sub": "alice"}, p256, "ES256", headers={"kid": "b"})
    key_set = KeySet([public_with(p256, kid="a"), public_with(p256_other, kid="b")])

    with pytest.raises(jwtkit.errors.InvalidSignatureError):
        jwtkit.decode(token, key_set, algorithms=["ES256"])


def test_key_set_cannot_sign(p256: Key) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        jwtkit.encode({}, KeySet([p256]), "ES256")

    assert "selects among several keys and cannot sign" in str(caught.value)


def test_weak_member_still_checked_for_size() -> None:
    # Selection ignores key size, but verification with the selected key does not.
    weak = Key.from_secret(b"short", kid="weak")
    token = jwtkit.encode({"sub": "alice"}, weak, "HS256", allow_weak_key=True)

    with pytest.raises(WeakKeyError):
        jwtkit.decode(token, KeySet([weak]), algorithms=["HS256"])
    assert jwtkit.decode(token, KeySet([weak]), algorithms=["HS256"], allow_weak_key=True) == {
        "sub": "alice"
    }


def test_kid_of_skipped_member_is_ambiguous() -> None:
    good = Key.generate("oct", kid="shared").to_jwk(private=True)
    broken = {"kty": "oct", "kid": "shared", "k": "not base64url!"}
    keys = KeySet.from_jwks({"keys": [good, broken]})
    token = jwtkit.jws.sign_compact(b"payload", Key.from_jwk(good), "HS256")

    with pytest.raises(KeyNotFoundError) as caught:
        jwtkit.jws.verify_compact(token, keys, algorithms=["HS256"])

    assert caught.value.code == "key_not_found"
    assert "could not be imported" in str(caught.value)
    assert keys.skipped_kids == frozenset({"shared"})
