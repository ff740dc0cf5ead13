"""The name and value of one setting hardener may change.

A `LeverKey` names one setting (a permission of an app in a user, an app-op mode, the
battery allow-list entry, ...); its `kind` names the `LeverKind` (hardener.core.levers) that
knows how to read, judge and change it. Values are plain data (`PermissionValue`,
`str | None`, `bool`, `int`) and survive a JSON round trip through the journal unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEVICE_WIDE = -1  # the `user` of settings that belong to the whole phone (deviceidle allow-list)


@dataclass(frozen=True, order=True)
class LeverKey:
    """One changeable setting: `kind` for `package` in `user`, `name` = permission/op/component."""

    kind: str
    user: int
    package: str
    name: str = ""

    def encode(self) -> str:
        return f"{self.kind}|{self.user}|{self.package}|{self.name}"

    @classmethod
    def decode(cls, text: str) -> LeverKey:
        from hardener.core.levers.base import KINDS  # the registry imports this module

        kind, user, package, name = text.split("|", 3)
        if kind not in KINDS:
            raise ValueError(f"unknown lever kind {kind!r}")
        return cls(kind, int(user), package, name)

    def describe(self) -> str:
        """Short words for reports: what this setting is."""
        from hardener.core.levers.base import kind_of

        where = "all users" if self.user == DEVICE_WIDE else f"user {self.user}"
        return f"{self.package} ({where}): {kind_of(self).subject(self)}"


@dataclass(frozen=True)
class PermissionValue:
    """A runtime permission's state: granted or not, and its flag names."""

    granted: bool
    flags: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {"granted": self.granted, "flags": sorted(self.flags)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PermissionValue:
        return cls(bool(data["granted"]), frozenset(str(f) for f in data.get("flags", ())))


LeverValue = PermissionValue | str | bool | int | None


def value_to_json(value: LeverValue) -> Any:
    return value.to_json() if isinstance(value, PermissionValue) else value


def short_permission(name: str) -> str:
    return name.removeprefix("android.permission.")


class NotReadable(LookupError):
    """The snapshot does not hold this setting (app gone, user unreachable)."""
