"""`quiet_calls`: the profile's phone-wide Do Not Disturb outside work hours, judged. Pure.

One want for the whole phone (not per app), only outside work hours: Do Not Disturb in
priority mode (`hardener.core.levers.zen`). Findings say in words what priority mode still
lets through, and the one setting to choose in Settings when it lets anyone through. The
person's own Do Not Disturb (schedule or by hand) is theirs: reported, never changed.
"""

from __future__ import annotations

from collections.abc import Collection

from hardener.android.parsers.zen import ZEN_OFF, ZEN_PRIORITY
from hardener.core.evaluate import (
    Finding,
    Severity,
    _when,
)
from hardener.core.lever_key import LeverKey
from hardener.core.levers.zen import ZEN_KEY, mode_words, settings_advice, who_rings
from hardener.core.plan import Want
from hardener.core.records import Snapshot
from hardener.profile import Profile, Transition

NAME = "quiet_calls"
REASON = "quiet_calls: Do Not Disturb (priority only) outside work hours"


def judge_quiet_calls(
    snapshot: Snapshot,
    profile: Profile,
    held: Collection[LeverKey],
    working: bool,
    upcoming: Transition | None,
) -> tuple[list[Finding], list[Want]]:
    """Findings and the want (outside work hours) for the profile's `quiet_calls`."""
    if not profile.quiet_calls:
        return [], []
    findings: list[Finding] = []
    wants: list[Want] = []

    def find(severity: Severity, state: str, message: str, enforce: str) -> None:
        findings.append(
            Finding(
                package=ZEN_KEY.package,
                user=0,
                app_name="Do Not Disturb",
                category="phone",
                name=NAME,
                severity=severity,
                state=state,
                message=message,
                enforce=enforce,
                rule=NAME,
            )
        )

    at = f" at {_when(upcoming)}" if upcoming else ""
    dnd = snapshot.dnd
    if dnd is None or dnd.mode is None:
        find(
            Severity.CANNOT, "unknown", "Do Not Disturb could not be read from the phone", "nothing"
        )
        return findings, wants
    state = mode_words(dnd.mode)
    rings = ", ".join(who_rings(dnd)) or "(its policy could not be read)"
    if not dnd.shell_route:
        find(
            Severity.CANNOT,
            state,
            f"Do Not Disturb has no shell control on Android {snapshot.device.release}: "
            "cmd notification set_dnd exists from Android 11, and Android undoes "
            "settings put global zen_mode",
            "nothing: turn Do Not Disturb on yourself outside work hours, or give it a "
            "schedule in Settings",
        )
        return findings, wants
    held_here = ZEN_KEY in held
    if not working:
        wants.append(Want(ZEN_KEY, ZEN_PRIORITY, REASON))
        if dnd.mode == ZEN_OFF and held_here:
            find(
                Severity.CANNOT,
                state,
                "turned off by hand after hardener turned it on (a re-grant): hardener leaves "
                "it off, your choice",
                f"nothing until the work start{at}",
            )
        elif dnd.mode == ZEN_OFF:
            find(
                Severity.VIOLATION,
                state,
                "Do Not Disturb is off: calls and SMS from any number ring, DING included",
                f"turn on Do Not Disturb (priority only); still rings: {rings}",
            )
        elif held_here:
            find(
                Severity.NEXT_TRANSITION,
                state,
                f"turned on by hardener outside work hours; still rings: {rings}",
                f"turn it off{at}",
            )
        else:
            find(Severity.CANNOT, state, _yours(dnd.schedules_on), "nothing: yours, left as it is")
    elif dnd.mode == ZEN_OFF and not held_here:
        find(
            Severity.OUTSIDE_HOURS,
            state,
            f"off during work hours, on (priority only) outside them; will still ring: {rings}",
            f"turn on Do Not Disturb{at}" if at else "turn it on outside work hours",
        )
    advice = settings_advice(dnd)
    if advice:
        find(
            Severity.CANNOT,
            "lets anyone through",
            f"priority mode lets through {rings}: DING calls from unknown numbers still ring",
            f"nothing from the shell: {advice}",
        )
    return findings, wants


def _yours(schedules: tuple[str, ...]) -> str:
    if schedules:
        names = ", ".join(f'"{name}"' for name in schedules)
        return f"on by your own schedule {names}: hardener leaves it and does not turn it off"
    return "on by your own choice: hardener leaves it and does not turn it off at the work start"
