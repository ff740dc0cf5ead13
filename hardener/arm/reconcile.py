"""At the next contact: what the job did, why it is gone, and the journal that follows. Pure.

Rules, so that nothing the person had is lost:

* every setting the job still *holds* (it logged `hold` and no `gave` after it) goes into
  the journal with the value it logged before changing it as the baseline; a setting the
  journal already held keeps its older baseline (the person's own value);
* a setting the job gave back, or never took, adds nothing (the journal's own entries stay,
  and the next plan settles them against what the phone shows);
* a job whose log is gone (deleted, or never written) but which may have acted: the
  baselines recorded at arming stand in for its log, for every setting whose step time has
  passed and whose baseline did not already meet the want;
* a job still alive keeps its record; a finished, dead or replaced one is done with.

Why it died: the job's own `end` line says finished/expired/replaced; otherwise a new
`boot_id` means the phone rebooted (around its last heartbeat; it booted again at
now - uptime), a new adbd pid or start time means adbd restarted (USB debugging toggled, a
USB mode change, `adb tcpip/usb/root`), and anything else is unexplained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from hardener.android.parsers import parse_shell_errors
from hardener.arm.joblog import JobLog, parse_job_log
from hardener.arm.phone import JobState
from hardener.arm.record import ArmRecord
from hardener.core.baselines import JournalEntry
from hardener.core.levers import (
    IDLE_WHITELIST,
    STANDBY_BUCKET,
    LeverKey,
    kind_of,
    value_to_json,
)
from hardener.core.plan import HARDEN, satisfies

ALIVE = "alive"
FINISHED = "finished"
EXPIRED = "expired"
REPLACED = "replaced"
DISARMED = "disarmed"
REBOOT = "reboot"
ADBD_RESTART = "adbd_restart"
REFUSED_SERIAL = "refused_serial"
NEVER_STARTED = "never_started"
UNKNOWN = "unknown"

FATE_WORDS = {
    ALIVE: "is still running on the phone",
    FINISHED: "did every step and ended",
    EXPIRED: "ended at its maximum lifetime",
    REPLACED: "was replaced by a newer job",
    DISARMED: "was stopped by disarm",
    REBOOT: "ended when the phone rebooted",
    ADBD_RESTART: "was killed when adbd restarted (USB debugging toggled, a USB mode "
    "change, or adb tcpip/usb/root)",
    REFUSED_SERIAL: "refused to act: the phone's serial was not the one it was armed for",
    NEVER_STARTED: "never started (no line of it in the log)",
    UNKNOWN: "is gone, for no reason the phone shows",
}


@dataclass(frozen=True)
class StepReport:
    number: int
    intent: str
    scheduled: int
    when: str
    began: int | None
    done: int | None

    @property
    def late_s(self) -> int | None:
        return None if self.began is None else max(self.began - self.scheduled, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.number,
            "intent": self.intent,
            "scheduled": _iso(self.scheduled),
            "when": self.when,
            "began": _iso(self.began),
            "done": _iso(self.done),
            "late_s": self.late_s,
        }


@dataclass(frozen=True)
class ArmReport:
    arm_id: str
    fate: str
    ended_around: int | None  # the last sign of life of a dead job
    booted_at: int | None  # after a reboot: when the phone started again
    steps: tuple[StepReport, ...]
    held: tuple[str, ...]  # settings the job holds now (words)
    given_back: tuple[str, ...]
    refused: tuple[str, ...]  # commands the phone refused, with its words
    commands: tuple[dict[str, Any], ...]  # what ran (time, step, status, words), not yet reported
    last_heartbeat: int | None
    log_missing: bool
    bad_lines: int
    zone: tzinfo = UTC  # the profile's zone at arming, for words

    @property
    def words(self) -> str:
        text = f"the armed job {FATE_WORDS[self.fate]}"
        if self.fate == REBOOT and self.ended_around:
            text += f" (around {self.local(self.ended_around)}"
            text += f"; it booted again at {self.local(self.booted_at)})" if self.booted_at else ")"
        elif self.fate in (ADBD_RESTART, UNKNOWN) and self.ended_around:
            text += f" (last seen {self.local(self.ended_around)})"
        return text

    def local(self, epoch: int | None) -> str:
        if epoch is None:
            return "-"
        return datetime.fromtimestamp(epoch, self.zone).strftime("%Y-%m-%d %H:%M %Z").strip()

    def to_json(self) -> dict[str, Any]:
        return {
            "arm_id": self.arm_id,
            "fate": self.fate,
            "words": self.words,
            "ended_around": _iso(self.ended_around),
            "booted_at": _iso(self.booted_at),
            "last_heartbeat": _iso(self.last_heartbeat),
            "steps": [step.to_json() for step in self.steps],
            "held": list(self.held),
            "given_back": list(self.given_back),
            "refused": list(self.refused),
            "commands": list(self.commands),
            "log_missing": self.log_missing,
            "bad_log_lines": self.bad_lines,
        }


@dataclass(frozen=True)
class Reconciled:
    entries: dict[LeverKey, JournalEntry]
    report: ArmReport
    done: bool  # the job is gone (or replaced): its record can go
    reported_until: int
    added: tuple[LeverKey, ...] = field(default=())


def job_log(record: ArmRecord, state: JobState) -> JobLog:
    """This job's log, from the current log or the previous one (a re-arm moves it)."""
    steps, levers = len(record.steps), len(record.levers)
    log = parse_job_log(state.log, record.arm_id, steps=steps, levers=levers)
    if log.started is None and state.log_prev:
        prev = parse_job_log(state.log_prev, record.arm_id, steps=steps, levers=levers)
        if prev.started is not None:
            return prev
    return log


