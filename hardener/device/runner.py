"""The one service every phone command goes through: lock, read, journal.

scan, audit, plan, enforce, restore, doctor, `schedule run` and the fleet rollout all call
these, so a phone is handled the same way whether a person, cron or an admin's rollout asks.
The per-phone lock is keyed by the phone's own serial, learnt in the first phase of the
read; a run that had to wait for it reads the phone again, under the lock. Nothing here
prints.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hardener.android.catalog.catalog import OTHER
from hardener.arm.phone import disarm_commands
from hardener.arm.reconcile import ArmReport
from hardener.arm.session import (
    Status,
    armed_packages,
    at_contact,
    contact_commands_for,
    disarm,
    status,
)
from hardener.arm.session import arm as arm_job
from hardener.core.baselines import JournalEntry
from hardener.core.command_result import CommandResult
from hardener.core.evaluate import evaluate
from hardener.core.evidence import EvidenceInput
from hardener.core.levers import LeverKey
from hardener.core.levers.zen import ZEN_KEY
from hardener.core.options import PhoneOptions
from hardener.core.outcomes import history_record
from hardener.core.plan import make_plan
from hardener.core.reads import Read
from hardener.core.records import DeviceInfo, Snapshot
from hardener.core.run import PhoneRun
from hardener.core.snapshot import Choice, Discovery, PackageFilter, selected
from hardener.device.apply import execute
from hardener.device.collect import Reading, discover, read
from hardener.device.doctor import Probe, choose_probe
from hardener.device.evidence_read import read_device
from hardener.device.phase import PhaseInterrupted, run_reads
from hardener.device.transport.base import Transport
from hardener.errors import EXIT_INTERRUPTED, HardenerError, InputError
from hardener.profile import Profile
from hardener.profile.rules import BY_PACKAGE
from hardener.profile.times import BOUNDS, out_of_bounds
from hardener.state.journal import Journal, device_lock, now_iso
from hardener.state.layouts import load_layout, save_layout
from hardener.state.statedir import prepare_state
from hardener.state.statedir import state_dir as resolve_state_dir


def parse_at(text: str | None) -> datetime | None:
    """`--at`: an ISO 8601 date-time; without an offset it is read later in the profile's zone."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"--at {text!r} is not an ISO 8601 date-time",
            hint="write it like 2026-11-24T20:00 (profile timezone) or 2026-11-24T20:00+08:00",
        ) from None
    why = out_of_bounds(moment.date())
    if why:
        raise InputError(f"--at {text!r}: {why}", hint=f"give {BOUNDS}")
    return moment


def resolve_moment(at: datetime | None, tz: ZoneInfo) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at if at.tzinfo is not None else at.replace(tzinfo=tz)


def profile_selection(profile: Profile, held: Collection[str] = ()) -> PackageFilter:
    """Packages to read: those the profile rules on, and those the journal holds baselines for.

    A category rule for "other" covers third-party apps only; system apps are read only when
    a rule names them exactly.
    """
    held_set = frozenset(held)

    def select(package: str, third_party: bool) -> bool:
        if package in held_set:
            return True
        category = profile.category_of(package)
        if profile.policy_for(package, category) is None:
            return False
        if category == OTHER and not third_party:
            return any(rule.strength(package, category) == BY_PACKAGE for rule in profile.rules)
        return True

    return select


def _limits(options: PhoneOptions) -> tuple[Path, float, float]:
    """The state folder (resolved: `--state-dir`, $HARDENER_STATE_DIR or the XDG default),
    the lock timeout and the round-trip timeout a run uses."""
    return resolve_state_dir(options.state_dir), options.lock_timeout, options.timeout


class Interrupted(HardenerError):
    """Ctrl-C while a run was changing the phone: said, logged in the history, exit 130."""

    exit_code = EXIT_INTERRUPTED


