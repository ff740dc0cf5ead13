"""Shared fixtures: the official adb client, and isolated adb servers to drive it with.

An isolated server never touches a developer's own adb setup: it listens on a free port
(never 5037, never the emulator ports 5554-5585), keeps its key and state under a temporary
HOME, and has USB, mDNS and the emulator scan turned off, so it cannot compete with the
developer's server for a real phone. Tests that use `adb_server` are marked `adb_server`
automatically (`pytest -m "not adb_server"` leaves them out).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RESERVED_PORTS = {5037, *range(5554, 5586)}
# Variables a developer may have set that would point an adb client or server elsewhere.
LEAKY_ADB_VARIABLES = (
    "ANDROID_SERIAL",
    "ANDROID_ADB_SERVER_ADDRESS",
    "ANDROID_ADB_SERVER_HOST",
    "ANDROID_ADB_SERVER_PORT",
    "ADB_SERVER_SOCKET",
    "ADB_VENDOR_KEYS",
    "ANDROID_SDK_HOME",
    "ANDROID_USER_HOME",
    "ANDROID_EMULATOR_HOME",
    "ADB_LOCAL_TRANSPORT_MAX_PORT",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "adb_server: starts an isolated official adb server (about a second each)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "adb_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.adb_server)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, outside adb's own (5037) and emulator ports."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def find_official_adb() -> Path | None:
    """The adb inside the adbutils wheel (platform-tools 36), else `adb` on PATH."""
    with contextlib.suppress(ImportError):
        import adbutils

        bundled = Path(adbutils.__file__).parent / "binaries" / "adb"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return bundled
    found = shutil.which("adb")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def official_adb() -> Path:
    """Path to the official adb client; skips when there is none."""
    adb = find_official_adb()
    if adb is None:
        pytest.skip(
            "no official adb client: neither the adbutils wheel's bundled adb nor `adb` on "
            "PATH (scripts/install-test-tools.sh installs one)"
        )
    return adb


@dataclass
class AdbServer:
    """An isolated official adb server, and an adb client bound to it."""

    adb: Path
    port: int
    home: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def run(
        self, *args: str, timeout: float = 30, text: bool = True
    ) -> subprocess.CompletedProcess:
        """Run `adb -P PORT *args` against this server; output captured, never raises."""
        return subprocess.run(
            [str(self.adb), "-P", str(self.port), *args],
            env=self.env,
            capture_output=True,
            text=text,
            timeout=timeout,
            check=False,
        )

    @property
    def public_key_path(self) -> Path:
        """The server's `adbkey.pub` (created at start-up), e.g. to pre-trust it on a phone."""
        return self.home / ".android" / "adbkey.pub"

    def devices(self) -> dict[str, str]:
        """serial -> state, from `adb devices`."""
        result = self.run("devices")
        states = {}
        for line in result.stdout.splitlines()[1:]:
            parts = line.split()
            if len(parts) >= 2:
                states[parts[0]] = parts[1]
        return states

    def wait_for_state(self, serial: str, state: str = "device", timeout: float = 15) -> None:
        """Poll `adb devices` until `serial` shows `state`; fail the test with the log if not."""
        deadline = time.monotonic() + timeout
        seen: dict[str, str] = {}
        while time.monotonic() < deadline:
            seen = self.devices()
            if seen.get(serial) == state:
                return
            time.sleep(0.05)
        pytest.fail(
            f"{serial} never became {state!r} within {timeout}s (last seen: {seen}); "
            f"adb server log:\n{self.log_tail()}"
        )

    def connect(self, serial: str, timeout: float = 15) -> subprocess.CompletedProcess:
        """`adb connect serial`, then wait until it is a usable device."""
        result = self.run("connect", serial, timeout=timeout)
        self.wait_for_state(serial, "device", timeout=timeout)
        return result

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def answers(self) -> bool:
        """Whether a server answers `host:version` on this port."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"000chost:version")
                return sock.recv(4) == b"OKAY"
        except OSError:
            return False


def isolated_adb_env(home: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_ADB_VARIABLES}
    env.update(
        HOME=str(home),
        ANDROID_ADB_SERVER_PORT=str(port),
        ADB_USB="0",  # never claim a developer's USB phone
        ADB_MDNS="0",
        ADB_EMU="0",  # never probe 5554-5585, where a developer's emulators live
    )
    return env


@pytest.fixture
def adb_server(official_adb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdbServer]:
    """An isolated official adb server on a free port; killed at teardown."""
    home = tmp_path_factory.mktemp("adb-home")
    port = free_port()
    env = isolated_adb_env(home, port)
    log_path = home / "adb-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(official_adb), "-P", str(port), "server", "nodaemon"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AdbServer(official_adb, port, home, env, log_path, process)
    try:
        deadline = time.monotonic() + 15
        while not server.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the isolated adb server did not start:\n{server.log_tail()}")
            time.sleep(0.02)
        yield server
    finally:
        _stop_adb_server(server)


def _stop_adb_server(server: AdbServer) -> None:
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            server.run("kill-server", timeout=5)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    # A client call made after the server died would have started a daemon of its own.
    if server.answers():
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.port), timeout=1) as sock,
        ):
            sock.sendall(b"0009host:kill")


# hardener's own settings a developer may have exported.
LEAKY_HARDENER_VARIABLES = (
    "HARDENER_DEVICE",
    "HARDENER_STATE_DIR",
    "HARDENER_PROFILE",
    "HARDENER_CRONTAB",
    "XDG_STATE_HOME",
)


@pytest.fixture
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A fresh HOME (its own ~/.android/adbkey), no adb or hardener variables from the
    developer, an adb server port where nothing listens unless the test starts a server
    there, no USB bus, and no direct connection left over from another test."""
    from hardener.device.transport import direct, usb

    for name in (*LEAKY_ADB_VARIABLES, *LEAKY_HARDENER_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(free_port()))
    monkeypatch.setattr(usb, "iter_usb", lambda: iter(()))
    monkeypatch.setattr("hardener.device.transport.discovery.iter_usb", lambda: iter(()))
    yield home
    with direct._REGISTRY_LOCK:
        leftovers = set(direct._REGISTRY.values())
        direct._REGISTRY.clear()
    for transport in leftovers:
        transport._close_now()


@pytest.fixture
def unused_port() -> int:
    """A TCP port nothing listens on now (never 5037 or the emulator ports)."""
    return free_port()


@pytest.fixture(scope="session")
def adb_shell_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private key made by `adb_shell.auth.keygen` (its `.pub` beside it), for adb-shell."""
    from adb_shell.auth.keygen import keygen

    path = tmp_path_factory.mktemp("adb-shell-key") / "adbkey"
    keygen(str(path))
    path.chmod(0o600)
    return path
