"""The individual settings hardener may change on a phone, and how to read each one.

A `LeverKey` names one setting (a permission of an app in a user, an app-op mode, the
battery allow-list entry, ...). Its value is read from a `Snapshot` with `read_value`, so the
planner, the journal and the read-back all agree on what "the current state" of a setting
is. Values are plain data (`PermissionValue`, `str | None`, `bool`, `int`) and survive a JSON
round trip through the journal unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hardener.core.records import AppState, Snapshot

DEVICE_WIDE = -1  # the `user` of settings that belong to the whole phone (deviceidle allow-list)

PERMISSION = "permission"
UID_OP = "uid_op"
PACKAGE_OP = "package_op"
IDLE_WHITELIST = "idle_whitelist"
STANDBY_BUCKET = "standby_bucket"
SUSPENDED = "suspended"
NOTIFICATION_LISTENER = "notification_listener"
ACCESSIBILITY_SERVICE = "accessibility_service"

KINDS = (
    PERMISSION,
    UID_OP,
    PACKAGE_OP,
    IDLE_WHITELIST,
    STANDBY_BUCKET,
    SUSPENDED,
    NOTIFICATION_LISTENER,
    ACCESSIBILITY_SERVICE,
)


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
        kind, user, package, name = text.split("|", 3)
        if kind not in KINDS:
            raise ValueError(f"unknown lever kind {kind!r}")
        return cls(kind, int(user), package, name)

    def describe(self) -> str:
        """Short words for reports: what this setting is."""
        where = "all users" if self.user == DEVICE_WIDE else f"user {self.user}"
        subject = {
            PERMISSION: f"permission {short_permission(self.name)}",
            UID_OP: f"app-op {self.name} (uid)",
            PACKAGE_OP: f"app-op {self.name}",
            IDLE_WHITELIST: "battery-optimisation exemption",
            STANDBY_BUCKET: "standby bucket",
            SUSPENDED: "suspended",
            NOTIFICATION_LISTENER: f"notification listener {self.name}",
            ACCESSIBILITY_SERVICE: f"accessibility service {self.name}",
        }[self.kind]
        return f"{self.package} ({where}): {subject}"


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


def value_from_json(kind: str, data: Any) -> LeverValue:
    if kind == PERMISSION:
        return None if data is None else PermissionValue.from_json(data)
    return data


def short_permission(name: str) -> str:
    return name.removeprefix("android.permission.")


class NotReadable(LookupError):
    """The snapshot does not hold this setting (app gone, user unreachable)."""


def read_value(snapshot: Snapshot, key: LeverKey) -> LeverValue:
    """The current value of a setting in a snapshot; raises NotReadable if it is not there."""
    if key.kind == IDLE_WHITELIST:
        apps = [app for app in snapshot.apps if app.package == key.package]
        if not apps:
            raise NotReadable(key.describe())
        return apps[0].battery_exempt
    app = snapshot.app(key.package, key.user)
    if app is None:
        raise NotReadable(key.describe())
    return read_app_value(app, key)


def read_app_value(app: AppState, key: LeverKey) -> LeverValue:
    if key.kind == PERMISSION:
        permission = app.permissions.get(key.name)
        if permission is None:
            return None
        return PermissionValue(permission.granted, permission.flags)
    if key.kind == UID_OP:
        return app.uid_ops.get(key.name)
    if key.kind == PACKAGE_OP:
        return app.package_ops.get(key.name)
    if key.kind == IDLE_WHITELIST:
        return app.battery_exempt
    if key.kind == STANDBY_BUCKET:
        return app.standby_bucket
    if key.kind == SUSPENDED:
        return app.suspended
    if key.kind == NOTIFICATION_LISTENER:
        return key.name in app.notification_listeners
    if key.kind == ACCESSIBILITY_SERVICE:
        return key.name in app.accessibility_services
    raise ValueError(f"unknown lever kind {key.kind!r}")
