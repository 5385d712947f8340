"""The debugger page in Chromium, against ``jwtkit serve --no-browser --port 0``.

Each test that takes the page through a task records the requests it makes
and checks that none left the page's own origin, and that the browser logged no
error (a violation of the Content-Security-Policy would be one). Set
JWTKIT_SCREENSHOT_DIR to keep the screenshots, as the ones in docs/screenshots
were made.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest

import jwtkit
from jwtkit import Key
from tests.cli.conftest import SRC_DIR, TUTORIAL_TOKEN
from tests.conftest import require
from tests.web.conftest import Vector

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous, because the machine running the tests may be busy; no test
# asserts how fast anything happens.
WAIT_MS = 60_000
URL_LINE = re.compile(r"jwtkit debugger: (http://127\.0\.0\.1:\d+/)")

if importlib.util.find_spec("playwright") is not None:
    from playwright.sync_api import Browser, Page, expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "jwtkit", "serve", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = URL_LINE.search(line)
        assert match is not None, f"jwtkit serve printed {line!r} instead of its URL"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require(importlib.util.find_spec("playwright") is not None, "the playwright package")
    require(CHROMIUM.is_file(), f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class DebuggerPage:
    """A browser tab on the debugger page that records its requests and console errors."""

    def __init__(self, page: Page, url: str, screenshot_dir: Path) -> None:
        self.page = page
        self.url = url
        self.screenshot_dir = screenshot_dir
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._record_console_message)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.goto(url)

    def _record_console_message(self, message: Any) -> None:
        # Chromium logs every HTTP error response. The API responds with 400
        # to input it rejects, and the page shows the error, so those are expected.
        if message.type == "error" and not message.text.endswith("status of 400 (Bad Request)"):
            self.console_errors.append(message.text)

    def paste_token(self, token: str) -> None:
        self.page.fill("#token", token)

    def enter_key(self, text: str, key_format: str = "auto") -> None:
        self.page.select_option("#key-format", key_format)
        self.page.fill("#key", text)

    def verify(self) -> None:
        self.page.click("#verify-button")

    def expect_verdict(self, name: str, state: str, title: str) -> None:
        expect(self.page.locator(f"#verdict-{name}")).to_have_attribute("data-state", state)
        expect(self.page.locator(f"#verdict-{name}-title")).to_have_text(title)

    def screenshot(self, name: str) -> None:
        self.page.screenshot(path=str(self.screenshot_dir / name), full_page=True)

    def check_stayed_local(self) -> None:
        own = urlsplit(self.url)
        foreign = [
            url
            for url in self.requests
            if (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
        ]
        assert foreign == []
        assert self.requests, "the page made no request at all"
        assert self.console_errors == []


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("JWTKIT_SCREENSHOT_DIR")
    if not configured:
        return tmp_path
    directory = Path(configured)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def open_page(browser: Browser, url: str, screenshot_dir: Path, **context: Any) -> DebuggerPage:
    tab = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    return DebuggerPage(tab, url, screenshot_dir)


@pytest.fixture
def debugger_page(browser: Browser, page_url: str, screenshot_dir: Path) -> Iterator[DebuggerPage]:
    page = open_page(browser, page_url, screenshot_dir)
    yield page
    page.page.context.close()


def flip_signature_character(token: str) -> str:
    head, _, signature = token.rpartition(".")
    replacement = "A" if signature[5] != "A" else "B"
    return f"{head}.{signature[:5]}{replacement}{signature[6:]}"


# -- decode and verify ------------------------------------------------------------------


def test_rfc7515_token_verified(debugger_page: DebuggerPage, rfc7515_a1: Vector) -> None:
    page = debugger_page.page

    debugger_page.paste_token(rfc7515_a1.token)

    expect(page.locator("#header-json")).to_contain_text('"alg": "HS256"')
    expect(page.locator("#claims-json")).to_contain_text('"iss": "joe"')
    expect(page.locator("#claims-json .j-note")).to_contain_text("2011-03-22T18:43:00Z, expired")
    expect(page.locator("#dates .date-relative")).to_have_text(re.compile(r"expired \d+ years ago"))
    expect(page.locator("#dates")).to_contain_text("2011-03-22 18:43:00 UTC")
    expect(page.locator("#token-backdrop .part-header")).to_have_text(
        rfc7515_a1.token.split(".")[0]
    )
    expect(page.locator("#token-backdrop .part-signature")).to_have_text(
        rfc7515_a1.token.split(".")[2]
    )
    debugger_page.expect_verdict("signature", "unknown", "Signature not verified")

    debugger_page.enter_key(rfc7515_a1.jwk)
    debugger_page.verify()

    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    expect(page.locator("#verdict-signature-detail")).to_have_text(
        "HS256 with the oct secret key, 512 bits."
    )
    # exp 1300819380 is in 2011: the signature holds, the claims do not.
    debugger_page.expect_verdict("claims", "bad", "Claims rejected")
    expect(page.locator("#verdict-claims-detail")).to_contain_text(
        "token_expired: the token expired at 2011-03-22T18:43:00Z"
    )
    debugger_page.screenshot("verified.png")
    debugger_page.check_stayed_local()


def test_flipped_character_fails(debugger_page: DebuggerPage, rfc7515_a1: Vector) -> None:
    page = debugger_page.page
    debugger_page.paste_token(rfc7515_a1.token)
    debugger_page.enter_key(rfc7515_a1.jwk, "jwk")
    debugger_page.verify()
    debugger_page.expect_verdict("signature", "ok", "Signature verified")

    debugger_page.paste_token(flip_signature_character(rfc7515_a1.token))

    debugger_page.expect_verdict("signature", "bad", "Signature invalid")
    expect(page.locator("#verdict-signature-detail")).to_have_text(
        "invalid_signature: the token's signature does not verify with the given key"
    )
    debugger_page.expect_verdict("claims", "unknown", "Claims not checked")
    debugger_page.screenshot("invalid-signature.png")
    debugger_page.check_stayed_local()


def test_malformed_token_reason(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page

    debugger_page.paste_token("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24")

    expect(page.locator("#decode-error")).to_be_visible()
    expect(page.locator("#decode-error")).to_contain_text(
        "malformed_token: the token has 2 part(s)"
    )
    expect(page.locator("#lint-summary")).to_contain_text("Lint could not run: malformed_token")
    debugger_page.check_stayed_local()


def test_weak_key_needs_checkbox(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page
    debugger_page.paste_token(TUTORIAL_TOKEN)
    debugger_page.enter_key("secret", "secret")

    debugger_page.verify()

    debugger_page.expect_verdict("signature", "bad", "Signature not verified")
    expect(page.locator("#verdict-signature-detail")).to_contain_text(
        "weak_key: the HMAC secret is 6 bytes, but HS256 needs at least 32 bytes"
    )

    page.check("#allow-weak-key")
    debugger_page.verify()

    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    debugger_page.expect_verdict("claims", "bad", "Claims rejected")
    expect(page.locator("#verdict-claims-detail")).to_contain_text(
        "invalid_claim: claim 'exp' must be a NumericDate"
    )
    debugger_page.check_stayed_local()


def test_key_loaded_from_file(
    debugger_page: DebuggerPage, rfc7515_a1: Vector, vectors_dir: Path
) -> None:
    page = debugger_page.page
    debugger_page.paste_token(rfc7515_a1.token)

    key_file = vectors_dir / "latchset-jose" / "tests" / "vectors" / "rfc7515_A.1.jwk"
    page.set_input_files("#key-file", str(key_file))

    expect(page.locator("#key")).to_have_value(re.compile(r'"kty":"oct"'))
    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    debugger_page.check_stayed_local()


def test_expected_audience(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page
    key = Key.generate("EC")
    token = jwtkit.encode({"aud": "api", "exp": int(time.time()) + 600}, key, "ES256")
    debugger_page.paste_token(token)
    debugger_page.enter_key(key.public_key().to_pem().decode(), "pem")
    debugger_page.verify()
    debugger_page.expect_verdict("claims", "bad", "Claims rejected")

    page.click(".expectations summary")
    page.fill("#expected-audience", "api")
    debugger_page.verify()

    debugger_page.expect_verdict("claims", "ok", "Claims valid now")
    debugger_page.check_stayed_local()


# -- edit, re-sign and generate keys ------------------------------------------------------


def test_edit_claim_and_resign(debugger_page: DebuggerPage, rfc7515_a1: Vector) -> None:
    page = debugger_page.page
    debugger_page.paste_token(rfc7515_a1.token)
    debugger_page.enter_key(rfc7515_a1.jwk)
    expect(page.locator("#edit-claims")).to_have_value(re.compile('"iss": "joe"'))
    exp = int(time.time()) + 3600

    page.fill("#edit-claims", json.dumps({"iss": "alice", "exp": exp}, indent=2))
    page.click("#sign-button")

    expect(page.locator("#sign-notice")).to_have_text(
        "Signed with HS256. The encoded token above is the new one."
    )
    expect(page.locator("#claims-json")).to_contain_text('"iss": "alice"')
    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    debugger_page.expect_verdict("claims", "ok", "Claims valid now")
    expect(page.locator("#verdict-claims-detail")).to_have_text("exp and iss pass at this moment.")
    new_token = page.input_value("#token")
    assert new_token != rfc7515_a1.token
    claims = jwtkit.decode(new_token, Key.from_jwk(rfc7515_a1.jwk), algorithms=["HS256"])
    assert claims == {"iss": "alice", "exp": exp}
    debugger_page.screenshot("re-signed.png")
    debugger_page.check_stayed_local()


def test_generate_key_and_sign(debugger_page: DebuggerPage, rfc7515_a1: Vector) -> None:
    page = debugger_page.page
    debugger_page.paste_token(rfc7515_a1.token)
    # Decoding sets the algorithm from the token, so choose only after it.
    expect(page.locator("#header-json")).to_contain_text('"alg": "HS256"')
    page.select_option("#sign-algorithm", "ES256")

    page.click("#keygen-button")

    expect(page.locator("#key")).to_have_value(re.compile('"kty": "EC"'))
    expect(page.locator("#public-key-text")).to_have_value(re.compile("BEGIN PUBLIC KEY"))
    expect(page.locator("#sign-notice")).to_contain_text("Generated an ES256 key with kid ")

    page.click("#sign-button")

    expect(page.locator("#header-json")).to_contain_text('"alg": "ES256"')
    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    expect(page.locator("#verdict-signature-detail")).to_contain_text(
        "ES256 with the EC private key"
    )
    public_pem = page.input_value("#public-key-text").split("\n\n", 1)[1]
    token = page.input_value("#token")
    verified = jwtkit.jws.verify_compact(token, public_pem, algorithms=["ES256"])
    assert verified.protected["kid"] == Key.from_pem(public_pem).thumbprint()
    debugger_page.screenshot("generated-key.png")
    debugger_page.check_stayed_local()


# -- lint -----------------------------------------------------------------------------------


def test_lint_findings_shown(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page

    debugger_page.paste_token(TUTORIAL_TOKEN)

    findings = page.locator("#findings .finding")
    expect(findings).to_have_count(4)
    expect(page.locator("#findings .finding-code")).to_have_text(
        ["known-secret", "exp-not-numericdate", "aud-missing", "iss-missing"]
    )
    expect(findings.first.locator(".badge")).to_have_text("high")
    expect(findings.first).to_contain_text("verifies with 'secret'")
    expect(page.locator("#lint-summary")).to_have_text("4 findings: 2 high, 1 medium, 1 low.")
    debugger_page.expect_verdict("lint", "bad", "Lint: 2 high, 1 medium, 1 low")
    expect(page.locator("#dates .date-relative")).to_have_text("not a NumericDate")
    expect(page.locator("#claims-json .j-note")).to_have_text("  // not a NumericDate")
    debugger_page.screenshot("lint.png")
    debugger_page.check_stayed_local()


def test_unsigned_token(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page

    debugger_page.paste_token("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")

    expect(page.locator("#signature-info")).to_have_text(
        "Empty: the token is unsigned, so anyone could have written it."
    )
    expect(page.locator("#findings .finding-code").first).to_have_text("alg-none")
    debugger_page.check_stayed_local()


def test_lint_runs_without_unusable_key(debugger_page: DebuggerPage) -> None:
    page = debugger_page.page
    debugger_page.enter_key('{"kty": "RSA"}', "jwk")

    debugger_page.paste_token(TUTORIAL_TOKEN)

    expect(page.locator("#findings .finding")).to_have_count(4)
    expect(page.locator("#lint-summary")).to_contain_text(
        "The key was left out of the checks: invalid_key: RSA JWK is missing the required member"
    )
    debugger_page.check_stayed_local()


# -- keyboard, narrow window and the page's own defences -----------------------------------


def tab_to(page: Page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} was not reached with {limit} presses of Tab")


def test_keyboard_only(debugger_page: DebuggerPage, rfc7515_a1: Vector) -> None:
    page = debugger_page.page

    tab_to(page, "token")
    page.keyboard.insert_text(rfc7515_a1.token)
    tab_to(page, "key")
    page.keyboard.insert_text(rfc7515_a1.jwk)
    tab_to(page, "verify-button")
    outline = page.evaluate(
        "[getComputedStyle(document.activeElement).outlineStyle,"
        " getComputedStyle(document.activeElement).outlineWidth]"
    )
    page.keyboard.press("Enter")

    debugger_page.expect_verdict("signature", "ok", "Signature verified")
    assert outline == ["solid", "3px"]
    debugger_page.check_stayed_local()


def test_controls_have_labels(debugger_page: DebuggerPage) -> None:
    unlabelled = debugger_page.page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
            .filter((control) => control.labels.length === 0 && !control.ariaLabel)
            .map((control) => control.id)"""
    )

    assert unlabelled == []


