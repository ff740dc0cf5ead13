"""`hardener devices` and the shared device options, through the real CLI entry point."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from hardener.cli.app import main
from hardener.cli.device_option import connect
from hardener.core.options import PhoneOptions


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def via_server(adb_server, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    return adb_server


def test_devices_table_through_the_server(
    phone: Callable[..., object], via_server, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = phone()
    via_server.connect(sim.serial)
    code, out, err = run(["devices"], capsys)
    assert code == 0, err
    header, _rule, row = out.splitlines()
    assert header.split() == ["SPEC", "SERIAL", "MODEL", "ANDROID", "STATE"]
    assert row.split() == [f"server:{sim.serial}", sim.serial, "Sh", "Phone", "14", "device"]
    assert "Traceback" not in err


def test_devices_json_lists_each_state(
    phone: Callable[..., object], via_server, capsys: pytest.CaptureFixture[str]
) -> None:
    ready, locked = phone(), phone(auth="reject")
    via_server.connect(ready.serial)
    via_server.run("connect", locked.serial)
    via_server.wait_for_state(locked.serial, "unauthorized")
    code, out, _ = run(["devices", "--json"], capsys)
    assert code == 0
    listed = {d["spec"]: d for d in json.loads(out)["devices"]}
    assert listed[f"server:{ready.serial}"] == {
        "spec": f"server:{ready.serial}",
        "serial": ready.serial,
        "model": "Sh Phone",
        "android": "14",
        "sdk": "34",
        "state": "device",
        "via": f"adb server 127.0.0.1:{via_server.port}",
        "problem": "",
    }
    assert listed[f"server:{locked.serial}"]["state"] == "unauthorized"


def test_devices_with_a_direct_tcp_phone(
    phone: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = phone()
    code, out, err = run(["devices", "--json", "--device", sim.serial], capsys)
    assert code == 0, err
    (device,) = json.loads(out)["devices"]
    assert device["spec"] == f"tcp:{sim.serial}" and device["state"] == "device"
    assert device["via"] == "direct TCP" and device["android"] == "14"


def test_devices_with_an_unauthorised_tcp_phone(
    phone: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = phone(auth="reject")
    code, out, err = run(["devices", "--device", sim.serial, "--auth-timeout", "0.3"], capsys)
    assert code == 3
    assert "unauthorized" in out
    assert "tap Allow" in err and "did not authorise this computer within 0.3 s" in err


def test_devices_with_nothing_connected_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["devices"], capsys)
    assert code == 3
    assert out == ""
    assert "no phone found" in err and "no adb server" in err
    code, out, _ = run(["devices", "--json"], capsys)
    assert code == 3 and json.loads(out)["devices"] == []


def test_a_bad_spec_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    # probe() turns only DeviceErrors into rows: a malformed spec is the user's input.
    code, out, err = run(["devices", "--device", "bad host!"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("hardener: error: --device 'bad host!': ")
    assert "hint: use one of: usb, usb:SERIAL" in err and "Traceback" not in err


def test_connect_prints_the_prompt_on_stderr_and_errors_carry_exit_3(
    phone: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    sim = phone(auth="accept")
    with connect(PhoneOptions(device=sim.serial, auth_timeout=5)) as transport:
        assert transport.shell("echo ok", timeout=5) == b"ok\n"
    out, err = capsys.readouterr()
    assert out == "" and "hardener: " in err and "tap Allow" in err
