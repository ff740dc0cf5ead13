"""Android platform tables: permissions, app-ops, permission flags, per-version traits.

Taken from AOSP (`core/res/AndroidManifest.xml` permission definitions,
`AppOpsManager.java` op table, `PackageManager.permissionFlagToString`) for the releases
the bundled personas run. Only what the shell commands and the model need.
"""

from __future__ import annotations

from dataclasses import dataclass

P = "android.permission."

# Runtime ("dangerous") permissions: name -> (group, API level that introduced it).
RUNTIME_PERMISSIONS: dict[str, tuple[str, int]] = {
    P + "READ_CONTACTS": ("CONTACTS", 23),
    P + "WRITE_CONTACTS": ("CONTACTS", 23),
    P + "GET_ACCOUNTS": ("CONTACTS", 23),
    P + "ACCESS_FINE_LOCATION": ("LOCATION", 23),
    P + "ACCESS_COARSE_LOCATION": ("LOCATION", 23),
    P + "ACCESS_BACKGROUND_LOCATION": ("LOCATION", 29),
    P + "CAMERA": ("CAMERA", 23),
    P + "RECORD_AUDIO": ("MICROPHONE", 23),
    P + "READ_PHONE_STATE": ("PHONE", 23),
    P + "READ_PHONE_NUMBERS": ("PHONE", 26),
    P + "CALL_PHONE": ("PHONE", 23),
    P + "ANSWER_PHONE_CALLS": ("PHONE", 26),
    "com.android.voicemail.permission.ADD_VOICEMAIL": ("PHONE", 23),
    P + "USE_SIP": ("PHONE", 23),
    P + "ACCEPT_HANDOVER": ("PHONE", 28),
    P + "PROCESS_OUTGOING_CALLS": ("CALL_LOG", 23),
    P + "READ_CALL_LOG": ("CALL_LOG", 23),
    P + "WRITE_CALL_LOG": ("CALL_LOG", 23),
    P + "READ_CALENDAR": ("CALENDAR", 23),
    P + "WRITE_CALENDAR": ("CALENDAR", 23),
    P + "SEND_SMS": ("SMS", 23),
    P + "RECEIVE_SMS": ("SMS", 23),
    P + "READ_SMS": ("SMS", 23),
    P + "RECEIVE_WAP_PUSH": ("SMS", 23),
    P + "RECEIVE_MMS": ("SMS", 23),
    P + "READ_EXTERNAL_STORAGE": ("STORAGE", 23),
    P + "WRITE_EXTERNAL_STORAGE": ("STORAGE", 23),
    P + "ACCESS_MEDIA_LOCATION": ("STORAGE", 29),
    P + "READ_MEDIA_AUDIO": ("READ_MEDIA_AURAL", 33),
    P + "READ_MEDIA_VIDEO": ("READ_MEDIA_VISUAL", 33),
    P + "READ_MEDIA_IMAGES": ("READ_MEDIA_VISUAL", 33),
    P + "READ_MEDIA_VISUAL_USER_SELECTED": ("READ_MEDIA_VISUAL", 34),
    P + "BODY_SENSORS": ("SENSORS", 23),
    P + "BODY_SENSORS_BACKGROUND": ("SENSORS", 33),
    P + "ACTIVITY_RECOGNITION": ("ACTIVITY_RECOGNITION", 29),
    P + "BLUETOOTH_SCAN": ("NEARBY_DEVICES", 31),
    P + "BLUETOOTH_CONNECT": ("NEARBY_DEVICES", 31),
    P + "BLUETOOTH_ADVERTISE": ("NEARBY_DEVICES", 31),
    P + "UWB_RANGING": ("NEARBY_DEVICES", 31),
    P + "NEARBY_WIFI_DEVICES": ("NEARBY_DEVICES", 33),
    P + "POST_NOTIFICATIONS": ("NOTIFICATIONS", 33),
}

