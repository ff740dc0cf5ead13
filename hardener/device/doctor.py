"""What this phone lets hardener do, found by asking it, with probes that change nothing.

The probes are chosen so that success and refusal both leave the phone as it was:

* permissions: `pm revoke` of a permission the app has *not* been granted (a no-op when the
  shell may revoke; the OEM-lock SecurityException when it may not), or, if no app has a
  denied permission, of a permission the app never requested (Android checks the caller's
  right before it checks the request, so the answer tells the two apart);
* app-ops: `cmd appops set` of an op to the mode it already has.

The probe phase ends with a re-read of the probed app, and the report says whether it is
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hardener.android import commands
from hardener.android.oem import CANNOT_BLOCK, rom_blocks_by_default, rom_name, unlock_advice
from hardener.android.parsers import (
    NOT_REQUESTED,
    OEM_LOCK,
    parse_dumpsys_package,
    parse_shell_errors,
)
from hardener.core.command_result import CommandResult
from hardener.core.levers import PermissionValue
from hardener.core.plan import op_effective
from hardener.core.records import AppState, Snapshot
from hardener.core.scan_report import device_json

PROBE_OP = "RUN_ANY_IN_BACKGROUND"
UNREQUESTED = "android.permission.BODY_SENSORS"  # no workplace or social app asks for it


@dataclass(frozen=True)
class Probe:
    package: str
    user: int
    permission: str
    granted_before: bool | None  # None: the app does not request it
    op_mode: str
    commands: tuple[str, ...]


def choose_probe(snapshot: Snapshot) -> Probe | None:
    """A third-party app and a permission whose revoke cannot change anything."""
    apps = sorted(
        (a for a in snapshot.apps if not a.system and a.user == 0), key=lambda a: a.package
    )
    apps = apps or sorted(snapshot.apps, key=lambda a: (a.user, a.package))
    for app in apps:
        for name, permission in sorted(app.permissions.items()):
            if not permission.granted and not permission.flags & {"SYSTEM_FIXED", "POLICY_FIXED"}:
                return _probe(app, name, granted=False)
    for app in apps:
        if UNREQUESTED not in app.requested and UNREQUESTED not in app.permissions:
            return _probe(app, UNREQUESTED, granted=None)
    return None


def _probe(app: AppState, permission: str, *, granted: bool | None) -> Probe:
    mode = op_effective(PROBE_OP, app.package_ops.get(PROBE_OP))
    return Probe(
        package=app.package,
        user=app.user,
        permission=permission,
        granted_before=granted,
        op_mode=mode,
        commands=(
            commands.revoke(app.user, app.package, permission),
            commands.appops_set(app.user, app.package, PROBE_OP, mode),
            commands.dumpsys_package(app.package),
        ),
    )


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: could not tell
    words: str
    advice: str = ""


@dataclass(frozen=True)
class Diagnosis:
    snapshot: Snapshot
    checks: tuple[Check, ...]
    cannot_block: tuple[str, ...] = field(default=CANNOT_BLOCK)

    @property
    def oem_locked(self) -> bool:
        return any(
            c.name in ("permissions", "app-ops") and c.ok is False and c.advice for c in self.checks
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "device": device_json(self.snapshot.device),
            "users": [
                {"id": u.id, "name": u.name, "work_profile": u.is_work_profile,
                 "reachable": u.reachable}
                for u in self.snapshot.users
            ],
            "checks": [
                {"name": c.name, "ok": c.ok, "words": c.words, "advice": c.advice}
                for c in self.checks
            ],
            "cannot_block": list(self.cannot_block),
            "oem_locked": self.oem_locked,
        }  # fmt: skip


def diagnose(snapshot: Snapshot, probe: Probe | None, results: list[CommandResult]) -> Diagnosis:
    device = snapshot.device
    checks: list[Check] = []
    advice = unlock_advice(device)
    if probe is None:
        checks.append(Check("permissions", None, "no third-party app to probe with: cannot tell"))
        checks.append(Check("app-ops", None, "no third-party app to probe with: cannot tell"))
    else:
        revoke, op_set, reread = results
        checks.append(_permission_check(probe, revoke, advice))
        checks.append(_op_check(op_set, advice))
        checks.append(_unchanged_check(probe, reread))
    checks.append(
        Check(
            "permission flags",
            snapshot.features.permission_flags,
            'pm set-permission-flags exists: "don\'t ask again" can be set and restored exactly'
            if snapshot.features.permission_flags
            else "no pm set-permission-flags on this Android version: revokes cannot add \"don't "
            'ask again", and the flags are left as they are',
        )
    )
    checks.append(
        Check(
            "restricted bucket",
            snapshot.features.restricted_bucket,
            "the restricted standby bucket exists (Android 12+)"
            if snapshot.features.restricted_bucket
            else "no restricted standby bucket before Android 12: hardener uses 'rare' instead",
        )
    )
    for user in snapshot.users:
        kind = "work profile" if user.is_work_profile else "user"
        checks.append(
            Check(
                f"{kind} {user.id}",
                user.reachable,
                f"{user.name}: reachable"
                if user.reachable
                else f"{user.name}: the shell may not touch it; hardener skips it",
            )
        )
    if rom_blocks_by_default(device) and all(c.ok for c in checks if c.name == "permissions"):
        checks.append(
            Check("rom", True, f"{rom_name(device)} allows changes now (its security switch is on)")
        )
    elif device.rom != "stock" and not rom_blocks_by_default(device):
        checks.append(Check("rom", True, f"{rom_name(device)}: {advice}"))
    return Diagnosis(snapshot, tuple(checks))


def _permission_check(probe: Probe, result: CommandResult, advice: str) -> Check:
    errors = parse_shell_errors(result.output)
    if any(e.kind == OEM_LOCK for e in errors):
        message = next(e.message for e in errors if e.kind == OEM_LOCK)
        return Check("permissions", False, f"the phone refuses pm grant/revoke: {message}", advice)
    if not errors or (
        probe.granted_before is None and all(e.kind == NOT_REQUESTED for e in errors)
    ):
        return Check("permissions", True, "pm grant/revoke allowed")
    return Check("permissions", None, "unexpected answer: " + "; ".join(e.message for e in errors))


def _op_check(result: CommandResult, advice: str) -> Check:
    errors = parse_shell_errors(result.output)
    if any(e.kind == OEM_LOCK for e in errors):
        message = next(e.message for e in errors if e.kind == OEM_LOCK)
        return Check("app-ops", False, f"the phone refuses cmd appops set: {message}", advice)
    if errors:
        return Check("app-ops", None, "unexpected answer: " + "; ".join(e.message for e in errors))
    return Check("app-ops", True, "cmd appops set allowed")


def _unchanged_check(probe: Probe, result: CommandResult) -> Check:
    dump = parse_dumpsys_package(result.output).get(probe.package)
    state = dump.users.get(probe.user) if dump else None
    if state is None:
        return Check("probe left no trace", None, "could not re-read the probed app")
    permission = state.runtime_permissions.get(probe.permission)
    now = (
        None
        if permission is None
        else PermissionValue(permission.granted, permission.flags).granted
    )
    unchanged = now == probe.granted_before or (
        probe.granted_before is None and now in (None, False)
    )
    return Check(
        "probe left no trace",
        unchanged,
        f"{probe.package}: {probe.permission.removeprefix('android.permission.')} is as it was"
        if unchanged
        else f"{probe.package}: {probe.permission} changed during the probe",
    )
