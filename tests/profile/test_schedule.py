"""The work-hours engine: DST, overnight ranges, the week's end, holidays, overrides."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hardener.profile import Override, Schedule, TimeRange, wall_to_instant
from hardener.profile.times import parse_range

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def ranges(*texts: str) -> tuple[TimeRange, ...]:
    parsed = tuple(parse_range(text) for text in texts)
    assert all(isinstance(r, TimeRange) for r in parsed)
    return parsed  # type: ignore[return-value]


def week(**days: tuple[TimeRange, ...]) -> tuple[tuple[TimeRange, ...], ...]:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    weekdays = days.pop("weekdays", ())
    return tuple(days.get(name, weekdays if i < 5 else ()) for i, name in enumerate(names))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def transitions(schedule: Schedule, start: datetime, end: datetime) -> list[tuple[datetime, bool]]:
    return [(t.at.astimezone(UTC), t.working) for t in schedule.transitions(start, end)]


# -- wall time to instant -----------------------------------------------------------------------


def test_wall_time_in_spring_gap_is_the_moment_of_the_jump():
    # Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    assert wall_to_instant(datetime(2026, 3, 29, 2, 30), BERLIN) == utc(2026, 3, 29, 1, 0)
    assert wall_to_instant(datetime(2026, 3, 29, 2, 0), BERLIN) == utc(2026, 3, 29, 1, 0)
    assert wall_to_instant(datetime(2026, 3, 29, 3, 0), BERLIN) == utc(2026, 3, 29, 1, 0)
    assert wall_to_instant(datetime(2026, 3, 29, 1, 59), BERLIN) == utc(2026, 3, 29, 0, 59)


def test_repeated_wall_time_is_its_first_occurrence():
    # Berlin, 2026-10-25: 03:00 CEST goes back to 02:00 CET at 01:00 UTC.
    assert wall_to_instant(datetime(2026, 10, 25, 2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)
    assert wall_to_instant(datetime(2026, 10, 25, 3, 0), BERLIN) == utc(2026, 10, 25, 2, 0)


# -- DST -----------------------------------------------------------------------------------------


def test_berlin_spring_range_across_the_gap_is_shorter():
    schedule = Schedule.build(BERLIN, week(sunday=ranges("01:00-03:30")))
    found = transitions(schedule, utc(2026, 3, 28), utc(2026, 3, 30))
    assert found == [(utc(2026, 3, 29, 0, 0), True), (utc(2026, 3, 29, 1, 30), False)]


def test_berlin_spring_range_inside_the_gap_never_happens():
    schedule = Schedule.build(BERLIN, week(sunday=ranges("02:10-02:50")))
    assert transitions(schedule, utc(2026, 3, 28), utc(2026, 3, 30)) == []
    assert not schedule.is_working(utc(2026, 3, 29, 1, 0))
    # The next Sunday has the range again.
    assert schedule.next_transition(utc(2026, 3, 28)).at == datetime(
        2026, 4, 5, 2, 10, tzinfo=BERLIN
    )


def test_berlin_spring_range_starting_in_the_gap_starts_at_the_jump():
    schedule = Schedule.build(BERLIN, week(sunday=ranges("02:30-05:00")))
    found = transitions(schedule, utc(2026, 3, 28), utc(2026, 3, 30))
    assert found == [(utc(2026, 3, 29, 1, 0), True), (utc(2026, 3, 29, 3, 0), False)]


def test_berlin_autumn_range_across_the_repeat_is_longer():
    schedule = Schedule.build(BERLIN, week(sunday=ranges("01:00-03:30")))
    found = transitions(schedule, utc(2026, 10, 24), utc(2026, 10, 26))
    assert found == [(utc(2026, 10, 24, 23, 0), True), (utc(2026, 10, 25, 2, 30), False)]


def test_berlin_autumn_repeated_times_use_the_first_occurrence():
    starts_in_fold = Schedule.build(BERLIN, week(sunday=ranges("02:30-04:00")))
    found = transitions(starts_in_fold, utc(2026, 10, 24), utc(2026, 10, 26))
    assert found == [(utc(2026, 10, 25, 0, 30), True), (utc(2026, 10, 25, 3, 0), False)]
    # The second 02:30 (CET) is still inside: work does not stop and restart.
    assert starts_in_fold.is_working(utc(2026, 10, 25, 1, 30))
    ends_in_fold = Schedule.build(BERLIN, week(sunday=ranges("02:00-02:30")))
    assert ends_in_fold.is_working(utc(2026, 10, 25, 0, 10))  # 02:10 CEST
    assert not ends_in_fold.is_working(utc(2026, 10, 25, 1, 10))  # 02:10 CET, second time


def test_new_york_night_shift_across_spring_forward():
    # Saturday 22:00 EST to Sunday 06:00 EDT on 2026-03-08: 7 hours, not 8.
    schedule = Schedule.build(NEW_YORK, week(saturday=ranges("22:00-06:00")))
    found = transitions(schedule, utc(2026, 3, 7), utc(2026, 3, 9))
    assert found == [(utc(2026, 3, 8, 3, 0), True), (utc(2026, 3, 8, 10, 0), False)]
    assert found[1][0] - found[0][0] == timedelta(hours=7)


def test_new_york_night_shift_across_fall_back():
    # Saturday 22:00 EDT to Sunday 06:00 EST on 2026-11-01: 9 hours.
    schedule = Schedule.build(NEW_YORK, week(saturday=ranges("22:00-06:00")))
    found = transitions(schedule, utc(2026, 10, 31), utc(2026, 11, 2))
    assert found == [(utc(2026, 11, 1, 2, 0), True), (utc(2026, 11, 1, 11, 0), False)]
    assert found[1][0] - found[0][0] == timedelta(hours=9)


def test_new_york_office_hours_keep_wall_time_across_dst():
    schedule = Schedule.build(NEW_YORK, week(weekdays=ranges("09:00-17:00")))
    before = transitions(schedule, utc(2026, 3, 6), utc(2026, 3, 7))  # Friday, EST
    after = transitions(schedule, utc(2026, 3, 9), utc(2026, 3, 10))  # Monday, EDT
    assert [t.hour for t, _ in before] == [14, 22]
    assert [t.hour for t, _ in after] == [13, 21]


# -- overnight and the week's end ----------------------------------------------------------------


def test_overnight_range_runs_past_midnight():
    schedule = Schedule.build(SHANGHAI, week(friday=ranges("22:00-02:00")))
    saturday_1am = datetime(2026, 11, 28, 1, 0, tzinfo=SHANGHAI)
    assert schedule.is_working(saturday_1am)
    assert not schedule.is_working(datetime(2026, 11, 28, 2, 0, tzinfo=SHANGHAI))
    assert not schedule.is_working(datetime(2026, 11, 27, 21, 59, tzinfo=SHANGHAI))


def test_sunday_overnight_runs_into_monday():
    schedule = Schedule.build(BERLIN, week(sunday=ranges("22:00-06:00")))
    monday_3am = datetime(2026, 11, 30, 3, 0, tzinfo=BERLIN)
    assert monday_3am.weekday() == 0
    assert schedule.is_working(monday_3am)
    found = list(
        schedule.transitions(
            datetime(2026, 11, 29, 21, 0, tzinfo=BERLIN), datetime(2026, 12, 1, tzinfo=BERLIN)
        )
    )
    assert [(t.at.isoformat(), t.working) for t in found] == [
        ("2026-11-29T22:00:00+01:00", True),
        ("2026-11-30T06:00:00+01:00", False),
    ]


def test_adjacent_windows_across_midnight_are_one_window():
    schedule = Schedule.build(
        BERLIN, week(monday=ranges("20:00-24:00"), tuesday=ranges("00:00-04:00"))
    )
    found = transitions(schedule, utc(2026, 11, 29), utc(2026, 12, 2))
    assert [w for _, w in found] == [True, False]


def test_whole_day_range():
    schedule = Schedule.build(BERLIN, week(wednesday=ranges("00:00-24:00")))
    assert schedule.is_working(datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN))
    assert schedule.is_working(datetime(2026, 11, 25, 23, 59, tzinfo=BERLIN))
    assert not schedule.is_working(datetime(2026, 11, 26, 0, 0, tzinfo=BERLIN))


# -- holidays and extra workdays -----------------------------------------------------------------


def test_holiday_beats_weekday_and_extra_workday_uses_another_days_hours():
    schedule = Schedule.build(
        SHANGHAI,
        week(weekdays=ranges("09:00-18:00"), friday=ranges("09:00-15:00")),
        holidays={date(2026, 10, 1): "National Day"},
        extra_workdays={date(2026, 10, 10): 0, date(2026, 9, 20): 4},
    )
    assert not schedule.is_working(datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI))  # Thursday
    assert schedule.is_working(datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI))
    saturday = datetime(2026, 10, 10, 17, 0, tzinfo=SHANGHAI)
    assert saturday.weekday() == 5
    assert schedule.is_working(saturday)  # Monday's hours: 09:00-18:00
    sunday = datetime(2026, 9, 20, 16, 0, tzinfo=SHANGHAI)
    assert not schedule.is_working(sunday)  # Friday's hours end at 15:00
    assert schedule.is_working(sunday.replace(hour=14))
    assert not schedule.is_working(datetime(2026, 10, 11, 10, 0, tzinfo=SHANGHAI))


def test_holiday_cancels_the_overnight_range_that_starts_on_it_only():
    schedule = Schedule.build(
        BERLIN, week(weekdays=ranges("22:00-06:00")), holidays={date(2026, 12, 1): ""}
    )
    # Monday night runs into the Tuesday holiday: it still happens.
    assert schedule.is_working(datetime(2026, 12, 1, 3, 0, tzinfo=BERLIN))
    # Tuesday night starts on the holiday: cancelled, including after midnight.
    assert not schedule.is_working(datetime(2026, 12, 1, 23, 0, tzinfo=BERLIN))
    assert not schedule.is_working(datetime(2026, 12, 2, 3, 0, tzinfo=BERLIN))


def test_next_transition_skips_a_long_holiday():
    holidays = {date(2026, 2, 15) + timedelta(days=i): "Spring Festival" for i in range(9)}
    schedule = Schedule.build(SHANGHAI, week(weekdays=ranges("09:00-18:00")), holidays=holidays)
    found = schedule.next_transition(datetime(2026, 2, 13, 19, 0, tzinfo=SHANGHAI))
    assert found is not None
    assert found.at == datetime(2026, 2, 24, 9, 0, tzinfo=SHANGHAI) and found.working


# -- overrides -----------------------------------------------------------------------------------


def test_on_call_override_beats_everything_until_it_ends():
    schedule = Schedule.build(
        BERLIN,
        week(weekdays=ranges("09:00-17:00")),
        holidays={date(2026, 12, 2): ""},
        overrides=(Override(end=datetime(2026, 12, 3, 9, 0), working=True, note="on call"),),
    )
    assert schedule.is_working(datetime(2026, 12, 1, 23, 0, tzinfo=BERLIN))
    assert schedule.is_working(datetime(2026, 12, 2, 12, 0, tzinfo=BERLIN))  # the holiday too
    assert schedule.is_working(datetime(2026, 12, 3, 8, 59, tzinfo=BERLIN))
    # From the end, the normal hours: Thursday 09:00 is working anyway, so no transition there.
    found = schedule.next_transition(datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN))
    assert found.at == datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN) and not found.working


def test_time_off_override_and_the_last_override_wins():
    schedule = Schedule.build(
        BERLIN,
        week(weekdays=ranges("09:00-17:00")),
        overrides=(
            Override(start=datetime(2026, 12, 7), end=datetime(2026, 12, 12), working=False),
            Override(
                start=datetime(2026, 12, 9, 12, 0), end=datetime(2026, 12, 9, 14, 0), working=True
            ),
        ),
    )
    assert not schedule.is_working(datetime(2026, 12, 8, 10, 0, tzinfo=BERLIN))
    assert schedule.is_working(datetime(2026, 12, 9, 13, 0, tzinfo=BERLIN))
    assert not schedule.is_working(datetime(2026, 12, 9, 15, 0, tzinfo=BERLIN))
    found = transitions(schedule, utc(2026, 12, 7), utc(2026, 12, 15))
    assert found[:3] == [
        (utc(2026, 12, 9, 11, 0), True),
        (utc(2026, 12, 9, 13, 0), False),
        (utc(2026, 12, 14, 8, 0), True),
    ]


def test_naive_override_times_are_profile_wall_time_and_offsets_are_honoured():
    naive = Schedule.build(
        SHANGHAI, week(), overrides=(Override(end=datetime(2026, 12, 1, 9, 0), working=True),)
    )
    aware = Schedule.build(
        SHANGHAI,
        week(),
        overrides=(Override(end=datetime(2026, 12, 1, 9, 0, tzinfo=UTC), working=True),),
    )
    assert naive.next_transition(utc(2026, 11, 30)).at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert aware.next_transition(utc(2026, 11, 30)).at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_next_transition_reaches_a_far_future_override_and_ends_with_none():
    schedule = Schedule.build(
        BERLIN,
        week(),
        overrides=(
            Override(start=datetime(2028, 1, 1, 9), end=datetime(2028, 1, 1, 17), working=True),
        ),
    )
    first = schedule.next_transition(utc(2026, 11, 24))
    assert first is not None and first.working and first.at.year == 2028
    second = schedule.next_transition(first.at)
    assert second is not None and not second.working
    assert schedule.next_transition(second.at) is None


def test_no_work_hours_means_never_working_and_no_transition():
    schedule = Schedule.build(BERLIN, week())
    assert not schedule.is_working(utc(2026, 11, 24, 12))
    assert schedule.next_transition(utc(2026, 11, 24, 12)) is None


def test_naive_moments_are_refused():
    schedule = Schedule.build(BERLIN, week(weekdays=ranges("09:00-17:00")))
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.is_working(datetime(2026, 11, 24, 12))
    with pytest.raises(ValueError, match="timezone-aware"):
        list(schedule.transitions(datetime(2026, 11, 24), utc(2026, 11, 25)))


def test_windows_are_clipped_and_in_the_schedule_zone():
    schedule = Schedule.build(BERLIN, week(weekdays=ranges("09:00-17:00")))
    start = datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN)
    windows = schedule.windows(start, start + timedelta(days=1))
    assert windows == [
        (start, datetime(2026, 11, 23, 17, 0, tzinfo=BERLIN)),
        (datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN), start + timedelta(days=1)),
    ]
    assert all(a.tzinfo == BERLIN for a, _ in windows)
