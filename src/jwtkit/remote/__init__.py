"""Remote JWK Sets: fetch verification keys over HTTPS, cache them, and follow rotation.

    client = jwtkit.remote.JWKSClient("https://issuer.example/.well-known/jwks.json")
    claims = jwtkit.decode(token, client, algorithms=["RS256"], audience="api")

Needs httpx (``pip install 'jwtkit[remote]'``), which is imported only when a
client is built. Fetch failures raise ``jwtkit.errors.KeySetFetchError`` and
are logged on the ``jwtkit`` logger.
"""

from jwtkit.remote.async_client import AsyncJWKSClient
from jwtkit.remote.cache import CachePolicy
from jwtkit.remote.client import JWKSClient
from jwtkit.remote.discovery import metadata_urls
from jwtkit.remote.verify import AsyncVerifier, decode_async

__all__ = [
    "AsyncJWKSClient",
    "AsyncVerifier",
    "CachePolicy",
    "JWKSClient",
    "decode_async",
    "metadata_urls",
]
