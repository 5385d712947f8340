// Drives the npm package `jose` for jwtkit's interoperability tests.
//
// One process serves a whole test run. Each line on stdin is one JSON
// request {id, op, ...}; each line on stdout is the matching response,
// {id, ok: true, result} or {id, ok: false, error: {name, code, message}}.
// Keys stay in this process and are named by handles, so a key that jose
// generated never needs to leave it unless a request exports it.
//
// Operations:
//   version                                  -> the installed jose version
//   generate {alg, crv?}                     -> {handle}
//   import   {alg, form, material, private}  -> {handle}
//   export   {handle, form, private}         -> a JWK object, PEM text or base64url secret
//   sign     {handle, alg, claims, kid?}     -> a compact JWT
//   verify   {handle, alg, token, audience}  -> the verified claims
//   verify_set {jwks, alg, token, audience}  -> the claims, verified with the
//                                               key jose selects from the JWK Set
//
// form is "jwk", "pem" (PKCS#8 when private, else SubjectPublicKeyInfo) or
// "secret" (the raw HMAC key, base64url encoded on the wire).

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import * as jose from "jose";

const keys = new Map();
let nextHandle = 1;

function store(entry) {
  const handle = `k${nextHandle++}`;
  keys.set(handle, entry);
  return { handle };
}

function lookup(handle) {
  const entry = keys.get(handle);
  if (entry === undefined) {
    throw new Error(`no key has handle ${JSON.stringify(handle)}`);
  }
  return entry;
}

function joseVersion() {
  const url = new URL("./node_modules/jose/package.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).version;
}

function isSecret(alg) {
  return alg.startsWith("HS");
}

async function generate({ alg, crv }) {
  if (isSecret(alg)) {
    return store({ secret: await jose.generateSecret(alg, { extractable: true }) });
  }
  const options = { extractable: true };
  if (crv !== undefined && crv !== null) {
    options.crv = crv;
  }
  const pair = await jose.generateKeyPair(alg, options);
  return store({ privateKey: pair.privateKey, publicKey: pair.publicKey });
}

async function importKey({ alg, form, material, private: isPrivate }) {
  if (form === "secret") {
    return store({ secret: jose.base64url.decode(material) });
  }
  if (form === "jwk") {
    const key = await jose.importJWK(material, alg, { extractable: true });
    if (isSecret(alg)) {
      return store({ secret: key });
    }
    return store(isPrivate ? { privateKey: key } : { publicKey: key });
  }
  if (isPrivate) {
    return store({ privateKey: await jose.importPKCS8(material, alg, { extractable: true }) });
  }
  return store({ publicKey: await jose.importSPKI(material, alg, { extractable: true }) });
}

async function exportKey({ handle, form, private: isPrivate }) {
  const entry = lookup(handle);
  if (entry.secret !== undefined) {
    const jwk = await jose.exportJWK(entry.secret);
    return form === "secret" ? jwk.k : jwk;
  }
  const key = isPrivate ? entry.privateKey : entry.publicKey;
  if (key === undefined) {
    throw new Error(`key ${handle} has no ${isPrivate ? "private" : "public"} part`);
  }
  if (form === "jwk") {
    return jose.exportJWK(key);
  }
  return isPrivate ? jose.exportPKCS8(key) : jose.exportSPKI(key);
}

async function sign({ handle, alg, claims, kid }) {
  const entry = lookup(handle);
  const key = entry.secret ?? entry.privateKey;
  const header = { alg, typ: "JWT" };
  if (kid !== undefined && kid !== null) {
    header.kid = kid;
  }
  return new jose.SignJWT(claims).setProtectedHeader(header).sign(key);
}

async function verify({ handle, alg, token, audience }) {
  const entry = lookup(handle);
  const key = entry.secret ?? entry.publicKey;
  if (key === undefined) {
    throw new Error(`key ${handle} has no public part to verify with`);
  }
  const { payload } = await jose.jwtVerify(token, key, { algorithms: [alg], audience });
  return payload;
}

async function verifySet({ jwks, alg, token, audience }) {
  const keySet = jose.createLocalJWKSet(jwks);
  const { payload } = await jose.jwtVerify(token, keySet, { algorithms: [alg], audience });
  return payload;
}

const operations = {
  version: async () => joseVersion(),
  generate,
  import: importKey,
  export: exportKey,
  sign,
  verify,
  verify_set: verifySet,
};

function describeError(error) {
  return {
    name: error?.constructor?.name ?? "Error",
    code: error?.code ?? null,
    message: String(error?.message ?? error),
  };
}

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { id: null, ok: false, error: describeError(error) };
  }
  const operation = operations[request.op];
  if (operation === undefined) {
    const message = `unknown op ${JSON.stringify(request.op)}`;
    return { id: request.id, ok: false, error: { name: "Error", code: null, message } };
  }
  try {
    return { id: request.id, ok: true, result: await operation(request) };
  } catch (error) {
    return { id: request.id, ok: false, error: describeError(error) };
  }
}

// Requests are handled one at a time, in order, so each response line
// follows its request even when an operation awaits.
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") {
    continue;
  }
  process.stdout.write(`${JSON.stringify(await handle(line))}\n`);
}
