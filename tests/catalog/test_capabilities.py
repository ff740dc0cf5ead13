"""The capability and lever table: complete, consistent, and right about group members."""

from __future__ import annotations

import pytest

from hardener.android.catalog import (
    CAPABILITIES,
    LEVERS,
    PROFILE_NAMES,
    capability,
    capability_state,
    lever,
    lever_holds,
)
from hardener.android.catalog.capabilities import (
    MAX_SDK,
    MIN_SDK,
    capabilities_of_permission,
)
from hardener.core.levers import KINDS
from hardener.core.levers.app_state import standby_off_bucket
from hardener.core.records import AppState, Permission

EXPECTED_CAPABILITIES = {
    "contacts",
    "location",
    "background_location",
    "camera",
    "microphone",
    "phone",
    "call_log",
    "sms",
    "calendar",
    "storage",
    "notifications",
    "nearby",
    "body_sensors",
    "activity_recognition",
}
EXPECTED_LEVERS = {
    "background_run",
    "restricted_settings",
    "battery_exemption",
    "standby_bucket",
    "suspended",
    "notification_listener",
    "accessibility",
    "overlay",
    "exact_alarm",
    "full_screen_intent",
}
SDKS = range(MIN_SDK, MAX_SDK + 1)
A = "android.permission."


def test_names_are_exactly_the_documented_ones_and_unique():
    assert set(CAPABILITIES) == EXPECTED_CAPABILITIES
    assert set(LEVERS) == EXPECTED_LEVERS
    assert len(PROFILE_NAMES) == len(set(PROFILE_NAMES)) == 24
    for name, cap in CAPABILITIES.items():
        assert cap.name == name
    for name, lev in LEVERS.items():
        assert lev.name == name


@pytest.mark.parametrize("sdk", SDKS)
@pytest.mark.parametrize("name", sorted(EXPECTED_CAPABILITIES))
def test_every_capability_resolves_on_every_sdk(name, sdk):
    cap = capability(name)
    permissions = cap.permissions_for(sdk)
    assert len(permissions) == len(set(permissions))
    if sdk >= cap.min_sdk:
        assert permissions, f"{name} has no permission on SDK {sdk}"
        assert all(p.startswith(("android.permission.", "com.google.")) for p in permissions)
    else:
        # Only capabilities that do not exist on old releases may be empty, and they say why.
        assert name in {"notifications", "nearby"}
        assert permissions == ()
        assert cap.note


def test_sdk_levels_of_group_members():
    assert A + "ACCESS_BACKGROUND_LOCATION" not in capability("location").permissions_for(28)
    assert A + "ACCESS_BACKGROUND_LOCATION" in capability("location").permissions_for(29)
    assert capability("notifications").permissions_for(33) == (A + "POST_NOTIFICATIONS",)
    assert capability("notifications").permissions_for(32) == ()
    assert capability("nearby").permissions_for(30) == ()
    assert A + "NEARBY_WIFI_DEVICES" not in capability("nearby").permissions_for(32)
    assert A + "NEARBY_WIFI_DEVICES" in capability("nearby").permissions_for(33)
    storage_32 = capability("storage").permissions_for(32)
    storage_34 = capability("storage").permissions_for(34)
    assert A + "READ_MEDIA_IMAGES" not in storage_32
    assert {A + "READ_MEDIA_IMAGES", A + "READ_MEDIA_VIDEO", A + "READ_MEDIA_AUDIO"} < set(
        storage_34
    )
    assert A + "READ_MEDIA_VISUAL_USER_SELECTED" in storage_34
    assert A + "READ_MEDIA_VISUAL_USER_SELECTED" not in capability("storage").permissions_for(33)
    assert set(capability("contacts").permissions_for(23)) == {
        A + "READ_CONTACTS",
        A + "WRITE_CONTACTS",
        A + "GET_ACCOUNTS",
    }


