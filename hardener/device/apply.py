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

from hardener.android import commands
from hardener.core.levers import (
    kind_of,
)
from hardener.core.levers.zen import ZEN_KEY
from hardener.core.outcomes import RunResult, classify, settle, settled_outcomes
from hardener.core.plan import Plan
from hardener.core.reads import Read
from hardener.core.snapshot import Discovery, assemble, detail_request
from hardener.device.phase import PhaseInterrupted, run_reads
from hardener.device.transport.base import Transport
from hardener.state.journal import Journal

# NotificationManagerService writes `enabled_notification_listeners` when it saves its
# policy file: on its IoThread, 250 ms after the change on Android 14 (`handleSavePolicyFile`,
# `postDelayed(mSavePolicyFile, 250)`), right after it on older releases. Read sooner, the
# setting still shows the old list.
MIRROR_PAUSE_S = 1


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
    dnd = any(action.key == ZEN_KEY for action in plan.actions)
    read_back = detail_request(discovery, touched, dnd=dnd)
    mirrored = any(kind_of(action.key).mirrored_late for action in plan.actions)
    pause = [commands.pause(MIRROR_PAUSE_S)] if mirrored else []
    sends = [Read(f"write:{i}", command) for i, command in enumerate(writes)]
    sends += [Read("pause", command) for command in pause]
    try:
        phase = run_reads(transport, [*sends, *read_back.reads], timeout=timeout)
    except PhaseInterrupted as error:
        error.hint = (
            "nothing is lost: the journal holds what your phone had; run the same command "
            "again when the phone is back"
        )
        raise
    written = [phase.outputs[f"write:{i}"] for i in range(len(writes))]
    readback = assemble(discovery, read_back, phase.outputs)
    outcomes = classify(plan, written, readback, flags_ok)
    settled = settle(plan, outcomes, before)
    journal.save(settled)
    return RunResult(
        tuple(outcomes), settled, round_trips=phase.round_trips, readback=readback,
        commands=tuple(written),
    )  # fmt: skip
