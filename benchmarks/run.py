"""Compare jwtkit with other Python JWT libraries in one run, and check the targets.

Every library is timed in the same process, round by round, with the rows of a
round in shuffled order, so that machine noise hits all libraries alike. Each
row reports the median ops/s over the rounds and its ratio to PyJWT. Before any
timing, each library must reject a tampered, an expired, a wrong-audience and a
wrong-issuer token, so that no row is fast by skipping work.

Usage: python benchmarks/run.py [--rounds N] [--batch-seconds S] [--output FILE]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from libraries import (  # noqa: E402
    ALGORITHMS,
    DISTRIBUTIONS,
    LIBRARIES,
    Operations,
    Unsupported,
    make_claims,
    make_keys,
)

warnings.simplefilter("ignore")

OPERATIONS = ("encode", "decode", "encode_text", "decode_text", "verifier")
OPERATION_LABELS = {
    "encode": "encode, key object",
    "decode": "decode, key object",
    "encode_text": "encode, PEM/secret text per call",
    "decode_text": "decode, PEM/secret text per call",
    "verifier": "Verifier.verify",
}
IMPORTS = {"jwtkit": "jwtkit", "PyJWT": "jwt", "joserfc": "joserfc.jwt", "jwcrypto": "jwcrypto.jwt",
           "python-jose": "jose.jwt", "authlib": "authlib.jose"}
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"


@dataclass
class Row:
    alg: str
    library: str
    operation: str
    call: Callable[[], Any]
    batch: int = 1
    rates: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    flipped = "A" if payload[middle] != "A" else "B"
    return f"{header}.{payload[:middle]}{flipped}{payload[middle + 1:]}.{signature}"


def check_rejections(name: str, ops: Operations) -> str | None:
    """Return why a library fails the correctness gate, or None when it passes."""
    try:
        good = ops.encode(make_claims())
    except Exception as exc:  # a peer without the algorithm raises its own error class
        raise Unsupported(f"{type(exc).__name__}: {exc}") from None
    try:
        ops.decode(good)
    except Exception as exc:  # any failure disqualifies the library's row
        return f"rejects its own valid token: {type(exc).__name__}: {exc}"

    bad_tokens = {
        "tampered": tamper(good),
        "expired": ops.encode(make_claims(lifetime=-600)),
        "wrong audience": ops.encode({**make_claims(), "aud": "other-api"}),
        "wrong issuer": ops.encode({**make_claims(), "iss": "https://evil.example"}),
    }
    for label, token in bad_tokens.items():
        try:
            ops.decode(token)
        except Exception:
            continue
        return f"accepts a {label} token"
    return None


def build_rows(rounds_seconds: float) -> tuple[list[Row], dict[str, str]]:
    rows: list[Row] = []
    notes: dict[str, str] = {}
    for alg in ALGORITHMS:
        keys = make_keys(alg)
        for library, factory in LIBRARIES.items():
            try:
                ops = factory(keys)
                problem = check_rejections(library, ops)
            except Unsupported as exc:
                notes[f"{library} {alg}"] = f"unsupported: {exc}"
                continue
            if problem is not None:
                notes[f"{library} {alg}"] = f"excluded: {problem}"
                continue
            token = ops.encode(make_claims(lifetime=24 * 3600))
            claims = make_claims(lifetime=24 * 3600)
            calls: dict[str, Callable[[], Any]] = {
                "encode": lambda ops=ops, claims=claims: ops.encode(claims),
                "decode": lambda ops=ops, token=token: ops.decode(token),
                "encode_text": lambda ops=ops, claims=claims: ops.encode_text(claims),
                "decode_text": lambda ops=ops, token=token: ops.decode_text(token),
            }
            if ops.verifier is not None:
                calls["verifier"] = lambda ops=ops, token=token: ops.verifier(token)  # type: ignore[misc]
            for operation, call in calls.items():
                row = Row(alg, library, operation, call)
                row.batch = calibrate(call, rounds_seconds)
                rows.append(row)
    return rows, notes


def calibrate(call: Callable[[], Any], seconds: float) -> int:
    call()
    start = time.perf_counter()
    call()
    elapsed = max(time.perf_counter() - start, 1e-7)
    return max(1, int(seconds / elapsed))


def time_rows(rows: list[Row], rounds: int) -> None:
    order = list(rows)
    for round_index in range(rounds):
        random.Random(round_index).shuffle(order)
        for row in order:
            call, batch = row.call, row.batch
            start = time.perf_counter()
            for _ in range(batch):
                call()
            row.rates.append(batch / (time.perf_counter() - start))
        print(f"round {round_index + 1}/{rounds} done", file=sys.stderr)


def import_times(rounds: int) -> dict[str, float]:
    """Median wall time of a fresh interpreter importing each library, minus bare startup."""
    samples: dict[str, list[float]] = {name: [] for name in [*IMPORTS, "python"]}
    for _ in range(rounds):
        for name in random.sample(list(samples), len(samples)):
            statement = "pass" if name == "python" else f"import {IMPORTS[name]}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-W", "ignore", "-c", statement], check=True)
            samples[name].append(time.perf_counter() - start)
    baseline = statistics.median(samples.pop("python"))
    return {name: statistics.median(values) - baseline for name, values in samples.items()}


def versions() -> dict[str, str]:
    found = {}
    for library, distribution in DISTRIBUTIONS.items():
        try:
            found[library] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            found[library] = "not installed"
    return found


def rate_of(rows: list[Row], alg: str, library: str, operation: str) -> float | None:
    for row in rows:
        if (row.alg, row.library, row.operation) == (alg, library, operation):
            return row.median
    return None


def evaluate_targets(rows: list[Row], imports: dict[str, float]) -> list[tuple[str, str, bool]]:
    """Return (target, measured, met) for every performance target."""
    results: list[tuple[str, str, bool]] = []

    def ratio(alg: str, operation: str, other: str, other_operation: str | None = None) -> float:
        mine = rate_of(rows, alg, "jwtkit", operation)
        theirs = rate_of(rows, alg, other, other_operation or operation)
        if mine is None or theirs is None:
            return float("nan")
        return mine / theirs

    def at_least(label: str, value: float, minimum: float) -> None:
        results.append((label, f"{value:.2f}x", value >= minimum))

    at_least("HS256 decode >= 2.8x PyJWT", ratio("HS256", "decode", "PyJWT"), 2.8)
    at_least("HS256 Verifier.verify >= 2.8x PyJWT", ratio("HS256", "verifier", "PyJWT", "decode"), 2.8)
    # "Within 1.3x of the floor": the floor's speed over jwtkit's is at most 1.3.
    floor_decode = 1 / ratio("HS256", "decode", "floor")
    results.append(("HS256 decode within 1.3x of the floor", f"{floor_decode:.2f}x", floor_decode <= 1.3))
    floor_verifier = 1 / ratio("HS256", "verifier", "floor", "decode")
    results.append(
        ("HS256 Verifier.verify within 1.3x of the floor", f"{floor_verifier:.2f}x", floor_verifier <= 1.3)
    )
    at_least("HS256 encode >= 2.4x PyJWT", ratio("HS256", "encode", "PyJWT"), 2.4)
    floor_encode = 1 / ratio("HS256", "encode", "floor")
    results.append(("HS256 encode within 1.25x of the floor", f"{floor_encode:.2f}x", floor_encode <= 1.25))

    for alg, minimum in (("RS256", 2.0), ("PS256", 2.0), ("ES256", 1.4), ("EdDSA", 1.2)):
        at_least(f"{alg} decode >= {minimum}x PyJWT", ratio(alg, "decode", "PyJWT"), minimum)
    for alg in ("RS256", "PS256", "ES256", "EdDSA"):
        at_least(f"{alg} encode >= 1x PyJWT", ratio(alg, "encode", "PyJWT"), 1.0)

    for alg in ALGORITHMS:
        for text_operation, prepared in (("encode_text", "encode"), ("decode_text", "decode")):
            slowdown = ratio(alg, prepared, "jwtkit", text_operation)
            results.append(
                (f"{alg} {text_operation} within 1.1x of {prepared}", f"{slowdown:.2f}x", slowdown <= 1.1)
            )

    share = imports["jwtkit"] / imports["PyJWT"]
    results.append(("import jwtkit <= 0.5x import jwt", f"{share:.2f}x", share <= 0.5))
    return results


def render(rows: list[Row], notes: dict[str, str], imports: dict[str, float], rounds: int) -> str:
    lines = [
        RESULTS_START,
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{rounds} rounds; medians of ops/s, ratio to PyJWT's row.",
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in versions().items()),
        "",
    ]
    for alg in ALGORITHMS:
        lines += [f"### {alg}", "", "| operation | library | ops/s | x PyJWT |", "| --- | --- | ---: | ---: |"]
        for operation in OPERATIONS:
            pyjwt = rate_of(rows, alg, "PyJWT", "decode" if operation == "verifier" else operation)
            for row in rows:
                if row.alg != alg or row.operation != operation:
                    continue
                versus = f"{row.median / pyjwt:.2f}" if pyjwt else "n/a"
                lines.append(f"| {OPERATION_LABELS[operation]} | {row.library} | {row.median:,.0f} | {versus} |")
        lines.append("")

    lines += ["### Cold import", "", "| module | ms over bare startup |", "| --- | ---: |"]
    lines += [f"| {IMPORTS[name]} | {seconds * 1000:.1f} |" for name, seconds in imports.items()]
    lines.append("")

    if notes:
        lines += ["### Rows left out", ""]
        lines += [f"- {label}: {note}" for label, note in sorted(notes.items())]
        lines.append("")

    lines += ["### Targets", "", "| target | measured | met |", "| --- | ---: | --- |"]
    for label, measured, met in evaluate_targets(rows, imports):
        lines.append(f"| {label} | {measured} | {'yes' if met else 'NO'} |")
    lines += ["", RESULTS_END]
    return "\n".join(lines)


def write_results(path: Path, results: str) -> None:
    if path.exists() and RESULTS_START in path.read_text():
        text = path.read_text()
        before = text.split(RESULTS_START, 1)[0]
        after = text.split(RESULTS_END, 1)[1] if RESULTS_END in text else ""
        path.write_text(before + results + after)
    else:
        path.write_text("# Benchmarks\n\n" + results + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="timing rounds (default 7)")
    parser.add_argument(
        "--batch-seconds", type=float, default=0.04, help="target seconds per row per round"
    )
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    )
    args = parser.parse_args()

    rows, notes = build_rows(args.batch_seconds)
    print(f"{len(rows)} rows pass the correctness gate; timing", file=sys.stderr)
    time_rows(rows, args.rounds)
    imports = import_times(max(5, args.rounds * 2))

    results = render(rows, notes, imports, args.rounds)
    write_results(args.output, results)
    print(results)


if __name__ == "__main__":
    main()