# Install-time permissions apps commonly request (normal, or signature|appop ones).
NORMAL_PERMISSIONS: frozenset[str] = frozenset(
    P + name
    for name in [
        "INTERNET",
        "ACCESS_NETWORK_STATE",
        "ACCESS_WIFI_STATE",
        "CHANGE_WIFI_STATE",
        "CHANGE_NETWORK_STATE",
        "WAKE_LOCK",
        "RECEIVE_BOOT_COMPLETED",
        "VIBRATE",
        "FOREGROUND_SERVICE",
        "BLUETOOTH",
        "BLUETOOTH_ADMIN",
        "NFC",
        "MODIFY_AUDIO_SETTINGS",
        "USE_BIOMETRIC",
        "USE_FINGERPRINT",
        "REQUEST_IGNORE_BATTERY_OPTIMIZATIONS",
        "SCHEDULE_EXACT_ALARM",
        "USE_EXACT_ALARM",
        "SYSTEM_ALERT_WINDOW",
        "REQUEST_INSTALL_PACKAGES",
        "READ_SYNC_SETTINGS",
        "WRITE_SYNC_SETTINGS",
        "AUTHENTICATE_ACCOUNTS",
        "MANAGE_ACCOUNTS",
        "USE_CREDENTIALS",
        "EXPAND_STATUS_BAR",
        "GET_TASKS",
        "REORDER_TASKS",
        "KILL_BACKGROUND_PROCESSES",
        "DISABLE_KEYGUARD",
        "USE_FULL_SCREEN_INTENT",
        "FOREGROUND_SERVICE_DATA_SYNC",
        "FOREGROUND_SERVICE_MICROPHONE",
        "FOREGROUND_SERVICE_CAMERA",
        "FOREGROUND_SERVICE_LOCATION",
        "FOREGROUND_SERVICE_MEDIA_PLAYBACK",
        "FOREGROUND_SERVICE_PHONE_CALL",
        "FOREGROUND_SERVICE_REMOTE_MESSAGING",
        "READ_PROFILE",
        "CHANGE_WIFI_MULTICAST_STATE",
        "BROADCAST_STICKY",
        "TRANSMIT_IR",
        "WRITE_SETTINGS",
        "ACCESS_NOTIFICATION_POLICY",
        "READ_SYNC_STATS",
        "INSTALL_SHORTCUT",
        "QUERY_ALL_PACKAGES",
        "MANAGE_OWN_CALLS",
        "RECEIVE_USER_PRESENT",
    ]
) | frozenset(
    {
        "com.google.android.c2dm.permission.RECEIVE",
        "com.google.android.gms.permission.AD_ID",
        "com.android.launcher.permission.INSTALL_SHORTCUT",
    }
)

# Permissions whose "while in use" grant needs a separate background permission.
BACKGROUND_PERMISSION: dict[str, str] = {
    P + "ACCESS_FINE_LOCATION": P + "ACCESS_BACKGROUND_LOCATION",
    P + "ACCESS_COARSE_LOCATION": P + "ACCESS_BACKGROUND_LOCATION",
    P + "BODY_SENSORS": P + "BODY_SENSORS_BACKGROUND",
}

# Permission flags (PackageManager.FLAG_PERMISSION_*), in bit order, with dump names.
FLAG_BITS: dict[str, int] = {
    "USER_SET": 1 << 0,
    "USER_FIXED": 1 << 1,
    "POLICY_FIXED": 1 << 2,
    "REVOKED_COMPAT": 1 << 3,
    "SYSTEM_FIXED": 1 << 4,
    "GRANTED_BY_DEFAULT": 1 << 5,
    "REVIEW_REQUIRED": 1 << 6,
    "REVOKE_WHEN_REQUESTED": 1 << 7,
    "USER_SENSITIVE_WHEN_GRANTED": 1 << 8,
    "USER_SENSITIVE_WHEN_DENIED": 1 << 9,
    "RESTRICTION_INSTALLER_EXEMPT": 1 << 11,
    "RESTRICTION_SYSTEM_EXEMPT": 1 << 12,
    "RESTRICTION_UPGRADE_EXEMPT": 1 << 13,
    "APPLY_RESTRICTION": 1 << 14,
    "GRANTED_BY_ROLE": 1 << 15,
    "ONE_TIME": 1 << 16,
    "AUTO_REVOKED": 1 << 17,
    "SELECTED_LOCATION_ACCURACY": 1 << 19,
}
FLAG_NAMES_BY_BIT: dict[int, str] = {bit: name for name, bit in FLAG_BITS.items()}
# Android 9 named bit 3 REVOKE_ON_UPGRADE.
LEGACY_FLAG_ALIASES = {"REVOKE_ON_UPGRADE": "REVOKED_COMPAT"}

