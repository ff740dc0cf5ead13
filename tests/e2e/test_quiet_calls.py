"""quiet_calls end to end on the virtual phone: Do Not Disturb (priority only) outside work
hours, calls from the model's log, the person's own choices, doctor's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardener.core.levers.zen import ZEN_KEY
from hardener.sim.android import zen as z
from hardener.state.journal import Journal

UNKNOWN = "+8613800000000"  # a DING call from a number nobody saved
STARRED = "+491709876543"  # pixel-14's starred contact
WORK_ENDS = "2026-11-24T18:00"  # a Tuesday, in the phone's own timezone
LATER = "2026-11-24T21:00"
WORK_STARTS = "2026-11-25T09:00"


def quiet_profile(tmp_path: Path) -> str:
    path = tmp_path / "quiet.toml"
    path.write_text('extends = "default"\nquiet_calls = true\n')
    return str(path)


def zen_outcomes(result) -> list[dict]:  # type: ignore[no-untyped-def]
    return [o for o in result.json()["outcomes"] if o["setting"] == "zen_mode"]


def held(tmp_path: Path, result) -> dict:  # type: ignore[no-untyped-def]
    serial = result.json()["device"]["serial"]
    return Journal(tmp_path / "state", serial).load()


def test_a_night_on_the_pixel(virtual_phone, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    profile = quiet_profile(tmp_path)
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF
    # before: a DING call rings (another number: the same one again would be a repeat caller)
    assert phone.android.incoming_call("+8613700000000").rang

    audit = cli("audit", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    finding = next(f for f in audit.json()["findings"] if f["name"] == "quiet_calls")
    assert finding["severity"] == "violation"
    assert "calls from your starred contacts" in finding["enforce"]
    assert "repeat callers" in finding["enforce"]

    trips = phone.round_trips()
    evening = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    assert evening.exit_code == 0, evening.stdout + evening.stderr
    # the audit left the layout: one read (the zen reads travel in it), writes + read-back
    assert phone.round_trips() - trips == 2 == evening.json()["round_trips"]
    (outcome,) = zen_outcomes(evening)
    assert (outcome["intent"], outcome["status"]) == ("harden", "applied")
    assert (outcome["before"], outcome["after"]) == (0, 1)
    assert phone.android.model.zen.mode == z.ZEN_MODE_IMPORTANT_INTERRUPTIONS
    entry = held(tmp_path, evening)[ZEN_KEY]
    assert (entry.baseline, entry.applied, entry.confirmed) == (0, 1, True)

    scanned = cli("scan", "--device", phone.spec, "--json").json()["do_not_disturb"]
    assert (scanned["zen_mode"], scanned["mode"]) == (1, "priority only")
    assert scanned["priority_lets_through"][0] == "calls from your starred contacts"
    assert scanned["advice"] == ""
    ding = phone.android.incoming_call(UNKNOWN)
    friend = phone.android.incoming_call(STARRED)
    assert not ding.rang and ding.reason.startswith("!audienceMatches")
    assert friend.rang and friend.reason == "audienceMatches"
    assert [(i.number, i.rang) for i in phone.android.model.zen.log[-2:]] == [
        (UNKNOWN, False), (STARRED, True),
    ]  # fmt: skip

    trips = phone.round_trips()
    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_STARTS, "--json")
    assert morning.exit_code == 0, morning.stdout + morning.stderr
    assert phone.round_trips() - trips == 2  # layout known: one read, one write + read-back
    (outcome,) = zen_outcomes(morning)
    assert (outcome["intent"], outcome["status"], outcome["after"]) == ("restore", "applied", 0)
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF
    assert ZEN_KEY not in held(tmp_path, morning)
    assert phone.android.incoming_call("+8613900000001").rang


def test_the_default_profile_leaves_dnd_alone(virtual_phone, cli):
    phone = virtual_phone("pixel-14")
    evening = cli("enforce", "-p", "default", "--device", phone.spec, "--at", WORK_ENDS, "--json")
    assert evening.exit_code == 0, evening.stdout + evening.stderr
    assert zen_outcomes(evening) == []
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF


@pytest.mark.parametrize("how", ["samsung persona", "by hand", "schedule"])
def test_the_persons_own_dnd_is_left_alone(how, virtual_phone, cli, tmp_path):
    phone = virtual_phone("samsung-oneui-work" if how == "samsung persona" else "pixel-14")
    if how == "by hand":
        phone.android.set_dnd_by_hand(z.ZEN_MODE_ALARMS)
    elif how == "schedule":
        phone.android.set_zen_rule_active("EVERY_NIGHT_DEFAULT_RULE", True)
    mode = phone.android.model.zen.mode
    assert mode != z.ZEN_MODE_OFF
    profile = quiet_profile(tmp_path)
    evening = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    assert evening.exit_code in (0, 1), evening.stdout + evening.stderr
    assert zen_outcomes(evening) == [] and ZEN_KEY not in held(tmp_path, evening)
    finding = next(f for f in evening.json()["findings"] if f["name"] == "quiet_calls")
    assert "hardener leaves it" in finding["message"]
    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_STARTS, "--json")
    assert zen_outcomes(morning) == []
    assert phone.android.model.zen.mode == mode  # not turned off in the morning


def test_a_regrant_is_reported_and_left_off_until_the_work_start(virtual_phone, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    profile = quiet_profile(tmp_path)
    evening = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    assert evening.exit_code == 0 and phone.android.model.zen.mode == 1
    phone.android.set_dnd_by_hand(z.ZEN_MODE_OFF)  # the person wants to hear calls tonight

    audit = cli("audit", "-p", profile, "--device", phone.spec, "--at", LATER, "--json")
    assert audit.exit_code == 0  # nothing enforce would do: the person's choice
    finding = next(f for f in audit.json()["findings"] if f["name"] == "quiet_calls")
    assert finding["severity"] == "cannot" and "re-grant" in finding["message"]

    again = cli("enforce", "-p", profile, "--device", phone.spec, "--at", LATER)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "Do Not Disturb was turned off by hand" in again.stdout and "re-grant" in again.stdout
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF  # not fought
    as_json = cli("enforce", "-p", profile, "--device", phone.spec, "--at", LATER, "--json")
    assert [k["key"] for k in as_json.json()["kept"]] == [ZEN_KEY.encode()]
    assert phone.android.incoming_call(UNKNOWN).rang

    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_STARTS, "--json")
    assert morning.exit_code == 0
    assert ZEN_KEY not in held(tmp_path, morning)  # settled: the phone shows the baseline
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF


def test_a_mode_changed_by_hand_overnight_is_left_in_the_morning(virtual_phone, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    profile = quiet_profile(tmp_path)
    cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS)
    phone.android.set_dnd_by_hand(z.ZEN_MODE_NO_INTERRUPTIONS)
    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_STARTS)
    assert morning.exit_code == 0, morning.stdout + morning.stderr
    assert "left as you chose" in morning.stdout and "total silence" in morning.stdout
    assert phone.android.model.zen.mode == z.ZEN_MODE_NO_INTERRUPTIONS
    (device,) = cli("history", "--json").json()["devices"]
    last = device["history"][-1]
    assert [entry["key"] for entry in last["left"]] == [ZEN_KEY.encode()]
    assert "total silence" in last["left"][0]["why"]
    assert ZEN_KEY.encode() not in [entry["key"] for entry in device["held"]]


def test_doctor_words_for_a_policy_that_lets_everyone_through(virtual_phone, cli):
    phone = virtual_phone("xiaomi-hyperos-14")
    result = cli("doctor", "--device", phone.spec)
    text = " ".join(result.stdout.split())  # the check's words wrap at the terminal width
    line = text[text.index("do not disturb:") :]
    assert "calls from anyone (DING calls from unknown numbers included)" in line
    assert "messages from anyone" in line and "repeat callers" in line
    assert "Calls: starred contacts" in result.stdout
    as_json = cli("doctor", "--device", phone.spec, "--json").json()
    check = next(c for c in as_json["checks"] if c["name"] == "do not disturb")
    assert check["ok"] is False and "Calls: starred contacts" in check["advice"]


def test_doctor_and_audit_on_android_9_say_there_is_no_shell_route(virtual_phone, cli, tmp_path):
    phone = virtual_phone("android9-legacy")
    doctor = cli("doctor", "--device", phone.spec)
    assert "no shell route before Android 11" in doctor.stdout
    profile = quiet_profile(tmp_path)
    audit = cli("audit", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    finding = next(f for f in audit.json()["findings"] if f["name"] == "quiet_calls")
    assert finding["severity"] == "cannot" and "Android 11" in finding["message"]
    enforce = cli("enforce", "-p", profile, "--device", phone.spec, "--at", WORK_ENDS, "--json")
    assert zen_outcomes(enforce) == []
    sent = [c for a in enforce.json()["actions"] for c in a["commands"]]
    assert not [c for c in sent if "set_dnd" in c or "zen_mode" in c]


def zen_reads(phone) -> int:  # type: ignore[no-untyped-def]
    """How many scripts sent to the phone so far read Do Not Disturb's policy."""
    from hardener.sim.adbd import read_log

    return sum("dumpsys notification --zen" in e.command for e in read_log(phone.log))


