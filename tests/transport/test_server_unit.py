"""The adb server client's parsing and configuration, without a server."""

from __future__ import annotations

import pytest

from hardener.device.transport.server import ServerDevice, parse_devices, server_address
from hardener.errors import InputError


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


class ScriptedServer:
    """An AdbServer stand-in whose `get-state` answers follow a script."""

    def __init__(self, *states: str) -> None:
        self.states = list(states)
        self.asked = 0

    def state(self, serial: str) -> str:
        self.asked += 1
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]

    def devices(self) -> list[ServerDevice]:
        return []

    def features(self, serial: str) -> frozenset[str]:
        return frozenset({"shell_v2"})

    def __str__(self) -> str:
        return "adb server test:1"


def test_open_waits_for_the_user_to_allow_then_proceeds() -> None:
    from hardener.device.transport.server import open_server

    prompts: list[str] = []
    server = ScriptedServer("unauthorized", "authorizing", "unauthorized", "device")
    transport = open_server(
        "S1", server=server, auth_timeout=5, on_auth_prompt=prompts.append, poll_interval=0.01
    )
    assert transport.use_v2 and transport.spec == "server:S1"
    assert len(prompts) == 1 and server.asked == 4


@pytest.mark.parametrize(
    ("state", "words", "hint"),
    [
        (
            "no permissions (user in plugdev group; are your udev rules wrong?)",
            "may not open",
            "udev",
        ),
        ("recovery", "not ready for commands", "boot the phone normally"),
        ("offline", "stays offline", "re-plug"),
    ],
)
def test_states_that_will_not_become_ready(state: str, words: str, hint: str) -> None:
    from hardener.device.transport.errors import NoDeviceError
    from hardener.device.transport.server import open_server

    with pytest.raises(NoDeviceError) as caught:
        open_server(
            "S1",
            server=ScriptedServer(state),
            auth_timeout=0,
            connect_timeout=0.05,
            poll_interval=0.01,
        )
    assert words in caught.value.message and caught.value.exit_code == 3
    assert caught.value.hint and hint in caught.value.hint