def test_call_log_was_part_of_phone_before_sdk_28():
    assert A + "READ_CALL_LOG" in capability("phone").permissions_for(27)
    assert A + "READ_CALL_LOG" not in capability("phone").permissions_for(28)
    assert A + "READ_PHONE_STATE" in capability("call_log").permissions_for(27)
    assert A + "READ_PHONE_STATE" not in capability("call_log").permissions_for(28)


def test_background_location_before_29_means_all_location():
    assert set(capability("background_location").permissions_for(28)) == {
        A + "ACCESS_FINE_LOCATION",
        A + "ACCESS_COARSE_LOCATION",
    }
    assert capability("background_location").permissions_for(29) == (
        A + "ACCESS_BACKGROUND_LOCATION",
    )


def test_legacy_app_ops():
    ops = {op.name: op.off_mode for op in capability("location").app_ops_for(30)}
    assert ops == {"FINE_LOCATION": "ignore", "COARSE_LOCATION": "ignore"}
    background = capability("background_location").app_ops_for(30)
    assert [(op.name, op.off_mode) for op in background] == [("COARSE_LOCATION", "foreground")]
    assert [op.name for op in capability("notifications").app_ops_for(33)] == ["POST_NOTIFICATION"]
    # GET_ACCOUNTS has an op only from Android 8.
    assert "GET_ACCOUNTS" not in {op.name for op in capability("contacts").app_ops_for(25)}
    assert "GET_ACCOUNTS" in {op.name for op in capability("contacts").app_ops_for(26)}
    for cap in CAPABILITIES.values():
        for sdk in SDKS:
            if cap.name == "activity_recognition" and sdk < 29:
                assert not cap.app_ops_for(sdk)
                assert "no app-op" in cap.note
            elif cap.permissions_for(sdk):
                assert cap.app_ops_for(sdk), f"{cap.name} has no op for legacy apps on {sdk}"


def test_permission_lookup_finds_overlapping_capabilities():
    assert set(capabilities_of_permission(A + "ACCESS_BACKGROUND_LOCATION", 30)) == {
        "location",
        "background_location",
    }
    assert capabilities_of_permission(A + "CAMERA", 30) == ("camera",)
    assert capabilities_of_permission(A + "POST_NOTIFICATIONS", 32) == ()


def test_unknown_names_raise_helpful_key_errors():
    with pytest.raises(KeyError, match="known: contacts"):
        capability("contact")
    with pytest.raises(KeyError, match="known: background_run"):
        lever("bg")


def _app(**kwargs) -> AppState:
    base = {"package": "com.tencent.mm", "user": 0, "uid": 10123, "target_sdk": 33}
    base.update(kwargs)
    return AppState(**base)


def _perms(**granted: bool) -> dict[str, Permission]:
    return {A + name: Permission(A + name, value) for name, value in granted.items()}


def test_capability_state_for_modern_apps():
    app = _app(
        permissions=_perms(
            ACCESS_FINE_LOCATION=True,
            ACCESS_COARSE_LOCATION=True,
            ACCESS_BACKGROUND_LOCATION=False,
            READ_CONTACTS=False,
            WRITE_CONTACTS=False,
            CAMERA=True,
        )
    )
    assert capability_state(app, "location", 34) == "partial"
    assert capability_state(app, "background_location", 34) == "denied"
    assert capability_state(app, "contacts", 34) == "denied"
    assert capability_state(app, "camera", 34) == "granted"
    assert capability_state(app, "sms", 34) == "not_requested"
    # On SDK 28 background location is location itself: granted.
    assert capability_state(app, "background_location", 28) == "granted"


