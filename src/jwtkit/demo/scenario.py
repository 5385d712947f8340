"""The demo's story: start both parties, log in, call the API, then show two rejections."""

from __future__ import annotations

import time
from functools import partial
from http import HTTPStatus
from urllib.parse import urlencode

from jwtkit import decode_unverified
from jwtkit._encoding import b64url_encode, json_dumps
from jwtkit.demo.api import LEEWAY, PRIVATE_PATH, QUERY_PARAMETER, ApiHandler, ProtectedApi
from jwtkit.demo.client import Reply, call
from jwtkit.demo.explain import show_token
from jwtkit.demo.issuer import (
    ALGORITHM,
    EXPIRED_TOKEN_PATH,
    JWKS_PATH,
    LOGIN_PATH,
    Account,
    Issuer,
    IssuerHandler,
)
from jwtkit.demo.serving import DemoError, ServerThread
from jwtkit.demo.terminal import Terminal, shorten

AUDIENCE = "jwtkit-demo-api"
USERNAME = "alice"
# A demo account, created fresh in memory on every run.
PASSWORD = "correct horse battery staple"
ROLE = "reader"
TAMPERED_ROLE = "admin"


def run(terminal: Terminal) -> int:
    """Run the whole demo and return the exit status: 0 when every step went as expected."""
    terminal.title("jwtkit demo: an issuer signs a JWT, an API verifies it")
    with ServerThread("issuer") as issuer_server, ServerThread("api") as api_server:
        terminal.heading("Setup")
        issuer = Issuer(
            issuer_server.url,
            AUDIENCE,
            {USERNAME: Account.create(PASSWORD, ROLE)},
            terminal.narrator("issuer"),
        )
        issuer_server.start(partial(IssuerHandler, issuer=issuer))
        terminal.step(
            "issuer",
            f"listens at {issuer.url} and signs with a new {ALGORITHM} key, "
            f"kid {shorten(str(issuer.key.kid))}",
        )

        api = ProtectedApi.from_issuer(
            issuer.url, issuer.url + JWKS_PATH, audience=AUDIENCE, narrate=terminal.narrator("api")
        )
        api_server.start(partial(ApiHandler, api=api))
        terminal.step("api", f"listens at {api_server.url} and accepts tokens for {AUDIENCE!r}")

        private_url = api_server.url + PRIVATE_PATH
        outcomes = [
            *log_in_and_call(terminal, issuer.url, private_url),
            send_expired(terminal, issuer.url, private_url),
        ]

    terminal.heading("Done")
    terminal.note("Both servers are stopped.")
    if all(outcomes):
        terminal.note(
            "The valid token passed in the header and in the query; the tampered and the "
            "expired token were rejected with 401."
        )
        return 0
    terminal.note("Some step did not end as expected; see the lines above.")
    return 1


def log_in_and_call(terminal: Terminal, issuer_url: str, private_url: str) -> list[bool]:
    """Log in, show the token, call the API twice with it, then with a tampered copy."""
    terminal.heading("1. Log in at the issuer")
    token = request_token(terminal, issuer_url, LOGIN_PATH)
    terminal.blank()
    show_token(terminal, token, time.time())

    terminal.heading("2. Call the API with the token in the Authorization header")
    in_header = call_api(terminal, private_url, token, expected=200)

    terminal.heading("3. Call the API with the token in the URL query")
    in_query = call_api(terminal, private_url, token, expected=200, in_query=True)
    terminal.note(
        "Prefer the header: a token in a URL ends up in server logs, proxies and browser "
        "history, so RFC 6750 §2.3 allows it only where the header cannot be sent."
    )

    terminal.heading("4. Send a tampered token")
    tampered = tamper_with_role(terminal, token)
    rejected = call_api(terminal, private_url, tampered, expected=401)
    terminal.note(
        "Why: the signature covers the exact bytes of header and payload, so it no longer "
        "matches, and only the issuer's private key could sign the new payload. jwtkit's "
        "message for a bad signature is fixed on purpose: it tells an attacker nothing."
    )
    return [in_header, in_query, rejected]


def send_expired(terminal: Terminal, issuer_url: str, private_url: str) -> bool:
    """Get an expired token from the issuer's demo aid and show the API rejecting it."""
    terminal.heading("5. Send an expired token")
    token = request_token(terminal, issuer_url, EXPIRED_TOKEN_PATH)
    rejected = call_api(terminal, private_url, token, expected=401)
    terminal.note(
        f"Why: the signature is valid, but exp lies further in the past than the API's "
        f"{LEEWAY} s of leeway for clock differences. The client has to log in again."
    )
    return rejected


def request_token(terminal: Terminal, issuer_url: str, path: str) -> str:
    """Post the demo credentials to the issuer's ``path``; return the access token of the reply."""
    note = " (a demo aid: a real issuer never signs an expired token)"
    if path != EXPIRED_TOKEN_PATH:
        note = ""
    terminal.step("client", f"POST {path} as {USERNAME!r}{note}")
    reply = call("POST", issuer_url + path, json_body={"username": USERNAME, "password": PASSWORD})
    token = reply.body.get("access_token")
    if reply.status != 200 or not isinstance(token, str):
        raise DemoError(f"POST {path} returned {reply.status}: {reply.body}")
    terminal.step(
        "client",
        f"{_status_line(reply)}: a {reply.body.get('token_type')} token of {len(token)} "
        f"characters, expires_in {reply.body.get('expires_in')} s",
    )
    return token


def call_api(
    terminal: Terminal, url: str, token: str, *, expected: int, in_query: bool = False
) -> bool:
    """Call GET /private with ``token``, print the reply, and tell whether it was ``expected``."""
    if in_query:
        url = f"{url}?{urlencode({QUERY_PARAMETER: token})}"
        terminal.step("client", f"GET {PRIVATE_PATH}?{QUERY_PARAMETER}={shorten(token)}")
        reply = call("GET", url)
    else:
        terminal.step("client", f"GET {PRIVATE_PATH} with 'Authorization: Bearer {shorten(token)}'")
        reply = call("GET", url, headers={"Authorization": f"Bearer {token}"})

    if reply.status == 200:
        terminal.step("client", f"{_status_line(reply)}: {reply.body.get('message')}")
    else:
        terminal.step("client", f"{_status_line(reply)}: {reply.body.get('error')}")
        terminal.step("", f"reason: {reply.body.get('message')}")
        # The challenge repeats the reason as error_description; show it once.
        challenge = reply.headers.get("WWW-Authenticate", "(none)")
        challenge, has_description, _ = challenge.partition(", error_description=")
        if has_description:
            challenge += ", error_description=<the reason>"
        terminal.step("", f"WWW-Authenticate: {challenge}")
    return reply.status == expected


def tamper_with_role(terminal: Terminal, token: str) -> str:
    """Change the role claim in the token's payload and keep the header and signature."""
    header_part, _, signature_part = token.split(".")
    claims = decode_unverified(token).claims
    terminal.step(
        "attacker",
        f"decodes the payload and changes the claim role from {claims['role']!r} to "
        f"{TAMPERED_ROLE!r}, then base64url-encodes it again and keeps the signature",
    )
    claims["role"] = TAMPERED_ROLE
    payload_part = b64url_encode(json_dumps(claims))
    return f"{header_part}.{payload_part}.{signature_part}"


def _status_line(reply: Reply) -> str:
    return f"{reply.status} {HTTPStatus(reply.status).phrase}"
