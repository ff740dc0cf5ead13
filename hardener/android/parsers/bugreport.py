"""A bugreport's text (`bugreport-*.txt` in the zip `adb bugreport` pulls) cut into sections.

Layout from AOSP frameworks/native `cmds/dumpstate/dumpstate.cpp` and `cmds/dumpsys/
dumpsys.cpp` (derived from the sources; no real bugreport is in the fixtures):

* a header between `=====` rules: `== dumpstate: <time>`, then `Key: value` lines (`Build`,
  `Build fingerprint`, `Bugreport format version`, …);
* command sections: `------ TITLE (command) ------` … `------ 0.012s was the duration of
  'TITLE' ------` (the duration line is missing when a section was cut short);
* service dumps inside the DUMPSYS sections: a line of dashes, `DUMP OF SERVICE
  [CRITICAL |HIGH ]name:`, the dump, then `--------- 0.004s was the duration of dumpsys
  name, ending at: <time>` (older releases end without `, ending at`).

A service dumped more than once (priorities, `--proto` runs) keeps its first non-empty
text. Never raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hardener.android.parsers.text import RawText, to_text

_COMMAND = re.compile(r"------ (.*?) \((.*)\) ------")
_COMMAND_END = re.compile(r"------ [0-9.]+s was the duration of '(.*)' ------")
_SERVICE = re.compile(r"DUMP OF SERVICE (?:(CRITICAL|HIGH|NORMAL) )?(\S+?):")
_SERVICE_END = re.compile(r"--------- [0-9.]+s was the duration of dumpsys (\S+?)(?:,.*)?")
_RULE = re.compile(r"-{10,}")
_HEADER_FIELD = re.compile(r"([A-Z][A-Za-z0-9 ]{0,40}): (.*)")
_DUMPSTATE = re.compile(r"== dumpstate: (.*)")


@dataclass(frozen=True)
class BugreportSections:
    """What a bugreport's text holds, by section."""

    header: Mapping[str, str] = field(default_factory=dict)
    commands: Mapping[str, str] = field(default_factory=dict)  # title -> output
    command_lines: Mapping[str, str] = field(default_factory=dict)  # title -> command run
    services: Mapping[str, str] = field(default_factory=dict)  # dumpsys service -> its dump

    @property
    def taken_at(self) -> str:
        """The `== dumpstate:` time, as the phone printed it (its own zone), or ""."""
        return self.header.get("dumpstate", "")

    def service(self, name: str) -> str | None:
        return self.services.get(name)

    def command(self, title: str) -> str | None:
        return self.commands.get(title)

    @property
    def is_bugreport(self) -> bool:
        return bool(self.taken_at or self.services or self.commands)


def parse_bugreport(data: RawText) -> BugreportSections:
    text = to_text(data)
    header: dict[str, str] = {}
    commands: dict[str, list[str]] = {}
    command_lines: dict[str, str] = {}
    services: dict[str, str] = {}
    in_header = True
    command: str | None = None  # the open command section
    service: str | None = None  # the open service dump
    body: list[str] = []
    source = text.replace("\r\n", "\n").split("\n")

    def close_service() -> None:
        nonlocal service, body
        if service is not None and not services.get(service):
            services[service] = _joined(body)
        service, body = None, []

    for index, line in enumerate(source):
        stripped = line.strip()
        if in_header:
            stamp = _DUMPSTATE.fullmatch(stripped)
            if stamp is not None:
                header["dumpstate"] = stamp.group(1).strip()
                continue
            field_match = _HEADER_FIELD.fullmatch(line)
            if field_match is not None and header:
                header.setdefault(field_match.group(1), field_match.group(2).strip())
                continue
        started = _SERVICE.fullmatch(stripped)
        if started is not None:
            close_service()
            if command is not None and body_ends_with_rule(commands, command):
                commands[command].pop()
            service = started.group(2)
            in_header = False
            continue
        if service is not None:
            ended = _SERVICE_END.fullmatch(stripped)
            if ended is not None:
                close_service()
                continue
            if _COMMAND.fullmatch(stripped) is None and _COMMAND_END.fullmatch(stripped) is None:
                if _RULE.fullmatch(stripped) and _next_is_service(source, index):
                    continue  # the rule above the next DUMP OF SERVICE
                body.append(line)
                continue
            close_service()
        opened = _COMMAND.fullmatch(stripped)
        if opened is not None and not _COMMAND_END.fullmatch(stripped):
            in_header = False
            command = opened.group(1)
            command_lines.setdefault(command, opened.group(2))
            commands.setdefault(command, [])
            continue
        if _COMMAND_END.fullmatch(stripped):
            command = None
            continue
        if command is not None:
            commands[command].append(line)
    close_service()
    return BugreportSections(
        header=header,
        commands={title: _joined(lines_) for title, lines_ in commands.items()},
        command_lines=command_lines,
        services=services,
    )


def body_ends_with_rule(commands: dict[str, list[str]], command: str | None) -> bool:
    if command is None or not commands.get(command):
        return False
    return _RULE.fullmatch(commands[command][-1].strip()) is not None


def _next_is_service(source: list[str], index: int) -> bool:
    return index + 1 < len(source) and _SERVICE.fullmatch(source[index + 1].strip()) is not None


def _joined(lines_: list[str]) -> str:
    """Lines cut at "\n" put back together, each with its newline."""
    return "\n".join(lines_) + "\n" if lines_ else ""
