"""Shell protocol v2 decoding, whatever way the bytes are cut by the socket."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from hardener.device.transport.shell_v2 import CLOSE_STDIN_FRAME, FrameDecoder


def frame(kind: int, data: bytes) -> bytes:
    return struct.pack("<BI", kind, len(data)) + data


@given(
    st.lists(st.tuples(st.sampled_from([1, 2, 5]), st.binary(max_size=50)), max_size=8),
    st.integers(min_value=0, max_value=255),
    st.lists(st.integers(min_value=1, max_value=17), min_size=1, max_size=30),
)
def test_frames_decode_across_any_split(
    frames: list[tuple[int, bytes]], code: int, cuts: list[int]
) -> None:
    stream = b"".join(frame(k, d) for k, d in frames) + frame(3, bytes([code]))
    decoder = FrameDecoder()
    position, i = 0, 0
    while position < len(stream):
        size = cuts[i % len(cuts)]
        assert not decoder.finished
        decoder.feed(stream[position : position + size])
        position, i = position + size, i + 1
    assert decoder.finished and decoder.exit_code == code
    assert bytes(decoder.output) == b"".join(d for k, d in frames if k in (1, 2))


def test_truncated_stream_has_no_exit_status() -> None:
    decoder = FrameDecoder()
    decoder.feed(frame(1, b"partial output") + frame(3, b"\x00")[:3])
    assert not decoder.finished and bytes(decoder.output) == b"partial output"


def test_close_stdin_frame_is_id_4_with_no_data() -> None:
    assert CLOSE_STDIN_FRAME == b"\x04\x00\x00\x00\x00"


def test_data_of_a_frame_still_arriving_is_kept() -> None:
    decoder = FrameDecoder()
    decoder.feed(frame(1, b"0123456789")[:9])
    assert bytes(decoder.output) == b"0123"
    decoder.feed(b"456789" + frame(2, b"")[:2])
    assert bytes(decoder.output) == b"0123456789" and not decoder.finished
