"""The shared normaliser, number readers and duration reader every parser relies on."""

from __future__ import annotations

import pytest

from hardener.android.parsers import lines, parse_duration_ms, to_text
from hardener.android.parsers.text import to_bool, to_hex_int, to_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\nb\n", "a\nb\n"),
        ("a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\r\nb", "a\nb"),  # Windows tools on top of old adb's pty CRLF
        (b"\xef\xbb\xbfa=1\n", "a=1\n"),
        (b"\xff\xfe" + "ключ=1\r\n".encode("utf-16-le"), "ключ=1\n"),
        (b"\xfe\xff" + "k=v\n".encode("utf-16-be"), "k=v\n"),
        ("k=v\n".encode("utf-16-le"), "k=v\n"),  # no BOM: NULs give it away
        ("k=v\n".encode("utf-16-be"), "k=v\n"),
        (b"k=v\n\x00\x00\x00", "k=v\n"),
        ("\ufeffk=v", "k=v"),
        ("k\x00=\x00v\x00", "k=v"),  # UTF-16 bytes decoded as if they were 8-bit
        (b"bad \xff byte", "bad \ufffd byte"),
        (bytearray(b"x"), "x"),
        (memoryview(b"y"), "y"),
        (None, ""),
        (b"", ""),
    ],
)
def test_to_text_normalises(raw: object, expected: str) -> None:
    assert to_text(raw) == expected  # type: ignore[arg-type]


def test_lines_split_only_on_newlines() -> None:
    # Form feeds, U+0085 and U+2028 can sit inside a value; str.splitlines would cut there.
    assert lines("a\x0cb\u2028c\x85d\ne\n") == ["a\x0cb\u2028c\x85d", "e"]
    assert lines("x\n\ny") == ["x", "", "y"]
    assert lines("") == [] and lines("\n") == [""]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" -7 ", -7),
        ("+3", 3),
        ("1_000", None),  # int() would accept this; Android never prints it
        ("٣", None),  # nor non-ASCII digits
        ("²", None),  # str.isdigit() is true here but int() raises
        ("9" * 31, None),  # int() raises past 4300 digits; never try
        ("", None),
        (None, None),
        ("0x10", None),
    ],
)
def test_to_int(value: str | None, expected: int | None) -> None:
    assert to_int(value) == expected


def test_to_hex_int_and_to_bool() -> None:
    assert to_hex_int("c13") == 0xC13 and to_hex_int("0x30") == 0x30
    assert to_hex_int("xyz") is None and to_hex_int("f" * 40) is None
    assert (to_bool("true"), to_bool(" FALSE "), to_bool("1"), to_bool(None)) == (
        True,
        False,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("+1m37s980ms", 97_980),
        ("+763ms", 763),
        ("+26d6h41m15s753ms ago", ((26 * 24 + 6) * 60 + 41) * 60_000 + 15_753),
        ("-4h50m23s772ms", -((4 * 60 + 50) * 60_000 + 23_772)),
        ("+0", 0),
        ("-0", 0),
        ("+1d", 86_400_000),
        ("+5m", 300_000),
        ("+30s0ms", 30_000),
        ("-24855d3h14m7s648ms", -((((24855 * 24 + 3) * 60 + 14) * 60 + 7) * 1000 + 648)),
        ("", None),
        ("+", None),
        ("ms", None),
        ("1h2x", None),
        (None, None),
    ],
)
def test_parse_duration_ms(text: str | None, ms: int | None) -> None:
    assert parse_duration_ms(text) == ms
