"""Issue 2's must-shows with the real Android model behind the ADB server.

1. `adb connect` + `adb -s ... shell pm list packages` with the official client lists the
   persona's packages.
3. A `pm revoke` sent by the official client shows in the next `dumpsys package` read
   through adb-shell.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner

from hardener.sim.adbd import SimServer
from hardener.sim.android import AndroidDevice, load_persona


@pytest.fixture
def phone() -> AndroidDevice:
    return load_persona("pixel-14")


@pytest.fixture
def server(phone: AndroidDevice) -> Iterator[SimServer]:
    with SimServer(phone, auth="accept") as sim:
        yield sim


def test_official_adb_lists_the_persona_packages(
    server: SimServer, phone: AndroidDevice, adb_server
) -> None:
    adb_server.connect(server.serial)
    listing = adb_server.run("devices", "-l").stdout
    line = next(line for line in listing.splitlines() if line.startswith(server.serial))
    assert "product:shiba model:Pixel_8 device:shiba" in line
    result = adb_server.run("-s", server.serial, "shell", "pm list packages")
    assert result.returncode == 0
    expected = phone.run("pm list packages").stdout.decode()
    assert result.stdout == expected
    assert "package:com.alibaba.android.rimet" in result.stdout.splitlines()
    # exec-out single-quotes every argument; the phone's shell unquotes them as sh does.
    third = adb_server.run("-s", server.serial, "exec-out", "pm", "list", "packages", "-3")
    assert third.stdout == phone.run("pm list packages -3").stdout.decode()
    failed = adb_server.run(
        "-s", server.serial, "shell", "pm grant com.whatsapp android.permission.INTERNET"
    )
    assert failed.returncode == 255
    assert "java.lang.SecurityException" in failed.stderr


def test_revoke_by_official_adb_shows_in_adb_shell_dump(
    server: SimServer, adb_server, tmp_path: Path
) -> None:
    adb_server.connect(server.serial)
    revoke = adb_server.run(
        "-s", server.serial, "shell", "pm revoke com.tencent.mm android.permission.READ_CONTACTS"
    )
    assert (revoke.returncode, revoke.stdout, revoke.stderr) == (0, "", "")

    key = tmp_path / "adbkey"
    keygen(str(key))
    device = AdbDeviceTcp(*server.address, default_transport_timeout_s=5)
    assert device.connect(rsa_keys=[CryptographySigner(str(key))], auth_timeout_s=5)
    try:
        dump = device.shell("dumpsys package com.tencent.mm", decode=True)
    finally:
        device.close()
    assert isinstance(dump, str)
    assert (
        "        android.permission.READ_CONTACTS: granted=false, flags=[ "
        "USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]"
    ) in dump.splitlines()
