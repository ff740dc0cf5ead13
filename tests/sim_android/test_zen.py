"""Do Not Disturb on the virtual phone: the zen model, `cmd notification set_dnd`, the
`zen_mode` setting, `dumpsys notification` (zen and listeners) and incoming calls/SMS."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android import zen as z

UNKNOWN = "+8613800000000"  # a DING call from a number nobody saved
STARRED = "+491709876543"  # pixel-14's starred contact
CONTACT = "+491701234567"  # pixel-14's plain contact


def out(phone: AndroidDevice, command: str) -> str:
    return phone.run(command).stdout.decode()


def zen_mode(phone: AndroidDevice) -> str:
    return out(phone, "settings get global zen_mode").strip()


# ------------------------------------------------------------------- set_dnd, setting


@pytest.mark.parametrize(
    ("word", "mode"),
    [
        ("priority", "1"),
        ("on", "2"),
        ("none", "2"),
        ("alarms", "3"),
        ("all", "0"),
        ("off", "0"),
    ],
)
def test_set_dnd_words_map_to_zen_mode(pixel: AndroidDevice, word: str, mode: str) -> None:
    pixel.run("cmd notification set_dnd priority")
    result = pixel.run(f"cmd notification set_dnd {word}")
    assert (result.exit_code, result.stdout, result.stderr) == (0, b"", b"")
    assert zen_mode(pixel) == mode
    assert pixel.model.zen.mode == int(mode)


def test_set_dnd_errors_are_printed_on_stdout_with_status_0(pixel: AndroidDevice) -> None:
    bad = pixel.run("cmd notification set_dnd loud")
    assert (bad.exit_code, bad.stdout) == (
        0,
        b"Error occurred. Check logcat for details. Invalid filter: 0\n",
    )
    missing = pixel.run("cmd notification set_dnd")
    assert missing.stdout == (
        b'Error occurred. Check logcat for details. Argument expected after "set_dnd"\n'
    )
    assert zen_mode(pixel) == "0"


def test_set_dnd_does_not_exist_before_android_11(legacy9: AndroidDevice) -> None:
    result = legacy9.run("cmd notification set_dnd priority")
    assert (result.exit_code, result.stdout) == (255, b"Unknown command: set_dnd\n")
    assert zen_mode(legacy9) == "0"


@pytest.mark.parametrize("persona", ["pixel-14", "android9-legacy"])
def test_writing_the_setting_does_not_change_dnd_and_is_written_back(persona: str) -> None:
    phone = load_persona(persona)
    result = phone.run("settings put global zen_mode 1; settings get global zen_mode")
    assert result.stdout == b"1\n"  # the write is visible at once ...
    assert zen_mode(phone) == "0"  # ... until ZenModeHelper's observer writes the mode back
    assert phone.model.zen.mode == z.ZEN_MODE_OFF
    assert phone.incoming_call(z.normalize_number(UNKNOWN)).rang
    # Within one script the observer runs a moment later too.
    later = phone.run("settings put global zen_mode 2; sleep 0.01; settings get global zen_mode")
    assert later.stdout == b"0\n"


# ---------------------------------------------------------------------- who rings


def test_priority_silences_unknown_callers_and_lets_starred_and_repeat_callers_ring(
    pixel: AndroidDevice,
) -> None:
    pixel.run("cmd notification set_dnd priority")
    first = pixel.incoming_call(UNKNOWN, at=1000.0)
    starred = pixel.incoming_call(STARRED, at=1001.0)
    contact = pixel.incoming_call(CONTACT, at=1002.0)
    again = pixel.incoming_call(UNKNOWN, at=1000.0 + 14 * 60)  # within 15 minutes
    later = pixel.incoming_call("+8613800000001", at=1000.0)
    late_again = pixel.incoming_call("+8613800000001", at=1000.0 + 16 * 60)
    assert [e.rang for e in (first, starred, contact, again, later, late_again)] == [
        False,
        True,
        False,
        True,
        False,
        False,
    ]
    assert first.reason == "!audienceMatches:starred"
    assert again.reason == "repeatCaller"
    sms = pixel.incoming_sms(STARRED, at=1003.0)
    assert (sms.rang, sms.reason) == (False, "!allowMessages")
    assert [e.number for e in pixel.model.zen.log][:2] == [UNKNOWN, STARRED]


def test_off_rings_everything_and_total_silence_nothing(pixel: AndroidDevice) -> None:
    assert pixel.incoming_call(UNKNOWN).rang
    pixel.run("cmd notification set_dnd on")
    assert not pixel.incoming_call(STARRED).rang
    pixel.run("cmd notification set_dnd alarms")
    assert pixel.incoming_call(STARRED).reason == "alarmsOnly"


def test_persona_policy_anyone_lets_unknown_callers_through(xiaomi: AndroidDevice) -> None:
    xiaomi.run("cmd notification set_dnd priority")
    assert xiaomi.incoming_call(UNKNOWN).rang
    assert xiaomi.incoming_sms(UNKNOWN).rang


def test_persona_declares_dnd_on_and_contacts_audience(samsung: AndroidDevice) -> None:
    assert zen_mode(samsung) == "1"
    assert samsung.incoming_call("+821012345678").rang  # a contact
    assert not samsung.incoming_call(UNKNOWN).rang


def test_off_by_hand_snoozes_the_persons_schedule_until_it_starts_again(
    pixel: AndroidDevice,
) -> None:
    pixel.set_zen_rule_active("EVERY_NIGHT_DEFAULT_RULE", True)
    assert zen_mode(pixel) == "1"
    pixel.run("cmd notification set_dnd off")
    assert zen_mode(pixel) == "0"
    pixel.set_zen_rule_active("EVERY_NIGHT_DEFAULT_RULE", False)
    pixel.set_zen_rule_active("EVERY_NIGHT_DEFAULT_RULE", True)
    assert zen_mode(pixel) == "1"
    pixel.set_dnd_by_hand(z.ZEN_MODE_NO_INTERRUPTIONS)
    assert zen_mode(pixel) == "2"  # the manual rule wins over the schedule


@settings(max_examples=60, deadline=None)
@given(
    calls=st.sampled_from(["anyone", "contacts", "starred", "none"]),
    repeat=st.booleans(),
    times=st.lists(st.floats(min_value=0, max_value=3600), min_size=1, max_size=6),
    who=st.sampled_from([UNKNOWN, CONTACT, STARRED]),
)
def test_priority_mode_decisions_follow_the_policy(
    calls: str, repeat: bool, times: list[float], who: str
) -> None:
    zen = z.Zen(sdk=34, contacts={CONTACT}, starred={STARRED})
    zen.policy.repeat_callers = repeat
    zen.policy.calls = calls != "none"
    if calls != "none":
        zen.policy.calls_from = z.SOURCE_BY_WORD[calls]
    zen.set_interruption_filter(z.FILTER_PRIORITY, z.SHELL_PACKAGE)
    previous: float | None = None
    for when in sorted(times):
        event = zen.incoming(z.CALL, who, at=when)
        audience = {
            "anyone": True,
            "contacts": who in (CONTACT, STARRED),
            "starred": who == STARRED,
            "none": False,
        }[calls]
        repeated = repeat and previous is not None and when - previous <= 15 * 60
        assert event.rang == (audience or repeated)
        previous = when


def test_numbers_are_validated() -> None:
    with pytest.raises(z.ZenError):
        z.Zen(sdk=34).incoming(z.CALL, "; rm -rf /")
    with pytest.raises(z.ZenError):
        z.Zen(sdk=34).incoming("fax", UNKNOWN)
    assert z.normalize_number("+86 138-0000-0000") == "+8613800000000"


# --------------------------------------------------------------- dumpsys notification

ALLOW_14 = re.compile(
    r"allow\(alarms=(true|false),media=(true|false),system=(true|false),calls=(true|false),"
    r"callsFrom=(anyone|contacts|stars),repeatCallers=(true|false),messages=(true|false),"
    r"messagesFrom=(anyone|contacts|stars),conversations=(true|false),"
    r"conversationsFrom=(anyone|important|none|unset),events=(true|false),"
    r"reminders=(true|false)\)"
)
ALLOW_9 = re.compile(
    r"allow\(alarms=(true|false),media=(true|false),system=(true|false),calls=(true|false),"
    r"callsFrom=(anyone|contacts|stars),repeatCallers=(true|false),messages=(true|false),"
    r"messagesFrom=(anyone|contacts|stars),events=(true|false),reminders=(true|false)\)"
)


def test_zen_section_per_release(pixel: AndroidDevice, legacy9: AndroidDevice) -> None:
    pixel.run("cmd notification set_dnd priority")
    text = out(pixel, "dumpsys notification --zen")
    assert (
        "\n  Zen Mode:\n    mInterruptionFilter=2\n    mZenMode=ZEN_MODE_IMPORTANT_INTERRUPTIONS\n"
        in (text)
    )
    assert "    mConsolidatedPolicy=NotificationManager.Policy[" in text
    config = text.split("    mConfig=", 1)[1].splitlines()
    assert ALLOW_14.fullmatch(config[0]), config[0]
    assert config[1] == "      disallow(visualEffects=511)"
    assert config[2].startswith("      manualRule=ZenRule[enabled=TRUE,")
    assert "zenMode=ZEN_MODE_IMPORTANT_INTERRUPTIONS" in config[2]
    assert "pkg=com.android.shell" in config[2]
    assert config[3].startswith("      automaticRules=ZenRule[")  # pixel's Sleeping schedule
    assert "Notification listeners:" not in text  # --zen prints the zen sections only
    old = out(legacy9, "dumpsys notification --zen")
    assert "mConsolidatedPolicy" not in old
    config9 = old.split("    mConfig=", 1)[1].splitlines()
    assert ALLOW_9.fullmatch(config9[0]), config9[0]
    assert config9[1] == " disallow(visualEffects=511)"  # Android 9 prints it unprefixed
    assert config9[2] == "      manualRule=null"


def test_zen_log_records_the_mode_changes_and_intercepted_calls(pixel: AndroidDevice) -> None:
    pixel.run("cmd notification set_dnd priority")
    pixel.incoming_call(UNKNOWN)
    log = out(pixel, "dumpsys notification --zen").split("  Zen Log:\n", 1)[1]
    lines = [line for line in log.splitlines() if line.startswith("    ")]
    stamp = r"    \d\d-\d\d \d\d:\d\d:\d\d\.\d{3} "
    assert re.fullmatch(
        stamp + r"set_zen_mode: ZEN_MODE_IMPORTANT_INTERRUPTIONS,setInterruptionFilter", lines[0]
    )
    assert re.fullmatch(
        stamp + rf"intercepted: call\|\{UNKNOWN},!audienceMatches:starred", lines[1]
    )


def listener_section(phone: AndroidDevice) -> list[str]:
    text = out(phone, "dumpsys notification --noredact")
    block = text.split("\n  Notification listeners:\n", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()


def test_listener_section_matches_the_setting_and_follows_disallow(pixel: AndroidDevice) -> None:
    setting = out(pixel, "settings get secure enabled_notification_listeners").strip()
    expected = set(setting.split(":"))
    lines = listener_section(pixel)
    assert lines[0] == "    Allowed notification listeners:"
    allowed = lines[1].strip().rsplit(" (user: 0", 1)[0]
    assert set(allowed.split(":")) == expected
    assert lines[2] == "    Has user set:"
    assert (
        lines[3]
        == f"    All notification listeners ({len(expected)}) enabled for current profiles:"
    )
    live_at = lines.index(f"    Live notification listeners ({len(expected)}):")
    assert {line.strip()[len("ComponentInfo{") : -1] for line in lines[4:live_at]} == expected
    wecom = "com.tencent.wework/com.tencent.wework.msg.NotificationListenerService"
    pixel.run(f"cmd notification disallow_listener {wecom}")
    after = "\n".join(listener_section(pixel))
    assert wecom not in after  # at once in the service, before the setting catches up
    assert f"({len(expected) - 1}) enabled for current profiles" in after


def test_android_9_listener_section_has_no_user_set_block(legacy9: AndroidDevice) -> None:
    lines = listener_section(legacy9)
    assert lines[0] == "    Allowed notification listeners:"
    assert "    Has user set:" not in lines
    assert lines[-3:] == [
        "    Snoozed notification listeners (0):",
        "    mListenerHints: 0",
        "    mListenersDisablingEffects: ()",
    ]


def test_every_persona_dumps_notification(phone: AndroidDevice) -> None:
    result = phone.run("dumpsys notification")
    assert result.exit_code == 0 and result.stderr == b""
    text = result.stdout.decode()
    for title in ("Zen Mode:", "Zen Log:", "Notification listeners:", "Condition providers:"):
        assert f"\n  {title}\n" in text
    mode = int(zen_mode(phone))
    assert f"    mZenMode={z.ZEN_MODE_NAMES[mode]}\n" in text


# ------------------------------------------------------- release thresholds (9 .. 14)


@pytest.mark.parametrize("sdk", [28, 29, 30, 31, 33, 34])
def test_formats_change_at_the_aosp_releases(sdk: int, tmp_path) -> None:
    persona = tmp_path / f"bare-{sdk}.toml"
    persona.write_text(f'[device]\nsdk = {sdk}\nrelease = "x"\n')
    phone = load_persona(persona)
    dnd = phone.run("cmd notification set_dnd priority")
    assert (dnd.exit_code == 0) == (sdk >= 30)  # NotificationShellCmd set_dnd: Android 11
    assert zen_mode(phone) == ("1" if sdk >= 30 else "0")
    text = out(phone, "dumpsys notification")
    assert ("mConsolidatedPolicy=" in text) == (sdk >= 29)  # Android 10
    assert ("conversations=" in text) == (sdk >= 30)  # Android 11
    assert ("\n      disallow(visualEffects=" in text) == (sdk >= 30)
    assert ("\n disallow(visualEffects=" in text) == (sdk < 30)
    assert ("\n    Has user set:\n" in text) == (sdk >= 31)  # Android 12
