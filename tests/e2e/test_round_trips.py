"""Round trips per run, counted in the virtual phone's own stream log (issue 6's target).

A phone hardener has read before is read in one round trip (phase 2 guessed from the last
layout, sent with phase 1); the writes and their read-back share the next. A wrong guess (a
new app, a new user, a hand-edited cache) costs one more round trip and never a wrong answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hardener.sim.adbd import read_log
from hardener.state.layouts import layout_path

from .test_enforce import EVENING, MORNING, WECHAT, everything_off_hours, scan


def trips(cli, phone, *args: str, exit_code: int = 0) -> tuple[int, dict]:
    """Run `hardener ARGS --json` against `phone`: round trips it took, and its document."""
    before = phone.round_trips()
    result = cli(*args, "--device", phone.spec, "--json")
    assert result.exit_code == exit_code, result.stdout + result.stderr
    document = result.json()
    return phone.round_trips() - before, document


def applied(document: dict) -> int:
    return sum(1 for outcome in document["outcomes"] if outcome["status"] == "applied")


@pytest.mark.parametrize("apps", [None, 50, 300])
def test_enforce_takes_two_round_trips_whatever_the_number_of_apps(
    apps, virtual_phone, cli, tmp_path
):
    phone = virtual_phone(apps=apps)
    # The benchmark's rules: on every app, so the work grows with the number of apps. (With
    # every lever on 300 apps the writes outgrow one request, 126 KiB, and the phase splits.)
    every_app = ("workplace", "social", "other")
    off = ("location", "contacts", "background_run", "battery_exemption")
    p = str(everything_off_hours(tmp_path, categories=every_app, off=off))

    first, doc = trips(cli, phone, "enforce", "-p", p, "--at", EVENING)
    assert applied(doc) > (apps or 20)
    assert first == 3  # first contact: discover, read, then write + read-back
    catch_up, doc = trips(cli, phone, "enforce", "-p", p, "--at", EVENING)
    assert catch_up == 1 and not applied(doc)
    morning, doc = trips(cli, phone, "enforce", "-p", p, "--at", MORNING)
    assert morning == 2 and applied(doc) > (apps or 20)
    evening, doc = trips(cli, phone, "enforce", "-p", p, "--at", EVENING)
    assert evening == 2 and applied(doc) > (apps or 20)
    assert trips(cli, phone, "restore")[0] == 2


def test_writes_and_their_read_back_travel_in_one_script(virtual_phone, cli):
    phone = virtual_phone()
    cli("plan", "-p", "default", "--device", phone.spec, "--at", EVENING)
    before = len(read_log(phone.log))
    assert trips(cli, phone, "enforce", "-p", "default", "--at", EVENING)[0] == 2
    write = read_log(phone.log)[before + 1].command
    revoke = write.index("pm revoke --user 0 com.alibaba.android.rimet")
    assert write.index("dumpsys package com.alibaba.android.rimet", revoke) > revoke


def test_a_newly_installed_app_costs_one_round_trip_and_is_read(virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    profile = str(everything_off_hours(tmp_path))
    wechat = phone.android.model.packages.pop(WECHAT)
    cli("plan", "-p", profile, "--device", phone.spec, "--at", EVENING)
    phone.android.model.packages[WECHAT] = wechat  # installed since the last run

    count, doc = trips(cli, phone, "enforce", "-p", profile, "--at", EVENING)
    assert count == 3  # the guess missed WeChat: phase 2 again, then the writes
    assert any(o["package"] == WECHAT and o["status"] == "applied" for o in doc["outcomes"])
    assert trips(cli, phone, "enforce", "-p", profile, "--at", EVENING)[0] == 1


@pytest.mark.usefixtures("isolated")
def test_a_new_work_profile_is_not_missed(virtual_phone, cli, tmp_path):
    phone = virtual_phone("samsung-oneui-work")
    profile = str(everything_off_hours(tmp_path))
    cli("plan", "-p", profile, "--device", phone.spec, "--at", EVENING)
    path = layout_path(tmp_path / "state", phone.spec)
    layout = json.loads(path.read_text())
    assert 10 in layout["users"]
    path.write_text(json.dumps({**layout, "users": [0]}))  # as before the work profile came

    count, doc = trips(cli, phone, "enforce", "-p", profile, "--at", EVENING)
    assert count == 3
    assert any(o["user"] == 10 and o["status"] == "applied" for o in doc["outcomes"])


def test_a_guessed_read_equals_a_fresh_one(virtual_phone, cli, tmp_path, monkeypatch):
    phone = virtual_phone("samsung-oneui-work", apps=60)
    profile = str(everything_off_hours(tmp_path))
    cli("plan", "-p", profile, "--device", phone.spec, "--at", EVENING)
    audit = ("audit", "-p", profile, "--at", EVENING)
    guessed_count, guessed = trips(cli, phone, *audit, exit_code=1)  # 1: findings
    monkeypatch.setenv("HARDENER_STATE_DIR", str(tmp_path / "fresh"))
    fresh_count, fresh = trips(cli, phone, *audit, exit_code=1)
    assert (guessed_count, fresh_count) == (1, 2)
    assert guessed == fresh


def test_a_hand_edited_layout_never_reaches_the_shell(virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    cli("plan", "-p", "default", "--device", phone.spec, "--at", EVENING)
    path: Path = layout_path(tmp_path / "state", phone.spec)
    layout = json.loads(path.read_text())
    path.write_text(json.dumps({**layout, "packages": [*layout["packages"], "x;reboot"]}))
    before = len(read_log(phone.log))
    assert trips(cli, phone, "plan", "-p", "default", "--at", EVENING)[0] == 2
    assert not any("reboot" in entry.command for entry in read_log(phone.log)[before:])
    assert scan(cli, phone)["device"]


def test_a_listener_change_is_read_back_after_android_mirrors_it(virtual_phone, cli, tmp_path):
    """Android 14 writes the listener setting 250 ms after the change: the write script
    pauses before reading back, so the change is seen and its baseline kept."""
    phone = virtual_phone()  # Android 14; WeCom and Telegram hold notification listeners
    listeners = everything_off_hours(tmp_path, off=("notification_listener",))
    before = len(read_log(phone.log))
    count, doc = trips(cli, phone, "enforce", "-p", str(listeners), "--at", EVENING)
    assert count == 3
    statuses = {o["name"]: o["status"] for o in doc["outcomes"]}
    assert statuses and set(statuses.values()) == {"applied"}, statuses
    script = read_log(phone.log)[before + 2].command
    assert (
        script.index("disallow_listener")
        < script.index("sleep 1")
        < script.index("enabled_notification_listeners")
    )
    count, doc = trips(cli, phone, "enforce", "-p", str(listeners), "--at", MORNING)
    assert count == 2 and {o["status"] for o in doc["outcomes"]} == {"applied"}


def test_no_pause_when_no_listener_changes(virtual_phone, cli):
    phone = virtual_phone()
    before = len(read_log(phone.log))
    trips(cli, phone, "enforce", "-p", "default", "--at", EVENING)
    assert not any("sleep" in entry.command for entry in read_log(phone.log)[before:])
