"""What became of each planned change, judged by the read-back (never by exit codes), and
the journal a run leaves. Pure: `hardener.device.apply` does the sending."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hardener.android.parsers import OEM_LOCK, parse_shell_errors
from hardener.core.baselines import JournalEntry
from hardener.core.command_result import CommandResult
from hardener.core.levers import (
    Intent,
    LeverKey,
    LeverValue,
    NotReadable,
    kind_of,
    read_value,
    value_to_json,
)
from hardener.core.plan import Action, Plan, satisfies
from hardener.core.records import Snapshot


class Status(StrEnum):
    """What became of a planned change (the values appear in JSON output and the history)."""

    APPLIED = "applied"  # the read-back shows the change
    ALREADY = "already"  # nothing to send: the phone already showed it
    REFUSED = "refused"  # the phone said no, and the read-back agrees
    DID_NOT_TAKE = "did_not_take"  # the phone said nothing, but the read-back shows no change


@dataclass(frozen=True)
class Outcome:
    key: LeverKey
    intent: Intent
    status: Status
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
        return all(o.status in (Status.APPLIED, Status.ALREADY) for o in self.outcomes)

    @property
    def oem_locked(self) -> bool:
        """The ROM refused, and no permission or app-op change got through."""
        locked = any(o.oem_lock for o in self.outcomes)
        through = any(o.status == Status.APPLIED and kind_of(o.key).core for o in self.outcomes)
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
            key=e.key, intent=Intent.RESTORE, status=Status.ALREADY, words="already as you had it",
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

    def outcome(status: Status, detail: str, oem_lock: bool = False) -> Outcome:
        return Outcome(
            key=action.key, intent=action.intent, status=status, words=action.words,
            reason=action.reason, detail=detail, regrant=action.regrant, oem_lock=oem_lock,
            before=action.before, after=after,
        )  # fmt: skip

    if took:
        note = "; ".join(e.message for e in errors)
        return outcome(Status.APPLIED, f"(the phone also said: {note})" if note else "")
    if errors:
        return outcome(
            Status.REFUSED,
            "; ".join(e.message for e in errors),
            oem_lock=any(e.kind == OEM_LOCK for e in errors),
        )
    return outcome(Status.DID_NOT_TAKE, f"the phone still shows {value_to_json(after)!r}")


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
        if outcome.intent == Intent.HARDEN:
            if outcome.status == Status.APPLIED:
                journal[key] = entry.confirm()
            elif (
                outcome.status == Status.REFUSED
                and key not in before
                and outcome.after == entry.baseline
            ):
                del journal[key]
        elif outcome.status in (Status.APPLIED, Status.ALREADY):
            del journal[key]
    return journal


def history_record(
    command: str, serial: str, transport_serial: str, result: RunResult, *, time: str, **extra: Any
) -> dict[str, Any]:
    counts = {status: sum(1 for o in result.outcomes if o.status == status) for status in Status}
    return {
        "time": time,
        "command": command,
        "serial": serial,
        "transport": transport_serial,
        **extra,
        "counts": {k: v for k, v in counts.items() if v},
        "outcomes": [o.to_json() for o in result.outcomes],
    }
