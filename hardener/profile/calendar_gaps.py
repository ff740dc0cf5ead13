"""A holiday calendar that stops too soon: say so before it silently stops applying.

A profile that lists holidays or make-up workdays (China's 调休 calendar is published one
year at a time) has none for a year it is used in: every holiday of that year then counts
as a workday. `profile check`, `audit` and the cron log say it for the current year, and for
the coming one from LOOKAHEAD_DAYS before it starts. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

LOOKAHEAD_DAYS = 92  # from early October, warn about next year's missing calendar


def missing_years(dates: Iterable[date], today: date) -> tuple[int, ...]:
    """The current year (and the coming one, when near) if the calendar has no date in it.
    A profile with no special dates at all has no calendar to run out: ()."""
    years = {day.year for day in dates}
    if not years:
        return ()
    wanted = [today.year]
    if (date(today.year + 1, 1, 1) - today).days <= LOOKAHEAD_DAYS:
        wanted.append(today.year + 1)
    return tuple(year for year in wanted if year not in years)


def calendar_gaps(dates: Iterable[date], today: date) -> tuple[str, ...]:
    """One sentence per year the calendar does not cover."""
    listed = sorted(set(dates))
    return tuple(
        f"the holiday calendar (holidays, extra_workdays) has no dates for {year} "
        f"(its last is {listed[-1]}): in {year} holidays count as workdays and make-up "
        f"workdays as days off; add {year}'s dates to [work_hours]"
        for year in missing_years(listed, today)
    )
