"""Roll one operation out to many phones at once: parallel, canary first, halting on failures.

Each phone is handled by the same code a person's CLI uses (`hardener.device.runner`), in its own
thread with its own transport, lock and journal. A phone that fails or vanishes only marks
its own result; the others carry on. Only the rollout's own rules stop it: a failed canary,
or more failures than `max_failures`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from hardener.android.oem import unlock_advice
from hardener.core.evaluate import ACTIONABLE
from hardener.core.options import PhoneOptions
from hardener.core.outcomes import Status
from hardener.core.run import PhoneRun
from hardener.device.runner import run_profile, run_restore
from hardener.device.transport import open_device
from hardener.device.transport.discovery import discover
from hardener.device.transport.server import AdbServer
from hardener.errors import EXIT_FINDINGS, EXIT_OK, HardenerError
from hardener.fleet.identity import identity
from hardener.fleet.inventory import Inventory
from hardener.profile import Profile, load_profile

MODES = ("plan", "apply", "audit", "restore")


class PhoneStatus(StrEnum):
    """How one phone's run ended (the values appear in fleet reports and their CSV)."""

    OK = "ok"
    FINDINGS = "findings"  # audit: the phone is not as the profile wants
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    SKIPPED = "skipped"  # not started: the rollout stopped before this phone


@dataclass(frozen=True)
class Target:
    spec: str  # what reaches the phone (a --device value)
    group: str
    profile: str  # a profile file or bundled name


@dataclass(frozen=True)
class DeviceResult:
    spec: str
    group: str
    profile: str
    status: PhoneStatus
    exit_code: int
    host: str = field(default_factory=socket.gethostname)
    serial: str = ""
    model: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    actions: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0
    advice: str = ""  # the setting to turn on when the phone's maker blocks changes

    @property
    def failed(self) -> bool:
        return self.status in (PhoneStatus.FAILED, PhoneStatus.UNREACHABLE)

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "group": self.group,
            "spec": self.spec,
            "serial": self.serial,
            "model": self.model,
            "profile": self.profile,
            "status": self.status,
            "exit_code": self.exit_code,
            "counts": dict(self.counts),
            "actions": list(self.actions),
            "refusals": list(self.refusals),
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "advice": self.advice,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeviceResult:
        return cls(
            spec=str(data["spec"]),
            group=str(data.get("group", "")),
            profile=str(data.get("profile", "")),
            status=PhoneStatus(data["status"]),  # ValueError for an unknown status
            exit_code=int(data.get("exit_code", 0)),
            host=str(data.get("host", "")),
            serial=str(data.get("serial", "")),
            model=str(data.get("model", "")),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            actions=tuple(data.get("actions", ())),
            refusals=tuple(data.get("refusals", ())),
            error=str(data.get("error", "")),
            seconds=float(data.get("seconds", 0.0) or 0.0),
            advice=str(data.get("advice", "") or ""),
        )


def resolve_targets(inventory: Inventory) -> tuple[list[Target], list[str]]:
    """Every phone of every group, as specs; bare serials go through the adb server if it has
    them (it owns USB), else direct USB. Returns the targets and notes for the user."""
    notes: list[str] = []
    server_serials: set[str] = set()
    found = None
    needs_discovery = any(g.devices is None for g in inventory.groups)
    bare = any(d for g in inventory.groups for d in g.devices or () if ":" not in d)
    if needs_discovery:
        found = discover()
        notes += list(found.notes)
    if bare:
        try:
            server_serials = {d.serial for d in AdbServer.from_env().devices(timeout=2.0)}
        except (HardenerError, OSError):
            server_serials = set()
    targets: list[Target] = []
    seen: dict[str, str] = {}  # identity -> the spec that runs it
    overrides = {identity(device): override for device, override in inventory.overrides.items()}
    used: set[str] = set()
    for group in inventory.groups:
        if group.devices is None:
            assert found is not None
            specs = [d.spec for d in found.devices if d.state == "device"]
        else:
            specs = [
                d if ":" in d else (f"server:{d}" if d in server_serials else f"usb:{d}")
                for d in group.devices
            ]
        for spec, written in zip(specs, group.devices or specs, strict=True):
            phone = identity(written) if group.devices is not None else identity(spec)
            if phone in seen:
                notes.append(
                    f"{written} is listed twice (as {seen[phone]} already); it runs once, "
                    "in the first group"
                )
                continue
            seen[phone] = spec
            override = overrides.get(phone) or overrides.get(identity(spec))
            if override is not None:
                used.add(phone)
            if override and override.skip:
                notes.append(f"{spec}: skipped by its override")
                continue
            profile = override.profile if override and override.profile else group.profile
            targets.append(Target(spec, group.name, profile))
    for device in inventory.overrides:
        if identity(device) not in used and identity(device) not in seen:
            notes.append(f'[overrides."{device}"] matches no phone reachable now; not used')
    return targets, notes


