"""adbd's shell protocol v2 (`shell,v2:`): frames of `u8 id, u32le length, data`.

Through an adb server a dropped phone looks exactly like a command that ended: the socket
just closes. With v2 the end is explicit (an exit frame), so a missing exit frame means
the output is truncated. Frames do not line up with socket reads, so this decoder is
incremental (AOSP `shell_protocol.h`).
"""

from __future__ import annotations

import struct

STDIN, STDOUT, STDERR, EXIT, CLOSE_STDIN, WINDOW_SIZE = 0, 1, 2, 3, 4, 5
_HEADER = struct.Struct("<BI")

# Sent right after the service opens: the script never reads stdin, and a command that
# does gets EOF at once instead of waiting for the timeout.
CLOSE_STDIN_FRAME = _HEADER.pack(CLOSE_STDIN, 0)


class FrameDecoder:
    """Feed socket bytes; collects stdout+stderr in arrival order and the exit status."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.output = bytearray()
        self.exit_code: int | None = None

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            kind, length = _HEADER.unpack_from(self._buffer)
            end = _HEADER.size + length
            if len(self._buffer) < end:
                return
            payload = bytes(self._buffer[_HEADER.size : end])
            del self._buffer[:end]
            if kind in (STDOUT, STDERR):
                self.output += payload
            elif kind == EXIT and payload:
                self.exit_code = payload[0]

    @property
    def finished(self) -> bool:
        return self.exit_code is not None