def test_capability_state_for_legacy_apps_reads_ops_and_revoked_compat():
    requested = (A + "READ_CONTACTS", A + "ACCESS_FINE_LOCATION", A + "ACCESS_COARSE_LOCATION")
    app = _app(target_sdk=22, requested=requested)
    assert capability_state(app, "contacts", 30) == "granted"
    assert capability_state(app, "location", 30) == "granted"
    denied = _app(
        target_sdk=22,
        requested=requested,
        uid_ops={"READ_CONTACTS": "ignore", "COARSE_LOCATION": "foreground"},
    )
    assert capability_state(denied, "contacts", 30) == "denied"
    # foreground keeps fine/coarse: location is still held.
    assert capability_state(denied, "location", 30) == "granted"
    flagged = _app(
        target_sdk=22,
        requested=requested,
        permissions={
            A + "READ_CONTACTS": Permission(
                A + "READ_CONTACTS", True, frozenset({"REVOKED_COMPAT"})
            )
        },
    )
    assert capability_state(flagged, "contacts", 30) == "denied"


def test_lever_holds():
    app = _app()
    assert lever_holds("background_run", app, 34) is True
    assert (
        lever_holds("background_run", _app(package_ops={"RUN_ANY_IN_BACKGROUND": "ignore"}), 34)
        is False
    )
    # `default` counts as restricted for RUN_ANY_IN_BACKGROUND.
    assert (
        lever_holds("background_run", _app(package_ops={"RUN_ANY_IN_BACKGROUND": "default"}), 34)
        is False
    )
    pre_o = _app(target_sdk=25, package_ops={"RUN_IN_BACKGROUND": "ignore"})
    assert lever_holds("background_run", pre_o, 34) is False
    assert lever_holds("battery_exemption", _app(battery_exempt=True), 34) is True
    assert lever_holds("standby_bucket", app, 34) is None
    assert lever_holds("standby_bucket", _app(standby_bucket=10), 34) is True
    assert lever_holds("standby_bucket", _app(standby_bucket=45), 34) is False
    assert lever_holds("standby_bucket", _app(standby_bucket=40), 30) is False
    assert lever_holds("suspended", _app(suspended=True), 34) is False
    assert lever_holds("notification_listener", _app(notification_listeners=("x/.L",)), 34)
    assert lever_holds("accessibility", app, 34) is False
    saw = (A + "SYSTEM_ALERT_WINDOW",)
    assert lever_holds("overlay", app, 34) is False
    assert lever_holds("overlay", _app(requested=saw), 34) is False
    assert lever_holds(
        "overlay", _app(requested=saw, package_ops={"SYSTEM_ALERT_WINDOW": "allow"}), 34
    )
    exact = (A + "SCHEDULE_EXACT_ALARM",)
    assert lever_holds("exact_alarm", _app(requested=exact), 33) is True
    assert lever_holds("exact_alarm", _app(requested=exact), 34) is None
    assert (
        lever_holds(
            "exact_alarm", _app(requested=exact, uid_ops={"SCHEDULE_EXACT_ALARM": "ignore"}), 34
        )
        is False
    )
    fsi = (A + "USE_FULL_SCREEN_INTENT",)
    assert lever_holds("full_screen_intent", _app(requested=fsi), 33) is True
    assert lever_holds(
        "full_screen_intent", _app(requested=fsi, uid_ops={"USE_FULL_SCREEN_INTENT": "allow"}), 34
    )


def test_standby_off_bucket():
    assert standby_off_bucket(31) == "restricted"
    assert standby_off_bucket(30) == "rare"
    assert standby_off_bucket(33, restricted_enabled=False) == "rare"


def test_levers_describe_read_change_and_restore():
    for lev in LEVERS.values():
        assert lev.read_command and lev.read_field and lev.record_field
        assert lev.targets and lev.restore_rule
        assert lev.scope in ("package", "uid", "device")
        assert MIN_SDK <= lev.min_sdk <= MAX_SDK
        attribute = lev.record_field.split("[", 1)[0]
        assert attribute in AppState.__dataclass_fields__, lev.name
        for target in lev.targets:
            assert target.kind in KINDS, (lev.name, target.kind)
