"""Direct connections with adb-shell: TCP (wireless debugging, `adb tcpip`, the virtual
phone) and USB when no adb server holds the phone.

adb-shell works, but its measured pitfalls (../shared/research/adb-transport.md §1, §6)
each needed a fix here:

* TCP_NODELAY: without it every command waits ~40 ms for a delayed ACK (44 ms -> 0.5 ms).
* A dead socket: `recv()` returns b'' and adb-shell spins at 100% CPU until its read
  timeout; `_TcpLink` raises at once instead.
* Partial `send()`s are ignored by adb-shell; `_TcpLink` writes everything.
* Shared device objects break across threads (CLSE dropped): one object per phone, every
  call under its lock, and one registry so two opens of a phone share it.
* `available` stays True after a drop: any failure discards the connection and the next
  call reconnects; a connection the phone closed while idle is detected before use.
* Positional arguments of `shell()` are in a surprising order: keywords only.
* `shell()` loses the output received before a failure: output is streamed and kept, so
  a truncated phase can report what did complete.
* Timeouts: one deadline for the whole call, enforced at every read. adb-shell leaves a
  timed-out stream open (its later packets pile up in memory), so the connection is
  dropped instead and the next call starts clean.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from adb_shell import exceptions as adb_errors
from adb_shell.adb_device import AdbDevice
from adb_shell.transport.base_transport import BaseTransport
from adb_shell.transport.tcp_transport import TcpTransport

from hardener.device.transport.base import KERNEL_ARG_LIMIT, ClosingTransport, check_size
from hardener.device.transport.errors import (
    ConnectionLostError,
    DeviceTimeoutError,
    NoDeviceError,
    UnauthorizedError,
)
from hardener.device.transport.keys import AdbKeySigner
from hardener.device.transport.spec import DeviceSpec
from hardener.device.transport.usb import (
    LIBUSB_ERROR_TIMEOUT,
    explain_usb_error,
    find_usb,
    usb_error_code,
)

AuthPrompt = Callable[[str], None]

_SHELL_SERVICE_OVERHEAD = len("shell:") + 1  # OPEN payload: "shell:" + script + NUL
_ADB_LEGACY_MAXDATA = 4096  # what a phone that does not say uses (Android <= 6)


class PeerClosedError(ConnectionResetError):
    """The phone (or the network) closed the TCP connection."""


class _TcpLink(TcpTransport):
    """adb-shell's TCP transport, with NODELAY, complete writes and EOF detection."""

    def connect(self, transport_timeout_s: float | None) -> None:
        super().connect(transport_timeout_s)
        self._connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def bulk_read(self, numbytes: int, transport_timeout_s: float | None) -> bytes:
        readable, _, _ = select.select([self._connection], [], [], transport_timeout_s)
        if not readable:
            raise adb_errors.TcpTimeoutException(
                f"no data from {self._host}:{self._port} for {transport_timeout_s} s"
            )
        data: bytes = self._connection.recv(numbytes)
        if not data:
            raise PeerClosedError(f"{self._host}:{self._port} closed the connection")
        return data

    def bulk_write(self, data: bytes, transport_timeout_s: float | None) -> int:
        view = memoryview(data)
        while view:
            _, writable, _ = select.select([], [self._connection], [], transport_timeout_s)
            if not writable:
                raise adb_errors.TcpTimeoutException(
                    f"cannot send to {self._host}:{self._port} for {transport_timeout_s} s"
                )
            sent = self._connection.send(view)
            view = view[sent:]
        return len(data)

    def peer_closed(self) -> bool:
        """True when the phone hung up while we were idle (a read would return EOF)."""
        if self._connection is None:
            return True
        try:
            readable, _, _ = select.select([self._connection], [], [], 0)
            if not readable:
                return False
            peeked: bytes = self._connection.recv(1, socket.MSG_PEEK)
            return peeked == b""
        except (OSError, ValueError):
            return True


