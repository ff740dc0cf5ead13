"""Every Android shell command hardener sends, built from validated, quoted parts.

Package, permission, op and component names come from profiles and from the phone itself;
either could carry shell metacharacters. Each builder checks its arguments against Android's
own naming rules and quotes them, so no text from outside can change what runs.
"""

from __future__ import annotations

import re
import shlex

from hardener.core.records import BUCKET_NAMES

_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+")
_PERMISSION = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")
_OP = re.compile(r"[A-Z][A-Z0-9_]*")
_COMPONENT = re.compile(r"([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)/(\.?[A-Za-z0-9_$.]+)")
_SETTING_KEY = re.compile(r"[a-z0-9_]+")
MODES = ("allow", "ignore", "deny", "default", "foreground")
SETTABLE_FLAGS = {
    "USER_SET": "user-set",
    "USER_FIXED": "user-fixed",
    "REVOKED_COMPAT": "revoked-compat",
    "REVIEW_REQUIRED": "review-required",
    "REVOKE_WHEN_REQUESTED": "revoke-when-requested",
}


class UnsafeName(ValueError):
    """A name that is not what Android allows there; it never reaches a shell."""


def _check(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise UnsafeName(f"not a valid {what}: {value!r}")
    return value


def package(name: str) -> str:
    return _check(_PACKAGE, name, "package name")


def permission(name: str) -> str:
    return _check(_PERMISSION, name, "permission name")


def op(name: str) -> str:
    return _check(_OP, name, "app-op name")


def component(name: str) -> str:
    return _check(_COMPONENT, name, "component name")


def is_package(name: str) -> bool:
    return bool(_PACKAGE.fullmatch(name))


def _user(user: int) -> str:
    if not isinstance(user, int) or isinstance(user, bool) or user < 0:
        raise UnsafeName(f"not a valid user id: {user!r}")
    return str(user)


def _join(*parts: str) -> str:
    return " ".join(shlex.quote(part) for part in parts)


# Reads ------------------------------------------------------------------------------------


def getprop() -> str:
    return "getprop"


def list_users() -> str:
    return "pm list users"


def current_user() -> str:
    return "am get-current-user"


def list_packages(*flags: str, user: int | None = None) -> str:
    allowed = {"-f", "-U", "-3", "-s", "-d", "-e", "-i", "-u"}
    for flag in flags:
        if flag not in allowed:
            raise UnsafeName(f"not a pm list packages flag: {flag!r}")
    parts = ["pm", "list", "packages", *flags]
    if user is not None:
        parts += ["--user", _user(user)]
    return _join(*parts)


def pm_help() -> str:
    return "pm help"


def idle_whitelist() -> str:
    return "cmd deviceidle whitelist"


def dumpsys_package(name: str) -> str:
    return _join("dumpsys", "package", package(name))


def dumpsys_all_packages() -> str:
    return "dumpsys package"


def dumpsys_appops() -> str:
    return "dumpsys appops"


def appops_history(op_name: str) -> str:
    """One op's aggregated and per-access history (`--include-discrete 0`: every access
    kept); filtered by op, as an unfiltered dump runs to megabytes."""
    return _join("dumpsys", "appops", "--history", "--include-discrete", "0", "--op", op(op_name))


def appops_last_access(op_name: str) -> str:
    """One op's modes with each app's last access and last refusal."""
    return _join("dumpsys", "appops", "--op", op(op_name))


def appops_get(user: int, name: str) -> str:
    return _join("cmd", "appops", "get", "--user", _user(user), package(name))


def standby_buckets(user: int) -> str:
    return _join("am", "get-standby-bucket", "--user", _user(user))


def secure_setting(user: int, key: str) -> str:
    return _join(
        "settings", "--user", _user(user), "get", "secure", _check(_SETTING_KEY, key, "key")
    )


def zen_mode() -> str:
    """The Do Not Disturb mode in force (0 off, 1 priority, 2 total silence, 3 alarms)."""
    return "settings get global zen_mode"


def dumpsys_zen() -> str:
    """Only the zen sections of the notification dump (DumpFilter `--zen`)."""
    return "dumpsys notification --zen"


# Writes -----------------------------------------------------------------------------------


def revoke(user: int, name: str, perm: str) -> str:
    return _join("pm", "revoke", "--user", _user(user), package(name), permission(perm))


def grant(user: int, name: str, perm: str) -> str:
    return _join("pm", "grant", "--user", _user(user), package(name), permission(perm))


def _flag_words(flags: set[str] | frozenset[str]) -> list[str]:
    unknown = set(flags) - set(SETTABLE_FLAGS)
    if unknown:
        raise UnsafeName(f"flags the shell cannot set: {sorted(unknown)}")
    return [SETTABLE_FLAGS[flag] for flag in sorted(flags)]


def set_flags(user: int, name: str, perm: str, flags: set[str] | frozenset[str]) -> str:
    words = _flag_words(flags)
    base = ["pm", "set-permission-flags", "--user", _user(user), package(name), permission(perm)]
    return _join(*base, *words)


def clear_flags(user: int, name: str, perm: str, flags: set[str] | frozenset[str]) -> str:
    words = _flag_words(flags)
    base = ["pm", "clear-permission-flags", "--user", _user(user), package(name), permission(perm)]
    return _join(*base, *words)


def appops_set(user: int, name: str, op_name: str, mode: str, *, uid: bool = False) -> str:
    if mode not in MODES:
        raise UnsafeName(f"not an app-op mode: {mode!r}")
    scope = ["--uid"] if uid else []
    return _join(
        "cmd", "appops", "set", "--user", _user(user), *scope, package(name), op(op_name), mode
    )


def appops_write_settings() -> str:
    return "cmd appops write-settings"


def whitelist_remove(name: str) -> str:
    return _join("cmd", "deviceidle", "whitelist", "-" + package(name))


def whitelist_add(name: str) -> str:
    return _join("cmd", "deviceidle", "whitelist", "+" + package(name))


def set_bucket(user: int, name: str, bucket: int) -> str:
    if bucket not in BUCKET_NAMES or bucket in (5, 50):
        raise UnsafeName(f"the shell cannot set standby bucket {bucket!r}")
    return _join(
        "am", "set-standby-bucket", "--user", _user(user), package(name), BUCKET_NAMES[bucket]
    )


def suspend(user: int, name: str) -> str:
    return _join("pm", "suspend", "--user", _user(user), package(name))


def unsuspend(user: int, name: str) -> str:
    return _join("pm", "unsuspend", "--user", _user(user), package(name))


def force_stop(user: int, name: str) -> str:
    return _join("am", "force-stop", "--user", _user(user), package(name))


def disallow_listener(user: int, comp: str) -> str:
    return _join("cmd", "notification", "disallow_listener", component(comp), _user(user))


def allow_listener(user: int, comp: str) -> str:
    return _join("cmd", "notification", "allow_listener", component(comp), _user(user))


def pause(seconds: int) -> str:
    """toybox `sleep` with whole seconds: every Android release's toybox accepts those."""
    if not 0 < seconds <= 60:
        raise UnsafeName(f"not a pause hardener makes: {seconds!r} s")
    return f"sleep {int(seconds)}"


def put_accessibility_services(user: int, components: list[str]) -> str:
    value = ":".join(component(c) for c in components)
    return _join(
        "settings", "--user", _user(user), "put", "secure", "enabled_accessibility_services", value
    )


# `cmd notification set_dnd WORD` (NotificationShellCmd, Android 11+) -> setInterruptionFilter.
# Its words, by the zen mode they give: "on" means *total silence* there, not priority.
SET_DND_WORDS = {0: "off", 1: "priority", 2: "none", 3: "alarms"}


def set_dnd(mode: int) -> str:
    """`cmd notification set_dnd` to zen mode 0..3; there is no shell route before Android 11
    (`settings put global zen_mode` is written back by ZenModeHelper)."""
    if type(mode) is not int or mode not in SET_DND_WORDS:
        raise UnsafeName(f"not a Do Not Disturb mode: {mode!r}")
    return f"cmd notification set_dnd {SET_DND_WORDS[mode]}"
