"""adbd's `sync:` service (file transfer: `adb push`, `adb pull`, `adb ls`, `adb bugreport`).

Follows AOSP packages/modules/adb `daemon/file_sync_service.cpp` and `file_sync_protocol.h`
(read in the GrapheneOS mirror, platform_packages_modules_adb): a byte stream of requests,
each `id:u32le, path_length:u32le, path` (path at most 1024 bytes), answered in turn:

* `STAT` (lstat, v1): `STAT mode size mtime` (all zero when the path is missing);
* `STA2`/`LST2` (stat/lstat, v2, feature `stat_v2`): `id error dev ino mode nlink uid gid
  size atime mtime ctime` (72 bytes), `error` the errno on the wire;
* `LIST`/`LIS2` (feature `ls_v2`): one `DENT`/`DNT2` per entry (`.` and `..` included, as
  readdir gives them) and then a `DONE` of the same size; a folder that cannot be opened
  gives only the `DONE`;
* `SEND` (`path,mode`) / `SND2` (path, then `SND2 mode flags`): `DATA size bytes`... then
  `DONE mtime`; answered `OKAY 0` or `FAIL len message` (and the service ends);
* `RECV` / `RCV2` (then `RCV2 flags`): `DATA size bytes` chunks of at most 64 KiB, `DONE 0`;
  `FAIL` when the file cannot be opened (and the service ends);
* `QUIT` ends the service; anything else is answered `FAIL unknown command XXXXXXXX`.

What clients send (checked in tests): adb 36 uses STA2/LST2, LIS2 and RCV2 when offered,
SND2 for files of 64 KiB and more but one v1 SEND for smaller ones (`SendSmallFile`);
adb-shell speaks v1 throughout.

Compression (`sendrecv_v2_brotli`, `_lz4`, `_zstd`) and dry runs are not implemented, so the
server does not advertise them and the official client sends flags 0; a request that still
carries them gets a `FAIL`, never a misread transfer.
"""

from __future__ import annotations

import errno
import os
import stat as st
import struct
from collections.abc import Callable

from hardener.sim.device import DeviceFiles, FileStat


def _id(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "little")


ID_LSTAT_V1 = _id("STAT")
ID_STAT_V2 = _id("STA2")
ID_LSTAT_V2 = _id("LST2")
ID_LIST_V1 = _id("LIST")
ID_LIST_V2 = _id("LIS2")
ID_DENT_V1 = _id("DENT")
ID_DENT_V2 = _id("DNT2")
ID_SEND_V1 = _id("SEND")
ID_SEND_V2 = _id("SND2")
ID_RECV_V1 = _id("RECV")
ID_RECV_V2 = _id("RCV2")
ID_DONE = _id("DONE")
ID_DATA = _id("DATA")
ID_OKAY = _id("OKAY")
ID_FAIL = _id("FAIL")
ID_QUIT = _id("QUIT")

SYNC_DATA_MAX = 64 * 1024
PATH_MAX = 1024
FLAG_BROTLI, FLAG_LZ4, FLAG_ZSTD, FLAG_DRY_RUN = 1, 2, 4, 0x8000_0000

# Features a phone with this service advertises in its CNXN banner (no compression).
FEATURES = ("stat_v2", "ls_v2", "fixed_push_mkdir", "sendrecv_v2")

_REQUEST = struct.Struct("<II")
_STAT_V1 = struct.Struct("<IIII")
_STAT_V2 = struct.Struct("<IIQQIIIIQqqq")
_DENT_V1 = struct.Struct("<IIIII")
_DENT_V2 = struct.Struct("<IIQQIIIIQqqqI")
_PAIR = struct.Struct("<II")
_SETUP_SEND_V2 = struct.Struct("<III")
_DEV = 0xFD01  # an arbitrary device number: the same for every file, as on one partition

ReadExact = Callable[[int], bytes | None]  # n bytes, or None at the end of the stream
Write = Callable[[bytes], bool]  # False when the stream is gone


