"""The virtual phone's storage as adbd's `sync:` service and `bugreportz` see it: bytes with
modes, owners and times, the app APKs and `/bugreports`.

The shell's own tree (`files.Files`: text, what scripts and armed jobs write) is attached
with `attach`: what the shell writes can be pulled, and what is pushed can be read by the
shell (`cat`, `sh job.sh`), the two kept in step at each access.

Modelled on what the shell user (uid 2000) meets on a real phone:

* `/data/local/tmp` (owned by shell, 0771) and the shared storage (`/sdcard` and
  `/storage/self/primary` are links to `/storage/emulated/0`) can be written;
* `/bugreports` (on a phone a link into com.android.shell's files) holds the zips
  `bugreportz` makes; the shell can read it but not write it;
* each app's `base.apk` under its code path (`/data/app/~~…/pkg-…/base.apk`) can be read
  (`adb pull $(pm path …)` works on a phone), but `/data/app` itself cannot be listed;
* everything else is read-only (`EROFS`) or missing (`ENOENT`).

Errors are `OSError` with the errno a phone's adbd or toybox would get; the ADB `sync:`
service sends those numbers on the wire. Thread-safe: the shell and the sync service run
in different threads.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import posixpath
import stat as st
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hardener.sim.device import FileStat

if TYPE_CHECKING:
    from hardener.sim.android.files import Files

SHELL_UID = 2000
ROOT_UID = 0
SDCARD_RW_GID = 1015  # media_rw on shared storage (9997 everyone on newer builds)
SHARED = "/storage/emulated/0"
_ALIASES = ("/sdcard", "/storage/self/primary", "/mnt/sdcard")
WRITABLE = ("/data/local/tmp", SHARED)
BUGREPORTS = "/bugreports"
APPS = "/data/app"

_DIRS: dict[str, tuple[int, int, int]] = {  # path -> (mode, uid, gid)
    "/": (0o755, ROOT_UID, ROOT_UID),
    "/data": (0o771, 1000, 1000),
    "/data/local": (0o751, ROOT_UID, ROOT_UID),
    "/data/local/tmp": (0o771, SHELL_UID, SHELL_UID),
    APPS: (0o771, 1000, 1000),
    "/storage": (0o755, ROOT_UID, ROOT_UID),
    "/storage/emulated": (0o751, ROOT_UID, SDCARD_RW_GID),
    SHARED: (0o770, ROOT_UID, SDCARD_RW_GID),
    SHARED + "/Download": (0o770, ROOT_UID, SDCARD_RW_GID),
    SHARED + "/DCIM": (0o770, ROOT_UID, SDCARD_RW_GID),
    BUGREPORTS: (0o770, SHELL_UID, SHELL_UID),
    "/system": (0o755, ROOT_UID, ROOT_UID),
}
_UNLISTABLE = (APPS, "/data")  # `ls /data/app`: Permission denied, as for the shell on a phone


@dataclass
class _Node:
    data: bytes
    mode: int
    mtime: int
    uid: int
    gid: int
    ino: int


def _error(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


def normalize(path: str) -> str:
    """An absolute, `..`-free path with the shared-storage links resolved."""
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = path[1:]
    for alias in _ALIASES:
        if path == alias or path.startswith(alias + "/"):
            return SHARED + path[len(alias) :]
    return path


def fake_apk(package: str) -> bytes:
    """A small, valid zip standing in for an app's base.apk (deterministic per package)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        info = zipfile.ZipInfo("AndroidManifest.xml", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, f"virtual phone stand-in for {package}\n".encode())
        digest = hashlib.sha256(package.encode()).hexdigest()
        info = zipfile.ZipInfo("META-INF/CERT.SF", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, f"SHA-256-Digest-Manifest: {digest}\n".encode())
    return buffer.getvalue()


