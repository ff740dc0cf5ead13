"""Costs and faults a virtual phone can be told to have, for tests and benchmarks.

One object per virtual phone, shared by the protocol server (round-trip latency,
byte-level faults) and the Android shell (per-command cost, command-count drops).
Faults are one-shot: once a drop fires it disarms, so running a command again
converges, which is exactly what the recovery tests need.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


class ConnectionDropped(Exception):
    """Raised inside the device when the link must die now (the cable was pulled)."""


class AdbdRestart(ConnectionDropped):
    """The link dies because adbd restarts; the device restarts it once the script unwound."""


@dataclass
class Costs:
    """Device-side time, slept by the virtual phone, to make benchmarks realistic.

    The Android shell adds up `of(argv0)` for each command a script runs and sleeps the sum
    before its output leaves (the same total time as sleeping per command)."""

    round_trip_s: float = 0.0  # added once per opened shell stream
    dumpsys_s: float = 0.0  # per `dumpsys ...` command
    cmd_s: float = 0.0  # per `cmd`/`pm`/`am`/`appops`/`settings`/`getprop` command

    def of(self, argv0: str) -> float:
        if argv0 == "dumpsys":
            return self.dumpsys_s
        if argv0 in {"cmd", "pm", "am", "appops", "settings", "getprop"}:
            return self.cmd_s
        return 0.0


@dataclass
class Faults:
    """Armed faults. `None` means off. All counters start when a fault is armed."""

    drop_after_commands: int | None = None  # run N simple commands, then drop the link
    drop_after_bytes: int | None = None  # send N bytes of stream data, then drop the link
    stall_after_bytes: int | None = None  # send N bytes of a stream, then send nothing more
    # run N simple commands, then adbd restarts (USB debugging toggled, a USB mode change):
    # the link drops and, from Android 8, every process adb started dies
    restart_adbd_after_commands: int | None = None
    _commands_seen: int = 0
    _restart_seen: int = 0
    _bytes_sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def arm(
        self,
        *,
        drop_after_commands: int | None = None,
        drop_after_bytes: int | None = None,
        stall_after_bytes: int | None = None,
        restart_adbd_after_commands: int | None = None,
    ) -> None:
        with self._lock:
            self.drop_after_commands = drop_after_commands
            self.drop_after_bytes = drop_after_bytes
            self.stall_after_bytes = stall_after_bytes
            self.restart_adbd_after_commands = restart_adbd_after_commands
            self._commands_seen = 0
            self._restart_seen = 0
            self._bytes_sent = 0

    def before_command(self) -> None:
        """Called by the shell before each simple command; raises when the link must drop
        (`AdbdRestart` when adbd itself must restart)."""
        with self._lock:
            if self.restart_adbd_after_commands is not None:
                if self._restart_seen >= self.restart_adbd_after_commands:
                    self.restart_adbd_after_commands = None
                    raise AdbdRestart(f"fault: adbd restarted after {self._restart_seen} commands")
                self._restart_seen += 1
            if self.drop_after_commands is None:
                return
            if self._commands_seen >= self.drop_after_commands:
                self.drop_after_commands = None
                raise ConnectionDropped(f"fault: dropped after {self._commands_seen} commands")
            self._commands_seen += 1

    def allow_bytes(self, wanted: int) -> tuple[int, str | None]:
        """How many of `wanted` stream bytes may go out now, and which fault fires after them.

        Returns (n, None) when all may go; (n, "drop") or (n, "stall") when a fault fires
        after the first n bytes. A fault fires once, then disarms.
        """
        with self._lock:
            limits = []
            if self.drop_after_bytes is not None:
                limits.append((self.drop_after_bytes - self._bytes_sent, "drop"))
            if self.stall_after_bytes is not None:
                limits.append((self.stall_after_bytes - self._bytes_sent, "stall"))
            for remaining, kind in sorted(limits):
                if remaining < wanted:
                    n = max(remaining, 0)
                    self._bytes_sent += n
                    if kind == "drop":
                        self.drop_after_bytes = None
                    else:
                        self.stall_after_bytes = None
                    return n, kind
            self._bytes_sent += wanted
            return wanted, None


def sleep(seconds: float) -> None:
    """Device-side cost; a function of its own so tests can see it is the only sleep."""
    if seconds > 0:
        time.sleep(seconds)
