"""The control socket and `hardener sim-control`, in process and against `hardener sim`."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jobkit import INSTALL, START_EPOCH, D

from hardener.cli.app import main
from hardener.errors import InputError
from hardener.sim.android import AndroidDevice
from hardener.sim.android.clock import DeviceClock, parse_duration, parse_instant
from hardener.sim.control import ControlServer, handle, request


def test_handle_moves_the_clock_and_reports(phone: AndroidDevice) -> None:
    reply = handle(phone, "advance 15m")
    assert reply["ok"] and reply["status"]["epoch"] == START_EPOCH + 900
    reply = handle(phone, "suspend 1h")
    assert reply["status"]["epoch"] == START_EPOCH + 900 + 3600
    assert reply["status"]["suspended_s"] == pytest.approx(44 * 3600 + 3600)
    reply = handle(phone, "advance-to 2026-12-02T09:00:00+08:00")
    assert reply["status"]["time"] == "2026-12-02T09:00:00+08:00"
    assert handle(phone, "advance-to 2026-12-01T09:00:00+08:00")["ok"] is False
    assert handle(phone, "explode")["ok"] is False
    assert handle(phone, "advance")["ok"] is False
    assert handle(phone, "advance soon")["error"].startswith("duration 'soon'")


def test_handle_reboots_and_restarts_adbd(phone: AndroidDevice) -> None:
    phone.run(INSTALL)
    before = handle(phone, "status")["status"]
    assert [job["args"] for job in before["jobs"]] == [["sh", f"{D}/job.sh"]]
    after = handle(phone, "restart-adbd")["status"]
    assert after["jobs"] == [] and after["adbd_pid"] != before["adbd_pid"]
    rebooted = handle(phone, "reboot")["status"]
    assert rebooted["boot_id"] != before["boot_id"] and rebooted["uptime_s"] == 25.0
    assert handle(phone, "usb-mode-change")["status"]["adbd_pid"] != rebooted["adbd_pid"]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_the_socket_is_private_and_answers_one_line(
    phone: AndroidDevice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "phone.ctl"
    server = ControlServer(phone, path)
    server.start()
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert request(path, "advance 90")["status"]["epoch"] == START_EPOCH + 90
        code, out, err = cli(capsys, "sim-control", "--socket", str(path), "status", "--json")
        assert code == 0, err
        assert json.loads(out)["epoch"] == START_EPOCH + 90
        code, out, err = cli(capsys, "sim-control", "--socket", str(path), "advance", "1 week")
        assert code == 2 and "duration '1 week'" in err
    finally:
        server.stop()
    assert not path.exists()
    code, _, err = cli(capsys, "sim-control", "--socket", str(path), "status")
    assert code == 3 and "cannot reach" in err


def test_a_file_in_the_way_is_a_clear_error(phone: AndroidDevice, tmp_path: Path) -> None:
    path = tmp_path / "not-a-socket"
    path.write_text("keep me")
    with pytest.raises(InputError, match="is not a socket"):
        ControlServer(phone, path).start()
    assert path.read_text() == "keep me"


@given(st.integers(0, 10**6), st.sampled_from(["", "s", "m", "h", "d"]))
def test_durations(number: int, unit: str) -> None:
    factor = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    assert parse_duration(f"{number}{unit}") == number * factor


@given(st.text(max_size=12))
def test_bad_durations_and_times_are_input_errors(text: str) -> None:
    for parse in (parse_duration, parse_instant):
        with contextlib.suppress(InputError):
            parse(text)


def test_the_clock_s_three_kinds_of_time() -> None:
    host = [100.0]
    clock = DeviceClock(
        parse_instant("2026-12-01T17:45:00+08:00"),
        source=lambda: host[0],
        up_awake_s=100,
        up_asleep_s=900,
    )
    assert (clock.monotonic(), clock.boottime()) == (100, 1000)
    host[0] += 10  # host time passes: the phone is awake
    clock.add_asleep(50)  # then it sleeps
    assert clock.wall() == START_EPOCH + 60
    assert (clock.monotonic(), clock.boottime()) == (110, 1060)
    clock.boot(off_s=5, boot_s=20)
    assert clock.wall() == START_EPOCH + 85
    assert (clock.monotonic(), clock.boottime()) == (20, 20)
    frozen = DeviceClock(parse_instant("2026-12-01T17:45:00+08:00"), real_time=False)
    frozen.pending = 3
    frozen.settle_script()
    assert frozen.wall() == START_EPOCH + 3 and frozen.pending == 0


def test_hardener_sim_with_a_clock_and_control_socket_end_to_end(
    tmp_path: Path, adb_server
) -> None:
    """A person's view: start the phone at 17:45, arm a job over adb, move time from the CLI."""
    ctl = tmp_path / "phone.ctl"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hardener",
            "sim",
            "--persona",
            "xiaomi-hyperos-14",
            "--port",
            "0",
            "--clock",
            "2026-12-01T17:45:00+08:00",
            "--no-real-time",
            "--control",
            str(ctl),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        serial = None
        deadline = time.monotonic() + 30
        lines = []
        while serial is None or not ctl.exists():
            line = sim.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
            match = re.search(r"listening on (\S+)", line)
            if match:
                serial = match.group(1)
            assert time.monotonic() < deadline and line, "".join(lines)
        adb_server.connect(serial)
        started = adb_server.run("-s", serial, "shell", INSTALL)
        assert started.stdout.startswith("started "), started
        control = [sys.executable, "-m", "hardener", "sim-control", "--socket", str(ctl)]
        moved = subprocess.run(
            [*control, "advance", "1m"], capture_output=True, text=True, check=False
        )
        assert moved.returncode == 0 and "detached jobs: 1" in moved.stdout, moved
        log = adb_server.run("-s", serial, "shell", f"cat {D}/log").stdout.splitlines()
        assert [int(line.split()[0]) - START_EPOCH for line in log] == list(range(0, 61, 5))
        subprocess.run([*control, "reboot"], capture_output=True, check=True)
        adb_server.wait_for_state(serial, "device", timeout=30)
        after = adb_server.run(
            "-s", serial, "shell", f"ls {D}; ps -A -o ARGS | grep -c '^sh /data'"
        )
        assert after.stdout.split() == ["job.sh", "log", "pid", "0"]
    finally:
        os.killpg(sim.pid, signal.SIGINT)
        sim.wait(timeout=15)
