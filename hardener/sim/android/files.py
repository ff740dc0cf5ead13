"""The virtual phone's writable files: `/data/local/tmp`, `/sdcard` (= /storage/emulated/0).

A dict of path -> text (what the shell writes) plus the set of directories. `/data/local/tmp`
is `0771 shell shell` (system/core rootdir/init.rc) and survives reboots; /sdcard is the
shell-writable shared storage. Everything else is read-only to the shell user: writes answer
as mksh does (`can't create X: Read-only file system` for /system, `Permission denied`
elsewhere is not distinguished here). Reads of /proc are not here: the device serves them
from its process table (`hardener/sim/android/procs.py`).

Kept small on purpose so it can be merged with the `sync:` service's files module.
"""

from __future__ import annotations

import posixpath

WRITABLE_ROOTS = ("/data/local/tmp", "/sdcard", "/storage/emulated/0")
# Directories that exist on every phone, listed so `[ -d ]`, `mkdir -p` and `ls` see them.
BASE_DIRS = (
    "/",
    "/data",
    "/data/local",
    "/data/local/tmp",
    "/sdcard",
    "/storage",
    "/storage/emulated",
    "/storage/emulated/0",
    "/system",
    "/system/bin",
    "/proc",
    "/dev",
)


def normalize(path: str, cwd: str = "/") -> str:
    """An absolute, `.`/`..`-free path (no symlinks: the two sdcard names stay distinct)."""
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    return posixpath.normpath(path).replace("//", "/")


def writable(path: str) -> bool:
    return any(path == root or path.startswith(root + "/") for root in WRITABLE_ROOTS)


class Files(dict[str, str]):
    """path -> contents; `dirs` holds directories. Paths are absolute and normalized."""

    def __init__(self) -> None:
        super().__init__()
        self.dirs: set[str] = set(BASE_DIRS)
        self.mtimes: dict[str, float] = {}

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def exists(self, path: str) -> bool:
        return path in self or path in self.dirs

    def parent_ok(self, path: str) -> bool:
        return posixpath.dirname(path) in self.dirs

    def write(self, path: str, text: str, *, append: bool = False, when: float = 0.0) -> None:
        self[path] = (self.get(path, "") if append else "") + text
        self.mtimes[path] = when

    def mkdir(self, path: str, *, parents: bool) -> str | None:
        """Make a directory; the toybox error text on failure, None on success."""
        if path in self.dirs:
            return None if parents else f"mkdir: '{path}': File exists"
        if path in self:
            return f"mkdir: '{path}': File exists"
        parent = posixpath.dirname(path)
        if parent not in self.dirs:
            if not parents:
                return f"mkdir: '{path}': No such file or directory"
            error = self.mkdir(parent, parents=True)
            if error is not None:
                return error
        if not writable(path):
            return f"mkdir: '{path}': Permission denied"
        self.dirs.add(path)
        return None

    def children(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/"
        names = {
            p[len(prefix) :].split("/", 1)[0]
            for p in (*self, *self.dirs)
            if p.startswith(prefix) and p != prefix
        }
        return sorted(names)

    def remove(self, path: str) -> None:
        self.pop(path, None)
        self.mtimes.pop(path, None)

    def remove_tree(self, path: str) -> None:
        prefix = path.rstrip("/") + "/"
        for name in [p for p in self if p.startswith(prefix)]:
            self.remove(name)
        self.dirs -= {d for d in self.dirs if d.startswith(prefix)}
        self.dirs.discard(path)

    def rename(self, source: str, target: str) -> None:
        if source in self.dirs:
            prefix = source.rstrip("/") + "/"
            for name in [p for p in self if p.startswith(prefix)]:
                self[target + name[len(source) :]] = self.pop(name)
            moved = {d for d in self.dirs if d == source or d.startswith(prefix)}
            self.dirs -= moved
            self.dirs |= {target + d[len(source) :] for d in moved}
            return
        self[target] = self.pop(source)
        self.mtimes[target] = self.mtimes.pop(source, 0.0)
