"""The virtual phone's adbd: the device side of the ADB protocol over TCP.

Real clients (adb-shell, the official adb server, adbutils through that server) connect to
it exactly as to a phone with "ADB over network" on, and their shell commands are answered
by a `DeviceShell` (the Android model). What it does, and why each rule exists, follows
AOSP adbd and the measurements in ../shared/research/adb-transport.md:

* CNXN: version = min(host, 0x01000001), max payload = min(host maxdata, 1 MiB), and the reply
  says 0x01000001 and that max payload (`adb.cpp send_connect`); packets carry checksums
  while the negotiated version is 0x01000000 (adb-shell verifies them).
* AUTH: a 20-byte token; a signature from a trusted key connects; a new public key is
  accepted ("the user tapped Allow", then trusted for later connections), or met with
  silence forever (`auth="reject"`: a phone whose user never taps Allow).
* Streams: one worker thread per opened service, one WRTE in flight per stream (the next
  waits for the host's OKAY), an OKAY for every host WRTE, CLSE at the end.
* WRTE size: at most 64 KiB (`WRTE_SIZE`), never above the negotiated max payload. A real
  adbd reads the command's pipe until it is empty and then waits for the host's OKAY; the
  pipe holds 64 KiB, so a command producing output faster than the link gives 64 KiB WRTEs.
  Shell v2 data frames are cut at 64 KiB of data as well, so a 5-byte frame header shifts
  every frame against the WRTE boundaries, as on a phone.
* Costs and faults: `costs.round_trip_s` is slept once per opened shell/exec stream, before
  its OKAY. Before each WRTE the stream asks `faults.allow_bytes(n)`, n counting WRTE
  payload bytes (v2 frame headers included). "drop" sends the allowed bytes, waits for the
  host's OKAY (so they did arrive: without that, the adb server sometimes loses them), then
  cuts the TCP connection with no CLSE. "stall" sends them, then nothing more on that
  stream until the host closes it (other streams go on). `ConnectionDropped` from the
  shell cuts the connection too, and that command's output is lost.
* Restart services (daemon/services.cpp, daemon/restart_service.cpp, sockets.cpp): `tcpip:N`
  answers `restarting in TCP mode port: N` (`invalid port N` when N <= 0), `usb:` answers
  `restarting in USB mode`; both set `exit_on_close`, so adbd exits once the stream closes
  and init restarts it (`DeviceShell.restart_adbd` when the shell has it: jobs die from
  Android 8). `tcpip:` with no number fails to open. `reboot:` reboots the phone (its streams
  end with no reply). `root:`/`unroot:` answer as a production build does and change nothing.
  The virtual phone has no USB: after `adb usb` it keeps serving its TCP port. A phone that
  restarts adbd or reboots (`add_listener` on the shell) drops every connection, as the
  real adbd's exit does; hosts reconnect.
* Like adbd (`transport_local.cpp disable_tcp_nagle`) accepted sockets get TCP_NODELAY;
  TCP_QUICKACK is never set, so client-side Nagle stalls stay visible.

The log (`log_path`) gets one line per opened stream, tab-separated, UTF-8:

    <UTC time, ISO 8601 with microseconds>\\t<serial>\\t<service>\\t<command>

`service` is the part of the OPEN payload before the first `:` (`shell`, `shell,v2,raw`,
`exec`); `command` is the rest. Backslash, tab, CR and LF inside fields are written as
`\\\\`, `\\t`, `\\r`, `\\n`, so a multi-line script is still one line. `read_log` parses it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from cryptography.hazmat.primitives.asymmetric import rsa

from hardener.errors import InputError
from hardener.sim import adbkeys, sync
from hardener.sim.device import DeviceFiles, DeviceShell, ShellOutput
from hardener.sim.faults import ConnectionDropped, Costs, Faults, sleep
from hardener.sim.protocol import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_VERSION,
    A_WRTE,
    AUTH_RSAPUBLICKEY,
    AUTH_SIGNATURE,
    AUTH_TOKEN,
    HEADER_SIZE,
    MAX_PAYLOAD,
    MAX_PAYLOAD_V1,
    TOKEN_SIZE,
    Packet,
    ProtocolError,
    ShellId,
    decode_header,
    encode_packet,
    encode_shell_frame,
    needs_checksum,
)

logger = logging.getLogger(__name__)

AUTH_MODES = ("accept", "reject", "off")
# Only what is implemented: no abb/abb_exec; the sync service (without compression) is
# added when the shell has files to serve (`sync.FEATURES`).
DEFAULT_FEATURES: tuple[str, ...] = ("shell_v2", "cmd")
# Advertising these would make hosts use protocol features the server does not speak.
UNSUPPORTED_FEATURES = frozenset(
    {
        "delayed_ack",
        "abb",
        "abb_exec",
        "sendrecv_v2_brotli",
        "sendrecv_v2_lz4",
        "sendrecv_v2_zstd",
        "sendrecv_v2_dry_run_send",
    }
)
_FEATURE = re.compile(r"[A-Za-z0-9_.-]+")
WRTE_SIZE = 64 * 1024
SHELL_FRAME_DATA = 64 * 1024
JOIN_TIMEOUT_S = 5.0


# --- services ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRequest:
    """An OPENed service that runs a command: `shell[,args]:cmd` or `exec:cmd`."""

    service: str  # the part before ':', e.g. "shell,v2,TERM=xterm,raw" or "exec"
    command: str
    shell_protocol: bool  # v2 frames with stdout/stderr/exit
    pty: bool  # output goes through a terminal: one stream, LF written as CRLF


CONTROL_SERVICES = ("tcpip", "usb", "reboot", "root", "unroot")


def parse_service(name: str) -> ServiceRequest | None:
    """What adbd's `daemon_service_to_fd` makes of an OPEN payload; None = unknown service.

    As in `ShellService`, unknown shell arguments are ignored, raw is the default when a
    command is given and a PTY when it is empty.
    """
    if name.startswith("tcpip:"):
        port = re.match(r"\s*[-+]?[0-9]+", name[len("tcpip:") :])  # sscanf("%d")
        if port is None:
            return None
        return ServiceRequest("tcpip", port.group().strip(), shell_protocol=False, pty=False)
    for control in ("usb", "reboot", "root", "unroot"):
        if name.startswith(control + ":"):
            return ServiceRequest(
                control, name[len(control) + 1 :], shell_protocol=False, pty=False
            )
    if name.startswith("exec:"):
        return ServiceRequest("exec", name[len("exec:") :], shell_protocol=False, pty=False)
    if name.startswith("sync:"):
        return ServiceRequest("sync", name[len("sync:") :], shell_protocol=False, pty=False)
    if not name.startswith("shell"):
        return None
    head, colon, command = name.partition(":")
    if not colon:
        return None
    pty = not command
    shell_protocol = False
    for arg in head[len("shell") :].split(","):
        if arg == "raw":
            pty = False
        elif arg == "pty":
            pty = True
        elif arg == "v2":
            shell_protocol = True
    return ServiceRequest(head, command, shell_protocol=shell_protocol, pty=pty)


def control_reply(request: ServiceRequest) -> tuple[bytes, str | None]:
    """What a restart service writes, and the event that follows its close (or None)."""
    if request.service == "tcpip":
        port = int(request.command)
        if port <= 0:
            return f"invalid port {port}\n".encode(), "adbd-restart"
        return f"restarting in TCP mode port: {port}\n".encode(), "adbd-restart"
    if request.service == "usb":
        return b"restarting in USB mode\n", "adbd-restart"
    if request.service == "reboot":
        return b"", "reboot"
    if request.service == "root":
        return b"adbd cannot run as root in production builds\n", None
    return b"adbd not running as root\n", None


def render_output(request: ServiceRequest, output: ShellOutput) -> bytes:
    """The bytes a service sends for a finished command, before they are cut into WRTEs."""
    # Raw and PTY services share one pipe for both streams: keep the order they were written.
    merged = output.merged if output.merged is not None else output.stdout + output.stderr
    if request.pty:
        merged = merged.replace(b"\n", b"\r\n")  # the terminal's ONLCR
    if not request.shell_protocol:
        return merged  # one byte stream; the exit status is lost
    stdout, stderr = (merged, b"") if request.pty else (output.stdout, output.stderr)
    frames = [
        encode_shell_frame(frame_id, data[start : start + SHELL_FRAME_DATA])
        for frame_id, data in ((ShellId.STDOUT, stdout), (ShellId.STDERR, stderr))
        for start in range(0, len(data), SHELL_FRAME_DATA)
    ]
    frames.append(encode_shell_frame(ShellId.EXIT, bytes([output.exit_code & 0xFF])))
    return b"".join(frames)


def build_banner(props: dict[str, str], features: Sequence[str]) -> bytes:
    """The CNXN payload adbd sends (`adb.cpp get_connection_string`)."""
    for feature in features:
        if not _FEATURE.fullmatch(feature):
            raise InputError(
                f"feature name {feature!r} cannot go into an adb banner",
                hint="use letters, digits, '_', '-' or '.' only",
            )
        if feature in UNSUPPORTED_FEATURES:
            raise InputError(
                f"the virtual phone does not implement the adb feature {feature!r}",
                hint=f"advertise only what it serves, e.g. {','.join(DEFAULT_FEATURES)}",
            )
    fields = [
        f"{key}={props.get(key, '')}"
        for key in ("ro.product.name", "ro.product.model", "ro.product.device")
    ]
    fields.append("features=" + ",".join(features))
    banner = ("device::" + ";".join(fields)).encode()
    if len(banner) > MAX_PAYLOAD_V1:
        raise InputError(
            f"the virtual phone's CNXN banner is {len(banner)} bytes; adb allows {MAX_PAYLOAD_V1}",
            hint="shorten the persona's product name, model or device",
        )
    return banner


# --- the per-stream log -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One opened stream, as written to `log_path`."""

    time: datetime
    serial: str
    service: str
    command: str


