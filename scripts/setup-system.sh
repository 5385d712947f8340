#!/usr/bin/env bash
# Install the system components the test suite drives for real: Debian's
# Chromium for the debugger page's browser tests, and the Node peer libraries
# for the interoperability matrix. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup-system: chromium is missing and this user cannot apt-get install it" >&2
    fi
fi

if [ -f tests/interop/node/package.json ]; then
    if command -v npm >/dev/null 2>&1; then
        # npm ci installs exactly what package-lock.json records.
        (cd tests/interop/node && npm ci --no-audit --no-fund --silent)
    else
        echo "setup-system: npm is missing; the Node interop tests will not run" >&2
    fi
fi