class FileSystem:
    """The phone's files. `apks()` maps each installed app's base.apk path to its package,
    asked at every look-up so installs and removals show at once."""

    def __init__(
        self,
        apks: Callable[[], Mapping[str, str]] = dict,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._apks = apks
        self._clock = clock
        self._lock = threading.RLock()
        self._files: dict[str, _Node] = {}
        self._dirs: dict[str, _Node] = {}
        self._next_ino = 1000
        for path, (mode, uid, gid) in _DIRS.items():
            self._dirs[path] = self._node(b"", st.S_IFDIR | mode, uid, gid, 1_700_000_000)
        self.text: MutableMapping[str, str] = TextView(self)
        self._shell: Files | None = None
        self._mirrored: dict[str, str] = {}  # path -> the shell text last taken in

    # -- the shell's tree ------------------------------------------------------------------

    def attach(self, shell: Files) -> None:
        """Keep this storage in step with the shell's text tree (see the module docstring)."""
        self._shell = shell

    def _take_shell(self) -> None:
        """Bring in what the shell wrote or removed since the last access."""
        shell = self._shell
        if shell is None:
            return
        seen = set()
        for path, text in list(shell.items()):
            where = normalize(path)
            if not self.writable(where):
                seen.add(where)  # mirrored from here (a bugreport): the shell cannot change it
                continue
            seen.add(where)
            if self._mirrored.get(where) != text or where not in self._files:
                self._mirrored[where] = text
                parent = posixpath.dirname(where)
                with contextlib.suppress(OSError):
                    self.mkdirs(parent)
                data = text.encode("utf-8", "surrogateescape")
                old = self._files.get(where)
                if old is not None:
                    old.data, old.mtime = data, self._now()
                else:
                    self._files[where] = self._node(
                        data, st.S_IFREG | 0o666, SHELL_UID, SHELL_UID, self._now()
                    )
        for where in [p for p in self._mirrored if p not in seen]:
            del self._mirrored[where]
            self._files.pop(where, None)

    def _give_shell(self, path: str, data: bytes | None) -> None:
        """Mirror a push (or, with None, a removal) into the shell's tree."""
        shell = self._shell
        if shell is None or not (self.writable(path) or path.startswith(BUGREPORTS + "/")):
            return
        if data is None:
            shell.remove(path)
            self._mirrored.pop(path, None)
            return
        text = data.decode("utf-8", "surrogateescape")
        self._mirrored[path] = text
        # the shell's tree keeps /sdcard apart from /storage/emulated/0 (no links): both
        for where in (
            path,
            *(
                alias + path[len(SHARED) :]
                for alias in _ALIASES[:1]
                if path.startswith(SHARED + "/")
            ),
        ):
            parent = posixpath.dirname(where)
            while parent not in shell.dirs and parent != "/":
                shell.dirs.add(parent)
                parent = posixpath.dirname(parent)
            shell[where] = text

    # The shell tree's mapping view, for tests and tools that set a file's text directly.
    def __getitem__(self, path: str) -> str:
        assert self._shell is not None
        return self._shell[path]

    def __setitem__(self, path: str, text: str) -> None:
        assert self._shell is not None
        self._shell[path] = text

    def __contains__(self, path: object) -> bool:
        return self._shell is not None and path in self._shell

    def _node(self, data: bytes, mode: int, uid: int, gid: int, mtime: int) -> _Node:
        self._next_ino += 1
        return _Node(data, mode, mtime, uid, gid, self._next_ino)

    def _now(self) -> int:
        return int(self._clock())

    # -- look-ups ------------------------------------------------------------------------

    def _apk(self, path: str) -> str | None:
        return self._apks().get(path)

    def _apk_dirs(self) -> set[str]:
        dirs: set[str] = set()
        for apk in self._apks():
            parent = posixpath.dirname(apk)
            while parent.startswith(APPS + "/"):
                dirs.add(parent)
                parent = posixpath.dirname(parent)
        return dirs

    def stat(self, path: str) -> FileStat:
        path = normalize(path)
        with self._lock:
            self._take_shell()
            node = self._files.get(path) or self._dirs.get(path)
            if node is not None:
                return self._stat_of(node)
            package = self._apk(path)
            if package is not None:
                ino = int.from_bytes(hashlib.sha256(path.encode()).digest()[:3], "big")
                return FileStat(st.S_IFREG | 0o644, len(fake_apk(package)), 1_704_067_200, 1000,
                                1000, ino)  # fmt: skip
            if path in self._apk_dirs():
                return FileStat(st.S_IFDIR | 0o775, 4096, 1_704_067_200, 1000, 1000, 7)
        raise _error(errno.ENOENT, path)

    @staticmethod
    def _stat_of(node: _Node) -> FileStat:
        size = 4096 if st.S_ISDIR(node.mode) else len(node.data)
        return FileStat(node.mode, size, node.mtime, node.uid, node.gid, node.ino)

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
        except OSError:
            return False
        return True

    def read(self, path: str) -> bytes:
        path = normalize(path)
        with self._lock:
            self._take_shell()
            node = self._files.get(path)
            if node is not None:
                return node.data
            if path in self._dirs or path in self._apk_dirs():
                raise _error(errno.EISDIR, path)
            package = self._apk(path)
            if package is not None:
                return fake_apk(package)
        raise _error(errno.ENOENT, path)

    def list(self, path: str) -> list[tuple[str, FileStat]]:
        """Entries of a directory, sorted by name (`.` and `..` left out)."""
        path = normalize(path)
        with self._lock:
            self._take_shell()
            if path in _UNLISTABLE:
                raise _error(errno.EACCES, path)
            info = self.stat(path)
            if not info.is_dir:
                raise _error(errno.ENOTDIR, path)
            prefix = path.rstrip("/") + "/"
            names: dict[str, str] = {}
            for full in [*self._files, *self._dirs, *self._apks(), *self._apk_dirs()]:
                if full.startswith(prefix) and full != prefix:
                    name = full[len(prefix) :].split("/", 1)[0]
                    names.setdefault(name, prefix + name)
            return [(name, self.stat(full)) for name, full in sorted(names.items())]

    # -- changes -------------------------------------------------------------------------

    def writable(self, path: str) -> bool:
        """Whether the shell user may create or replace `path`."""
        path = normalize(path)
        return any(path.startswith(root + "/") for root in WRITABLE)

    def write(
        self,
        path: str,
        data: bytes | str,
        *,
        mode: int = 0o666,
        mtime: int | None = None,
        as_system: bool = False,
        append: bool = False,
        when: float = 0.0,
    ) -> None:
        """Create or replace a file, making missing parent folders (adbd's secure_mkdirs).

        `as_system` writes where only a system daemon may (dumpstate into /bugreports).
        Text (`str`) goes to the shell's tree as the shell writes it (`append`, `when`).
        """
        if isinstance(data, str):
            assert self._shell is not None, "no shell tree attached"
            self._shell.write(path, data, append=append, when=when)
            return
        path = normalize(path)
        with self._lock:
            self._take_shell()
            if not as_system and not self.writable(path):
                if self.exists(path) or self.exists(posixpath.dirname(path)):
                    code = errno.EACCES if path.startswith("/data/") else errno.EROFS
                else:
                    code = errno.ENOENT if path.startswith("/data/") else errno.EROFS
                raise _error(code, path)
            if path in self._dirs:
                raise _error(errno.EISDIR, path)
            parent = posixpath.dirname(path)
            self.mkdirs(parent, as_system=as_system)
            owner = ROOT_UID if as_system else SHELL_UID
            group = SDCARD_RW_GID if path.startswith(SHARED + "/") else owner
            when = self._now() if mtime is None else mtime
            old = self._files.get(path)
            if old is not None:
                old.data, old.mtime = bytes(data), when
                old.mode = st.S_IFREG | (mode & 0o7777)
            else:
                self._files[path] = self._node(bytes(data), st.S_IFREG | (mode & 0o7777), owner,
                                               group, when)  # fmt: skip
            self._give_shell(path, bytes(data))

    def append(self, path: str, data: bytes) -> None:
        with self._lock:
            try:
                old = self.read(path)
            except OSError:
                old = b""
            self.write(path, old + data)

    def mkdirs(self, path: str, *, as_system: bool = False) -> None:
        path = normalize(path)
        with self._lock:
            missing: list[str] = []
            probe = path
            while probe not in self._dirs:
                if probe in self._files:
                    raise _error(errno.ENOTDIR, probe)
                missing.append(probe)
                probe = posixpath.dirname(probe)
            for folder in reversed(missing):
                if not as_system and not self.writable(folder):
                    raise _error(errno.EACCES, folder)
                owner = ROOT_UID if as_system else SHELL_UID
                self._dirs[folder] = self._node(b"", st.S_IFDIR | 0o771, owner, owner, self._now())

    def remove(self, path: str) -> None:
        path = normalize(path)
        with self._lock:
            self._take_shell()
            if path in self._files:
                if not self.writable(path) and not path.startswith(BUGREPORTS + "/"):
                    raise _error(errno.EACCES, path)
                del self._files[path]
                self._give_shell(path, None)
                return
            if path in self._dirs or path in self._apk_dirs():
                raise _error(errno.EISDIR, path)
            if self._apk(path) is not None:
                raise _error(errno.EACCES, path)
        raise _error(errno.ENOENT, path)


class TextView(MutableMapping[str, str]):
    """The files as text, for the shell's redirections and `cat` (UTF-8, bad bytes replaced)."""

    def __init__(self, files: FileSystem) -> None:
        self._fs = files

    def __getitem__(self, path: str) -> str:
        try:
            return self._fs.read(path).decode("utf-8", "replace")
        except OSError:
            raise KeyError(path) from None

    def __setitem__(self, path: str, text: str) -> None:
        # The shell checked the folder already; a path that still cannot be written (one
        # that climbs out with `..`) loses its output rather than failing the script.
        with contextlib.suppress(OSError):
            self._fs.write(path, text.encode("utf-8", "surrogateescape"))

    def __delitem__(self, path: str) -> None:
        try:
            self._fs.remove(path)
        except OSError:
            raise KeyError(path) from None

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        try:
            return not self._fs.stat(path).is_dir
        except OSError:
            return False

    def __iter__(self) -> Iterator[str]:
        with self._fs._lock:
            return iter(list(self._fs._files))

    def __len__(self) -> int:
        with self._fs._lock:
            return len(self._fs._files)
