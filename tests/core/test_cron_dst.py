"""Issue 11: cron transitions fire at the right instant all year, whatever the two zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.errors import InputError
from hardener.profile import Schedule, load_profile
from hardener.schedule.cron import Entry, weekly_entries
from hardener.schedule.timers import cron_command, job_argv

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def berlin_profile(tmp_path: Path) -> object:
    path = tmp_path / "berlin.toml"
    path.write_text(
        'schema = 1\n[work_hours]\ntimezone = "Europe/Berlin"\nweekdays = ["09:00-17:00"]\n'
        '[[rules]]\nname = "w"\ncategories = ["workplace"]\noff_hours = ["contacts"]\n'
    )
    return load_profile(path)


def fires(entries: list[Entry], instant: datetime, laptop: ZoneInfo | timezone) -> bool:
    """Whether cron, reading times in the laptop's zone, runs a line at this instant."""
    local = instant.astimezone(laptop)
    weekday = (local.weekday() + 1) % 7
    return any(
        e.hour == local.hour and e.minute == local.minute and weekday in e.weekdays for e in entries
    )


def test_a_utc_laptop_with_a_berlin_profile_fires_on_time_in_summer_and_winter(tmp_path):
    profile = berlin_profile(tmp_path)
    entries = weekly_entries(profile, BERLIN, UTC, start=date(2026, 1, 5))  # type: ignore[arg-type]
    crons = {entry.cron() for entry in entries}
    # winter (CET, UTC+1): 08:00 and 16:00 UTC; summer (CEST, UTC+2): 07:00 and 15:00 UTC
    assert crons == {"0 7 * * 1,2,3,4,5", "0 8 * * 1,2,3,4,5", "0 15 * * 1,2,3,4,5",
                     "0 16 * * 1,2,3,4,5"}  # fmt: skip
    winter = datetime(2026, 1, 14, 9, 0, tzinfo=BERLIN)  # a Wednesday in January
    summer = datetime(2026, 7, 15, 9, 0, tzinfo=BERLIN)  # a Wednesday in July
    for start in (winter, summer):
        assert fires(entries, start, UTC)
        assert fires(entries, start.replace(hour=17), UTC)
    # the old January-only lines were an hour late all summer
    assert not fires([Entry(0, 8, (1, 2, 3, 4, 5))], summer, UTC)


@pytest.mark.parametrize(
    ("profile_tz", "laptop"),
    [(BERLIN, UTC), (BERLIN, NEW_YORK), (SHANGHAI, BERLIN), (NEW_YORK, SHANGHAI), (UTC, BERLIN)],
)
def test_every_transition_of_a_year_has_a_line(tmp_path, profile_tz, laptop):
    """Both zones change (or not) on their own dates: every real transition still fires."""
    profile = berlin_profile(tmp_path)
    start = date(2026, 3, 1)
    entries = weekly_entries(profile, profile_tz, laptop, start=start)  # type: ignore[arg-type]
    plain = Schedule.build(profile_tz, profile.work_hours.days)  # type: ignore[attr-defined]
    begin = datetime.combine(start, datetime.min.time(), tzinfo=profile_tz)
    seen = list(plain.transitions(begin, begin + timedelta(days=365)))
    assert len(seen) > 500  # two a working day
    missed = [t.at for t in seen if not fires(entries, t.at, laptop)]
    assert missed == []
    assert len(entries) <= 8  # at most two times per transition of the day, weekdays merged


def run_command(python, profile_ref, device, state_dir, _every):
    """The crontab's command, as `schedule install --via cron` builds it."""
    return cron_command(job_argv(python, profile_ref, device, state_dir))


def test_values_with_control_characters_never_reach_a_crontab_line(tmp_path):
    state = tmp_path / "state"
    with pytest.raises(InputError):
        run_command("/usr/bin/python3", "/tmp/x\n* * * * * evil\n.toml", None, state, 10)
    with pytest.raises(InputError):
        run_command("/usr/bin/python3", "default", "usb:A\rB", state, 10)
    with pytest.raises(InputError):
        run_command("/usr/bin/python3", "default", None, tmp_path / "st\x1bate", 10)
    line = run_command("/usr/bin/python3", "/tmp/a b%c.toml", None, state, 10)
    assert "\n" not in line and "'/tmp/a b\\%c.toml'" in line
