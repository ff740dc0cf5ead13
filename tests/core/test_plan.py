from dataclasses import replace

from hardener.core.baselines import JournalEntry
from hardener.core.levers import (
    ACCESSIBILITY_SERVICE,
    IDLE_WHITELIST,
    PACKAGE_OP,
    PERMISSION,
    STANDBY_BUCKET,
    LeverKey,
    PermissionValue,
)
from hardener.core.plan import HARDEN, RESTORE, Want, make_plan
from hardener.core.records import AppState, DeviceFeatures, DeviceInfo, Permission, Snapshot, User

PKG = "com.alibaba.android.rimet"
CONTACTS = "android.permission.READ_CONTACTS"
NOW = "2026-11-24T18:00:00+00:00"

contacts = LeverKey(PERMISSION, 0, PKG, CONTACTS)
bg = LeverKey(PACKAGE_OP, 0, PKG, "RUN_ANY_IN_BACKGROUND")
idle = LeverKey(IDLE_WHITELIST, -1, PKG)
bucket = LeverKey(STANDBY_BUCKET, 0, PKG)
DONT_ASK = PermissionValue(False, frozenset({"USER_SET", "USER_FIXED"}))


def snapshot(
    *,
    granted=True,
    flags=("USER_SET",),
    ops=None,
    exempt=True,
    bucket_=5,
    flags_ok=True,
    accessibility=(),
    user_services=(),
):
    app = AppState(
        package=PKG,
        user=0,
        uid=10123,
        target_sdk=34,
        permissions={CONTACTS: Permission(CONTACTS, granted, frozenset(flags))},
        package_ops=ops or {},
        standby_bucket=bucket_,
        battery_exempt=exempt,
        accessibility_services=tuple(accessibility),
    )
    return Snapshot(
        device=DeviceInfo("S", "Pixel", "Google", 34 if flags_ok else 28, "14", "stock"),
        features=DeviceFeatures(permission_flags=flags_ok, restricted_bucket=flags_ok),
        users=(User(0, "Owner", accessibility_services=tuple(user_services)),),
        current_user=0,
        apps=(app,),
    )


WANTS = [
    Want(contacts, DONT_ASK, "default: contacts off outside work hours"),
    Want(bg, "ignore", "default: background_run"),
    Want(idle, False, "default: battery_exemption"),
    Want(bucket, 45, "default: standby_bucket"),
]


def hardened():
    return snapshot(
        granted=False,
        flags=("USER_SET", "USER_FIXED"),
        ops={"RUN_ANY_IN_BACKGROUND": "ignore"},
        exempt=False,
        bucket_=45,
    )


def test_first_harden_journals_baselines_and_orders_commands():
    plan = make_plan(snapshot(), WANTS, {}, now=NOW)
    assert [a.intent for a in plan.actions] == [HARDEN] * 4
    assert plan.script() == [
        f"pm revoke --user 0 {PKG} {CONTACTS}",
        f"pm set-permission-flags --user 0 {PKG} {CONTACTS} user-fixed",
        f"cmd appops set --user 0 {PKG} RUN_ANY_IN_BACKGROUND ignore",
        f"cmd deviceidle whitelist -{PKG}",
        f"am set-standby-bucket --user 0 {PKG} restricted",
        f"am force-stop --user 0 {PKG}",
        "cmd appops write-settings",
    ]
    assert plan.journal[contacts].baseline == PermissionValue(True, frozenset({"USER_SET"}))
    assert plan.journal[bg].baseline is None
    assert plan.journal[idle].baseline is True
    assert plan.journal[bucket].baseline == 5
    assert not any(entry.confirmed for entry in plan.journal.values())
    assert "stop the app asking again" in plan.actions[0].words


def test_second_harden_at_the_same_moment_does_nothing():
    first = make_plan(snapshot(), WANTS, {}, now=NOW)
    confirmed = {k: e.confirm() for k, e in first.journal.items()}
    again = make_plan(hardened(), WANTS, confirmed, now=NOW)
    assert again.empty and again.script() == []
    assert again.journal == confirmed


def test_regrant_is_revoked_again_and_baseline_kept():
    first = make_plan(snapshot(), WANTS, {}, now=NOW)
    confirmed = {k: e.confirm() for k, e in first.journal.items()}
    regranted = hardened()
    app = replace(
        regranted.apps[0],
        permissions={CONTACTS: Permission(CONTACTS, True, frozenset({"USER_SET"}))},
    )
    plan = make_plan(replace(regranted, apps=(app,)), WANTS, confirmed, now="later")
    assert [(a.key, a.regrant) for a in plan.actions] == [(contacts, True)]
    assert plan.journal[contacts].baseline == PermissionValue(True, frozenset({"USER_SET"}))
    assert plan.journal[contacts].since == NOW


def test_pending_entry_is_not_called_a_regrant():
    first = make_plan(snapshot(), WANTS, {}, now=NOW)  # journal saved, cable pulled before writes
    plan = make_plan(snapshot(), WANTS, first.journal, now="later")
    assert len(plan.actions) == 4 and not any(a.regrant for a in plan.actions)
    assert plan.journal[contacts].baseline == PermissionValue(True, frozenset({"USER_SET"}))


