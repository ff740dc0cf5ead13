"""The adb server client's parsing and configuration, without a server."""

from __future__ import annotations

import pytest

from hardener.errors import InputError
from hardener.transport.server import ServerDevice, parse_devices, server_address


def test_devices_l_lines_with_tags_and_states_with_spaces() -> None:
    text = (
        "127.0.0.1:40555        device product:simphone model:Sim_Phone_1 device:simdev "
        "transport_id:1\n"
        "R58M123ABC             unauthorized usb:1-2 transport_id:2\n"
        "0123456789ABCDEF       no permissions (missing udev rules? user is in the plugdev "
        "group); see [http://developer.android.com/tools/device.html] usb:1-3 transport_id:3\n"
        "emulator-5556          offline transport_id:4\n"
        "\n"
    )
    devices = parse_devices(text)
    assert devices[0] == ServerDevice(
        "127.0.0.1:40555",
        "device",
        {"product": "simphone", "model": "Sim_Phone_1", "device": "simdev", "transport_id": "1"},
    )
    assert devices[1].state == "unauthorized" and devices[1].tags["usb"] == "1-2"
    assert devices[2].state.startswith("no permissions (missing udev rules?")
    assert devices[2].state.endswith("[http://developer.android.com/tools/device.html]")
    assert devices[3] == ServerDevice("emulator-5556", "offline", {"transport_id": "4"})
    assert len(devices) == 4


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("127.0.0.1", 5037)),
        ({"ANDROID_ADB_SERVER_PORT": "15037"}, ("127.0.0.1", 15037)),
        ({"ANDROID_ADB_SERVER_ADDRESS": "10.0.2.2"}, ("10.0.2.2", 5037)),
        ({"ANDROID_ADB_SERVER_HOST": "host.docker.internal"}, ("host.docker.internal", 5037)),
        (
            {"ANDROID_ADB_SERVER_ADDRESS": "a", "ANDROID_ADB_SERVER_HOST": "b"},
            ("a", 5037),
        ),
        ({"ADB_SERVER_SOCKET": "tcp:192.168.0.9:5038"}, ("192.168.0.9", 5038)),
        ({"ADB_SERVER_SOCKET": "tcp:5039", "ANDROID_ADB_SERVER_PORT": "1"}, ("127.0.0.1", 5039)),
    ],
)
def test_server_address_follows_adb_environment(
    env: dict[str, str], expected: tuple[str, int]
) -> None:
    assert server_address(env) == expected


@pytest.mark.parametrize(
    "env",
    [
        {"ANDROID_ADB_SERVER_PORT": "abc"},
        {"ANDROID_ADB_SERVER_PORT": "70000"},
        {"ADB_SERVER_SOCKET": "localabstract:adb"},
    ],
)
def test_bad_server_settings_are_input_errors(env: dict[str, str]) -> None:
    with pytest.raises(InputError) as caught:
        server_address(env)
    assert caught.value.hint and "unset" in caught.value.hint