def device_task(
    mode: str,
    *,
    options: PhoneOptions,
    at: datetime | None,
    profiles: dict[str, Profile] | None = None,
) -> Callable[[Target], DeviceResult]:
    """What each phone gets: plan, apply, audit or restore, as one `DeviceResult`.

    `options`: the state folder and timeouts every phone gets (its `device` is not used:
    each target names its own). `profiles` holds profiles loaded (and verified) beforehand;
    others load on first use.
    """
    profiles = dict(profiles or {})
    profiles_lock = threading.Lock()

    def profile(ref: str) -> Profile:
        with profiles_lock:
            if ref not in profiles:
                profiles[ref] = load_profile(ref)
            return profiles[ref]

    def run(target: Target) -> DeviceResult:
        started = time.monotonic()
        base = DeviceResult(target.spec, target.group, target.profile, PhoneStatus.FAILED, 1)
        try:
            with open_device(target.spec, auth_timeout=options.auth_timeout) as phone:
                if mode == "restore":
                    outcome = run_restore(phone, options=options, apply=True)
                else:
                    outcome = run_profile(
                        phone, profile(target.profile), at, options=options,
                        apply=mode == "apply", command=mode,
                    )  # fmt: skip
        except HardenerError as error:
            status = PhoneStatus.UNREACHABLE if error.exit_code == 3 else PhoneStatus.FAILED
            return replace(base, status=status, exit_code=error.exit_code, error=error.message,
                           seconds=time.monotonic() - started)  # fmt: skip
        # Last-resort boundary: one phone's surprise must not stop the others, and the
        # report must still name every phone.
        except Exception as error:  # noqa: BLE001
            return replace(
                base, error=f"{type(error).__name__}: {error}", seconds=time.monotonic() - started
            )
        return _result(base, mode, outcome, time.monotonic() - started)

    return run


def _result(base: DeviceResult, mode: str, run: PhoneRun, seconds: float) -> DeviceResult:
    device = run.snapshot.device
    counts: Counter[str] = Counter()
    refusals: list[str] = []
    exit_code = run.exit_code
    if run.result is not None:
        counts.update(o.status for o in run.result.outcomes)
        refusals = [
            f"{o.key.describe()}: {o.detail}"
            for o in run.result.outcomes
            if o.status in (Status.REFUSED, Status.DID_NOT_TAKE)
        ]
    else:
        counts["planned"] = len(run.plan.actions)
    if mode == "audit" and run.evaluation is not None:
        counts["findings"] = sum(1 for f in run.evaluation.findings if f.severity in ACTIONABLE)
        exit_code = EXIT_OK if run.evaluation.compliant else EXIT_FINDINGS
    if exit_code == EXIT_OK:
        status = PhoneStatus.OK
    else:
        status = PhoneStatus.FINDINGS if mode == "audit" else PhoneStatus.FAILED
    locked = run.result is not None and run.result.oem_locked
    return replace(
        base, status=status, exit_code=exit_code, serial=device.serial, model=device.model,
        counts=dict(counts), actions=tuple(a.words for a in run.plan.actions),
        refusals=tuple(refusals), seconds=seconds,
        advice=unlock_advice(device) if locked else "",
    )  # fmt: skip


Progress = Callable[[int, int, int], None]  # (done, total, failed)


def rollout(
    targets: Sequence[Target],
    task: Callable[[Target], DeviceResult],
    *,
    concurrency: int,
    canary: int = 0,
    max_failures: int | None = None,
    progress: Progress | None = None,
) -> list[DeviceResult]:
    """Run `task` on every target, at most `concurrency` at once; results in target order."""
    results: dict[int, DeviceResult] = {}
    failures = 0
    stop_reason = ""
    total = len(targets)

    def finish(index: int, result: DeviceResult) -> None:
        nonlocal failures
        results[index] = result
        failures += result.failed
        if progress:
            progress(len(results), total, failures)

    stages = (
        [range(min(canary, total)), range(min(canary, total), total)] if canary else [range(total)]
    )
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="fleet") as pool:
        for stage_number, stage in enumerate(stages):
            pending: dict[Future[DeviceResult], int] = {}
            queue = list(stage)
            while (queue and not stop_reason) or pending:
                while queue and not stop_reason and len(pending) < max(1, concurrency):
                    index = queue.pop(0)
                    pending[pool.submit(task, targets[index])] = index
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    finish(pending.pop(future), future.result())
                if max_failures is not None and failures >= max_failures and not stop_reason:
                    plural = "s" * (failures != 1)
                    stop_reason = (
                        f"halted after {failures} failure{plural} (--max-failures {max_failures})"
                    )
            if canary and stage_number == 0 and any(results[i].failed for i in stage):
                stop_reason = stop_reason or f"stopped: a canary phone failed (--canary {canary})"
            if stop_reason:
                break
    for index, target in enumerate(targets):
        if index not in results:
            results[index] = DeviceResult(
                target.spec, target.group, target.profile, PhoneStatus.SKIPPED, 0, error=stop_reason
            )
    return [results[i] for i in range(total)]


def summary_counts(results: Sequence[DeviceResult]) -> dict[str, int]:
    return dict(Counter(r.status for r in results))
