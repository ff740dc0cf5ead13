"""toybox `date` over the virtual phone's wall clock (landley/toybox toys/posix/date.c).

`date` prints `%a %b %e %H:%M:%S %Z %Y` (its default format_string); `date +FORMAT` formats
with strftime(3) plus toybox's `%N` (nanoseconds) and `%:z`; `-u` uses UTC; `-d @SECONDS` or
`-d "YYYY-MM-DD hh:mm[:ss]"` shows that time instead; `-I[d|h|m|s]` ISO 8601. Setting the date
needs CAP_SYS_TIME, which the shell user lacks: `date: cannot set date: Operation not
permitted`. The zone is the phone's `persist.sys.timezone` (bionic's localtime).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from hardener.sim.android.shell import Result

_ISO = {"d": "%F", "h": "%FT%H%:z", "m": "%FT%R%:z", "s": "%FT%T%:z", "n": "%FT%T,%N%:z"}
_DIRECTIVE = re.compile(r"%(:?[a-zA-Z%+])")


def strftime(fmt: str, when: datetime, fraction_ns: int = 0) -> str:
    """strftime(3) as bionic does it, directive by directive (Python's own `%s` would use the
    host's zone, so the epoch, `%N`, `%z` and `%:z` are done here)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "%":
            return "%"
        if code == "s":
            return str(int(when.timestamp()))
        if code == "N":
            return f"{fraction_ns:09d}"
        if code in ("z", ":z"):
            offset = when.utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset is not None else 0
            sign = "-" if minutes < 0 else "+"
            hours, mins = divmod(abs(minutes), 60)
            return f"{sign}{hours:02d}{':' if code == ':z' else ''}{mins:02d}"
        if code == "Z":
            return when.tzname() or "UTC"
        if code == "e":
            return f"{when.day:2d}"
        if code == "k":
            return f"{when.hour:2d}"
        if code == "l":
            return f"{(when.hour % 12) or 12:2d}"
        if code == "P":
            return "am" if when.hour < 12 else "pm"
        if code == "F":
            return when.strftime("%Y-%m-%d")
        if code == "T":
            return when.strftime("%H:%M:%S")
        if code == "R":
            return when.strftime("%H:%M")
        if code == "D":
            return when.strftime("%m/%d/%y")
        if code == "C":
            return f"{when.year // 100:02d}"
        if code == "u":
            return str(when.isoweekday())
        if code in ":":
            return match.group(0)
        try:
            return when.strftime("%" + code)
        except ValueError:
            return match.group(0)

    return _DIRECTIVE.sub(one, fmt)


def _parse_date(text: str, tz: tzinfo) -> datetime | None:
    text = text.strip()
    if text.startswith("@"):
        try:
            return datetime.fromtimestamp(float(text[1:]), tz)
        except (ValueError, OverflowError, OSError):
            return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def date(argv: list[str], wall: float, tz: tzinfo) -> Result:
    fmt = "%a %b %e %H:%M:%S %Z %Y"
    zone: tzinfo = tz
    shown: datetime | None = None
    args = argv[1:]
    i = 0
    positional: list[str] = []
    while i < len(args):
        arg = args[i]
        if arg == "-u" or arg == "--utc":
            zone = UTC
        elif arg == "-d" or arg.startswith("-d"):
            value = arg[2:] or (args[i + 1] if i + 1 < len(args) else None)
            if value is None:
                return Result("", "date: Missing argument to -d\n", 1)
            if not arg[2:]:
                i += 1
            shown_text = value
            parsed = _parse_date(shown_text, zone)
            if parsed is None:
                return Result("", f"date: bad date {shown_text}\n", 1)
            shown = parsed
        elif arg.startswith("-I"):
            resolution = arg[2:] or "d"
            if resolution[:1] not in _ISO:
                return Result("", f"date: bad -I: {resolution}\n", 1)
            fmt = _ISO[resolution[:1]]
        elif arg.startswith("+"):
            fmt = arg[1:]
        elif arg.startswith("-") and len(arg) > 1:
            return Result("", f"date: Unknown option '{arg[1:2]}'\n", 1)
        else:
            positional.append(arg)
        i += 1
    if positional:
        return Result("", "date: cannot set date: Operation not permitted\n", 1)
    when = (shown or datetime.fromtimestamp(wall, UTC)).astimezone(zone)
    fraction = round((wall % 1) * 1e9) if shown is None else 0
    return Result(strftime(fmt, when, fraction) + "\n")
