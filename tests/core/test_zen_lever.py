"""The Do Not Disturb lever (quiet_calls): the kind, the profile key, the judgement and the
plan, including the person's own choices (their DND left alone, a re-grant reported and not
fought, a changed mode left as they set it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.android.commands import UnsafeName, set_dnd
from hardener.core.baselines import JournalEntry
from hardener.core.evaluate import (
    Severity,
    evaluate,
)
from hardener.core.lever_key import LeverKey
from hardener.core.levers import HARDEN, KINDS, RESTORE, kind_of
from hardener.core.levers.zen import ZEN_KEY, ZEN_MODE, dnd_summary, settings_advice, who_rings
from hardener.core.plan import make_plan
from hardener.core.records import DeviceFeatures, DeviceInfo, DoNotDisturb, Snapshot, User
from hardener.errors import HardenerError
from hardener.profile import load_profile

TZ = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2026, 11, 24, 18, 30, tzinfo=TZ)  # a Tuesday, after work
MORNING = datetime(2026, 11, 25, 9, 30, tzinfo=TZ)
NOW = "2026-11-24T18:30:00+08:00"
CHINA = load_profile("china-workplace")
DEFAULT = load_profile("default")

PIXEL = DoNotDisturb(
    mode=0, shell_route=True, calls=True, calls_from="stars", repeat_callers=True,
    messages=False, messages_from="stars",
)  # fmt: skip
ANYONE = replace(PIXEL, calls_from="anyone", messages=True, messages_from="anyone")


def snap(dnd: DoNotDisturb | None = PIXEL, sdk: int = 34) -> Snapshot:
    return Snapshot(
        device=DeviceInfo("S", "Pixel", "Google", sdk, "14" if sdk >= 34 else "9", "stock",
                          timezone="Asia/Shanghai"),
        features=DeviceFeatures(permission_flags=True, restricted_bucket=True),
        users=(User(0, "Owner"),),
        current_user=0,
        apps=(),
        dnd=dnd,
    )  # fmt: skip


def entry(applied: int = 1, confirmed: bool = True) -> JournalEntry:
    return JournalEntry(ZEN_KEY, 0, applied, confirmed, NOW, "quiet_calls")


# The kind ---------------------------------------------------------------------------------


def test_kind_registered_device_wide_and_validated() -> None:
    kind = kind_of(ZEN_KEY)
    assert KINDS[ZEN_MODE] is kind and kind.device_wide and not kind.fights_regrant
    assert LeverKey.decode(ZEN_KEY.encode()) == ZEN_KEY
    assert kind.value_from_json(1) == 1
    for bad in (4, -1, True, "1", None, 1.0):
        with pytest.raises(ValueError):
            kind.value_from_json(bad)
    with pytest.raises(ValueError):
        kind.set_commands(LeverKey(ZEN_MODE, -1, "com.evil; reboot", ""), 1)
    with pytest.raises(UnsafeName):
        set_dnd(5)
    assert kind.set_commands(ZEN_KEY, 1) == ["cmd notification set_dnd priority"]
    assert kind.set_commands(ZEN_KEY, 0) == ["cmd notification set_dnd off"]
    assert kind.set_commands(ZEN_KEY, 2) == ["cmd notification set_dnd none"]  # not "on"
    assert kind.set_commands(ZEN_KEY, 3) == ["cmd notification set_dnd alarms"]


def test_the_sh_form_for_the_on_phone_schedule() -> None:
    form = kind_of(ZEN_KEY).sh
    text = "\n".join(form.functions)
    assert "$(settings get global zen_mode 2>/dev/null)" in text  # what the laptop reads
    assert "1) echo priority;;" in text and " on;;" not in text  # `on` is total silence
    assert form.lever(ZEN_KEY, 1, True) == "K=zen; T=1"
    assert form.comment(ZEN_KEY) == "zen_mode phone"
    assert [form.decode(form.encode(ZEN_KEY, m)) for m in (0, 1, 2, 3)] == [0, 1, 2, 3]
    assert form.encode(ZEN_KEY, None) == "unknown" and form.decode("unknown") is None
    for bad in (4, True, "1"):
        with pytest.raises(UnsafeName):
            form.lever(ZEN_KEY, bad, True)
    for text in ("4", "1; reboot", "", "01"):
        with pytest.raises(ValueError):
            form.decode(text)


def test_harden_is_met_by_any_dnd_the_person_has() -> None:
    kind = kind_of(ZEN_KEY)
    assert [kind.satisfies(HARDEN, ZEN_KEY, m, 1, True) for m in (0, 1, 2, 3)] == [
        False, True, True, True,
    ]  # fmt: skip
    assert kind.satisfies(RESTORE, ZEN_KEY, 0, 0, True)
    assert not kind.satisfies(RESTORE, ZEN_KEY, 1, 0, True)


# Profile ----------------------------------------------------------------------------------


def test_bundled_profiles() -> None:
    assert DEFAULT.quiet_calls is False
    assert CHINA.quiet_calls is True
    assert load_profile("strict").quiet_calls is False


def test_profile_key_is_validated_and_inherited(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "default"\nquiet_calls = "yes"\n')
    with pytest.raises(HardenerError) as raised:
        load_profile(bad)
    assert "quiet_calls" in str(raised.value) and "true or false" in str(raised.value)
    child = tmp_path / "child.toml"
    child.write_text('extends = "china-workplace"\n')
    assert load_profile(child).quiet_calls is True
    off = tmp_path / "off.toml"
    off.write_text('extends = "china-workplace"\nquiet_calls = false\n')
    assert load_profile(off).quiet_calls is False


# Judgement --------------------------------------------------------------------------------


def zen_findings(evaluation):  # type: ignore[no-untyped-def]
    return [f for f in evaluation.findings if f.name == "quiet_calls"]


def test_off_hours_want_only_with_quiet_calls() -> None:
    assert not [w for w in evaluate(snap(), DEFAULT, EVENING).wants if w.key == ZEN_KEY]
    evaluation = evaluate(snap(), CHINA, EVENING)
    assert [(w.key, w.value) for w in evaluation.wants] == [(ZEN_KEY, 1)]
    (finding,) = zen_findings(evaluation)
    assert finding.severity == Severity.VIOLATION and not evaluation.compliant
    assert "calls from your starred contacts" in finding.enforce
    assert "repeat callers" in finding.enforce


def test_work_hours_no_want_and_says_when() -> None:
    evaluation = evaluate(snap(), CHINA, MORNING)
    assert not evaluation.wants
    (finding,) = zen_findings(evaluation)
    assert finding.severity == Severity.OUTSIDE_HOURS and "12:00" in finding.enforce


def test_the_persons_own_dnd_is_left_and_nothing_journaled() -> None:
    evaluation = evaluate(snap(replace(PIXEL, mode=1, manual=True)), CHINA, EVENING)
    (finding,) = zen_findings(evaluation)
    assert finding.severity == Severity.CANNOT and "your own choice" in finding.message
    plan = make_plan(snap(replace(PIXEL, mode=1, manual=True)), evaluation.wants, {}, now=NOW)
    assert plan.empty and not plan.journal
    scheduled = replace(PIXEL, mode=1, schedules_on=("Sleeping",))
    (finding,) = zen_findings(evaluate(snap(scheduled), CHINA, EVENING))
    assert '"Sleeping"' in finding.message


def test_no_shell_route_before_android_11() -> None:
    old = replace(PIXEL, shell_route=False)
    evaluation = evaluate(snap(old, sdk=28), CHINA, EVENING)
    assert not evaluation.wants
    (finding,) = zen_findings(evaluation)
    assert finding.severity == Severity.CANNOT and "Android 11" in finding.message
    ok, words, _ = dnd_summary(old)
    assert ok is False and "no shell route before Android 11" in words


def test_unreadable_dnd_is_said_and_not_wanted() -> None:
    evaluation = evaluate(snap(None), CHINA, EVENING)
    assert not evaluation.wants
    assert zen_findings(evaluation)[0].message.startswith("Do Not Disturb could not be read")


def test_a_policy_that_lets_everyone_through() -> None:
    assert who_rings(ANYONE)[0].startswith("calls from anyone")
    assert "Calls: starred contacts" in settings_advice(ANYONE)
    assert "Messages: starred contacts" in settings_advice(ANYONE)
    assert settings_advice(PIXEL) == ""
    findings = zen_findings(evaluate(snap(ANYONE), CHINA, EVENING))
    advice = [f for f in findings if f.state == "lets anyone through"]
    assert advice and "Calls: starred contacts" in advice[0].enforce
    ok, words, fix = dnd_summary(ANYONE)
    assert ok is False and "calls from anyone" in words and "Calls: starred contacts" in fix


# Plan -------------------------------------------------------------------------------------


def test_plan_turns_it_on_and_journals_off() -> None:
    evaluation = evaluate(snap(), CHINA, EVENING)
    plan = make_plan(snap(), evaluation.wants, {}, now=NOW)
    (action,) = plan.actions
    assert action.commands == ("cmd notification set_dnd priority",)
    assert plan.trailer == ()  # no force-stop or write-settings for the phone setting
    assert plan.journal[ZEN_KEY].baseline == 0 and plan.journal[ZEN_KEY].applied == 1


def test_held_and_on_is_the_next_transition() -> None:
    on = replace(PIXEL, mode=1, manual=True)
    (finding,) = zen_findings(evaluate(snap(on), CHINA, EVENING, held=[ZEN_KEY]))
    assert finding.severity == Severity.NEXT_TRANSITION
    plan = make_plan(
        snap(on), evaluate(snap(on), CHINA, EVENING).wants, {ZEN_KEY: entry()}, now=NOW
    )
    assert plan.empty and plan.journal[ZEN_KEY] == entry()


def test_regrant_is_reported_and_not_fought() -> None:
    evaluation = evaluate(snap(), CHINA, EVENING, held=[ZEN_KEY])
    (finding,) = zen_findings(evaluation)
    assert finding.severity == Severity.CANNOT and "re-grant" in finding.message
    assert evaluation.compliant  # nothing enforce would do now
    plan = make_plan(snap(), evaluation.wants, {ZEN_KEY: entry()}, now=NOW)
    assert plan.empty
    ((kept, why),) = plan.kept
    assert kept == entry() and "re-grant" in why and plan.journal[ZEN_KEY] == entry()
    # the morning: the phone shows the baseline already, the entry settles
    morning = make_plan(snap(), evaluate(snap(), CHINA, MORNING).wants, plan.journal, now=NOW)
    assert morning.empty and not morning.journal and morning.settled == (entry(),)


def test_an_unconfirmed_harden_is_retried_not_a_regrant() -> None:
    plan = make_plan(
        snap(), evaluate(snap(), CHINA, EVENING).wants, {ZEN_KEY: entry(confirmed=False)}, now=NOW
    )
    (action,) = plan.actions
    assert action.intent == HARDEN and not action.regrant and not plan.kept


def test_restore_gives_back_off_when_it_is_hardeners() -> None:
    on = snap(replace(PIXEL, mode=1, manual=True))
    (finding,) = [f for f in evaluate(on, CHINA, MORNING, held=[ZEN_KEY]).findings]
    assert finding.severity == Severity.PENDING_RESTORE and "Do Not Disturb" in finding.message
    plan = make_plan(on, evaluate(on, CHINA, MORNING).wants, {ZEN_KEY: entry()}, now=NOW)
    (action,) = plan.actions
    assert action.intent == RESTORE and action.commands == ("cmd notification set_dnd off",)


@pytest.mark.parametrize(
    ("dnd", "drop", "words"),
    [
        (replace(PIXEL, mode=2, manual=True), True, "total silence"),
        (replace(PIXEL, mode=3, manual=True), True, "alarms only"),
        (
            replace(PIXEL, mode=1, manual=False, schedules_on=("Sleeping",)),
            True,
            "your own schedule",
        ),
        (replace(PIXEL, mode=1, manual=True, schedules_on=("Sleeping",)), False, '"Sleeping"'),
    ],
)
def test_restore_leaves_the_persons_choice(dnd: DoNotDisturb, drop: bool, words: str) -> None:
    plan = make_plan(
        snap(dnd), evaluate(snap(dnd), CHINA, MORNING).wants, {ZEN_KEY: entry()}, now=NOW
    )
    assert plan.empty
    if drop:
        ((left, why),) = plan.left
        assert left == entry() and words in why and ZEN_KEY not in plan.journal
    else:
        ((kept, why),) = plan.kept
        assert kept == entry() and words in why and plan.journal[ZEN_KEY] == entry()


def test_restore_everything_gives_it_back_too() -> None:
    on = snap(replace(PIXEL, mode=1, manual=True))
    plan = make_plan(on, [], {ZEN_KEY: entry()}, now=NOW, restore_everything=True)
    assert [a.commands for a in plan.actions] == [("cmd notification set_dnd off",)]
