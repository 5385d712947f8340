"""Measure how long jwtkit takes to reject hostile inputs at 1x, 10x and 100x each limit.

A bound protects a server only if rejecting an oversized input costs about
the same as rejecting one just over the limit. For each limit this script
builds inputs of 1x, 10x and 100x the limit, times how long jwtkit takes to
raise on each (median of --repeat runs), and prints the medians with their
ratio to the 1x case. A ratio near 1 means the rejection cost does not grow
with the input; a ratio near 10 or 100 means jwtkit reads the whole input.

The 1x input is as large as the limit allows and is rejected for another
reason (or accepted), so it shows the cost of work done up to the limit.

Usage: python benchmarks/resource_bounds.py [--repeat N]

This is a measurement, not a test: the numbers depend on the machine, and
nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwtkit
from jwtkit._encoding import MAX_JSON_DEPTH, b64url_encode
from jwtkit.errors import JWTError
from jwtkit.jwk.base import MAX_MEMBER_BYTES
from jwtkit.jws import DEFAULT_MAX_SIGNATURES, DEFAULT_MAX_TOKEN_SIZE

SECRET = b"a shared secret of at least 32 bytes for HS256"
MULTIPLES = (1, 10, 100)


@dataclass
class Case:
    """One hostile input family: a builder for size ``multiple`` x the limit, and the call."""

    name: str
    limit: str
    build: Callable[[int], Any]
    call: Callable[[Any], Any]


def _oversized_token(multiple: int) -> str:
    # Base64url text with no dots: malformed in every way, so only the order
    # of the checks decides which error comes first.
    return "A" * (DEFAULT_MAX_TOKEN_SIZE * multiple)


def _deep_header_token(multiple: int) -> str:
    depth = MAX_JSON_DEPTH * multiple
    header = b'{"alg":"HS256","x":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
    return f"{b64url_encode(header)}.e30.AAAA"


def _shallow_brackets_token(multiple: int) -> str:
    # A header of many shallow arrays: the depth scan cannot stop early, so
    # only max_token_size bounds its cost.
    # Each "[]," is 3 bytes, 4 characters of base64url; 64 characters are
    # left for the rest of the token.
    pairs = (DEFAULT_MAX_TOKEN_SIZE * multiple - 64) // 4
    header = b'{"alg":"HS256","x":[' + b",".join([b"[]"] * pairs) + b"]}"
    return f"{b64url_encode(header)}.e30.AAAA"


def _huge_modulus_jwk(multiple: int) -> dict[str, str]:
    modulus = b"\x01" * (MAX_MEMBER_BYTES * multiple)
    return {"kty": "RSA", "n": b64url_encode(modulus), "e": "AQAB"}


def _many_signatures(multiple: int) -> dict[str, Any]:
    token = jwtkit.jws.sign_compact(b"{}", SECRET, "HS256")
    header_part, payload_part, signature_part = token.split(".")
    entry = {"protected": header_part, "signature": signature_part[:-1] + "A"}
    return {"payload": payload_part, "signatures": [entry] * (DEFAULT_MAX_SIGNATURES * multiple)}


def _decode(token: Any) -> Any:
    return jwtkit.decode(token, SECRET, algorithms=["HS256"])


def _decode_large_limit(token: Any) -> Any:
    # The token size limit is raised so that the depth limit is what rejects.
    return jwtkit.decode(token, SECRET, algorithms=["HS256"], max_token_size=10**8)


CASES = [
    Case("decode, oversized token (str)", "max_token_size", _oversized_token, _decode),
    Case(
        "decode, oversized token (bytes)",
        "max_token_size",
        lambda multiple: _oversized_token(multiple).encode(),
        _decode,
    ),
    Case(
        "decode_unverified, oversized token",
        "max_token_size",
        _oversized_token,
        jwtkit.decode_unverified,
    ),
    Case("decode, header nested deeper", "JSON depth", _deep_header_token, _decode_large_limit),
    Case("decode, header of shallow brackets", "max_token_size", _shallow_brackets_token, _decode),
    Case(
        "Key.from_jwk, RSA modulus member",
        "JWK member length",
        _huge_modulus_jwk,
        jwtkit.Key.from_jwk,
    ),
    Case(
        "jws.verify_json, signature count",
        "max_signatures",
        _many_signatures,
        lambda document: jwtkit.jws.verify_json(document, SECRET, algorithms=["HS256"]),
    ),
]


def _time_once(call: Callable[[Any], Any], value: Any) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        call(value)
        outcome = "accepted"
    except JWTError as exc:
        outcome = exc.code
    return time.perf_counter() - start, outcome


def _median_seconds(call: Callable[[Any], Any], value: Any, repeat: int) -> tuple[float, str]:
    samples = []
    outcome = ""
    for _ in range(repeat):
        seconds, outcome = _time_once(call, value)
        samples.append(seconds)
    return statistics.median(samples), outcome


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict) and "signatures" in value:
        return len(value["signatures"])
    return sum(len(str(member)) for member in value.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=31, help="timed runs per input (default 31)")
    arguments = parser.parse_args()

    print(
        f"jwtkit {jwtkit.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; median of {arguments.repeat} runs per row\n"
    )
    print("| input | limit | multiple | size | outcome | median | ratio to 1x |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for case in CASES:
        baseline = 0.0
        for multiple in MULTIPLES:
            value = case.build(multiple)
            median, outcome = _median_seconds(case.call, value, arguments.repeat)
            if multiple == 1:
                baseline = median
            ratio = median / baseline if baseline else float("nan")
            print(
                f"| {case.name} | {case.limit} | {multiple}x | {_size(value):,} | {outcome} | "
                f"{median * 1e6:,.1f} µs | {ratio:.2f} |"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