class _DeadlineLink(BaseTransport):
    """Wraps a link so that no single read or write outlives the call's deadline."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.deadline: float | None = None

    def _budget(self, timeout_s: float | None) -> float | None:
        if self.deadline is None:
            return timeout_s
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise adb_errors.TcpTimeoutException("the call's deadline passed")
        return remaining if timeout_s is None else min(timeout_s, remaining)

    def close(self) -> None:
        self.inner.close()

    def connect(self, transport_timeout_s: float | None) -> None:
        self.inner.connect(transport_timeout_s)

    def bulk_read(self, numbytes: int, transport_timeout_s: float | None) -> bytes:
        data: bytes = self.inner.bulk_read(numbytes, self._budget(transport_timeout_s))
        return data

    def bulk_write(self, data: bytes, transport_timeout_s: float | None) -> int:
        sent: int = self.inner.bulk_write(data, self._budget(transport_timeout_s))
        return sent

    def peer_closed(self) -> bool:
        check = getattr(self.inner, "peer_closed", None)
        return bool(check()) if check else False


def _is_timeout(error: BaseException) -> bool:
    if isinstance(error, (adb_errors.TcpTimeoutException, adb_errors.AdbTimeoutError)):
        return True
    if isinstance(error, (socket.timeout, TimeoutError)):
        return True
    return usb_error_code(error) == LIBUSB_ERROR_TIMEOUT


class DirectTransport(ClosingTransport):
    """A phone reached with adb-shell. Get one with `open_direct()`."""

    def __init__(
        self,
        spec: DeviceSpec,
        signers: list[AdbKeySigner],
        *,
        auth_timeout: float,
        connect_timeout: float,
        on_auth_prompt: AuthPrompt | None,
        link_factory: Callable[[], Any] | None = None,
    ) -> None:
        self._spec = spec
        self.spec = str(spec)
        self._signers = signers
        self._auth_timeout = auth_timeout
        self._connect_timeout = connect_timeout
        self._on_auth_prompt = on_auth_prompt
        self._link_factory = link_factory or self._default_link
        self._lock = threading.RLock()
        self._device: AdbDevice | None = None
        self._link: _DeadlineLink | None = None
        self._users = 1
        self._usb_serial: str | None = spec.serial
        self.max_script_bytes = _ADB_LEGACY_MAXDATA - _SHELL_SERVICE_OVERHEAD
        self.serial = spec.address if spec.kind == "tcp" else (spec.serial or "usb")

    # -- connecting -------------------------------------------------------------------

    def _default_link(self) -> Any:
        if self._spec.kind == "tcp":
            return _TcpLink(self._spec.host, self._spec.port)
        return find_usb(self._usb_serial)

    def describe(self) -> str:
        if self._spec.kind == "tcp":
            return f"{self.serial} (direct TCP)"
        return f"{self.serial} (direct USB)"

    def connect(self) -> None:
        """(Re)connect and authenticate; raises the `DeviceError` a user can act on."""
        with self._lock:
            self._discard()
            inner = self._link_factory()
            if self._spec.kind == "usb":
                serial = _usb_serial_of(inner)
                if serial:
                    self.serial = self._usb_serial = serial
                    self.spec = f"usb:{serial}"
            link = _DeadlineLink(inner)
            device = AdbDevice(transport=link)
            prompted = threading.Event()

            def auth_callback(_device: object) -> None:
                prompted.set()
                if self._on_auth_prompt is not None:
                    self._on_auth_prompt(
                        f"{self.describe()} has not authorised this computer yet: unlock the "
                        "phone and tap Allow on 'Allow USB debugging?' (tick 'Always allow "
                        f"from this computer'); waiting up to {self._auth_timeout:g} s"
                    )

            try:
                device.connect(
                    rsa_keys=self._signers,
                    transport_timeout_s=self._connect_timeout,
                    auth_timeout_s=self._auth_timeout,
                    read_timeout_s=self._connect_timeout,
                    auth_callback=auth_callback,
                )
            # adb-shell raises a dozen unrelated exception classes (no common base), plus
            # OSError and libusb's errors: every one becomes a clear HardenerError here.
            except Exception as error:  # noqa: BLE001
                with contextlib.suppress(Exception):
                    link.close()
                raise self._explain_connect_error(error, prompted.is_set()) from None
            self._device, self._link = device, link
            maxdata = getattr(device, "_maxdata", 0) or _ADB_LEGACY_MAXDATA
            self.max_script_bytes = min(maxdata - _SHELL_SERVICE_OVERHEAD, KERNEL_ARG_LIMIT)

    def _explain_connect_error(self, error: BaseException, prompted: bool) -> Exception:
        where = self.describe()
        if prompted and _is_timeout(error):
            return UnauthorizedError(
                f"{where} did not authorise this computer within {self._auth_timeout:g} s",
                hint="unlock the phone, tap Allow on the 'Allow USB debugging?' prompt, and run "
                "again (raise --auth-timeout to wait longer); no prompt? toggle USB debugging "
                "off and on, or revoke USB debugging authorisations in Developer options",
            )
        if isinstance(error, ConnectionRefusedError):
            return NoDeviceError(
                f"nothing accepts ADB connections at {self.serial}",
                hint="check the address and port (Developer options > Wireless debugging shows "
                "them; after `adb tcpip 5555` the port is 5555) and that the phone is awake "
                "and on this network",
            )
        if isinstance(error, adb_errors.InvalidCommandError) and "STLS" in str(error):
            return UnauthorizedError(
                f"{where} requires a TLS-paired connection (Android 11+ wireless debugging)",
                hint=f"pair and connect with `adb pair` and `adb connect {self.serial}`, then use "
                f"--device server:{self.serial}",
            )
        if _is_timeout(error):
            return DeviceTimeoutError(
                f"{where} did not answer the ADB handshake within {self._connect_timeout:g} s",
                hint="check that USB/wireless debugging is on and the phone is unlocked",
            )
        if usb_error_code(error) is not None:
            return explain_usb_error(error, where)
        if isinstance(error, OSError):
            return NoDeviceError(
                f"cannot reach {where}: {error.strerror or error}",
                hint="check the address, the network, and that debugging is on",
            )
        return ConnectionLostError(
            f"the ADB handshake with {where} failed: {error}",
            hint="retry; if it persists, toggle USB debugging off and on",
        )

    def _discard(self) -> None:
        """Forget the current connection (adb-shell keeps `available` True after a drop)."""
        if self._device is not None:
            with contextlib.suppress(Exception):
                self._device.close()
        self._device = self._link = None

    # -- running ----------------------------------------------------------------------

    def shell(self, script: str, *, timeout: float) -> bytes:
        chunks: list[bytes] = []
        check_size(script, self.max_script_bytes, self.describe())
        with self._lock:
            if self._device is None or self._link is None or self._link.peer_closed():
                self.connect()
            assert self._device is not None and self._link is not None
            self._link.deadline = time.monotonic() + timeout
            try:
                for chunk in self._device.streaming_shell(
                    script, transport_timeout_s=timeout, read_timeout_s=timeout, decode=False
                ):
                    chunks.append(chunk)
            # As in connect(): any adb-shell, socket or libusb failure, explained, never raw.
            except Exception as error:  # noqa: BLE001
                self._discard()
                partial = b"".join(chunks)
                if _is_timeout(error):
                    raise DeviceTimeoutError(
                        f"{self.describe()} stopped answering within the {timeout:.3g} s "
                        f"allowed ({len(partial)} bytes received)",
                        hint="check that the phone is awake and connected, then run again",
                        partial=partial,
                    ) from None
                raise ConnectionLostError(
                    f"lost the connection to {self.describe()} ({error.__class__.__name__}: "
                    f"{error}) after {len(partial)} bytes",
                    hint="check the cable or network and that the phone stays awake, then run "
                    "again",
                    partial=partial,
                ) from None
            finally:
                if self._link is not None:
                    self._link.deadline = None
        return b"".join(chunks)

    def close(self) -> None:
        release_direct(self)

    def _close_now(self) -> None:
        with self._lock:
            self._discard()


def _usb_serial_of(usb_transport: Any) -> str | None:
    try:
        serial = usb_transport.serial_number
    except Exception:  # noqa: BLE001 (libusb on an unclaimed device: any error means "unknown")
        return None
    return str(serial) if serial else None


# -- one object per phone --------------------------------------------------------------

_REGISTRY: dict[str, DirectTransport] = {}
_OPENING: dict[str, threading.Lock] = {}
_REGISTRY_LOCK = threading.Lock()


def open_direct(
    spec: DeviceSpec,
    signers: list[AdbKeySigner],
    *,
    auth_timeout: float,
    connect_timeout: float = 10.0,
    on_auth_prompt: AuthPrompt | None = None,
    link_factory: Callable[[], Any] | None = None,
) -> DirectTransport:
    """Connect to a phone directly, or share the connection this process already has."""
    key = str(spec)
    with _REGISTRY_LOCK:
        opening = _OPENING.setdefault(key, threading.Lock())
    # One handshake at a time per phone (two claims of one USB interface would fight),
    # while other phones connect in parallel (a fleet run waits on no one's prompt).
    with opening:
        with _REGISTRY_LOCK:
            existing = _REGISTRY.get(key)
            if existing is not None:
                existing._users += 1
                return existing
        transport = DirectTransport(
            spec,
            signers,
            auth_timeout=auth_timeout,
            connect_timeout=connect_timeout,
            on_auth_prompt=on_auth_prompt,
            link_factory=link_factory,
        )
        transport.connect()
        with _REGISTRY_LOCK:
            _REGISTRY[key] = transport
            if transport.spec != key:
                _REGISTRY[transport.spec] = transport
        return transport


def release_direct(transport: DirectTransport) -> None:
    """Drop one user of a shared connection; the last one closes it."""
    with _REGISTRY_LOCK:
        transport._users -= 1
        if transport._users > 0:
            return
        for key in [k for k, v in _REGISTRY.items() if v is transport]:
            del _REGISTRY[key]
    transport._close_now()
