// jwtkit debugger page. Every operation is a POST to the jwtkit process that
// served this page; nothing is fetched from or sent to another origin. Text
// from tokens and keys is only ever inserted with textContent.
"use strict";

(() => {
  const session = document.querySelector('meta[name="jwtkit-session"]').content;
  const algorithms = document
    .querySelector('meta[name="jwtkit-algorithms"]')
    .content.split(" ")
    .filter(Boolean);

  const $ = (id) => document.getElementById(id);
  const tokenInput = $("token");
  const keyInput = $("key");

  // Each token change gets a number, and so does each verification and lint
  // request. A response is shown only if nothing newer was requested since, so
  // fast typing or clicking never leaves the result of an older request.
  let tokenGeneration = 0;
  let verifyGeneration = 0;
  let lintGeneration = 0;

  // -- API -----------------------------------------------------------------------

  async function callApi(endpoint, body) {
    let response;
    try {
      response = await fetch(`/api/${endpoint}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Jwtkit-Session": session },
        body: JSON.stringify(body),
        cache: "no-store",
        credentials: "same-origin",
      });
    } catch (error) {
      return {
        error: {
          code: "server_unreachable",
          message: "the jwtkit process does not respond; is `jwtkit serve` still running?",
        },
      };
    }
    try {
      return await response.json();
    } catch (error) {
      return {
        error: {
          code: "invalid_response",
          message: `the server responded with HTTP ${response.status} and no JSON body`,
        },
      };
    }
  }

  // -- small DOM helpers ---------------------------------------------------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showError(node, error) {
    node.replaceChildren();
    if (!error) {
      node.hidden = true;
      return;
    }
    node.append(element("span", "error-code", error.code), `: ${error.message}`);
    node.hidden = false;
  }

  function showNotice(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  function keyRequest() {
    return { format: $("key-format").value, text: keyInput.value };
  }

  function hasKey() {
    return keyInput.value.trim() !== "";
  }

  // -- the coloured token --------------------------------------------------------

  const PART_CLASSES = ["part-header", "part-payload", "part-signature"];
  const PART_SIZES = ["size-header", "size-payload", "size-signature"];

  function renderBackdrop() {
    const backdrop = $("token-backdrop");
    const segments = tokenInput.value.split(".");
    backdrop.replaceChildren();
    segments.forEach((segment, index) => {
      if (index > 0) backdrop.append(element("span", "part-dot", "."));
      backdrop.append(element("span", PART_CLASSES[index] || "part-extra", segment));
    });
    // A trailing newline in a textarea adds a line, so the copy needs one too.
    backdrop.append("\n");

    PART_SIZES.forEach((id, index) => {
      const present = tokenInput.value.trim() !== "" && index < segments.length;
      $(id).textContent = present ? `(${segments[index].trim().length} characters)` : "";
    });
  }

  // -- JSON with highlighting and date notes -----------------------------------------

  const JSON_TOKEN =
    /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])/g;

  function renderJson(node, text, notes) {
    node.replaceChildren();
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      if (index > 0) node.append("\n");
      appendHighlighted(node, line);
      const note = notes && topLevelNote(line, notes);
      if (note) {
        const span = element("span", "j-note", `  ${note.text}`);
        span.dataset.past = String(note.expired);
        node.append(span);
      }
    });
  }

  function appendHighlighted(node, line) {
    let last = 0;
    for (const match of line.matchAll(JSON_TOKEN)) {
      if (match.index > last) node.append(line.slice(last, match.index));
      if (match[1] !== undefined) {
        node.append(element("span", match[2] ? "j-key" : "j-string", match[1]));
        if (match[2]) node.append(element("span", "j-punct", match[2]));
      } else if (match[3] !== undefined) {
        node.append(element("span", "j-number", match[3]));
      } else if (match[4] !== undefined) {
        node.append(element("span", "j-literal", match[4]));
      } else {
        node.append(element("span", "j-punct", match[5]));
      }
      last = match.index + match[0].length;
    }
    if (last < line.length) node.append(line.slice(last));
  }

  // The pretty JSON comes from Python with a two-space indent, so a top-level
  // member is a line that starts with exactly two spaces and a quote.
  function topLevelNote(line, notes) {
    const match = /^ {2}"([^"\\]+)":/.exec(line);
    return match ? notes.get(match[1]) : undefined;
  }

  function showJsonPart(node, part, notes) {
    if (!part) {
      node.replaceChildren();
      return;
    }
    if (part.error) {
      node.replaceChildren(element("span", "j-error", `${part.error.code}: ${part.error.message}`));
      return;
    }
    renderJson(node, part.json, notes);
  }

  // -- dates ---------------------------------------------------------------------

  function localTime(epochMs) {
    if (epochMs === null) return "outside the range a browser can show";
    return new Date(epochMs).toLocaleString(undefined, {
      dateStyle: "medium",
      timeStyle: "long",
    });
  }

  function renderDates(dates) {
    const list = $("dates");
    list.replaceChildren();
    $("dates-empty").hidden = dates.length > 0;
    for (const date of dates) {
      const item = element("div", "date");
      item.append(element("dt", "", date.claim));
      const relative = element("dd", "date-relative", date.relative);
      relative.dataset.expired = String(date.claim === "exp" && date.past);
      relative.dataset.numericdate = String(date.numericdate);
      item.append(relative);
      const times = element("dd", "date-times");
      if (date.numericdate) {
        times.append(
          `${date.utc.replace("T", " ").replace("Z", " UTC")}`,
          element("br"),
          `${localTime(date.epoch_ms)} (your time)`,
          element("br"),
          `NumericDate ${date.value}`,
        );
      } else {
        times.append(
          `The value is ${date.value}; a NumericDate is a number of seconds since ` +
            "1970-01-01T00:00:00Z, so verifiers reject or ignore this claim.",
        );
      }
      item.append(times);
      list.append(item);
    }
  }

  function dateNotes(dates) {
    const notes = new Map();
    for (const date of dates) {
      notes.set(date.claim, {
        text: date.numericdate ? `// ${date.utc}, ${date.relative}` : "// not a NumericDate",
        expired: (date.claim === "exp" && date.past) || !date.numericdate,
      });
    }
    return notes;
  }

  // -- decode --------------------------------------------------------------------

  function clearDecoded() {
    $("header-json").replaceChildren();
    $("claims-json").replaceChildren();
    renderDates([]);
    $("dates-empty").textContent = "—";
    $("signature-info").textContent = "—";
    showError($("decode-error"), null);
  }

  function renderDecoded(result) {
    showError($("decode-error"), result.error);
    const notes = dateNotes(result.dates || []);
    showJsonPart($("header-json"), result.header);
    showJsonPart($("claims-json"), result.claims, notes);
    renderDates(result.dates || []);
    $("dates-empty").textContent = "No date claims (exp, nbf, iat, auth_time).";

    const signature = result.signature;
    if (!signature) {
      $("signature-info").textContent = "—";
    } else if (signature.error) {
      $("signature-info").textContent = `${signature.error.code}: ${signature.error.message}`;
    } else if (signature.bytes === 0) {
      $("signature-info").textContent =
        "Empty: the token is unsigned, so anyone could have written it.";
    } else {
      const alg = typeof result.alg === "string" ? result.alg : "no alg";
      $("signature-info").textContent =
        `${signature.bytes} bytes, made with ${alg}. It is checked when you verify with a key.`;
    }

    if (result.header && result.header.json) $("edit-header").value = result.header.json;
    if (result.claims && result.claims.json) $("edit-claims").value = result.claims.json;
    if (algorithms.includes(result.alg)) $("sign-algorithm").value = result.alg;
  }

  // -- verdicts ------------------------------------------------------------------

  const ICONS = { ok: "✓", bad: "✗", warn: "!", unknown: "?" };

  function setVerdict(name, state, title, detail) {
    const box = $(`verdict-${name}`);
    box.dataset.state = state;
    box.querySelector(".verdict-icon").textContent = ICONS[state];
    $(`verdict-${name}-title`).textContent = title;
    const detailNode = $(`verdict-${name}-detail`);
    detailNode.replaceChildren();
    if (detail && typeof detail === "object") {
      detailNode.append(element("span", "error-code", detail.code), `: ${detail.message}`);
    } else {
      detailNode.textContent = detail || "";
    }
  }

  function resetVerdicts() {
    setVerdict(
      "signature",
      "unknown",
      "Signature not verified",
      "Enter a key in “Verify with a key” and choose Verify.",
    );
    setVerdict(
      "claims",
      "unknown",
      "Claims not checked",
      "Claims are checked once the signature verifies.",
    );
  }

  function renderVerification(result) {
    const signature = result.signature;
    if (signature.valid) {
      setVerdict(
        "signature",
        "ok",
        "Signature verified",
        `${signature.alg} with the ${signature.key}.`,
      );
    } else {
      const forged = signature.error.code === "invalid_signature";
      setVerdict(
        "signature",
        "bad",
        forged ? "Signature invalid" : "Signature not verified",
        signature.error,
      );
    }

    const claims = result.claims;
    if (!claims.checked) {
      setVerdict(
        "claims",
        "unknown",
        "Claims not checked",
        "Claims of a token whose signature does not verify cannot be trusted.",
      );
    } else if (claims.valid) {
      setVerdict("claims", "ok", "Claims valid now", describeValidated(claims.validated));
    } else {
      setVerdict("claims", "bad", "Claims rejected", claims.error);
    }
  }

  function describeValidated(names) {
    if (names.length === 0) {
      return "The token has no registered claim to check, not even exp: it never expires.";
    }
    const listed =
      names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
    return `${listed} ${names.length === 1 ? "passes" : "pass"} at this moment.`;
  }

  // -- actions -------------------------------------------------------------------

  async function onTokenChanged() {
    renderBackdrop();
    const generation = ++tokenGeneration;
    const token = tokenInput.value.trim();
    resetVerdicts();
    if (!token) {
      clearDecoded();
      renderFindings(null);
      return;
    }

    const decoded = await callApi("decode", { token });
    if (generation !== tokenGeneration) return;
    if (decoded.parts === undefined) {
      clearDecoded();
      showError($("decode-error"), decoded.error);
    } else {
      renderDecoded(decoded);
    }

    await Promise.all([runLint(generation), hasKey() ? verify(generation) : null]);
  }

  async function verify(generation = tokenGeneration) {
    const request = ++verifyGeneration;
    const token = tokenInput.value.trim();
    showError($("key-error"), null);
    if (!token) return;
    if (!hasKey()) {
      showError($("key-error"), {
        code: "missing_key",
        message: "paste a key, load one from a file, or generate one below",
      });
      return;
    }
    const result = await callApi("verify", {
      token,
      key: keyRequest(),
      algorithm: $("verify-algorithm").value,
      allow_weak_key: $("allow-weak-key").checked,
      issuer: $("expected-issuer").value,
      audience: $("expected-audience").value,
    });
    if (generation !== tokenGeneration || request !== verifyGeneration) return;
    if (result.error) {
      resetVerdicts();
      showError($("key-error"), result.error);
      return;
    }
    renderVerification(result);
  }

  // Error codes of a key that lint cannot use. Lint then runs on the token alone.
  const KEY_ERRORS = ["invalid_key", "weak_key", "usage_error"];

  async function runLint(generation = tokenGeneration) {
    const request = ++lintGeneration;
    const token = tokenInput.value.trim();
    if (!token) return;
    let result = await callApi("lint", hasKey() ? { token, key: keyRequest() } : { token });
    let keyError = null;
    // A key that cannot be read should not hide what lint finds in the token.
    if (result.error && hasKey() && KEY_ERRORS.includes(result.error.code)) {
      keyError = result.error;
      result = await callApi("lint", { token });
    }
    if (generation !== tokenGeneration || request !== lintGeneration) return;
    renderFindings(result);
    if (keyError && !result.error) {
      $("lint-summary").append(
        " The key was left out of the checks: ",
        element("span", "error-code", keyError.code),
        `: ${keyError.message}`,
      );
    }
  }

  const SEVERITIES = ["high", "medium", "low"];
  // The lint verdict takes the state of the most severe finding.
  const LINT_STATES = { high: "bad", medium: "warn", low: "warn" };

  function renderFindings(result) {
    const list = $("findings");
    const summary = $("lint-summary");
    list.replaceChildren();
    if (result === null) {
      summary.textContent = "Paste a token to see its weaknesses.";
      setVerdict("lint", "unknown", "Lint not run", "Paste a token to see its weaknesses.");
      return;
    }
    if (result.error) {
      summary.replaceChildren(
        "Lint could not run: ",
        element("span", "error-code", result.error.code),
        `: ${result.error.message}`,
      );
      setVerdict("lint", "unknown", "Lint could not run", result.error);
      return;
    }
    const findings = result.findings;
    if (findings.length === 0) {
      summary.textContent = "No findings: lint found none of the weaknesses it checks for.";
      setVerdict("lint", "ok", "No lint findings", "None of the weaknesses lint checks for.");
      return;
    }
    const counts = SEVERITIES.map((severity) => [
      severity,
      findings.filter((finding) => finding.severity === severity).length,
    ])
      .filter(([, count]) => count > 0)
      .map(([severity, count]) => `${count} ${severity}`);
    const noun = findings.length === 1 ? "finding" : "findings";
    summary.textContent = `${findings.length} ${noun}: ${counts.join(", ")}.`;
    setVerdict(
      "lint",
      LINT_STATES[findings[0].severity],
      `Lint: ${counts.join(", ")}`,
      `${findings.map((finding) => finding.code).join(", ")}. The Lint section says how to fix each.`,
    );

    for (const finding of findings) {
      const item = element("li", "finding");
      item.dataset.severity = finding.severity;
      const head = element("div", "finding-head");
      const badge = element("span", "badge", finding.severity);
      badge.dataset.severity = finding.severity;
      head.append(
        badge,
        element("span", "finding-code", finding.code),
        element("span", "finding-location", finding.location),
      );
      const fix = element("p", "finding-fix");
      fix.append(element("strong", "", "Fix: "), `${finding.fix}.`);
      item.append(head, element("p", "finding-message", capitalize(finding.message) + "."), fix);
      list.append(item);
    }
  }

  function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  async function sign() {
    showError($("sign-error"), null);
    showNotice($("sign-notice"), "");
    if (!hasKey()) {
      showError($("sign-error"), {
        code: "missing_key",
        message: "paste a private key or secret in the Key field, or generate a key",
      });
      return;
    }
    const algorithm = $("sign-algorithm").value;
    const result = await callApi("sign", {
      header: $("edit-header").value,
      claims: $("edit-claims").value,
      algorithm,
      key: keyRequest(),
      allow_weak_key: $("allow-weak-key").checked,
    });
    if (result.error) {
      showError($("sign-error"), result.error);
      return;
    }
    tokenInput.value = result.token;
    showNotice($("sign-notice"), `Signed with ${algorithm}. The encoded token above is the new one.`);
    await onTokenChanged();
  }

  async function generateKey() {
    showError($("sign-error"), null);
    showNotice($("sign-notice"), "");
    const algorithm = $("sign-algorithm").value;
    const button = $("keygen-button");
    button.disabled = true;
    const result = await callApi("keygen", { algorithm });
    button.disabled = false;
    if (result.error) {
      showError($("sign-error"), result.error);
      return;
    }
    keyInput.value = result.private_jwk;
    $("key-format").value = "jwk";
    const publicKey = result.public_jwk ? `${result.public_jwk}\n\n${result.public_pem}` : "";
    $("public-key-text").value = publicKey;
    $("public-key").hidden = !publicKey;
    const kind = publicKey ? "private JWK" : "secret JWK";
    showNotice(
      $("sign-notice"),
      `Generated an ${algorithm} key with kid ${result.kid}. Its ${kind} is in the Key field; ` +
        "keep it to yourself. Choose Sign to use it.",
    );
  }

  function loadKeyFile() {
    const file = $("key-file").files[0];
    showError($("key-error"), null);
    if (!file) return;
    if (file.size > 256 * 1024) {
      showError($("key-error"), {
        code: "file_too_large",
        message: `${file.name} is ${file.size} bytes; a key file is at most 256 KiB`,
      });
      return;
    }
    // FileReader reads the file inside the browser; the text then goes only
    // to this page's own server, like a pasted key.
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      keyInput.value = String(reader.result);
      if (tokenInput.value.trim()) verify();
    });
    reader.addEventListener("error", () => {
      showError($("key-error"), { code: "file_unreadable", message: `cannot read ${file.name}` });
    });
    reader.readAsText(file);
  }

  // -- setup ---------------------------------------------------------------------

  function fillAlgorithmSelects() {
    for (const name of algorithms) {
      $("verify-algorithm").append(new Option(name, name));
      $("sign-algorithm").append(new Option(name, name));
    }
  }

  fillAlgorithmSelects();
  resetVerdicts();
  renderBackdrop();
  tokenInput.addEventListener("input", onTokenChanged);
  $("verify-button").addEventListener("click", () => verify());
  $("sign-button").addEventListener("click", sign);
  $("keygen-button").addEventListener("click", generateKey);
  $("key-file").addEventListener("change", loadKeyFile);
  keyInput.addEventListener("change", () => {
    if (tokenInput.value.trim()) runLint();
  });
  // A verdict describes the inputs it was made with. Once one of them
  // changes, the verdict is withdrawn until the next Verify.
  const verificationInputs = [
    "key",
    "key-format",
    "verify-algorithm",
    "allow-weak-key",
    "expected-issuer",
    "expected-audience",
  ];
  for (const id of verificationInputs) {
    $(id).addEventListener("input", () => {
      verifyGeneration += 1;
      resetVerdicts();
    });
  }
  if (tokenInput.value.trim()) onTokenChanged();
})();
