"""Phones reached through a running adb server, speaking its smart-socket protocol.

When an adb server runs it owns every USB phone, so this is the only way to reach them
without `adb kill-server`. The protocol is small (AOSP `protocol.txt`, `SERVICES.TXT`): each
request is `%04x` + text, answered `OKAY` or `FAIL` + `%04x` + reason; `host:transport:S`
switches the socket to a phone, after which a service like `shell:` streams until EOF.
Speaking it directly costs ~0.5 ms a call where adbutils sleeps ~22 ms (research §2, §5).

Scripts go through `shell,v2,raw:` when the phone has `shell_v2` (Android 7+): its exit
frame is the only way to tell a finished script from a phone that vanished, since the
server closes our socket either way. Older phones get `shell:` and the phase markers
detect truncation.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from hardener.device.transport.base import KERNEL_ARG_LIMIT, ClosingTransport, check_size
from hardener.device.transport.errors import (
    ConnectionLostError,
    DeviceTimeoutError,
    NoDeviceError,
    UnauthorizedError,
)
from hardener.device.transport.shell_v2 import CLOSE_STDIN_FRAME, FrameDecoder
from hardener.errors import InputError

DEFAULT_PORT = 5037
MAX_REQUEST = 0xFFFF  # the length prefix has four hex digits
_READ_SIZE = 256 * 1024


class ServerNotRunningError(NoDeviceError):
    """Nothing listens on the adb server's port."""


class ServerFailure(Exception):
    """The server answered FAIL; `reason` is its text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ServerDevice:
    """One line of `adb devices -l`."""

    serial: str
    state: str  # device, unauthorized, offline, no permissions, recovery, ...
    # product, model, device, usb, transport_id
    tags: Mapping[str, str] = field(default_factory=dict)


def server_address(env: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Where adb clients find the server: `$ADB_SERVER_SOCKET` (tcp:HOST:PORT), else
    `$ANDROID_ADB_SERVER_ADDRESS` (adb) or `$ANDROID_ADB_SERVER_HOST` (adbutils) and
    `$ANDROID_ADB_SERVER_PORT`, else 127.0.0.1:5037."""
    env = os.environ if env is None else env
    socket_spec = env.get("ADB_SERVER_SOCKET", "")
    if socket_spec:
        kind, _, rest = socket_spec.partition(":")
        host, sep, port = rest.rpartition(":")
        if kind != "tcp" or not port.isdigit():
            raise InputError(
                f"ADB_SERVER_SOCKET={socket_spec!r} is not tcp:HOST:PORT or tcp:PORT",
                hint="fix or unset ADB_SERVER_SOCKET",
            )
        return (host.strip("[]") if sep and host else "127.0.0.1"), _port(port, "ADB_SERVER_SOCKET")
    host = (
        env.get("ANDROID_ADB_SERVER_ADDRESS") or env.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
    )
    port = env.get("ANDROID_ADB_SERVER_PORT", "")
    return host, _port(port, "ANDROID_ADB_SERVER_PORT") if port else DEFAULT_PORT


