"""`hardener profile check|show` on the bundled profiles, and what the bundled ones promise."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hardener.android.catalog import CAPABILITIES, LEVERS
from hardener.profile import bundled_profiles, check_profile, load_profile

REPO = Path(__file__).resolve().parents[2]


def test_bundled_profiles_are_the_three_files_of_profiles_dir():
    bundled = bundled_profiles()
    assert set(bundled) == {"default", "china-workplace", "strict"}
    for name, path in bundled.items():
        assert path.read_bytes() == (REPO / "profiles" / f"{name}.toml").read_bytes()


@pytest.mark.parametrize("name", ["default", "china-workplace", "strict"])
def test_every_bundled_profile_passes_check_without_warnings(name, cli):
    # mid-2026: the China calendar lists 2026 only, and warns about 2027 from October on
    # (test_calendar_gaps.py); add 2027's dates when the State Council publishes them.
    result = check_profile(name, now=datetime(2026, 6, 1, tzinfo=UTC))
    assert result.errors == () and result.warnings == ()
    assert cli("profile", "check", name).code == 0


@pytest.mark.parametrize("name", ["default", "china-workplace", "strict"])
def test_bundled_profiles_have_a_header_saying_who_they_are_for(name):
    text = bundled_profiles()[name].read_text("utf-8")
    header = text.split("\n\n", 1)[0]
    assert header.startswith(f"# {name}:")
    assert "Who it is for:" in header


def test_default_is_a_right_to_disconnect_profile():
    profile = load_profile("default")
    slack = profile.policy_for("com.Slack")
    for name in ("contacts", "location", "camera", "microphone", "notifications", "background_run"):
        assert name in slack.off_hours
    for social in ("com.tencent.mm", "com.whatsapp", "com.instagram.android"):
        assert profile.policy_for(social).never == {"background_location"}
    assert profile.policy_for("org.example.game") is None
    assert profile.work_hours.timezone == "device"


def test_china_workplace_profile():
    profile = load_profile("china-workplace")
    assert profile.work_hours.timezone == "Asia/Shanghai"
    assert profile.work_hours.extra_workdays
    for day in profile.work_hours.extra_workdays:
        assert day.weekday() >= 5  # make-up workdays fall on weekends
    for package in ("com.alibaba.android.rimet", "com.tencent.wework", "com.ss.android.lark"):
        policy = profile.policy_for(package)
        assert "location" in policy.off_hours
        assert "background_location" in policy.never
        assert policy.dont_ask_again
        assert "DingTalk, WeCom and Feishu disconnect" in policy.rule_names


def test_strict_replaces_the_default_workplace_rule():
    profile = load_profile("strict")
    policy = profile.policy_for("com.microsoft.teams")
    assert policy.off_hours == set(CAPABILITIES) | set(LEVERS)
    assert policy.dont_ask_again
    assert [rule.name for rule in profile.rules].count("workplace apps disconnect") == 1
    assert [p.name for p in profile.files] == ["default.toml", "strict.toml"]


def test_check_json_report(cli, write):
    bad = write("bad.toml", '[work_hours]\nmonday = ["9-5"]\n')
    result = cli("profile", "check", "--json", "default", bad)
    assert result.code == 2
    report = json.loads(result.out)
    assert report["ok"] is False
    assert [f["ok"] for f in report["files"]] == [True, False]
    error = report["files"][1]["errors"][0]
    assert set(error) == {"file", "key_path", "line", "message", "expected"}
    assert error["key_path"] == "work_hours.monday[0]" and error["line"] == 2


def test_show_draws_the_week_and_lists_transitions(cli):
    result = cli("profile", "show", "china-workplace", "--week", "2026-09-30", "--count", "3")
    assert result.code == 0, result.text
    out = result.out
    assert "china-workplace: week of 2026-09-28" in out
    assert "Timezone: Asia/Shanghai" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.strip().startswith("Mon"))
    assert header.split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    marks = lines[lines.index(header) + 2]
    # National Day holidays from Thursday 10-01; Monday to Wednesday unmarked.
    assert marks[7 : 7 + 7 * 3].strip() == ""
    assert marks[7 + 7 * 3 :].split() == ["H", "H", "H", "H"]
    row_10 = next(line for line in lines if line.startswith("10:00"))
    cells = row_10[7:].split()
    assert cells[0] == "████" and cells[3] == "····"  # Monday works, Thursday 10-01 is a holiday
    assert "  H Thu 10-01: holiday: National Day 国庆节" in out
    assert "At the week's start (Mon 2026-09-28 00:00): outside work hours." in out
    assert "Mon 2026-09-28 09:00 CST  work starts" in out
    assert "Mon 2026-09-28 13:30 CST  work starts" in out


def test_show_json_and_ascii(cli):
    result = cli("profile", "show", "china-workplace", "--week", "2026-10-05", "--json")
    document = json.loads(result.out)
    assert document["timezone"] == "Asia/Shanghai" and document["timezone_source"] == "profile"
    assert document["week_start"] == "2026-10-05"
    # National Day to 10-07, then Thursday and Friday, then the make-up Saturday 10-10.
    starts = [w["start"][:10] for w in document["windows"]]
    assert sorted(set(starts)) == ["2026-10-08", "2026-10-09", "2026-10-10"]
    shown = cli("profile", "show", "china-workplace", "--week", "2026-10-05").out
    assert "  + Sat 10-10: extra workday with Mon's hours" in shown
    ascii_run = cli("profile", "show", "default", "--week", "2026-10-05", "--ascii")
    assert "#" in ascii_run.out and "█" not in ascii_run.out


def test_show_device_timezone_says_which_zone_it_used(cli, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    result = cli("profile", "show", "default", "--week", "2026-10-05", "--count", "1")
    assert 'Timezone: Asia/Tokyo (this computer\'s timezone, since the profile says "device"' in (
        result.out
    )
    assert "Mon 2026-10-05 09:00 JST  work starts" in result.out
    document = json.loads(cli("profile", "show", "default", "--json").out)
    assert document["timezone"] == "Asia/Tokyo" and document["timezone_source"] == "laptop"


def test_show_override_is_marked(cli, write):
    path = write(
        "p.toml",
        'extends = "default"\n[work_hours]\ntimezone = "Europe/Berlin"\n'
        "[[work_hours.overrides]]\nfrom = 2026-10-10T08:00:00\nuntil = 2026-10-10T12:00:00\n"
        'working = true\nnote = "on call"\n',
    )
    result = cli("profile", "show", path, "--week", "2026-10-05", "--count", "12")
    assert result.code == 0, result.text
    assert "Sat 2026-10-10 08:00 CEST  work starts  (override: on call)" in result.out
    assert "Sat 2026-10-10 12:00 CEST  work ends" in result.out


def test_show_errors_exit_2(cli, write):
    bad_week = cli("profile", "show", "default", "--week", "next week")
    assert bad_week.code == 2 and '--week: "next week" is not a date' in bad_week.err
    broken = write("p.toml", '[work_hours]\ntimezone = "Nowhere"\n')
    result = cli("profile", "show", broken)
    assert result.code == 2
    assert 'unknown timezone "Nowhere"' in result.err
    assert "Traceback" not in result.text


@pytest.mark.slow
def test_bundled_profiles_ship_in_the_wheel(tmp_path):
    """Build the wheel as a user would and look inside (slow: runs a real build)."""
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    wheel = next(tmp_path.glob("hardener-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for profile in ("default", "china-workplace", "strict"):
        assert f"hardener/profile/bundled/{profile}.toml" in names
    assert "hardener/android/catalog/apps.toml" in names
