"""RFC 7520 (JOSE Cookbook) keys and signatures, from jose-cookbook and latchset/jose.

Every output form of chapter 4 is verified, and the payload and headers are
compared byte for byte with the example's input. Examples whose algorithms are
deterministic (HMAC, RSA PKCS#1 v1.5) are signed again and must reproduce the
published output exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

from jwtkit import Key
from jwtkit.errors import JWTError, MalformedTokenError
from jwtkit.jws import Signer, sign_compact, sign_json, verify_compact, verify_json
from tests.conformance.decisions import VECTORS
from tests.conformance.vectors import (
    CookbookExample,
    b64url_decode_stdlib,
    cookbook_example,
    cookbook_examples,
    latchset_vectors,
    parametrize,
)

CHAPTER_4_ALGORITHMS = ["RS256", "PS384", "ES512", "HS256"]
DETERMINISTIC = frozenset({"HS256", "RS256"})

SIGNATURE_EXAMPLES = cookbook_examples("jws")
OUTPUTS = [(example, form) for example in SIGNATURE_EXAMPLES for form in example.data["output"]]
LATCHSET_SIGNATURES = latchset_vectors("rfc7520_4")
LATCHSET_OUTPUTS = [
    (stem, extension)
    for stem, files in LATCHSET_SIGNATURES.items()
    for extension in ("jwsc", "jwsf", "jwsg")
    if extension in files
]


def section(example: CookbookExample) -> str:
    """Return the RFC 7520 section of an example: '4_5.signature...' gives '4.5'."""
    return example.name.split(".")[0].replace("_", ".")


def verification_key(keys: list[dict[str, Any]]) -> Any:
    return Key.from_jwk(keys[0]) if len(keys) == 1 else keys


def is_detached(jws: dict[str, Any] | str) -> bool:
    if isinstance(jws, str):
        return jws.split(".")[1] == ""
    return "payload" not in jws


def signer_for(example: CookbookExample, index: int) -> Signer:
    key = example.keys[index] if len(example.keys) > 1 else example.keys[0]
    step = example.signing[index]
    protected = {name: value for name, value in step["protected"].items() if name != "alg"}
    return Signer(
        key, step["protected"]["alg"], protected=protected, header=step.get("unprotected")
    )


# -- chapter 3: keys -----------------------------------------------------------


@pytest.mark.parametrize(
    ("private_name", "public_name"),
    [("3_2.ec_private_key", "3_1.ec_public_key"), ("3_4.rsa_private_key", "3_3.rsa_public_key")],
)
def test_private_key_gives_public_key(
    vectors_dir: Path, private_name: str, public_name: str
) -> None:
    private = cookbook_example(f"jwk/{private_name}.json").data
    public = cookbook_example(f"jwk/{public_name}.json").data

    key = Key.from_jwk(private)

    assert key.to_jwk(private=True) == private
    assert key.public_key().to_jwk() == public


@pytest.mark.parametrize(
    "name", ["3_5.symmetric_key_mac_computation", "3_6.symmetric_key_encryption"]
)
def test_symmetric_key_round_trip(vectors_dir: Path, name: str) -> None:
    jwk = cookbook_example(f"jwk/{name}.json").data

    assert Key.from_jwk(jwk).to_jwk(private=True) == jwk


def test_cookbook_and_latchset_keys_agree(vectors_dir: Path) -> None:
    latchset = latchset_vectors("rfc7520_3")
    pairs = {
        "rfc7520_3.1": "3_1.ec_public_key",
        "rfc7520_3.2": "3_2.ec_private_key",
        "rfc7520_3.3": "3_3.rsa_public_key",
        "rfc7520_3.4": "3_4.rsa_private_key",
        "rfc7520_3.5": "3_5.symmetric_key_mac_computation",
        "rfc7520_3.6": "3_6.symmetric_key_encryption",
    }

    for stem, name in pairs.items():
        assert latchset[stem]["jwk"] == cookbook_example(f"jwk/{name}.json").data, stem


# -- chapter 4: signatures, verified -------------------------------------------


@pytest.mark.parametrize(
    ("example", "form"),
    parametrize(OUTPUTS, lambda pair: f"{pair[0].name}-{pair[1]}", width=2),
)
def test_output_verifies(vectors_dir: Path, example: CookbookExample, form: str) -> None:
    jws = example.data["output"][form]
    key = verification_key(example.keys)
    detached_payload = example.payload if is_detached(jws) else None

    if form == "compact":
        verified = verify_compact(
            jws, key, algorithms=example.algorithms, detached_payload=detached_payload
        )
        assert verified.payload == example.payload
        assert verified.protected == example.signing[0]["protected"]
        return

    if section(example) == "4.7":
        decision = VECTORS["rfc7520-4.7"]
        with pytest.raises(JWTError) as caught:
            verify_json(jws, key, algorithms=example.algorithms)
        assert decision.error is not None
        assert isinstance(caught.value, decision.error)
        return

    require: Literal["any", "all"] = "any" if section(example) == "4.8" else "all"
    verified_json = verify_json(
        jws, key, algorithms=example.algorithms, detached_payload=detached_payload, require=require
    )

    assert verified_json.payload == example.payload
    for result, step in zip(verified_json.signatures, example.signing, strict=True):
        assert result.protected == step.get("protected", {})
        assert result.header == step.get("unprotected", {})


def test_multiple_signatures_report(vectors_dir: Path) -> None:
    example = cookbook_example("jws/4_8.multiple_signatures.json")
    decision = VECTORS["rfc7520-4.8-signature-1"]

    verified = verify_json(
        example.data["output"]["json"], example.keys, algorithms=CHAPTER_4_ALGORITHMS
    )

    assert [result.index for result in verified.verified] == [0, 2]
    assert verified.signatures[0].key is not None
    assert verified.signatures[0].key.kty == "RSA"
    assert verified.signatures[2].key is not None
    assert verified.signatures[2].key.kty == "oct"
    assert decision.error is not None
    assert isinstance(verified.signatures[1].error, decision.error)
    assert "signatures[1] of the JWS has 'alg' in its unprotected header" in str(
        verified.signatures[1].error
    )


def test_multiple_signatures_require_all(vectors_dir: Path) -> None:
    example = cookbook_example("jws/4_8.multiple_signatures.json")

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(
            example.data["output"]["json"],
            example.keys,
            algorithms=CHAPTER_4_ALGORITHMS,
            require="all",
        )

    assert "signatures[1]" in str(caught.value)


def test_multiple_signatures_one_key(vectors_dir: Path) -> None:
    example = cookbook_example("jws/4_8.multiple_signatures.json")
    secret = Key.from_jwk(example.keys[2])

    verified = verify_json(example.data["output"]["json"], secret, algorithms=CHAPTER_4_ALGORITHMS)

    assert [result.index for result in verified.verified] == [2]
    assert verified.key is secret
    assert verified.protected == example.signing[2]["protected"]


# -- chapter 4: signatures, made again ----------------------------------------


@pytest.mark.parametrize(
    ("example", "form"),
    parametrize(
        [
            (example, form)
            for example, form in OUTPUTS
            if set(example.algorithms) <= DETERMINISTIC and section(example) not in ("4.7", "4.8")
        ],
        lambda pair: f"{pair[0].name}-{pair[1]}",
        width=2,
    ),
)
def test_output_reproduced(vectors_dir: Path, example: CookbookExample, form: str) -> None:
    expected = example.data["output"][form]
    detached = is_detached(expected)
    signer = signer_for(example, 0)

    if form == "compact":
        produced: Any = sign_compact(
            example.payload, signer.key, signer.algorithm, signer.protected, detached=detached
        )
    else:
        produced = sign_json(
            example.payload, signer, flattened=form == "json_flat", detached=detached
        )

    assert produced == expected


def test_multiple_signatures_reproduced(vectors_dir: Path) -> None:
    example = cookbook_example("jws/4_8.multiple_signatures.json")
    expected = example.data["output"]["json"]

    # The ES512 signature cannot be made again: ECDSA is randomized, and
    # jwtkit does not put alg in an unprotected header.
    produced = sign_json(example.payload, [signer_for(example, 0), signer_for(example, 2)])

    assert produced["payload"] == expected["payload"]
    assert produced["signatures"] == [expected["signatures"][0], expected["signatures"][2]]


def test_unprotected_alg_cannot_be_signed(vectors_dir: Path) -> None:
    example = cookbook_example("jws/4_7.protecting_content_only.json")
    unprotected = example.signing[0]["unprotected"]

    with pytest.raises(JWTError) as caught:
        sign_json(example.payload, Signer(example.keys[0], "HS256", header=unprotected))

    assert caught.value.code == "usage_error"
    assert "puts 'alg' in the unprotected header" in str(caught.value)


# -- the same chapter from latchset/jose ------------------------------------------


@pytest.mark.parametrize(
    ("stem", "extension"),
    parametrize(LATCHSET_OUTPUTS, lambda pair: f"{pair[0]}.{pair[1]}", width=2),
)
def test_latchset_output_verifies(vectors_dir: Path, stem: str, extension: str) -> None:
    files = LATCHSET_SIGNATURES[stem]
    expected_payload = LATCHSET_SIGNATURES["rfc7520_4.5"]["payl"]
    key = Key.from_jwk(files["jwk"]) if "jwk" in files else files["jwkset"]["keys"]
    jws = files[extension]
    detached_payload = expected_payload if is_detached(jws) else None

    if extension == "jwsc":
        verified = verify_compact(
            jws, key, algorithms=CHAPTER_4_ALGORITHMS, detached_payload=detached_payload
        )
        assert verified.payload == expected_payload
        return

    if stem == "rfc7520_4.7":
        with pytest.raises(MalformedTokenError):
            verify_json(jws, key, algorithms=CHAPTER_4_ALGORITHMS)
        return

    verified_json = verify_json(
        jws, key, algorithms=CHAPTER_4_ALGORITHMS, detached_payload=detached_payload
    )
    assert verified_json.payload == expected_payload
    if "payload" in jws:
        assert verified_json.payload == b64url_decode_stdlib(jws["payload"])
    expected_indices = [0, 2] if stem == "rfc7520_4.8" else [0]
    assert [result.index for result in verified_json.verified] == expected_indices


def test_latchset_matches_cookbook(vectors_dir: Path) -> None:
    for example in SIGNATURE_EXAMPLES:
        stem = "rfc7520_" + section(example)
        files = LATCHSET_SIGNATURES[stem]
        outputs = example.data["output"]

        if "compact" in outputs:
            assert files["jwsc"] == outputs["compact"], stem
        if "json_flat" in outputs:
            assert files["jwsf"] == outputs["json_flat"], stem
        assert files["jwsg"] == outputs["json"], stem


# -- chapter 6: the JWS inside the nested example -----------------------------------


def test_nested_example_signature_verifies(vectors_dir: Path) -> None:
    # Only the signing half: the encryption half needs JWE.
    nested = cookbook_example("6.nesting_signatures_and_encryption.json").data
    sign = CookbookExample("6.sign", nested["sign"])
    token = sign.data["output"]["compact"]

    verified = verify_compact(token, sign.keys[0], algorithms=["PS256"])

    assert verified.payload == sign.payload
    assert verified.protected == sign.signing[0]["protected"]
    assert nested["encrypt"]["input"]["plaintext"] == token
