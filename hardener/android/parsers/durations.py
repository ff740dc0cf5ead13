"""Android's `TimeUtils.formatDuration` text (`+1d2h3m4s5ms`, `-…`, `+0`) as milliseconds.

App-op times (`time=+1m37s980ms ago`), deviceidle settings and usage stats all print
durations this way; keeping one reader means one place that knows the grammar.
"""

from __future__ import annotations

import re

_DURATION = re.compile(
    r"(?P<sign>[+-])?"
    r"(?:(?P<d>[0-9]{1,12})d)?"
    r"(?:(?P<h>[0-9]{1,12})h)?"
    r"(?:(?P<m>[0-9]{1,12})m(?!s))?"
    r"(?:(?P<s>[0-9]{1,12})s)?"
    r"(?:(?P<ms>[0-9]{1,12})ms)?"
)
_ZERO = re.compile(r"[+-]?0")
_UNIT_MS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}


def parse_duration_ms(text: str | None) -> int | None:
    """Milliseconds for a formatDuration string (a trailing ` ago` is allowed), else None.

    Negative values mean the past. The "never" sentinel (`-24855d3h14m7s…`, about -2^31
    seconds) comes out as the large negative number Android computed; callers compare.
    """
    if text is None:
        return None
    value = text.strip()
    if value.endswith(" ago"):
        value = value[:-4].rstrip()
    if not value:
        return None
    if _ZERO.fullmatch(value):
        return 0
    match = _DURATION.fullmatch(value)
    if match is None or not any(match.group(unit) for unit in _UNIT_MS):
        return None
    total = sum(int(match.group(unit) or 0) * factor for unit, factor in _UNIT_MS.items())
    return -total if match.group("sign") == "-" else total
