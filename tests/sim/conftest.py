"""Fixtures for the ADB server tests: a tiny scripted DeviceShell and a raw protocol host.

The scripted shell stands in for the Android model so these tests exercise only the
protocol server. Its commands, separated by `;` (each one counts for `drop_after_commands`):

    echo WORDS...   stdout, `$?` replaced by the last exit code
    err WORDS...    the words on stderr
    true / false    exit 0 / 1
    exit N          stop here with code N
    bytes N [SEED]  N pseudo-random bytes on stdout (same SEED, same bytes)
    sleep S         sleep S seconds
    drop            raise ConnectionDropped (the link dies mid-command)
    anything else   `/system/bin/sh: X: inaccessible or not found` on stderr, code 127
"""

from __future__ import annotations

import random
import shlex
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pytest

from hardener.sim.adbd import SimServer
from hardener.sim.device import ShellOutput
from hardener.sim.faults import ConnectionDropped, Faults
from hardener.sim.protocol import (
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_VERSION,
    A_WRTE,
    HEADER_SIZE,
    Packet,
    decode_header,
    encode_packet,
)

BANNER = {
    "ro.product.name": "fakephone",
    "ro.product.model": "Fake_Phone_1",
    "ro.product.device": "fakedev",
}


def pseudo_random_bytes(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


@dataclass
class ScriptedShell:
    """A DeviceShell whose behaviour each test can read off its command line."""

    faults: Faults | None = None
    commands: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def banner(self) -> Mapping[str, str]:
        return BANNER

    def serial(self) -> str:
        return "FAKE0001"

    def run(self, command: str) -> ShellOutput:
        with self._lock:
            self.commands.append(command)
        out, err, merged, code = bytearray(), bytearray(), bytearray(), 0
        for part in command.split(";"):
            argv = [arg.replace("$?", str(code)) for arg in shlex.split(part)]
            if not argv:
                continue
            if self.faults is not None:
                self.faults.before_command()
            name, args = argv[0], argv[1:]
            if name == "echo":
                out += (" ".join(args) + "\n").encode()
                merged += (" ".join(args) + "\n").encode()
                code = 0
            elif name == "err":
                err += (" ".join(args) + "\n").encode()
                merged += (" ".join(args) + "\n").encode()
                code = 0
            elif name in ("true", "false"):
                code = int(name == "false")
            elif name == "exit":
                code = int(args[0]) if args else code
                return ShellOutput(bytes(out), bytes(err), code, bytes(merged))
            elif name == "bytes":
                data = pseudo_random_bytes(int(args[0]), int(args[1]) if len(args) > 1 else 0)
                out += data
                merged += data
                code = 0
            elif name == "sleep":
                time.sleep(float(args[0]))
                code = 0
            elif name == "drop":
                raise ConnectionDropped("scripted drop")
            else:
                message = f"/system/bin/sh: {name}: inaccessible or not found\n".encode()
                err += message
                merged += message
                code = 127
        return ShellOutput(bytes(out), bytes(err), code, bytes(merged))


@pytest.fixture
def make_phone() -> Iterator[Callable[..., SimServer]]:
    """Start a SimServer over a ScriptedShell (sharing the server's Faults); stop at teardown."""
    servers: list[SimServer] = []

    def make(**kwargs: object) -> SimServer:
        faults = kwargs.setdefault("faults", Faults())
        assert isinstance(faults, Faults)
        server = SimServer(ScriptedShell(faults=faults), **kwargs)  # type: ignore[arg-type]
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


class RawHost:
    """A minimal ADB host speaking packets directly, to see exactly what the phone sends."""

    def __init__(self, address: tuple[str, int], *, version: int, maxdata: int) -> None:
        self.sock = socket.create_connection(address, timeout=5)
        self.version = version
        self.maxdata = maxdata
        self.received: list[tuple[Packet, int]] = []  # packet and the checksum it carried

    def close(self) -> None:
        self.sock.close()

    def send(self, packet: Packet) -> None:
        self.sock.sendall(encode_packet(packet, with_checksum=True))

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the phone closed the connection")
            data += chunk
        return data

    def read(self, timeout: float = 5) -> Packet:
        self.sock.settimeout(timeout)
        header = decode_header(self._recv_exact(HEADER_SIZE), max_payload=1 << 24)
        data = self._recv_exact(header.data_length) if header.data_length else b""
        packet = Packet(header.command, header.arg0, header.arg1, data)
        self.received.append((packet, header.data_check))
        return packet

    def nothing_within(self, seconds: float) -> bool:
        """True when the phone sends nothing for `seconds` (and keeps the connection open)."""
        self.sock.settimeout(seconds)
        try:
            data = self.sock.recv(1, socket.MSG_PEEK)
        except TimeoutError:
            return True
        if not data:
            raise ConnectionError("the phone closed the connection")
        return False

    def connect(self) -> Packet:
        self.send(Packet(A_CNXN, self.version, self.maxdata, b"host::rawtest\0"))
        return self.read()

    def open(self, local_id: int, service: str) -> Packet:
        self.send(Packet(A_OPEN, local_id, 0, service.encode() + b"\0"))
        return self.read()

    def collect(self, local_id: int, *, ack: bool = True) -> tuple[bytes, list[int]]:
        """Read the stream opened as `local_id` to its CLSE: its data and WRTE sizes."""
        data, sizes = bytearray(), []
        while True:
            packet = self.read()
            if packet.arg1 != local_id:
                continue
            if packet.command == A_WRTE:
                data += packet.data
                sizes.append(len(packet.data))
                if ack:
                    self.send(Packet(A_OKAY, local_id, packet.arg0))
            elif packet.command == A_CLSE:
                return bytes(data), sizes


@pytest.fixture
def raw_host() -> Iterator[Callable[..., RawHost]]:
    hosts: list[RawHost] = []

    def make(server: SimServer, *, version: int = A_VERSION, maxdata: int = 1 << 20) -> RawHost:
        host = RawHost(server.address, version=version, maxdata=maxdata)
        hosts.append(host)
        return host

    yield make
    for host in hosts:
        host.close()
