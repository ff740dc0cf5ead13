"""Every real capture in the shared fixtures, read through its parser, with specific values.

Each capture is also fed as it would arrive from Windows tools and old adb builds (UTF-8
BOM, UTF-16 LE/BE with BOM, UTF-16 without BOM, CRLF, CR, CRCRLF, NUL padding, str): the
values must not change.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from parsers_support import FIXTURES, FIXTURES_MISSING, encodings, fixture_bytes

from hardener.android.parsers import (
    OEM_LOCK,
    PACKAGE,
    Component,
    RawText,
    parse_appops_get,
    parse_component_list,
    parse_dumpsys_accessibility,
    parse_dumpsys_appops,
    parse_dumpsys_deviceidle,
    parse_dumpsys_package,
    parse_getprop,
    parse_pm_list_packages,
    parse_settings_get,
    parse_settings_list,
    parse_shell_error,
    parse_shell_errors,
)
from hardener.android.parsers.shell_errors import NOT_REQUESTED

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=FIXTURES_MISSING)


def check_appops_no_operations(data: RawText) -> None:
    result = parse_appops_get(data, op="RUN_IN_BACKGROUND")
    assert result.no_operations is True
    assert result.entries == ()
    assert result.default_mode is None  # this build printed no `Default mode:` line
    assert result.error is None
    assert result.mode("RUN_IN_BACKGROUND") is None


def check_appops_single_op(data: RawText) -> None:
    result = parse_appops_get(data, op="RUN_IN_BACKGROUND")
    assert [(e.op, e.mode, e.scope) for e in result.entries] == [
        ("RUN_IN_BACKGROUND", "ignore", PACKAGE)
    ]
    assert result.mode("RUN_IN_BACKGROUND") == "ignore"
    assert result.no_operations is False


def check_appops_all(data: RawText) -> None:
    result = parse_appops_get(data)
    assert [e.op for e in result.entries] == [
        "VIBRATE",
        "READ_CONTACTS",
        "WRITE_SETTINGS",
        "CAMERA",
        "TAKE_AUDIO_FOCUS",
        "WAKE_LOCK",
        "TOAST_WINDOW",
        "READ_EXTERNAL_STORAGE",
        "WRITE_EXTERNAL_STORAGE",
    ]
    assert {e.scope for e in result.entries} == {PACKAGE}  # no `Uid mode:` line at all
    vibrate, contacts, settings, camera = result.entries[:4]
    assert (vibrate.mode, vibrate.time, vibrate.duration) == ("allow", "+1m37s980ms", "+763ms")
    assert vibrate.time_ms == 97_980 and vibrate.duration_ms == 763
    assert contacts.time_ms == ((73 * 24 + 3) * 60 + 1) * 60_000 + 15_212
    assert (settings.mode, settings.time, settings.reject_time) == (
        "default",
        None,
        "+26d6h41m15s753ms",
    )
    assert camera.duration_ms == 18_579 and camera.running is False
    assert result.modes()["WRITE_SETTINGS"] == "default"
    assert result.package_modes()["CAMERA"] == "allow"
    assert result.uid_modes() == {}


def check_accessibility(data: RawText) -> None:
    dump = parse_dumpsys_accessibility(data)
    assert [user.user for user in dump.users] == [0]
    assert [c.flat for c in dump.installed] == [
        "com.android.settings/com.samsung.android.settings.development.gpuwatch.GPUWatchInterceptor",
        "com.samsung.accessibility/com.samsung.accessibility.universalswitch.UniversalSwitchService",
        "com.samsung.accessibility/com.samsung.android.app.talkback.TalkBackService",
        "com.sec.android.app.camera/com.samsung.android.glview.AccessibilityGestureHandler",
    ]
    assert (
        dump.installed[1].short
        == "com.samsung.accessibility/.universalswitch.UniversalSwitchService"
    )
    assert dump.enabled == ()


def check_dumpsys_appops(data: RawText) -> None:
    dump = parse_dumpsys_appops(data)
    assert [u.label for u in dump.uids] == [
        "0",
        "1000",
        "u0a103",
        "u0a104",
        "u0a105",
        "u0a106",
        "u0a107",
        "u0a110",
    ]
    facebook = dump.for_uid(10103)
    assert facebook is not None and facebook.state == "cch"
    assert facebook.uid_modes == {"COARSE_LOCATION": "ignore", "LEGACY_STORAGE": "allow"}
    assert facebook.packages["com.facebook.katana"] == {
        "READ_CONTACTS": "allow",
        "WRITE_SMS": "ignore",
        "WAKE_LOCK": "allow",
        "TOAST_WINDOW": "allow",
        "READ_PHONE_STATE": "allow",
        "READ_EXTERNAL_STORAGE": "allow",
        "WRITE_EXTERNAL_STORAGE": "allow",
        "READ_DEVICE_IDENTIFIERS": "deny",
    }
    assert dump.package_modes("com.sec.epdg") == {"MANAGE_IPSEC_TUNNELS": "deny"}
    assert dump.package_modes("org.fdroid.fdroid")["SYSTEM_ALERT_WINDOW"] == "default"
    system = dump.for_uid(1000)
    assert system is not None and system.state == "pers"
    assert system.uid_modes == {"LEGACY_STORAGE": "allow"}
    assert len(system.packages) == 5
    assert dump.for_uid(10105).uid_modes == {}  # type: ignore[union-attr]


def check_deviceidle(data: RawText) -> None:
    lists = parse_dumpsys_deviceidle(data)
    assert (len(lists.except_idle), len(lists.system), len(lists.user)) == (18, 13, 34)
    assert "com.whatsapp" in lists.user and lists.exempt("com.whatsapp")
    assert "com.android.vending" in lists.except_idle
    assert "com.android.vending" not in lists.system
    assert not lists.exempt("com.android.vending")  # except-idle only: not Doze-exempt
    assert "com.miui.core" in lists.system and "com.miui.home" in lists.user
    assert len(lists.except_idle_app_ids) == 49
    assert len(lists.user_app_ids) == 33
    assert len(lists.all_app_ids) == 44
    assert {1000, 2000, 10325} <= lists.all_app_ids
    assert 10092 in lists.except_idle_app_ids and 10092 not in lists.all_app_ids


def check_launcher_excerpt(data: RawText) -> None:
    result = parse_dumpsys_package(data)
    assert list(result.packages) == ["com.android.launcher3"]
    launcher = result.packages["com.android.launcher3"]
    assert launcher.app_id == 10106 and launcher.uid(10) == 1_010_106
    assert (launcher.version_code, launcher.version_name) == (29, "10")
    assert (launcher.min_sdk, launcher.target_sdk) == (29, 29)
    assert launcher.system
    assert launcher.code_path == "/system/product/priv-app/Launcher3QuickStep"
    assert "PRODUCT" in launcher.private_flags and "PRIVILEGED" in launcher.private_flags
    assert (
        launcher.fields["supportsScreens"]
        == "[small, medium, large, xlarge, resizeable, anyDensity]"
    )
    assert launcher.users == {} and launcher.requested_permissions == ()
    assert launcher.installer is None and launcher.shared_user is None


def check_samsung_package_dump(data: RawText) -> None:
    result = parse_dumpsys_package(data)
    assert list(result.packages) == [
        "com.samsung.android.provider.filterprovider",
        "com.sec.android.app.DataCreate",
    ]
    assert result.not_found == () and result.shared_users == {}
    provider = result.packages["com.samsung.android.provider.filterprovider"]
    assert provider.app_id == 1000 and provider.shared_user == "android.uid.system"
    assert (provider.version_code, provider.version_name) == (500_700_000, "5.0.07")
    assert (provider.min_sdk, provider.target_sdk) == (28, 28)
    assert provider.flags == {"SYSTEM", "HAS_CODE", "ALLOW_CLEAR_USER_DATA"}
    assert provider.declared_permissions == {
        "com.samsung.android.provider.filterprovider.permission.READ_FILTER": "normal",
        "com.samsung.android.provider.filterprovider.permission.WRITE_FILTER": "signature",
        "com.samsung.android.provider.filterprovider.permission.RECEIVE_UPDATE": "signature",
        "com.sec.android.camera.permission.USE_EFFECT_FILTER": "signature",
    }
    assert provider.fields["timeStamp"] == "2008-12-31 16:00:00"
    user0 = provider.users[0]
    assert user0.fields["ceDataInode"] == "-4294835840"
    assert (user0.installed, user0.hidden, user0.suspended, user0.stopped) == (
        True,
        False,
        False,
        False,
    )
    assert user0.enabled == 0 and user0.runtime_permissions == {}

    app = result.packages["com.sec.android.app.DataCreate"]
    assert app.app_id == 10143 and app.shared_user is None
    assert len(app.requested_permissions) == 11
    assert app.requested_permissions[0] == "android.permission.ACCESS_WIFI_STATE"
    assert app.requested_permissions[-1] == "com.google.android.c2dm.permission.RECEIVE"
    assert len(app.install_permissions) == 20
    assert all(p.granted and not p.flags for p in app.install_permissions.values())
    assert app.declared_permissions == {
        "com.sec.android.app.DataCreate.permission.KEYSTRING": "signature|privileged"
    }
    user = app.users[0]
    assert user.gids == (3002, 1023, 3003)
    runtime = user.runtime_permissions
    assert len(runtime) == 13 and not any(p.granted for p in runtime.values())
    assert runtime["android.permission.READ_EXTERNAL_STORAGE"].flags == {
        "REVOKE_WHEN_REQUESTED",
        "USER_SENSITIVE_WHEN_GRANTED",
        "RESTRICTION_UPGRADE_EXEMPT",
    }
    assert runtime["android.permission.READ_CONTACTS"].flags == {"USER_SENSITIVE_WHEN_GRANTED"}


def check_getprop(data: RawText) -> None:
    props = parse_getprop(data)
    assert len(props) == 1120
    assert props["ro.build.version.sdk"] == "30"
    assert props["ro.build.version.release"] == "11"
    assert props["ro.product.model"] == "BE2028"
    assert props["ro.product.manufacturer"] == "OnePlus"
    assert props["ro.build.display.id"] == "BE2028_17_230705"
    assert props["persist.sys.timezone"] == "America/Los_Angeles"
    assert props["DEVICE_PROVISIONED"] == "1"
    assert props["ro.build.fingerprint"] == (
        "OnePlus/OnePlusN10TMO/OnePlusN10TMO:11/RKQ1.201217.002/2307051826:user/release-keys"
    )
    assert props["persist.sys.boot.reason.history"] == (
        "reboot,ota,1691858645\nreboot,unattended,ota_update,1691858601\nreboot,ota,1691857091"
    )


def _check_oem_lock(verb: str) -> Callable[[RawText], None]:
    def check(data: RawText) -> None:
        error = parse_shell_error(data)
        assert error is not None
        assert error.kind == OEM_LOCK
        assert error.permission == "android.permission.GRANT_RUNTIME_PERMISSIONS"
        assert error.user == 2000
        assert error.exception == "java.lang.SecurityException"
        assert error.verb == verb
        assert error.message.startswith("grantRuntimePermission: Neither user 2000")
        assert len(parse_shell_errors(data)) == 1  # the stack is not read as more errors

    return check


def check_not_requested(data: RawText) -> None:
    error = parse_shell_error(data)
    assert error is not None
    assert (error.kind, error.verb) == (NOT_REQUESTED, "grant")
    assert (error.package, error.permission) == (
        "com.pittvandewitt.wavelet",
        "android.permission.DUMP",
    )


def check_third_party_list(data: RawText) -> None:
    listing = parse_pm_list_packages(data)
    assert len(listing.entries) == 55 and listing.error is None
    assert listing.names[0] == "com.junkfood.seal" and listing.names[-1] == "com.instagram.android"
    for name in ("com.whatsapp", "com.facebook.katana", "org.telegram.messenger", "com.miui.notes"):
        assert name in listing.names
    assert all(e.path == "" and e.uids == () and e.installer is None for e in listing.entries)


def check_system_list(data: RawText) -> None:
    listing = parse_pm_list_packages(data)
    assert len(listing.entries) == 267
    assert listing.names[:2] == ("com.android.camera", "com.miui.daemon")
    assert listing.names[-1] == "com.android.server.telecom"
    assert "com.whatsapp" not in listing.names


def check_paths_list(data: RawText) -> None:
    listing = parse_pm_list_packages(data)
    assert len(listing.entries) == 16
    first = listing.entries[0]
    assert (first.package, first.path) == (
        "com.android.providers.downloads",
        "/system/priv-app/DownloadProvider/DownloadProvider.apk",
    )
    camera = listing.get("com.phonegap.camerasample")
    assert camera is not None and camera.path == "/data/app/com.phonegap.camerasample-2/base.apk"
    framework = listing.get("android")
    assert framework is not None and framework.path == "/system/framework/framework-res.apk"


def check_accessibility_setting(data: RawText) -> None:
    value = parse_settings_get(data)
    components = parse_component_list(value)
    assert len(components) == 9
    assert components[0] == Component(
        "com.arlosoft.macrodroid",
        "com.arlosoft.macrodroid.triggers.services.MacroDroidAccessibilityServiceJellyBean",
    )
    assert [c.package for c in components].count("com.arlosoft.macrodroid") == 2
    assert components[-1].flat == "com.omarea.vtools/com.omarea.vtools.AccessibilitySceneMode"


def check_settings_list(data: RawText) -> None:
    values = parse_settings_list(data)
    assert len(values) == 347
    assert values["accessibility_enabled"] == "1"
    assert values["always_on_vpn_app"] == "com.celzero.bravedns"
    assert values["accessibility_display_inversion_enabled"] == "null"  # kept as printed
    assert values["accessibility_button_targets"] == ""
    assert values["location_providers_allowed"] == " "  # exact, trailing blank kept
    assert values["backup_manager_constants"] == "key_value_backup_interval_milliseconds=43200000"
    listeners = parse_component_list(values["enabled_notification_listeners"])
    assert [c.package for c in listeners] == [
        "com.omarea.vtools",
        "com.arlosoft.macrodroid",
        "com.catchingnow.icebox",
    ]
    assert len(parse_component_list(values["enabled_accessibility_services"])) == 9


CHECKS: dict[str, Callable[[RawText], None]] = {
    "cmd-appops-get-op-no-operations__unknown__galaxy-s7edge-hero2lte-rooted.txt": (
        check_appops_no_operations
    ),
    "cmd-appops-get-op__unknown__galaxy-s7edge-hero2lte-rooted.txt": check_appops_single_op,
    "cmd-appops-get__unknown__galaxy-s7edge-hero2lte-rooted.txt": check_appops_all,
    "dumpsys-accessibility__10__samsung-galaxy-a40-mvt.txt": check_accessibility,
    "dumpsys-appops__10__samsung-galaxy-a40-mvt.txt": check_dumpsys_appops,
    "dumpsys-deviceidle__14__xiaomi-pad6-hyperos2.txt": check_deviceidle,
    "dumpsys-package-excerpt__10__aosp-launcher3-blog.txt": check_launcher_excerpt,
    "dumpsys-package__10__samsung-galaxy-a40-mvt.txt": check_samsung_package_dump,
    "getprop__11__oneplus-nord-n10-oxygenos11.txt": check_getprop,
    "pm-grant-error-neither-user-2000__11__unknown-wavelet183.txt": _check_oem_lock(""),
    "pm-grant-error-neither-user-2000__13__oneplus9pro-oxygenos13.txt": _check_oem_lock("grant"),
    "pm-grant-error-neither-user-2000__14__unknown-secondscreen110.txt": _check_oem_lock(""),
    "pm-grant-error-not-requested__11__oneplus7pro.txt": check_not_requested,
    "pm-list-packages-3__14__xiaomi-pad6-hyperos2.txt": check_third_party_list,
    "pm-list-packages-f__7__genymotion-metasploit14140.txt": check_paths_list,
    "pm-list-packages-s__14__xiaomi-pad6-hyperos2.txt": check_system_list,
    "settings-get-secure-enabled_accessibility_services__14__xiaomi-pad6-hyperos2.txt": (
        check_accessibility_setting
    ),
    "settings-list-secure__14__xiaomi-pad6-hyperos2.txt": check_settings_list,
}


def test_every_fixture_has_a_check() -> None:
    present = {path.name for path in FIXTURES.glob("*.txt")}
    assert present == set(CHECKS), "a capture without a test, or a test without its capture"


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize(
    "variant",
    [
        "as-is",
        "utf8-bom",
        "utf16le-bom-crlf",
        "utf16be-bom",
        "utf16le-no-bom",
        "crlf",
        "cr-only",
        "crcrlf",
        "nul-padded",
        "str",
    ],
)
def test_fixture_values(name: str, variant: str) -> None:
    CHECKS[name](encodings(fixture_bytes(name))[variant])
