"""The issuer: checks a username and password, then signs a JWT access token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from jwtkit import Key, encode
from jwtkit.demo.serving import JSONHandler, Narrate, RequestError
from jwtkit.demo.terminal import shorten

ALGORITHM = "ES256"
JWKS_PATH = "/.well-known/jwks.json"
LOGIN_PATH = "/login"
EXPIRED_TOKEN_PATH = "/demo/expired-token"

# Seconds from iat to exp of a token from /login.
TOKEN_LIFETIME = 300
# How long before now the demo aid's expired token was issued, and expired.
EXPIRED_ISSUED_AGO = 3600
EXPIRED_EXPIRED_AGO = 3000

# RFC 9068 §2.1: the media type that marks a JWT as an OAuth access token, so
# that an ID token or another JWT signed with the same key cannot pass for one.
ACCESS_TOKEN_TYPE = "at+jwt"
CLIENT_ID = "jwtkit-demo-client"


def hash_password(password: str, salt: bytes) -> bytes:
    """Derive a slow hash of ``password`` (scrypt), so a leaked account table resists guessing."""
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1)


@dataclass(frozen=True)
class Account:
    """A user account of the issuer: the password's scrypt hash and salt, and the role."""

    salt: bytes
    password_hash: bytes
    role: str

    @classmethod
    def create(cls, password: str, role: str) -> Account:
        """Create an account whose password is hashed with a fresh salt."""
        salt = secrets.token_bytes(16)
        return cls(salt=salt, password_hash=hash_password(password, salt), role=role)

    def check_password(self, password: str) -> bool:
        """Tell whether ``password`` is this account's password, in constant time."""
        return hmac.compare_digest(hash_password(password, self.salt), self.password_hash)


def generate_signing_key() -> Key:
    """Generate a P-256 key for ES256 whose kid is its RFC 7638 thumbprint."""
    key = Key.generate("EC", curve="P-256")
    jwk = key.to_jwk(private=True)
    jwk.update(kid=key.thumbprint(), alg=ALGORITHM, use="sig")
    return Key.from_jwk(jwk)


class Issuer:
    """The issuing party: its signing key, its accounts and the tokens it signs.

    ``url`` is the ``iss`` of every token. ``audience`` names the API the
    tokens are for (``aud``).
    """

    def __init__(
        self, url: str, audience: str, accounts: dict[str, Account], narrate: Narrate
    ) -> None:
        self.url = url
        self.audience = audience
        self.accounts = accounts
        self.narrate = narrate
        self.key = generate_signing_key()

    def jwks(self) -> dict[str, Any]:
        """Return the public JWK Set that verifiers fetch; it contains no private member."""
        return {"keys": [self.key.public_key().to_jwk()]}

    def authenticate(self, credentials: dict[str, Any]) -> tuple[str, Account]:
        """Return the username and account the credentials prove; raise ``RequestError`` if not."""
        username = credentials.get("username")
        password = credentials.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise RequestError(
                400,
                "invalid_request",
                'send {"username": "...", "password": "..."} with both values as strings',
            )

        account = self.accounts.get(username)
        if account is None or not account.check_password(password):
            # One message for both cases, so the response does not reveal
            # which usernames exist.
            raise RequestError(401, "invalid_credentials", "the username or password is wrong")
        return username, account

    def sign_token(self, username: str, account: Account, issued_at: int, lifetime: int) -> str:
        """Sign an access token for ``username`` issued at ``issued_at`` (a NumericDate)."""
        claims = {
            "iss": self.url,
            "sub": username,
            "aud": self.audience,
            "client_id": CLIENT_ID,
            "iat": issued_at,
            "exp": issued_at + lifetime,
            "jti": secrets.token_urlsafe(12),
            "role": account.role,
        }
        return encode(claims, self.key, ALGORITHM, headers={"typ": ACCESS_TOKEN_TYPE})

    def login(self, credentials: dict[str, Any]) -> dict[str, Any]:
        """Check the credentials and return an OAuth-style token response (RFC 6749 §5.1)."""
        username, account = self.authenticate(credentials)
        token = self.sign_token(username, account, int(time.time()), TOKEN_LIFETIME)
        self.narrate(
            f"checked the password of {username!r} and signed a token "
            f"with kid {shorten(str(self.key.kid))}, valid for {TOKEN_LIFETIME} s"
        )
        return {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME}

    def expired_token(self, credentials: dict[str, Any]) -> dict[str, Any]:
        """Demo aid: return a correctly signed token whose exp has already passed.

        A real issuer has no such endpoint. It exists so the demo can show a
        verifier rejecting an expired token without waiting for one to expire.
        """
        username, account = self.authenticate(credentials)
        issued_at = int(time.time()) - EXPIRED_ISSUED_AGO
        lifetime = EXPIRED_ISSUED_AGO - EXPIRED_EXPIRED_AGO
        token = self.sign_token(username, account, issued_at, lifetime)
        self.narrate(
            f"(demo aid) signed a token for {username!r} "
            f"that expired {EXPIRED_EXPIRED_AGO // 60} minutes ago"
        )
        return {"access_token": token, "token_type": "Bearer", "expires_in": 0}


class IssuerHandler(JSONHandler):
    """HTTP front of an ``Issuer``: the JWKS, /login and the expired-token demo aid."""

    def __init__(self, *args: Any, issuer: Issuer, **kwargs: Any) -> None:
        # Set before the base class runs, because its __init__ handles the request.
        self.issuer = issuer
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path != JWKS_PATH:
            self.send_not_found()
            return
        self.issuer.narrate(f"served its public JWKS at {JWKS_PATH}")
        self.send_json(200, self.issuer.jwks(), {"Cache-Control": "public, max-age=300"})

    def do_POST(self) -> None:
        if self.path == LOGIN_PATH:
            action = self.issuer.login
        elif self.path == EXPIRED_TOKEN_PATH:
            action = self.issuer.expired_token
        else:
            self.send_not_found()
            return

        try:
            response = action(self.read_json_object())
        except RequestError as exc:
            self.issuer.narrate(f"rejected POST {self.path} with {exc.status}: {exc.message}")
            self.send_request_error(exc)
            return
        # RFC 6749 §5.1: responses that carry tokens must not be cached.
        self.send_json(200, response, {"Cache-Control": "no-store", "Pragma": "no-cache"})
