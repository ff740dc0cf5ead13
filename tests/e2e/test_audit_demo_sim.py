"""Audit on every persona at a working and an off moment; the demo; `hardener sim` itself."""

from __future__ import annotations

import subprocess
import sys
import time
import unicodedata

import pytest

from .conftest import PERSONAS

EVENING = "2026-11-24T20:00"
MORNING = "2026-11-25T10:00"


@pytest.mark.parametrize("persona", PERSONAS)
def test_audit_at_a_working_and_an_off_moment(persona, virtual_phone, cli):
    phone = virtual_phone(persona)
    off = cli("audit", "-p", "default", "--device", phone.spec, "--at", EVENING, "--json")
    assert off.exit_code == 1, off.stderr  # workplace apps hold what they must not now
    document = off.json()
    assert document["working"] is False
    assert document["next_transition"]["working"] is True
    violations = [f for f in document["findings"] if f["severity"] == "violation"]
    assert violations and all(f["enforce"] for f in violations)
    assert {f["category"] for f in violations} <= {"workplace", "social"}

    work = cli("audit", "-p", "default", "--device", phone.spec, "--at", MORNING, "--json")
    document = work.json()
    assert document["working"] is True
    severities = {f["severity"] for f in document["findings"]}
    assert "outside_hours" in severities  # allowed now, taken away at 18:00
    # at work only "never" rules can be violations: social apps' background location
    assert all(
        f["name"] == "background_location"
        for f in document["findings"]
        if f["severity"] == "violation"
    )
    assert work.exit_code == (1 if "violation" in severities else 0)

    text = cli("audit", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert "outside work hours" in text.stdout and "violation" in text.stdout


def test_audit_is_compliant_after_enforce(virtual_phone, cli):
    phone = virtual_phone()
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0
    after = cli("audit", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert after.exit_code == 0 and "compliant" in after.stdout
    morning = cli("audit", "-p", "default", "--device", phone.spec, "--at", MORNING, "--json")
    assert any(f["severity"] == "pending_restore" for f in morning.json()["findings"])


def test_audit_reads_a_moment_without_offset_in_the_profiles_timezone(virtual_phone, cli, tmp_path):
    profile = tmp_path / "shanghai.toml"
    profile.write_text(
        'schema = 1\ndescription = "x"\n[work_hours]\ntimezone = "Asia/Shanghai"\n'
        'weekdays = ["09:00-18:00"]\n[[rules]]\nname = "w"\ncategories = ["workplace"]\n'
        'off_hours = ["contacts"]\n'
    )
    phone = virtual_phone()  # the phone itself is in Europe/Berlin
    local = cli(
        "audit", "-p", str(profile), "--device", phone.spec, "--at", "2026-11-24T10:00", "--json"
    )
    assert local.json()["working"] is True and local.json()["timezone"] == "Asia/Shanghai"
    utc = cli(
        "audit",
        "-p",
        str(profile),
        "--device",
        phone.spec,
        "--at",
        "2026-11-24T10:00+00:00",
        "--json",
    )
    assert utc.json()["working"] is False  # 18:00 in Shanghai: work has just ended


def test_bad_moment_is_bad_input(virtual_phone, cli):
    phone = virtual_phone()
    result = cli("audit", "-p", "default", "--device", phone.spec, "--at", "tomorrow")
    assert result.exit_code == 2 and "ISO 8601" in result.stderr


def test_demo_tells_the_whole_story(cli):
    result = cli("demo")
    assert result.exit_code == 0, result.stdout[-2000:] + result.stderr
    for step in ("1. What the workplace", "2. Audit", "3. Enforce", "4. The phone now",
                 "5. Morning", "6. Give me my phone back"):  # fmt: skip
        assert step in result.stdout
    assert "equals the first scan, field for field" in result.stdout
    # it fits the 80 columns a terminal (and the pipe here) has: East Asian wide
    # characters take two
    wide = [line for line in result.stdout.splitlines() if columns(line) > 80]
    assert not wide, wide


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_hardener_sim_serves_the_official_adb(adb_server, tmp_path, unused_port):
    port = unused_port
    log = tmp_path / "sim.log"
    command = [sys.executable, "-m", "hardener", "sim", "--persona", "samsung-oneui-work",
               "--port", str(port), "--log", str(log)]  # fmt: skip
    sim = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = sim.stdout.readline()
        assert f"listening on 127.0.0.1:{port}" in banner
        serial = f"127.0.0.1:{port}"
        adb_server.connect(serial)
        listed = adb_server.run(
            "-s", serial, "shell", "pm", "list", "packages", "-3", "--user", "0"
        )
        assert "package:com.tencent.mm" in listed.stdout
        devices = adb_server.run("devices", "-l").stdout
        assert "model:" in devices and serial in devices
        deadline = time.monotonic() + 5
        while "pm list packages" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        sim.terminate()
        sim.wait(10)


def test_hardener_sim_refuses_a_busy_port(cli):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = cli("sim", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 2 and "port" in result.stderr
