"""`getprop` (all properties, `[key]: [value]` lines) and `getprop KEY` (the bare value).

Device identity, Android version and ROM detection all start from these properties. Values
are kept exactly, including the rare multi-line ones (`persist.sys.boot.reason.history`
spans several lines until its closing bracket).
"""

from __future__ import annotations

import re

from hardener.android.parsers.text import RawText, lines, to_text

_START = re.compile(r"\s*\[([^\]]*)\]\s*:\s*\[(.*)")


def parse_getprop(text: RawText) -> dict[str, str]:
    """All properties as a dict; unknown lines are skipped, a later duplicate key wins."""
    props: dict[str, str] = {}
    pending_key: str | None = None
    pending: list[str] = []
    for line in lines(text):
        start = _START.match(line)
        if start is None:
            if pending_key is not None:
                pending.append(line)
                if line.rstrip().endswith("]"):
                    props[pending_key] = _close("\n".join(pending))
                    pending_key = None
            continue
        if pending_key is not None:  # an unclosed value: keep what was there
            props[pending_key] = "\n".join(pending)
            pending_key = None
        key, rest = start.group(1), start.group(2)
        if rest.rstrip().endswith("]"):
            props[key] = _close(rest)
        else:
            pending_key, pending = key, [rest]
    if pending_key is not None:
        props[pending_key] = "\n".join(pending)
    return props


def _close(value: str) -> str:
    """Drop the closing bracket (and any trailing blanks after it), keep everything else."""
    value = value.rstrip()
    return value[:-1] if value.endswith("]") else value


def parse_getprop_value(text: RawText) -> str:
    """`getprop KEY` prints the bare value and a newline; an unset property prints ``."""
    value = to_text(text)
    return value[:-1] if value.endswith("\n") else value
