"""End-to-end fixtures: virtual phones from personas, and the hardener CLI run in-process.

Every test runs isolated like the transport tests: HOME in a temporary folder (its own
~/.android/adbkey), an adb server port where nothing listens unless the test starts a
server, no USB bus.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hardener.cli.app import main
from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.faults import Costs, Faults
from hardener.transport import direct, usb

LEAKY = (
    "ANDROID_SERIAL", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_HOST",
    "ANDROID_ADB_SERVER_PORT", "ADB_SERVER_SOCKET", "ADB_VENDOR_KEYS", "ANDROID_SDK_HOME",
    "ANDROID_USER_HOME", "HARDENER_DEVICE", "HARDENER_STATE_DIR", "HARDENER_PROFILE",
    "XDG_STATE_HOME",
)  # fmt: skip
PERSONAS = ("pixel-14", "xiaomi-hyperos-14", "samsung-oneui-work", "android9-legacy")


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port != 5037 and not 5554 <= port <= 5585:
            return port


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    for name in LEAKY:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HARDENER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(free_port()))
    monkeypatch.setattr(usb, "iter_usb", lambda: iter(()))
    monkeypatch.setattr("hardener.transport.discovery.iter_usb", lambda: iter(()))
    yield home
    with direct._REGISTRY_LOCK:
        leftovers = set(direct._REGISTRY.values())
        direct._REGISTRY.clear()
    for transport in leftovers:
        transport._close_now()


@dataclass
class Phone:
    """A running virtual phone: its ADB server, its Android model, its stream log."""

    server: SimServer
    android: AndroidDevice
    log: Path
    faults: Faults

    @property
    def spec(self) -> str:
        return self.server.serial

    def round_trips(self) -> int:
        """Shell streams opened so far (one per round trip)."""
        if not self.log.exists():
            return 0
        return sum(1 for entry in read_log(self.log) if entry.service.startswith(("shell", "exec")))


@pytest.fixture
def virtual_phone(tmp_path: Path) -> Iterator[Callable[..., Phone]]:
    """`virtual_phone(persona, auth=, apps=, costs=)`: started now, stopped at teardown."""
    started: list[Phone] = []

    def start(persona: str = "pixel-14", *, auth: str = "accept", apps: int | None = None,
              costs: Costs | None = None, serial: str | None = None) -> Phone:  # fmt: skip
        faults, costs = Faults(), costs or Costs()
        android = load_persona(persona, apps=apps, costs=costs, faults=faults, serial=serial)
        log = tmp_path / f"phone{len(started)}.log"
        server = SimServer(android, auth=auth, costs=costs, faults=faults, log_path=log)
        server.start()
        phone = Phone(server, android, log, faults)
        started.append(phone)
        return phone

    yield start
    for phone in started:
        phone.server.stop()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def cli(capfd: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `hardener ARGS...` in this process, as a user would; exit code and output."""

    def run(*args: str) -> CliResult:
        capfd.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capfd.readouterr()
        assert "Traceback" not in err, err
        return CliResult(code, out, err)

    return run