def test_restore_puts_back_exactly_the_baseline_in_reverse_order():
    first = make_plan(snapshot(), WANTS, {}, now=NOW)
    confirmed = {k: e.confirm() for k, e in first.journal.items()}
    plan = make_plan(hardened(), [], confirmed, now="morning")
    assert [a.intent for a in plan.actions] == [RESTORE] * 4
    assert [a.key.kind for a in plan.actions] == [
        STANDBY_BUCKET,
        IDLE_WHITELIST,
        PACKAGE_OP,
        PERMISSION,
    ]
    assert plan.script() == [
        # bucket baseline 5 (exempted) comes back with the allow-list: no command of its own
        f"cmd deviceidle whitelist +{PKG}",
        f"cmd appops set --user 0 {PKG} RUN_ANY_IN_BACKGROUND allow",  # never `default`
        f"pm clear-permission-flags --user 0 {PKG} {CONTACTS} user-fixed",
        f"pm grant --user 0 {PKG} {CONTACTS}",
        "cmd appops write-settings",
    ]
    # entries stay in the journal until the read-back shows the baseline
    assert set(plan.journal) == set(confirmed)


def test_restore_when_already_back_settles_the_journal():
    first = make_plan(snapshot(), WANTS, {}, now=NOW)
    plan = make_plan(snapshot(), [], first.journal, now="morning")
    assert plan.empty and plan.journal == {} and len(plan.settled) == 4


def test_one_time_grant_is_not_restored_as_permanent():
    snap = snapshot(flags=("ONE_TIME", "USER_SENSITIVE_WHEN_GRANTED"))
    first = make_plan(snap, WANTS[:1], {}, now=NOW)
    assert first.actions[0].commands[0].startswith("pm revoke")
    after = snapshot(
        granted=False, flags=("ONE_TIME", "USER_SENSITIVE_WHEN_GRANTED", "USER_SET", "USER_FIXED")
    )
    plan = make_plan(after, [], {k: e.confirm() for k, e in first.journal.items()}, now="morning")
    assert not any(c.startswith("pm grant") for c in plan.script())


def test_restore_never_takes_away_a_later_grant():
    entry = JournalEntry(
        contacts, PermissionValue(False, frozenset({"USER_SET"})), DONT_ASK, True, NOW, "x"
    )
    plan = make_plan(snapshot(granted=True, flags=("USER_SET",)), [], {contacts: entry}, now="m")
    assert plan.empty and plan.journal == {}


def test_never_rules_keep_their_baseline_during_work_hours():
    first = make_plan(snapshot(), WANTS[:1], {}, now=NOW)
    confirmed = {k: e.confirm() for k, e in first.journal.items()}
    still = make_plan(hardened(), WANTS[:1], confirmed, now="morning")
    assert still.empty and contacts in still.journal
    everything = make_plan(hardened(), [], confirmed, now="morning", restore_everything=True)
    assert [a.key for a in everything.actions] == [contacts]


def test_missing_app_keeps_its_baseline():
    first = make_plan(snapshot(), WANTS[:1], {}, now=NOW)
    gone = replace(snapshot(), apps=())
    plan = make_plan(gone, [], first.journal, now="m")
    assert plan.empty and contacts in plan.journal and "not on the phone" in plan.kept[0][1]


def test_without_permission_flags_no_flag_commands():
    plan = make_plan(snapshot(flags_ok=False), WANTS[:1], {}, now=NOW)
    assert plan.script() == [
        f"pm revoke --user 0 {PKG} {CONTACTS}",
        f"am force-stop --user 0 {PKG}",
    ]
    after = snapshot(granted=False, flags_ok=False)
    assert make_plan(after, WANTS[:1], plan.journal, now=NOW).empty


def test_accessibility_writes_carry_the_whole_list():
    svc = f"{PKG}/.Helper"
    other = "com.example.reader/.Reader"
    snap = snapshot(accessibility=[svc], user_services=[other, svc])
    key = LeverKey(ACCESSIBILITY_SERVICE, 0, PKG, svc)
    plan = make_plan(snap, [Want(key, False, "x")], {}, now=NOW)
    assert plan.script()[0] == (
        f"settings --user 0 put secure enabled_accessibility_services {other}"
    )
    restored = make_plan(
        replace(
            snap,
            users=(User(0, "Owner", accessibility_services=(other,)),),
            apps=(replace(snap.apps[0], accessibility_services=()),),
        ),
        [],
        {k: e.confirm() for k, e in plan.journal.items()},
        now="m",
    )
    assert restored.script()[0] == (
        f"settings --user 0 put secure enabled_accessibility_services {other}:{svc}"
    )


def test_an_app_already_stopped_is_not_force_stopped_again():
    running = make_plan(snapshot(), WANTS, {}, now=NOW)
    assert f"am force-stop --user 0 {PKG}" in running.script()
    still = snapshot()
    still = replace(still, apps=(replace(still.apps[0], stopped=True),))
    plan = make_plan(still, WANTS, {}, now=NOW)
    assert [a.key for a in plan.actions] == [a.key for a in running.actions]
    assert not any("force-stop" in command for command in plan.script())