def reconcile(
    record: ArmRecord,
    state: JobState,
    entries: Mapping[LeverKey, JournalEntry],
    *,
    disarmed: bool = False,
    replaced: bool = False,
) -> Reconciled:
    log = job_log(record, state)
    fate = _fate(record, state, log, disarmed=disarmed, replaced=replaced)
    journal = dict(entries)
    held_words: list[str] = []
    given: list[str] = []
    added: list[LeverKey] = []
    for index, lever in enumerate(record.levers):
        holds = log.holds(index)
        if holds is None:
            if any(e.event == "gave" for e in log.events(index)):
                given.append(lever.key.describe())
            continue
        when, text = holds
        try:
            baseline = kind_of(lever.key).sh.decode(text)
        except ValueError:
            baseline = lever.baseline  # a mangled log line: the value at arming stands in
        held_words.append(lever.key.describe())
        known = journal.get(lever.key)
        journal[lever.key] = JournalEntry(
            key=lever.key,
            baseline=known.baseline if known else baseline,
            applied=lever.target,
            confirmed=False,
            since=known.since if known else _iso(when) or "",
            reason=known.reason if known else f"{lever.reason} (armed job)",
        )
        if known is None:
            added.append(lever.key)
    _exempt_buckets(journal, added)
    missing = log.started is None and record.started
    if missing and state.now is not None:
        for index, lever in enumerate(record.levers):
            if lever.key in journal or not _may_have_acted(record, index, state.now):
                continue
            if satisfies(HARDEN, lever.key, lever.baseline, lever.target, True):
                continue
            journal[lever.key] = JournalEntry(
                key=lever.key,
                baseline=lever.baseline,
                applied=lever.target,
                confirmed=False,
                since=record.armed_at,
                reason=f"{lever.reason} (armed job; its log is missing)",
            )
            added.append(lever.key)
    refused = []
    new_commands = []
    for command in log.commands:
        errors = parse_shell_errors("\n".join(command.output))
        if command.status != 0 or errors:
            why = "; ".join(e.message for e in errors) or f"exit status {command.status}"
            refused.append(f"{command.words}: {why}")
        if command.time > record.reported_until:
            new_commands.append(
                {"time": _iso(command.time), "step": command.step, "status": command.status,
                 "command": command.words}
            )  # fmt: skip
    logged = [log.step(number) for number in range(1, len(record.steps) + 1)]
    steps = tuple(
        StepReport(
            number,
            step.intent,
            step.at,
            step.when,
            ran.began if ran else None,
            ran.done if ran else None,
        )
        for (number, step), ran in zip(enumerate(record.steps, 1), logged, strict=True)
    )
    last = max(x for x in (log.last_seen, state.heartbeat, 0) if x is not None) or None
    booted = None
    if state.now is not None and state.uptime_s is not None:
        booted = state.now - int(state.uptime_s)
    report = ArmReport(
        arm_id=record.arm_id,
        fate=fate,
        ended_around=last if fate != ALIVE else None,
        booted_at=booted if fate == REBOOT else None,
        steps=steps,
        held=tuple(held_words),
        given_back=tuple(given),
        refused=tuple(refused),
        commands=tuple(new_commands),
        last_heartbeat=last,
        log_missing=bool(missing),
        bad_lines=log.bad,
        zone=_zone(record),
    )
    return Reconciled(
        entries=journal,
        report=report,
        done=fate != ALIVE,
        reported_until=max(record.reported_until, log.last_seen or 0),
        added=tuple(added),
    )


def _fate(
    record: ArmRecord, state: JobState, log: JobLog, *, disarmed: bool, replaced: bool
) -> str:
    if state.alive(record.arm_id) and not (disarmed or replaced):
        return ALIVE
    if log.ended is not None:
        return {"finished": FINISHED, "expired": EXPIRED, "replaced": REPLACED}[log.ended[1]]
    if log.refused_serial is not None:
        return REFUSED_SERIAL
    if disarmed:
        return DISARMED
    if replaced:
        return REPLACED
    if record.boot_id and state.boot_id and state.boot_id != record.boot_id:
        return REBOOT
    adbd_known = record.adbd_pid is not None and state.adbd_pid is not None
    if adbd_known and (
        state.adbd_pid != record.adbd_pid
        or (record.adbd_start is not None and state.adbd_start != record.adbd_start)
    ):
        return ADBD_RESTART
    if log.started is None:
        return NEVER_STARTED
    return UNKNOWN


def _exempt_buckets(journal: dict[LeverKey, JournalEntry], added: list[LeverKey]) -> None:
    """A bucket the job read after taking the app off the allow-list shows the app's own
    bucket; before, Android showed 5 (exempted), and that is what comes back with the
    allow-list entry. Record it as the laptop does (`plan`: restoring 5 is the allow-list's)."""
    exempt = {
        key.package for key in added if key.kind == IDLE_WHITELIST and journal[key].baseline is True
    }
    for key in added:
        if key.kind == STANDBY_BUCKET and key.package in exempt:
            journal[key] = replace(journal[key], baseline=5)


def _zone(record: ArmRecord) -> tzinfo:
    for step in record.steps:
        try:
            zone = datetime.fromisoformat(step.when).tzinfo
        except ValueError:
            continue
        if zone is not None:
            return zone
    return UTC


def _may_have_acted(record: ArmRecord, index: int, now: int) -> bool:
    return any(step.at <= now and index in step.levers for step in record.steps)


def history_record(record: ArmRecord, result: Reconciled, transport: str) -> dict[str, Any]:
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "armed-job",
        "serial": record.serial,
        "transport": transport,
        "profile": record.profile,
        **{k: v for k, v in result.report.to_json().items()},
        "journaled": [key.encode() for key in result.added],
        "baselines": {
            key.encode(): value_to_json(result.entries[key].baseline) for key in result.added
        },
    }


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