def test_narrow_window(
    browser: Browser, page_url: str, screenshot_dir: Path, rfc7515_a1: Vector
) -> None:
    narrow = open_page(browser, page_url, screenshot_dir)
    page = narrow.page
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        narrow.paste_token(rfc7515_a1.token)
        narrow.enter_key(rfc7515_a1.jwk)
        narrow.verify()
        narrow.expect_verdict("signature", "ok", "Signature verified")

        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot_dir / "narrow.png"))
        assert widths[0] <= widths[1]
        narrow.check_stayed_local()
    finally:
        page.context.close()


class _RecordingHandler(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def other_origin() -> Iterator[tuple[str, list[str]]]:
    """A second server on 127.0.0.1 that records requests reaching it."""
    handler: type[_RecordingHandler] = type("Handler", (_RecordingHandler,), {"paths": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.paths
    server.shutdown()
    server.server_close()


def test_csp_blocks_other_origins(
    debugger_page: DebuggerPage, other_origin: tuple[str, list[str]]
) -> None:
    page = debugger_page.page
    origin, received = other_origin

    fetched = page.evaluate(
        "(url) => fetch(url).then(() => 'loaded', () => 'blocked')", f"{origin}/leak"
    )
    inline_ran = page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.append(script);
            return window.inlineRan === true;
        }"""
    )

    assert fetched == "blocked"
    assert inline_ran is False
    assert received == []
