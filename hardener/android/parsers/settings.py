"""`settings get`, `settings list` and the component lists some settings hold.

`settings get <ns> <key>` prints the value or the literal `null` (unset); `settings list`
prints `key=value` lines (the value is everything after the first `=`).
`enabled_accessibility_services` and `enabled_notification_listeners` hold `:`-separated
component names, `pkg/full.Class` or `pkg/.RelativeClass`; empty and `null` both mean none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.android.parsers.text import RawText, lines, to_text

_COMPONENT = re.compile(r"([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/([A-Za-z0-9_.$]+)")


@dataclass(frozen=True)
class Component:
    """An Android ComponentName. `class_name` is always the full class name."""

    package: str
    class_name: str

    @property
    def flat(self) -> str:
        """`pkg/full.Class`: ComponentName.flattenToString()."""
        return f"{self.package}/{self.class_name}"

    @property
    def short(self) -> str:
        """`pkg/.Rel` when the class is inside the package: flattenToShortString()."""
        if self.class_name.startswith(self.package + "."):
            return f"{self.package}/{self.class_name[len(self.package) :]}"
        return self.flat


def parse_component(text: str) -> Component | None:
    """`pkg/cls` or `pkg/.Rel` (also `{pkg/cls}` as dumps print it), else None."""
    match = _COMPONENT.fullmatch(text.strip().strip("{}").strip())
    if match is None:
        return None
    package, class_name = match.groups()
    if class_name.startswith("."):
        class_name = package + class_name
    return Component(package=package, class_name=class_name)


def parse_settings_get(text: RawText) -> str | None:
    """The value, or None for `null` (unset). Only the final newline is removed."""
    value = to_text(text)
    if value.endswith("\n"):
        value = value[:-1]
    return None if value == "null" else value


def parse_settings_list(text: RawText) -> dict[str, str]:
    """`key=value` lines as a dict (values exact, `null` kept as printed)."""
    values: dict[str, str] = {}
    for line in lines(text):
        key, sep, value = line.partition("=")
        if sep and key and not key[0].isspace() and " " not in key:
            values[key] = value
    return values


def parse_component_list(value: str | None) -> tuple[Component, ...]:
    """A `:`-separated component setting; entries that are not components are skipped."""
    if not value or value.strip() == "null":
        return ()
    components = (parse_component(part) for part in value.split(":"))
    return tuple(component for component in components if component is not None)
