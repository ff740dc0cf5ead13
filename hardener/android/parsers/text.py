"""Turn whatever a capture or a transport hands over into plain `\\n`-separated text.

Phone output reaches hardener as bytes from adb, as text from a saved file, or as a file a
Windows user saved with a PowerShell redirect (UTF-16LE with a BOM and CRLF). Every parser
starts here so that no parser has to care about encodings or line ends, and all of them
treat the same input the same way.
"""

from __future__ import annotations

import re
from typing import TypeAlias

# What every parser accepts: a decoded string, or the raw bytes from a transport or a file.
RawText: TypeAlias = str | bytes | bytearray | memoryview | None

_CR_RUN = re.compile(r"\r+\n?")
_DIGITS = re.compile(r"[+-]?[0-9]{1,30}")
_HEX = re.compile(r"(?:0[xX])?[0-9a-fA-F]{1,30}")


def to_text(data: RawText) -> str:
    """Decode and normalise: BOMs (UTF-8, UTF-16 LE/BE) and NUL padding go, line ends become `\\n`.

    Bytes without a BOM that are full of NULs are taken as UTF-16 (the byte order is guessed
    from where the NULs sit); anything undecodable becomes U+FFFD rather than an error.
    """
    if data is None:
        return ""
    text = data if isinstance(data, str) else _decode(bytes(data))
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = _CR_RUN.sub("\n", text)
    return text


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", errors="replace")
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    if b"\x00" in raw:
        order = _utf16_order(raw)
        if order is not None:
            return raw.decode(order, errors="replace")
        raw = raw.replace(b"\x00", b"")
    return raw.decode("utf-8", errors="replace")


def _utf16_order(raw: bytes) -> str | None:
    """Guess UTF-16 without a BOM: mostly-ASCII text has its NULs on one side of each pair."""
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.4 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def lines(data: RawText) -> list[str]:
    """Normalised text split on `\\n` only (no terminators; a final newline adds no empty line).

    str.splitlines() would also split on form feeds, U+0085 and U+2028, which can sit inside
    a value; Android only ever ends lines with `\\n`.
    """
    text = to_text(data)
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts


def to_int(value: str | None) -> int | None:
    """A decimal integer, or None: never raises (Python's int() does on huge or odd digits)."""
    if value is None:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value) is None:
        return None
    return int(value)


def to_hex_int(value: str | None) -> int | None:
    """A hexadecimal integer (with or without `0x`), or None."""
    if value is None:
        return None
    value = value.strip()
    if _HEX.fullmatch(value) is None:
        return None
    return int(value, 16)


def to_bool(value: str | None) -> bool | None:
    """`true`/`false` as Android prints them (case-insensitive), else None."""
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None