# `pm set-permission-flags` names (PackageManagerShellCommand.SUPPORTED_PERMISSION_FLAGS).
SHELL_FLAG_NAMES: dict[str, str] = {
    "review-required": "REVIEW_REQUIRED",
    "revoked-compat": "REVOKED_COMPAT",
    "revoke-when-requested": "REVOKE_WHEN_REQUESTED",
    "user-fixed": "USER_FIXED",
    "user-set": "USER_SET",
}
SHELL_FLAG_LIST = [
    "review-required",
    "revoked-compat",
    "revoke-when-requested",
    "user-fixed",
    "user-set",
]

# App-op table: (name as opToName prints it, API level that added it, default mode).
# Index = op code (AppOpsManager.OP_*).
_OPS: list[tuple[str, int, str]] = [
    ("COARSE_LOCATION", 19, "allow"),
    ("FINE_LOCATION", 19, "allow"),
    ("GPS", 19, "allow"),
    ("VIBRATE", 19, "allow"),
    ("READ_CONTACTS", 19, "allow"),
    ("WRITE_CONTACTS", 19, "allow"),
    ("READ_CALL_LOG", 19, "allow"),
    ("WRITE_CALL_LOG", 19, "allow"),
    ("READ_CALENDAR", 19, "allow"),
    ("WRITE_CALENDAR", 19, "allow"),
    ("WIFI_SCAN", 19, "allow"),
    ("POST_NOTIFICATION", 19, "allow"),
    ("NEIGHBORING_CELLS", 19, "allow"),
    ("CALL_PHONE", 19, "allow"),
    ("READ_SMS", 19, "allow"),
    ("WRITE_SMS", 19, "ignore"),
    ("RECEIVE_SMS", 19, "allow"),
    ("RECEIVE_EMERGECY_SMS", 19, "allow"),
    ("RECEIVE_MMS", 19, "allow"),
    ("RECEIVE_WAP_PUSH", 19, "allow"),
    ("SEND_SMS", 19, "allow"),
    ("READ_ICC_SMS", 19, "allow"),
    ("WRITE_ICC_SMS", 19, "allow"),
    ("WRITE_SETTINGS", 19, "default"),
    ("SYSTEM_ALERT_WINDOW", 19, "default"),
    ("ACCESS_NOTIFICATIONS", 19, "allow"),
    ("CAMERA", 19, "allow"),
    ("RECORD_AUDIO", 19, "allow"),
    ("PLAY_AUDIO", 19, "allow"),
    ("READ_CLIPBOARD", 19, "allow"),
    ("WRITE_CLIPBOARD", 19, "allow"),
    ("TAKE_MEDIA_BUTTONS", 19, "allow"),
    ("TAKE_AUDIO_FOCUS", 19, "allow"),
    ("AUDIO_MASTER_VOLUME", 19, "allow"),
    ("AUDIO_VOICE_VOLUME", 19, "allow"),
    ("AUDIO_RING_VOLUME", 19, "allow"),
    ("AUDIO_MEDIA_VOLUME", 19, "allow"),
    ("AUDIO_ALARM_VOLUME", 19, "allow"),
    ("AUDIO_NOTIFICATION_VOLUME", 19, "allow"),
    ("AUDIO_BLUETOOTH_VOLUME", 19, "allow"),
    ("WAKE_LOCK", 19, "allow"),
    ("MONITOR_LOCATION", 19, "allow"),
    ("MONITOR_HIGH_POWER_LOCATION", 19, "allow"),
    ("GET_USAGE_STATS", 21, "default"),
    ("MUTE_MICROPHONE", 21, "allow"),
    ("TOAST_WINDOW", 21, "allow"),
    ("PROJECT_MEDIA", 21, "ignore"),
    ("ACTIVATE_VPN", 21, "ignore"),
    ("WRITE_WALLPAPER", 21, "allow"),
    ("ASSIST_STRUCTURE", 23, "allow"),
    ("ASSIST_SCREENSHOT", 23, "allow"),
    ("READ_PHONE_STATE", 23, "allow"),
    ("ADD_VOICEMAIL", 23, "allow"),
    ("USE_SIP", 23, "allow"),
    ("PROCESS_OUTGOING_CALLS", 23, "allow"),
    ("USE_FINGERPRINT", 23, "allow"),
    ("BODY_SENSORS", 23, "allow"),
    ("READ_CELL_BROADCASTS", 23, "allow"),
    ("MOCK_LOCATION", 23, "deny"),
    ("READ_EXTERNAL_STORAGE", 23, "allow"),
    ("WRITE_EXTERNAL_STORAGE", 23, "allow"),
    ("TURN_SCREEN_ON", 23, "allow"),
    ("GET_ACCOUNTS", 23, "allow"),
    ("RUN_IN_BACKGROUND", 24, "allow"),
    ("AUDIO_ACCESSIBILITY_VOLUME", 26, "allow"),
    ("READ_PHONE_NUMBERS", 26, "allow"),
    ("REQUEST_INSTALL_PACKAGES", 26, "default"),
    ("PICTURE_IN_PICTURE", 26, "allow"),
    ("INSTANT_APP_START_FOREGROUND", 26, "default"),
    ("ANSWER_PHONE_CALLS", 26, "allow"),
    ("RUN_ANY_IN_BACKGROUND", 28, "allow"),
    ("CHANGE_WIFI_STATE", 28, "allow"),
    ("REQUEST_DELETE_PACKAGES", 28, "allow"),
    ("BIND_ACCESSIBILITY_SERVICE", 28, "allow"),
    ("ACCEPT_HANDOVER", 28, "allow"),
    ("MANAGE_IPSEC_TUNNELS", 28, "deny"),
    ("START_FOREGROUND", 28, "allow"),
    ("BLUETOOTH_SCAN", 28, "allow"),
    ("USE_BIOMETRIC", 29, "allow"),
    ("ACTIVITY_RECOGNITION", 29, "allow"),
    ("SMS_FINANCIAL_TRANSACTIONS", 29, "allow"),
    ("READ_MEDIA_AUDIO", 29, "allow"),
    ("WRITE_MEDIA_AUDIO", 29, "ignore"),
    ("READ_MEDIA_VIDEO", 29, "allow"),
    ("WRITE_MEDIA_VIDEO", 29, "ignore"),
    ("READ_MEDIA_IMAGES", 29, "allow"),
    ("WRITE_MEDIA_IMAGES", 29, "ignore"),
    ("LEGACY_STORAGE", 29, "default"),
    ("ACCESS_ACCESSIBILITY", 29, "allow"),
    ("READ_DEVICE_IDENTIFIERS", 29, "deny"),
    ("ACCESS_MEDIA_LOCATION", 29, "allow"),
    ("QUERY_ALL_PACKAGES", 30, "allow"),
    ("MANAGE_EXTERNAL_STORAGE", 30, "default"),
    ("INTERACT_ACROSS_PROFILES", 30, "default"),
    ("ACTIVATE_PLATFORM_VPN", 30, "ignore"),
    ("LOADER_USAGE_STATS", 30, "default"),
    ("deprecated", 30, "ignore"),
    ("AUTO_REVOKE_PERMISSIONS_IF_UNUSED", 30, "default"),
    ("AUTO_REVOKE_MANAGED_BY_INSTALLER", 30, "allow"),
    ("NO_ISOLATED_STORAGE", 30, "deny"),
    ("PHONE_CALL_MICROPHONE", 31, "allow"),
    ("PHONE_CALL_CAMERA", 31, "allow"),
    ("RECORD_AUDIO_HOTWORD", 31, "allow"),
    ("MANAGE_ONGOING_CALLS", 31, "default"),
    ("MANAGE_CREDENTIALS", 31, "deny"),
    ("USE_ICC_AUTH_WITH_DEVICE_IDENTIFIER", 31, "default"),
    ("RECORD_AUDIO_OUTPUT", 31, "allow"),
    ("SCHEDULE_EXACT_ALARM", 31, "default"),
    ("FINE_LOCATION_SOURCE", 31, "allow"),
    ("COARSE_LOCATION_SOURCE", 31, "allow"),
    ("MANAGE_MEDIA", 31, "default"),
    ("BLUETOOTH_CONNECT", 31, "allow"),
    ("UWB_RANGING", 31, "allow"),
    ("ACTIVITY_RECOGNITION_SOURCE", 31, "allow"),
    ("BLUETOOTH_ADVERTISE", 31, "allow"),
    ("RECORD_INCOMING_PHONE_AUDIO", 32, "allow"),
    ("NEARBY_WIFI_DEVICES", 33, "allow"),
    ("ESTABLISH_VPN_SERVICE", 33, "allow"),
    ("ESTABLISH_VPN_MANAGER", 33, "allow"),
    ("ACCESS_RESTRICTED_SETTINGS", 33, "allow"),
    ("RECEIVE_SOUNDTRIGGER_AUDIO", 33, "allow"),
    ("RECEIVE_EXPLICIT_USER_INTERACTION_AUDIO", 34, "allow"),
    ("RUN_USER_INITIATED_JOBS", 34, "allow"),
    ("READ_MEDIA_VISUAL_USER_SELECTED", 34, "allow"),
    ("SYSTEM_EXEMPT_FROM_SUSPENSION", 34, "default"),
    ("SYSTEM_EXEMPT_FROM_DISMISSIBLE_NOTIFICATIONS", 34, "default"),
    ("READ_WRITE_HEALTH_DATA", 34, "allow"),
    ("FOREGROUND_SERVICE_SPECIAL_USE", 34, "default"),
    ("SYSTEM_EXEMPT_FROM_POWER_RESTRICTIONS", 34, "default"),
    ("SYSTEM_EXEMPT_FROM_HIBERNATION", 34, "default"),
    ("SYSTEM_EXEMPT_FROM_ACTIVITY_BG_START_RESTRICTION", 34, "default"),
    ("CAPTURE_CONSENTLESS_BUGREPORT_ON_USERDEBUG_BUILD", 34, "default"),
    ("BODY_SENSORS_WRIST_TEMPERATURE", 34, "allow"),
    ("USE_FULL_SCREEN_INTENT", 34, "allow"),
    ("CAMERA_SANDBOXED", 34, "allow"),
    ("RECORD_AUDIO_SANDBOXED", 34, "allow"),
]