def strtoul(text: str) -> int:
    """C's `strtoul(text, nullptr, 0)`: 0x hex, leading-0 octal, else decimal; stops at the
    first character that does not fit (the client sends decimal)."""
    text = text.lstrip()
    base, digits = 10, "0123456789"
    if text[:2].lower() == "0x":
        base, digits, text = 16, "0123456789abcdef", text[2:]
    elif text.startswith("0"):
        base, digits = 8, "01234567"
    value = 0
    for char in text.lower():
        if char not in digits:
            break
        value = (value * base + digits.index(char)) & 0xFFFFFFFF
    return value


def status(ident: int, message: bytes = b"") -> bytes:
    return _PAIR.pack(ident, len(message)) + message


def fail(message: str) -> bytes:
    return status(ID_FAIL, message.encode("utf-8", "replace"))


def _strerror(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


def _wire_errno(exc: OSError) -> int:
    return exc.errno if exc.errno else errno.EIO


def stat_v1(info: FileStat | None) -> bytes:
    if info is None:
        return _STAT_V1.pack(ID_LSTAT_V1, 0, 0, 0)
    return _STAT_V1.pack(ID_LSTAT_V1, info.mode, info.size & 0xFFFFFFFF, info.mtime & 0xFFFFFFFF)


def stat_v2(ident: int, info: FileStat | None, error: int = 0) -> bytes:
    if info is None:
        return _STAT_V2.pack(ident, error, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    return _STAT_V2.pack(ident, 0, _DEV, info.ino, info.mode, info.nlink, info.uid, info.gid,
                         info.size, info.mtime, info.mtime, info.mtime)  # fmt: skip


def dent(v2: bool, name: bytes, info: FileStat | None) -> bytes:
    if v2:
        if info is None:
            return _DENT_V2.pack(ID_DONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return _DENT_V2.pack(ID_DENT_V2, 0, _DEV, info.ino, info.mode, info.nlink, info.uid,
                             info.gid, info.size, info.mtime, info.mtime, info.mtime,
                             len(name)) + name  # fmt: skip
    if info is None:
        return _DENT_V1.pack(ID_DONE, 0, 0, 0, 0)
    return _DENT_V1.pack(ID_DENT_V1, info.mode, info.size & 0xFFFFFFFF, info.mtime & 0xFFFFFFFF,
                         len(name)) + name  # fmt: skip


class SyncSession:
    """One `sync:` stream: reads requests with `read_exact`, answers through `write`."""

    def __init__(self, files: DeviceFiles, read_exact: ReadExact, write: Write) -> None:
        self.files = files
        self.read_exact = read_exact
        self.write = write
        self.requests: list[tuple[str, str]] = []  # (id as text, path) in the order received

    def serve(self) -> None:
        """Answer requests until QUIT, the end of the stream, or a failure that ends it."""
        while self.handle_one():
            pass

    def handle_one(self) -> bool:
        head = self.read_exact(_REQUEST.size)
        if head is None:
            return False
        ident, length = _REQUEST.unpack(head)
        if length > PATH_MAX:
            self.write(fail("path too long"))
            return False
        raw = self.read_exact(length) if length else b""
        if raw is None:
            self.write(fail("filename read failure"))
            return False
        path = raw.decode("utf-8", "replace")  # names stay printable for ls
        self.requests.append((head[:4].decode("latin-1"), path))
        if ident == ID_LSTAT_V1:
            return self.write(stat_v1(self._stat(path)))
        if ident in (ID_STAT_V2, ID_LSTAT_V2):
            try:
                return self.write(stat_v2(ident, self.files.stat(path)))
            except OSError as exc:
                return self.write(stat_v2(ident, None, _wire_errno(exc)))
        if ident in (ID_LIST_V1, ID_LIST_V2):
            return self._list(path, v2=ident == ID_LIST_V2)
        if ident == ID_SEND_V1:
            spec, comma, mode_text = path.rpartition(",")
            if not comma:
                self.write(fail("missing , in ID_SEND_V1"))
                return False
            return self._send(spec, strtoul(mode_text), flags=0)
        if ident == ID_SEND_V2:
            setup = self.read_exact(_SETUP_SEND_V2.size)
            if setup is None:
                return False
            _, mode, flags = _SETUP_SEND_V2.unpack(setup)
            return self._send(path, mode, flags=flags)
        if ident == ID_RECV_V1:
            return self._recv(path, flags=0)
        if ident == ID_RECV_V2:
            setup = self.read_exact(_PAIR.size)
            if setup is None:
                return False
            return self._recv(path, flags=_PAIR.unpack(setup)[1])
        if ident == ID_QUIT:
            return False
        self.write(fail(f"unknown command {ident:08x}"))
        return False

    def _stat(self, path: str) -> FileStat | None:
        try:
            return self.files.stat(path)
        except OSError:
            return None

    def _list(self, path: str, *, v2: bool) -> bool:
        chunks: list[bytes] = []
        try:
            entries = self.files.list(path)
            own = self.files.stat(path)
        except OSError:
            entries, own = [], None
        if own is not None:
            parent = self._stat(path.rstrip("/").rpartition("/")[0] or "/") or own
            chunks += [dent(v2, b".", own), dent(v2, b"..", parent)]
        for name, info in entries:
            chunks.append(dent(v2, name.encode("utf-8", "replace"), info))
        chunks.append(dent(v2, b"", None))
        return self.write(b"".join(chunks))

    def _send(self, path: str, mode: int, *, flags: int) -> bool:
        problem: str | None = None
        known = FLAG_BROTLI | FLAG_LZ4 | FLAG_ZSTD | FLAG_DRY_RUN
        compressions = [f for f in (FLAG_BROTLI, FLAG_LZ4, FLAG_ZSTD) if flags & f]
        if flags & ~known:
            problem = f"unknown flags: {flags & ~known}"
        elif len(compressions) > 1:
            problem = f"multiple compression flags received: {flags}"
        elif compressions:
            problem = "decompress failed"  # this phone speaks no compression (not advertised)
        elif st.S_ISLNK(mode):
            problem = "symlink failed: Operation not supported"
        dry_run = bool(flags & FLAG_DRY_RUN)
        if problem is None and not dry_run:
            try:  # adbd creates the file before the data arrives: refusals come first
                info = self.files.stat(path)
                if info.is_dir:
                    raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                if exc.errno != errno.ENOENT:
                    problem = f"couldn't create file: {_strerror(exc)}"
        if problem is not None:
            self.write(fail(problem))
            self._drain()
            return False
        data = bytearray()
        while True:
            head = self.read_exact(_PAIR.size)
            if head is None:
                return False
            ident, size = _PAIR.unpack(head)
            if ident == ID_DONE:
                mtime = size
                break
            if ident != ID_DATA or size > SYNC_DATA_MAX:
                self.write(fail("invalid data message"))
                return False
            chunk = self.read_exact(size) if size else b""
            if chunk is None:
                return False
            data += chunk
        if not dry_run:
            mode &= 0o777
            mode |= (mode >> 3) & 0o070
            mode |= (mode >> 3) & 0o007
            try:
                self.files.write(path, bytes(data), mode=mode, mtime=mtime)
            except OSError as exc:
                return self.write(fail(f"couldn't create file: {_strerror(exc)}")) and False
        return self.write(status(ID_OKAY))

    def _drain(self) -> None:
        """After a refused SEND adbd reads the data messages up to DONE and drops them."""
        while True:
            head = self.read_exact(_PAIR.size)
            if head is None:
                return
            ident, size = _PAIR.unpack(head)
            if ident != ID_DATA or size > SYNC_DATA_MAX:
                return
            if size and self.read_exact(size) is None:
                return

    def _recv(self, path: str, *, flags: int) -> bool:
        known = FLAG_BROTLI | FLAG_LZ4 | FLAG_ZSTD
        if flags & ~known:
            self.write(fail(f"unknown flags: {flags & ~known}"))
            return False
        if flags:
            self.write(fail("compress failed"))  # not advertised, so never asked for
            return False
        try:
            data = self.files.read(path)
        except OSError as exc:
            self.write(fail(f"open failed: {_strerror(exc)}"))
            return False
        pieces = [
            _PAIR.pack(ID_DATA, len(data[start : start + SYNC_DATA_MAX]))
            + data[start : start + SYNC_DATA_MAX]
            for start in range(0, len(data), SYNC_DATA_MAX)
        ]
        pieces.append(_PAIR.pack(ID_DONE, 0))
        return self.write(b"".join(pieces))
