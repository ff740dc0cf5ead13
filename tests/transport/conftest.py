"""Fixtures for the transport tests: an isolated environment, a shell-backed virtual phone.

Every test here runs with HOME in a temporary folder (so ~/.android/adbkey is the test's
own), ANDROID_ADB_SERVER_PORT on a port where nothing listens unless the test starts a
server there (never 5037), and the USB bus replaced by an empty one, so no test can
reach a developer's real phone or adb server.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from hardener.sim.adbd import SimServer, read_log
from hardener.sim.device import ShellOutput
from hardener.sim.faults import Costs, Faults

# The few properties `hardener devices` reads, as a shell function the scripts can call.
GETPROP = (
    'getprop() { case "$1" in ro.product.model) echo "Sh Phone";; '
    "ro.build.version.release) echo 14;; ro.build.version.sdk) echo 34;; esac; }\n"
)


class ShDeviceShell:
    """A `DeviceShell` that runs each command line with the real /bin/sh.

    It checks the phase scripts against a real POSIX shell (dash here), byte for byte.
    """

    def __init__(self, serial: str = "SIMSH0001") -> None:
        self._serial = serial
        self.faults: Faults | None = None

    def run(self, command: str) -> ShellOutput:
        if self.faults is not None:
            self.faults.before_command()
        done = subprocess.run(["/bin/sh", "-c", GETPROP + command], capture_output=True, timeout=60)
        return ShellOutput(done.stdout, done.stderr, done.returncode)

    def banner(self) -> Mapping[str, str]:
        return {
            "ro.product.name": "shphone",
            "ro.product.model": "Sh Phone",
            "ro.product.device": "shdev",
        }

    def serial(self) -> str:
        return self._serial


@pytest.fixture(autouse=True)
def isolated(isolated_environment: Path) -> Path:
    """Every transport test runs isolated (see tests/conftest.py)."""
    return isolated_environment


PhoneFactory = Callable[..., SimServer]


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[PhoneFactory]:
    """Start virtual phones backed by /bin/sh: `phone(auth="accept", **SimServer kwargs)`.

    Each has a stream log at `server.log_path` and its `Faults` wired to the shell too.
    """
    started: list[SimServer] = []

    def start(**kwargs: object) -> SimServer:
        shell = ShDeviceShell()
        faults = kwargs.pop("faults", None) or Faults()
        shell.faults = faults  # type: ignore[assignment]
        log = tmp_path / f"phone{len(started)}.log"
        server = SimServer(
            shell,
            faults=faults,  # type: ignore[arg-type]
            costs=kwargs.pop("costs", None) or Costs(),  # type: ignore[arg-type]
            log_path=log,
            **kwargs,  # type: ignore[arg-type]
        )
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def streams() -> Callable[[SimServer], list[str]]:
    """`streams(phone)`: the services opened on a virtual phone so far (one per round trip)."""

    def opened(server: SimServer) -> list[str]:
        if server.log_path is None or not server.log_path.exists():
            return []
        return [entry.service for entry in read_log(server.log_path)]

    return opened


@pytest.fixture
def sh_transport() -> Callable[..., object]:
    """`sh_transport(max_script_bytes=...)`: a Transport that runs scripts with local /bin/sh.

    For phase tests that need a real shell but no ADB.
    """

    class LocalSh:
        serial = "local-sh"
        spec = "local"

        def __init__(self, max_script_bytes: int = 100_000) -> None:
            self.max_script_bytes = max_script_bytes
            self.scripts: list[str] = []

        def shell(self, script: str, *, timeout: float) -> bytes:
            self.scripts.append(script)
            done = subprocess.run(["/bin/sh", "-c", script], capture_output=True, timeout=timeout)
            return done.stdout + done.stderr

        def describe(self) -> str:
            return "the local shell"

        def close(self) -> None:
            pass

    return LocalSh
