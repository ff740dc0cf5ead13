"""What an armed job must do: the next transitions and the wants at each. Pure.

The steps are the transitions of the profile's schedule from now on, up to and including the
first work start that follows an off-hours start (17:45 on a Tuesday: 18:00 harden, 09:00
restore; 20:00: 09:00 restore, 18:00 harden, 09:00 restore), within the job's lifetime.

The job applies the wants *as they will be at the step*, not a diff made now: a permission
not granted at arming but granted by hand before 18:00 must be revoked too. So the settings
it may change are found by evaluating the profile at each step twice: on the snapshot as it
is, and on the snapshot with every runtime permission granted and every app-op allowed (what
the person could turn on by hand before the step). The job itself reads each value at the
step and changes only what does not meet the want.

A restore step gives back every setting the job may hold (and every one the laptop's
journal holds) that the profile no longer wants off at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hardener.arm.jobscript import MAX_LIFETIME_S, Job, JobLever, JobStep
from hardener.core.baselines import JournalEntry
from hardener.core.evaluate import FIXED_FLAGS, evaluate
from hardener.core.levers import LeverKey, LeverValue, NotReadable, read_value
from hardener.core.plan import HARDEN, RESTORE, Action, Want, _harden_rank, _restore_rank
from hardener.core.records import AppState, Permission, Snapshot
from hardener.profile import Profile


@dataclass(frozen=True)
class ArmLever:
    """A setting of the job, with what the laptop knew at arming."""

    key: LeverKey
    target: LeverValue
    reason: str
    baseline: LeverValue  # the value at arming (None when the snapshot lacks it)
    held: JournalEntry | None  # the laptop's journal entry, when it holds this setting


@dataclass(frozen=True)
class ArmPlan:
    job: Job
    levers: tuple[ArmLever, ...]
    times: tuple[datetime, ...]  # each step's moment, in the schedule's zone

    @property
    def empty(self) -> bool:
        return not any(step.levers for step in self.job.steps)


def arm_plan(
    snapshot: Snapshot,
    profile: Profile,
    now: datetime,
    entries: Mapping[LeverKey, JournalEntry],
    *,
    arm_id: str,
    created: int,
) -> ArmPlan:
    """The job for the transitions after `now` (aware); `created`: the phone's epoch now."""
    schedule = profile.schedule(snapshot.device.timezone or None)
    end = now + timedelta(seconds=MAX_LIFETIME_S - 3600)
    chosen = []
    hardened = False
    for transition in schedule.transitions(now + timedelta(microseconds=1), end):
        chosen.append(transition)
        if not transition.working:
            hardened = True
        elif hardened:
            break
    offset = created - int(now.timestamp())  # the phone's clock against this computer's
    all_on = _all_on(snapshot)
    held = set(entries)
    wants_at: list[dict[LeverKey, Want]] = []
    for transition in chosen:
        wants: dict[LeverKey, Want] = {}
        for snap in (snapshot, all_on):
            for want in evaluate(snap, profile, transition.at, held=held).wants:
                wants.setdefault(want.key, want)
        wants_at.append(wants)

    keys: dict[LeverKey, Want] = {}
    for transition, wants in zip(chosen, wants_at, strict=True):
        if not transition.working:
            for key, want in wants.items():
                keys.setdefault(key, want)
    for key, entry in entries.items():
        keys.setdefault(key, Want(key, entry.applied, entry.reason))
    ordered = sorted(keys, key=lambda k: _harden_rank(_action(k)))
    index = {key: i for i, key in enumerate(ordered)}
    levers = tuple(
        ArmLever(
            key=key,
            target=keys[key].value,
            reason=keys[key].reason,
            baseline=_value(snapshot, key),
            held=entries.get(key),
        )
        for key in ordered
    )
    steps = []
    for transition, wants in zip(chosen, wants_at, strict=True):
        at = int(transition.at.timestamp()) + offset
        if transition.working:
            back = [k for k in ordered if k not in wants]
            back.sort(key=lambda k: _restore_rank(_action(k)))
            steps.append(JobStep(at, RESTORE, tuple(index[k] for k in back)))
        else:
            on = sorted(wants, key=lambda k: _harden_rank(_action(k)))
            steps.append(JobStep(at, HARDEN, tuple(index[k] for k in on)))
    job = Job(
        arm_id=arm_id,
        serial=snapshot.device.serial,
        created=created,
        expires=created + MAX_LIFETIME_S,
        flags_ok=snapshot.features.permission_flags,
        levers=tuple(
            JobLever(
                lever.key,
                lever.target,
                held=lever.held.baseline if lever.held else None,
                has_held=lever.held is not None,
            )
            for lever in levers
        ),
        steps=tuple(steps),
    )
    return ArmPlan(job, levers, tuple(t.at for t in chosen))


def _action(key: LeverKey) -> Action:
    return Action(key, HARDEN, None, None, (), "")


def _value(snapshot: Snapshot, key: LeverKey) -> LeverValue:
    try:
        return read_value(snapshot, key)
    except NotReadable:
        return None


def _all_on(snapshot: Snapshot) -> Snapshot:
    """The snapshot as it would be if the person turned everything on before the step."""
    return replace(snapshot, apps=tuple(_app_on(app) for app in snapshot.apps))


def _app_on(app: AppState) -> AppState:
    permissions = {
        name: permission
        if permission.flags & FIXED_FLAGS
        else Permission(permission.name, True, permission.flags)
        for name, permission in app.permissions.items()
    }
    return replace(
        app,
        permissions=permissions,
        uid_ops={op: "allow" for op in app.uid_ops},
        package_ops={op: "allow" for op in app.package_ops},
    )
