"""Find the line of a key (or of an array element) in TOML text.

tomllib gives line numbers only for syntax errors; a problem in a value ("25:00" in the
second range of Monday) is much easier to fix with its line. This scanner walks text that
tomllib has already accepted and records the line where each key path and each array
element starts.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(.))")
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}


def _unescape(text: str) -> str:
    """A basic string's escapes decoded, so a quoted key matches the key tomllib read."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2) or match.group(3)
        if code:
            with contextlib.suppress(ValueError):
                return chr(int(code, 16))
            return match.group()
        char = match.group(4)
        return _SIMPLE.get(char, char)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _shown(key: str) -> str:
    """A key with characters that print as nothing (zero-width, controls) as escapes."""
    from hardener.profile.hints import visible

    return visible(key)


def format_key_path(path: KeyPath) -> str:
    """`("rules", 2, "off_hours", 0)` -> `rules[2].off_hours[0]`; odd keys are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = (
                part if _BARE_KEY.fullmatch(part) else '"' + _shown(part).replace('"', '\\"') + '"'
            )
            text += f".{key}" if text else key
    return text


@dataclass
class _Scanner:
    text: str
    pos: int = 0
    lines: dict[KeyPath, int] = field(default_factory=dict)
    array_tables: dict[KeyPath, int] = field(default_factory=dict)

    _counted_to: int = 0  # newlines before _counted_to are counted in _counted
    _counted: int = 0

    def line(self) -> int:
        """The line of `pos`, counting only the text since the last call (the scan moves
        forward), so locating every key of a big file stays linear."""
        if self.pos < self._counted_to:
            self._counted_to, self._counted = 0, 0
        self._counted += self.text.count("\n", self._counted_to, self.pos)
        self._counted_to = self.pos
        return self._counted + 1

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def record(self, path: KeyPath) -> None:
        self.lines.setdefault(path, self.line())

    def skip_space(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def skip_string(self) -> str:
        """Skip a string at pos and return its value (escapes only roughly decoded)."""
        for quote in ('"""', "'''"):
            if self.peek(3) == quote:
                end = self.text.find(quote, self.pos + 3)
                while end >= 0 and quote == '"""' and self.text[end - 1] == "\\":
                    end = self.text.find(quote, end + 1)
                end = len(self.text) if end < 0 else end
                # A closing delimiter may be followed by up to two more quote characters.
                while self.text[end + 3 : end + 4] == quote[0]:
                    end += 1
                value = self.text[self.pos + 3 : end]
                self.pos = end + 3
                return value
        quote = self.text[self.pos]
        start = self.pos + 1
        self.pos = start
        while self.pos < len(self.text) and self.text[self.pos] not in (quote, "\n"):
            if quote == '"' and self.text[self.pos] == "\\":
                self.pos += 1
            self.pos += 1
        value = self.text[start : self.pos]
        self.pos += 1
        return value

    def key(self) -> tuple[str, ...]:
        """A possibly dotted key: bare or quoted parts joined by dots."""
        parts: list[str] = []
        while True:
            self.skip_space(newlines=False)
            if self.peek() == '"':
                parts.append(_unescape(self.skip_string()))
            elif self.peek() == "'":
                parts.append(self.skip_string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    return tuple(parts)
                parts.append(match.group())
                self.pos = match.end()
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.pos += 1

    def value(self, path: KeyPath) -> None:
        self.skip_space(newlines=False)
        char = self.peek()
        if char == "[":
            self.pos += 1
            index = 0
            while self.pos < len(self.text):
                self.skip_space(newlines=True)
                if self.peek() == "]":
                    self.pos += 1
                    return
                self.record((*path, index))
                self.value((*path, index))
                self.skip_space(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
                    index += 1
        elif char == "{":
            self.pos += 1
            while self.pos < len(self.text):
                self.skip_space(newlines=True)
                if self.peek() == "}":
                    self.pos += 1
                    return
                if self.peek() == ",":
                    self.pos += 1
                    continue
                key = self.key()
                if not key:
                    self.pos += 1
                    continue
                self.record((*path, *key))
                self.skip_space(newlines=False)
                if self.peek() == "=":
                    self.pos += 1
                self.value((*path, *key))
        elif char in ('"', "'"):
            self.skip_string()
        else:
            match = re.compile(r"[^,\]}\n#]*").match(self.text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def scan(self) -> None:
        table: KeyPath = ()
        while self.pos < len(self.text):
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                return
            if self.peek(2) == "[[":
                self.pos += 2
                name = self.key()
                index = self.array_tables.get(name, -1) + 1
                self.array_tables[name] = index
                parent = self._in_arrays(name[:-1])
                table = (*parent, *name[-1:], index)
                self.record((*parent, *name[-1:]))
                self.record(table)
                self._to_line_end()
            elif self.peek() == "[":
                self.pos += 1
                table = self._in_arrays(self.key())
                for length in range(1, len(table) + 1):  # `[a.b.c]` also makes `a.b`
                    self.record(table[:length])
                self._to_line_end()
            else:
                key = self.key()
                if not key:
                    self._to_line_end()
                    continue
                self.record((*table, *key))
                self.skip_space(newlines=False)
                if self.peek() == "=":
                    self.pos += 1
                self.value((*table, *key))
                self._to_line_end()

    def _in_arrays(self, name: tuple[str, ...]) -> KeyPath:
        """A header's key path: `[apps.state]` after `[[apps]]` is in the latest element
        (`apps[1].state`), as TOML reads it."""
        path: list[str | int] = []
        for length, part in enumerate(name, 1):
            path.append(part)
            index = self.array_tables.get(name[:length])
            if index is not None:
                path.append(index)
        return tuple(path)

    def _to_line_end(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1


class KeyLocator:
    """Line numbers of key paths in one TOML text (1-based; None when not found)."""

    def __init__(self, text: str) -> None:
        scanner = _Scanner(text)
        # Defensive only: the text was already accepted by tomllib.
        with contextlib.suppress(IndexError, ValueError):
            scanner.scan()
        self._lines = scanner.lines

    def line_of(self, path: KeyPath) -> int | None:
        """The line of `path`, else of its closest recorded parent."""
        for length in range(len(path), 0, -1):
            line = self._lines.get(tuple(path[:length]))
            if line is not None:
                return line
        return None
