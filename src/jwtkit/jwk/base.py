"""The ``Key`` base class: JWK parameters common to every key type (RFC 7517 §4)."""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Mapping

from jwtkit._encoding import b64url_decode, b64url_encode, json_loads_object
from jwtkit.errors import (
    InvalidKeyError,
    JWTError,
    KeyMismatchError,
    MalformedTokenError,
    UsageError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS, SignatureAlgorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

# RFC 7517 §4.3: the operations a key may be used for. Signing needs "sign",
# verifying needs "verify"; the rest belong to JWE.
KEY_OPERATIONS = frozenset(
    {"sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits"}
)

# The members each subclass parses itself; everything else in a JWK is kept
# as-is in ``Key.extra`` so that exporting a key imported from elsewhere keeps
# members such as x5c.
_COMMON_MEMBERS = frozenset({"kty", "kid", "alg", "use", "key_ops"})


class Key:
    """A JSON Web Key: key material plus the JWK parameters that restrict its use.

    Build one with ``Key.from_jwk``, ``Key.from_pem``, ``Key.from_der``,
    ``Key.from_secret`` or ``Key.generate``. Keys are treated as immutable.
    """

    kty: ClassVar[str]
    # The members RFC 7638 §3.2 hashes for a thumbprint, in lexicographic order.
    thumbprint_members: ClassVar[tuple[str, ...]]
    # The members that hold private material and never appear in a public JWK.
    private_members: ClassVar[frozenset[str]]

    # Filled as the kind modules load; ``key_class`` loads them on demand.
    _registry: ClassVar[dict[str, type[Key]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Key._registry[cls.kty] = cls

    def __init__(
        self,
        *,
        kid: str | None = None,
        alg: str | None = None,
        use: str | None = None,
        key_ops: list[str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.kid = kid
        self.alg = alg
        self.use = use
        self.key_ops = tuple(key_ops) if key_ops is not None else None
        self.extra: dict[str, Any] = dict(extra or {})
        self._checked_algorithms: set[tuple[str, str, bool]] = set()

    # -- what subclasses provide ------------------------------------------------

    @property
    def is_private(self) -> bool:
        """Whether the key contains private (or secret) material."""
        raise NotImplementedError

    @property
    def signing_key(self) -> Any:
        """The ``cryptography`` private key (or the secret bytes) used to sign."""
        raise NotImplementedError

    @property
    def verifying_key(self) -> Any:
        """The ``cryptography`` public key (or the secret bytes) used to verify."""
        raise NotImplementedError

    @property
    def size(self) -> int:
        """The key size in bits: modulus bits for RSA, curve bits for EC, secret bits for oct."""
        raise NotImplementedError

    def _material_members(self, private: bool) -> dict[str, str]:
        raise NotImplementedError

    def _check_fits(
        self, algorithm: SignatureAlgorithm, allow_weak_key: bool, mismatch: type[JWTError]
    ) -> None:
        """Raise ``mismatch`` unless the curve fits ``algorithm``; ``WeakKeyError`` if too small."""
        raise NotImplementedError

    def public_key(self) -> Key:
        """Return the public half of this key, with the same JWK parameters."""
        raise NotImplementedError

    # -- import -----------------------------------------------------------------

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any] | str | bytes) -> Key:
        """Import a JWK given as a dict or as JSON text."""
        if isinstance(jwk, (str, bytes)):
            try:
                jwk = json_loads_object(jwk, "JWK")
            except MalformedTokenError as exc:
                raise InvalidKeyError(str(exc)) from None
        if not isinstance(jwk, Mapping):
            raise InvalidKeyError(f"a JWK must be a JSON object (a dict), got {type(jwk).__name__}")

        kty = jwk.get("kty")
        key_class = key_class_for(kty) if isinstance(kty, str) else None
        if key_class is None:
            raise InvalidKeyError(
                f"JWK 'kty' {kty!r} is not supported; use one of: "
                f"{', '.join(sorted(_KIND_MODULES))}"
            )
        if cls is not Key and not issubclass(key_class, cls):
            raise InvalidKeyError(f"JWK 'kty' is {kty!r}, but {cls.__name__} needs {cls.kty!r}")

        params = _parse_common_members(jwk)
        material = {name: value for name, value in jwk.items() if name not in _COMMON_MEMBERS}
        return key_class._from_jwk_members(material, params)

    @classmethod
    def _from_jwk_members(cls, members: dict[str, Any], params: dict[str, Any]) -> Key:
        raise NotImplementedError

    @classmethod
    def from_pem(cls, data: str | bytes, password: str | bytes | None = None, **params: Any) -> Key:
        """Import a PEM key: PKCS#8, SubjectPublicKeyInfo, PKCS#1, SEC1 or an X.509 certificate.

        ``params`` sets JWK parameters on the result (``kid``, ``alg``, ``use``, ``key_ops``).
        """
        from jwtkit.jwk.pem import load_pem

        return cls.from_cryptography(load_pem(data, password), **params)

    @classmethod
    def from_der(cls, data: bytes, password: str | bytes | None = None, **params: Any) -> Key:
        """Import a DER key: PKCS#8, SubjectPublicKeyInfo, PKCS#1, SEC1 or an X.509 certificate."""
        from jwtkit.jwk.pem import load_der

        return cls.from_cryptography(load_der(data, password), **params)

    @classmethod
    def from_secret(cls, secret: str | bytes, **params: Any) -> Key:
        """Wrap raw secret bytes (or UTF-8 text) as an ``oct`` key for HMAC.

        Public-key material (PEM, OpenSSH, DER, a certificate, JWK text, an EC
        point, or base64 of these) is rejected: it is not a secret.
        """
        from jwtkit.jwk.oct import OctKey
        from jwtkit.jwk.pem import utf8_bytes

        if isinstance(secret, str):
            secret = utf8_bytes(secret, "the secret", InvalidKeyError)
        if not isinstance(secret, bytes):
            raise InvalidKeyError(f"a secret must be bytes or str, got {type(secret).__name__}")
        return OctKey(secret, **_checked_params(params))

    @classmethod
    def from_cryptography(cls, key: Any, **params: Any) -> Key:
        """Wrap a ``cryptography`` key object (private or public)."""
        for kty in _KIND_MODULES:
            key_class_for(kty)
        for key_class in Key._registry.values():
            wrapped = key_class._wrap(key, _checked_params(params))
            if wrapped is None:
                continue
            if cls is not Key and not isinstance(wrapped, cls):
                raise InvalidKeyError(
                    f"the key is of kty {wrapped.kty!r}, but {cls.__name__} needs {cls.kty!r}"
                )
            return wrapped
        raise InvalidKeyError(
            f"{type(key).__name__} is not a key type jwtkit supports; use an RSA, "
            "EC (P-256, P-384, P-521, secp256k1), Ed25519, Ed448, X25519 or X448 key"
        )

    @classmethod
    def _wrap(cls, key: Any, params: dict[str, Any]) -> Key | None:
        return None

    @classmethod
    def generate(
        cls,
        kty: str,
        *,
        size: int | None = None,
        curve: str | None = None,
        **params: Any,
    ) -> Key:
        """Generate a new private key.

        ``kty`` is ``"oct"`` (``size`` in bits, default 256), ``"RSA"`` (``size``
        in bits, default 2048), ``"EC"`` (``curve``, default P-256) or ``"OKP"``
        (``curve``, default Ed25519).
        """
        if not isinstance(kty, str):
            raise UsageError(f"kty must be a string such as 'RSA', got {type(kty).__name__}")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
            raise UsageError(f"size must be an integer number of bits, got {type(size).__name__}")
        if curve is not None and not isinstance(curve, str):
            raise UsageError(f"curve must be a string such as 'P-256', got {type(curve).__name__}")
        key_class = key_class_for(kty)
        if key_class is None:
            raise UsageError(
                f"cannot generate a key of kty {kty!r}; use one of: "
                f"{', '.join(sorted(_KIND_MODULES))}"
            )
        return key_class._generate(size=size, curve=curve, params=_checked_params(params))

    @classmethod
    def _generate(cls, *, size: int | None, curve: str | None, params: dict[str, Any]) -> Key:
        raise NotImplementedError

    # -- export -----------------------------------------------------------------

    def to_jwk(self, private: bool = False) -> dict[str, Any]:
        """Export as a JWK dict; private members only when ``private=True``."""
        if private and not self.is_private:
            raise UsageError(
                "this key has no private part to export; call to_jwk() without private"
            )
        jwk: dict[str, Any] = {"kty": self.kty}
        jwk.update(self._material_members(private))
        for name in ("kid", "alg", "use"):
            value = getattr(self, name)
            if value is not None:
                jwk[name] = value
        if self.key_ops is not None:
            jwk["key_ops"] = list(self.key_ops)
        for name, value in self.extra.items():
            if private or name not in self.private_members:
                jwk.setdefault(name, value)
        return jwk

    def to_pem(self, private: bool = False, password: str | bytes | None = None) -> bytes:
        """Export as PEM: PKCS#8 when ``private=True``, else SubjectPublicKeyInfo."""
        from jwtkit.jwk.pem import dump_pem

        return dump_pem(self, private, password)

    def thumbprint(self, hash_name: str = "sha256") -> str:
        """Return the RFC 7638 JWK thumbprint, base64url encoded."""
        members = self._material_members(private=False)
        members["kty"] = self.kty
        canonical = {name: members[name] for name in self.thumbprint_members}
        data = json.dumps(canonical, separators=(",", ":"), sort_keys=True).encode("utf-8")
        try:
            digest = hashlib.new(hash_name, data).digest()
        except ValueError:
            raise UsageError(f"hash {hash_name!r} is not available; use 'sha256'") from None
        return b64url_encode(digest)

    def _check_declared_alg(self) -> None:
        """Raise ``InvalidKeyError`` if the JWK ``alg`` names an algorithm this key cannot serve.

        Subclasses call it once their key material is set. An ``alg`` that
        jwtkit does not implement (a JWE algorithm, say) is left for its user.
        """
        if self.alg is None:
            return
        algorithm = SIGNATURE_ALGORITHMS.get(self.alg)
        if algorithm is None:
            return
        if algorithm.kty != self.kty:
            raise InvalidKeyError(
                f"the key's JWK 'alg' is {self.alg!r}, which needs {_describe_kty(algorithm.kty)}, "
                f"but the key is {_describe_kty(self.kty)}; remove 'alg' or set it to the "
                "algorithm this key is made for"
            )
        try:
            self._check_fits(algorithm, True, InvalidKeyError)
        except InvalidKeyError as exc:
            raise InvalidKeyError(
                f"the key's JWK 'alg' is {self.alg!r}, which does not fit the key: {exc}"
            ) from None

    # -- use --------------------------------------------------------------------

    def check_algorithm(
        self, algorithm: SignatureAlgorithm, operation: str, *, allow_weak_key: bool = False
    ) -> None:
        """Raise unless this key may perform ``operation`` ("sign" or "verify") with ``algorithm``.

        The key's type, curve and size must fit the algorithm, and the JWK's own
        ``alg``, ``use`` and ``key_ops`` must allow it (RFC 7517 §4.2 to §4.4).
        A key that cannot serve the algorithm raises ``KeyMismatchError`` when
        verifying, because the token chose the algorithm, and ``InvalidKeyError``
        when signing, because the caller did. A key below the minimum size
        raises ``WeakKeyError``.
        """
        memo = (algorithm.name, operation, allow_weak_key)
        if memo in self._checked_algorithms:
            return
        mismatch: type[JWTError] = KeyMismatchError if operation == "verify" else InvalidKeyError

        if algorithm.kty != self.kty:
            raise mismatch(_family_mismatch_message(algorithm, self.kty))
        if operation == "sign" and not self.is_private:
            raise InvalidKeyError(f"cannot sign with a public {self.kty} key; pass the private key")
        if self.alg is not None and self.alg != algorithm.name:
            raise mismatch(
                f"the key's JWK 'alg' is {self.alg!r}, so it cannot be used for alg "
                f"{algorithm.name!r}; use a key made for {algorithm.name!r}"
            )
        if self.use is not None and self.use != "sig":
            raise mismatch(
                f"the key's JWK 'use' is {self.use!r}, so it cannot be used for signatures "
                "(which need 'use': 'sig')"
            )
        if self.key_ops is not None and operation not in self.key_ops:
            raise mismatch(
                f"the key's JWK 'key_ops' {list(self.key_ops)!r} does not include {operation!r}"
            )
        self._check_fits(algorithm, allow_weak_key, mismatch)

        self._checked_algorithms.add(memo)

    def allows_algorithm(self, algorithm: SignatureAlgorithm, operation: str) -> bool:
        """Tell whether ``check_algorithm`` would pass, ignoring key size."""
        try:
            self.check_algorithm(algorithm, operation, allow_weak_key=True)
        except (KeyMismatchError, InvalidKeyError):
            return False
        return True

    def __repr__(self) -> str:
        kind = "private" if self.is_private else "public"
        if self.kty == "oct":
            kind = "secret"
        kid = f" kid={self.kid!r}" if self.kid is not None else ""
        return f"<{type(self).__name__} {kind} {self.size} bits{kid}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Key) or other.kty != self.kty:
            return NotImplemented
        return bool(
            self.is_private == other.is_private
            and self._material_members(self.is_private) == other._material_members(other.is_private)
        )

    def __hash__(self) -> int:
        return hash((self.kty, self.thumbprint()))


def _family_mismatch_message(algorithm: SignatureAlgorithm, kty: str) -> str:
    message = (
        f"alg {algorithm.name!r} needs {_describe_kty(algorithm.kty)}, but the key is "
        f"{_describe_kty(kty)}"
    )
    if "oct" in (algorithm.kty, kty):
        message += (
            "; keys are bound to one algorithm family so that a public key can never be "
            "used as an HMAC secret"
        )
    return message


# The module of each key kind. RSA, EC and OKP load ``cryptography``, which
# costs tens of milliseconds, so they are imported when first needed.
_KIND_MODULES = {
    "oct": "jwtkit.jwk.oct",
    "RSA": "jwtkit.jwk.rsa",
    "EC": "jwtkit.jwk.ec",
    "OKP": "jwtkit.jwk.okp",
}


def key_class_for(kty: str) -> type[Key] | None:
    """Return the ``Key`` subclass for a JWK ``kty``, importing its module on first use."""
    key_class = Key._registry.get(kty)
    if key_class is None and kty in _KIND_MODULES:
        importlib.import_module(_KIND_MODULES[kty])
        key_class = Key._registry.get(kty)
    return key_class


def _describe_kty(kty: str) -> str:
    return {
        "oct": "a secret (kty 'oct') key",
        "RSA": "an RSA key",
        "EC": "an EC key",
        "OKP": "an OKP (Ed25519/Ed448) key",
    }.get(kty, f"a {kty!r} key")


def _parse_common_members(jwk: Mapping[str, Any]) -> dict[str, Any]:
    """Type-check ``kid``, ``alg``, ``use`` and ``key_ops`` of a JWK."""
    params = {name: jwk[name] for name in ("kid", "alg", "use", "key_ops") if name in jwk}
    return _checked_params(params)


def _checked_params(params: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(params) - {"kid", "alg", "use", "key_ops"}
    if unknown:
        raise UsageError(
            f"unknown key parameter(s) {sorted(unknown)}; use kid, alg, use or key_ops"
        )
    for name in ("kid", "alg", "use"):
        value = params.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidKeyError(f"JWK '{name}' must be a string, got {type(value).__name__}")

    key_ops = params.get("key_ops")
    if key_ops is not None:
        if not isinstance(key_ops, (list, tuple)) or not all(isinstance(op, str) for op in key_ops):
            raise InvalidKeyError("JWK 'key_ops' must be an array of strings")
        if not key_ops:
            raise InvalidKeyError(
                "JWK 'key_ops' is empty, so the key may be used for nothing; omit 'key_ops' "
                "or list the operations, such as ['verify']"
            )
        if len(set(key_ops)) != len(key_ops):
            raise InvalidKeyError(f"JWK 'key_ops' {list(key_ops)!r} repeats a value")
        key_ops = list(key_ops)

    alg = params.get("alg")
    if alg is not None and alg.lower() == "none":
        raise InvalidKeyError("JWK 'alg' must not be 'none'")

    checked = dict(params)
    if key_ops is not None:
        checked["key_ops"] = key_ops
    return checked


# No member of an RSA, EC or OKP JWK is longer than the largest RSA modulus
# jwtkit loads (16384 bits, MAX_RSA_BITS in jwk/rsa.py), plus the one leading
# zero byte that some encoders write.
MAX_MEMBER_BYTES = 16384 // 8 + 1


def decode_member(
    members: Mapping[str, Any], name: str, kty: str, max_bytes: int | None = MAX_MEMBER_BYTES
) -> bytes:
    """Decode a required base64url member of a JWK of at most ``max_bytes`` (None: unbounded)."""
    value = members.get(name)
    if value is None:
        raise InvalidKeyError(f"{kty} JWK is missing the required member {name!r}")
    if not isinstance(value, str):
        raise InvalidKeyError(
            f"{kty} JWK member {name!r} must be a base64url string, got {type(value).__name__}"
        )
    # The length is checked on the text, so a hostile key set costs no more to
    # reject for a 10 MB member than for one just over the limit.
    if max_bytes is not None and len(value) > (4 * max_bytes + 2) // 3:
        raise InvalidKeyError(
            f"{kty} JWK member {name!r} is {len(value)} characters, longer than the "
            f"{max_bytes} bytes any valid value has; it was rejected before decoding"
        )
    try:
        return b64url_decode(value, f"{kty} JWK member {name!r}")
    except MalformedTokenError as exc:
        raise InvalidKeyError(str(exc)) from None


def decode_int_member(members: Mapping[str, Any], name: str, kty: str) -> int:
    """Decode a required base64urlUInt member (RFC 7518 §2) of a JWK."""
    raw = decode_member(members, name, kty)
    if not raw:
        raise InvalidKeyError(
            f"{kty} JWK member {name!r} is empty; it must encode a positive integer"
        )
    return int.from_bytes(raw, "big")


def encode_int(value: int, length: int | None = None) -> str:
    """Encode an integer as base64urlUInt, zero-padded to ``length`` bytes when given."""
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(size, "big"))
