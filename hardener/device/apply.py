"""Carry out a plan on a phone and find out, from the phone, what actually happened.

Order of events, each one recoverable by running the command again:

1. the journal (baselines of everything about to change) is saved, atomically;
2. one script sends every command of the plan and then re-reads the touched apps: the
   phone runs a script in order, so the reads see what the writes left (one round trip).
   Android mirrors notification-listener changes into the setting hardener reads only
   later (`MIRROR_PAUSE_S`), so a plan that changes one pauses before reading back;
3. each action gets an outcome from the read-back, not from exit codes (Android often says 0
   when nothing happened): applied, already so, refused (with the phone's reason) or did not
   take;
4. the journal is settled (confirmed, or dropped once restored) and the run goes to history.

A connection lost between 1 and 4 leaves the journal as saved in 1; the next run reads the
phone afresh and carries on from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hardener.android import commands
from hardener.android.parsers import OEM_LOCK, parse_shell_errors
from hardener.core.levers import (
    NOTIFICATION_LISTENER,
    LeverKey,
    LeverValue,
    NotReadable,
    read_value,
    value_to_json,
)
from hardener.core.plan import HARDEN, Action, Plan, satisfies
from hardener.core.records import Snapshot
from hardener.device.collect import Discovery, assemble, detail_request
from hardener.device.phase import CommandResult, PhaseInterrupted, run_phase
from hardener.device.transport.base import Transport
from hardener.state.journal import Journal, JournalEntry, now_iso

# NotificationManagerService writes `enabled_notification_listeners` when it saves its
# policy file: on its IoThread, 250 ms after the change on Android 14 (`handleSavePolicyFile`,
# `postDelayed(mSavePolicyFile, 250)`), right after it on older releases. Read sooner, the
# setting still shows the old list.
MIRROR_PAUSE_S = 1

APPLIED = "applied"
ALREADY = "already"
REFUSED = "refused"
DID_NOT_TAKE = "did_not_take"
STATUSES = (APPLIED, ALREADY, REFUSED, DID_NOT_TAKE)


@dataclass(frozen=True)
class Outcome:
    key: LeverKey
    intent: str
    status: str
    words: str
    reason: str
    detail: str = ""  # the phone's refusal, or what the read-back showed
    regrant: bool = False
    oem_lock: bool = False
    before: LeverValue = None
    after: LeverValue = None

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.key.package,
            "user": self.key.user,
            "setting": self.key.kind,
            "name": self.key.name,
            "intent": self.intent,
            "status": self.status,
            "words": self.words,
            "reason": self.reason,
            "detail": self.detail,
            "regrant": self.regrant,
            "oem_lock": self.oem_lock,
            "before": value_to_json(self.before),
            "after": value_to_json(self.after),
        }


@dataclass(frozen=True)
class RunResult:
    outcomes: tuple[Outcome, ...]
    journal: Mapping[LeverKey, JournalEntry]
    round_trips: int
    readback: Snapshot | None = None
    commands: tuple[CommandResult, ...] = field(default=())

    @property
    def converged(self) -> bool:
        return all(o.status in (APPLIED, ALREADY) for o in self.outcomes)

    @property
    def oem_locked(self) -> bool:
        """The ROM refused, and no permission or app-op change got through."""
        locked = any(o.oem_lock for o in self.outcomes)
        core = ("permission", "uid_op", "package_op")
        through = any(o.status == APPLIED and o.key.kind in core for o in self.outcomes)
        return locked and not through


def classify(
    plan: Plan, results: Sequence[CommandResult], readback: Snapshot, flags_ok: bool
) -> list[Outcome]:
    """An outcome per action: the read-back decides; the command output explains refusals."""
    outcomes = settled_outcomes(plan)
    position = 0
    for action in plan.actions:
        mine = results[position : position + len(action.commands)]
        position += len(action.commands)
        outcomes.append(_outcome(action, mine, readback, flags_ok))
    return outcomes


def settled_outcomes(plan: Plan) -> list[Outcome]:
    """Baselines the phone already showed again: nothing to send, just to report."""
    return [
        Outcome(
            key=e.key, intent="restore", status=ALREADY, words="already as you had it",
            reason=e.reason, before=e.baseline, after=e.baseline,
        )
        for e in plan.settled
    ]  # fmt: skip


def _outcome(
    action: Action, results: Sequence[CommandResult], readback: Snapshot, flags_ok: bool
) -> Outcome:
    errors = [e for r in results for e in parse_shell_errors(r.output)]
    try:
        after = read_value(readback, action.key)
        took = satisfies(action.intent, action.key, after, action.target, flags_ok)
    except NotReadable:
        after, took = None, False
    base = dict(
        key=action.key, intent=action.intent, words=action.words, reason=action.reason,
        regrant=action.regrant, before=action.before, after=after,
    )  # fmt: skip
    if took:
        note = "; ".join(e.message for e in errors)
        return Outcome(
            status=APPLIED, detail=f"(the phone also said: {note})" if note else "", **base
        )
    if errors:
        return Outcome(
            status=REFUSED,
            detail="; ".join(e.message for e in errors),
            oem_lock=any(e.kind == OEM_LOCK for e in errors),
            **base,
        )
    return Outcome(
        status=DID_NOT_TAKE, detail=f"the phone still shows {value_to_json(after)!r}", **base
    )


def settle(
    plan: Plan, outcomes: Sequence[Outcome], before: Mapping[LeverKey, JournalEntry]
) -> dict[LeverKey, JournalEntry]:
    """The journal after a run: hardened settings confirmed, restored ones dropped.

    A harden the phone refused, that had no baseline before this run and left the setting as
    it was, is dropped: there is nothing to give back. Everything uncertain stays, "did not
    take" included: the phone said nothing, and a read-back can be older than the write (some
    settings are mirrored later), so dropping the baseline could lose what the person had.
    """
    journal = dict(plan.journal)
    for outcome in outcomes:
        key = outcome.key
        entry = journal.get(key)
        if entry is None:
            continue
        if outcome.intent == HARDEN:
            if outcome.status == APPLIED:
                journal[key] = entry.confirm()
            elif (
                outcome.status == REFUSED and key not in before and outcome.after == entry.baseline
            ):
                del journal[key]
        elif outcome.status in (APPLIED, ALREADY):
            del journal[key]
    return journal


def execute(
    transport: Transport,
    discovery: Discovery,
    plan: Plan,
    journal: Journal,
    *,
    flags_ok: bool,
    timeout: float = 120.0,
) -> RunResult:
    """Journal, write, read back, settle. Raises DeviceError if the link drops (journal kept)."""
    before = journal.load()
    if plan.empty:
        if dict(plan.journal) != before:
            journal.save(plan.journal)  # settled restores leave the journal
        return RunResult(tuple(settled_outcomes(plan)), plan.journal, round_trips=0)
    journal.save(plan.journal)
    writes = plan.script()
    touched = {action.key.package for action in plan.actions}
    read_back = detail_request(discovery, touched)
    mirrored = any(action.key.kind == NOTIFICATION_LISTENER for action in plan.actions)
    pause = [commands.pause(MIRROR_PAUSE_S)] if mirrored else []
    try:
        phase = run_phase(transport, [*writes, *pause, *read_back.commands], timeout=timeout)
    except PhaseInterrupted as error:
        error.hint = (
            "nothing is lost: the journal holds what your phone had; run the same command "
            "again when the phone is back"
        )
        raise
    written = phase.results[: len(writes)]
    readback = assemble(discovery, read_back, phase.results[len(writes) + len(pause) :])
    outcomes = classify(plan, written, readback, flags_ok)
    settled = settle(plan, outcomes, before)
    journal.save(settled)
    return RunResult(
        tuple(outcomes), settled, round_trips=phase.round_trips, readback=readback,
        commands=tuple(written),
    )  # fmt: skip


def history_record(
    command: str, serial: str, transport_serial: str, result: RunResult, **extra: Any
) -> dict[str, Any]:
    counts = {status: sum(1 for o in result.outcomes if o.status == status) for status in STATUSES}
    return {
        "time": now_iso(),
        "command": command,
        "serial": serial,
        "transport": transport_serial,
        **extra,
        "counts": {k: v for k, v in counts.items() if v},
        "outcomes": [o.to_json() for o in result.outcomes],
    }
