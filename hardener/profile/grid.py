"""The week's work windows as a 7-day terminal grid, and transitions as lines of text.

One row per hour, one character per quarter hour, sampled in the profile's wall time, so a
DST night shows its missing hour as blank and the grid reads like a paper timetable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from hardener.profile.schedule import Schedule, Transition, wall_to_instant

_WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class GridGlyphs:
    """Characters for the grid; an ASCII set exists for terminals that cannot print blocks."""

    working: str
    off: str
    missing: str


UNICODE_GLYPHS = GridGlyphs(working="█", off="·", missing=" ")
ASCII_GLYPHS = GridGlyphs(working="#", off=".", missing=" ")


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _quarter_state(schedule: Schedule, day: date, hour: int, quarter: int) -> bool | None:
    """Working at the middle of this quarter hour of wall time; None if the clock skips it."""
    naive = datetime.combine(day, clock_time(hour, quarter * 15)) + timedelta(minutes=7, seconds=30)
    instant = wall_to_instant(naive, schedule.tz)
    if instant.astimezone(schedule.tz).replace(tzinfo=None) != naive:
        return None
    return schedule.is_working(instant)


def day_marks(schedule: Schedule, day: date) -> str:
    """A short mark for the column header: holiday, extra workday, override."""
    marks = ""
    if day in schedule.holidays:
        marks += "H"
    if day in schedule.extra_workdays:
        marks += "+"
    start = wall_to_instant(datetime.combine(day, clock_time()), schedule.tz)
    end = wall_to_instant(datetime.combine(day + timedelta(days=1), clock_time()), schedule.tz)
    for override in schedule.overrides:
        if (override.start is None or override.start < end) and override.end > start:
            marks += "!"
            break
    return marks


def render_week(schedule: Schedule, first_day: date, glyphs: GridGlyphs = UNICODE_GLYPHS) -> str:
    """The 7 days from `first_day` as a grid: hours down, days across."""
    days = [first_day + timedelta(days=offset) for offset in range(7)]
    column = 7
    headers = [
        "".join(f"{_WEEKDAY_ABBREVIATIONS[d.weekday()]:<{column}}" for d in days),
        "".join(f"{d.strftime('%m-%d'):<{column}}" for d in days),
        "".join(f"{day_marks(schedule, d):<{column}}" for d in days),
    ]
    lines = [("       " + header).rstrip() for header in headers]
    if not lines[-1]:
        lines.pop()  # no day has a mark
    for hour in range(24):
        cells = []
        for day in days:
            cell = ""
            for quarter in range(4):
                state = _quarter_state(schedule, day, hour, quarter)
                cell += (
                    glyphs.missing if state is None else (glyphs.working if state else glyphs.off)
                )
            cells.append(f"{cell:<{column}}")
        lines.append(f"{hour:02d}:00  " + "".join(cells).rstrip())
    lines.append("")
    lines.append(
        f"{glyphs.working} work  {glyphs.off} off  (one character = 15 minutes)   "
        "H holiday  + extra workday  ! override"
    )
    return "\n".join(lines)


def describe_transition(schedule: Schedule, transition: Transition) -> str:
    """'Tue 2026-11-24 09:00 CST  work starts (override: on call)'."""
    at = transition.at.astimezone(schedule.tz)
    what = "work starts" if transition.working else "work ends"
    override = schedule.override_at(transition.at)
    if override is None and not transition.working:
        # An override that just ended explains an end only if the weekly hours would not.
        override = schedule.override_at(transition.at - timedelta(microseconds=1))
        if override is not None and not override.working:
            override = None
    note = ""
    if override is not None:
        note = f"  (override{': ' + override.note if override.note else ''})"
    stamp = f"{_WEEKDAY_ABBREVIATIONS[at.weekday()]} {at.strftime('%Y-%m-%d %H:%M')} {at.tzname()}"
    return f"{stamp}  {what}{note}"


def special_days(schedule: Schedule, first_day: date) -> list[str]:
    """Lines naming the week's holidays and extra workdays, for under the grid."""
    lines = []
    for offset in range(7):
        day = first_day + timedelta(days=offset)
        label = f"{_WEEKDAY_ABBREVIATIONS[day.weekday()]} {day.strftime('%m-%d')}"
        if day in schedule.holidays:
            name = schedule.holidays[day]
            lines.append(f"  H {label}: holiday{': ' + name if name else ''}")
        weekday = schedule.extra_workdays.get(day)
        if weekday is not None:
            lines.append(
                f"  + {label}: extra workday with {_WEEKDAY_ABBREVIATIONS[weekday]}'s hours"
            )
    return lines
