"""ADB wire framing: the 24-byte packet header and the shell protocol v2 frames.

Pure byte-level code, no sockets, so the rules that real clients are strict about
(magic, checksums for version 0x01000000 peers, payload limits) are tested on their own.
Sources: AOSP `adb/protocol.txt`, `adb.h`, `transport.cpp` (`send_packet`, `check_header`),
`shell_protocol.h`; see ../shared/research/adb-transport.md §4.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

A_CNXN = 0x4E584E43
A_AUTH = 0x48545541
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_WRTE = 0x45545257
A_CLSE = 0x45534C43
A_STLS = 0x534C5453  # TLS upgrade (wireless debugging): the simulator never sends it

COMMAND_NAMES = {
    A_CNXN: "CNXN",
    A_AUTH: "AUTH",
    A_OPEN: "OPEN",
    A_OKAY: "OKAY",
    A_WRTE: "WRTE",
    A_CLSE: "CLSE",
    A_STLS: "STLS",
}

A_VERSION_MIN = 0x01000000
A_VERSION_SKIP_CHECKSUM = 0x01000001  # from this version on, checksums are 0 and unchecked
A_VERSION = 0x01000001  # what current adbd answers

MAX_PAYLOAD_V1 = 4096  # CNXN/AUTH payloads, and old hosts' maxdata
MAX_PAYLOAD = 1024 * 1024  # adbd's own maxdata since Android P

AUTH_TOKEN = 1
AUTH_SIGNATURE = 2
AUTH_RSAPUBLICKEY = 3
TOKEN_SIZE = 20  # the host signs it as a prehashed SHA-1 digest, so exactly 20 bytes

HEADER = struct.Struct("<6I")
HEADER_SIZE = HEADER.size  # 24


class ProtocolError(Exception):
    """The peer sent bytes that are not a valid ADB packet; adbd drops such a transport."""


@dataclass(frozen=True)
class Header:
    """A decoded packet header; `data_length` bytes of payload follow it on the wire."""

    command: int
    arg0: int
    arg1: int
    data_length: int
    data_check: int


@dataclass(frozen=True)
class Packet:
    """One ADB message."""

    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    @property
    def name(self) -> str:
        return command_name(self.command)


def command_name(command: int) -> str:
    return COMMAND_NAMES.get(command, f"0x{command:08x}")


def checksum(data: bytes) -> int:
    """The v1 checksum: the unsigned byte sum of the payload, modulo 2**32."""
    return sum(data) & 0xFFFFFFFF


def needs_checksum(version: int) -> bool:
    """Whether packets sent under this negotiated version must carry a real checksum.

    adb-shell negotiates 0x01000000 and rejects a packet whose checksum is 0.
    """
    return version < A_VERSION_SKIP_CHECKSUM


def encode_packet(packet: Packet, *, with_checksum: bool) -> bytes:
    """Header and payload as one buffer, so they leave in a single send."""
    check = checksum(packet.data) if with_checksum else 0
    header = HEADER.pack(
        packet.command,
        packet.arg0 & 0xFFFFFFFF,
        packet.arg1 & 0xFFFFFFFF,
        len(packet.data),
        check,
        packet.command ^ 0xFFFFFFFF,
    )
    return header + packet.data


def decode_header(raw: bytes, *, max_payload: int) -> Header:
    """Parse 24 header bytes; checks what adbd's `check_header` checks (magic, length)."""
    if len(raw) != HEADER_SIZE:
        raise ProtocolError(f"short packet header: {len(raw)} of {HEADER_SIZE} bytes")
    command, arg0, arg1, length, check, magic = HEADER.unpack(raw)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic 0x{magic:08x} for command 0x{command:08x}")
    if length > max_payload:
        raise ProtocolError(
            f"{command_name(command)} payload of {length} bytes exceeds max payload {max_payload}"
        )
    return Header(command, arg0, arg1, length, check)


# --- shell protocol v2 (`shell,v2:`) ---------------------------------------------------------


class ShellId(IntEnum):
    """Frame ids of the shell protocol (`shell_protocol.h`)."""

    STDIN = 0
    STDOUT = 1
    STDERR = 2
    EXIT = 3
    CLOSE_STDIN = 4
    WINDOW_SIZE_CHANGE = 5


SHELL_FRAME_HEADER = struct.Struct("<BI")


def encode_shell_frame(frame_id: int, data: bytes) -> bytes:
    """One frame: u8 id, u32le length, data."""
    return SHELL_FRAME_HEADER.pack(frame_id, len(data)) + data


class ShellFrameDecoder:
    """Reassembles v2 frames from a byte stream cut at arbitrary (WRTE) boundaries."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """Add bytes; return every frame they complete, in order."""
        self._buffer += data
        frames: list[tuple[int, bytes]] = []
        while len(self._buffer) >= SHELL_FRAME_HEADER.size:
            frame_id, length = SHELL_FRAME_HEADER.unpack_from(self._buffer)
            end = SHELL_FRAME_HEADER.size + length
            if len(self._buffer) < end:
                break
            frames.append((frame_id, bytes(self._buffer[SHELL_FRAME_HEADER.size : end])))
            del self._buffer[:end]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back because their frame is not complete yet."""
        return len(self._buffer)
