"""Parsing the time values a profile holds: ranges of a day, dates, date-times, zones.

Each parser returns either a value or a message saying what is wrong; the schema module
turns messages into located problems. Nothing here raises on user text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MINUTES_PER_DAY = 24 * 60
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
RANGE_EXAMPLE = '"HH:MM-HH:MM" from 00:00 to 24:00, e.g. "09:00-17:30" or overnight "22:00-06:00"'
DATE_EXAMPLE = 'a date like 2025-10-01 (TOML date or "YYYY-MM-DD" string)'
DATE_RANGE_EXAMPLE = 'a date, or an inclusive range "2025-10-01..2025-10-07"'
DATETIME_EXAMPLE = (
    "a date-time like 2025-06-08T09:00 (read in the profile's timezone) or 2025-06-08T09:00+02:00"
)

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True, order=True)
class TimeRange:
    """Wall-clock minutes from the start of a day; `end` > 1440 runs into the next day."""

    start: int
    end: int

    @property
    def overnight(self) -> bool:
        return self.end > MINUTES_PER_DAY

    def __str__(self) -> str:
        end = self.end - MINUTES_PER_DAY if self.overnight else self.end
        return f"{format_minutes(self.start)}-{format_minutes(end)}"


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock(text: str) -> int | str:
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return f'"{text.strip()}" is not a time of day'
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes != 0):
        return f'"{text.strip()}" is not a time of day'
    return hours * 60 + minutes


def parse_range(text: object) -> TimeRange | str:
    """'09:00-17:30' -> TimeRange(540, 1050); an end at or before the start runs overnight."""
    if not isinstance(text, str):
        return f"a range must be a string, not {type_name(text)}"
    parts = text.split("-")
    if len(parts) != 2:
        return f'"{text}" is not a range of two times joined by "-"'
    start, end = _clock(parts[0]), _clock(parts[1])
    for value in (start, end):
        if isinstance(value, str):
            return value
    assert isinstance(start, int) and isinstance(end, int)
    if start == MINUTES_PER_DAY:
        return f'"{text}" starts at 24:00; a range starts at 00:00-23:59'
    if end == start:
        return f'"{text}" is empty; for a whole day write "00:00-24:00"'
    if end < start:
        end += MINUTES_PER_DAY
    return TimeRange(start, end)


# The dates hardener reasons about. Work-hour arithmetic looks days and weeks around a date;
# at the ends of Python's calendar (years 1 and 9999) that overflows, so dates are bounded
# well inside it, and an open-ended override is written with a far but finite end.
EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)
BOUNDS = f"a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"


def out_of_bounds(day: date) -> str | None:
    """Why `day` is outside the dates hardener handles, or None."""
    if day < EARLIEST:
        earliest = EARLIEST.isoformat()
        return f"{day.isoformat()} is before {earliest}, the earliest date hardener handles"
    if day > LATEST:
        return (
            f"{day.isoformat()} is after {LATEST.isoformat()}, the latest date hardener "
            f'handles (for "no end", write {LATEST.isoformat()})'
        )
    return None


def parse_date(value: object) -> date | str:
    if isinstance(value, datetime):
        return f"{value.isoformat()} is a date-time; a date has no time of day"
    if isinstance(value, date):
        return out_of_bounds(value) or value
    if isinstance(value, str):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            return f'"{value}" is not a date'
        return out_of_bounds(parsed) or parsed
    return f"a date must be a TOML date or a string, not {type_name(value)}"


def parse_date_span(value: object) -> tuple[date, date] | str:
    """A date or an inclusive 'A..B' range, as (first, last)."""
    if isinstance(value, str) and ".." in value:
        first_text, _, last_text = value.partition("..")
        first, last = parse_date(first_text), parse_date(last_text)
        if isinstance(first, str):
            return first
        if isinstance(last, str):
            return last
        if last < first:
            return f'"{value}" ends before it starts'
        if (last - first).days > 366:
            return f'"{value}" spans more than a year'
        return first, last
    single = parse_date(value)
    return single if isinstance(single, str) else (single, single)


def days_of(span: tuple[date, date]) -> list[date]:
    first, last = span
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def parse_datetime(value: object) -> datetime | str:
    """A TOML date-time or an ISO 8601 string; naive values are wall time in the profile."""
    if isinstance(value, datetime):
        return out_of_bounds(value.date()) or value
    if isinstance(value, date):
        return f"{value.isoformat()} is a date; give a time too, e.g. {value.isoformat()}T18:00:00"
    if isinstance(value, clock_time):
        return f"{value.isoformat()} is a time of day without a date"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return f'"{value}" is not a date-time'
        return out_of_bounds(parsed.date()) or parsed
    return f"a date-time must be a TOML date-time or a string, not {type_name(value)}"


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo | None:
    """The zone called `name` when it is a real IANA name, else None."""
    if name not in timezone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        return None


def type_name(value: object) -> str:
    """TOML's word for a Python value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | clock_time):
        return "a date/time"
    return type(value).__name__
