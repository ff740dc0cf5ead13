"""Properties of the work-hours engine over random schedules, zones and moments.

Zones include half-hour DST (Lord Howe), southern-hemisphere DST (Sao Paulo's history),
odd offsets (Kathmandu, Chatham, St John's) and UTC; ranges may overlap or run overnight,
since the engine must stay consistent even on input the checker would reject.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.profile import Override, Schedule, TimeRange

UTC = UTC
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Shanghai",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/St_Johns",
    "UTC",
]
FIRST = datetime(2026, 1, 1)
LAST = datetime(2027, 12, 31)
TINY = timedelta(microseconds=1)


def just_before(moment: datetime) -> datetime:
    """The instant 1 µs earlier. Not `moment - TINY`: Python subtracts aware datetimes on the
    wall clock, and just after a spring-forward gap that lands in the gap, an hour later."""
    return moment.astimezone(UTC) - TINY


@st.composite
def time_ranges(draw: st.DrawFn) -> TimeRange:
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(0, 1440).filter(lambda e: e != start))
    return TimeRange(start, end if end > start else end + 1440)


@st.composite
def overrides(draw: st.DrawFn) -> Override:
    start = draw(st.none() | st.datetimes(FIRST, LAST))
    length = draw(st.timedeltas(timedelta(minutes=1), timedelta(days=20)))
    end = (start or draw(st.datetimes(FIRST, LAST))) + length
    aware = draw(st.booleans())
    if aware:
        return Override(
            end=end.replace(tzinfo=UTC),
            working=draw(st.booleans()),
            start=None if start is None else start.replace(tzinfo=UTC),
        )
    return Override(end=end, working=draw(st.booleans()), start=start)


dates = st.dates(date(2026, 1, 1), date(2027, 12, 31))


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    days = tuple(tuple(draw(st.lists(time_ranges(), max_size=3))) for _ in range(7))
    return Schedule.build(
        ZoneInfo(draw(st.sampled_from(ZONES))),
        days,
        holidays={day: "" for day in draw(st.sets(dates, max_size=5))},
        extra_workdays=draw(st.dictionaries(dates, st.integers(0, 6), max_size=4)),
        overrides=tuple(draw(st.lists(overrides(), max_size=3))),
    )


moments = st.datetimes(FIRST, LAST, timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(schedules(), moments)
def test_a_moment_is_inside_or_outside_never_both(schedule: Schedule, moment: datetime):
    inside = schedule.is_working(moment)
    windows = schedule.windows(moment - timedelta(days=2), moment + timedelta(days=2))
    in_windows = [start <= moment < end for start, end in windows]
    assert sum(in_windows) <= 1
    assert inside == any(in_windows)


@settings(max_examples=200, deadline=None)
@given(schedules(), moments, st.timedeltas(timedelta(hours=1), timedelta(days=10)))
def test_transitions_come_in_order_alternate_and_match_is_working(
    schedule: Schedule, start: datetime, span: timedelta
):
    found = list(schedule.transitions(start, start + span))
    for before, after in itertools.pairwise(found):
        assert before.at < after.at
        assert before.working != after.working
    for transition in found:
        assert start <= transition.at < start + span
        assert transition.at.tzinfo == schedule.tz
        assert schedule.is_working(transition.at) == transition.working
        assert schedule.is_working(just_before(transition.at)) != transition.working


@settings(max_examples=200, deadline=None)
@given(schedules(), moments)
def test_is_working_agrees_with_the_transitions_around_a_moment(
    schedule: Schedule, moment: datetime
):
    inside = schedule.is_working(moment)
    earlier = list(schedule.transitions(moment - timedelta(days=8), moment + TINY))
    if earlier:
        assert earlier[-1].working == inside
    following = schedule.next_transition(moment)
    if following is not None:
        assert following.at > moment
        assert following.working != inside
        assert schedule.is_working(moment + (following.at - moment) / 2) == inside
        assert schedule.is_working(just_before(following.at)) == inside
    else:
        for days in (1, 7, 30, 400):
            assert schedule.is_working(moment + timedelta(days=days)) == inside


def test_work_that_starts_inside_the_spring_forward_gap_starts_when_the_clock_resumes():
    """Found by the property above: Berlin skips 02:00-03:00 on 2026-03-29 (a Sunday)."""
    berlin = ZoneInfo("Europe/Berlin")
    sunday_from_two = Schedule(tz=berlin, days=((),) * 6 + ((TimeRange(120, 1440),),))
    start = datetime(2026, 3, 24, 1, 0, tzinfo=UTC)
    found = list(sunday_from_two.transitions(start, start + timedelta(days=5, microseconds=1)))
    assert found[0].at == datetime(2026, 3, 29, 3, 0, tzinfo=berlin) and found[0].working
    assert found[0].at.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert not sunday_from_two.is_working(just_before(found[0].at))


def test_a_transition_just_past_a_long_override_is_found():
    """Found by hypothesis: off for all of 2026, working Wednesdays; the first change is on
    Wednesday 2027-01-06, five days after the override ends. The search used to stop two days
    after the last override and answer "never"."""
    berlin = ZoneInfo("Europe/Berlin")
    schedule = Schedule.build(
        berlin,
        ((), (), (TimeRange(1, 1440),), (), (), (), ()),
        overrides=(Override(end=datetime(2026, 12, 31, 23, 1, tzinfo=UTC), working=False),),
    )
    moment = datetime(2026, 9, 2, tzinfo=UTC)
    following = schedule.next_transition(moment)
    assert following is not None and following.working
    assert following.at == datetime(2027, 1, 6, 0, 1, tzinfo=berlin)
