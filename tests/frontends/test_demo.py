"""The two-party demo: the whole run as a subprocess, and its issuer and API over real HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from jwtkit import Key, encode
from jwtkit.demo.api import (
    ApiHandler,
    BearerError,
    ProtectedApi,
    challenge,
    fetch_keyset,
    find_bearer_token,
)
from jwtkit.demo.client import Reply, call
from jwtkit.demo.issuer import (
    ACCESS_TOKEN_TYPE,
    ALGORITHM,
    JWKS_PATH,
    Account,
    Issuer,
    IssuerHandler,
)
from jwtkit.demo.scenario import PASSWORD as PASSWORD_OF_DEMO
from jwtkit.demo.serving import (
    MAX_BODY_SIZE,
    DemoError,
    JSONHandler,
    ServerThread,
)

DEMO_TIMEOUT = 120
AUDIENCE = "test-api"
USERNAME = "carol"
PASSWORD = "a password for tests"


# -- the whole demo -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_run() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jwtkit.demo"],
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
    )


def section(output: str, heading: str) -> str:
    """Return the text from ``heading`` to the next numbered heading, on one line.

    Runs of whitespace become one space, so a check does not depend on where
    the demo wrapped its lines.
    """
    start = output.index(f"\n{heading}")
    end = re.compile(r"\n\n[0-9A-Z]").search(output, start + 2)
    text = output[start:] if end is None else output[start : end.start()]
    return " ".join(text.split())


def test_demo_exits_zero(demo_run: subprocess.CompletedProcess[str]) -> None:
    assert demo_run.returncode == 0, demo_run.stderr
    assert demo_run.stderr == ""


def test_demo_shows_token_parts(demo_run: subprocess.CompletedProcess[str]) -> None:
    output = demo_run.stdout
    assert "Header: how the token is signed" in output
    assert '    alg  "ES256"' in output
    assert '    typ  "at+jwt"' in output
    assert "Payload: the claims" in output
    assert '    sub        "alice"' in output
    assert '    role       "reader"' in output
    assert "Signature: 64 bytes" in output


def test_demo_accepts_token_in_header(demo_run: subprocess.CompletedProcess[str]) -> None:
    lines = section(demo_run.stdout, "2. Call the API with the token in the Authorization header")
    assert "client GET /private with 'Authorization: Bearer eyJ" in lines
    assert "api token from the header: signature checked with kid" in lines
    assert "client 200 OK: hello alice, this is private" in lines


def test_demo_accepts_token_in_query(demo_run: subprocess.CompletedProcess[str]) -> None:
    lines = section(demo_run.stdout, "3. Call the API with the token in the URL query")
    assert "client GET /private?token=eyJ" in lines
    assert "api token from the query: signature checked with kid" in lines
    assert "client 200 OK: hello alice, this is private" in lines


def test_demo_rejects_tampered_token(demo_run: subprocess.CompletedProcess[str]) -> None:
    lines = section(demo_run.stdout, "4. Send a tampered token")
    assert "changes the claim role from 'reader' to 'admin'" in lines
    assert "client 401 Unauthorized: invalid_signature" in lines
    assert "reason: the token's signature does not verify" in lines
    assert 'WWW-Authenticate: Bearer realm="jwtkit-demo", error="invalid_token"' in lines


def test_demo_rejects_expired_token(demo_run: subprocess.CompletedProcess[str]) -> None:
    lines = section(demo_run.stdout, "5. Send an expired token")
    assert "POST /demo/expired-token as 'alice' (a demo aid" in lines
    assert "client 401 Unauthorized: token_expired" in lines
    assert "reason: the token expired at" in lines
    assert 'WWW-Authenticate: Bearer realm="jwtkit-demo", error="invalid_token"' in lines


def test_demo_hides_password_and_token(demo_run: subprocess.CompletedProcess[str]) -> None:
    assert PASSWORD_OF_DEMO not in demo_run.stdout
    # Tokens appear only shortened, so no line carries a whole header part.
    assert re.search(r"eyJ[A-Za-z0-9_-]{30,}", demo_run.stdout) is None


def test_library_does_not_import_demo() -> None:
    probe = "import sys, jwtkit; print(sorted(m for m in sys.modules if 'demo' in m))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_demo_reports_servers_stopped(demo_run: subprocess.CompletedProcess[str]) -> None:
    lines = section(demo_run.stdout, "Done")
    assert "Both servers are stopped." in lines
    assert "rejected with 401" in lines


# -- the issuer and the API over HTTP ------------------------------------------------------------


@dataclass
class Parties:
    issuer: Issuer
    api_url: str
    narration: list[str]

    @property
    def private_url(self) -> str:
        return self.api_url + "/private"

    def login(self) -> str:
        credentials = {"username": USERNAME, "password": PASSWORD}
        reply = call("POST", self.issuer.url + "/login", json_body=credentials)
        assert reply.status == 200, reply.body
        token: str = reply.body["access_token"]
        return token

    def sign(self, **changes: Any) -> str:
        """Sign a token with the issuer's key, with claims changed from a valid token's."""
        now = int(time.time())
        claims = {
            "iss": self.issuer.url,
            "sub": USERNAME,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 300,
            "role": "reader",
        }
        claims.update(changes)
        return encode(claims, self.issuer.key, ALGORITHM, headers={"typ": ACCESS_TOKEN_TYPE})


@pytest.fixture(scope="module")
def parties() -> Iterator[Parties]:
    with ServerThread("issuer") as issuer_server, ServerThread("api") as api_server:
        narration: list[str] = []
        issuer = Issuer(
            issuer_server.url,
            AUDIENCE,
            {USERNAME: Account.create(PASSWORD, "reader")},
            narration.append,
        )
        issuer_server.start(partial(IssuerHandler, issuer=issuer))
        api = ProtectedApi.from_issuer(
            issuer.url, issuer.url + JWKS_PATH, audience=AUDIENCE, narrate=narration.append
        )
        api_server.start(partial(ApiHandler, api=api))
        yield Parties(issuer=issuer, api_url=api_server.url, narration=narration)


def get_private(parties: Parties, authorization: str | None = None, query: str = "") -> Reply:
    url = parties.private_url + (f"?{query}" if query else "")
    headers = {"Authorization": authorization} if authorization is not None else {}
    return call("GET", url, headers=headers)


def assert_challenge(reply: Reply, error: str | None) -> None:
    value = reply.headers["WWW-Authenticate"]
    assert value.startswith('Bearer realm="jwtkit-demo"')
    if error is None:
        assert "error=" not in value
    else:
        assert f', error="{error}", error_description="' in value


def test_api_accepts_header_token(parties: Parties) -> None:
    reply = get_private(parties, f"Bearer {parties.login()}")
    assert reply.status == 200
    assert reply.body["message"] == "hello carol, this is private"
    assert reply.body["sub"] == USERNAME
    assert reply.body["role"] == "reader"


def test_api_accepts_lowercase_scheme(parties: Parties) -> None:
    # RFC 7235 §2.1: the authentication scheme is case-insensitive.
    reply = get_private(parties, f"bearer {parties.login()}")
    assert reply.status == 200


def test_api_accepts_query_token(parties: Parties) -> None:
    reply = get_private(parties, query=urlencode({"token": parties.login()}))
    assert reply.status == 200
    assert reply.body["sub"] == USERNAME


def test_api_rejects_missing_authorization(parties: Parties) -> None:
    reply = get_private(parties)
    assert reply.status == 401
    assert reply.body["error"] == "missing_token"
    assert "send it as 'Authorization: Bearer <token>'" in reply.body["message"]
    # RFC 6750 §3: a request without credentials gets a challenge without an error code.
    assert_challenge(reply, None)


def test_api_rejects_other_scheme(parties: Parties) -> None:
    reply = get_private(parties, "Basic Y2Fyb2w6c2VjcmV0")
    assert reply.status == 401
    assert reply.body["error"] == "unsupported_scheme"
    assert "uses the scheme 'Basic'" in reply.body["message"]
    assert "Y2Fyb2w6c2VjcmV0" not in json.dumps(reply.body)
    assert_challenge(reply, None)


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Bearer", "the Authorization header has no token"),
        ("Bearer ", "the Authorization header has no token"),
        ("Bearer abc def", "contains characters a bearer token cannot have"),
        ("Bearer abc,def", "contains characters a bearer token cannot have"),
        ('Bearer "abc"', "contains characters a bearer token cannot have"),
        ("Bearer abc=def", "contains characters a bearer token cannot have"),
    ],
)
def test_api_rejects_garbled_bearer(parties: Parties, authorization: str, message: str) -> None:
    reply = get_private(parties, authorization)
    assert reply.status == 400
    assert reply.body["error"] == "invalid_request"
    assert message in reply.body["message"]
    assert_challenge(reply, "invalid_request")


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJ.eyJ.", "a.b.c.d.e"])
def test_api_rejects_malformed_jwt(parties: Parties, token: str) -> None:
    reply = get_private(parties, f"Bearer {token}")
    assert reply.status == 401
    assert reply.body["error"] == "malformed_token"
    assert reply.body["message"]
    assert_challenge(reply, "invalid_token")


def test_api_rejects_token_in_both_places(parties: Parties) -> None:
    token = parties.login()
    reply = get_private(parties, f"Bearer {token}", urlencode({"token": token}))
    assert reply.status == 400
    assert reply.body["error"] == "invalid_request"
    assert "in both the Authorization header and the 'token' query parameter" in reply.body[
        "message"
    ]
    assert_challenge(reply, "invalid_request")


def test_api_rejects_two_query_tokens(parties: Parties) -> None:
    token = parties.login()
    reply = get_private(parties, query=urlencode([("token", token), ("token", token)]))
    assert reply.status == 400
    assert reply.body["error"] == "invalid_request"
    assert "more than one token" in reply.body["message"]


def test_api_rejects_empty_query_token(parties: Parties) -> None:
    reply = get_private(parties, query="token=")
    assert reply.status == 400
    assert reply.body["error"] == "invalid_request"
    assert "the 'token' query parameter has no token" in reply.body["message"]


def test_api_rejects_two_authorization_fields(parties: Parties) -> None:
    token = parties.login()
    target = urlsplit(parties.private_url)
    connection = http.client.HTTPConnection(target.netloc, timeout=5)
    try:
        connection.putrequest("GET", target.path)
        connection.putheader("Authorization", f"Bearer {token}")
        connection.putheader("Authorization", f"Bearer {token}")
        connection.endheaders()
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 400
    assert body["error"] == "invalid_request"
    assert "more than one token" in body["message"]


def test_api_rejects_tampered_payload(parties: Parties) -> None:
    header, _, signature = parties.login().split(".")
    forged_payload = parties.sign(role="admin").split(".")[1]
    reply = get_private(parties, f"Bearer {header}.{forged_payload}.{signature}")
    assert reply.status == 401
    assert reply.body["error"] == "invalid_signature"
    assert reply.body["message"] == "the token's signature does not verify with the given key"
    assert_challenge(reply, "invalid_token")


def test_api_rejects_expired_token(parties: Parties) -> None:
    now = int(time.time())
    reply = get_private(parties, f"Bearer {parties.sign(iat=now - 3600, exp=now - 600)}")
    assert reply.status == 401
    assert reply.body["error"] == "token_expired"
    assert reply.body["message"].startswith("the token expired at ")
    assert_challenge(reply, "invalid_token")


def test_api_rejects_wrong_audience(parties: Parties) -> None:
    reply = get_private(parties, f"Bearer {parties.sign(aud='another-api')}")
    assert reply.status == 401
    assert reply.body["error"] == "invalid_audience"
    assert "'another-api'" in reply.body["message"]


def test_api_rejects_wrong_issuer(parties: Parties) -> None:
    reply = get_private(parties, f"Bearer {parties.sign(iss='http://127.0.0.1:1')}")
    assert reply.status == 401
    assert reply.body["error"] == "invalid_issuer"


def test_api_rejects_wrong_typ(parties: Parties) -> None:
    now = int(time.time())
    claims = {"iss": parties.issuer.url, "sub": USERNAME, "aud": AUDIENCE, "exp": now + 300}
    token = encode(claims, parties.issuer.key, ALGORITHM)
    reply = get_private(parties, f"Bearer {token}")
    assert reply.status == 401
    assert reply.body["error"] == "invalid_header"
    assert "'at+jwt' is expected" in reply.body["message"]


def test_api_ignores_key_in_header(parties: Parties) -> None:
    # The attacker signs with their own key and puts it into the header with
    # the issuer's kid. The API must still use only the key from the JWKS.
    attacker_key = Key.generate("EC", curve="P-256")
    claims = {
        "iss": parties.issuer.url,
        "sub": USERNAME,
        "aud": AUDIENCE,
        "exp": int(time.time()) + 300,
        "role": "admin",
    }
    headers = {
        "typ": ACCESS_TOKEN_TYPE,
        "kid": parties.issuer.key.kid,
        "jwk": attacker_key.public_key().to_jwk(),
    }
    reply = get_private(parties, f"Bearer {encode(claims, attacker_key, ALGORITHM, headers)}")
    assert reply.status == 401
    assert reply.body["error"] == "invalid_signature"


def test_api_rejects_unlisted_algorithm(parties: Parties) -> None:
    secret = Key.from_secret(b"k" * 32)
    claims = {"iss": parties.issuer.url, "sub": USERNAME, "aud": AUDIENCE}
    token = encode(claims, secret, "HS256", {"typ": ACCESS_TOKEN_TYPE})
    reply = get_private(parties, f"Bearer {token}")
    assert reply.status == 401
    assert reply.body["error"] == "algorithm_not_allowed"
    assert "'HS256'" in reply.body["message"]


def test_api_unknown_path_is_404(parties: Parties) -> None:
    reply = call("GET", parties.api_url + "/public")
    assert reply.status == 404
    assert reply.body["error"] == "not_found"


# -- the issuer ---------------------------------------------------------------------------------


def test_issuer_jwks_is_public(parties: Parties) -> None:
    reply = call("GET", parties.issuer.url + JWKS_PATH)
    assert reply.status == 200
    [jwk] = reply.body["keys"]
    assert "d" not in jwk
    assert jwk["kid"] == parties.issuer.key.kid
    assert jwk["alg"] == "ES256"
    assert jwk["crv"] == "P-256"


def test_issuer_login_response(parties: Parties) -> None:
    reply = call(
        "POST",
        parties.issuer.url + "/login",
        json_body={"username": USERNAME, "password": PASSWORD},
    )
    assert reply.status == 200
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.body["token_type"] == "Bearer"
    assert reply.body["expires_in"] == 300


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": USERNAME, "password": "wrong"},
        {"username": "mallory", "password": PASSWORD},
    ],
)
def test_issuer_rejects_bad_credentials(parties: Parties, credentials: dict[str, str]) -> None:
    reply = call("POST", parties.issuer.url + "/login", json_body=credentials)
    assert reply.status == 401
    assert reply.body == {
        "error": "invalid_credentials",
        "message": "the username or password is wrong",
    }


@pytest.mark.parametrize(
    "body",
    [{"username": USERNAME}, {"username": USERNAME, "password": 1}, {}],
)
def test_issuer_rejects_incomplete_login(parties: Parties, body: dict[str, Any]) -> None:
    reply = call("POST", parties.issuer.url + "/login", json_body=body)
    assert reply.status == 400
    assert reply.body["error"] == "invalid_request"
    assert "username" in reply.body["message"]


def post_raw(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    target = urlsplit(url)
    connection = http.client.HTTPConnection(target.netloc, timeout=5)
    try:
        connection.request("POST", target.path, body=body)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe{", b"[" * 3000])
def test_issuer_rejects_non_object_body(parties: Parties, body: bytes) -> None:
    status, reply = post_raw(parties.issuer.url + "/login", body)
    assert status == 400
    assert reply["error"] == "invalid_request"


def test_issuer_rejects_large_body(parties: Parties) -> None:
    status, reply = post_raw(parties.issuer.url + "/login", b" " * (MAX_BODY_SIZE + 1))
    assert status == 413
    assert reply["error"] == "body_too_large"


def test_narration_hides_secrets(parties: Parties) -> None:
    token = parties.login()
    get_private(parties, f"Bearer {token}")
    call("POST", parties.issuer.url + "/login", json_body={"username": USERNAME, "password": "x!"})
    narration = "\n".join(parties.narration)
    assert "rejected POST /login with 401: the username or password is wrong" in narration
    assert PASSWORD not in narration
    assert "x!" not in narration
    assert token not in narration
    assert "token from the header: signature checked with kid" in narration


def test_issuer_expired_token_is_expired(parties: Parties) -> None:
    reply = call(
        "POST",
        parties.issuer.url + "/demo/expired-token",
        json_body={"username": USERNAME, "password": PASSWORD},
    )
    assert reply.status == 200
    token = reply.body["access_token"]
    api_reply = get_private(parties, f"Bearer {token}")
    assert api_reply.status == 401
    assert api_reply.body["error"] == "token_expired"


# -- the parts on their own ---------------------------------------------------------------------


def test_find_bearer_token_places() -> None:
    assert find_bearer_token(["Bearer abc.def.ghi"], "") == ("abc.def.ghi", "header")
    assert find_bearer_token(["Bearer   abc"], "") == ("abc", "header")
    assert find_bearer_token([], "token=abc.def") == ("abc.def", "query")
    assert find_bearer_token([], "other=1&token=abc") == ("abc", "query")


def test_find_bearer_token_missing() -> None:
    with pytest.raises(BearerError) as caught:
        find_bearer_token([], "other=1")
    assert caught.value.status == 401
    assert caught.value.code == "missing_token"
    assert caught.value.challenge_error is None


def test_challenge_quotes_description() -> None:
    value = challenge("invalid_token", 'claim "aud" is \\ wrong, caf\u00e9')
    assert value == (
        'Bearer realm="jwtkit-demo", error="invalid_token", '
        "error_description=\"claim 'aud' is / wrong, caf?\""
    )


def test_fetch_keyset_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more, so the connection is refused.
    with pytest.raises(DemoError, match=r"cannot fetch the JWKS at http://127\.0\.0\.1:\d+/jwks"):
        fetch_keyset(f"http://127.0.0.1:{port}/jwks", timeout=5)


class NotAKeySetHandler(JSONHandler):
    def do_GET(self) -> None:
        self.send_json(200, {"keys": "none"})


def test_fetch_keyset_rejects_non_jwks() -> None:
    with ServerThread("not a JWKS") as server:
        server.start(NotAKeySetHandler)
        with pytest.raises(DemoError, match="is invalid: a JWK Set must have a 'keys' member"):
            fetch_keyset(server.url + "/jwks", timeout=5)


def test_fetch_keyset_rejects_http_error(parties: Parties) -> None:
    with pytest.raises(DemoError, match="HTTP Error 404"):
        fetch_keyset(parties.api_url + "/jwks", timeout=5)
