"""Issue 14, OS timers: systemd user timers and launchd agents, installed, listed and removed
in a temporary folder; systemd checks the units and computes the DST-correct times itself."""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.cli.app import main
from hardener.errors import InputError
from hardener.schedule.cron import Entry
from hardener.schedule.timers import (
    Job,
    check_value,
    detect_via,
    job_argv,
    launchd_plist,
    on_calendar,
    systemd_units,
)

BERLIN = """\
schema = 1
[work_hours]
timezone = "Europe/Berlin"
weekdays = ["09:00-18:00"]
[[rules]]
categories = ["workplace"]
off_hours = ["contacts"]
"""
needs_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="no systemd-analyze (scripts/install-test-tools.sh installs Debian's systemd)",
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A profile, a state dir, and systemctl/launchctl replaced by a recorder of their calls."""
    for name in ("HARDENER_STATE_DIR", "HARDENER_UNITS_DIR", "HARDENER_REQUIRE_SIGNED"):
        monkeypatch.delenv(name, raising=False)
    calls = tmp_path / "calls.txt"
    recorder = tmp_path / "recorder"
    recorder.write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(calls))}\n')
    recorder.chmod(0o755)
    monkeypatch.setenv("HARDENER_SYSTEMCTL", f"{recorder} systemctl --user")
    monkeypatch.setenv("HARDENER_LAUNCHCTL", f"{recorder} launchctl")
    monkeypatch.setenv("TZ", "UTC")
    profile = tmp_path / "berlin.toml"
    profile.write_text(BERLIN)
    return profile, tmp_path / "state", tmp_path / "units", calls


def cli(capfd, *args: str) -> tuple[int, str, str]:
    capfd.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capfd.readouterr()
    assert "Traceback" not in err
    return code, out, err


def verify_units(*paths: Path, runtime: Path) -> subprocess.CompletedProcess:
    """`systemd-analyze --user verify` (a runtime dir is all it needs outside a session)."""
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        ["systemd-analyze", "--user", "verify", *map(str, paths)],
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_systemd_install_status_remove_round_trip(env, capfd, tmp_path):
    profile, state, units, calls = env
    code, out, err = cli(
        capfd, "schedule", "install", "-p", str(profile), "--device", "127.0.0.1:5601",
        "--via", "systemd", "--units-dir", str(units), "--state-dir", str(state), "--every", "5",
    )  # fmt: skip
    assert code == 0, err
    timers = sorted(units.glob("hardener-*.timer"))
    services = sorted(units.glob("hardener-*.service"))
    assert len(timers) == 1 and len(services) == 1
    timer = timers[0].read_text()
    assert "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 09:00:00 Europe/Berlin" in timer
    assert "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 18:00:00 Europe/Berlin" in timer
    assert "OnCalendar=*-*-* *:00/05:00" in timer and "Persistent=true" in timer
    assert f"Unit={services[0].name}" in timer
    exec_start = next(
        line for line in services[0].read_text().splitlines() if line.startswith("ExecStart=")
    )
    argv = shlex.split(exec_start[len("ExecStart=") :])
    assert argv == [sys.executable, "-m", "hardener", "schedule", "run", "--profile",
                    str(profile.resolve()), "--device", "127.0.0.1:5601",
                    "--state-dir", str(state.resolve())]  # fmt: skip
    assert "@" not in timers[0].name  # "@" would make it a template unit
    assert oct(units.stat().st_mode & 0o777) == "0o700"
    recorded = calls.read_text().splitlines()
    assert recorded == ["systemctl --user daemon-reload",
                        f"systemctl --user enable --now {timers[0].name}"]  # fmt: skip
    if shutil.which("systemd-analyze"):
        checked = verify_units(timers[0], services[0], runtime=tmp_path / "run")
        assert checked.returncode == 0, checked.stdout + checked.stderr
    code, out, _ = cli(capfd, "schedule", "status", "--via", "systemd", "--units-dir", str(units),
                       "--state-dir", str(state))  # fmt: skip
    assert code == 0 and "09:00:00 Europe/Berlin" in out and timers[0].name in out
    # a second install replaces, never duplicates
    assert (
        cli(
            capfd,
            "schedule",
            "install",
            "-p",
            str(profile),
            "--device",
            "127.0.0.1:5601",
            "--via",
            "systemd",
            "--units-dir",
            str(units),
            "--state-dir",
            str(state),
        )[0]
        == 0
    )
    assert len(list(units.glob("hardener-*"))) == 2
    (units / "my-own.timer").write_text("[Timer]\nOnCalendar=daily\n")
    code, out, _ = cli(capfd, "schedule", "remove", "--via", "systemd", "--units-dir", str(units))
    assert code == 0 and "removed hardener's systemd timer" in out
    assert sorted(p.name for p in units.iterdir()) == ["my-own.timer"]
    assert f"systemctl --user disable --now {timers[0].name}" in calls.read_text()
    code, out, _ = cli(capfd, "schedule", "status", "--via", "systemd", "--units-dir", str(units))
    assert "no hardener systemd timers" in out


def test_launchd_install_status_remove_round_trip(env, capfd):
    profile, state, units, calls = env
    code, out, err = cli(
        capfd, "schedule", "install", "-p", str(profile), "--device", "usb:R58M12ABCDE",
        "--via", "launchd", "--units-dir", str(units), "--state-dir", str(state),
    )  # fmt: skip
    assert code == 0, err
    (path,) = units.glob("com.hardener.*.plist")
    document = plistlib.loads(path.read_bytes())
    assert document["Label"] == path.name[: -len(".plist")]
    assert document["ProgramArguments"][:5] == [sys.executable, "-m", "hardener", "schedule", "run"]
    assert "usb:R58M12ABCDE" in document["ProgramArguments"]
    assert document["StartInterval"] == 600 and document["RunAtLoad"] is True
    # TZ=UTC here: 09:00 and 18:00 Berlin are 08:00 and 17:00 in winter, 07:00 and 16:00 in
    # summer, Monday (1) to Friday: launchd reads local time, so both seasons are written
    times = {(i["Weekday"], i["Hour"], i["Minute"]) for i in document["StartCalendarInterval"]}
    assert times == {(d, h, 0) for d in range(1, 6) for h in (7, 8, 16, 17)}
    assert document["StandardErrorPath"] == str(state.resolve() / "launchd.log")
    assert f"launchctl bootstrap gui/{os.getuid()} {path}" in calls.read_text()
    code, out, _ = cli(capfd, "schedule", "status", "--via", "launchd", "--units-dir", str(units))
    assert "weekday 1 08:00" in out and "every 10 minutes" in out
    code, out, _ = cli(
        capfd, "schedule", "remove", "-p", str(profile), "--device", "usb:R58M12ABCDE",
        "--via", "launchd", "--units-dir", str(units),
    )  # fmt: skip
    assert code == 0 and not list(units.glob("*.plist"))
    assert f"launchctl bootout gui/{os.getuid()}/{document['Label']}" in calls.read_text()


@needs_analyze
@pytest.mark.parametrize(
    ("zone", "base", "expected"),
    [
        # Berlin leaves winter time on Sunday 2026-03-29: 09:00 is 08:00 UTC, then 07:00 UTC
        ("Europe/Berlin", "2026-03-26 00:00 UTC",
         ["Thu 2026-03-26 08:00:00 UTC", "Fri 2026-03-27 08:00:00 UTC",
          "Mon 2026-03-30 07:00:00 UTC"]),
        # and back on Sunday 2026-10-25
        ("Europe/Berlin", "2026-10-22 00:00 UTC",
         ["Thu 2026-10-22 07:00:00 UTC", "Fri 2026-10-23 07:00:00 UTC",
          "Mon 2026-10-26 08:00:00 UTC"]),
        # New York changes on 2026-03-08, three weeks before Europe
        ("America/New_York", "2026-03-05 00:00 UTC",
         ["Thu 2026-03-05 14:00:00 UTC", "Fri 2026-03-06 14:00:00 UTC",
          "Mon 2026-03-09 13:00:00 UTC"]),
        # Shanghai has no DST
        ("Asia/Shanghai", "2026-03-26 00:00 UTC",
         ["Thu 2026-03-26 01:00:00 UTC", "Fri 2026-03-27 01:00:00 UTC",
          "Mon 2026-03-30 01:00:00 UTC"]),
    ],
)  # fmt: skip
def test_on_calendar_lines_follow_the_profiles_dst(zone, base, expected):
    (line,) = on_calendar([Entry(0, 9, (1, 2, 3, 4, 5))], zone)
    assert line == f"Mon,Tue,Wed,Thu,Fri *-*-* 09:00:00 {zone}"
    done = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=3", f"--base-time={base}", line],
        env={**os.environ, "TZ": "UTC"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    times = re.findall(r"(?:Next elapse|Iter\. #\d): (.+)", done.stdout)
    assert times == expected


def test_the_catch_up_line_is_valid_for_systemd():
    if shutil.which("systemd-analyze") is None:
        pytest.skip("no systemd-analyze (scripts/install-test-tools.sh installs it)")
    done = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=2", "--base-time=2026-01-01 00:01 UTC",
         "*-*-* *:00/10:00"],
        env={**os.environ, "TZ": "UTC"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "00:10:00" in done.stdout and "00:20:00" in done.stdout


def test_control_characters_never_reach_a_unit_or_plist(env, capfd):
    profile, state, units, _ = env
    hostile = profile.with_name("evil\nExecStartPre=rm -rf ~.toml")
    hostile.write_text(BERLIN)
    for via in ("systemd", "launchd", "cron"):
        code, _, err = cli(capfd, "schedule", "install", "-p", str(hostile), "--via", via,
                           "--units-dir", str(units), "--state-dir", str(state),
                           "--device", "127.0.0.1:5601")  # fmt: skip
        assert code == 2 and "control character" in err
    assert not units.exists() or not list(units.iterdir())


_UNIT_LINE = re.compile(r"^(#.*|\[(Unit|Service|Timer|Install)\]|[A-Za-z]+=.*|)$")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(max_size=20))
def test_any_input_gives_well_formed_units_or_a_refusal(path_text, device):
    try:
        argv = job_argv("/usr/bin/python3", path_text, device or None, Path("/tmp/state"))
        job = Job("tag-1", argv, "hardener: enforce", 10)
        units = systemd_units(job, on_calendar([Entry(0, 9, (1, 2))], "Europe/Berlin"))
        plist = launchd_plist(job, [Entry(0, 9, (1,))], Path("/tmp/state/launchd.log"))
    except InputError as error:
        assert any(not c.isprintable() for c in path_text + device)
        assert "control character" in error.message
        return
    for text in units.values():
        assert all(_UNIT_LINE.match(line) for line in text.splitlines())
    assert sorted(len(text.splitlines()) for text in units.values()) == [8, 12]
    service = next(text for name, text in units.items() if name.endswith(".service"))
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    words = exec_start[len("ExecStart=") :].replace("%%", "%").replace("$$", "$")
    assert shlex.split(words) == list(argv)  # systemd's quoting rules, read back
    assert plistlib.loads(plist)["ProgramArguments"] == list(argv)


def test_check_value_and_detection():
    assert check_value("x", "a b/ü 钉钉") == "a b/ü 钉钉"
    for bad in ("a\nb", "a\rb", "a\x00b", "a\x1b[2Jb", "a\u2028b"):
        with pytest.raises(InputError):
            check_value("x", bad)
    assert detect_via("darwin") == "launchd"
    assert detect_via("linux", user_systemd=True) == "systemd"
    assert detect_via("linux", user_systemd=False) == "cron"