_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(0)), text)


def format_log_line(entry: LogEntry) -> str:
    fields = (entry.time.isoformat(), entry.serial, entry.service, entry.command)
    return "\t".join(_escape(field) for field in fields) + "\n"


def parse_log_line(line: str) -> LogEntry:
    fields = line.rstrip("\n").split("\t")
    if len(fields) != 4:
        raise ValueError(f"not a virtual phone log line (want 4 tab-separated fields): {line!r}")
    when, serial, service, command = (_unescape(field) for field in fields)
    return LogEntry(datetime.fromisoformat(when), serial, service, command)


def read_log(path: str | os.PathLike[str]) -> list[LogEntry]:
    """Every stream logged in `path`, oldest first."""
    text = Path(path).read_text(encoding="utf-8")
    return [parse_log_line(line) for line in text.splitlines() if line]


# --- the server -------------------------------------------------------------------------------


class SimServer:
    """A virtual phone's adbd listening on TCP. Threads: one listener per server, one
    reader per connection, one worker per running command; `stop()` joins them all."""

    def __init__(
        self,
        shell: DeviceShell,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth: str = "accept",
        trusted_keys: Iterable[str | bytes] = (),
        costs: Costs | None = None,
        faults: Faults | None = None,
        log_path: str | os.PathLike[str] | None = None,
        features: Sequence[str] | None = None,
        wrte_size: int = WRTE_SIZE,
    ) -> None:
        if not 0 <= port <= 65535:
            raise InputError(f"port {port} is out of range", hint="use 1-65535, or 0 for any")
        if wrte_size < 1:
            raise InputError(f"WRTE size {wrte_size} must be at least 1 byte")
        self.shell = shell
        self.host = host
        self.port = port
        self.auth = auth
        self.costs = costs if costs is not None else Costs()
        self.faults = faults if faults is not None else Faults()
        self.log_path = Path(log_path) if log_path is not None else None
        # The phone's files for the sync: service, when its shell has any (AndroidDevice).
        self.files: DeviceFiles | None = getattr(shell, "files", None)
        if features is None:
            features = DEFAULT_FEATURES + (sync.FEATURES if self.files is not None else ())
        elif self.files is None and set(features) & set(sync.FEATURES):
            raise InputError(
                "the virtual phone cannot advertise file transfer: its shell has no files",
                hint=f"leave out {', '.join(sync.FEATURES)}",
            )
        self.features = tuple(features)
        self.wrte_size = wrte_size
        self._keys_lock = threading.Lock()
        self._trusted: list[bytes] = []
        self._verifiers: list[rsa.RSAPublicKey] = []
        for number, key in enumerate(trusted_keys, 1):
            self._trust(adbkeys.parse_public_key(key, source=f"trusted key #{number}"))
        self._threads_lock = threading.Lock()
        self._threads: set[threading.Thread] = set()
        self._connections: set[_Connection] = set()
        self._listener: socket.socket | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._listen_thread: threading.Thread | None = None
        self._address: tuple[str, int] | None = None
        self._lifecycle = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self.banner = b""

    # auth can be changed while serving; it applies to the next handshake step.
    @property
    def auth(self) -> str:
        return self._auth

    @auth.setter
    def auth(self, mode: str) -> None:
        if mode not in AUTH_MODES:
            raise InputError(
                f"unknown auth mode {mode!r}", hint=f"use one of: {', '.join(AUTH_MODES)}"
            )
        self._auth = mode

    @property
    def trusted_keys(self) -> tuple[bytes, ...]:
        """Key blobs (524-byte Android structs) this phone trusts, given or allowed so far."""
        with self._keys_lock:
            return tuple(self._trusted)

    @property
    def address(self) -> tuple[str, int]:
        if self._address is None:
            raise RuntimeError("the virtual phone is not listening yet: call start() first")
        return self._address

    @property
    def serial(self) -> str:
        """What `adb devices` shows after `adb connect` to this phone."""
        host, port = self.address
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def start(self) -> None:
        """Listen, and serve in background threads; returns once connections are accepted."""
        with self._lifecycle:
            if self._listen_thread is not None:
                raise RuntimeError("this virtual phone was already started")
            self.banner = build_banner(dict(self.shell.banner()), self.features)
            if self.log_path is not None:
                try:
                    self._append_log(b"")
                except OSError as exc:
                    raise InputError(
                        f"cannot write the stream log {self.log_path}: {exc.strerror or exc}",
                        hint="point the log at a writable file in an existing directory",
                    ) from None
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            try:
                listener = socket.create_server((self.host, self.port), family=family, backlog=128)
            except OSError as exc:
                raise InputError(
                    f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}",
                    hint="choose another port (0 picks a free one) or stop what uses this one",
                ) from None
            listener.setblocking(False)
            self._listener = listener
            self._address = listener.getsockname()[:2]
            self._wake_r, self._wake_w = socket.socketpair()
            self._listen_thread = threading.Thread(
                target=self._listen, name=f"adbd-sim-{self._address[1]}", daemon=True
            )
            self._listen_thread.start()
            add_listener = getattr(self.shell, "add_listener", None)
            if add_listener is not None:
                add_listener(self._on_device_event)

    def stop(self) -> None:
        """Close the listener and every connection (as if adbd died); join all threads.

        Idempotent; a no-op before `start()`; waits for a `start()` under way to finish.
        """
        with self._lifecycle:
            if self._listen_thread is None or self._stopped.is_set():
                return
            self._stopping.set()
            remove_listener = getattr(self.shell, "remove_listener", None)
            if remove_listener is not None:
                remove_listener(self._on_device_event)
            assert self._wake_w is not None
            with contextlib.suppress(OSError):
                self._wake_w.send(b"x")
            self._listen_thread.join()
            for sock in (self._listener, self._wake_r, self._wake_w):
                if sock is not None:
                    sock.close()
            with self._threads_lock:
                connections = list(self._connections)
            for connection in connections:
                connection.shut()
            self._join_threads()
            self._stopped.set()

    def serve_forever(self) -> None:
        """Serve until `stop()` is called from elsewhere or Ctrl-C; then stop."""
        if self._listen_thread is None:
            self.start()
        try:
            # A timed wait keeps Ctrl-C responsive on every platform.
            while not self._stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def drop_connections(self) -> None:
        """Cut every host connection (adbd exited); keep listening (init restarted it)."""
        with self._threads_lock:
            connections = list(self._connections)
        for connection in connections:
            connection.shut()

    def _on_device_event(self, event: str) -> None:
        logger.info("virtual phone %s: %s: dropping connections", self.serial, event)
        self.drop_connections()

    def _device_event(self, event: str, reason: str) -> None:
        """After a restart service's stream closed: adbd exits (or the phone reboots)."""
        if event == "reboot" and hasattr(self.shell, "reboot"):
            self.shell.reboot()
        elif event == "adbd-restart" and hasattr(self.shell, "restart_adbd"):
            self.shell.restart_adbd(reason)
        else:
            self.drop_connections()

    # -- internals used by connections and streams --

    def _trust(self, blob: bytes) -> None:
        key = adbkeys.decode_key_blob(blob)
        with self._keys_lock:
            if blob not in self._trusted:
                self._trusted.append(blob)
                self._verifiers.append(key)

    def _signature_trusted(self, token: bytes, signature: bytes) -> bool:
        with self._keys_lock:
            verifiers = list(self._verifiers)
        return any(adbkeys.signature_matches(key, token, signature) for key in verifiers)

    def _log_stream(self, request: ServiceRequest) -> None:
        if self.log_path is None:
            return
        entry = LogEntry(datetime.now(UTC), self.serial, request.service, request.command)
        try:
            self._append_log(format_log_line(entry).encode("utf-8"))
        except OSError as exc:  # a full disk must not look like a dead phone
            logger.warning("virtual phone %s: cannot log a stream: %s", self.serial, exc)

    def _append_log(self, line: bytes) -> None:
        assert self.log_path is not None
        # One O_APPEND write per line, so phones sharing a log file never interleave lines.
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        def run() -> None:
            try:
                target()
            finally:
                with self._threads_lock:
                    self._threads.discard(thread)

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._threads_lock:
            self._threads.add(thread)
        thread.start()

    def _join_threads(self) -> None:
        deadline = time.monotonic() + JOIN_TIMEOUT_S
        while True:
            with self._threads_lock:
                pending = [t for t in self._threads if t is not threading.current_thread()]
            if not pending:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            pending[0].join(remaining)
        logger.warning(
            "virtual phone stopped with threads still running: %s",
            sorted(t.name for t in pending),
        )

    def _listen(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            count = 0
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    try:
                        sock, peer = self._listener.accept()
                    except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                        continue
                    except OSError:
                        logger.exception("virtual phone %s: accept failed", self.serial)
                        return
                    count += 1
                    self._accept(sock, peer, count)

    def _accept(self, sock: socket.socket, peer: object, count: int) -> None:
        sock.setblocking(True)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = _Connection(self, sock)
        with self._threads_lock:
            self._connections.add(connection)

        def serve() -> None:
            try:
                connection.serve()
            finally:
                with self._threads_lock:
                    self._connections.discard(connection)

        logger.debug("virtual phone %s: connection %d from %s", self.serial, count, peer)
        self._spawn(f"adbd-sim-{self.address[1]}-c{count}", serve)


class _Connection:
    """One TCP connection from a host: handshake, packet dispatch, the stream table."""

    def __init__(self, server: SimServer, sock: socket.socket) -> None:
        self.server = server
        self.sock = sock
        self.version = A_VERSION
        self.max_payload = MAX_PAYLOAD
        self.online = False
        self.token: bytes | None = None
        self._send_lock = threading.Lock()
        self._streams_lock = threading.Lock()
        self._streams: dict[int, _Stream] = {}
        self._next_id = 1
        self._closed = False

    # -- I/O --

    def send(self, packet: Packet) -> bool:
        """Send one packet; False when the connection is gone."""
        data = encode_packet(packet, with_checksum=needs_checksum(self.version))
        with self._send_lock:
            if self._closed:
                return False
            try:
                self.sock.sendall(data)
            except OSError:
                self.shut()
                return False
        return True

    def shut(self) -> None:
        """Cut the TCP connection now, with no CLSE: what a pulled cable or dead adbd gives.

        The reader thread sees EOF and closes the socket once no one is sending.
        """
        self._closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        for stream in self._take_streams():
            stream.end()

    def _recv_exact(self, size: int) -> bytes | None:
        buffer = bytearray(size)
        view = memoryview(buffer)
        received = 0
        while received < size:
            n = self.sock.recv_into(view[received:])
            if n == 0:
                return None
            received += n
        return bytes(buffer)

    def _read_packet(self) -> Packet | None:
        raw = self._recv_exact(HEADER_SIZE)
        if raw is None:
            return None
        header = decode_header(raw, max_payload=self.max_payload)
        data = self._recv_exact(header.data_length) if header.data_length else b""
        if data is None:
            return None
        return Packet(header.command, header.arg0, header.arg1, data)

    def serve(self) -> None:
        try:
            while not self._closed:
                packet = self._read_packet()
                if packet is None:
                    break
                self._dispatch(packet)
        except ProtocolError as exc:
            logger.info("virtual phone %s: dropping connection: %s", self.server.serial, exc)
        except OSError as exc:
            logger.debug("virtual phone %s: connection ended: %s", self.server.serial, exc)
        finally:
            self.shut()
            with self._send_lock:
                self.sock.close()

    # -- packets --

    def _dispatch(self, packet: Packet) -> None:
        command = packet.command
        if command == A_CNXN:
            self._on_connect(packet)
        elif command == A_AUTH:
            self._on_auth(packet)
        elif not self.online:
            return  # adbd ignores stream traffic before the handshake is done
        elif command == A_OPEN:
            self._on_open(packet)
        elif command == A_OKAY:
            stream = self._find(packet.arg1, packet.arg0)
            if stream is not None:
                stream.acked()
        elif command == A_WRTE:
            stream = self._find(packet.arg1, packet.arg0)
            if stream is not None:  # stdin, close-stdin or window-size: consumed and ACKed
                stream.received(packet.data)
                self.send(Packet(A_OKAY, stream.local_id, stream.remote_id))
        elif command == A_CLSE:
            stream = self._find(packet.arg1, packet.arg0)
            if stream is not None:
                self._forget(stream)
                if stream.end():  # the host closed first: adbd answers with its own CLSE
                    self.send(Packet(A_CLSE, stream.local_id, stream.remote_id))
        # anything else (STLS, SYNC, unknown) is ignored, as protocol.txt asks

    def _on_connect(self, packet: Packet) -> None:
        if self.online:  # a new CNXN restarts the session: its streams are gone
            for stream in self._take_streams():
                stream.end()
        self.online = False
        self.version = min(packet.arg0, A_VERSION)
        self.max_payload = max(1, min(packet.arg1, MAX_PAYLOAD))
        if self.server.auth == "off":
            self._send_connect()
        else:
            self._send_token()

    def _on_auth(self, packet: Packet) -> None:
        if self.online or self.token is None:
            return
        if packet.arg0 == AUTH_SIGNATURE:
            if self.server._signature_trusted(self.token, packet.data):
                self._send_connect()
            else:
                self._send_token()
        elif packet.arg0 == AUTH_RSAPUBLICKEY:
            try:
                blob = adbkeys.parse_public_key(packet.data, source="the host's public key")
            except InputError as exc:
                logger.info("virtual phone %s: %s", self.server.serial, exc.message)
                return
            if self.server.auth == "accept":  # the user taps "Allow"
                self.server._trust(blob)
                self._send_connect()
            # "reject": the dialog stays unanswered, the host hears nothing

    def _send_token(self) -> None:
        self.token = os.urandom(TOKEN_SIZE)
        self.send(Packet(A_AUTH, AUTH_TOKEN, 0, self.token))

    def _send_connect(self) -> None:
        self.token = None
        self.online = True
        self.send(Packet(A_CNXN, A_VERSION, self.max_payload, self.server.banner))

    def _on_open(self, packet: Packet) -> None:
        remote_id = packet.arg0
        if remote_id == 0:
            return
        name = packet.data.rstrip(b"\0").decode("utf-8", "replace")
        request = parse_service(name)
        files = self.server.files
        if request is None or (request.service == "sync" and files is None):
            self.send(Packet(A_CLSE, 0, remote_id))
            return
        with self._streams_lock:
            local_id = self._next_id
            self._next_id += 1
            stream: _Stream
            if request.service == "sync" and files is not None:
                stream = _SyncStream(self, local_id, remote_id, request, files)
            else:
                stream = _Stream(self, local_id, remote_id, request)
            self._streams[local_id] = stream
        self.server._log_stream(request)
        self.server._spawn(f"adbd-sim-{self.server.address[1]}-s{local_id}", stream.run)

    # -- stream table --

    def _find(self, local_id: int, remote_id: int) -> _Stream | None:
        with self._streams_lock:
            stream = self._streams.get(local_id)
        if stream is None or stream.remote_id != remote_id:
            return None
        return stream

    def _forget(self, stream: _Stream) -> None:
        with self._streams_lock:
            if self._streams.get(stream.local_id) is stream:
                del self._streams[stream.local_id]

    def _take_streams(self) -> list[_Stream]:
        with self._streams_lock:
            streams = list(self._streams.values())
            self._streams.clear()
        return streams


class _Stream:
    """One opened shell/exec service: runs its command, sends the output under flow control."""

    def __init__(
        self, connection: _Connection, local_id: int, remote_id: int, request: ServiceRequest
    ) -> None:
        self.connection = connection
        self.local_id = local_id
        self.remote_id = remote_id
        self.request = request
        self._cond = threading.Condition()
        self._acked = False
        self._ended = False

    def acked(self) -> None:
        with self._cond:
            self._acked = True
            self._cond.notify_all()

    def received(self, data: bytes) -> None:
        """A WRTE from the host: a shell's stdin and v2 control frames are dropped."""

    def end(self) -> bool:
        """The host closed the stream, or the connection went away: stop sending. True when
        the stream was still open (the device had not closed it itself)."""
        with self._cond:
            was_open = not self._ended
            self._ended = True
            self._cond.notify_all()
            return was_open

    @property
    def ended(self) -> bool:
        with self._cond:
            return self._ended

    def run(self) -> None:
        server = self.connection.server
        try:
            sleep(server.costs.round_trip_s)
            if self.ended or not self._send(Packet(A_OKAY, self.local_id, self.remote_id)):
                return
            if self.request.service in CONTROL_SERVICES:
                reply, event = control_reply(self.request)
                if reply and not self._send_data(reply):
                    return
                self._close()
                if event is not None:
                    reason = "adb " + self.request.service
                    server._device_event(event, reason)
                return
            try:
                output = server.shell.run(self.request.command)
            except ConnectionDropped as exc:
                logger.debug("virtual phone %s: %s", server.serial, exc)
                self.connection.shut()
                return
            except Exception:
                logger.exception(
                    "virtual phone %s: the shell failed on %r", server.serial, self.request.command
                )
                self._close()
                return
            if self._send_data(render_output(self.request, output)):
                self._close()
        finally:
            self.connection._forget(self)

    def _send(self, packet: Packet) -> bool:
        return not self.ended and self.connection.send(packet)

    def _close(self) -> None:
        if not self.ended:
            self.connection.send(Packet(A_CLSE, self.local_id, self.remote_id))
            self.end()

    def _send_data(self, data: bytes) -> bool:
        """WRTE `data` one chunk at a time, each after the host's OKAY for the previous one.

        Returns False when the stream ended on the way (closed, dropped or stalled).
        """
        server = self.connection.server
        size = min(server.wrte_size, self.connection.max_payload)
        view = memoryview(data)
        for start in range(0, len(data), size):
            chunk = view[start : start + size]
            allowed, fault = server.faults.allow_bytes(len(chunk))
            if allowed and not self._write(bytes(chunk[:allowed]), wait=fault != "stall"):
                return False
            if fault == "drop":
                self.connection.shut()
                return False
            if fault == "stall":
                self._wait_until_ended()
                return False
        return True

    def _write(self, chunk: bytes, *, wait: bool) -> bool:
        with self._cond:
            self._acked = False
        if not self._send(Packet(A_WRTE, self.local_id, self.remote_id, chunk)):
            return False
        if not wait:
            return True
        with self._cond:
            while not self._acked and not self._ended:
                self._cond.wait()
            return not self._ended

    def _wait_until_ended(self) -> None:
        with self._cond:
            while not self._ended:
                self._cond.wait()


class _SyncStream(_Stream):
    """A `sync:` stream: the host's WRTEs are one byte stream of sync requests
    (`hardener.sim.sync`), answered under the same flow control as shell output."""

    def __init__(
        self,
        connection: _Connection,
        local_id: int,
        remote_id: int,
        request: ServiceRequest,
        files: DeviceFiles,
    ) -> None:
        super().__init__(connection, local_id, remote_id, request)
        self.files = files
        self._input = bytearray()

    def received(self, data: bytes) -> None:
        with self._cond:
            self._input += data
            self._cond.notify_all()

    def read_exact(self, size: int) -> bytes | None:
        with self._cond:
            while len(self._input) < size and not self._ended:
                self._cond.wait()
            if len(self._input) < size:
                return None
            data = bytes(self._input[:size])
            del self._input[:size]
            return data

    def run(self) -> None:
        server = self.connection.server
        try:
            sleep(server.costs.round_trip_s)
            if self.ended or not self._send(Packet(A_OKAY, self.local_id, self.remote_id)):
                return
            try:
                sync.SyncSession(self.files, self.read_exact, self._send_data).serve()
            except Exception:
                logger.exception("virtual phone %s: the sync service failed", server.serial)
            self._close()
        finally:
            self.connection._forget(self)
