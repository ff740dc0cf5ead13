"""The laptop's record of an armed job: what it may change and from what, and how to tell why
it died. Saved in the phone's journal directory (`armed-<id>.json`, atomic, fsync'd, 0600)
*before* the job starts, so the baselines it may change are as durable as the journal's.
Pure: JSON in and out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hardener.arm.jobscript import ARM_ID, Job, JobLever, JobStep
from hardener.arm.plan import ArmLever, ArmPlan
from hardener.core.baselines import JournalEntry
from hardener.core.levers import LeverKey, LeverValue, value_from_json, value_to_json
from hardener.core.plan import HARDEN, RESTORE

FORMAT = 1


@dataclass(frozen=True)
class RecordLever:
    key: LeverKey
    target: LeverValue
    reason: str
    baseline: LeverValue  # at arming
    held: bool  # the journal held it at arming

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key.encode(),
            "target": value_to_json(self.target),
            "reason": self.reason,
            "baseline": value_to_json(self.baseline),
            "held": self.held,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordLever:
        key = LeverKey.decode(str(data["key"]))
        return cls(
            key=key,
            target=value_from_json(key.kind, data.get("target")),
            reason=str(data.get("reason", "")),
            baseline=value_from_json(key.kind, data.get("baseline")),
            held=bool(data.get("held", False)),
        )


@dataclass(frozen=True)
class RecordStep:
    at: int  # the phone's epoch
    when: str  # ISO time in the profile's zone, for people
    intent: str
    levers: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "when": self.when,
            "intent": self.intent,
            "levers": list(self.levers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordStep:
        intent = str(data["intent"])
        if intent not in (HARDEN, RESTORE):
            raise ValueError(f"not a step: {intent!r}")
        return cls(
            int(data["at"]), str(data["when"]), intent, tuple(int(i) for i in data["levers"])
        )


@dataclass(frozen=True)
class ArmRecord:
    arm_id: str
    serial: str
    transport: str
    profile: str
    created: int  # the phone's epoch at arming
    armed_at: str  # this computer's ISO time at arming
    expires: int
    levers: tuple[RecordLever, ...]
    steps: tuple[RecordStep, ...]
    boot_id: str = ""
    adbd_pid: int | None = None
    adbd_start: int | None = None  # /proc/PID/stat field 22 (clock ticks after boot)
    job_pid: int | None = None
    started: bool = False  # the arm trip's answer came back
    reported_until: int = 0  # log times up to this were put in history
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "arm_id": self.arm_id,
            "serial": self.serial,
            "transport": self.transport,
            "profile": self.profile,
            "created": self.created,
            "armed_at": self.armed_at,
            "expires": self.expires,
            "levers": [lever.to_json() for lever in self.levers],
            "steps": [step.to_json() for step in self.steps],
            "boot_id": self.boot_id,
            "adbd_pid": self.adbd_pid,
            "adbd_start": self.adbd_start,
            "job_pid": self.job_pid,
            "started": self.started,
            "reported_until": self.reported_until,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArmRecord:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        arm_id = str(data["arm_id"])
        if not ARM_ID.fullmatch(arm_id):
            raise ValueError(f"not an arm id: {arm_id!r}")
        return cls(
            arm_id=arm_id,
            serial=str(data["serial"]),
            transport=str(data.get("transport", "")),
            profile=str(data.get("profile", "")),
            created=int(data["created"]),
            armed_at=str(data.get("armed_at", "")),
            expires=int(data["expires"]),
            levers=tuple(RecordLever.from_json(item) for item in data["levers"]),
            steps=tuple(RecordStep.from_json(item) for item in data["steps"]),
            boot_id=str(data.get("boot_id", "")),
            adbd_pid=_int(data.get("adbd_pid")),
            adbd_start=_int(data.get("adbd_start")),
            job_pid=_int(data.get("job_pid")),
            started=bool(data.get("started", False)),
            reported_until=int(data.get("reported_until", 0)),
        )

    def job(self) -> Job:
        """The job this record describes (to regenerate or to check it)."""
        return Job(
            self.arm_id,
            self.serial,
            self.created,
            self.expires,
            True,
            tuple(JobLever(lever.key, lever.target) for lever in self.levers),
            tuple(JobStep(step.at, step.intent, step.levers) for step in self.steps),
        )

    def with_phone(
        self, *, boot_id: str, adbd_pid: int | None, adbd_start: int | None, job_pid: int | None
    ) -> ArmRecord:
        return replace(
            self,
            boot_id=boot_id,
            adbd_pid=adbd_pid,
            adbd_start=adbd_start,
            job_pid=job_pid,
            started=True,
        )

    def next_step(self, now: int) -> RecordStep | None:
        return next((step for step in self.steps if step.at > now), None)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def new_record(plan: ArmPlan, *, transport: str, profile: str, armed_at: str) -> ArmRecord:
    job = plan.job
    return ArmRecord(
        arm_id=job.arm_id,
        serial=job.serial,
        transport=transport,
        profile=profile,
        created=job.created,
        armed_at=armed_at,
        expires=job.expires,
        levers=tuple(_lever(lever) for lever in plan.levers),
        steps=tuple(
            RecordStep(step.at, when.isoformat(), step.intent, step.levers)
            for step, when in zip(job.steps, plan.times, strict=True)
        ),
    )


def _lever(lever: ArmLever) -> RecordLever:
    held: JournalEntry | None = lever.held
    return RecordLever(lever.key, lever.target, lever.reason, lever.baseline, held is not None)
