"""The virtual phone's control socket: move its clock, reboot it, restart its adbd.

`hardener sim --control PATH` listens on a Unix socket (mode 0600) at PATH; each connection
sends one line and gets one JSON line back:

    status                       -> {"ok": true, "status": {time, uptime_s, boot_id, ...}}
    advance DURATION             (awake; DURATION: 90, 30s, 15m, 2h, 1d, 1h30m)
    suspend DURATION             (asleep: CLOCK_MONOTONIC stands still)
    advance-to ISO-8601-TIME     (awake until the wall clock reads it)
    reboot | restart-adbd | usb-mode-change
    lock-screen                  (restarts adbd when sys.usb.config has a data function)

Errors come back as {"ok": false, "error": "...", "hint": "..."}. `request()` is the client
side (`hardener sim-control`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Any

from hardener.errors import DeviceError, HardenerError, InputError
from hardener.sim.android.clock import parse_duration, parse_instant
from hardener.sim.android.device import AndroidDevice

logger = logging.getLogger(__name__)

COMMANDS = (
    "status",
    "advance",
    "suspend",
    "advance-to",
    "reboot",
    "restart-adbd",
    "usb-mode-change",
    "lock-screen",
)
MAX_LINE = 4096


def handle(phone: AndroidDevice, line: str) -> dict[str, Any]:
    """Run one control line against `phone`; the JSON-able reply."""
    words = line.split()
    if not words or words[0] not in COMMANDS:
        return {
            "ok": False,
            "error": f"unknown control command {line.strip()[:80]!r}",
            "hint": "use one of: " + ", ".join(COMMANDS),
        }
    verb, args = words[0], words[1:]
    try:
        if verb in ("advance", "suspend", "advance-to") and len(args) != 1:
            raise InputError(f"{verb} needs one argument", hint=f"e.g. {verb} 15m")
        if verb == "advance":
            phone.advance(parse_duration(args[0]))
        elif verb == "suspend":
            phone.suspend(parse_duration(args[0]))
        elif verb == "advance-to":
            phone.advance_to(parse_instant(args[0]))
        elif verb == "reboot":
            phone.reboot()
        elif verb == "restart-adbd":
            phone.restart_adbd("restart-adbd (control)")
        elif verb == "usb-mode-change":
            phone.usb_mode_change()
        elif verb == "lock-screen":
            phone.lock_screen()
    except HardenerError as exc:
        return {"ok": False, "error": exc.message, "hint": exc.hint or ""}
    return {"ok": True, "status": phone.status()}


class ControlServer:
    """Serves `handle` on a Unix socket in a background thread."""

    def __init__(self, phone: AndroidDevice, path: str | os.PathLike[str]) -> None:
        self.phone = phone
        self.path = Path(path)
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        if self.path.exists() or self.path.is_symlink():
            if not self.path.is_socket():
                raise InputError(
                    f"{self.path} exists and is not a socket",
                    hint="give --control a new path, e.g. /tmp/phone.ctl",
                )
            self.path.unlink()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(str(self.path))
        except OSError as exc:
            sock.close()
            raise InputError(
                f"cannot create the control socket {self.path}: {exc.strerror or exc}",
                hint="point --control into an existing, writable folder",
            ) from None
        finally:
            os.umask(old)
        self.path.chmod(0o600)
        sock.listen(8)
        sock.settimeout(0.5)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="sim-control", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    data = b""
                    while b"\n" not in data and len(data) < MAX_LINE:
                        chunk = conn.recv(MAX_LINE)
                        if not chunk:
                            break
                        data += chunk
                    line = data.split(b"\n", 1)[0].decode("utf-8", "replace")
                    reply = handle(self.phone, line)
                    conn.sendall(json.dumps(reply).encode() + b"\n")
                except OSError as exc:
                    logger.info("control connection failed: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        if self._thread is not None:
            self._thread.join(5)
        with contextlib.suppress(OSError):
            self.path.unlink()


def request(path: str | os.PathLike[str], line: str, timeout: float = 600.0) -> dict[str, Any]:
    """Send one control line to a running `hardener sim --control PATH`; its reply."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
        sock.sendall(line.encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise DeviceError(
            f"cannot reach the virtual phone's control socket {path}: {exc.strerror or exc}",
            hint="start it with `hardener sim --control PATH` and pass the same PATH",
        ) from None
    finally:
        sock.close()
    try:
        reply: dict[str, Any] = json.loads(data)
    except ValueError:
        raise DeviceError(
            f"the control socket {path} answered something that is not JSON"
        ) from None
    return reply
