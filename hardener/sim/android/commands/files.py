"""toybox `ls` and `rm` over the phone's files (`hardener.sim.android.files`).

Output as toybox prints it to a pipe (adb's output is never a terminal here): one name per
line, sorted; `-l` gives `mode links owner group size date time name` with columns padded to
the widest entry; errors are `ls: PATH: strerror` with exit 1. Options beyond `-l -a -d -1
-n` (ls) and `-f -r` (rm) are accepted and ignored, as nothing hardener or the tested peer
tools send needs them.
"""

from __future__ import annotations

import os
import stat as st
import time

from hardener.sim.android.files import FileSystem
from hardener.sim.android.shell import Result
from hardener.sim.device import FileStat

_NAMES = {0: "root", 1000: "system", 1015: "sdcard_rw", 2000: "shell"}


def _owner(ident: int, numeric: bool) -> str:
    return str(ident) if numeric else _NAMES.get(ident, str(ident))


def _long(rows: list[tuple[str, FileStat]], numeric: bool) -> str:
    cells = [
        (
            st.filemode(info.mode),
            str(info.nlink),
            _owner(info.uid, numeric),
            _owner(info.gid, numeric),
            str(info.size),
            time.strftime("%Y-%m-%d %H:%M", time.gmtime(info.mtime)),
            name,
        )
        for name, info in rows
    ]
    widths = [max((len(c[i]) for c in cells), default=0) for i in range(4 + 1)]
    out = []
    for mode, links, user, group, size, when, name in cells:
        out.append(
            f"{mode} {links:>{widths[1]}} {user:<{widths[2]}} {group:<{widths[3]}} "
            f"{size:>{widths[4]}} {when} {name}\n"
        )
    return "".join(out)


def ls(files: FileSystem, argv: list[str], _stdin: str) -> Result:
    long = numeric = show_all = directory = False
    paths: list[str] = []
    for arg in argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and not paths:
            long |= "l" in arg or "n" in arg
            numeric |= "n" in arg
            show_all |= "a" in arg
            directory |= "d" in arg
        else:
            paths.append(arg)
    paths = paths or ["."]
    out: list[str] = []
    err: list[str] = []
    status = 0
    singles: list[tuple[str, FileStat]] = []
    folders: list[tuple[str, list[tuple[str, FileStat]]]] = []
    for path in paths:
        target = "/" if path == "." else path
        try:
            info = files.stat(target)
            if info.is_dir and not directory:
                entries = files.list(target)
                if not show_all:
                    entries = [(n, i) for n, i in entries if not n.startswith(".")]
                folders.append((path, entries))
            else:
                singles.append((path, info))
        except OSError as exc:
            err.append(f"ls: {path}: {os.strerror(exc.errno or 5)}\n")
            status = 1
    if singles:
        out.append(_long(singles, numeric) if long else "".join(f"{n}\n" for n, _ in singles))
    for index, (path, entries) in enumerate(folders):
        if len(paths) > 1:
            out.append(("\n" if singles or index else "") + f"{path}:\n")
        if long:
            out.append(f"total {sum((i.size + 1023) // 1024 for _, i in entries)}\n")
            out.append(_long(entries, numeric))
        else:
            out.append("".join(f"{name}\n" for name, _ in entries))
    return Result("".join(out), "".join(err), status)


def rm(files: FileSystem, argv: list[str], _stdin: str) -> Result:
    force = False
    paths: list[str] = []
    for arg in argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and not paths:
            force |= "f" in arg
        else:
            paths.append(arg)
    if not paths and not force:
        return Result("", "rm: Needs 1 argument\n", 1)
    err: list[str] = []
    for path in paths:
        try:
            files.remove(path)
        except OSError as exc:
            if force and exc.errno == 2:
                continue
            err.append(f"rm: {path}: {os.strerror(exc.errno or 5)}\n")
    return Result("", "".join(err), 1 if err else 0)
