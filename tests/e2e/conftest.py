"""End-to-end fixtures: virtual phones from personas, and the hardener CLI run in-process.

Every test runs isolated like the transport tests: HOME in a temporary folder (its own
~/.android/adbkey), an adb server port where nothing listens unless the test starts a
server, no USB bus.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from hardener.cli.app import main
from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.faults import Costs, Faults

PERSONAS = ("pixel-14", "xiaomi-hyperos-14", "samsung-oneui-work", "android9-legacy")


@pytest.fixture(autouse=True)
def isolated(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Isolated as in tests/conftest.py, with the journal in the test's own folder."""
    monkeypatch.setenv("HARDENER_STATE_DIR", str(tmp_path / "state"))
    return isolated_environment


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
              costs: Costs | None = None, serial: str | None = None,
              clock: datetime | None = None, real_time: bool = True) -> Phone:  # fmt: skip
        """`clock`/`real_time`: the phone's wall clock starts there, and (False) moves only
        when the test moves it."""
        faults, costs = Faults(), costs or Costs()
        android = load_persona(persona, apps=apps, costs=costs, faults=faults, serial=serial,
                               clock=clock, real_time=real_time)  # fmt: skip
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
