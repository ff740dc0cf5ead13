"""The `sync:` service byte for byte (AOSP file_sync_service.cpp), without a network."""

from __future__ import annotations

import errno
import io
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.sim import sync
from hardener.sim.android.storage import FileSystem


def session(data: bytes, files: FileSystem | None = None) -> tuple[bytes, FileSystem]:
    files = files or FileSystem(clock=lambda: 1_800_000_000)
    source = io.BytesIO(data)
    out: list[bytes] = []

    def read_exact(n: int) -> bytes | None:
        chunk = source.read(n)
        return chunk if len(chunk) == n else None

    sync.SyncSession(files, read_exact, lambda b: out.append(b) or True).serve()
    return b"".join(out), files


def request(ident: bytes, path: bytes) -> bytes:
    return ident + struct.pack("<I", len(path)) + path


def test_stat_v1_of_a_file_and_of_nothing():
    files = FileSystem(clock=lambda: 1_800_000_000)
    files.write("/data/local/tmp/a", b"abc", mode=0o644)
    out, _ = session(request(b"STAT", b"/data/local/tmp/a") + request(b"STAT", b"/nope"), files)
    assert out[:16] == struct.pack("<4sIII", b"STAT", 0o100644, 3, 1_800_000_000)
    assert out[16:] == struct.pack("<4sIII", b"STAT", 0, 0, 0)


def test_stat_v2_carries_the_errno():
    out, _ = session(request(b"STA2", b"/nope") + request(b"LST2", b"/data/local/tmp"))
    ident, error = struct.unpack_from("<4sI", out)
    assert (ident, error) == (b"STA2", errno.ENOENT)
    ident, error, _dev, _ino, mode = struct.unpack_from("<4sIQQI", out, 72)
    assert (ident, error, mode) == (b"LST2", 0, 0o40771)
    assert len(out) == 144


def test_list_gives_dot_entries_then_done():
    files = FileSystem()
    files.write("/data/local/tmp/x", b"1")
    out, _ = session(request(b"LIST", b"/data/local/tmp"), files)
    names = []
    offset = 0
    while True:
        ident, _mode, _size, _mtime, length = struct.unpack_from("<4sIIII", out, offset)
        offset += 20
        if ident == b"DONE":
            break
        names.append(out[offset : offset + length])
        offset += length
    assert names == [b".", b"..", b"x"] and offset == len(out)


def test_a_folder_that_cannot_be_opened_lists_as_just_done():
    out, _ = session(request(b"LIS2", b"/data/app"))
    assert out[:4] == b"DONE" and len(out) == 76


def test_send_v1_writes_the_file_with_mode_and_mtime():
    """adbd copies the owner's bits to group and others (send_impl): 0640 lands as 0666."""
    body = b"hello"
    data = (
        request(b"SEND", b"/data/local/tmp/new/f,0640")
        + b"DATA" + struct.pack("<I", len(body)) + body
        + b"DONE" + struct.pack("<I", 1_234_567)
    )  # fmt: skip
    out, files = session(data)
    assert out == b"OKAY" + b"\0" * 4
    info = files.stat("/data/local/tmp/new/f")
    assert (files.read("/data/local/tmp/new/f"), info.mode & 0o777, info.mtime) == (
        body,
        0o666,
        1_234_567,
    )


def test_send_v2_with_compression_is_refused_and_the_data_drained():
    data = (
        request(b"SND2", b"/data/local/tmp/f")
        + b"SND2" + struct.pack("<II", 0o644, sync.FLAG_LZ4)
        + b"DATA" + struct.pack("<I", 2) + b"xx" + b"DONE" + b"\0" * 4
        + request(b"STAT", b"/")
    )  # fmt: skip
    out, files = session(data)
    assert out.startswith(b"FAIL") and b"decompress failed" in out
    assert not files.exists("/data/local/tmp/f")


def test_recv_v2_sends_data_in_64k_pieces():
    files = FileSystem()
    files.write("/sdcard/big", b"z" * (sync.SYNC_DATA_MAX + 10))
    out, _ = session(request(b"RCV2", b"/sdcard/big") + b"RCV2" + b"\0" * 4, files)
    assert struct.unpack_from("<4sI", out) == (b"DATA", sync.SYNC_DATA_MAX)
    second = 8 + sync.SYNC_DATA_MAX
    assert struct.unpack_from("<4sI", out, second) == (b"DATA", 10)
    assert out[second + 18 :] == b"DONE" + b"\0" * 4


def test_recv_of_a_missing_file_fails_with_strerror():
    out, _ = session(request(b"RECV", b"/data/local/tmp/none"))
    assert out == sync.fail("open failed: No such file or directory")


def test_unknown_requests_and_long_paths_end_the_service():
    assert session(request(b"XXXX", b"/"))[0] == sync.fail("unknown command 58585858")
    assert session(struct.pack("<4sI", b"STAT", 5000))[0] == sync.fail("path too long")


def test_quit_stops_before_later_requests():
    assert session(b"QUIT" + b"\0" * 4 + request(b"STAT", b"/"))[0] == b""


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_never_raise(data):
    session(data)


@settings(max_examples=200)
@given(
    st.sampled_from(
        [b"STAT", b"STA2", b"LST2", b"LIST", b"LIS2", b"SEND", b"SND2", b"RECV", b"RCV2", b"QUIT"]
    ),
    st.binary(max_size=60),
    st.binary(max_size=60),
)
def test_any_request_with_any_tail_never_raises(ident, path, tail):
    session(request(ident, path) + tail)


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"," not in b))
def test_any_pushed_name_can_be_listed_and_read_back(name):
    from hardener.sim.android import load_persona

    phone = load_persona("pixel-14")
    path = b"/data/local/tmp/" + name
    data = request(b"SEND", path + b",420") + b"DATA" + struct.pack("<I", 2) + b"ok"
    data += b"DONE" + struct.pack("<I", 0)
    out, _ = session(data, phone.files)
    if out != b"OKAY" + b"\0" * 4:
        return  # `.` or `..`: not a file name
    listing = phone.run("ls /data/local/tmp")
    assert listing.exit_code == 0
    back, _ = session(request(b"RECV", path), phone.files)
    assert back == b"DATA" + struct.pack("<I", 2) + b"ok" + b"DONE" + b"\0" * 4
