"""adbutils going through a running adb server (the 5037 smart-socket path) to the phone."""

from __future__ import annotations

import adbutils
import pytest

from hardener.sim.adbd import read_log


@pytest.fixture
def device(make_phone, adb_server, tmp_path):
    phone = make_phone(auth="accept", log_path=tmp_path / "log")
    client = adbutils.AdbClient(host="127.0.0.1", port=adb_server.port)
    client.connect(phone.serial, timeout=10)
    adb_server.wait_for_state(phone.serial, "device")
    return phone, client, client.device(serial=phone.serial)


def test_the_server_lists_the_phone_with_its_banner(device):
    phone, client, _ = device
    [info] = [d for d in client.list(extended=True) if d.serial == phone.serial]
    assert info.state == "device"
    assert (info.tags["product"], info.tags["model"], info.tags["device"]) == (
        "fakephone",
        "Fake_Phone_1",
        "fakedev",
    )


def test_features_come_from_the_banner(device):
    _, _, dev = device
    assert dev.get_features().split(",") == ["shell_v2", "cmd"]


def test_shell_and_shell2_with_and_without_v2(device, tmp_path):
    _, _, dev = device
    assert dev.shell("echo hi") == "hi"
    v1 = dev.shell2("echo out; err bad; false")
    assert (v1.returncode, v1.output) == (1, "out\nbad\n")  # sentinel: streams merged
    v2 = dev.shell2("echo out; err bad; exit 3", v2=True)
    assert (v2.returncode, v2.stdout, v2.stderr) == (3, "out\n", "bad\n")
    assert [(e.service, e.command) for e in read_log(tmp_path / "log")] == [
        ("shell", "echo hi"),
        ("shell", "echo out; err bad; false; echo X4EXIT:$?"),
        ("shell,v2", "echo out; err bad; exit 3"),
    ]