def _port(text: str, variable: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise InputError(
            f"{variable}={text!r} is not a port number", hint=f"fix or unset {variable}"
        )
    return int(text)


def parse_devices(text: str) -> list[ServerDevice]:
    """Parse `host:devices-l`: `SERIAL<spaces>STATE key:value...`; states may have spaces
    ("no permissions (...); see [...]"), so the tags are the trailing `key:value` words."""
    devices = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        serial, rest = parts[0], parts[1:]
        tags: dict[str, str] = {}
        while rest and ":" in rest[-1] and not rest[-1].startswith("["):
            key, _, value = rest.pop().partition(":")
            tags[key] = value
        devices.append(ServerDevice(serial, " ".join(rest) or "unknown", tags))
    return devices


class AdbServer:
    """A client of one adb server (host, port)."""

    def __init__(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        self.host, self.port = host, port

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AdbServer:
        return cls(*server_address(env))

    def __str__(self) -> str:
        return f"adb server {self.host}:{self.port}"

    # -- protocol ---------------------------------------------------------------------

    def _connect(self, timeout: float) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=timeout)
        except ConnectionRefusedError:
            raise ServerNotRunningError(
                f"no {self} is running",
                hint="start one with `adb start-server`, or use --device usb / HOST:PORT",
            ) from None
        except OSError as error:
            raise ServerNotRunningError(
                f"cannot reach the {self}: {error.strerror or error}",
                hint="check ANDROID_ADB_SERVER_ADDRESS / ANDROID_ADB_SERVER_PORT",
            ) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    @staticmethod
    def _send(sock: socket.socket, request: str) -> None:
        data = request.encode()
        if len(data) > MAX_REQUEST:
            raise ValueError(f"an adb server request is at most {MAX_REQUEST} bytes: {len(data)}")
        sock.sendall(b"%04x" % len(data) + data)

    @staticmethod
    def _read_exactly(sock: socket.socket, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise ConnectionResetError("the adb server closed the connection")
            data += chunk
        return bytes(data)

    def _status(self, sock: socket.socket) -> None:
        status = self._read_exactly(sock, 4)
        if status == b"OKAY":
            return
        if status == b"FAIL":
            raise ServerFailure(self._read_block(sock).decode(errors="replace"))
        raise ConnectionResetError(f"the adb server answered {status!r}, not OKAY/FAIL")

    def _read_block(self, sock: socket.socket) -> bytes:
        length = int(self._read_exactly(sock, 4), 16)
        return self._read_exactly(sock, length)

    def query(self, request: str, *, timeout: float = 5.0) -> str:
        """A host request whose answer is one length-prefixed block (version, devices...)."""
        with self._connect(timeout) as sock:
            try:
                self._send(sock, request)
                self._status(sock)
                return self._read_block(sock).decode(errors="replace")
            except (OSError, ValueError) as error:
                raise ConnectionLostError(
                    f"the {self} broke off while answering {request.split(':')[1]!r}: {error}",
                    hint="retry; if it persists, restart it with `adb kill-server`",
                ) from None

    def open_service(self, serial: str, service: str, *, timeout: float) -> socket.socket:
        """A socket switched to `serial` with `service` opened (OKAY received)."""
        sock = self._connect(timeout)
        try:
            self._send(sock, f"host:transport:{serial}")
            self._status(sock)
            self._send(sock, service)
            self._status(sock)
        except BaseException:
            sock.close()
            raise
        return sock

    # -- convenience ------------------------------------------------------------------

    def is_running(self, *, timeout: float = 1.0) -> bool:
        try:
            self.query("host:version", timeout=timeout)
        except (NoDeviceError, ServerFailure, ConnectionLostError):
            return False
        return True

    def devices(self, *, timeout: float = 5.0) -> list[ServerDevice]:
        return parse_devices(self.query("host:devices-l", timeout=timeout))

    def state(self, serial: str, *, timeout: float = 5.0) -> str:
        """`device`, `unauthorized`, `offline`..., or `missing` when the server has no such
        phone. Some server versions answer FAIL with the state in words; map those."""
        try:
            return self.query(f"host-serial:{serial}:get-state", timeout=timeout).strip()
        except ServerFailure as failure:
            reason = failure.reason.lower()
            for state in ("unauthorized", "offline", "authorizing", "connecting"):
                if state in reason:
                    return state
            if "not found" in reason:
                return "missing"
            return reason.strip() or "unknown"

    def features(self, serial: str, *, timeout: float = 5.0) -> frozenset[str]:
        try:
            text = self.query(f"host-serial:{serial}:features", timeout=timeout)
        except ServerFailure:
            return frozenset()
        return frozenset(filter(None, text.strip().split(",")))


AuthPrompt = Callable[[str], None]
_WAITING_STATES = ("unauthorized", "authorizing", "connecting", "offline")


class ServerTransport(ClosingTransport):
    """A phone behind an adb server; every call is its own socket, so no lock is needed."""

    def __init__(self, server: AdbServer, serial: str, *, use_v2: bool) -> None:
        self.server = server
        self.serial = serial
        self.spec = f"server:{serial}"
        self.use_v2 = use_v2
        service = "shell,v2,raw:" if use_v2 else "shell:"
        self.max_script_bytes = min(MAX_REQUEST - len(service), KERNEL_ARG_LIMIT)

    def describe(self) -> str:
        return f"{self.serial} (through the {self.server})"

    def shell(self, script: str, *, timeout: float) -> bytes:
        check_size(script, self.max_script_bytes, self.describe())
        deadline = time.monotonic() + timeout
        service = ("shell,v2,raw:" if self.use_v2 else "shell:") + script
        try:
            sock = self.server.open_service(self.serial, service, timeout=timeout)
        except ServerFailure as failure:
            raise self._explain_failure(failure.reason) from None
        except (OSError, ValueError) as error:
            if isinstance(error, TimeoutError):
                raise DeviceTimeoutError(
                    f"{self.describe()} did not start the command within {timeout:.3g} s",
                    hint="check that the phone is awake and connected",
                ) from None
            raise ConnectionLostError(
                f"lost {self.describe()} while opening a shell: {error}",
                hint="check the cable and the adb server (`adb devices`), then run again",
            ) from None
        decoder = FrameDecoder() if self.use_v2 else None
        received = bytearray()
        with sock:
            try:
                if decoder is not None:
                    sock.sendall(CLOSE_STDIN_FRAME)
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError
                    sock.settimeout(remaining)
                    chunk = sock.recv(_READ_SIZE)
                    if not chunk:
                        break
                    if decoder is None:
                        received += chunk
                    else:
                        decoder.feed(chunk)
                        if decoder.finished:
                            break
            except TimeoutError:
                raise DeviceTimeoutError(
                    f"{self.describe()} stopped answering within the {timeout:.3g} s allowed",
                    hint="check that the phone is awake and connected, then run again",
                    partial=bytes(decoder.output if decoder else received),
                ) from None
            except OSError as error:
                raise ConnectionLostError(
                    f"lost {self.describe()}: {error}",
                    hint="check the cable and `adb devices`, then run again",
                    partial=bytes(decoder.output if decoder else received),
                ) from None
        if decoder is None:
            return bytes(received)
        if not decoder.finished:
            raise ConnectionLostError(
                f"lost {self.describe()}: the shell ended without an exit status "
                f"after {len(decoder.output)} bytes",
                hint="check the cable and `adb devices`, then run again",
                partial=bytes(decoder.output),
            )
        return bytes(decoder.output)

    def _explain_failure(self, reason: str) -> Exception:
        lowered = reason.lower()
        if "unauthorized" in lowered:
            return UnauthorizedError(
                f"{self.describe()} has not authorised the adb server's key",
                hint="unlock the phone and tap Allow on 'Allow USB debugging?', then run again",
            )
        if "not found" in lowered:
            return NoDeviceError(
                f"the {self.server} has no device {self.serial!r}",
                hint="see `hardener devices` for what is connected",
            )
        return ConnectionLostError(
            f"{self.describe()}: the server says {reason.strip()!r}",
            hint="check the cable and `adb devices`; an offline phone often needs a re-plug",
        )

    def close(self) -> None:
        """Nothing to release: every call had its own socket."""


def open_server(
    serial: str,
    *,
    server: AdbServer | None = None,
    auth_timeout: float,
    connect_timeout: float = 10.0,
    on_auth_prompt: AuthPrompt | None = None,
    poll_interval: float = 0.25,
) -> ServerTransport:
    """Check that the server has this phone in `device` state (waiting for the user to
    allow the key, or for an offline phone to come back), then return a transport."""
    server = server or AdbServer.from_env()
    started = time.monotonic()
    prompted = False
    while True:
        state = server.state(serial)
        if state == "device":
            break
        if state == "missing":
            known = ", ".join(f"server:{d.serial} ({d.state})" for d in server.devices()) or "none"
            raise NoDeviceError(
                f"the {server} has no device {serial!r} (it has: {known})",
                hint="see `hardener devices`; for a TCP phone run `adb connect HOST:PORT` first",
            )
        waited = time.monotonic() - started
        if state in ("unauthorized", "authorizing"):
            if not prompted and on_auth_prompt is not None:
                on_auth_prompt(
                    f"{serial} has not authorised this computer yet: unlock the phone and tap "
                    "Allow on 'Allow USB debugging?' (tick 'Always allow from this computer'); "
                    f"waiting up to {auth_timeout:g} s"
                )
            prompted = True
            if waited >= auth_timeout:
                raise UnauthorizedError(
                    f"{serial} did not authorise the {server}'s key within {auth_timeout:g} s",
                    hint="unlock the phone, tap Allow on the prompt, and run again (raise "
                    "--auth-timeout to wait longer); no prompt? run `adb reconnect` or toggle "
                    "USB debugging",
                )
        elif state in _WAITING_STATES:
            if waited >= connect_timeout:
                raise NoDeviceError(
                    f"{serial} stays {state} in the {server}",
                    hint="re-plug the cable (or `adb reconnect offline`) and run again",
                )
        elif state.startswith("no permissions"):
            raise NoDeviceError(
                f"the {server} may not open {serial}: {state}",
                hint="on Linux add a udev rule for Android devices (e.g. the "
                "android-sdk-platform-tools-common package), re-plug, and run `adb devices`",
            )
        else:
            raise NoDeviceError(
                f"{serial} is in state {state!r} in the {server}, not ready for commands",
                hint="boot the phone normally with USB debugging on",
            )
        time.sleep(poll_interval)
    with contextlib.suppress(NoDeviceError, ConnectionLostError):
        features = server.features(serial)
        return ServerTransport(server, serial, use_v2="shell_v2" in features)
    return ServerTransport(server, serial, use_v2=False)
