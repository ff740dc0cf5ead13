"""Writes change the state and later reads show it, with Android's real semantics."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sim_android_expectations as ex

from hardener.sim.android import AndroidDevice, load_persona

P = "android.permission."


def run(phone: AndroidDevice, command: str) -> tuple[str, str, int]:
    result = phone.run(command)
    return result.stdout.decode(), result.stderr.decode(), result.exit_code


def perm_line(phone: AndroidDevice, package: str, perm: str, user: int = 0) -> str:
    text = run(phone, f"dumpsys package {package}")[0]
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"    User {user}: "))
    for line in lines[start + 1 :]:
        if line.startswith("    User "):
            break
        if line.startswith(f"        {P}{perm}: "):
            return line.strip()
    raise AssertionError(f"{perm} not in the runtime permissions of {package} user {user}")


def user_line(phone: AndroidDevice, package: str, user: int = 0) -> str:
    text = run(phone, f"dumpsys package {package}")[0]
    return next(line for line in text.splitlines() if line.startswith(f"    User {user}: "))


def exception_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("java.lang."))


# ----------------------------------------------------------------- grants and revokes


def test_revoke_then_read_and_the_process_dies(pixel: AndroidDevice) -> None:
    assert run(pixel, "pidof com.tencent.mm")[2] == 0
    assert perm_line(pixel, "com.tencent.mm", "READ_CONTACTS").startswith(
        "android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET|"
    )
    assert run(pixel, f"pm revoke com.tencent.mm {P}READ_CONTACTS") == ("", "", 0)
    assert perm_line(pixel, "com.tencent.mm", "READ_CONTACTS") == (
        "android.permission.READ_CONTACTS: granted=false, "
        "flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]"
    )
    assert run(pixel, "pidof com.tencent.mm")[2] == 1, "revoking kills the app's processes"
    assert "Uid mode: READ_CONTACTS: ignore" in run(pixel, "cmd appops get com.tencent.mm")[0]


def test_grant_then_read(pixel: AndroidDevice) -> None:
    assert perm_line(pixel, "com.whatsapp", "ACCESS_FINE_LOCATION").startswith(
        "android.permission.ACCESS_FINE_LOCATION: granted=false"
    )
    for perm in ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"):
        assert run(pixel, f"pm grant --user 0 com.whatsapp {P}{perm}")[2] == 0
        assert "granted=true" in perm_line(pixel, "com.whatsapp", perm)
    ops = run(pixel, "cmd appops get com.whatsapp COARSE_LOCATION")[0]
    assert ops == "Uid mode: COARSE_LOCATION: foreground\n", "no background location: while in use"
    assert run(pixel, "pidof com.whatsapp")[2] == 0, "granting does not kill"


def test_location_all_the_time_and_back(pixel: AndroidDevice) -> None:
    ops = run(pixel, "cmd appops get com.tencent.mm COARSE_LOCATION")[0]
    assert ops.startswith("No operations.")  # allow is the default mode: nothing set
    run(pixel, f"pm revoke com.tencent.mm {P}ACCESS_BACKGROUND_LOCATION")
    assert run(pixel, "cmd appops get com.tencent.mm COARSE_LOCATION")[0] == (
        "Uid mode: COARSE_LOCATION: foreground\n"
    )
    for perm in ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"):
        run(pixel, f"pm revoke com.tencent.mm {P}{perm}")
    assert run(pixel, "cmd appops get com.tencent.mm COARSE_LOCATION")[0] == (
        "Uid mode: COARSE_LOCATION: ignore\n"
    )


def test_permission_flags_set_and_clear(pixel: AndroidDevice) -> None:
    base = "android.permission.READ_CONTACTS: granted=false, flags=[ "
    run(pixel, f"pm revoke com.Slack {P}READ_CONTACTS")
    assert (
        run(pixel, f"pm set-permission-flags com.Slack {P}READ_CONTACTS user-set user-fixed")[2]
        == 0
    )
    assert perm_line(pixel, "com.Slack", "READ_CONTACTS") == (
        base + "USER_SET|USER_FIXED|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]"
    )
    assert run(pixel, f"pm clear-permission-flags com.Slack {P}READ_CONTACTS user-fixed")[2] == 0
    assert perm_line(pixel, "com.Slack", "READ_CONTACTS") == (
        base + "USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]"
    )


def test_permission_flags_refusals(pixel: AndroidDevice) -> None:
    out, err, code = run(pixel, f"pm set-permission-flags com.Slack {P}CAMERA system-fixed")
    assert (out, code) == ("", 1)
    assert err == (
        "Error: specified flag system-fixed is not one of [review-required, "
        "revoked-compat, revoke-when-requested, user-fixed, user-set]\n"
    )
    assert run(pixel, f"pm set-permission-flags com.Slack {P}CAMERA")[1] == (
        "Error: no permission flags specified\n"
    )


def test_permission_flags_command_only_from_android_12(
    legacy9: AndroidDevice, pixel: AndroidDevice
) -> None:
    assert run(legacy9, f"pm set-permission-flags com.whatsapp {P}CAMERA user-set") == (
        "Unknown command: set-permission-flags\n",
        "",
        255,
    )
    assert "set-permission-flags" not in run(legacy9, "pm help")[0]
    help_text, _, code = run(pixel, "pm help")
    assert (
        code == 255
        and "  set-permission-flags [--user USER_ID] PACKAGE PERMISSION [FLAGS..]" in help_text
    )
    assert help_text.startswith("Package manager (package) commands:\n  help\n")


def test_system_fixed_revoke_is_refused(pixel: AndroidDevice) -> None:
    before = perm_line(pixel, "com.android.providers.contacts", "READ_CONTACTS")
    out, err, code = run(pixel, f"pm revoke com.android.providers.contacts {P}READ_CONTACTS")
    assert code == 255 and out == ""
    assert err.startswith("\nException occurred while executing 'revoke':\n")
    assert exception_line(err) == (
        "java.lang.SecurityException: Non-System UID cannot revoke system fixed permission "
        "android.permission.READ_CONTACTS for package com.android.providers.contacts"
    )
    assert perm_line(pixel, "com.android.providers.contacts", "READ_CONTACTS") == before
    # Granting a SYSTEM_FIXED permission is only logged on 11+: exit 0, nothing changes.
    assert run(pixel, f"pm grant com.android.providers.contacts {P}READ_CONTACTS")[2] == 0


def test_policy_fixed_in_the_work_profile(samsung: AndroidDevice) -> None:
    _out, err, code = run(
        samsung, f"pm revoke --user 10 com.alibaba.android.rimet {P}ACCESS_FINE_LOCATION"
    )
    assert code == 255
    assert exception_line(err) == (
        "java.lang.SecurityException: Cannot revoke policy fixed permission "
        "android.permission.ACCESS_FINE_LOCATION for package com.alibaba.android.rimet"
    )
    assert perm_line(samsung, "com.alibaba.android.rimet", "ACCESS_FINE_LOCATION", 10).startswith(
        "android.permission.ACCESS_FINE_LOCATION: granted=true, flags=[ POLICY_FIXED"
    )
    assert run(samsung, f"pm revoke --user 10 com.alibaba.android.rimet {P}READ_CONTACTS")[2] == 0
    assert "granted=false" in perm_line(samsung, "com.alibaba.android.rimet", "READ_CONTACTS", 10)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            f"pm grant com.whatsapp {P}READ_CALENDAR",
            "java.lang.SecurityException: Package com.whatsapp has not requested permission "
            "android.permission.READ_CALENDAR",
        ),
        (
            f"pm grant com.whatsapp {P}NOT_A_PERMISSION",
            "java.lang.IllegalArgumentException: Unknown permission: "
            "android.permission.NOT_A_PERMISSION",
        ),
        (
            f"pm revoke com.whatsapp {P}INTERNET",
            "java.lang.SecurityException: Permission android.permission.INTERNET requested by "
            "com.whatsapp is not a changeable permission type",
        ),
    ],
)
def test_grant_refusals_android_14(pixel: AndroidDevice, command: str, expected: str) -> None:
    out, err, code = run(pixel, command)
    assert (out, code) == ("", 255)
    assert exception_line(err) == expected
    frames = [line for line in err.splitlines() if line.startswith("\tat ")]
    assert "com.android.modules.utils.BasicShellCommandHandler.exec" in "".join(frames)
    assert "PermissionManagerServiceImpl" in frames[0]


def test_grant_refusals_android_9(legacy9: AndroidDevice) -> None:
    _, err, code = run(legacy9, f"pm grant com.nope.missing {P}CAMERA")
    assert code == 255
    assert (
        exception_line(err)
        == "java.lang.IllegalArgumentException: Unknown package: com.nope.missing"
    )
    assert "BasicShellCommandHandler" not in err and "\tat android.os.ShellCommand.exec(" in err
    _out, err, code = run(legacy9, f"pm grant com.whatsapp {P}READ_CALENDAR")
    assert err.startswith("Security exception: Package com.whatsapp has not requested permission")
    # Android 14 only logs an unknown package and exits 0.
    assert run(load_persona("pixel-14"), f"pm grant com.nope.missing {P}CAMERA") == ("", "", 0)


def test_missing_arguments(pixel: AndroidDevice) -> None:
    assert run(pixel, "pm grant") == ("", "Error: no package specified\n", 1)
    assert run(pixel, "pm grant com.whatsapp") == ("", "Error: no permission specified\n", 1)
    assert run(pixel, "pm frobnicate") == ("Unknown command: frobnicate\n", "", 255)


# ------------------------------------------------------------------------ legacy apps


def test_legacy_app_ignores_grant_and_revoke(legacy9: AndroidDevice) -> None:
    before = run(legacy9, "dumpsys package com.tencent.tim")[0]
    assert "      android.permission.READ_CONTACTS: granted=true" in before.splitlines()
    assert run(legacy9, f"pm revoke com.tencent.tim {P}READ_CONTACTS") == ("", "", 0)
    assert run(legacy9, "dumpsys package com.tencent.tim")[0] == before
    assert run(legacy9, "appops set --uid com.tencent.tim READ_CONTACTS ignore")[2] == 0
    ops = run(legacy9, "appops get com.tencent.tim READ_CONTACTS")[0]
    assert ops == "Uid mode: READ_CONTACTS: ignore\n"


LEGACY_14 = """
[device]
sdk = 34
ordinary_apps = 0
[[apps]]
package = "com.tencent.tim"
target_sdk = 22
requested = ["INTERNET", "READ_CONTACTS", "CAMERA"]
"""


def test_legacy_app_on_android_14_uses_revoked_compat(tmp_path: Path) -> None:
    path = tmp_path / "legacy14.toml"
    path.write_text(LEGACY_14)
    phone = load_persona(str(path))
    assert perm_line(phone, "com.tencent.tim", "READ_CONTACTS").startswith(
        "android.permission.READ_CONTACTS: granted=true"
    )
    assert phone.run(f"pm revoke com.tencent.tim {P}READ_CONTACTS").exit_code == 0
    assert "granted=true" in perm_line(phone, "com.tencent.tim", "READ_CONTACTS")
    assert phone.run("cmd appops set --uid com.tencent.tim READ_CONTACTS ignore").exit_code == 0
    line = perm_line(phone, "com.tencent.tim", "READ_CONTACTS")
    assert "granted=true" in line and "REVOKED_COMPAT" in line
    assert (
        run(phone, "cmd appops get com.tencent.tim READ_CONTACTS")[0]
        == "Uid mode: READ_CONTACTS: ignore\n"
    )
    phone.run("cmd appops set --uid com.tencent.tim READ_CONTACTS allow")
    assert "REVOKED_COMPAT" not in perm_line(phone, "com.tencent.tim", "READ_CONTACTS")


# ----------------------------------------------------------------------------- app-ops


def test_appops_package_mode_then_read(pixel: AndroidDevice) -> None:
    assert run(pixel, "cmd appops set com.whatsapp RUN_ANY_IN_BACKGROUND ignore") == ("", "", 0)
    assert (
        run(pixel, "cmd appops get com.whatsapp RUN_ANY_IN_BACKGROUND")[0]
        == "RUN_ANY_IN_BACKGROUND: ignore\n"
    )
    assert run(pixel, "appops set com.whatsapp RUN_ANY_IN_BACKGROUND allow")[2] == 0
    assert run(pixel, "cmd appops get com.whatsapp RUN_ANY_IN_BACKGROUND")[0] == (
        "No operations.\nDefault mode: allow\n"
    )
    assert run(pixel, "cmd appops write-settings")[0] == "Current settings written.\n"


def test_appops_runtime_op_is_resynchronised(pixel: AndroidDevice) -> None:
    run(pixel, "cmd appops set --uid com.whatsapp READ_CONTACTS ignore")
    assert "READ_CONTACTS" not in run(pixel, "cmd appops get com.whatsapp")[0]
    assert "granted=true" in perm_line(pixel, "com.whatsapp", "READ_CONTACTS")


def test_uid_mode_printed_once(pixel: AndroidDevice) -> None:
    text = run(pixel, "cmd appops get com.tencent.mm")[0]
    lines = text.splitlines()
    assert lines[0].startswith("Uid mode: ")
    assert sum("Uid mode:" in line for line in lines) == 1
    assert len([line for line in lines if line.endswith(": ignore")]) > 1


def test_appops_errors(pixel: AndroidDevice) -> None:
    assert run(pixel, "cmd appops get com.nope") == (
        "",
        "Error: No UID for com.nope in user 0\n",
        255,
    )
    assert run(pixel, "cmd appops get com.whatsapp NOT_AN_OP") == (
        "",
        "Error: Unknown operation string: NOT_AN_OP\n",
        255,
    )
    assert run(pixel, "cmd appops set com.whatsapp CAMERA maybe") == (
        "",
        "Error: Mode maybe is not valid\n",
        255,
    )


# -------------------------------------------------------------- standby and allow-list


def test_standby_bucket_set_then_read(pixel: AndroidDevice) -> None:
    assert run(pixel, "am set-standby-bucket --user 0 com.whatsapp restricted") == ("", "", 0)
    assert run(pixel, "am get-standby-bucket --user 0 com.whatsapp")[0] == "45\n"
    assert run(pixel, "am set-standby-bucket com.whatsapp rare com.Slack frequent")[2] == 0
    assert run(pixel, "am get-standby-bucket com.whatsapp")[0] == "40\n"
    assert run(pixel, "am get-standby-bucket com.Slack")[0] == "30\n"
    assert run(pixel, "am set-standby-bucket com.whatsapp sometimes") == (
        "",
        "Error: Unknown bucket: sometimes\n",
        255,
    )


def test_restricted_bucket_only_from_android_12(legacy9: AndroidDevice) -> None:
    assert run(legacy9, "am set-standby-bucket com.whatsapp restricted") == (
        "",
        "Error: Unknown bucket: restricted\n",
        255,
    )
    assert run(legacy9, "am set-standby-bucket com.whatsapp rare")[2] == 0
    assert run(legacy9, "am get-standby-bucket com.whatsapp")[0] == "40\n"


def test_allow_listed_app_is_exempted_until_removed(pixel: AndroidDevice) -> None:
    assert "user,com.tencent.mm," in run(pixel, "cmd deviceidle whitelist")[0]
    assert run(pixel, "am get-standby-bucket com.tencent.mm")[0] == "5\n"
    run(pixel, "am set-standby-bucket com.tencent.mm restricted")
    assert run(pixel, "am get-standby-bucket com.tencent.mm")[0] == "5\n", (
        "min bucket EXEMPTED wins"
    )
    assert run(pixel, "cmd deviceidle whitelist -com.tencent.mm")[0] == "Removed: com.tencent.mm\n"
    assert "com.tencent.mm" not in run(pixel, "cmd deviceidle whitelist")[0]
    assert run(pixel, "am get-standby-bucket com.tencent.mm")[0] == "10\n"
    run(pixel, "am set-standby-bucket com.tencent.mm restricted")
    assert run(pixel, "am get-standby-bucket com.tencent.mm")[0] == "45\n"
    assert run(pixel, "cmd deviceidle whitelist +com.tencent.mm")[0] == "Added: com.tencent.mm\n"
    assert run(pixel, "cmd deviceidle whitelist +com.nope")[0] == "Unknown package: com.nope\n"
    assert run(pixel, "cmd deviceidle whitelist -com.nope") == ("", "", 0)
    assert run(pixel, "cmd deviceidle whitelist =com.tencent.mm")[0] == "true\n"
    assert run(pixel, "cmd deviceidle whitelist com.tencent.mm")[0] == (
        "Package must be prefixed with +, -, or =: com.tencent.mm\n"
    )


def test_allow_list_is_device_wide(samsung: AndroidDevice) -> None:
    lines = run(samsung, "cmd deviceidle whitelist")[0].splitlines()
    assert sum(line.startswith("user,com.alibaba.android.rimet,") for line in lines) == 1


# ------------------------------------------------------- force-stop, suspend, listeners


def test_force_stop_sets_stopped(pixel: AndroidDevice) -> None:
    assert " stopped=false " in user_line(pixel, "com.ss.android.lark")
    assert run(pixel, "am force-stop com.ss.android.lark") == ("", "", 0)
    assert " stopped=true " in user_line(pixel, "com.ss.android.lark")
    assert run(pixel, "pidof com.ss.android.lark")[2] == 1
    pixel.launch("com.ss.android.lark")
    assert " stopped=false " in user_line(pixel, "com.ss.android.lark")


def test_suspend_shows_in_dumpsys(pixel: AndroidDevice) -> None:
    out, _, code = run(pixel, "pm suspend com.ss.android.ugc.aweme")
    assert (out, code) == ("Package com.ss.android.ugc.aweme new suspended state: true\n", 0)
    assert " suspended=true " in user_line(pixel, "com.ss.android.ugc.aweme")
    out, _, _ = run(pixel, "pm unsuspend --user 0 com.ss.android.ugc.aweme")
    assert out == "Package com.ss.android.ugc.aweme new suspended state: false\n"
    assert " suspended=false " in user_line(pixel, "com.ss.android.ugc.aweme")
    assert run(pixel, "pm suspend com.nope")[0] == (
        "java.lang.IllegalArgumentException: Unknown target package: com.nope\n"
    )


def test_notification_listener_allow_and_disallow(pixel: AndroidDevice) -> None:
    component = "org.telegram.messenger/org.telegram.messenger.NotificationsService"
    get = "settings --user 0 get secure enabled_notification_listeners"
    assert component in run(pixel, get)[0]
    assert run(pixel, f"cmd notification disallow_listener {component}") == ("", "", 0)
    assert component not in run(pixel, f"sleep 1; {get}")[0]
    short = "org.telegram.messenger/.NotificationsService"
    assert (
        run(pixel, f"cmd notification allow_listener {short} 0; sleep 1; {get}")[0].count(component)
        == 1
    )
    assert run(pixel, "cmd notification allow_listener nonsense")[0] == (
        "Invalid listener - must be a ComponentName\n"
    )


@pytest.mark.parametrize("persona", ["pixel-14", "android9-legacy"])
def test_the_listener_setting_shows_a_change_only_after_the_policy_file_is_saved(persona):
    """NotificationManagerService mirrors its approved list into the Secure setting on its
    IoThread: 250 ms later on Android 14, right after the call on older releases; read in
    the same breath, the setting still shows the old list."""
    phone = load_persona(persona)
    get = "settings --user 0 get secure enabled_notification_listeners"
    listed = run(phone, get)[0].strip()
    if not listed:
        run(phone, "cmd notification allow_listener com.whatsapp/.Listener 0; sleep 1")
        listed = run(phone, get)[0].strip()
    first = listed.split(":")[0]
    out = run(phone, f"cmd notification disallow_listener {first} 0; {get}")[0]
    if phone.model.sdk >= 34:  # (2 ms on older releases: too short to assert on a busy host)
        assert first in out.strip().split(":")
    assert first not in run(phone, f"sleep 1; {get}")[0].strip().split(":")


def test_sleep_takes_the_phones_time(pixel: AndroidDevice) -> None:
    started = time.monotonic()
    assert run(pixel, "sleep .2; sleep 0.1s") == ("", "", 0)
    assert time.monotonic() - started >= 0.3
    assert run(pixel, "sleep")[2] == 1 and run(pixel, "sleep soon")[2] == 1


def test_settings_put_then_get(pixel: AndroidDevice) -> None:
    assert run(pixel, "settings put secure enabled_accessibility_services ''") == ("", "", 0)
    assert run(pixel, "settings get secure enabled_accessibility_services")[0] == "\n"
    assert run(pixel, "settings --user 0 put secure accessibility_enabled 0")[2] == 0
    assert run(pixel, "settings get secure accessibility_enabled")[0] == "0\n"
    assert run(pixel, "settings get bogus x")[2] == 255


# ----------------------------------------------------------------- Xiaomi lock, users


def test_xiaomi_refuses_until_security_settings_on(xiaomi: AndroidDevice) -> None:
    _, err, code = run(xiaomi, f"pm revoke com.tencent.mm {P}READ_CONTACTS")
    assert code == 255 and exception_line(err) == (
        "java.lang.SecurityException: revokeRuntimePermission: Neither user 2000 nor current "
        "process has android.permission.REVOKE_RUNTIME_PERMISSIONS."
    )
    _, err, code = run(xiaomi, f"pm grant com.ss.android.lark {P}READ_CONTACTS")
    assert exception_line(err) == ex.NEITHER_USER_2000
    _out, err, code = run(xiaomi, "cmd appops set com.tencent.mm RUN_ANY_IN_BACKGROUND ignore")
    assert code == 255 and exception_line(err) == (
        "java.lang.SecurityException: uid 2000 does not have "
        "android.permission.MANAGE_APP_OPS_MODES."
    )
    assert "granted=true" in perm_line(xiaomi, "com.tencent.mm", "READ_CONTACTS")
    # Reads and the power levers keep working.
    assert run(xiaomi, "cmd appops get com.tencent.mm")[2] == 0
    assert run(xiaomi, "cmd deviceidle whitelist -com.tencent.mm")[0] == "Removed: com.tencent.mm\n"
    xiaomi.set_usb_debugging_security_settings(True)
    assert run(xiaomi, f"pm revoke com.tencent.mm {P}READ_CONTACTS") == ("", "", 0)
    assert "granted=false" in perm_line(xiaomi, "com.tencent.mm", "READ_CONTACTS")


def test_miui_ops_in_appops_output(xiaomi: AndroidDevice) -> None:
    text = run(xiaomi, "cmd appops get com.tencent.mm")[0]
    assert "MIUIOP(10008): allow" in text
    xiaomi.set_usb_debugging_security_settings(True)
    assert run(xiaomi, "cmd appops set com.tencent.mm 10008 ignore")[2] == 0
    assert "MIUIOP(10008): ignore" in run(xiaomi, "cmd appops get com.tencent.mm")[0]


def test_default_users(samsung: AndroidDevice) -> None:
    # pm defaults to user 0; DingTalk lives in the work profile only.
    assert run(samsung, f"pm revoke com.alibaba.android.rimet {P}READ_CONTACTS") == ("", "", 0)
    assert "granted=true" in perm_line(samsung, "com.alibaba.android.rimet", "READ_CONTACTS", 10)
    # appops and am default to the current user (0 here).
    assert run(samsung, "cmd appops get com.alibaba.android.rimet") == (
        "",
        "Error: No UID for com.alibaba.android.rimet in user 0\n",
        255,
    )
    assert run(samsung, "cmd appops get --user 10 com.alibaba.android.rimet")[2] == 0
    assert "package:com.alibaba.android.rimet" in run(samsung, "pm list packages --user 10")[0]
    assert "package:com.alibaba.android.rimet" not in run(samsung, "pm list packages --user 0")[0]
    assert run(samsung, "am get-current-user")[0] == "0\n"


def test_inaccessible_secure_folder(samsung: AndroidDevice) -> None:
    denied = "java.lang.SecurityException: Shell does not have permission to access user 150"
    for command in (
        "pm list packages --user 150",
        "pm list packages",
        f"pm revoke --user 150 com.whatsapp {P}CAMERA",
        "am get-standby-bucket --user 150 com.whatsapp",
        "cmd appops get --user 150 com.whatsapp",
    ):
        _out, err, code = run(samsung, command)
        assert code == 255, command
        assert exception_line(err) == denied, command
    _, err, _ = run(samsung, "pm list packages --user 150")
    lines = err.splitlines()
    assert lines[1:3] == ["Exception occurred while executing 'list':", denied]
    assert lines[3] == (
        " com.android.server.am.ActivityManagerService.handleIncomingUser:15285 "
        "android.app.ActivityManager.handleIncomingUser:4954 "
        "com.android.server.pm.PackageManagerShellCommand.translateUserId:3620 "
    ), "handleIncomingUser appends Debug.getCallers(3) to the message"
    assert lines[4].startswith("\tat com.android.server.am.UserController.handleIncomingUser(")
    assert "\tUserInfo{150:Secure Folder:1010} running" in run(samsung, "pm list users")[0]
    assert "    User 150: " in run(samsung, "dumpsys package com.whatsapp")[0]


def test_uids_per_user(samsung: AndroidDevice) -> None:
    line = run(samsung, "pm list packages -U --user 10 com.microsoft.teams")[0].strip()
    app_id = samsung.model.packages["com.microsoft.teams"].app_id
    assert line == f"package:com.microsoft.teams uid:{10 * 100000 + app_id}"
    # Options stop at the filter: `--user 10` after it is ignored and all users are listed,
    # which on this phone reaches the Secure Folder and fails as a real one does.
    out, err, code = run(samsung, "pm list packages -U com.microsoft.teams --user 10")
    assert (out, code) == ("", 255) and "access user 150" in err


SECOND_USER = """
[device]
sdk = 34
current_user = 11
[[users]]
id = 0
name = "Owner"
flags = 0x4c13
[[users]]
id = 11
name = "Alex"
flags = 0x410
[[apps]]
package = "com.whatsapp"
users = [0, 11]
requested = ["INTERNET", "CAMERA"]
[apps.state.grants]
CAMERA = "granted USER_SET"
[apps.user.11]
bucket = "rare"
"""


def test_pm_defaults_to_user_0_appops_and_am_to_the_current_user(tmp_path: Path) -> None:
    path = tmp_path / "two-users.toml"
    path.write_text(SECOND_USER)
    phone = load_persona(str(path))
    assert run(phone, "am get-current-user")[0] == "11\n"
    assert run(phone, "am get-standby-bucket com.whatsapp")[0] == "40\n"  # user 11
    assert run(phone, "am get-standby-bucket --user 0 com.whatsapp")[0] == "10\n"
    run(phone, f"pm revoke com.whatsapp {P}CAMERA")  # user 0
    assert "granted=false" in perm_line(phone, "com.whatsapp", "CAMERA", 0)
    assert "granted=true" in perm_line(phone, "com.whatsapp", "CAMERA", 11)
    run(phone, "cmd appops set com.whatsapp RUN_ANY_IN_BACKGROUND ignore")  # user 11
    assert "RUN_ANY_IN_BACKGROUND: ignore" in run(phone, "cmd appops get --user 11 com.whatsapp")[0]
    assert "RUN_ANY_IN_BACKGROUND" not in run(phone, "cmd appops get --user 0 com.whatsapp")[0]
    uid_11 = 11 * 100000 + phone.model.packages["com.whatsapp"].app_id
    assert run(phone, "pm list packages -U --user 11 whatsapp")[0] == (
        f"package:com.whatsapp uid:{uid_11}\n"
    )


def test_list_filter_and_uninstalled(samsung: AndroidDevice) -> None:
    assert run(samsung, "pm list packages --user 0 rimet")[0] == ""
    assert run(samsung, "pm list packages -u --user 0 rimet")[0] == (
        "package:com.alibaba.android.rimet\n"
    )
    assert " installed=false " in user_line(samsung, "com.alibaba.android.rimet", 0)
    assert (
        run(samsung, "pm list packages --user 10 rimet")[0] == "package:com.alibaba.android.rimet\n"
    )


def test_raw_shell_output_keeps_stdout_and_stderr_in_write_order():
    from hardener.sim.android import load_persona

    phone = load_persona("pixel-14")
    line = "echo one; pm grant --user 0 com.tencent.mm android.permission.NOT_A_PERM; echo two"
    result = phone.run(line)
    assert result.merged is not None and b"Exception" in result.stderr
    text = result.merged.decode()
    assert text.index("one") < text.index("Exception") < text.index("two")
    assert sorted(result.merged) == sorted(result.stdout + result.stderr)
