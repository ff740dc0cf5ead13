"""Phases against the virtual phone's own Android model and mksh-like shell, on every
persona, directly and through the adb server: the framing must survive the shell hardener
really meets in its tests and demo, and add or lose nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from hardener.device.phase import PhaseInterrupted, run_phase
from hardener.device.transport import open_device
from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import load_persona, persona_names
from hardener.sim.faults import Faults

READS = [
    "getprop ro.build.version.sdk",
    "getprop ro.product.model",
    "pm list users",
    "pm list packages -3 -U",
    "am get-current-user",
    "settings get secure enabled_accessibility_services",
    "dumpsys package com.no.such.app",
    "pm grant com.no.such.app android.permission.CAMERA",  # fails with a Java exception text
    "no-such-command",  # 127 and mksh's message
    "cmd deviceidle whitelist",
]


@pytest.fixture
def persona_phone(tmp_path) -> Iterator[Callable[..., SimServer]]:
    started: list[SimServer] = []

    def start(name: str, faults: Faults | None = None) -> SimServer:
        faults = faults or Faults()
        server = SimServer(
            load_persona(name, faults=faults),
            faults=faults,
            log_path=tmp_path / f"{name}-{len(started)}.log",
        )
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def expected(name: str) -> list[tuple[str, int]]:
    """What each command gives when the phone's shell runs it alone."""
    device = load_persona(name)
    answers = []
    for command in READS:
        output = device.run(f"{command} 2>&1")
        answers.append((output.stdout.decode(), output.exit_code))
    return answers


@pytest.mark.parametrize("name", persona_names())
def test_phase_matches_each_command_run_alone_direct(persona_phone, name: str) -> None:
    sim = persona_phone(name)
    with open_device(sim.serial, auth_timeout=5) as transport:
        result = run_phase(transport, READS, timeout=30)
    assert [(r.output, r.exit_code) for r in result.results] == expected(name)
    assert [e.service for e in read_log(sim.log_path)] == ["shell"]
    codes = [r.exit_code for r in result.results]
    assert codes[0] == 0 and codes[-2] == 127


@pytest.mark.parametrize("name", persona_names())
def test_phase_matches_each_command_run_alone_through_the_server(
    persona_phone, name: str, adb_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    sim = persona_phone(name)
    adb_server.connect(sim.serial)
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        result = run_phase(transport, READS, timeout=30)
    assert [(r.output, r.exit_code) for r in result.results] == expected(name)
    assert [e.service for e in read_log(sim.log_path)] == ["shell,v2,raw"]


def test_a_thousand_persona_commands_in_one_round_trip(persona_phone) -> None:
    sim = persona_phone("pixel-14")
    commands = [f"am get-standby-bucket --user 0 com.example.app{i}" for i in range(1000)]
    with open_device(sim.serial, auth_timeout=5) as transport:
        result = run_phase(transport, commands, timeout=120)
    assert result.round_trips == 1 and len(read_log(sim.log_path)) == 1
    assert len(result.results) == 1000
    alone = load_persona("pixel-14").run(commands[0] + " 2>&1")
    assert result.results[0].output == alone.stdout.decode()


def test_drop_after_commands_on_the_persona(persona_phone) -> None:
    faults = Faults()
    sim = persona_phone("pixel-14", faults)
    with open_device(sim.serial, auth_timeout=5) as transport:
        faults.arm(drop_after_commands=3)
        with pytest.raises(PhaseInterrupted) as caught:
            run_phase(
                transport, [f"getprop ro.build.version.sdk{i}" for i in range(10)], timeout=10
            )
        assert caught.value.exit_code == 3 and "lost the connection" in caught.value.message
        assert len(caught.value.results) + len(caught.value.pending) + 1 == 10
        again = run_phase(transport, ["getprop ro.build.version.sdk"], timeout=10)
        assert again.results[0].output.strip().isdigit()
