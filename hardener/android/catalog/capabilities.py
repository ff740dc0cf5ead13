"""Capabilities and background levers: the names profiles and reports use, as data.

A *capability* (contacts, location, ...) is a whole Android permission group: the permission
controller silently re-grants a revoked member when another member of its group is still
granted (android-levers.md §1.4), so a capability always lists every member, per SDK level.
Apps targeting SDK < 23 ("legacy") have no runtime grants to revoke; their app-ops decide,
so each member also names the op that controls it for those apps (§2.4).

A *lever* (background_run, battery_exemption, ...) is an always-on hook outside the permission
model. Each says where its state is read (command and field, and the `AppState` attribute the
scan fills) and which commands change and restore it, for the enforcer.

Group membership follows the PermissionController's platform mapping
(`PermissionMapping.kt`, packages/modules/Permission) and op names follow
`AppOpsManager.sAppOpInfos` (frameworks/base). Android 16 (SDK 36) moves body sensors to
health permissions; that is not modelled yet (SDK 36 is read like SDK 35).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from hardener.core.levers import (
    ACCESSIBILITY_SERVICE,
    IDLE_WHITELIST,
    NOTIFICATION_LISTENER,
    PACKAGE_OP,
    STANDBY_BUCKET,
    SUSPENDED,
    UID_OP,
    Intent,
    LeverKey,
    OffTarget,
    kind_of,
)
from hardener.core.levers.app_state import standby_off_bucket
from hardener.core.records import BUCKET_NUMBERS, AppState

# Lowest SDK hardener talks to (runtime permissions exist from Android 6, SDK 23).
MIN_SDK = 23
# Highest SDK this table was written against.
MAX_SDK = 35

CapabilityState = Literal["granted", "partial", "denied", "not_requested"]

# Flags dumpsys prints when a legacy app's permission was denied through its app-op.
_REVOKED_COMPAT_FLAGS = frozenset({"REVOKED_COMPAT", "REVOKE_ON_UPGRADE"})


@dataclass(frozen=True)
class PermissionSpec:
    """One member of a permission group, the SDK levels where it exists, and its app-op."""

    name: str
    min_sdk: int = MIN_SDK
    max_sdk: int | None = None
    op: str | None = None  # the op that gates it for legacy apps (uid mode)
    op_off_mode: str = "ignore"  # the mode that denies it ("foreground" denies background only)
    op_min_sdk: int | None = None  # when the op appeared later than the permission

    def exists_on(self, sdk: int) -> bool:
        return self.min_sdk <= sdk and (self.max_sdk is None or sdk <= self.max_sdk)

    def op_exists_on(self, sdk: int) -> bool:
        return (
            self.op is not None
            and self.exists_on(sdk)
            and sdk >= (self.op_min_sdk if self.op_min_sdk is not None else self.min_sdk)
        )


@dataclass(frozen=True)
class AppOp:
    """An app-op to set (uid mode) to deny a capability to a legacy app."""

    name: str
    off_mode: str = "ignore"


@dataclass(frozen=True)
class Capability:
    """A capability name used in profiles and reports, and the permissions behind it."""

    name: str
    summary: str
    members: tuple[PermissionSpec, ...]
    note: str = ""

    @property
    def min_sdk(self) -> int:
        """First SDK level on which some member exists."""
        return min(member.min_sdk for member in self.members)

    def available_on(self, sdk: int) -> bool:
        return any(member.exists_on(sdk) for member in self.members)

    def permissions_for(self, sdk: int) -> tuple[str, ...]:
        """Every permission of the group on this SDK level (empty before `min_sdk`)."""
        return tuple(member.name for member in self.members if member.exists_on(sdk))

    def app_ops_for(self, sdk: int) -> tuple[AppOp, ...]:
        """Ops that deny the capability to legacy apps; the strictest mode wins per op."""
        modes: dict[str, str] = {}
        for member in self.members:
            if member.op is not None and member.op_exists_on(sdk):
                current = modes.get(member.op)
                if current is None or current == "foreground":
                    modes[member.op] = member.op_off_mode
        return tuple(AppOp(op, mode) for op, mode in modes.items())

    def member(self, permission: str) -> PermissionSpec | None:
        for member in self.members:
            if member.name == permission:
                return member
        return None


def _p(
    short: str,
    min_sdk: int = MIN_SDK,
    max_sdk: int | None = None,
    *,
    op: str | None = "",
    op_off_mode: str = "ignore",
    op_min_sdk: int | None = None,
) -> PermissionSpec:
    """Platform permission `android.permission.SHORT`; its op has the same name unless given."""
    return PermissionSpec(
        name=f"android.permission.{short}",
        min_sdk=min_sdk,
        max_sdk=max_sdk,
        op=short if op == "" else op,
        op_off_mode=op_off_mode,
        op_min_sdk=op_min_sdk,
    )


_FINE = _p("ACCESS_FINE_LOCATION", op="FINE_LOCATION")
_COARSE = _p("ACCESS_COARSE_LOCATION", op="COARSE_LOCATION")
# Background location has no op of its own: COARSE_LOCATION in mode `foreground` denies it.
_BACKGROUND = _p("ACCESS_BACKGROUND_LOCATION", 29, op="COARSE_LOCATION", op_off_mode="foreground")
# Until Android 9 call-log permissions were members of the PHONE group (split off in API 28).
_CALL_LOG_MEMBERS = (
    _p("READ_CALL_LOG"),
    _p("WRITE_CALL_LOG"),
    _p("PROCESS_OUTGOING_CALLS"),
)
_PHONE_MEMBERS = (
    _p("READ_PHONE_STATE"),
    _p("READ_PHONE_NUMBERS", 26),
    _p("CALL_PHONE"),
    _p("ADD_VOICEMAIL"),
    _p("USE_SIP"),
    _p("ANSWER_PHONE_CALLS", 26),
    _p("ACCEPT_HANDOVER", 28),
)


def _until(spec: PermissionSpec, max_sdk: int) -> PermissionSpec:
    return PermissionSpec(
        spec.name, spec.min_sdk, max_sdk, spec.op, spec.op_off_mode, spec.op_min_sdk
    )


_CAPABILITY_LIST: tuple[Capability, ...] = (
    Capability(
        "contacts",
        "read and change the address book and the accounts on the phone",
        (_p("READ_CONTACTS"), _p("WRITE_CONTACTS"), _p("GET_ACCOUNTS", op_min_sdk=26)),
    ),
    Capability(
        "location",
        "precise, approximate and background location",
        (_FINE, _COARSE, _BACKGROUND),
        note="revoking all three removes location entirely (android-levers.md §1.5)",
    ),
    Capability(
        "background_location",
        "location while the app is not in use",
        (_BACKGROUND, _until(_FINE, 28), _until(_COARSE, 28)),
        note=(
            "before Android 10 (SDK 29) a location grant includes background use, so the only "
            "way to deny background location is to deny location"
        ),
    ),
    Capability(
        "camera", "take pictures and video", (_p("CAMERA"), _p("BACKGROUND_CAMERA", 31, op=None))
    ),
    Capability(
        "microphone",
        "record audio",
        (_p("RECORD_AUDIO"), _p("RECORD_BACKGROUND_AUDIO", 31, op=None)),
    ),
    Capability(
        "phone",
        "phone state and number, calls, voicemail, SIP",
        (*_PHONE_MEMBERS, *(_until(member, 27) for member in _CALL_LOG_MEMBERS)),
        note="until Android 9 (SDK 28) the call log belonged to the PHONE group",
    ),
    Capability(
        "call_log",
        "read and write the call log, see outgoing calls",
        (*_CALL_LOG_MEMBERS, *(_until(member, 27) for member in _PHONE_MEMBERS)),
        note="until Android 9 (SDK 28) the call log belonged to the PHONE group",
    ),
    Capability(
        "sms",
        "send, receive and read SMS/MMS",
        (
            _p("SEND_SMS"),
            _p("RECEIVE_SMS"),
            _p("READ_SMS"),
            _p("RECEIVE_WAP_PUSH"),
            _p("RECEIVE_MMS"),
            _p("READ_CELL_BROADCASTS"),
        ),
    ),
    Capability(
        "calendar", "read and change calendar events", (_p("READ_CALENDAR"), _p("WRITE_CALENDAR"))
    ),
    Capability(
        "storage",
        "shared storage, photos, videos and audio files",
        (
            _p("READ_EXTERNAL_STORAGE"),
            _p("WRITE_EXTERNAL_STORAGE"),
            _p("ACCESS_MEDIA_LOCATION", 29),
            _p("READ_MEDIA_IMAGES", 33),
            _p("READ_MEDIA_VIDEO", 33),
            _p("READ_MEDIA_AUDIO", 33),
            _p("READ_MEDIA_VISUAL_USER_SELECTED", 34),
        ),
        note=(
            "from Android 13 the READ_MEDIA_* permissions replace storage for apps targeting 33+; "
            "older apps still hold READ/WRITE_EXTERNAL_STORAGE"
        ),
    ),
    Capability(
        "notifications",
        "post notifications",
        (_p("POST_NOTIFICATIONS", 33, op="POST_NOTIFICATION"),),
        note=(
            "before Android 13 (SDK 33) there is no per-app notification permission the shell "
            "can change (android-levers.md §3.10)"
        ),
    ),
    Capability(
        "nearby",
        "find, connect to and locate nearby devices (Bluetooth, Wi-Fi, UWB)",
        (
            _p("BLUETOOTH_SCAN", 31),
            _p("BLUETOOTH_CONNECT", 31),
            _p("BLUETOOTH_ADVERTISE", 31),
            _p("UWB_RANGING", 31),
            _p("NEARBY_WIFI_DEVICES", 33),
        ),
        note="before Android 12 (SDK 31) nearby scans need location instead",
    ),
    Capability(
        "body_sensors",
        "heart rate and other body sensors",
        (_p("BODY_SENSORS", op="BODY_SENSORS"), _p("BODY_SENSORS_BACKGROUND", 33, op=None)),
    ),
    Capability(
        "activity_recognition",
        "physical activity (walking, driving, steps)",
        (
            _p("ACTIVITY_RECOGNITION", 29),
            PermissionSpec("com.google.android.gms.permission.ACTIVITY_RECOGNITION"),
        ),
        note=(
            "before Android 10 the permission is Google Play services' own, with no app-op: "
            "a legacy app (targetSdk < 23) keeps it"
        ),
    ),
)

CAPABILITIES: Mapping[str, Capability] = MappingProxyType({c.name: c for c in _CAPABILITY_LIST})


def capability(name: str) -> Capability:
    """The capability called `name`; KeyError names the known ones."""
    try:
        return CAPABILITIES[name]
    except KeyError:
        raise KeyError(f"unknown capability {name!r}; known: {', '.join(CAPABILITIES)}") from None


def capabilities_of_permission(permission: str, sdk: int) -> tuple[str, ...]:
    """Capabilities whose group holds `permission` on this SDK (several for location)."""
    return tuple(cap.name for cap in _CAPABILITY_LIST if permission in cap.permissions_for(sdk))


def _legacy_held(app: AppState, spec: PermissionSpec) -> bool:
    permission = app.permissions.get(spec.name)
    if permission is not None and permission.flags & _REVOKED_COMPAT_FLAGS:
        return False
    if spec.op is None:
        return True
    mode = app.op_mode(spec.op)
    denied = {"ignore", "deny", "errored"}
    if spec.op_off_mode == "foreground":
        denied.add("foreground")
    return mode not in denied


def capability_state(app: AppState, name: str, sdk: int) -> CapabilityState:
    """How much of a capability the app holds: all, some, none of the members it asked for.

    Modern apps: the runtime grants. Legacy apps (targetSdk < 23): granted at install, so a
    member is held unless its op denies it or it carries REVOKED_COMPAT.
    """
    cap = capability(name)
    held: list[bool] = []
    for spec in cap.members:
        if not spec.exists_on(sdk):
            continue
        if app.legacy:
            if spec.name in app.requested or spec.name in app.permissions:
                held.append(_legacy_held(app, spec))
        elif spec.name in app.permissions:
            held.append(app.permissions[spec.name].granted)
    if not held:
        return "not_requested"
    if all(held):
        return "granted"
    return "partial" if any(held) else "denied"


# ---------------------------------------------------------------------------------------------
# Background levers

LeverScope = Literal["package", "uid", "device"]


@dataclass(frozen=True)
class Lever:
    """An always-on hook: where it is read, what "off" means, how to change and restore it.

    `targets` are the settings it turns off, each of a lever kind (hardener.core.levers)
    that builds the commands from validated names; the rest is documentation for reports.
    """

    name: str
    summary: str
    min_sdk: int
    scope: LeverScope  # package mode per user, uid mode per user, or device-wide
    read_command: str
    read_field: str  # what in the read output carries the state
    record_field: str  # the AppState attribute the scan fills from it
    off_state: str  # what "off" means, in words a report can show
    targets: tuple[OffTarget, ...]
    restore_rule: str  # how to restore exactly (the snapshot value, never a guess)
    note: str = ""

    def available_on(self, sdk: int) -> bool:
        return sdk >= self.min_sdk


_LEVER_LIST: tuple[Lever, ...] = (
    Lever(
        name="background_run",
        summary="run in the background (Settings' battery usage 'Restricted' is this off)",
        min_sdk=28,
        scope="package",
        read_command="cmd appops get --user {user} {package} RUN_ANY_IN_BACKGROUND",
        read_field="package-mode line 'RUN_ANY_IN_BACKGROUND: <mode>' (no line: allow)",
        record_field="package_ops['RUN_ANY_IN_BACKGROUND']",
        off_state="RUN_ANY_IN_BACKGROUND ignore (package mode)",
        targets=(
            OffTarget(PACKAGE_OP, "RUN_ANY_IN_BACKGROUND", "ignore"),
            OffTarget(PACKAGE_OP, "RUN_IN_BACKGROUND", "ignore", max_target_sdk=25),
        ),
        restore_rule=(
            "the snapshot's package mode; `allow` when none was set (never `default`, which "
            "counts as restricted); RUN_IN_BACKGROUND only for apps targeting SDK < 26"
        ),
        note="package mode, never --uid (android-levers.md §3.3); then `cmd appops write-settings`",
    ),
    Lever(
        name="battery_exemption",
        summary="exempt from battery optimisation (Doze and App Standby)",
        min_sdk=23,
        scope="device",
        read_command="cmd deviceidle whitelist",
        read_field="a 'user,<package>,<appid>' line",
        record_field="battery_exempt",
        off_state="not on the deviceidle user allow-list",
        targets=(OffTarget(IDLE_WHITELIST, off=False),),
        restore_rule="re-add only when the snapshot had a user,<package> line",
        note="device-wide, not per user; remove before setting the restricted bucket",
    ),
    Lever(
        name="standby_bucket",
        summary="App Standby bucket (how often jobs and alarms may run)",
        min_sdk=28,
        scope="package",
        read_command="am get-standby-bucket --user {user}",
        read_field="'<package>: <bucket number>' line",
        record_field="standby_bucket",
        off_state="bucket restricted (45) from SDK 31, rare (40) before",
        targets=(OffTarget(STANDBY_BUCKET),),
        restore_rule="the snapshot's bucket; an exempted (5) bucket cannot be set: leave it",
        note="best effort: the user opening the app lifts the bucket (android-levers.md §3.1)",
    ),
    Lever(
        name="suspended",
        summary="the app is usable (suspending it hides it, blocks its UI and notifications)",
        min_sdk=28,
        scope="package",
        read_command="dumpsys package {package}",
        read_field="'User <n>: ... suspended=<bool>' line",
        record_field="suspended",
        off_state="suspended by the shell",
        targets=(OffTarget(SUSPENDED, off=True),),
        restore_rule="unsuspend only when the snapshot was not suspended",
        note="refused for device admins, the launcher and installers; check the printed state",
    ),
    Lever(
        name="notification_listener",
        summary="read every other app's notifications",
        min_sdk=26,
        scope="package",
        read_command="settings --user {user} get secure enabled_notification_listeners",
        read_field="colon-separated components starting with '<package>/'",
        record_field="notification_listeners",
        off_state="none of the app's listener components allowed",
        targets=(OffTarget(NOTIFICATION_LISTENER, off=False),),
        restore_rule="re-allow exactly the components the snapshot listed",
        note="read the setting, write through `cmd notification` (android-levers.md §3.10)",
    ),
    Lever(
        name="accessibility",
        summary="an enabled accessibility service (sees and acts on the whole screen)",
        min_sdk=23,
        scope="package",
        read_command="settings --user {user} get secure enabled_accessibility_services",
        read_field="colon-separated components starting with '<package>/'",
        record_field="accessibility_services",
        off_state="none of the app's services in enabled_accessibility_services",
        targets=(OffTarget(ACCESSIBILITY_SERVICE, off=False),),
        restore_rule="write back the list with the snapshot's components of this app",
        note="the setting holds every app's services: rewrite it from a fresh read",
    ),
    Lever(
        name="overlay",
        summary="display over other apps (SYSTEM_ALERT_WINDOW)",
        min_sdk=23,
        scope="package",
        read_command="cmd appops get --user {user} {package} SYSTEM_ALERT_WINDOW",
        read_field="package-mode line 'SYSTEM_ALERT_WINDOW: <mode>'",
        record_field="package_ops['SYSTEM_ALERT_WINDOW']",
        off_state="SYSTEM_ALERT_WINDOW ignore (package mode)",
        targets=(OffTarget(PACKAGE_OP, "SYSTEM_ALERT_WINDOW", "ignore"),),
        restore_rule="the snapshot's package mode; `default` when none was set",
    ),
    Lever(
        name="exact_alarm",
        summary="schedule exact alarms (SCHEDULE_EXACT_ALARM)",
        min_sdk=31,
        scope="uid",
        read_command="cmd appops get --user {user} {package} SCHEDULE_EXACT_ALARM",
        read_field="'Uid mode: SCHEDULE_EXACT_ALARM: <mode>' line",
        record_field="uid_ops['SCHEDULE_EXACT_ALARM']",
        off_state="SCHEDULE_EXACT_ALARM ignore (uid mode)",
        targets=(OffTarget(UID_OP, "SCHEDULE_EXACT_ALARM", "ignore"),),
        restore_rule="the snapshot's uid mode; `default` when none was set",
        note=(
            "revoking deletes the app's pending exact alarms; apps on the battery allow-list and "
            "holders of USE_EXACT_ALARM keep exact alarms anyway"
        ),
    ),
    Lever(
        name="full_screen_intent",
        summary="full-screen notifications over the lock screen (USE_FULL_SCREEN_INTENT)",
        min_sdk=34,
        scope="uid",
        read_command="cmd appops get --user {user} {package} USE_FULL_SCREEN_INTENT",
        read_field="'Uid mode: USE_FULL_SCREEN_INTENT: <mode>' line",
        record_field="uid_ops['USE_FULL_SCREEN_INTENT']",
        off_state="USE_FULL_SCREEN_INTENT ignore (uid mode)",
        targets=(OffTarget(UID_OP, "USE_FULL_SCREEN_INTENT", "ignore"),),
        restore_rule="the snapshot's uid mode; `default` when none was set",
    ),
    Lever(
        name="restricted_settings",
        summary=(
            "unguarded restricted settings (Android 13+: may ask to enable accessibility or "
            "notification access without the system's confirmation)"
        ),
        min_sdk=33,
        scope="package",
        read_command="cmd appops get --user {user} {package} ACCESS_RESTRICTED_SETTINGS",
        read_field="package-mode line 'ACCESS_RESTRICTED_SETTINGS: <mode>' (no line: allow)",
        record_field="package_ops['ACCESS_RESTRICTED_SETTINGS']",
        off_state="ACCESS_RESTRICTED_SETTINGS deny (guarded)",
        targets=(OffTarget("restricted_settings", "ACCESS_RESTRICTED_SETTINGS", "deny"),),
        restore_rule="the snapshot's package mode; `allow` (the op's default) when none was set",
        note="EnhancedConfirmationService state (android-15-17-and-access-history.md)",
    ),
)

LEVERS: Mapping[str, Lever] = MappingProxyType({lever.name: lever for lever in _LEVER_LIST})


def lever(name: str) -> Lever:
    """The lever called `name`; KeyError names the known ones."""
    try:
        return LEVERS[name]
    except KeyError:
        raise KeyError(f"unknown lever {name!r}; known: {', '.join(LEVERS)}") from None


def _allowed_mode(mode: str | None) -> bool:
    return mode in (None, "allow")


def _holds_background_run(app: AppState, _sdk: int) -> bool | None:
    if not _allowed_mode(app.package_ops.get("RUN_ANY_IN_BACKGROUND")):
        return False
    return app.target_sdk >= 26 or _allowed_mode(app.package_ops.get("RUN_IN_BACKGROUND"))


def _holds_standby(app: AppState, sdk: int) -> bool | None:
    if app.standby_bucket is None:
        return None
    return app.standby_bucket < BUCKET_NUMBERS[standby_off_bucket(sdk)]


def _holds_overlay(app: AppState, _sdk: int) -> bool | None:
    if "android.permission.SYSTEM_ALERT_WINDOW" not in app.requested:
        return False
    mode = app.package_ops.get("SYSTEM_ALERT_WINDOW")
    if mode in (None, "default"):
        # `default` defers to the permission, which only pre-23 and system apps hold.
        return app.legacy or app.system
    return mode == "allow"


def _holds_exact_alarm(app: AppState, sdk: int) -> bool | None:
    if "android.permission.USE_EXACT_ALARM" in app.requested:
        return True
    if "android.permission.SCHEDULE_EXACT_ALARM" not in app.requested:
        return False
    mode = app.uid_ops.get("SCHEDULE_EXACT_ALARM")
    if mode in (None, "default"):
        # Granted by default until Android 14, which denies it to new installs targeting 33+.
        return True if sdk < 34 or app.target_sdk < 33 else None
    return mode == "allow"


def _holds_full_screen_intent(app: AppState, sdk: int) -> bool | None:
    if "android.permission.USE_FULL_SCREEN_INTENT" not in app.requested:
        return False
    if sdk < 34:
        return True  # a normal permission before Android 14: granted at install
    mode = app.uid_ops.get("USE_FULL_SCREEN_INTENT")
    if mode in (None, "default"):
        return None  # depends on the app's Play category, which the phone does not print
    return mode == "allow"


_HOLDS: Mapping[str, Callable[[AppState, int], bool | None]] = MappingProxyType(
    {
        "background_run": _holds_background_run,
        "battery_exemption": lambda app, _sdk: app.battery_exempt,
        "standby_bucket": _holds_standby,
        "suspended": lambda app, _sdk: not app.suspended,
        "notification_listener": lambda app, _sdk: bool(app.notification_listeners),
        "accessibility": lambda app, _sdk: bool(app.accessibility_services),
        "overlay": _holds_overlay,
        "exact_alarm": _holds_exact_alarm,
        "full_screen_intent": _holds_full_screen_intent,
    }
)


def lever_holds(name: str, app: AppState, sdk: int) -> bool | None:
    """Whether the app currently has what the lever takes away; None = the scan cannot tell."""
    spec = lever(name)  # validate the name with a helpful KeyError
    special = _HOLDS.get(name)
    if special is not None:
        return special(app, sdk)
    return any(_target_holds(app, target) for target in spec.targets)


def _target_holds(app: AppState, target: OffTarget) -> bool:
    """The app's setting does not yet meet the target's off value (the kind judges)."""
    kind = kind_of(target.kind)
    key = LeverKey(target.kind, app.user, app.package, target.setting)
    current = kind.read_app(app, key)
    return not kind.satisfies(Intent.HARDEN, key, current, target.off, True)


# Every name a profile may use in off_hours / never / allowed.
PROFILE_NAMES: tuple[str, ...] = (*CAPABILITIES, *LEVERS)
