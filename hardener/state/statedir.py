"""Where hardener keeps what it must not lose, and how it writes it safely.

The journal is the only copy of what the person had before hardener changed their phone,
so every write is atomic (temporary file, fsync, rename, fsync of the directory) and every
file is private (directories 0700, files 0600): it names the apps on someone's phone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

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
    """Create `path` (and parents) and make the leaf 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


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
