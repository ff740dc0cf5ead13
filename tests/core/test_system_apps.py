"""Issue 11: a system app the profile selects (Google Meet ships as one) is never changed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hardener.core.evaluate import Severity, evaluate
from hardener.core.plan import make_plan
from hardener.core.records import AppState, DeviceFeatures, DeviceInfo, Permission, Snapshot, User
from hardener.profile import load_profile

OFF = datetime(2026, 11, 24, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
MEET = "com.google.android.apps.tachyon"


def meet(*, system: bool) -> AppState:
    contacts = Permission("android.permission.READ_CONTACTS", True, frozenset({"USER_SET"}))
    return AppState(
        package=MEET, user=0, uid=10123, target_sdk=34, system=system,
        permissions={contacts.name: contacts}, battery_exempt=True,
    )  # fmt: skip


def snapshot(app: AppState) -> Snapshot:
    return Snapshot(
        device=DeviceInfo("S", "Pixel 8", "Google", 34, "14", "stock", timezone="Europe/Berlin"),
        features=DeviceFeatures(permission_flags=True, restricted_bucket=True),
        users=(User(0, "Owner"),),
        current_user=0,
        apps=(app,),
    )


def test_a_system_app_gets_no_appops_no_revoke_and_no_force_stop():
    profile = load_profile("default")
    assert profile.category_of(MEET) == "workplace"  # the default profile selects it
    snap = snapshot(meet(system=True))
    evaluation = evaluate(snap, profile, OFF)
    assert evaluation.wants == ()
    assert {f.severity for f in evaluation.findings} == {Severity.CANNOT}
    assert all("system app" in f.message for f in evaluation.findings)
    plan = make_plan(snap, evaluation.wants, {}, now="2026-11-24T19:00:00+00:00")
    assert plan.script() == []


def test_the_same_app_installed_by_the_user_is_hardened():
    snap = snapshot(meet(system=False))
    evaluation = evaluate(snap, load_profile("default"), OFF)
    assert any(f.severity == Severity.VIOLATION for f in evaluation.findings)
    script = make_plan(snap, evaluation.wants, {}, now="2026-11-24T19:00:00+00:00").script()
    assert any(f"force-stop --user 0 {MEET}" in line for line in script)
    assert any("appops set" in line or "pm revoke" in line for line in script)
