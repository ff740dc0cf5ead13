import json
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hardener.core.evaluate import Decision, Severity, evaluate
from hardener.core.levers import (
    IDLE_WHITELIST,
    PACKAGE_OP,
    PERMISSION,
    UID_OP,
    LeverKey,
    PermissionValue,
)
from hardener.core.records import AppState, DeviceFeatures, DeviceInfo, Permission, Snapshot, User
from hardener.core.run_report import evaluation_json
from hardener.profile import load_profile

BERLIN = ZoneInfo("Europe/Berlin")
OFF = datetime(2026, 11, 24, 20, 0, tzinfo=BERLIN)  # a Tuesday evening
WORK = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)
DING = "com.alibaba.android.rimet"
WECHAT = "com.tencent.mm"
P = "android.permission."


def perm(name, granted=True, *flags):
    return Permission(P + name, granted, frozenset(flags))


def app(package, *perms, target=34, **kw):
    return AppState(
        package=package,
        user=0,
        uid=10100,
        target_sdk=target,
        permissions={p.name: p for p in perms},
        **kw,
    )


def snap(*apps, sdk=34):
    return Snapshot(
        device=DeviceInfo("S", "Pixel 8", "Google", sdk, "14", "stock", timezone="Europe/Berlin"),
        features=DeviceFeatures(permission_flags=sdk >= 31, restricted_bucket=sdk >= 31),
        users=(User(0, "Owner"),),
        current_user=0,
        apps=tuple(apps),
    )


DEFAULT = load_profile("default")
DINGTALK = app(
    DING,
    perm("READ_CONTACTS"),
    perm("WRITE_CONTACTS", False),
    perm("ACCESS_FINE_LOCATION"),
    perm("CAMERA", False, "USER_SET"),
    battery_exempt=True,
    standby_bucket=5,
)
WECHAT_APP = app(
    WECHAT, perm("ACCESS_FINE_LOCATION"), perm("ACCESS_BACKGROUND_LOCATION"), perm("READ_CONTACTS")
)


def by(evaluation, package, name):
    return [f for f in evaluation.findings if f.package == package and f.name == name]


def test_off_hours_workplace_app_is_in_violation_and_wanted_off():
    ev = evaluate(snap(DINGTALK, WECHAT_APP), DEFAULT, OFF)
    assert not ev.working and not ev.compliant
    assert ev.next_transition.at == datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)
    assert by(ev, DING, "contacts")[0].severity == Severity.VIOLATION
    keys = {w.key for w in ev.wants}
    assert LeverKey(PERMISSION, 0, DING, P + "READ_CONTACTS") in keys
    # denied members are left alone (no flags churn), unless hardener holds them
    assert LeverKey(PERMISSION, 0, DING, P + "WRITE_CONTACTS") not in keys
    assert LeverKey(PERMISSION, 0, DING, P + "CAMERA") not in keys
    assert LeverKey(PACKAGE_OP, 0, DING, "RUN_ANY_IN_BACKGROUND") in keys
    assert LeverKey(IDLE_WHITELIST, -1, DING) in keys
    # social app: background location is never allowed; contacts are not ruled on
    assert by(ev, WECHAT, "background_location")[0].severity == Severity.VIOLATION
    assert LeverKey(PERMISSION, 0, WECHAT, P + "ACCESS_BACKGROUND_LOCATION") in keys
    assert LeverKey(PERMISSION, 0, WECHAT, P + "READ_CONTACTS") not in keys


def test_work_hours_only_never_rules_want_anything():
    ev = evaluate(snap(DINGTALK, WECHAT_APP), DEFAULT, WORK)
    assert ev.working
    assert {w.key.package for w in ev.wants} == {WECHAT}
    contacts = by(ev, DING, "contacts")[0]
    assert contacts.severity == Severity.OUTSIDE_HOURS and "18:00" in contacts.enforce


def test_held_settings_stay_wanted_off_hours_and_are_restored_in_hours():
    key = LeverKey(PERMISSION, 0, DING, P + "READ_CONTACTS")
    hardened = replace(
        DINGTALK, permissions={**DINGTALK.permissions, key.name: perm("READ_CONTACTS", False)}
    )
    off = evaluate(snap(hardened), DEFAULT, OFF, held={key})
    assert key in {w.key for w in off.wants}
    assert by(off, DING, "contacts")[0].severity in (Severity.VIOLATION, Severity.NEXT_TRANSITION)
    work = evaluate(snap(hardened), DEFAULT, WORK, held={key})
    assert key not in {w.key for w in work.wants}
    assert [f.severity for f in work.findings if f.name == "restore"] == [Severity.PENDING_RESTORE]
    assert not work.compliant


