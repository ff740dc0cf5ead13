"""What the rest of hardener needs from a connection to a phone, and nothing more.

Everything above the transport thinks in whole shell scripts (one round trip per phase),
so the interface is a single `shell()` plus the one limit a phase must respect: how big a
script the path can carry in one service request.
"""

from __future__ import annotations

from typing import Protocol, Self, runtime_checkable

from hardener.errors import InputError

# Linux caps one argv string (MAX_ARG_STRLEN = 32 pages, 128 KiB with 4 KiB pages, NUL
# included); adbd runs the script as `sh -c SCRIPT`, so this bounds every path. A margin
# is kept for kernels and ROMs we have not measured.
KERNEL_ARG_LIMIT = 128 * 1024 - 2048


@runtime_checkable
class Transport(Protocol):
    """One phone, reached one way. Safe to share between threads."""

    serial: str  # the transport's name for the phone (USB serial, HOST:PORT, server serial)
    spec: str  # a `--device` value that reaches it again
    max_script_bytes: int  # the biggest script (UTF-8 bytes) one `shell()` can carry

    def shell(self, script: str, *, timeout: float) -> bytes:
        """Run `script` with `sh -c`; stdout and stderr merged, in order.

        Raises `ConnectionLostError` / `DeviceTimeoutError` (carrying the partial output)
        when the link dies or the phone stops answering within `timeout` seconds.
        """
        ...

    def describe(self) -> str:
        """One line for messages: which phone and which path."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


def check_size(script: str, limit: int, where: str) -> None:
    """Refuse a script the path cannot carry, before anything reaches the phone."""
    size = len(script.encode())
    if size > limit:
        raise InputError(
            f"a {size}-byte script is more than {where} takes in one request ({limit} bytes)",
            hint="send commands with hardener.device.phase.run_phase, which splits a phase to fit",
        )


class ClosingTransport:
    """Mixin: a transport is a context manager that closes itself."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
