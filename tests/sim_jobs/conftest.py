"""Fixtures for the virtual phone's clock, detached jobs, ps and control socket."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.auth.sign_cryptography import CryptographySigner

from hardener.sim.adbd import SimServer
from hardener.sim.android import AndroidDevice, load_persona

# The job kit lives in a plain module beside the tests (importlib import mode does not put
# test directories on sys.path).
sys.path.insert(0, str(Path(__file__).parent))

from jobkit import START


@pytest.fixture
def phone() -> Iterator[AndroidDevice]:
    """A Xiaomi on Android 14 at 17:45 in Shanghai; its clock moves only when told."""
    device = load_persona("xiaomi-hyperos-14", clock=START, real_time=False)
    yield device
    device.close()


@pytest.fixture
def serve() -> Iterator[Callable[[AndroidDevice], SimServer]]:
    servers: list[SimServer] = []

    def start(phone: AndroidDevice) -> SimServer:
        server = SimServer(phone, auth="accept")
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def adb_shell_connect(adb_shell_key: Path) -> Iterator[Callable[[SimServer], AdbDeviceTcp]]:
    """adb-shell (direct TCP) to a served phone; closed at teardown."""
    signer = CryptographySigner(str(adb_shell_key))
    devices: list[AdbDeviceTcp] = []

    def connect(server: SimServer) -> AdbDeviceTcp:
        device = AdbDeviceTcp(*server.address, default_transport_timeout_s=5)
        assert device.connect(rsa_keys=[signer], auth_timeout_s=5)
        devices.append(device)
        return device

    yield connect
    for device in devices:
        device.close()
