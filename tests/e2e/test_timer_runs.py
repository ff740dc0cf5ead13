"""Issue 14: what a systemd timer or launchd agent runs keeps cron's contract: quiet on
success, one log line per run, converges the phone; a signed-only timer refuses a tampered
profile before touching the phone."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
import sys

import pytest

PROFILE = """\
schema = 1
[work_hours]
timezone = "Europe/Berlin"
weekdays = ["09:00-18:00"]
[[rules]]
categories = ["workplace", "social"]
off_hours = ["contacts", "location"]
"""


@pytest.fixture
def managers(tmp_path, monkeypatch):
    recorder = tmp_path / "recorder"
    recorder.write_text("#!/bin/sh\nexit 0\n")
    recorder.chmod(0o755)
    monkeypatch.setenv("HARDENER_SYSTEMCTL", str(recorder))
    monkeypatch.setenv("HARDENER_LAUNCHCTL", str(recorder))


def unit_argv(units) -> list[str]:
    (service,) = units.glob("hardener-*.service")
    line = next(x for x in service.read_text().splitlines() if x.startswith("ExecStart="))
    return shlex.split(line[len("ExecStart=") :].replace("%%", "%").replace("$$", "$"))


@pytest.mark.parametrize("via", ["systemd", "launchd"])
@pytest.mark.usefixtures("managers")
def test_the_installed_command_runs_quietly_logs_and_converges(via, virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    assert cli("scan", "--device", phone.spec).exit_code == 0  # trusted, as after a first use
    profile = tmp_path / "p.toml"
    profile.write_text(PROFILE)
    state, units = tmp_path / "state", tmp_path / "units"
    done = cli("schedule", "install", "-p", str(profile), "--device", phone.spec, "--via", via,
               "--units-dir", str(units), "--state-dir", str(state))  # fmt: skip
    assert done.exit_code == 0, done.stderr
    if via == "systemd":
        argv = unit_argv(units)
    else:
        (plist,) = units.glob("*.plist")
        argv = plistlib.loads(plist.read_bytes())["ProgramArguments"]
    assert argv[0] == sys.executable
    moment = ["--at", "2026-11-24T20:00"]  # off hours; the real timer judges "now"
    first = subprocess.run([*argv, *moment], capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and first.stdout == "" and first.stderr == ""
    second = subprocess.run([*argv, *moment], capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and second.stdout == ""
    log = (state / "cron.log").read_text().splitlines()
    assert len(log) == 2
    assert "off hours" in log[0] and "applied" in log[0]
    assert "already as wanted" in log[1] or "already" in log[1]
