"""A holiday calendar with no dates for the current or coming year is said in `profile
check`, `audit` and the cron log (the bundled China profile lists 2026 only)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hardener.profile import check_profile
from hardener.profile.calendar_gaps import LOOKAHEAD_DAYS, missing_years
from hardener.schedule.cron import recent_runs


def test_missing_years_covers_this_year_and_the_coming_one_when_near():
    dates = [date(2026, 1, 1), date(2026, 10, 1)]
    assert missing_years(dates, date(2026, 6, 1)) == ()
    assert missing_years(dates, date(2026, 12, 1)) == (2027,)
    assert missing_years(dates, date(2027, 3, 1)) == (2027,)
    assert missing_years(dates, date(2025, 12, 31)) == (2025,)  # 2026 is covered
    assert missing_years([], date(2026, 12, 1)) == ()  # no calendar at all: nothing to run out
    near = date(2027, 1, 1).toordinal() - LOOKAHEAD_DAYS
    assert missing_years(dates, date.fromordinal(near)) == (2027,)
    assert missing_years(dates, date.fromordinal(near - 1)) == ()


def test_profile_check_says_it_for_the_bundled_china_profile():
    december = datetime(2026, 12, 1, tzinfo=UTC)
    result = check_profile("china-workplace", now=december)
    assert any("no dates for 2027" in w.message for w in result.warnings)
    june = datetime(2026, 6, 1, tzinfo=UTC)
    assert not any(
        "no dates for" in w.message for w in check_profile("china-workplace", now=june).warnings
    )


def test_audit_and_the_cron_log_say_it(cli, virtual_phone, tmp_path):
    phone = virtual_phone()
    at = "2026-12-15T20:00"
    audit = cli("audit", "-p", "china-workplace", "--device", phone.spec, "--at", at,
                "--state-dir", str(tmp_path / "s"))  # fmt: skip
    assert audit.exit_code in (0, 1), audit.stderr
    assert "warning: the holiday calendar" in audit.stdout and "2027" in audit.stdout
    as_json = cli("audit", "-p", "china-workplace", "--device", phone.spec, "--at", at, "--json",
                  "--state-dir", str(tmp_path / "s"))  # fmt: skip
    assert any("2027" in w for w in as_json.json()["warnings"])
    state = tmp_path / "cron"
    run = cli("schedule", "run", "-p", "china-workplace", "--device", phone.spec,
              "--state-dir", str(state), "--at", at)  # fmt: skip
    assert run.exit_code in (0, 1), recent_runs(state)
    assert "no dates for 2027" in recent_runs(state)[-1]
    summer = cli("audit", "-p", "china-workplace", "--device", phone.spec, "--at",
                 "2026-06-15T20:00", "--state-dir", str(tmp_path / "s"))  # fmt: skip
    assert "warning: the holiday calendar" not in summer.stdout
