"""``AsyncVerifier`` and ``decode_async``: await the remote key, then verify as ``decode`` does."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from jwtkit.errors import UsageError
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, parse_compact
from jwtkit.jwt import VerifiedToken, Verifier
from jwtkit.remote.async_client import AsyncJWKSClient


class AsyncVerifier:
    """A ``jwtkit.Verifier`` whose keys come from an ``AsyncJWKSClient``.

    ``verify`` reads the token's header, awaits the key its ``kid`` and
    ``alg`` select (fetching the JWK Set if the cache needs it), then runs the
    synchronous ``Verifier`` on the token, which finds that key in the cache.
    The options are those of ``jwtkit.Verifier``.
    """

    def __init__(
        self,
        client: AsyncJWKSClient,
        *,
        algorithms: Iterable[str],
        issuer: str | Collection[str] | None = None,
        audience: str | Collection[str] | None = None,
        subject: str | None = None,
        leeway: Any = 0,
        required: Collection[str] = (),
        typ: str | None = None,
        max_age: Any = None,
        now: Any = None,
        allow_weak_key: bool = False,
        max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
    ) -> None:
        if not isinstance(client, AsyncJWKSClient):
            raise UsageError(
                f"AsyncVerifier takes an AsyncJWKSClient, got {type(client).__name__}; "
                "for other keys use jwtkit.Verifier"
            )
        self.client = client
        self.verifier = Verifier(
            client,
            algorithms=algorithms,
            issuer=issuer,
            audience=audience,
            subject=subject,
            leeway=leeway,
            required=required,
            typ=typ,
            max_age=max_age,
            now=now,
            allow_weak_key=allow_weak_key,
            max_token_size=max_token_size,
        )

    async def verify(self, token: str | bytes) -> dict[str, Any]:
        """Verify the token, validate its claims and return them."""
        verified = await self.verify_complete(token)
        return verified.claims

    async def verify_complete(self, token: str | bytes) -> VerifiedToken:
        """Verify the token like ``verify`` and return its header, claims and key."""
        # The header is parsed with the same checks the Verifier applies, so a
        # malformed token or a disallowed alg fails before any fetch.
        parts = parse_compact(token, max_token_size=self.verifier.max_token_size)
        algorithm = self.verifier.algorithms.select(parts.header)
        await self.client.find_key_async(parts.header.get("kid"), algorithm)
        return self.verifier.verify_complete(token)


async def decode_async(
    token: str | bytes,
    client: AsyncJWKSClient,
    *,
    algorithms: Iterable[str],
    issuer: str | Collection[str] | None = None,
    audience: str | Collection[str] | None = None,
    subject: str | None = None,
    leeway: Any = 0,
    required: Collection[str] = (),
    typ: str | None = None,
    max_age: Any = None,
    now: Any = None,
    allow_weak_key: bool = False,
    max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
) -> dict[str, Any]:
    """Verify a JWT with a key from ``client``, validate its claims and return them.

    The asynchronous counterpart of ``jwtkit.decode``, with the same options.
    """
    verifier = AsyncVerifier(
        client,
        algorithms=algorithms,
        issuer=issuer,
        audience=audience,
        subject=subject,
        leeway=leeway,
        required=required,
        typ=typ,
        max_age=max_age,
        now=now,
        allow_weak_key=allow_weak_key,
        max_token_size=max_token_size,
    )
    return await verifier.verify(token)
