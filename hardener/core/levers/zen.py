"""The phone-wide Do Not Disturb mode ("zen"), so that calls and SMS from the carrier (DingTalk
"DING") stay silent outside work hours while the callers the person chose still ring.

Value: `settings get global zen_mode` (0 off, 1 priority only, 2 total silence, 3 alarms
only), read in phase 2 into `Snapshot.dnd`. Key: `ZEN_KEY`, one for the whole phone (user
`DEVICE_WIDE`, package `android`, which is not an app name hardener reads or force-stops).

Change: `cmd notification set_dnd priority|off|none|alarms` (NotificationShellCmd, Android 11
+; its `on` means total silence, so hardener never sends it). Before Android 11 there is no
shell route: `settings put global zen_mode` is written back by ZenModeHelper's settings
observer, so the lever is unavailable there and audit and doctor say so.

The person's own choices win:

* harden: any DND mode already on (their bedtime schedule, or by hand) satisfies the want, so
  hardener changes nothing and journals nothing, and has nothing to undo in the morning;
* a re-grant (hardener turned DND on, the person turned it off by hand before the work start)
  is not fought: `fights_regrant = False`, so the plan reports it and keeps the journal entry
  (the evening is theirs; the entry settles at the work start, when the phone already shows
  the baseline). Turning DND back on every catch-up run would make the phone unusable for a
  person who needs to hear calls tonight, and they cannot tell hardener so in any other way;
* restore: only hardener's own manual DND is turned off. If the person changed the mode since
  (total silence, alarms only) or DND is now held by their schedule and not by a manual rule,
  the entry is dropped and the phone left as it is; while their schedule is active on top of
  hardener's manual DND the entry is kept and DND turned off on a later run (`set_dnd off`
  now would snooze their schedule).

The armed on-phone schedule (issue 12) keeps the rules above itself (`ZenMode.sh`, plain
`sh`): it reads `settings get global zen_mode`; off hours it turns priority mode on only when
Do Not Disturb is off, remembering the mode it found; in the morning it gives that mode back
only while the phone still shows the mode the job set, else it leaves the phone and forgets.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from hardener.android import commands
from hardener.android.parsers.zen import (
    ZEN_ALARMS,
    ZEN_MODES,
    ZEN_OFF,
    ZEN_PRIORITY,
    ZEN_TOTAL_SILENCE,
)
from hardener.core.lever_key import DEVICE_WIDE, LeverKey, LeverValue, NotReadable
from hardener.core.levers import sh as job_sh
from hardener.core.levers.base import Intent, LeverKind
from hardener.core.records import AppState, DoNotDisturb, Snapshot

ZEN_MODE = "zen_mode"
ZEN_KEY = LeverKey(ZEN_MODE, DEVICE_WIDE, "android", "")
MODE_WORDS = {
    ZEN_OFF: "off",
    ZEN_PRIORITY: "priority only",
    ZEN_TOTAL_SILENCE: "total silence",
    ZEN_ALARMS: "alarms only",
}


def mode_words(value: LeverValue) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return MODE_WORDS.get(value, str(value))
    return "unknown"


# The armed job (see hardener.core.levers.sh): the person's own choices win, as in the
# laptop's plan (above) ---------------------------------------------------------------------

SH_FUNCTIONS = (
    f"rd_zen() {{ v=$({commands.zen_mode()} 2>/dev/null); "
    'case "$v" in 0|1|2|3) ;; *) v=unknown;; esac; }',
    'zw() { case "$1" in '
    + " ".join(f"{mode}) echo {word};;" for mode, word in commands.SET_DND_WORDS.items())
    + " esac; }",
    'hc_zen() { n=0; if [ "$v" = 0 ]; then n=1; fi; }',
    'hx_zen() { run cmd notification set_dnd "$(zw "$T")"; }',
    'gc_zen() { n=0; if [ "$v" = "$T" ] && [ "$p" != "$v" ] && [ "$p" != unknown ]; '
    "then n=1; fi; }",
    'gx_zen() { run cmd notification set_dnd "$(zw "$p")"; }',
)


def _sh_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:  # noqa: ARG001
    if type(target) is not int or target not in commands.SET_DND_WORDS:
        raise commands.UnsafeName(f"not a Do Not Disturb mode: {target!r}")
    return f"K=zen; T={target}"


def _sh_encode(key: LeverKey, value: LeverValue) -> str:  # noqa: ARG001 (the form's signature)
    if type(value) is int and value in commands.SET_DND_WORDS:
        return str(value)
    return job_sh.UNKNOWN


def _sh_decode(text: str) -> LeverValue:
    if text == job_sh.UNKNOWN:
        return None
    if text in {str(mode) for mode in commands.SET_DND_WORDS}:
        return int(text)
    raise ValueError(f"not a Do Not Disturb mode: {text[:80]!r}")


def _sh_comment(key: LeverKey) -> str:  # noqa: ARG001 (the form's signature)
    return f"{ZEN_MODE} phone"


class ZenMode(LeverKind):
    name = ZEN_MODE
    harden_rank = 95  # after every app is quiet
    restore_rank = 5  # the phone rings again first thing at the work start
    device_wide = True
    fights_regrant = False
    sh = job_sh.ShForm(SH_FUNCTIONS, _sh_lever, _sh_encode, _sh_decode, comment=_sh_comment)

    @override
    def check_key(self, key: LeverKey) -> None:
        """The phone's own setting: exactly one key is valid."""
        if key != ZEN_KEY:
            raise commands.UnsafeName(f"not the Do Not Disturb setting: {key.encode()!r}")

    @override
    def takes(self, value: LeverValue) -> bool:
        return type(value) is int and value in ZEN_MODES

    def read(self, snapshot: Snapshot, key: LeverKey) -> LeverValue:
        self.check_key(key)
        dnd = snapshot.dnd
        if dnd is None or dnd.mode is None:
            raise NotReadable(key.describe())
        return dnd.mode

    @override
    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        raise NotReadable(key.describe())  # one setting for the phone, not for an app

    def value_from_json(self, data: Any) -> LeverValue:
        if type(data) is int and data in ZEN_MODES:
            return data
        raise ValueError(f"not a Do Not Disturb mode: {data!r}")

    @override
    def satisfies(
        self, intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> bool:
        if intent == Intent.HARDEN:  # any DND the person has is at least as quiet
            return isinstance(current, int) and current in ZEN_MODES and current != ZEN_OFF
        return current == target

    @override
    def left_to_person(
        self, snapshot: Snapshot, key: LeverKey, applied: LeverValue, current: LeverValue
    ) -> tuple[bool, str] | None:
        if current != applied:
            return True, (
                f"you changed Do Not Disturb since hardener turned it on (now "
                f"{mode_words(current)}): left as you set it"
            )
        dnd = snapshot.dnd
        if dnd is None or not dnd.policy_known:
            return None
        if not dnd.manual:
            return True, "Do Not Disturb is held on by your own schedule now, not by hardener"
        if dnd.schedules_on:
            names = ", ".join(f'"{name}"' for name in dnd.schedules_on)
            return False, (
                f"your own schedule {names} is on now; hardener turns its Do Not Disturb off "
                "on a run after it ends (turning it off now would snooze your schedule)"
            )
        return None

    @override
    def regrant_words(self, key: LeverKey, current: LeverValue) -> str:
        return (
            "Do Not Disturb was turned off by hand after hardener turned it on: a re-grant; "
            "left off (your choice) until the work start"
        )

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        self.check_key(key)
        if type(target) is not int:
            raise ValueError(f"not a Do Not Disturb mode: {target!r}")
        return [commands.set_dnd(target)]

    @override
    def subject(self, key: LeverKey) -> str:
        return "Do Not Disturb"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        if intent == Intent.HARDEN:
            return "turn on Do Not Disturb, priority only (the callers you chose still ring)"
        return f"set Do Not Disturb back to {mode_words(target)} (was {mode_words(before)})"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return "turn on Do Not Disturb (priority only)"


# Words for people: what priority mode lets through, and the one setting to choose ---------

_CALLERS = {
    "anyone": "calls from anyone (DING calls from unknown numbers included)",
    "contacts": "calls from your contacts",
    "stars": "calls from your starred contacts",
}
_SENDERS = {
    "anyone": "messages from anyone (DING SMS included)",
    "contacts": "messages from your contacts",
    "stars": "messages from your starred contacts",
}
SETTINGS_PATH = 'Settings > Do Not Disturb > People (search Settings for "Do Not Disturb")'


def who_rings(dnd: DoNotDisturb) -> list[str]:
    """What still rings or sounds in priority mode, in words ([] when the policy is unknown)."""
    if not dnd.policy_known:
        return []
    out: list[str] = []
    if dnd.calls:
        out.append(_CALLERS.get(dnd.calls_from or "", "calls from some callers"))
    if dnd.repeat_callers:
        out.append("repeat callers (anyone calling twice within 15 minutes)")
    if dnd.messages:
        out.append(_SENDERS.get(dnd.messages_from or "", "messages from some senders"))
    return out or ["no calls and no messages"]


def lets_anyone_through(dnd: DoNotDisturb) -> bool:
    return bool(
        (dnd.calls and dnd.calls_from == "anyone")
        or (dnd.messages and dnd.messages_from == "anyone")
    )


def settings_advice(dnd: DoNotDisturb) -> str:
    """The one setting to choose once so that DING calls from unknown numbers stay silent
    ("" when the policy already keeps them out, or is unknown)."""
    if not dnd.policy_known or not lets_anyone_through(dnd):
        return ""
    choices = []
    if dnd.calls and dnd.calls_from == "anyone":
        choices.append("Calls: starred contacts")
    if dnd.messages and dnd.messages_from == "anyone":
        choices.append("Messages: starred contacts")
    return f"choose once in {SETTINGS_PATH}: " + "; ".join(choices)


def dnd_summary(dnd: DoNotDisturb | None) -> tuple[bool | None, str, str]:
    """(ok, words, advice) for doctor: the mode, what rings in priority mode, what to choose."""
    if dnd is None or dnd.mode is None:
        return None, "could not read Do Not Disturb (settings get global zen_mode)", ""
    now = f"now {mode_words(dnd.mode)}"
    if dnd.schedules_on:
        now += " (your schedule " + ", ".join(f'"{n}"' for n in dnd.schedules_on) + ")"
    route = (
        "hardener can turn it on outside work hours (cmd notification set_dnd, quiet_calls)"
        if dnd.shell_route
        else "no shell route before Android 11 (cmd notification set_dnd is missing and "
        "settings put global zen_mode is undone by Android): turn it on yourself, or use a "
        "Do Not Disturb schedule"
    )
    rings = who_rings(dnd)
    if not rings:
        return None, f"Do Not Disturb {now}; its policy could not be read; {route}", ""
    words = f"Do Not Disturb {now}; priority mode still lets through: {', '.join(rings)}; {route}"
    advice = settings_advice(dnd)
    return (not advice and dnd.shell_route), words, advice
