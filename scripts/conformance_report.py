"""Write docs/conformance.md from a run of the conformance tests and the interop results.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/conformance_report.py
    .venv/bin/python scripts/conformance_report.py --junit-xml report.xml

Without ``--junit-xml`` the script runs ``pytest tests/conformance`` itself
and reads its JUnit XML report; with it, the given report is used and no test
runs. The page lists each test module (a suite) with its cases, passes,
failures and skips, then the decisions of tests/conformance/decisions.py,
then the interoperability results of tests/interop/results.json when that
file exists. Each results section that is a list of entries with ``peer``
and ``status`` becomes one table, with a row per combination of the other
fields and a column per peer. The exit status is that of the test run
(0 when every test passed), so CI can run this script in place of pytest.
"""

from __future__ import annotations

import argparse
import ast
import json
import platform
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE_TESTS = "tests/conformance"
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "conformance.md"
DEFAULT_INTEROP_RESULTS = REPO_ROOT / "tests" / "interop" / "results.json"

# Members of an interop entry that are not part of the row label.
_ENTRY_VALUE_FIELDS = ("peer", "status", "detail")


@dataclass
class Suite:
    """The outcome of one test module: counts by outcome and the cases that did not pass."""

    module: str
    title: str
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(self.outcomes.values())


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)

    if args.junit_xml is not None:
        status = 0
        suites = read_junit(args.junit_xml)
    else:
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "conformance.xml"
            status = run_pytest(report, args.pytest_args)
            suites = read_junit(report)

    interop = load_interop(args.interop_results)
    page = render_page(suites, load_decisions(), interop)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page, encoding="utf-8")
    print(f"wrote {args.output} ({sum(suite.cases for suite in suites)} cases)")
    return status


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--junit-xml",
        type=Path,
        help="read this JUnit XML report of tests/conformance instead of running pytest",
    )
    parser.add_argument(
        "--interop-results",
        type=Path,
        default=DEFAULT_INTEROP_RESULTS,
        help="the interop results file (default: tests/interop/results.json); "
        "the section is left out when the file does not exist",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the page to write")
    parser.add_argument(
        "pytest_args",
        nargs="*",
        help="extra arguments for pytest, after --, such as -x or -k",
    )
    return parser.parse_args(argv)


# -- the test run -------------------------------------------------------------------


def run_pytest(report: Path, extra: Iterable[str]) -> int:
    """Run the conformance tests, writing a JUnit XML report; return pytest's exit status."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        CONFORMANCE_TESTS,
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        *extra,
    ]
    print("running:", " ".join(command[2:]))
    return subprocess.run(command, cwd=REPO_ROOT, check=False).returncode


def read_junit(path: Path) -> list[Suite]:
    """Group the test cases of a JUnit XML report by test module."""
    suites: dict[str, Suite] = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        # A collection error has the module path as its name and no classname.
        module = case.get("classname") or case.get("name", "").replace("/", ".")
        module = module.removesuffix(".py")
        suite = suites.get(module)
        if suite is None:
            suite = suites[module] = Suite(module, _module_title(module))

        outcome, message = _outcome(case)
        suite.outcomes[outcome] += 1
        if outcome != "passed":
            suite.problems.append((case.get("name", ""), outcome, message))
    return sorted(suites.values(), key=lambda suite: suite.module)


def _outcome(case: ElementTree.Element) -> tuple[str, str]:
    for tag, outcome in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        element = case.find(tag)
        if element is not None:
            message = element.get("message") or (element.text or "")
            return outcome, message.strip().splitlines()[0] if message.strip() else ""
    return "passed", ""


def _module_title(module: str) -> str:
    """Return the first line of a test module's docstring, or the module name."""
    path = REPO_ROOT / (module.replace(".", "/") + ".py")
    if not path.is_file():
        return module
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return docstring.splitlines()[0] if docstring else module


# -- decisions and interop results ---------------------------------------------------


def load_decisions() -> dict[str, dict[Any, Any]]:
    """Return the decision tables of tests/conformance/decisions.py by their names."""
    sys.path.insert(0, str(REPO_ROOT))
    from tests.conformance import decisions

    return {
        "Wycheproof json_web_signature_test.json": decisions.WYCHEPROOF_JWS,
        "Wycheproof json_web_key_test.json": decisions.WYCHEPROOF_JWK,
        "Wycheproof json_web_crypto_test.json": decisions.WYCHEPROOF_CRYPTO,
        "RFC examples and other vectors": decisions.VECTORS,
    }


def load_interop(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as file:
        document: dict[str, Any] = json.load(file)
    return document


# -- rendering -------------------------------------------------------------------------


def render_page(
    suites: list[Suite], decisions: dict[str, dict[Any, Any]], interop: dict[str, Any] | None
) -> str:
    lines = [
        "# Conformance",
        "",
        "Generated by `scripts/conformance_report.py` from a run of `pytest tests/conformance`"
        " and from the interop results file; do not edit by hand.",
        "",
        f"jwtkit {_version('jwtkit')}, Python {platform.python_version()}, "
        f"cryptography {_version('cryptography')}.",
        "",
    ]
    lines += _render_suites(suites)
    lines += _render_problems(suites)
    lines += _render_decisions(decisions)
    lines += _render_interop(interop)
    return "\n".join(lines).rstrip() + "\n"


def _render_suites(suites: list[Suite]) -> list[str]:
    lines = [
        "## Test suites",
        "",
        "Each row is one test module; each case is one test id (a Wycheproof tcId, a vector "
        "file, an output form).",
        "",
        "| suite | module | cases | passed | failed | skipped |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    total: Counter[str] = Counter()
    for suite in suites:
        total.update(suite.outcomes)
        failed = suite.outcomes["failed"] + suite.outcomes["error"]
        lines.append(
            f"| {_cell(suite.title)} | `{suite.module}` | {suite.cases} | "
            f"{suite.outcomes['passed']} | {failed} | {suite.outcomes['skipped']} |"
        )
    lines.append(
        f"| **total** | | {sum(total.values())} | {total['passed']} | "
        f"{total['failed'] + total['error']} | {total['skipped']} |"
    )
    return [*lines, ""]


def _render_problems(suites: list[Suite]) -> list[str]:
    problems = [(suite, problem) for suite in suites for problem in suite.problems]
    if not problems:
        return ["Every case passed.", ""]

    lines = ["## Cases that did not pass", ""]
    for suite, (name, outcome, message) in problems:
        lines.append(f"- `{suite.module}::{name}`: {outcome}. {message}".rstrip())
    return [*lines, ""]


def _render_decisions(decisions: dict[str, dict[Any, Any]]) -> list[str]:
    lines = [
        "## Decisions on vectors",
        "",
        "Where jwtkit's outcome differs from a vector's label, or the label leaves the outcome "
        "open, the tests expect the outcome below (from `tests/conformance/decisions.py`).",
        "",
    ]
    for source, table in decisions.items():
        if not table:
            continue
        lines += [f"### {source}", "", "| case | jwtkit | reason |", "| --- | --- | --- |"]
        for case, decision in table.items():
            label = f"tcId {case}" if isinstance(case, int) else str(case)
            outcome = decision.outcome
            if decision.error is not None:
                outcome += f" ({decision.error.__name__})"
            lines.append(f"| {label} | {outcome} | {_cell(decision.reason)} |")
        lines.append("")
    return lines


def _render_interop(interop: dict[str, Any] | None) -> list[str]:
    lines = ["## Interoperability", ""]
    if interop is None:
        return [
            *lines,
            "No interop results yet: `tests/interop/results.json` is written by a complete run "
            "of `pytest tests/interop`. Run it, then run this script again.",
            "",
        ]

    lines += _render_versions("Peer libraries", interop.get("peers", {}))
    lines += _render_versions("Runtimes", interop.get("runtimes", {}))
    for name, entries in interop.items():
        if _is_entry_list(entries):
            lines += _render_section(name, entries)
    return lines


def _render_versions(title: str, versions: dict[str, str]) -> list[str]:
    if not versions:
        return []
    lines = [f"### {title}", "", "| name | version |", "| --- | --- |"]
    lines += [f"| {_cell(name)} | {_cell(version)} |" for name, version in versions.items()]
    return [*lines, ""]


def _is_entry_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(entry, dict) and {"peer", "status"} <= entry.keys() for entry in value)
    )


def _render_section(name: str, entries: list[dict[str, Any]]) -> list[str]:
    """Render one results section: a row per combination of labels, a column per peer."""
    label_fields = [key for key in entries[0] if key not in _ENTRY_VALUE_FIELDS]
    peers = list(dict.fromkeys(entry["peer"] for entry in entries))
    rows: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
    for entry in entries:
        rows[_label(entry, label_fields)][entry["peer"]] = str(entry["status"])

    title = name.replace("_", " ").capitalize()
    header = [*label_fields, *peers]
    lines = [f"### {title}", "", _row(header), _row(["---"] * len(header))]
    for label, statuses in rows.items():
        lines.append(_row([*label, *(statuses.get(peer, "") for peer in peers)]))
    lines.append("")
    lines += _render_notes(entries, label_fields)
    return lines


def _label(entry: dict[str, Any], label_fields: list[str]) -> tuple[str, ...]:
    return tuple(str(entry.get(key, "")) for key in label_fields)


def _render_notes(entries: list[dict[str, Any]], label_fields: list[str]) -> list[str]:
    """List each distinct detail once per peer and status, with the rows it explains."""
    notes: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for entry in entries:
        if entry.get("detail"):
            key = (entry["peer"], str(entry["status"]), str(entry["detail"]))
            notes[key].append(", ".join(_label(entry, label_fields)))
    if not notes:
        return []

    lines = ["Notes:", ""]
    for (peer, status, detail), labels in notes.items():
        where = labels[0] if len(labels) == 1 else f"{len(labels)} entries"
        lines.append(f"- {peer} ({where}), {status}: {detail}")
    return [*lines, ""]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    sys.exit(main())