def run_profile(
    transport: Transport,
    profile: Profile,
    at: datetime | None,
    *,
    options: PhoneOptions,
    apply: bool,
    command: str = "enforce",
    force_stop: bool | None = None,
    arm: bool = False,
) -> PhoneRun:
    """Plan (and with `apply`, carry out) what `profile` wants at `at` (None: now).
    `options`: the state folder, the lock and round-trip timeouts.
    `force_stop`: None follows the profile's `[off_hours] force_stop` (Profile.force_stops).
    With `arm`, leave a job on the phone for the next transitions (one more round trip)."""
    state_dir, lock_timeout, timeout = _limits(options)
    notes = prepare_state(state_dir)
    with ExitStack() as held:
        discovery, journal, entries, snapshot, trips, reports = _read(
            transport, state_dir, profile, timeout, held, lock_timeout, writing=apply or arm
        )
        if (apply or arm) and journal.damaged:
            # A baseline lost with the damage would be recorded afresh from what hardener
            # itself set: refuse until the history has given the lost ones back.
            raise InputError(
                "\n".join(journal.damage_words())
                + f"\n{command} changes nothing while baselines may be missing",
                hint="run `hardener restore --rebuild-from-history`, then this command again",
            )
        schedule = profile.schedule(snapshot.device.timezone or None)
        moment = resolve_moment(at, schedule.tz)
        evaluation = evaluate(snapshot, profile, moment, held=set(entries))
        if force_stop is None:
            force_stop = profile.force_stops(snapshot.device.sdk)
        plan = make_plan(snapshot, evaluation.wants, entries, now=now_iso(), force_stop=force_stop)
        run = PhoneRun(
            command, transport.serial, snapshot, plan, evaluation, round_trips=trips,
            notes=(*notes, *journal.damage_words()), journal_damaged=bool(journal.problems),
            arm_reports=tuple(reports),
        )  # fmt: skip
        if apply:
            extra = {
                "profile": profile.name,
                "at": moment.isoformat(),
                "working": evaluation.working,
            }
            run = _apply(transport, discovery, run, journal, snapshot, timeout, extra)
        if arm:
            now_snapshot = run.result.readback if run.result and run.result.readback else None
            armed = arm_job(
                transport, journal, merged(snapshot, now_snapshot), profile, moment,
                timeout=timeout,
            )  # fmt: skip
            run = replace(run, armed=armed, round_trips=run.round_trips + armed.round_trips)
        return run


def run_restore(
    transport: Transport,
    *,
    options: PhoneOptions,
    apply: bool,
    rebuild_from_history: bool = False,
) -> PhoneRun:
    """Give back every baseline hardener holds for this phone, whatever the profile or time.

    With `rebuild_from_history`, baselines the history says are held and the journal lacks
    (it was damaged, or lost) are added first; the journal's own entries win."""
    state_dir, lock_timeout, timeout = _limits(options)
    notes = prepare_state(state_dir)
    with ExitStack() as held:
        discovery, journal, entries, snapshot, trips, reports = _read(
            transport,
            state_dir,
            None,
            timeout,
            held,
            lock_timeout,
            writing=apply,
            rebuild=rebuild_from_history,
            stop_job=apply,
        )
        plan = make_plan(snapshot, [], entries, now=now_iso(), restore_everything=True)
        words = journal.damage_words()
        if rebuild_from_history:
            words = [w for w in words if "--rebuild-from-history" not in w]
        damaged = journal.damaged and not rebuild_from_history
        run = PhoneRun(
            "restore", transport.serial, snapshot, plan, round_trips=trips,
            notes=(*notes, *words), journal_damaged=damaged, arm_reports=tuple(reports),
        )  # fmt: skip
        if not apply:
            return run
        done = _apply(transport, discovery, run, journal, snapshot, timeout, {})
        if rebuild_from_history and done.result is not None and done.result.converged:
            journal.mark_rebuilt()
        return done


def _read(
    transport: Transport,
    state_dir: Path,
    profile: Profile | None,
    timeout: float,
    held: ExitStack,
    lock_timeout: float,
    *,
    writing: bool = True,
    rebuild: bool = False,
    stop_job: bool = False,
) -> tuple[Discovery, Journal, dict[LeverKey, JournalEntry], Snapshot, int, list[ArmReport]]:
    """Read the phone under its lock: one round trip when its layout from last time still
    holds, else two. The journal is keyed by the phone's own serial, known only once phase 1
    answers: `choose` takes the lock and loads the journal there. When a job is armed on the
    phone, its files ride on phase 1 and its log is reconciled into the journal
    (`hardener.arm`) before anything is planned; `stop_job` (restore) also stops it, in the
    same round trip."""
    loaded: dict[str, tuple[Journal, dict[LeverKey, JournalEntry]]] = {}

    def choose(discovery: Discovery) -> Choice:
        journal = Journal(state_dir, discovery.device.serial)
        if writing:  # before anything changes on the phone: can the journal be kept?
            journal.require_writable()
        entries = journal.load()
        if rebuild:
            entries = {**journal.rebuild_from_history(), **entries}
        loaded["journal"] = (journal, entries)
        armed = armed_packages(journal)
        packages = {key.package for key in entries} | armed
        select = profile_selection(profile, packages) if profile else (lambda p, _t: p in packages)
        quiet_calls = bool(profile and profile.quiet_calls)
        dnd = quiet_calls or ZEN_KEY in entries or ZEN_KEY.package in armed
        return Choice(tuple(selected(discovery, select)), dnd=dnd)

    extra = disarm_commands() if stop_job else contact_commands_for(state_dir)
    reading = locked_read(transport, choose, state_dir, held, lock_timeout, timeout, extra=extra)
    journal, entries = loaded["journal"]
    reports: list[ArmReport] = []
    if extra:
        entries, reports = at_contact(
            journal, entries, reading.extra, transport.serial, stopped=stop_job
        )
    return reading.discovery, journal, entries, reading.snapshot, reading.round_trips, reports


