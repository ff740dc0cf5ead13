"""Text from outside (a profile, the catalog, the phone, a file name) made safe to show or write.

App labels, ROM strings, rule names and error messages are written by someone else. Printed
raw, an escape sequence can set the terminal's title, write the clipboard (OSC 52) or hide a
line; a newline can forge a line of a table, a log or a crontab. So:

* `visible(text)` is how every field from outside is printed: control characters (C0, DEL,
  C1), line and paragraph separators and bidirectional overrides are shown as escapes
  (`\\x1b`, `\\n`, `\\u202e`), everything else as it is. The result is one line.
* `visible_lines(text)` is the same for a block hardener composed itself: its own newlines
  (and tabs) stay, anything else is escaped. The CLI passes everything it prints through it
  as a last guard.
* `control_characters(text)` lists what `refuse_controls` rejects in a value about to become
  part of a crontab line, a unit file or a shell line: such values are refused, not escaped.
"""

from __future__ import annotations

import re

from hardener.errors import InputError

# C0 controls, DEL, C1 controls; U+2028/2029 (line/paragraph separators); the bidirectional
# embeddings, overrides and isolates that reorder what a terminal shows (CVE-2021-42574);
# zero-width spaces and joiners, and the BOM.
# Zero-width characters are harmless but invisible: a name that looks like "WeChat" and is
# not one is shown for what it is.
_OTHERS = (
    "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff"
)
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_UNSAFE_KEEP_LINES_RE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # keeps \t and \n
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: object) -> str:
    """`text` as one harmless, visible line: every control character shown as an escape."""
    return _UNSAFE_RE.sub(_escape, str(text))


def visible_lines(text: object) -> str:
    """Like `visible`, but the newlines and tabs of a block hardener composed are kept."""
    return _UNSAFE_KEEP_LINES_RE.sub(_escape, str(text))


def control_characters(text: str) -> list[str]:
    """The unsafe characters in `text`, escaped, in order of appearance (no repeats)."""
    found: list[str] = []
    for match in _UNSAFE_RE.finditer(text):
        shown = _escape(match)
        if shown not in found:
            found.append(shown)
    return found


def refuse_controls(what: str, value: str, *, hint: str | None = None) -> str:
    """`value` unchanged, or InputError (exit 2) when it holds a control character.

    For values that become part of a crontab line, a unit file or a shell line: quoting
    protects spaces and quotes, but a newline still ends the line."""
    bad = control_characters(value)
    if bad:
        raise InputError(
            f"{what} {visible(value)!s} contains control characters ({', '.join(bad)})",
            hint=hint or "rename it (or move the file) so that its name has none",
        )
    return value


_JSON_UNSAFE_RE = re.compile(f"[{_OTHERS}]")


def json_safe(text: str) -> str:
    """JSON text (from `json.dumps`) with DEL, C1 and bidi characters as JSON `\\u` escapes.

    `json.dumps` escapes C0 controls; these others pass through with `ensure_ascii=False`
    and can only be inside strings, where `\\uXXXX` means the same character."""
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
