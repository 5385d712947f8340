"""Durations, times and algorithm lists as the command-line options read them."""

from __future__ import annotations

from typing import Any

import pytest

from jwtkit.cli.options import (
    parse_absolute_time,
    parse_algorithms,
    parse_duration,
    parse_json_object,
    parse_time,
)
from jwtkit.errors import UsageError

NOW = 1_700_000_000.75


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0.0),
        ("90", 90.0),
        ("2.5", 2.5),
        ("30s", 30.0),
        ("15m", 900.0),
        ("2h", 7200.0),
        ("1d", 86400.0),
        ("2w", 1209600.0),
        ("1h30m", 5400.0),
        ("1.5h", 5400.0),
        (" 5m ", 300.0),
    ],
)
def test_duration_values(text: str, seconds: float) -> None:
    assert parse_duration(text, "--leeway") == seconds


@pytest.mark.parametrize("text", ["", "m", "-5", "+5", "5y", "5 m", "1e3", "5mm", "nan", "inf"])
def test_duration_invalid(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_duration(text, "--leeway")

    assert str(caught.value).startswith(f"--leeway {text!r} is not a duration; give seconds")


@pytest.mark.parametrize(
    ("text", "numericdate"),
    [
        ("now", 1_700_000_000),
        ("15m", 1_700_000_900),
        ("+15m", 1_700_000_900),
        ("-15m", 1_699_999_100),
        ("0", 1_700_000_000),
        ("@0", 0),
        ("@1700000000.5", 1_700_000_000.5),
        ("1970-01-01T00:00:00Z", 0),
        ("2023-11-14T22:13:20+00:00", 1_700_000_000),
        ("2023-11-14T23:13:20+01:00", 1_700_000_000),
    ],
)
def test_time_values(text: str, numericdate: float) -> None:
    assert parse_time(text, "--exp", NOW) == numericdate


def test_relative_time_is_whole_seconds() -> None:
    assert isinstance(parse_time("1s", "--exp", NOW), int)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("later", "is not a time"),
        ("+-5m", "is not a time"),
        ("@", "is not a NumericDate"),
        ("@-5", "is not a NumericDate"),
        ("2023-11-14", "has no time zone"),
        ("2023-11-14T22:13:20", "has no time zone"),
        ("2023-02-30T00:00:00Z", "is not an ISO 8601 time"),
    ],
)
def test_time_invalid(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_time(text, "--exp", NOW)

    assert message in str(caught.value)
    assert str(caught.value).startswith(f"--exp {text!r}")


@pytest.mark.parametrize(
    ("text", "numericdate"),
    [
        ("1700000000", 1_700_000_000),
        ("@1700000000", 1_700_000_000),
        ("1970-01-02T00:00:00Z", 86400),
    ],
)
def test_absolute_time_values(text: str, numericdate: int) -> None:
    assert parse_absolute_time(text, "--now") == numericdate


def test_absolute_time_rejects_offset() -> None:
    with pytest.raises(UsageError) as caught:
        parse_absolute_time("15m", "--now")

    assert "--now '15m' is not a NumericDate" in str(caught.value)


def test_algorithms_flattened() -> None:
    assert parse_algorithms(["RS256, ES256", "EdDSA", "RS256"]) == ["RS256", "ES256", "EdDSA"]
    assert parse_algorithms(None) == []


@pytest.mark.parametrize("value", [",", "RS256,", " , ES256", "RS256,,ES256"])
def test_algorithms_empty_name(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_algorithms(["EdDSA", value])

    assert str(caught.value) == (
        f"--alg {value!r} contains an empty algorithm name; separate names with single "
        "commas, such as --alg ES256,RS256"
    )


def test_json_object_errors_are_usage_errors() -> None:
    with pytest.raises(UsageError) as caught:
        parse_json_object('{"a": NaN}', "--header")

    assert str(caught.value).startswith("--header is not valid JSON")


@pytest.mark.parametrize("text", ["9" * 400 + "d", "9" * 400, "1" + "0" * 18])
def test_duration_too_long(text: str) -> None:
    with pytest.raises(UsageError, match="too long a duration"):
        parse_duration(text, "--exp")


@pytest.mark.parametrize("text", ["9" * 400 + "d", "@" + "9" * 400])
def test_time_out_of_range(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_time(text, "--exp", NOW)
    assert "inf" not in caught.value.message
    assert len(caught.value.message) < 300


def test_encode_huge_exp_is_usage_error(call_main: Any) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", "x" * 40, "--exp", "9" * 400 + "d")

    assert result.status == 2
    assert "too long a duration" in result.stderr
    assert "Traceback" not in result.stderr