def merged(snapshot: Snapshot, readback: Snapshot | None) -> Snapshot:
    """The snapshot with the apps a read-back re-read replaced by what it showed."""
    if readback is None:
        return snapshot
    fresh = {(app.package, app.user): app for app in readback.apps}
    apps = tuple(fresh.get((app.package, app.user), app) for app in snapshot.apps)
    dnd = readback.dnd if readback.dnd is not None else snapshot.dnd
    return replace(snapshot, apps=apps, users=readback.users or snapshot.users, dnd=dnd)


def locked_read(
    transport: Transport,
    choose: Callable[[Discovery], Iterable[str] | Choice],
    state_dir: Path,
    held: ExitStack,
    lock_timeout: float,
    timeout: float,
    *,
    cache: bool = True,
    extra: Sequence[str] = (),
) -> Reading:
    """`collect.read` with the phone's lock taken (into `held`) as soon as its serial is
    known. If another run held the lock, the first read may be stale: read again.
    `cache`: guess phase 2 from the phone's last layout and keep the new one (profile runs)."""
    waited: list[bool] = []

    def lock_then_choose(discovery: Discovery) -> Iterable[str] | Choice:
        if not waited:
            lock = device_lock(state_dir, discovery.device.serial, timeout=lock_timeout)
            waited.append(held.enter_context(lock))
        return choose(discovery)

    hint = load_layout(state_dir, transport.serial) if cache else None
    reading = read(transport, lock_then_choose, hint=hint, timeout=timeout, extra=extra)
    if waited and waited[0]:
        hint_again = reading.layout if cache else None
        again = read(transport, choose, hint=hint_again, timeout=timeout, extra=extra)
        reading = replace(again, round_trips=reading.round_trips + again.round_trips)
    if cache:
        save_layout(state_dir, transport.serial, reading.layout, was=hint)
    return reading


@dataclass(frozen=True)
class ScanRun:
    discovery: Discovery
    snapshot: Snapshot
    round_trips: int


def run_scan(
    transport: Transport,
    choose: Callable[[Discovery], Iterable[str]],
    *,
    options: PhoneOptions,
) -> ScanRun:
    """Read the apps `choose` picks, under the phone's lock; keeps no state (no journal, no
    layout: a scan always takes its two round trips)."""
    state_dir, lock_timeout, timeout = _limits(options)
    with ExitStack() as held:
        reading = locked_read(
            transport, choose, state_dir, held, lock_timeout, timeout, cache=False
        )
        return ScanRun(reading.discovery, reading.snapshot, reading.round_trips)


def phone_device(transport: Transport, *, options: PhoneOptions) -> DeviceInfo:
    """Who the phone is (its own serial, timezone, release), from one phase-1 round trip;
    reads nothing else and holds no lock: it changes nothing and keeps nothing."""
    return discover(transport, timeout=options.timeout).device


def run_disarm(
    transport: Transport, *, options: PhoneOptions
) -> tuple[list[ArmReport], int | None]:
    """Stop the job armed on the phone; its log is settled into the journal under the
    phone's lock, keyed by its own serial."""
    state_dir, lock_timeout, timeout = _limits(options)
    prepare_state(state_dir)
    return disarm(
        transport, state_dir, timeout=timeout,
        lock=lambda serial: device_lock(state_dir, serial, timeout=lock_timeout),
    )  # fmt: skip


