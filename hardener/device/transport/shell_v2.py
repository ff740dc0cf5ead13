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
    """Feed socket bytes; collects stdout+stderr in arrival order and the exit status.

    Data is taken as it arrives, even from a frame not yet complete, so that output
    received before a drop is kept.
    """

    def __init__(self) -> None:
        self._header = bytearray()
        self._kind = -1
        self._left = 0  # payload bytes still to come in the current frame
        self.output = bytearray()
        self.exit_code: int | None = None

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._left == 0:
                need = _HEADER.size - len(self._header)
                self._header += view[:need]
                view = view[need:]
                if len(self._header) < _HEADER.size:
                    return
                self._kind, self._left = _HEADER.unpack(self._header)
                self._header.clear()
                if self._left == 0:
                    self._kind = -1
                continue
            take = view[: self._left]
            view = view[len(take) :]
            self._left -= len(take)
            if self._kind in (STDOUT, STDERR):
                self.output += take
            elif self._kind == EXIT and take:
                self.exit_code = take[0]
            if self._left == 0:
                self._kind = -1

    @property
    def finished(self) -> bool:
        return self.exit_code is not None