MODE_NAMES = ["allow", "ignore", "deny", "default", "foreground"]

# Runtime permission -> the app-op it is synchronised to (PermissionPolicyService, 10+).
PERMISSION_OP: dict[str, str] = {
    P + "READ_CONTACTS": "READ_CONTACTS",
    P + "WRITE_CONTACTS": "WRITE_CONTACTS",
    P + "GET_ACCOUNTS": "GET_ACCOUNTS",
    P + "ACCESS_FINE_LOCATION": "FINE_LOCATION",
    P + "ACCESS_COARSE_LOCATION": "COARSE_LOCATION",
    P + "CAMERA": "CAMERA",
    P + "RECORD_AUDIO": "RECORD_AUDIO",
    P + "READ_PHONE_STATE": "READ_PHONE_STATE",
    P + "READ_PHONE_NUMBERS": "READ_PHONE_NUMBERS",
    P + "CALL_PHONE": "CALL_PHONE",
    P + "ANSWER_PHONE_CALLS": "ANSWER_PHONE_CALLS",
    "com.android.voicemail.permission.ADD_VOICEMAIL": "ADD_VOICEMAIL",
    P + "USE_SIP": "USE_SIP",
    P + "ACCEPT_HANDOVER": "ACCEPT_HANDOVER",
    P + "PROCESS_OUTGOING_CALLS": "PROCESS_OUTGOING_CALLS",
    P + "READ_CALL_LOG": "READ_CALL_LOG",
    P + "WRITE_CALL_LOG": "WRITE_CALL_LOG",
    P + "READ_CALENDAR": "READ_CALENDAR",
    P + "WRITE_CALENDAR": "WRITE_CALENDAR",
    P + "SEND_SMS": "SEND_SMS",
    P + "RECEIVE_SMS": "RECEIVE_SMS",
    P + "READ_SMS": "READ_SMS",
    P + "RECEIVE_WAP_PUSH": "RECEIVE_WAP_PUSH",
    P + "RECEIVE_MMS": "RECEIVE_MMS",
    P + "READ_EXTERNAL_STORAGE": "READ_EXTERNAL_STORAGE",
    P + "WRITE_EXTERNAL_STORAGE": "WRITE_EXTERNAL_STORAGE",
    P + "ACCESS_MEDIA_LOCATION": "ACCESS_MEDIA_LOCATION",
    P + "READ_MEDIA_AUDIO": "READ_MEDIA_AUDIO",
    P + "READ_MEDIA_VIDEO": "READ_MEDIA_VIDEO",
    P + "READ_MEDIA_IMAGES": "READ_MEDIA_IMAGES",
    P + "READ_MEDIA_VISUAL_USER_SELECTED": "READ_MEDIA_VISUAL_USER_SELECTED",
    P + "BODY_SENSORS": "BODY_SENSORS",
    P + "ACTIVITY_RECOGNITION": "ACTIVITY_RECOGNITION",
    P + "BLUETOOTH_SCAN": "BLUETOOTH_SCAN",
    P + "BLUETOOTH_CONNECT": "BLUETOOTH_CONNECT",
    P + "BLUETOOTH_ADVERTISE": "BLUETOOTH_ADVERTISE",
    P + "UWB_RANGING": "UWB_RANGING",
    P + "NEARBY_WIFI_DEVICES": "NEARBY_WIFI_DEVICES",
    P + "POST_NOTIFICATIONS": "POST_NOTIFICATION",
}

