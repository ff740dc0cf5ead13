"""Arming, reading and disarming the job on a phone: the I/O around the pure arm modules.

* `contact_commands_for` / `at_contact`: ride on the read phase of every run (no extra round
  trip) when the state directory holds an armed record for this phone, and reconcile the
  job's log into the journal and history before anything is planned;
* `arm`: one round trip after the run: stops the old job (finishing its record from its
  log), writes and starts the new one, notes boot_id and adbd; its record is saved first;
* `disarm`, `status`: one round trip each.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from hardener.arm import jobscript
from hardener.arm.phone import (
    JobState,
    arm_commands,
    contact_commands,
    disarm_commands,
    parse_arm,
    parse_contact,
    parse_disarm,
)
from hardener.arm.plan import ArmPlan, arm_plan
from hardener.arm.reconcile import ArmReport, Reconciled, history_record, reconcile
from hardener.arm.record import ArmRecord, new_record
from hardener.core.baselines import JournalEntry
from hardener.core.command_result import CommandResult
from hardener.core.levers import LeverKey
from hardener.core.records import Snapshot
from hardener.device.phase import run_phase
from hardener.device.transport.base import Transport
from hardener.errors import InputError
from hardener.profile import Profile
from hardener.state.journal import Journal, now_iso


def records(journal: Journal) -> list[ArmRecord]:
    out = []
    for data in journal.armed():
        try:
            out.append(ArmRecord.from_json(data))
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"an armed-job record in {journal.directory} cannot be read: {error}",
                hint="keep a copy, remove the file, then run `hardener restore`",
            ) from error
    return sorted(out, key=lambda r: r.created)


def armed_packages(journal: Journal) -> set[str]:
    """Packages a job armed on this phone may have changed: read them at every contact."""
    if not any(journal.directory.glob("armed-*.json")):
        return set()
    return {lever.key.package for record in records(journal) for lever in record.levers}


def any_armed(state_dir: Path) -> bool:
    """Whether any phone has an armed record. Read before phase 1 tells which phone this is
    (a phone armed over USB may come back over Wi-Fi), so the job's few files are read
    whenever any record exists, and matched to the phone's serial afterwards."""
    return any((state_dir / "devices").glob("*/armed-*.json"))


def contact_commands_for(state_dir: Path) -> list[str]:
    return contact_commands() if any_armed(state_dir) else []


def at_contact(
    journal: Journal,
    entries: Mapping[LeverKey, JournalEntry],
    results: Sequence[CommandResult],
    transport_serial: str,
    *,
    stopped: bool = False,
) -> tuple[dict[LeverKey, JournalEntry], list[ArmReport]]:
    """Reconcile every armed record of this phone with what the phone showed; save.

    `stopped`: `results` answer `disarm_commands()` (the job was stopped first)."""
    state = parse_disarm(results) if stopped else parse_contact(results)
    return _settle(journal, dict(entries), state, transport_serial, disarmed=stopped)


def _settle(
    journal: Journal,
    entries: dict[LeverKey, JournalEntry],
    state: JobState,
    transport_serial: str,
    *,
    disarmed: bool = False,
    replaced: str | None = None,
) -> tuple[dict[LeverKey, JournalEntry], list[ArmReport]]:
    reports = []
    for record in records(journal):
        if record.serial != journal.serial:
            continue
        result = reconcile(
            record,
            state,
            entries,
            disarmed=disarmed,
            replaced=replaced is not None and record.arm_id != replaced,
        )
        if replaced is not None and record.arm_id == replaced:
            continue
        entries = result.entries
        if result.entries != dict(journal.load()):
            journal.save(result.entries)
        if result.report.commands or result.done:
            journal.append_history(history_record(record, result, transport_serial))
        if result.done:
            journal.drop_armed(record.arm_id)
        elif result.reported_until != record.reported_until:
            journal.save_armed(
                record.arm_id, replace(record, reported_until=result.reported_until).to_json()
            )
        reports.append(result.report)
    return entries, reports


@dataclass(frozen=True)
class ArmResult:
    record: ArmRecord
    plan: ArmPlan
    replaced: tuple[ArmReport, ...]
    round_trips: int


def arm(
    transport: Transport,
    journal: Journal,
    snapshot: Snapshot,
    profile: Profile,
    now: datetime,
    *,
    timeout: float = 120.0,
) -> ArmResult:
    """Leave the job for the next transitions on the phone (one round trip)."""
    entries = journal.load()
    arm_id = secrets.token_hex(8)
    created = int(now.timestamp())
    plan = arm_plan(snapshot, profile, now, entries, arm_id=arm_id, created=created)
    record = new_record(plan, transport=transport.serial, profile=profile.name, armed_at=now_iso())
    text = jobscript.script(plan.job)
    journal.save_armed(arm_id, record.to_json())  # the baselines first, as durably as the journal
    phase = run_phase(transport, arm_commands(text, arm_id), timeout=timeout)
    armed = parse_arm(phase.results)
    record = record.with_phone(
        boot_id=armed.boot_id,
        adbd_pid=armed.adbd_pid,
        adbd_start=armed.adbd_start,
        job_pid=armed.job_pid,
    )
    journal.save_armed(arm_id, record.to_json())
    old = JobState(log=armed.old_log, now=armed.now, boot_id=armed.boot_id)
    _, reports = _settle(journal, journal.load(), old, transport.serial, replaced=arm_id)
    return ArmResult(record, plan, tuple(reports), phase.round_trips)


SERIAL = "getprop ro.serialno"


def _phone_serial(results: Sequence[CommandResult], fallback: str) -> str:
    text = results[0].output.strip() if results else ""
    return text if text and jobscript.SERIAL.fullmatch(text) else fallback


PhoneLock = Callable[[str], AbstractContextManager[object]]  # the phone's serial -> its lock


def disarm(
    transport: Transport, state_dir: Path, *, lock: PhoneLock, timeout: float = 60.0
) -> tuple[list[ArmReport], int | None]:
    """Stop the job (one round trip); its log goes to the journal and history, under the
    phone's `lock` (keyed by its own serial, known once the phone has answered)."""
    phase = run_phase(transport, [SERIAL, *disarm_commands()], timeout=timeout)
    serial = _phone_serial(phase.results, transport.serial)
    state = parse_disarm(phase.results[1:])
    with lock(serial):
        journal = Journal(state_dir, serial)
        _, reports = _settle(journal, journal.load(), state, transport.serial, disarmed=True)
    return reports, state.stopped


@dataclass(frozen=True)
class Status:
    serial: str
    record: ArmRecord | None
    report: ArmReport | None
    state: JobState


def status(
    transport: Transport, state_dir: Path, *, lock: PhoneLock, timeout: float = 60.0
) -> Status:
    """Read the job's state (one round trip); changes nothing, on the phone or here. The
    journal is read under the phone's `lock`, as every run reads it."""
    phase = run_phase(transport, [SERIAL, *contact_commands()], timeout=timeout)
    serial = _phone_serial(phase.results, transport.serial)
    state = parse_contact(phase.results[1:])
    with lock(serial):
        journal = Journal(state_dir, serial)
        known = [r for r in records(journal) if r.serial == serial]
        if not known:
            return Status(serial, None, None, state)
        record = known[-1]
        result: Reconciled = reconcile(record, state, journal.load())
    return Status(serial, record, result.report, state)


def utc(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
