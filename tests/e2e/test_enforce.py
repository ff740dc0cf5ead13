"""Issue 5, end to end on virtual phones: harden, restore exactly, survive a pulled cable."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

import pytest

from hardener.android.catalog.capabilities import CAPABILITIES, LEVERS
from hardener.core.options import PhoneOptions
from hardener.device.runner import parse_at, run_profile, run_restore
from hardener.device.transport import open_device
from hardener.errors import DeviceError
from hardener.profile import load_profile
from hardener.state.journal import Journal, device_lock

from .conftest import PERSONAS

EVENING = "2026-11-24T20:00"  # a Tuesday, in the phone's own timezone
MORNING = "2026-11-25T10:00"
DINGTALK = "com.alibaba.android.rimet"
WECHAT = "com.tencent.mm"


def everything_off_hours(
    tmp_path: Path,
    packages: list[str] | None = None,
    categories: tuple[str, ...] = ("workplace", "social"),
    off: tuple[str, ...] = (),
) -> Path:
    """A profile that takes every capability and lever (or those in `off`) away outside work
    hours, never at work."""
    names = json.dumps(list(off) or [*CAPABILITIES, *LEVERS])
    select = (
        f"packages = {json.dumps(packages)}"
        if packages
        else f"categories = {json.dumps(list(categories))}"
    )
    path = tmp_path / "all-off.toml"
    path.write_text(
        "schema = 1\n"
        'description = "test: everything off outside work hours"\n'
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        f'[[rules]]\nname = "all off"\n{select}\noff_hours = {names}\ndont_ask_again = true\n'
    )
    return path


def scan(cli, phone) -> dict:
    result = cli("scan", "--device", phone.spec, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def changed(before: dict, after: dict) -> list[str]:
    old = {(a["package"], a["user"]): a for a in before["apps"]}
    return [
        f"{a['package']}/{a['user']}.{field}"
        for a in after["apps"]
        for field in ("capabilities", "permissions", "app_ops", "background", "hooks")
        if old[(a["package"], a["user"])][field] != a[field]
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_full_day_gives_back_exactly_what_was_there(persona, virtual_phone, cli, tmp_path):
    phone = virtual_phone(persona)
    if persona == "xiaomi-hyperos-14":
        phone.android.set_usb_debugging_security_settings(True)
    profile = str(everything_off_hours(tmp_path))
    before = scan(cli, phone)

    evening = cli("enforce", "-p", profile, "--device", phone.spec, "--at", EVENING)
    assert evening.exit_code == 0, evening.stdout + evening.stderr
    hardened = scan(cli, phone)
    assert changed(before, hardened), "the evening changed nothing"
    for app in hardened["apps"]:
        for cap, state in app["capabilities"].items():
            if state in ("granted", "partial"):
                fixed = [
                    p for p, v in app["permissions"].items()
                    if v["granted"] and {"SYSTEM_FIXED", "POLICY_FIXED"} & set(v["flags"])
                ]  # fmt: skip
                assert fixed or cap in ("activity_recognition",), (app["package"], cap)

    again = cli("enforce", "-p", profile, "--device", phone.spec, "--at", EVENING)
    assert again.exit_code == 0 and "nothing to do" in again.stdout

    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", MORNING)
    assert morning.exit_code == 0, morning.stdout + morning.stderr
    after = scan(cli, phone)
    assert after == before, changed(before, after)


@pytest.mark.parametrize("persona", ["pixel-14", "samsung-oneui-work", "android9-legacy"])
def test_restore_gives_back_even_what_the_profile_never_allows(persona, virtual_phone, cli):
    phone = virtual_phone(persona)
    before = scan(cli, phone)
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", MORNING).exit_code == 0
    social_still_off = changed(before, scan(cli, phone))
    assert social_still_off, "the default profile never allows social apps background location"
    restored = cli("restore", "--device", phone.spec)
    assert restored.exit_code == 0, restored.stdout
    assert scan(cli, phone) == before
    history = cli("history", "--device", phone.spec, "--json").json()
    commands = [r["command"] for r in history["devices"][0]["history"]]
    assert commands == ["enforce", "enforce", "restore"]
    assert history["devices"][0]["held"] == []


def test_a_regrant_outside_hours_is_revoked_again_and_reported(virtual_phone, cli):
    phone = virtual_phone()
    contacts = "android.permission.READ_CONTACTS"
    before = scan(cli, phone)
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0
    phone.android.run(f"pm grant --user 0 {DINGTALK} {contacts}")  # by hand, at 21:00
    report = cli(
        "enforce", "-p", "default", "--device", phone.spec, "--at", "2026-11-24T21:00", "--json"
    )
    assert report.exit_code == 0
    regrants = [o for o in report.json()["outcomes"] if o["regrant"]]
    assert [(o["package"], o["name"], o["status"]) for o in regrants] == [
        (DINGTALK, contacts, "applied")
    ]
    text = cli("history", "--device", phone.spec, "-v")
    assert "applied" in text.stdout
    assert cli("restore", "--device", phone.spec).exit_code == 0
    assert scan(cli, phone) == before  # the baseline was kept through the re-grant


def test_a_change_made_by_hand_at_work_becomes_the_next_baseline(virtual_phone, cli):
    phone = virtual_phone()
    camera = "android.permission.CAMERA"
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", MORNING).exit_code == 0
    phone.android.run(f"pm revoke --user 0 {DINGTALK} {camera}")  # the person's own choice
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", MORNING).exit_code == 0
    dingtalk = next(a for a in scan(cli, phone)["apps"] if a["package"] == DINGTALK)
    assert dingtalk["permissions"][camera]["granted"] is False  # never more than they had


def test_legacy_app_is_hardened_through_its_app_ops(virtual_phone, cli):
    phone = virtual_phone("android9-legacy")
    before = scan(cli, phone)
    legacy = [a for a in before["apps"] if a["target_sdk"] < 23]
    assert legacy, "the android9-legacy persona has a targetSdk < 23 app"
    package = legacy[0]["package"]
    report = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING, "--json")
    assert report.exit_code == 0, report.stdout
    mine = [a for a in report.json()["actions"] if a["package"] == package]
    assert mine and all("pm revoke" not in c for a in mine for c in a["commands"])
    assert any(a["setting"] == "uid_op" for a in mine)
    hardened = next(a for a in scan(cli, phone)["apps"] if a["package"] == package)
    assert hardened["capabilities"]["contacts"] == "denied"
    assert cli("restore", "--device", phone.spec).exit_code == 0
    assert scan(cli, phone) == before


def test_xiaomi_refuses_until_its_security_switch_is_on(virtual_phone, cli):
    phone = virtual_phone("xiaomi-hyperos-14")
    before = scan(cli, phone)
    refused = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert refused.exit_code == 4
    assert "USB debugging (Security settings)" in refused.stderr
    assert "REFUSED" in refused.stdout and "Neither user 2000" in refused.stdout
    after = scan(cli, phone)
    permissions = [(a["package"], a["user"], a["permissions"]) for a in after["apps"]]
    assert permissions == [(a["package"], a["user"], a["permissions"]) for a in before["apps"]]
    doctor = cli("doctor", "--device", phone.spec)
    assert doctor.exit_code == 4
    assert "USB debugging (Security settings)" in doctor.stdout
    assert "Mi account" in doctor.stdout

    phone.android.set_usb_debugging_security_settings(True)
    assert cli("doctor", "--device", phone.spec).exit_code == 0
    done = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert done.exit_code == 0, done.stdout
    assert cli("restore", "--device", phone.spec).exit_code == 0
    assert scan(cli, phone) == before


def test_work_profile_is_hardened_with_its_own_user_and_policy_fixed_is_never_touched(
    virtual_phone, cli
):
    phone = virtual_phone("samsung-oneui-work")
    before = scan(cli, phone)
    report = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING, "--json")
    assert report.exit_code == 0, report.stdout
    document = report.json()
    work = [a for a in document["actions"] if a["package"] == DINGTALK]
    assert work and all(a["user"] in (10, -1) for a in work)
    assert all("--user 10" in c for a in work if a["user"] == 10 for c in a["commands"])
    fixed = {
        (a["package"], a["user"], p)
        for a in before["apps"]
        for p, v in a["permissions"].items()
        if {"POLICY_FIXED", "SYSTEM_FIXED"} & set(v["flags"])
    }
    assert fixed, "the work profile's admin fixes some of DingTalk's permissions"
    touched = {
        (a["package"], a["user"], a["name"])
        for a in document["actions"]
        if a["setting"] == "permission"
    }
    assert not fixed & touched
    assert any(f["severity"] == "cannot" for f in document["findings"])
    assert all(a["user"] != 150 for a in document["actions"])  # Secure Folder is out of reach
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", MORNING).exit_code == 0
    assert cli("restore", "--device", phone.spec).exit_code == 0
    assert scan(cli, phone) == before


def test_never_uses_reset_commands(virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    profile = str(everything_off_hours(tmp_path))
    for moment in (EVENING, MORNING):
        plan = cli("plan", "-p", profile, "--device", phone.spec, "--at", moment, "--json").json()
        commands = [c for a in plan["actions"] for c in a["commands"]] + plan["trailer"]
        assert commands and not any("reset" in c for c in commands)
        assert cli("enforce", "-p", profile, "--device", phone.spec, "--at", moment).exit_code == 0


def test_plan_and_dry_run_change_nothing(virtual_phone, cli):
    phone = virtual_phone()
    before = scan(cli, phone)
    plan = cli("plan", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert plan.exit_code == 0
    assert f"$ pm revoke --user 0 {DINGTALK} android.permission.READ_CONTACTS" in plan.stdout
    assert "revoke READ_CONTACTS" in plan.stdout
    dry = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING, "--dry-run")
    assert dry.exit_code == 0 and "nothing was changed" in dry.stdout
    assert scan(cli, phone) == before


def test_a_second_run_waits_for_the_lock_then_says_so(virtual_phone, cli, isolated):
    phone = virtual_phone()
    state = Path(isolated).parent / "state"
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with device_lock(state, phone.android.serial(), timeout=5):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        result = cli("enforce", "-p", "default", "--device", phone.spec, "--lock-timeout", "0.3")
        assert result.exit_code == 3
        assert "another hardener run is using" in result.stderr
    finally:
        release.set()
        holder.join()


# ------------------------------------------------------------------------------------------
# Every cut point: the cable is pulled after each possible number of commands.


def _phone_json(phone, profile_catalog) -> str:
    """The phone's state as the scan JSON, read straight from the model (no round trips)."""
    from hardener.core.scan_report import scan_json
    from hardener.device.collect import scan as collect_scan

    with open_device(phone.spec, auth_timeout=5) as transport:
        _, snapshot = collect_scan(transport, lambda p, _t: p in profile_catalog)
    return json.dumps(scan_json(snapshot, profile_catalog, snapshot.apps), sort_keys=True)


