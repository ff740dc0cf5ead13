"""Judge a snapshot against a profile at one moment: findings for people, wants for the planner.

Pure: the moment is given, the journal's keys are given. For every app a profile selects, in
every user, each capability or lever the profile rules on is either *on* (the app holds it),
*off*, or out of reach (fixed by the system or a device policy, a protected app, missing on
this Android version). What must be off now becomes a `Want`; everything gets a `Finding`
with a severity and what `enforce` would do about it.

A setting hardener itself turned off (the journal holds its baseline) stays wanted while the
profile still wants it off, so that it is not mistaken for something to restore.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hardener.android.catalog.capabilities import (
    CAPABILITIES,
    LEVERS,
    capability,
    capability_state,
    lever_holds,
)
from hardener.core.levers import (
    DEVICE_WIDE,
    PERMISSION,
    UID_OP,
    LeverKey,
    LeverValue,
    OffContext,
    PermissionValue,
    kind_of,
)
from hardener.core.plan import Want
from hardener.core.records import AppState, Snapshot
from hardener.profile import AppPolicy, Profile, Transition


class Severity(StrEnum):
    """How a finding matters, most urgent first (the values appear in JSON output)."""

    VIOLATION = "violation"  # must be off now and is on: enforce acts now
    PENDING_RESTORE = "pending_restore"  # hardener holds a baseline the profile now allows back
    OUTSIDE_HOURS = "outside_hours"  # allowed now, taken away at the next transition
    NEXT_TRANSITION = "next_transition"  # off now (by hardener), given back at the next one
    CANNOT = "cannot"  # on, but hardener cannot or will not change it


ACTIONABLE = frozenset({Severity.VIOLATION, Severity.PENDING_RESTORE})
_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Decision(StrEnum):
    """What the profile decided for a name: never on, or off outside work hours."""

    NEVER = "never"
    OFF_HOURS = "off_hours"


FIXED_FLAGS = frozenset({"SYSTEM_FIXED", "POLICY_FIXED"})
DONT_ASK_AGAIN = frozenset({"USER_SET", "USER_FIXED"})

# Apps hardener never changes, whatever a profile selects: the phone must still ring, text,
# type and know where it is in an emergency. Vendors' dialers, messaging, launchers,
# keyboards and location providers; extend when a new vendor package appears.
PROTECTED_PACKAGES = frozenset(
    {
        # dialers and telephony
        "com.android.dialer", "com.google.android.dialer", "com.samsung.android.dialer",
        "com.android.incallui", "com.android.phone", "com.android.server.telecom",
        "com.android.contacts", "com.google.android.contacts", "com.samsung.android.app.contacts",
        # SMS
        "com.android.mms", "com.android.messaging", "com.google.android.apps.messaging",
        "com.samsung.android.messaging",
        # launchers
        "com.android.launcher3", "com.google.android.apps.nexuslauncher", "com.miui.home",
        "com.sec.android.app.launcher", "com.oppo.launcher", "com.huawei.android.launcher",
        # keyboards
        "com.google.android.inputmethod.latin", "com.samsung.android.honeyboard",
        "com.android.inputmethod.latin", "com.baidu.input_mi", "com.sohu.inputmethod.sogou.xiaomi",
        "com.iflytek.inputmethod.miui", "com.touchtype.swiftkey",
        # location providers and the platform
        "com.google.android.gms", "com.android.location.fused", "com.qualcomm.location",
        "com.android.systemui", "com.android.settings", "com.android.shell", "android",
        "com.google.android.permissioncontroller", "com.android.permissioncontroller",
        "com.android.vending",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One thing about one app in one user, in words, with what enforce would do."""

    package: str
    user: int
    app_name: str
    category: str
    name: str  # capability or lever
    severity: Severity
    state: str  # granted/partial/on, ...
    message: str
    enforce: str  # what enforce would do (now, or at the next transition)
    rule: str = ""


@dataclass(frozen=True)
class Evaluation:
    moment: datetime
    timezone: str
    working: bool
    next_transition: Transition | None
    findings: tuple[Finding, ...]
    wants: tuple[Want, ...]  # what must be off now
    selected: tuple[tuple[str, int], ...] = field(default=())  # (package, user) the profile rules

    @property
    def compliant(self) -> bool:
        return not any(f.severity in ACTIONABLE for f in self.findings)