def test_fixed_permissions_are_reported_not_touched():
    fixed = app(
        DING, perm("ACCESS_FINE_LOCATION", True, "POLICY_FIXED"), perm("ACCESS_COARSE_LOCATION")
    )
    ev = evaluate(snap(fixed), DEFAULT, OFF)
    keys = {w.key.name for w in ev.wants if w.key.kind == PERMISSION}
    assert keys == {P + "ACCESS_COARSE_LOCATION"}
    cannot = [f for f in by(ev, DING, "location") if f.severity == Severity.CANNOT]
    assert "ACCESS_FINE_LOCATION (POLICY_FIXED)" in cannot[0].message


def test_legacy_app_is_hardened_through_uid_ops():
    legacy = app(
        "com.tencent.tim",
        perm("READ_CONTACTS"),
        perm("ACCESS_FINE_LOCATION"),
        target=22,
        requested=(P + "READ_CONTACTS", P + "ACCESS_FINE_LOCATION"),
    )
    ev = evaluate(snap(legacy, sdk=28), DEFAULT, OFF)
    ops = {
        (w.key.kind, w.key.name, w.value) for w in ev.wants if w.key.package == "com.tencent.tim"
    }
    assert (UID_OP, "READ_CONTACTS", "ignore") in ops
    assert (UID_OP, "COARSE_LOCATION", "ignore") in ops
    assert not any(kind == PERMISSION for kind, _, _ in ops)


def test_dont_ask_again_needs_permission_flags(tmp_path):
    profile_path = tmp_path / "p.toml"
    profile_path.write_text(
        'schema = 1\nextends = "default"\n[[rules]]\nname = "quiet"\ncategories = ["workplace"]\n'
        "dont_ask_again = true\n"
    )
    profile = load_profile(profile_path)
    modern = evaluate(snap(DINGTALK), profile, OFF)
    value = next(w.value for w in modern.wants if w.key.name == P + "READ_CONTACTS")
    assert value == PermissionValue(False, frozenset({"USER_SET", "USER_FIXED"}))
    old = evaluate(snap(replace(DINGTALK, target_sdk=28), sdk=28), profile, OFF)
    value = next(w.value for w in old.wants if w.key.name == P + "READ_CONTACTS")
    assert value == PermissionValue(False)


@pytest.mark.parametrize("moment", [OFF, WORK])
def test_unselected_apps_are_ignored(moment):
    other = app("org.example.notes", perm("READ_CONTACTS"))
    ev = evaluate(snap(other), DEFAULT, moment)
    assert ev.findings == () and ev.wants == () and ev.compliant


def test_protected_apps_are_never_touched_even_when_a_rule_selects_them(tmp_path):
    path = tmp_path / "greedy.toml"
    path.write_text(
        'schema = 1\ndescription = "x"\n[work_hours]\ntimezone = "device"\n'
        'weekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "everything google"\npackages = ["com.google.*"]\n'
        'off_hours = ["location", "contacts"]\n'
    )
    dialer = app("com.google.android.dialer", perm("READ_CONTACTS"), perm("ACCESS_FINE_LOCATION"))
    other = app("com.google.android.apps.photos", perm("ACCESS_FINE_LOCATION"))
    ev = evaluate(snap(dialer, other), load_profile(path), OFF)
    assert {w.key.package for w in ev.wants} == {"com.google.android.apps.photos"}
    protected = [f for f in ev.findings if f.package == "com.google.android.dialer"]
    assert protected and all(
        f.severity == Severity.CANNOT and "protected" in f.enforce for f in protected
    )


def test_severities_keep_their_json_words_and_order():
    """The values are part of `--json` and the history: renaming a member must not change them."""
    assert [s.value for s in Severity] == [
        "violation", "pending_restore", "outside_hours", "next_transition", "cannot",
    ]  # fmt: skip
    assert [d.value for d in Decision] == ["never", "off_hours"]
    ev = evaluate(snap(DINGTALK, WECHAT_APP), DEFAULT, OFF)
    document = json.loads(json.dumps(evaluation_json(ev)))
    assert {f["severity"] for f in document["findings"]} <= {s.value for s in Severity}
    assert document["findings"][0]["severity"] == "violation"  # most urgent first
