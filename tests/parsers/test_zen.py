"""Do Not Disturb parsers on the forms the virtual phone prints per Android version (derived
from AOSP ZenModeHelper.dump; no real capture exists), and on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.android.parsers.zen import (
    ZEN_ALARMS,
    ZEN_OFF,
    ZEN_PRIORITY,
    ZEN_TOTAL_SILENCE,
    ZenDump,
    parse_zen_dump,
    parse_zen_mode,
)
from hardener.sim.android import AndroidDevice, load_persona


def dump(phone: AndroidDevice) -> ZenDump:
    return parse_zen_dump(phone.run("dumpsys notification --zen").stdout)


@pytest.mark.parametrize(
    ("text", "mode"),
    [("0\n", 0), ("1\n", 1), ("2", 2), ("3\r\n", 3), ("null\n", None), ("4\n", None), ("", None),
     ("Error: bad\n", None), ("١\n", None), (b"\xff\xfe1\x00\n\x00", 1)],
)  # fmt: skip
def test_zen_mode_setting(text: str | bytes, mode: int | None) -> None:
    assert parse_zen_mode(text) == mode


def test_pixel_off_with_starred_callers_and_an_inactive_schedule() -> None:
    zen = dump(load_persona("pixel-14"))
    assert zen.mode == ZEN_OFF
    assert (zen.calls, zen.calls_from, zen.repeat_callers) == (True, "stars", True)
    assert (zen.messages, zen.messages_from, zen.alarms) == (False, "stars", True)
    assert zen.manual_rule is None
    assert [r.name for r in zen.automatic_rules] == ["Sleeping"]
    assert zen.automatic_rules[0].active is False and zen.schedules_on == ()


def test_samsung_on_by_hand_with_contacts() -> None:
    zen = dump(load_persona("samsung-oneui-work"))
    assert zen.mode == ZEN_PRIORITY
    assert zen.manual_rule is not None and zen.manual_rule.mode == ZEN_PRIORITY
    assert (zen.calls_from, zen.messages, zen.messages_from) == ("contacts", True, "contacts")
    assert zen.automatic_rules == ()


def test_xiaomi_lets_anyone_through() -> None:
    zen = dump(load_persona("xiaomi-hyperos-14"))
    assert (zen.calls, zen.calls_from, zen.messages_from) == (True, "anyone", "anyone")


def test_android_9_form_with_the_unprefixed_disallow_line() -> None:
    phone = load_persona("android9-legacy")
    text = phone.run("dumpsys notification --zen").stdout.decode()
    assert "\n disallow(" in text  # the pre-11 form
    zen = parse_zen_dump(text)
    assert (zen.mode, zen.calls_from, zen.repeat_callers, zen.found) == (0, "stars", True, True)


@pytest.mark.parametrize("sdk", [28, 29, 30, 31, 33, 34])
@pytest.mark.parametrize(
    ("word", "mode"),
    [("priority", ZEN_PRIORITY), ("none", ZEN_TOTAL_SILENCE), ("alarms", ZEN_ALARMS)],
)
def test_every_release_form_and_mode(sdk: int, word: str, mode: int, tmp_path) -> None:
    persona = tmp_path / f"bare-{sdk}.toml"
    persona.write_text(f'[device]\nsdk = {sdk}\nrelease = "x"\n')
    phone = load_persona(persona)
    phone.run(f"cmd notification set_dnd {word}")  # Android 11+ only: before, stays off
    expected = mode if sdk >= 30 else ZEN_OFF
    for command in ("dumpsys notification --zen", "dumpsys notification"):
        zen = parse_zen_dump(phone.run(command).stdout)
        assert zen.mode == expected
        assert zen.found and zen.calls_from == "stars"  # AOSP default_zen_mode_config
        assert (zen.manual_rule is not None) == (sdk >= 30)
    assert parse_zen_mode(phone.run("settings get global zen_mode").stdout) == expected


def test_an_active_schedule_is_seen_and_a_snoozed_one_is_not() -> None:
    phone = load_persona("pixel-14")
    phone.set_zen_rule_active("EVERY_NIGHT_DEFAULT_RULE", True)
    assert dump(phone).schedules_on == ("Sleeping",)
    phone.run("cmd notification set_dnd off")  # off snoozes the schedule (AOSP)
    zen = dump(phone)
    assert zen.automatic_rules[0].snoozing and zen.schedules_on == ()


def test_other_users_configs_are_not_read_as_the_current_one() -> None:
    text = (
        "  Zen Mode:\n    mZenMode=ZEN_MODE_ALARMS\n"
        "    mConfigs[u=10]=allow(alarms=true,calls=true,callsFrom=anyone,repeatCallers=false,"
        "messages=true,messagesFrom=anyone)\n"
        "      manualRule=ZenRule[enabled=TRUE,name=null,zenMode=ZEN_MODE_ALARMS,condition=null]\n"
        "    mUser=0\n"
        "    mConfig=allow(alarms=true,calls=false,callsFrom=contacts,repeatCallers=true,"
        "messages=false,messagesFrom=stars)\n"
        "      manualRule=null\n"
        "    mSuppressedEffects=0\n"
    )
    zen = parse_zen_dump(text)
    assert (zen.mode, zen.calls, zen.calls_from, zen.manual_rule) == (
        ZEN_ALARMS,
        False,
        "contacts",
        None,
    )


def test_no_zen_section() -> None:
    assert parse_zen_dump("Can't find service: notification\n") == ZenDump()
    assert not ZenDump().found


@settings(max_examples=300, deadline=None)
@given(st.text() | st.binary())
def test_never_raises_on_any_text(text: str | bytes) -> None:
    parse_zen_mode(text)
    parse_zen_dump(text)


LINES = st.sampled_from(
    [
        "mZenMode=ZEN_MODE_OFF", "mZenMode=2", "mZenMode=", "mConfig=allow(calls=true,callsFrom=",
        "mConfig=allow(calls=maybe,callsFrom=7)", "manualRule=ZenRule[", "automaticRules=ZenRule[]",
        "ZenRule[enabled=,name=,zenMode=9,condition.state=true]", " disallow(visualEffects=1)",
        "mUser=0", "Zen Log:", "mConfigs[u=0]=allow()", "automaticRules=", "=",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(LINES, st.text(max_size=5)), max_size=12))
def test_never_raises_on_near_misses(parts: list[tuple[str, str]]) -> None:
    zen = parse_zen_dump("\n".join(" " * len(pad) + line + pad for line, pad in parts))
    assert zen.mode in (None, 0, 1, 2, 3)
    assert zen.calls_from in (None, "anyone", "contacts", "stars")
