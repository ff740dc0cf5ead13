"""The seam between the ADB protocol server and the Android model behind it."""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ShellOutput:
    """What one shell service invocation produced, as a real adbd would relay it."""

    stdout: bytes
    stderr: bytes
    exit_code: int
    # stdout and stderr interleaved in the order they were written: what `shell:` and `exec:`
    # relay (both streams share one pipe there). None: adbd sends stdout, then stderr.
    merged: bytes | None = None


class DeviceShell(Protocol):
    """Anything that can run a `sh -c` command line for the ADB server."""

    def run(self, command: str) -> ShellOutput:
        """Run one command line (may contain `;`, `&&`, quoting...) and return its output.

        Raises `ConnectionDropped` when a fault says the link dies mid-command.
        """
        ...

    def banner(self) -> Mapping[str, str]:
        """`ro.product.name`, `ro.product.model`, `ro.product.device` for the CNXN banner."""
        ...

    def serial(self) -> str:
        """`ro.serialno`: what a host sees as the device's serial over USB."""
        ...


@dataclass(frozen=True)
class FileStat:
    """What `stat(2)` gives, reduced to what adb's sync protocol and `ls -l` show."""

    mode: int  # with the type bits (S_IFREG, S_IFDIR)
    size: int
    mtime: int
    uid: int
    gid: int
    ino: int
    nlink: int = 1

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.mode)


class DeviceFiles(Protocol):
    """A phone's files, as adbd's `sync:` service reaches them. Failures raise `OSError`
    with the errno the phone would get (it travels on the wire)."""

    def stat(self, path: str) -> FileStat: ...

    def list(self, path: str) -> list[tuple[str, FileStat]]: ...

    def read(self, path: str) -> bytes: ...

    def write(self, path: str, data: bytes, *, mode: int = 0o666, mtime: int | None = None) -> None:
        """Create or replace a file, making missing parent folders."""
        ...
