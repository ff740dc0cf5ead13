"""The server path: hardener's smart-socket client through an isolated official adb server
(adb 36) that has `adb connect`ed the virtual phone, as a server holding a USB phone would.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from hardener.device.phase import PhaseInterrupted, run_phase
from hardener.device.transport import discover, open_device
from hardener.device.transport.errors import (
    ConnectionLostError,
    NoDeviceError,
    UnauthorizedError,
)
from hardener.device.transport.server import AdbServer, ServerTransport
from hardener.errors import EXIT_UNREACHABLE
from hardener.sim.faults import Faults


@pytest.fixture
def via_server(adb_server, monkeypatch: pytest.MonkeyPatch):
    """Point hardener at the isolated server (as ANDROID_ADB_SERVER_PORT does for adb)."""
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    return adb_server


def test_shell_through_the_server_uses_v2(
    phone: Callable[..., object], via_server, streams: Callable
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        assert isinstance(transport, ServerTransport) and transport.use_v2
        assert transport.shell("echo hi; printf tail; echo err >&2", timeout=5) == b"hi\ntailerr\n"
        assert "through the adb server 127.0.0.1:" in transport.describe()
        assert transport.max_script_bytes == 0xFFFF - len("shell,v2,raw:")
    assert streams(sim) == ["shell,v2,raw"]


def test_without_shell_v2_the_legacy_shell_service_is_used(
    phone: Callable[..., object], via_server, streams: Callable
) -> None:
    sim = phone(features=("cmd",))
    via_server.connect(sim.serial)
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        assert not transport.use_v2
        result = run_phase(transport, ["echo a", "false", "printf b"], timeout=5)
    assert [(r.output, r.exit_code) for r in result.results] == [("a\n", 0), ("", 1), ("b", 0)]
    assert streams(sim) == ["shell"]


def test_phase_framing_and_a_thousand_commands_in_one_round_trip(
    phone: Callable[..., object], via_server, streams: Callable
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    commands = ["printf 'x\\n%s:0\\n' deadbeefdeadbeefdeadbeef", "printf no-newline", "false"]
    commands += [f"echo {i}" for i in range(997)]
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        result = run_phase(transport, commands, timeout=60)
    assert result.round_trips == 1 and streams(sim) == ["shell,v2,raw"]
    assert [(r.output, r.exit_code) for r in result.results[:3]] == [
        ("x\ndeadbeefdeadbeefdeadbeef:0\n", 0),
        ("no-newline", 0),
        ("", 1),
    ]
    assert [r.output for r in result.results[3:]] == [f"{i}\n" for i in range(997)]


def test_a_phase_bigger_than_a_server_request_is_split(
    phone: Callable[..., object], via_server, streams: Callable
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    commands = [f"echo {i} android.permission.ACCESS_BACKGROUND_LOCATION" for i in range(1000)]
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        result = run_phase(transport, commands, timeout=60)
    assert result.round_trips == 2 and streams(sim) == ["shell,v2,raw"] * 2
    assert [r.output.split()[0] for r in result.results] == [str(i) for i in range(1000)]


def test_connection_lost_mid_phase_through_the_server(
    phone: Callable[..., object], via_server
) -> None:
    faults = Faults()
    sim = phone(faults=faults)
    via_server.connect(sim.serial)
    commands = [f"echo line-{i}" for i in range(50)]
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        faults.arm(drop_after_bytes=300)
        with pytest.raises(PhaseInterrupted) as caught:
            run_phase(transport, commands, timeout=20)
    error = caught.value
    assert error.exit_code == EXIT_UNREACHABLE
    # The server closes our socket as if the command had ended: v2's missing exit frame
    # is what tells them apart.
    assert "ended without an exit status" in error.message
    done = len(error.results)
    assert 0 < done < 50
    assert [r.output for r in error.results] == [f"line-{i}\n" for i in range(done)]


def test_stall_through_the_server_times_out(phone: Callable[..., object], via_server) -> None:
    faults = Faults()
    sim = phone(faults=faults)
    via_server.connect(sim.serial)
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        faults.arm(stall_after_bytes=100)
        started = time.monotonic()
        with pytest.raises(PhaseInterrupted) as caught:
            run_phase(transport, [f"echo {i}" for i in range(100)], timeout=1)
        assert time.monotonic() - started < 2.5
        assert "stopped answering within the phase's 1 s" in caught.value.message
        assert transport.shell("echo fine", timeout=5) == b"fine\n"


def test_unknown_serial_lists_what_the_server_has(phone: Callable[..., object], via_server) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    with pytest.raises(NoDeviceError) as caught:
        open_device("server:R58M0000000", auth_timeout=1)
    assert caught.value.exit_code == EXIT_UNREACHABLE
    assert (
        "'R58M0000000'" in caught.value.message and f"server:{sim.serial}" in caught.value.message
    )


def test_unauthorised_through_the_server(phone: Callable[..., object], via_server) -> None:
    sim = phone(auth="reject")
    via_server.run("connect", sim.serial)
    via_server.wait_for_state(sim.serial, "unauthorized")
    prompts: list[str] = []
    started = time.monotonic()
    with pytest.raises(UnauthorizedError) as caught:
        open_device(f"server:{sim.serial}", auth_timeout=0.5, on_auth_prompt=prompts.append)
    assert 0.4 < time.monotonic() - started < 3
    assert prompts and "tap Allow" in prompts[0]
    assert caught.value.exit_code == EXIT_UNREACHABLE
    assert "did not authorise" in caught.value.message
    # Tapping Allow meanwhile lets the same command go through (the server re-tries AUTH
    # on reconnect; the phone now accepts).
    sim.auth = "accept"
    via_server.run("reconnect", "offline")
    via_server.run("disconnect", sim.serial)
    via_server.connect(sim.serial)
    with open_device(f"server:{sim.serial}", auth_timeout=5) as transport:
        assert transport.shell("echo ok", timeout=5) == b"ok\n"


@pytest.mark.usefixtures("isolated")
def test_no_running_server_is_no_device() -> None:
    with pytest.raises(NoDeviceError) as caught:
        open_device("server:anything", auth_timeout=1)
    assert "no adb server 127.0.0.1:" in caught.value.message
    assert caught.value.hint and "adb start-server" in caught.value.hint


def test_discovery_prefers_the_server_and_picks_the_only_phone(
    phone: Callable[..., object], via_server
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    found = discover()
    assert [(d.spec, d.state, d.model) for d in found.devices] == [
        (f"server:{sim.serial}", "device", "Sh Phone")
    ]
    with open_device(None, auth_timeout=5) as transport:
        assert transport.spec == f"server:{sim.serial}"


def test_several_phones_are_listed_and_none_is_chosen(
    phone: Callable[..., object], via_server
) -> None:
    first, second = phone(), phone(auth="reject")
    via_server.connect(first.serial)
    via_server.run("connect", second.serial)
    via_server.wait_for_state(second.serial, "unauthorized")
    with pytest.raises(Exception) as caught:
        open_device(None, auth_timeout=1)
    error = caught.value
    assert error.exit_code == EXIT_UNREACHABLE
    assert "2 phones found" in error.message
    assert f"server:{first.serial}  (device, Sh Phone)" in error.message
    assert f"server:{second.serial}  (unauthorized)" in error.message
    assert set(error.specs) == {f"server:{first.serial}", f"server:{second.serial}"}


@pytest.mark.usefixtures("via_server")
def test_server_with_no_phone_is_no_device() -> None:
    with pytest.raises(NoDeviceError) as caught:
        open_device(None, auth_timeout=1)
    assert caught.value.message == "no phone found"
    assert caught.value.hint and "--device" in caught.value.hint


def test_server_version_and_features_queries(phone: Callable[..., object], via_server) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    server = AdbServer.from_env()
    assert int(server.query("host:version"), 16) >= 41
    assert {"shell_v2", "cmd"} <= server.features(sim.serial)
    assert server.state(sim.serial) == "device"
    assert server.state("nope:1") == "missing"


def test_server_killed_between_calls_is_connection_lost(
    phone: Callable[..., object], via_server
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    transport = open_device(f"server:{sim.serial}", auth_timeout=5)
    via_server.run("kill-server")
    via_server.process.wait(timeout=10)
    with pytest.raises((ConnectionLostError, NoDeviceError)) as caught:
        transport.shell("echo x", timeout=2)
    assert caught.value.exit_code == EXIT_UNREACHABLE
