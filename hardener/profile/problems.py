"""What `profile check` reports: problems located by file, key path and line.

Every problem says what is wrong and what would be accepted, because the people reading
them edit TOML by hand, often far from the documentation.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hardener.errors import InputError
from hardener.profile.locate import KeyLocator, KeyPath, format_key_path
from hardener.textsafe import visible


@dataclass(frozen=True)
class Problem:
    """One error or warning in one profile file."""

    file: str
    key_path: str  # "work_hours.monday[1]", "" for the whole file
    line: int | None
    message: str
    expected: str = ""  # what would be accepted

    def __str__(self) -> str:
        # Key names and values come from the file: shown visibly, one line each.
        file = visible(self.file)
        where = file if self.line is None else f"{file}:{self.line}"
        text = f"{where}: {visible(self.key_path)}: " if self.key_path else f"{where}: "
        text += visible(self.message)
        return f"{text}\n  expected: {visible(self.expected)}" if self.expected else text

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "key_path": self.key_path,
            "line": self.line,
            "message": self.message,
            "expected": self.expected,
        }


@dataclass(frozen=True)
class CheckResult:
    """All errors and warnings of one profile and the files it extends."""

    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


class ProfileError(InputError):
    """A profile cannot be used; carries every problem found (exit 2)."""

    def __init__(
        self, problems: Sequence[Problem], *, hint: str | None = None, what: str = "profile"
    ) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"the {what} has {count} error{'s' if count != 1 else ''}:"
        body = "\n".join(str(problem) for problem in self.problems)
        super().__init__(
            f"{head}\n{body}" if count != 1 else body,
            hint=hint or "run `hardener profile check FILE` for all errors and warnings",
        )


@dataclass
class Problems:
    """Collects problems for one file, finding each key's line in the file's text."""

    file: str
    locator: KeyLocator = field(default_factory=lambda: KeyLocator(""))
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def _make(self, path: KeyPath, message: str, expected: str, line: int | None) -> Problem:
        if line is None:
            line = self.locator.line_of(path)
        return Problem(self.file, format_key_path(path), line, message, expected)

    def error(
        self, path: KeyPath, message: str, expected: str = "", *, line: int | None = None
    ) -> None:
        self.errors.append(self._make(path, message, expected, line))

    def warning(
        self, path: KeyPath, message: str, expected: str = "", *, line: int | None = None
    ) -> None:
        self.warnings.append(self._make(path, message, expected, line))


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or '' when nothing is close."""
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    if word.lower() in lowered:
        return f' (did you mean "{lowered[word.lower()]}"?)'
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def one_of(choices: Iterable[str]) -> str:
    """'one of: a, b, c' for an `expected` text."""
    return "one of: " + ", ".join(choices)
