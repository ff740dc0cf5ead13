"""The work-hours engine: is a moment inside work hours, and when does that change.

Ranges are wall-clock times in the profile's timezone. A wall time becomes an instant by one
rule, used everywhere: *the first instant at which the local clock shows that time or a
later one*. So across a DST change:

* a time the clock skips (02:30 on a spring-forward night in Berlin) starts or ends a range
  at the moment of the jump (03:00 CEST);
* a time the clock shows twice (02:30 on the autumn night) means its first occurrence.

Each day's ranges become absolute windows by that rule; holidays remove a day's ranges,
extra workdays give a day another weekday's ranges, and overrides replace the result for
their span (the last listed override wins where several cover a moment). `is_working` and
`transitions` both derive from the same windows, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hardener.profile.times import MINUTES_PER_DAY, TimeRange

UTC = UTC
_FAR_PAST = datetime.min.replace(tzinfo=UTC)
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Transition:
    """Work starts (`working=True`) or ends at `at` (aware, in the schedule's timezone)."""

    at: datetime
    working: bool


@dataclass(frozen=True)
class Override:
    """Work (or no work) from `start` until `end`, whatever the weekly ranges say.

    Naive date-times are wall time in the profile's timezone; `start=None` means "already".
    """

    end: datetime
    working: bool
    start: datetime | None = None
    note: str = ""


def wall_to_instant(naive: datetime, tz: ZoneInfo) -> datetime:
    """The first instant (UTC) at which the clock in `tz` shows `naive` or a later time."""
    first = naive.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == naive:
        return instant  # exists; fold=0 is its first occurrence when repeated
    # In a gap: the clock jumps from before `naive` to after it. Find the jump.
    low = int(naive.replace(tzinfo=tz, fold=1).astimezone(UTC).timestamp())
    high = int(instant.timestamp())
    if low > high:  # pragma: no cover - defensive; PEP 495 orders them this way
        low, high = high, low
    while high - low > 1:
        middle = (low + high) // 2
        shown = datetime.fromtimestamp(middle, tz).replace(tzinfo=None)
        if shown >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")


@dataclass(frozen=True)
class Schedule:
    """Work hours resolved against one timezone; every method takes aware datetimes."""

    tz: ZoneInfo
    days: tuple[tuple[TimeRange, ...], ...]  # Monday .. Sunday
    holidays: Mapping[date, str] = field(default_factory=dict)  # date -> name
    extra_workdays: Mapping[date, int] = field(default_factory=dict)  # date -> weekday used
    overrides: tuple[Override, ...] = ()  # start/end aware (UTC) after `build`
    timezone_from_device: bool = False  # the profile said "device"

    @classmethod
    def build(
        cls,
        tz: ZoneInfo,
        days: tuple[tuple[TimeRange, ...], ...],
        *,
        holidays: Mapping[date, str] | None = None,
        extra_workdays: Mapping[date, int] | None = None,
        overrides: tuple[Override, ...] = (),
        timezone_from_device: bool = False,
    ) -> Schedule:
        """A schedule whose naive override times are read as wall time in `tz`."""
        if len(days) != 7:
            raise ValueError("days must hold Monday..Sunday")
        resolved = tuple(
            Override(
                end=_absolute(override.end, tz),
                working=override.working,
                start=None if override.start is None else _absolute(override.start, tz),
                note=override.note,
            )
            for override in overrides
        )
        return cls(
            tz=tz,
            days=days,
            holidays=MappingProxyType(dict(holidays or {})),
            extra_workdays=MappingProxyType(dict(extra_workdays or {})),
            overrides=resolved,
            timezone_from_device=timezone_from_device,
        )

    @property
    def timezone_name(self) -> str:
        return self.tz.key

    # -- days -------------------------------------------------------------------------------

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        """The ranges that start on `day`: none on a holiday, another weekday's on an extra day."""
        if day in self.holidays:
            return ()
        weekday = self.extra_workdays.get(day)
        return self.days[day.weekday() if weekday is None else weekday]

    def _base_windows(self, low: datetime, high: datetime) -> list[tuple[datetime, datetime]]:
        """Merged working windows from the weekly ranges that touch [low, high)."""
        first = low.astimezone(self.tz).date() - 2 * _DAY
        last = high.astimezone(self.tz).date() + _DAY
        windows: list[tuple[datetime, datetime]] = []
        day = first
        while day <= last:
            for time_range in self.ranges_on(day):
                start = self._instant(day, time_range.start)
                end = self._instant(day, time_range.end)
                if start < end and end > low and start < high:
                    windows.append((start, end))
            day += _DAY
        windows.sort()
        merged: list[tuple[datetime, datetime]] = []
        for start, end in windows:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _instant(self, day: date, minute: int) -> datetime:
        day = day + timedelta(days=minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
        naive = datetime.combine(day, clock_time(minute // 60, minute % 60))
        return wall_to_instant(naive, self.tz)

    # -- moments ----------------------------------------------------------------------------

    def _override_at(self, moment: datetime) -> Override | None:
        for override in reversed(self.overrides):
            start = override.start or _FAR_PAST
            if start <= moment < override.end:
                return override
        return None

    def override_at(self, moment: datetime) -> Override | None:
        """The override that decides `moment`, if any."""
        _require_aware(moment, "moment")
        return self._override_at(moment)

    def is_working(self, moment: datetime) -> bool:
        """Whether `moment` is inside work hours (window starts included, ends excluded)."""
        _require_aware(moment, "moment")
        override = self._override_at(moment)
        if override is not None:
            return override.working
        return any(
            start <= moment < end for start, end in self._base_windows(moment, moment + _DAY)
        )

    def _timeline(self, low: datetime, high: datetime) -> list[tuple[datetime, bool]]:
        """(segment start, working) for consecutive segments covering [low, high), merged."""
        cuts = {low}
        base = self._base_windows(low, high)
        for start, end in base:
            cuts.update(point for point in (start, end) if low < point < high)
        for each in self.overrides:
            for point in (each.start, each.end):
                if point is not None and low < point < high:
                    cuts.add(point)
        timeline: list[tuple[datetime, bool]] = []
        window = 0
        for cut in sorted(cuts):
            while window < len(base) and base[window][1] <= cut:
                window += 1
            override = self._override_at(cut)
            if override is not None:
                working = override.working
            else:
                working = window < len(base) and base[window][0] <= cut
            if not timeline or timeline[-1][1] != working:
                timeline.append((cut, working))
        return timeline

    def transitions(self, start: datetime, end: datetime) -> Iterator[Transition]:
        """Changes of state at instants in [start, end), in order; they always alternate."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if start >= end:
            return
        low = start - _DAY
        for at, working in self._timeline(low, end):
            if at >= start and at > low:
                yield Transition(at.astimezone(self.tz), working)

    def windows(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Working intervals within [start, end), clipped to it, in the schedule's timezone."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        result: list[tuple[datetime, datetime]] = []
        timeline = self._timeline(start, end)
        for index, (at, working) in enumerate(timeline):
            if working:
                until = timeline[index + 1][0] if index + 1 < len(timeline) else end
                result.append((at.astimezone(self.tz), until.astimezone(self.tz)))
        return result

    def next_transition(self, moment: datetime) -> Transition | None:
        """The first change strictly after `moment`; None when the state never changes again."""
        _require_aware(moment, "moment")
        # After the last holiday or override only the weekly pattern decides, and a week of it
        # shows every change it has: searching 8 days past that point finds any that exists.
        horizon = max(moment + 15 * _DAY, self._last_special() + 8 * _DAY)
        low = moment
        while low < horizon:
            high = low + 14 * _DAY
            for transition in self.transitions(low, high):
                if transition.at > moment:
                    return transition
            low = high
        return None

    def _last_special(self) -> datetime:
        """The latest instant after which the weekly pattern alone decides."""
        points = [
            override_point
            for override in self.overrides
            for override_point in (override.start, override.end)
            if override_point is not None and override_point != _FAR_FUTURE
        ]
        for day in (*self.holidays, *self.extra_workdays):
            points.append(wall_to_instant(datetime.combine(day, clock_time()), self.tz))
        return max(points, default=_FAR_PAST)


def _absolute(moment: datetime, tz: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        return wall_to_instant(moment, tz)
    return moment.astimezone(UTC)
