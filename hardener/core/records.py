"""What hardener knows about a phone at one moment: small frozen records, no I/O.

`collect` builds a `Snapshot` from parsed device output; `evaluate`, `plan` and the
reports only read it. Keeping it plain data is what lets every decision be tested
without a device.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Android's standby buckets (UsageStatsManager.STANDBY_BUCKET_*), by number and name.
BUCKET_NAMES: Mapping[int, str] = {
    5: "exempted",
    10: "active",
    20: "working_set",
    30: "frequent",
    40: "rare",
    45: "restricted",
    50: "never",
}
BUCKET_NUMBERS: Mapping[str, int] = {name: number for number, name in BUCKET_NAMES.items()}

# UserInfo.FLAG_MANAGED_PROFILE: a work profile.
USER_FLAG_MANAGED_PROFILE = 0x20


def bucket_name(bucket: int | None) -> str | None:
    """Name of a standby bucket number; unknown numbers keep their digits."""
    if bucket is None:
        return None
    return BUCKET_NAMES.get(bucket, str(bucket))


@dataclass(frozen=True)
class DeviceInfo:
    """Identity and software of the phone, from `getprop`."""

    serial: str
    model: str
    manufacturer: str
    sdk: int
    release: str
    rom: str  # "stock", "hyperos", "miui", "oneui", "coloros", "oxygenos", "emui", ...
    rom_version: str = ""
    timezone: str = ""  # persist.sys.timezone, "" when the phone does not say
    fingerprint: str = ""


@dataclass(frozen=True)
class User:
    """An Android user or profile (`pm list users`)."""

    id: int
    name: str
    flags: int = 0
    running: bool = True
    reachable: bool = True  # False when the shell may not touch it (e.g. Samsung Secure Folder)
    # The whole enabled lists of the user (every package), as `settings` holds them: a write to
    # enabled_accessibility_services must send the complete list back.
    notification_listeners: tuple[str, ...] = ()
    accessibility_services: tuple[str, ...] = ()

    @property
    def is_work_profile(self) -> bool:
        return bool(self.flags & USER_FLAG_MANAGED_PROFILE)


@dataclass(frozen=True)
class DeviceFeatures:
    """What this phone's shell can do, detected rather than assumed from the version."""

    permission_flags: bool  # `pm set-permission-flags` exists (Android 12+ in practice)
    restricted_bucket: bool  # the `restricted` standby bucket is enabled (Android 12+)


@dataclass(frozen=True)
class Permission:
    """A runtime permission of one app in one user: grant state and flag names."""

    name: str
    granted: bool
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AppState:
    """One package as installed for one user."""

    package: str
    user: int
    uid: int
    target_sdk: int
    version_name: str = ""
    system: bool = False
    requested: tuple[str, ...] = ()
    permissions: Mapping[str, Permission] = field(default_factory=dict)
    uid_ops: Mapping[str, str] = field(default_factory=dict)  # app-op modes set for the uid
    package_ops: Mapping[str, str] = field(default_factory=dict)  # app-op modes set for the package
    standby_bucket: int | None = None
    battery_exempt: bool = False  # on the deviceidle *user* allow-list (device-wide)
    suspended: bool = False
    stopped: bool = False
    enabled: int = 0  # COMPONENT_ENABLED_STATE_*: 0 default, 1 enabled, 2 disabled, 3 disabled-user
    notification_listeners: tuple[str, ...] = ()  # this package's enabled listener components
    accessibility_services: tuple[str, ...] = ()  # this package's enabled accessibility services

    @property
    def legacy(self) -> bool:
        """Apps targeting SDK < 23 have no runtime grants to revoke; their app-ops decide."""
        return self.target_sdk < 23

    def op_mode(self, op: str) -> str | None:
        """Effective mode of an op: a uid mode overrides the package mode; None = not set."""
        return self.uid_ops.get(op, self.package_ops.get(op))


@dataclass(frozen=True)
class Snapshot:
    """Everything a scan read from one phone, in one consistent record."""

    device: DeviceInfo
    features: DeviceFeatures
    users: tuple[User, ...]
    current_user: int
    apps: tuple[AppState, ...]
    problems: tuple[str, ...] = ()  # what could not be read, in words (e.g. a locked profile)

    def app(self, package: str, user: int) -> AppState | None:
        for app in self.apps:
            if app.package == package and app.user == user:
                return app
        return None

    def user(self, user_id: int) -> User | None:
        for user in self.users:
            if user.id == user_id:
                return user
        return None