def run_status(transport: Transport, *, options: PhoneOptions) -> Status:
    """The armed job's state, with the journal read under the phone's lock."""
    state_dir, lock_timeout, timeout = _limits(options)
    return status(
        transport, state_dir, timeout=timeout,
        lock=lambda serial: device_lock(state_dir, serial, timeout=lock_timeout),
    )  # fmt: skip


@dataclass(frozen=True)
class EvidenceRun:
    data: EvidenceInput
    history: tuple[dict[str, Any], ...]  # hardener's own runs on this phone (held hours)
    round_trips: int


def run_evidence(transport: Transport, *, options: PhoneOptions) -> EvidenceRun:
    """The access records (one round trip) and hardener's history of this phone, read under
    its lock so no enforce changes either between the two; as with every read here, a run
    that had to wait for the lock reads the phone again."""
    state_dir, lock_timeout, timeout = _limits(options)
    with ExitStack() as held:
        data, trips = read_device(transport, timeout=timeout)
        lock = device_lock(state_dir, data.device.serial, timeout=lock_timeout)
        if held.enter_context(lock):
            data, more = read_device(transport, timeout=timeout)
            trips += more
        return EvidenceRun(data, history_of(state_dir, data.device.serial), trips)


def history_of(state_dir: Path, serial: str) -> tuple[dict[str, Any], ...]:
    """hardener's own history of a phone (every run's outcomes), oldest first."""
    return tuple(Journal(state_dir, serial).history())


@dataclass(frozen=True)
class DoctorRun:
    discovery: Discovery
    snapshot: Snapshot
    probe: Probe | None
    results: tuple[CommandResult, ...]
    extra: tuple[CommandResult, ...] = ()  # the results of `extra` commands, in order


def run_doctor(
    transport: Transport,
    choose: Callable[[Discovery], Iterable[str]],
    *,
    options: PhoneOptions,
    extra: Sequence[str] = (),
) -> DoctorRun:
    """Read, then probe what the shell may change (probes that change nothing), holding the
    phone's lock throughout so no enforce runs between the read and the probe. `extra`
    commands (settings doctor reads, e.g. whether an armed job can survive) ride with the
    probes, in the same round trip."""
    state_dir, lock_timeout, timeout = _limits(options)
    with ExitStack() as held:
        reading = locked_read(
            transport, choose, state_dir, held, lock_timeout, timeout, cache=False
        )
        probe = choose_probe(reading.snapshot)
        probes = [Read(f"probe:{i}", c) for i, c in enumerate(probe.commands if probe else ())]
        riders = [Read(f"extra:{i}", c) for i, c in enumerate(extra)]
        phase = (
            run_reads(transport, [*probes, *riders], timeout=timeout) if probes or riders else None
        )
        outputs = phase.outputs if phase else {}
        return DoctorRun(
            reading.discovery,
            reading.snapshot,
            probe,
            tuple(outputs[r.name] for r in probes),
            tuple(outputs[r.name] for r in riders),
        )


def _apply(
    transport: Transport,
    discovery: Discovery,
    run: PhoneRun,
    journal: Journal,
    snapshot: Snapshot,
    timeout: float,
    extra: dict[str, object],
) -> PhoneRun:
    flags_ok = snapshot.features.permission_flags

    def interrupted(why: str) -> None:
        journal.append_history(
            {
                "time": now_iso(),
                "command": run.command,
                "serial": snapshot.device.serial,
                "transport": transport.serial,
                **extra,
                "interrupted": why,
                "planned": [action.words for action in run.plan.actions],
            }
        )

    try:
        result = execute(
            transport, discovery, run.plan, journal, flags_ok=flags_ok, timeout=timeout
        )
    except PhaseInterrupted as error:
        interrupted(error.message)
        raise
    except KeyboardInterrupt:
        interrupted("Ctrl-C")
        raise Interrupted(
            f"interrupted (Ctrl-C) while changing {snapshot.device.serial}",
            hint="nothing is lost: the journal holds what your phone had; run the same "
            "command again to finish (or `hardener restore` to give everything back)",
        ) from None
    if result.outcomes or run.plan.left:
        # what the person chose over hardener (left as they set it) is history too
        left = [{"key": e.key.encode(), "why": why} for e, why in run.plan.left]
        journal.append_history(
            history_record(
                run.command,
                snapshot.device.serial,
                transport.serial,
                result,
                time=now_iso(),
                **extra,
                **({"left": left} if left else {}),
            )
        )
    return replace(run, result=result, round_trips=run.round_trips + result.round_trips)
