"""A loaded profile: work hours, rules and catalog additions, after `extends` merging."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from hardener.android.catalog.catalog import Catalog
from hardener.profile.calendar_gaps import calendar_gaps
from hardener.profile.problems import Problem, ProfileError
from hardener.profile.public import PublicHolidays
from hardener.profile.rules import AppPolicy, Rule, resolve_policy
from hardener.profile.schedule import Override, Schedule
from hardener.profile.times import TimeRange, zone

DEVICE_TIMEZONE = "device"

# Rules are frozen and hashable, and a phone (or a fleet of them) asks about the same
# packages again and again: remember the answers.
_policy = lru_cache(maxsize=16384)(resolve_policy)


@dataclass(frozen=True)
class WorkHours:
    """`[work_hours]` after merging; `days` runs Monday..Sunday."""

    timezone: str = DEVICE_TIMEZONE  # an IANA name, or "device"
    days: tuple[tuple[TimeRange, ...], ...] = ((),) * 7
    holidays: Mapping[date, str] = field(default_factory=dict)  # date -> name ("" if none)
    extra_workdays: Mapping[date, int] = field(default_factory=dict)  # date -> weekday used
    overrides: tuple[Override, ...] = ()
    public_holidays: PublicHolidays | None = None  # where `public_dates` come from
    public_dates: Mapping[date, str] = field(default_factory=dict)  # included in `holidays`
    public_missing: tuple[int, ...] = ()  # years of the window the calendar has nothing for

    @property
    def has_hours(self) -> bool:
        return any(self.days) or any(o.working for o in self.overrides)

    def calendar_gaps(self, today: date) -> tuple[str, ...]:
        """Years (this one, or the coming one when near) the holiday calendar misses."""
        return calendar_gaps([*self.holidays, *self.extra_workdays], today)


# Android 15 (SDK 35): `am force-stop` cancels the app's alarms and pending intents
# (developer.android.com/about/versions/15/behavior-changes-all, "Package stopped state
# changes"), and nothing can restore them.
FORCE_STOP_CANCELS_ALARMS_FROM = 35


@dataclass(frozen=True)
class Profile:
    """Everything `audit` and `enforce` need from a profile."""

    name: str  # bundled name or file stem
    path: Path
    description: str
    work_hours: WorkHours
    rules: tuple[Rule, ...]
    catalog: Catalog  # hardener's catalog plus the profile's additions
    files: tuple[Path, ...] = ()  # the extends chain, base first, this file last
    quiet_calls: bool = False  # phone-wide Do Not Disturb (priority) outside work hours
    # `[off_hours] force_stop`: True always, False never, None (unset) only before Android 15,
    # where `am force-stop` also cancels the app's alarms and pending intents, which no
    # restore can give back.
    force_stop: bool | None = None

    def force_stops(self, sdk: int) -> bool:
        """Whether enforce force-stops a hardened app on a phone with this SDK."""
        if self.force_stop is not None:
            return self.force_stop
        return sdk < FORCE_STOP_CANCELS_ALARMS_FROM

    arm: bool = False  # `enforce` (and cron runs) leave a job on the phone (hardener.arm)

    def category_of(self, package: str) -> str:
        return self.catalog.category_of(package)

    def policy_for(self, package: str, category: str | None = None) -> AppPolicy | None:
        """The app's policy; None when no rule selects it. Category defaults to the catalog's."""
        if category is None:
            category = self.category_of(package)
        return _policy(self.rules, package, category)

    def schedule(self, device_timezone: str | None) -> Schedule:
        """The work-hours engine, with `"device"` resolved to `device_timezone`.

        Raises ProfileError when the profile needs the phone's timezone and none (or an
        unknown one) is given.
        """
        from_device = self.work_hours.timezone == DEVICE_TIMEZONE
        name = device_timezone if from_device else self.work_hours.timezone
        tz = zone(name) if name else None
        if tz is None:
            if from_device:
                message = 'work_hours.timezone is "device" but the phone\'s timezone is ' + (
                    f'"{device_timezone}", which is not an IANA name'
                    if device_timezone
                    else "unknown"
                )
            else:  # pragma: no cover - the loader rejects unknown names
                message = f'work_hours.timezone "{name}" is not an IANA timezone'
            raise ProfileError(
                [Problem(str(self.path), "work_hours.timezone", None, message)],
                hint='set work_hours.timezone to an IANA name such as "Europe/Berlin"',
            )
        return Schedule.build(
            tz,
            self.work_hours.days,
            holidays=self.work_hours.holidays,
            extra_workdays=self.work_hours.extra_workdays,
            overrides=self.work_hours.overrides,
            timezone_from_device=from_device,
        )