def test_do_not_disturb_is_read_only_when_it_can_matter(virtual_phone, cli, tmp_path):
    """A profile without quiet_calls, and nothing of Do Not Disturb held: its two reads (one
    a dumpsys) stay off the phone. With quiet_calls, or a mode the journal holds (a restore
    after the profile dropped quiet_calls), they are read, and the mode given back."""
    phone = virtual_phone("pixel-14")
    spec = ("--device", phone.spec)
    plain = cli("enforce", "-p", "default", *spec, "--at", LATER, "--json")
    assert plain.exit_code == 0, plain.stdout + plain.stderr
    assert not zen_outcomes(plain)
    again = cli("enforce", "-p", "default", *spec, "--at", LATER, "--json")
    assert again.exit_code == 0 and again.json()["round_trips"] == 1
    assert zen_reads(phone) == 0

    scanned = cli("scan", *spec, "--json").json()["do_not_disturb"]  # scan shows it
    assert scanned["zen_mode"] == 0
    assert zen_reads(phone) == 1

    profile = quiet_profile(tmp_path)
    quiet = cli("enforce", "-p", profile, *spec, "--at", LATER, "--json")
    assert [(o["before"], o["after"]) for o in zen_outcomes(quiet)] == [(0, 1)]
    # the layout saved by the plain runs lacked Do Not Disturb: phase 2 runs again with it
    # (one more round trip, not a wrong answer); the read-back reads it too (it changed)
    assert zen_reads(phone) == 1 + 1 + 1
    assert quiet.json()["round_trips"] == 3

    back = cli("restore", *spec, "--json")  # no profile: the journal says what to read
    assert [(o["intent"], o["before"], o["after"]) for o in zen_outcomes(back)] == [
        ("restore", 1, 0)
    ]
    assert phone.android.model.zen.mode == z.ZEN_MODE_OFF
