"""Fixtures for the remote JWK Set tests: a provider on 127.0.0.1, keys, tokens and a clock."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import jwtkit
from jwtkit import Key
from jwtkit.remote import JWKSClient
from tests.remote.server import Provider


class FakeClock:
    """A clock the test moves by hand; the clients read it for every cache decision."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def provider() -> Iterator[Provider]:
    server = Provider()
    yield server
    server.close()


@pytest.fixture(scope="session")
def ec_keys() -> dict[str, Key]:
    """Three P-256 signing keys with kids "k1", "k2" and "k3"."""
    return {kid: Key.generate("EC", curve="P-256", kid=kid) for kid in ("k1", "k2", "k3")}


def sign(key: Key, claims: dict[str, Any] | None = None, **headers: Any) -> str:
    """Return an ES256 token signed by ``key``, whose header names the key's kid."""
    return jwtkit.encode(claims or {"sub": "alice"}, key, "ES256", headers or None)


@pytest.fixture
def make_client(clock: FakeClock) -> Iterator[Callable[..., JWKSClient]]:
    """Build JWKSClients on the fake clock, allowed to use http on 127.0.0.1; close them after."""
    clients: list[JWKSClient] = []

    def build(url: str | None = None, **options: Any) -> JWKSClient:
        options.setdefault("allow_insecure_loopback", True)
        options.setdefault("clock", clock)
        options.setdefault("timeout", 2.0)
        client = JWKSClient(url, **options)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@dataclass(frozen=True)
class LocalCA:
    """A certificate authority and a server certificate for 127.0.0.1 that it issued."""

    ca_pem: bytes
    server_context: ssl.SSLContext

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.ca_pem.decode("ascii"))


@pytest.fixture(scope="session")
def local_ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.timezone.utc)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwtkit test CA")])
    ca_cert = (
        _certificate(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    server_cert = (
        _certificate(server_name, ca_name, server_key.public_key(), now)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    cert_file = _write(folder / "server.pem", server_cert.public_bytes(serialization.Encoding.PEM))
    key_file = _write(
        folder / "server.key",
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    return LocalCA(
        ca_pem=ca_cert.public_bytes(serialization.Encoding.PEM), server_context=server_context
    )


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: Any,
    now: datetime.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
    )


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def tls_provider(local_ca: LocalCA) -> Iterator[Provider]:
    server = Provider(ssl_context=local_ca.server_context)
    yield server
    server.close()
