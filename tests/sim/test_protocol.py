"""Packet framing and shell v2 frames, checked against the rules real clients enforce."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.sim.protocol import (
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_VERSION_MIN,
    A_VERSION_SKIP_CHECKSUM,
    A_WRTE,
    HEADER,
    HEADER_SIZE,
    Packet,
    ProtocolError,
    ShellFrameDecoder,
    ShellId,
    checksum,
    decode_header,
    encode_packet,
    encode_shell_frame,
    needs_checksum,
)

u32 = st.integers(min_value=0, max_value=0xFFFFFFFF)


@given(
    command=st.sampled_from([A_CNXN, A_OKAY, A_WRTE, A_CLSE]),
    arg0=u32,
    arg1=u32,
    data=st.binary(max_size=2048),
    with_checksum=st.booleans(),
)
def test_packets_round_trip_through_their_header(command, arg0, arg1, data, with_checksum):
    raw = encode_packet(Packet(command, arg0, arg1, data), with_checksum=with_checksum)
    header = decode_header(raw[:HEADER_SIZE], max_payload=4096)
    assert (header.command, header.arg0, header.arg1, header.data_length) == (
        command,
        arg0,
        arg1,
        len(data),
    )
    assert raw[HEADER_SIZE:] == data
    assert header.data_check == (sum(data) % 2**32 if with_checksum else 0)


def test_checksum_is_the_byte_sum_adb_shell_expects():
    # adb_shell computes sum(bytearray(data)) & 0xFFFFFFFF and compares it.
    assert checksum(b"") == 0
    assert checksum(b"\xff" * 3) == 765
    assert checksum(b"host::\0") == sum(b"host::")


def test_only_version_0x01000000_needs_checksums():
    assert needs_checksum(A_VERSION_MIN)
    assert not needs_checksum(A_VERSION_SKIP_CHECKSUM)


def test_a_bad_magic_is_rejected():
    raw = bytearray(encode_packet(Packet(A_OKAY, 1, 2), with_checksum=False))
    raw[20] ^= 0x01
    with pytest.raises(ProtocolError, match="magic"):
        decode_header(bytes(raw), max_payload=4096)


def test_a_payload_above_max_payload_is_rejected():
    raw = HEADER.pack(A_WRTE, 1, 2, 4097, 0, A_WRTE ^ 0xFFFFFFFF)
    with pytest.raises(ProtocolError, match="4097"):
        decode_header(raw, max_payload=4096)
    assert decode_header(raw, max_payload=4097).data_length == 4097


def test_a_short_header_is_rejected():
    with pytest.raises(ProtocolError, match="short"):
        decode_header(b"\0" * 10, max_payload=4096)


frames = st.lists(st.tuples(st.sampled_from(list(ShellId)), st.binary(max_size=300)), max_size=8)


@given(frames=frames, cuts=st.lists(st.integers(min_value=0, max_value=3000), max_size=12))
def test_shell_frames_survive_any_cutting_into_writes(frames, cuts):
    stream = b"".join(encode_shell_frame(frame_id, data) for frame_id, data in frames)
    points = sorted({0, len(stream), *(c for c in cuts if c < len(stream))})
    decoder = ShellFrameDecoder()
    decoded = []
    for start, end in itertools.pairwise(points):
        decoded += decoder.feed(stream[start:end])
    assert decoded == [(int(frame_id), data) for frame_id, data in frames]
    assert decoder.pending == 0


def test_exit_frame_layout_matches_shell_protocol_h():
    assert encode_shell_frame(ShellId.EXIT, b"\x03") == b"\x03\x01\x00\x00\x00\x03"
    assert encode_shell_frame(ShellId.CLOSE_STDIN, b"") == b"\x04\x00\x00\x00\x00"
