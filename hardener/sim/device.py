"""The seam between the ADB protocol server and the Android model behind it."""

from __future__ import annotations

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