def evaluate(
    snapshot: Snapshot,
    profile: Profile,
    moment: datetime,
    *,
    held: Collection[LeverKey] = (),
) -> Evaluation:
    """Findings and wants at `moment` (aware). `held`: keys the journal holds baselines for."""
    schedule = profile.schedule(snapshot.device.timezone or None)
    working = schedule.is_working(moment)
    upcoming = schedule.next_transition(moment)
    held_set = frozenset(held)
    findings: list[Finding] = []
    wants: dict[LeverKey, Want] = {}
    selected: list[tuple[str, int]] = []
    for app in snapshot.apps:
        category = profile.category_of(app.package)
        policy = profile.policy_for(app.package, category)
        if policy is None:
            continue
        selected.append((app.package, app.user))
        judge = _AppJudge(snapshot, profile, app, category, policy, held_set, working, upcoming)
        findings.extend(judge.findings())
        for want in judge.wants:
            _merge(wants, want)
    from hardener.core.quiet_calls import judge_quiet_calls  # builds on this module's records

    phone_findings, phone_wants = judge_quiet_calls(snapshot, profile, held_set, working, upcoming)
    findings.extend(phone_findings)
    for want in phone_wants:
        _merge(wants, want)
    findings.extend(_restores(profile, held_set, set(wants)))
    findings.sort(key=lambda f: (_RANK[f.severity], f.package, f.user, f.name))
    return Evaluation(
        moment=moment.astimezone(schedule.tz),
        timezone=str(schedule.tz),
        working=working,
        next_transition=upcoming,
        findings=tuple(findings),
        wants=tuple(wants[key] for key in sorted(wants)),
        selected=tuple(selected),
    )


def _merge(wants: dict[LeverKey, Want], want: Want) -> None:
    """Two rules may want one permission off with different flags: keep the stricter."""
    known = wants.get(want.key)
    if known is None:
        wants[want.key] = want
    elif isinstance(known.value, PermissionValue) and isinstance(want.value, PermissionValue):
        flags = known.value.flags | want.value.flags
        wants[want.key] = Want(want.key, PermissionValue(False, flags), known.reason)