def _commands_of(phone, action) -> int:
    phone.faults.arm(drop_after_commands=10**9)
    action()
    seen = phone.faults._commands_seen
    phone.faults.arm()
    return seen


@pytest.mark.parametrize("cut_during", ["harden", "restore"])
def test_every_cut_point_recovers_to_exactly_the_baseline(cut_during, virtual_phone, tmp_path):
    profile = load_profile(everything_off_hours(tmp_path, [DINGTALK, WECHAT]))
    evening, morning = parse_at(EVENING), parse_at(MORNING)

    def run(phone, state, at):
        with open_device(phone.spec, auth_timeout=5) as transport:
            options = PhoneOptions(state_dir=state)
            return run_profile(transport, profile, at, options=options, apply=True)

    reference = virtual_phone()
    baseline = _phone_json(reference, profile.catalog)
    state = tmp_path / "reference"
    if cut_during == "restore":
        run(reference, state, evening)
    total = _commands_of(
        reference, lambda: run(reference, state, morning if cut_during == "restore" else evening)
    )
    assert total > 20

    for cut in range(total + 1):
        phone = virtual_phone()
        state = tmp_path / f"cut{cut}"
        if cut_during == "restore":
            run(phone, state, evening)
        phone.faults.arm(drop_after_commands=cut)
        moment = morning if cut_during == "restore" else evening
        with contextlib.suppress(DeviceError):
            run(phone, state, moment)
        phone.faults.arm()
        run(phone, state, moment)  # run the command again
        if cut_during == "harden":
            run(phone, state, morning)
        assert _phone_json(phone, profile.catalog) == baseline, f"cut after {cut} commands"
        assert Journal(state, phone.android.serial()).load() == {}, f"cut after {cut}"
        phone.server.stop()


def test_restore_with_nothing_held_is_a_no_op(virtual_phone, cli):
    phone = virtual_phone()
    result = cli("restore", "--device", phone.spec)
    assert result.exit_code == 0 and "nothing to do" in result.stdout


def test_run_restore_is_exported_for_scripts(virtual_phone, tmp_path):
    phone = virtual_phone()
    with open_device(phone.spec, auth_timeout=5) as transport:
        run = run_restore(transport, options=PhoneOptions(state_dir=tmp_path), apply=False)
    assert run.plan.empty and run.exit_code == 0
