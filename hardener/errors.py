"""Errors a user can act on, each carrying the exit code the CLI returns.

Exit codes are part of the interface (scripts and cron rely on them):
0 done / compliant, 1 findings or partial success, 2 bad input,
3 device unreachable, 4 the phone refuses changes (OEM lock).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3
EXIT_OEM_LOCK = 4  # from a run's result, after its report is printed: no error class
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class HardenerError(Exception):
    """Base for errors that end a command with a message and an exit code, never a traceback."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputError(HardenerError):
    """Bad input from the user: a profile, an option, an inventory (exit 2)."""

    exit_code = EXIT_BAD_INPUT


class DeviceError(HardenerError):
    """The phone cannot be reached, or was lost while talking to it (exit 3)."""

    exit_code = EXIT_UNREACHABLE