BUCKETS = {
    "exempted": 5,
    "active": 10,
    "working_set": 20,
    "frequent": 30,
    "rare": 40,
    "restricted": 45,
    "never": 50,
}


@dataclass(frozen=True)
class OpTable:
    """The app-ops one Android release knows, plus vendor ops (MIUI prints `MIUIOP(n)`)."""

    names: tuple[str, ...]
    defaults: tuple[str, ...]
    vendor_ops: tuple[int, ...] = ()
    vendor_format: str = "MIUIOP({})"

    def code(self, name: str) -> int | None:
        try:
            return self.names.index(name)
        except ValueError:
            return None

    def name(self, code: int) -> str:
        if 0 <= code < len(self.names):
            return self.names[code]
        if code in self.vendor_ops:
            return self.vendor_format.format(code)
        return f"Unknown({code})"

    def default_mode(self, code: int) -> str:
        if 0 <= code < len(self.defaults):
            return self.defaults[code]
        return "allow"

    def sort_key(self, name: str) -> int:
        code = self.parse(name)
        return code if code is not None else 1 << 20

    def parse(self, text: str) -> int | None:
        """Op name, `android:` public name, number or vendor name -> code (None if unknown)."""
        if text in self.names:
            return self.names.index(text)
        if text.startswith("android:"):
            upper = text[len("android:") :].upper()
            if upper in self.names:
                return self.names.index(upper)
        for code in self.vendor_ops:
            if text == self.vendor_format.format(code):
                return code
        try:
            number = int(text)
        except ValueError:
            return None
        if 0 <= number < len(self.names) or number in self.vendor_ops:
            return number
        return None


