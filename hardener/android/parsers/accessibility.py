"""`dumpsys accessibility`: installed and enabled accessibility services, per user.

Older builds print `installed services: {` / `enabled services: {` blocks with one
`<n> : pkg/cls` line per service up to a closing `}`; Android 14+ prints
`Enabled services:{{pkg/cls}, {pkg/cls}}` on one line inside `User state[…]`. Both are read
the same way: every component between the header and its closing brace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hardener.android.parsers.settings import Component, parse_component
from hardener.android.parsers.text import RawText, lines, to_int

_USER = re.compile(r"attributes:\{id=(-?[0-9]{1,9})")
_LIST_HEADER = re.compile(r"(installed|enabled) services:\s*(.*)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s{},\[\]]+")


@dataclass(frozen=True)
class AccessibilityUser:
    user: int | None  # None when the dump printed no `User state[attributes:{id=…` header
    installed: tuple[Component, ...] = ()
    enabled: tuple[Component, ...] = ()


@dataclass(frozen=True)
class AccessibilityDump:
    users: tuple[AccessibilityUser, ...] = ()

    @property
    def installed(self) -> tuple[Component, ...]:
        return _merged(user.installed for user in self.users)

    @property
    def enabled(self) -> tuple[Component, ...]:
        return _merged(user.enabled for user in self.users)


def _merged(groups: Iterable[tuple[Component, ...]]) -> tuple[Component, ...]:
    seen: dict[Component, None] = {}
    for group in groups:
        for component in group:
            seen.setdefault(component, None)
    return tuple(seen)


class _UserBuilder:
    def __init__(self, user: int | None) -> None:
        self.user = user
        self.lists: dict[str, list[Component]] = {"installed": [], "enabled": []}

    def add(self, kind: str, text: str) -> None:
        for token in _SEPARATORS.split(text):
            component = parse_component(token) if "/" in token else None
            if component is not None and component not in self.lists[kind]:
                self.lists[kind].append(component)

    def build(self) -> AccessibilityUser:
        return AccessibilityUser(
            user=self.user,
            installed=tuple(self.lists["installed"]),
            enabled=tuple(self.lists["enabled"]),
        )


def parse_dumpsys_accessibility(text: RawText) -> AccessibilityDump:
    users: list[_UserBuilder] = []
    current: _UserBuilder | None = None
    open_list: str | None = None
    for line in lines(text):
        stripped = line.strip()
        user = _USER.search(stripped)
        if user is not None:
            current = _UserBuilder(to_int(user.group(1)))
            users.append(current)
            open_list = None
            continue
        if open_list is not None and current is not None:
            if stripped.startswith("}"):
                open_list = None
            else:
                current.add(open_list, stripped)
            continue
        header = _LIST_HEADER.match(stripped)
        if header is None:
            continue
        if current is None:
            current = _UserBuilder(None)
            users.append(current)
        kind, rest = header.group(1).lower(), header.group(2)
        current.add(kind, rest)
        if rest.count("{") > rest.count("}"):
            open_list = kind
    return AccessibilityDump(users=tuple(user.build() for user in users))