class _AppJudge:
    """Findings and wants for one app in one user."""

    def __init__(
        self,
        snapshot: Snapshot,
        profile: Profile,
        app: AppState,
        category: str,
        policy: AppPolicy,
        held: frozenset[LeverKey],
        working: bool,
        upcoming: Transition | None,
    ) -> None:
        self.snapshot, self.profile, self.app = snapshot, profile, app
        self.category, self.policy, self.held = category, policy, held
        self.working, self.upcoming = working, upcoming
        self.sdk = snapshot.device.sdk
        self.wants: list[Want] = []
        self._findings: list[Finding] = []

    # Each name the policy rules on -------------------------------------------------------

    def findings(self) -> list[Finding]:
        for decision, names in (
            (Decision.NEVER, self.policy.never),
            (Decision.OFF_HOURS, self.policy.off_hours),
        ):
            for name in sorted(names):
                off_now = decision == Decision.NEVER or not self.working
                if name in CAPABILITIES:
                    self._capability(name, decision, off_now)
                elif name in LEVERS:
                    self._lever(name, decision, off_now)
        return self._findings

    def _capability(self, name: str, decision: Decision, off_now: bool) -> None:
        app, cap = self.app, capability(name)
        state = capability_state(app, name, self.sdk)
        if not cap.available_on(self.sdk):
            if state not in ("not_requested", "denied"):
                self._unavailable(name, state)
            return
        keys: list[tuple[LeverKey, LeverValue]] = []
        fixed: list[str] = []
        if app.legacy:
            requested = any(
                p in app.requested or p in app.permissions for p in cap.permissions_for(self.sdk)
            )
            for op in cap.app_ops_for(self.sdk) if requested else ():
                key = LeverKey(UID_OP, app.user, app.package, op.name)
                mode = app.op_mode(op.name)
                on = mode not in ("ignore", "deny") and not (
                    op.off_mode == "foreground" and mode == "foreground"
                )
                if on or key in self.held:
                    keys.append((key, op.off_mode))
        else:
            flags = (
                DONT_ASK_AGAIN
                if self.policy.dont_ask_again and self.snapshot.features.permission_flags
                else frozenset()
            )
            for permission in cap.permissions_for(self.sdk):
                grant = app.permissions.get(permission)
                if grant is None:
                    continue
                key = LeverKey(PERMISSION, app.user, app.package, permission)
                if grant.flags & FIXED_FLAGS:
                    if grant.granted:
                        why = "/".join(sorted(grant.flags & FIXED_FLAGS))
                        fixed.append(f"{permission.removeprefix('android.permission.')} ({why})")
                    continue
                if grant.granted or key in self.held:
                    keys.append((key, PermissionValue(False, flags)))
        self._judge(name, decision, off_now, state, keys, on=state in ("granted", "partial"))
        if fixed:
            self._find(
                name,
                Severity.CANNOT,
                state,
                "fixed by the system or a device policy: " + ", ".join(fixed),
                enforce="nothing: never touched",
            )

    def _lever(self, name: str, decision: Decision, off_now: bool) -> None:
        app, lever = self.app, LEVERS[name]
        holds = lever_holds(name, app, self.sdk)
        on = holds is not False
        state = {True: "on", False: "off", None: "unknown"}[holds]
        if not lever.available_on(self.sdk):
            if holds:
                self._unavailable(name, state)
            return
        context = OffContext(
            sdk=self.sdk,
            restricted_bucket=bool(self.snapshot.features.restricted_bucket),
            held=self.held,
            policy_names=frozenset(self.policy.never | self.policy.off_hours),
        )
        keys: list[tuple[LeverKey, LeverValue]] = []
        for target in lever.targets:
            kind = kind_of(target.kind)
            blocked = kind.cannot(app, context)
            if blocked:
                self._find(name, Severity.CANNOT, state, blocked, enforce="nothing")
                return
            keys += kind.off_keys(app, target, context)
        if not on:
            keys = [(key, value) for key, value in keys if key in self.held]
        self._judge(name, decision, off_now, state, keys, on=on)

    # Shared ---------------------------------------------------------------------------------

    def _judge(
        self,
        name: str,
        decision: Decision,
        off_now: bool,
        state: str,
        keys: list[tuple[LeverKey, LeverValue]],
        *,
        on: bool,
    ) -> None:
        if self.app.package in PROTECTED_PACKAGES or self.app.system:
            if on:
                why = (
                    "a protected app (the phone needs it to call, text, type or locate)"
                    if self.app.package in PROTECTED_PACKAGES
                    else "a system app (part of the phone's firmware): hardener never changes it"
                )
                self._find(name, Severity.CANNOT, state, why, enforce="nothing: protected")
            return
        held_now = [key for key, _ in keys if key in self.held]
        if off_now:
            when = "never" if decision == Decision.NEVER else "off outside work hours"
            reason = f"{self.policy.decided_by.get(name, '')}: {name} {when}"
            self.wants += [Want(key, value, reason) for key, value in keys]
            if on and keys:
                self._find(
                    name,
                    Severity.VIOLATION,
                    state,
                    self._should(decision),
                    enforce=_todo(keys),
                )
            elif held_now and decision == Decision.OFF_HOURS and self.upcoming is not None:
                self._find(
                    name,
                    Severity.NEXT_TRANSITION,
                    state,
                    "turned off by hardener outside work hours",
                    enforce=f"give it back at {_when(self.upcoming)}",
                )
        elif on and keys:
            self._find(
                name,
                Severity.OUTSIDE_HOURS,
                state,
                "allowed during work hours, off outside them",
                enforce=f"turn it off at {_when(self.upcoming)}"
                if self.upcoming
                else "turn it off outside work hours",
            )

    def _unavailable(self, name: str, state: str) -> None:
        release = self.snapshot.device.release
        self._find(
            name, Severity.CANNOT, state, f"{name} has no shell control on Android {release}"
        )

    def _should(self, decision: Decision) -> str:
        return (
            "must never be on" if decision == Decision.NEVER else "must be off outside work hours"
        )

    def _find(
        self,
        name: str,
        severity: Severity,
        state: str,
        message: str,
        *,
        enforce: str = "",
    ) -> None:
        self._findings.append(
            Finding(
                package=self.app.package,
                user=self.app.user,
                app_name=self.profile.catalog.name_of(self.app.package),
                category=self.category,
                name=name,
                severity=severity,
                state=state,
                message=message,
                enforce=enforce,
                rule=self.policy.decided_by.get(name, ""),
            )
        )


def _restores(profile: Profile, held: frozenset[LeverKey], wanted: set[LeverKey]) -> list[Finding]:
    """Baselines hardener holds that the profile no longer wants off: enforce gives them back."""
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for key in sorted(held - wanted):
        user = 0 if key.user == DEVICE_WIDE else key.user
        if (key.package, user) in seen:
            continue
        seen.add((key.package, user))
        out.append(
            Finding(
                package=key.package,
                user=user,
                app_name=profile.catalog.name_of(key.package),
                category=profile.category_of(key.package),
                name="restore",
                severity=Severity.PENDING_RESTORE,
                state="off",
                message="hardener turned Do Not Disturb on outside work hours; it goes back now"
                if key.kind == "zen_mode"
                else "hardener turned settings off that the profile allows now",
                enforce="give back exactly what you had",
            )
        )
    return out


def _todo(keys: list[tuple[LeverKey, LeverValue]]) -> str:
    """What enforce would do to these settings, briefly."""
    revoke = [k.name.removeprefix("android.permission.") for k, _ in keys if k.kind == PERMISSION]
    parts = [f"revoke {', '.join(revoke)}"] if revoke else []
    parts += [kind_of(key).todo(key, value) for key, value in keys if key.kind != PERMISSION]
    return "; ".join(parts)


def _when(transition: Transition) -> str:
    return transition.at.strftime("%a %Y-%m-%d %H:%M %Z")
