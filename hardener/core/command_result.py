"""What one command of a phase printed and how it ended: the record every parser and
planner works from, kept apart from the transport that produced it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandResult:
    """One command of a phase. `exit_code` is None only when the command was cut off."""

    command: str
    output: str
    exit_code: int | None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0