def op_table(sdk: int, vendor_ops: tuple[int, ...] = ()) -> OpTable:
    ops = [entry for entry in _OPS if entry[1] <= sdk]
    return OpTable(
        names=tuple(name for name, _, _ in ops),
        defaults=tuple(mode for _, _, mode in ops),
        vendor_ops=vendor_ops,
    )


def permission_exists(name: str, sdk: int) -> bool:
    entry = RUNTIME_PERMISSIONS.get(name)
    if entry is not None:
        return entry[1] <= sdk
    return name in NORMAL_PERMISSIONS


def is_runtime(name: str, sdk: int) -> bool:
    entry = RUNTIME_PERMISSIONS.get(name)
    return entry is not None and entry[1] <= sdk


def expand_permission(name: str) -> str:
    """`READ_CONTACTS` -> `android.permission.READ_CONTACTS` (persona shorthand)."""
    return name if "." in name else P + name


@dataclass(frozen=True)
class Release:
    """What differs between Android releases in the shell's behaviour and formats."""

    sdk: int

    @property
    def pipe_flags(self) -> bool:
        """Permission flags joined by `|` (10+) rather than space-separated (≤9)."""
        return self.sdk >= 29

    @property
    def has_permission_flags_command(self) -> bool:
        return self.sdk >= 31

    @property
    def has_restricted_bucket(self) -> bool:
        return self.sdk >= 31

    @property
    def permission_policy_sync(self) -> bool:
        """PermissionPolicyService keeps runtime app-ops in step with grants (10+)."""
        return self.sdk >= 29

    @property
    def app_id_label(self) -> str:
        return "appId" if self.sdk >= 34 else "userId"

    @property
    def hashmap_package_list(self) -> bool:
        """`pm list packages` prints from a HashMap of lines (12+), else package map order."""
        return self.sdk >= 31

    @property
    def per_user_install_time(self) -> bool:
        return self.sdk >= 33

    @property
    def deviceidle_eq_op(self) -> bool:
        return True
