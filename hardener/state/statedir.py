"""Where hardener keeps what it must not lose, and how it writes it safely.

The journal is the only copy of what the person had before hardener changed their phone,
so every write is atomic (temporary file, fsync, rename, fsync of the directory) and every
file is private (directories 0700, files 0600): it names the apps on someone's phone.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from hardener.errors import InputError

ENV_STATE_DIR = "HARDENER_STATE_DIR"


def state_dir(override: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """`--state-dir`, else $HARDENER_STATE_DIR, else $XDG_STATE_HOME/hardener (XDG default)."""
    env = os.environ if environ is None else environ
    if override:
        return Path(override).expanduser()
    if env.get(ENV_STATE_DIR):
        return Path(env[ENV_STATE_DIR]).expanduser()
    xdg = env.get("XDG_STATE_HOME")
    base = (
        Path(xdg).expanduser()
        if xdg
        else Path(env.get("HOME", "~")).expanduser() / ".local" / "state"
    )
    return base / "hardener"


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents, each 0700; never change an existing folder.

    A folder hardener did not create (a shared /tmp, the folder a report goes to) keeps its
    mode: tightening it would break other people's use of it. The state directory's own
    folders are tightened by `secure_state`, which knows they are hardener's."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)  # the umask may have taken bits away, never added: be exact
    return path


# What hardener keeps directly under the state directory; a root holding only these is
# hardener's own and may be tightened.
STATE_ENTRIES = frozenset({"devices", "locks", "layouts", "quarantine", "cron.log", "cron.log.1"})
STATE_FOLDERS = ("devices", "locks", "layouts")


def secure_state(state: Path) -> list[str]:
    """Create the state directory 0700 and tighten the folders hardener made there.

    Earlier versions created the root and `devices/` 0755, which let other users list the
    serials of phones. Those folders (and each phone's folder) are set to 0700 again; the
    root only when it holds nothing but hardener's entries (a `--state-dir` pointing at a
    folder of other things is left alone). Returns what was changed, in words."""
    fixed: list[str] = []
    private_dir(state)
    ours = [state / name for name in STATE_FOLDERS if (state / name).is_dir()]
    if (state / "devices").is_dir():
        ours += [p for p in (state / "devices").iterdir() if p.is_dir() and not p.is_symlink()]
    names = {entry.name for entry in state.iterdir()} if state.is_dir() else set()
    if names <= STATE_ENTRIES:
        ours.insert(0, state)
    for folder in ours:
        with contextlib.suppress(OSError):
            info = folder.lstat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                folder.chmod(0o700)
                fixed.append(f"{folder} was readable by others; now 0700")
    return fixed


def prepare_state(state: Path) -> list[str]:
    """Before a run touches a phone: the state directory exists, is private and writable.

    Returns notes (folders tightened); raises InputError naming the path and the fix when
    hardener could not keep its journal there (so nothing is changed on any phone)."""
    try:
        fixed = secure_state(state)
    except OSError as error:
        raise _unwritable(Path(error.filename or state), state) from None
    require_writable(state, [state, *(state / name for name in STATE_FOLDERS)])
    return fixed


def require_writable(state: Path, paths: list[Path]) -> None:
    """InputError unless every existing path (folder or file) can be written by this user;
    a missing one needs its nearest existing folder writable."""
    for path in paths:
        target = path
        while not target.exists() and target != target.parent:
            target = target.parent
        need = os.W_OK | (os.X_OK if target.is_dir() else 0)
        if not os.access(target, need):
            raise _unwritable(target, state)


def _unwritable(path: Path, state: Path) -> InputError:
    try:
        info = path.stat()
        owner = _user_name(info.st_uid)
        how = f" (owner {owner}, mode {stat.S_IMODE(info.st_mode):04o})"
    except OSError:
        how = ""
    me = _user_name(os.getuid())
    return InputError(
        f"hardener cannot write {path}{how}, where it keeps what it must restore; "
        "nothing was changed on the phone",
        hint=f"an earlier `sudo hardener` may have left it; give the state back to you: "
        f"sudo chown -R {me} {shlex.quote(str(state))}  (or choose another --state-dir)",
    )


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def slug(text: str) -> str:
    """A file-name-safe, still readable form of a serial such as `127.0.0.1:5555`."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", text).strip("._") or "device"
    if cleaned != text:
        import hashlib

        cleaned = f"{cleaned}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return cleaned


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    `durable=False` skips the fsyncs, for caches: after a power cut the file may be empty
    or old, and its reader must cope."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    if durable:
        _fsync_dir(path.parent)


def append_line(path: Path, line: str) -> None:
    """Append one line durably to a private log file."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be fsync'd
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_lines(path: Path) -> Iterator[str]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip("\n")
