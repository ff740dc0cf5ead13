"""`dumpsys user`, `dumpsys usagestats`, `dumpsys accessibility`: the parts of them a
bugreport carries that hardener reads offline (`dumpsys notification` is
`notification_dump`).

No real capture of these three is in the fixtures except `dumpsys accessibility` (Android 10,
Samsung), so the layouts are derived from AOSP sources and only the lines hardener (or an
auditor) reads are printed, from the same model state the live commands answer from:

* user: `UserManagerService.dump` — `Users:`, then per user `  UserInfo{id:name:flags}
  serialNo=N`, `    Created: …`, `    Last logged in: …`;
* usagestats: `AppIdleHistory.dumpUser` (through `AppStandbyController.dumpUsers`) — per
  user `User N App Standby States:` and one `package=P u=N bucket=B reason=…` line per
  package; the bucket is the one `am get-standby-bucket` answers (allow-listed apps are
  EXEMPTED, 5, in the history too);
* accessibility: `AccessibilityManagerService.dump` / `AccessibilityUserState.dump` —
  `User state[attributes:{id=N, currentUser=…` and the enabled services, in the Android 14+
  one-line form (`Enabled services:{{pkg/.Cls}}`) or the older block form, components as
  `ComponentName.toShortString`;
"""

from __future__ import annotations

from collections.abc import Callable

from hardener.sim.android.commands.base import Ctx

ACCESSIBILITY_SETTING = "enabled_accessibility_services"
_REASONS = {5: "e-s", 10: "d-u", 20: "d-t", 30: "d-t", 40: "d-t", 45: "d-t", 50: "d-u"}


def short_component(component: str) -> str:
    """`ComponentName.toShortString` without braces: `pkg/.Cls` when the class is in pkg."""
    pkg, sep, cls = component.partition("/")
    if sep and cls.startswith(pkg + "."):
        return f"{pkg}/{cls[len(pkg) :]}"
    return component


def _components(value: str) -> list[str]:
    return [part for part in value.split(":") if part]


def user_dump(ctx: Ctx) -> str:
    lines = ["Users:\n"]
    for serial, user in enumerate(ctx.model.users):
        lines.append(f"  UserInfo{{{user.id}:{user.name}:{user.flags:x}}} serialNo={serial}\n")
        lines.append("    Created: <unknown>\n")
        lines.append("    Last logged in: +1h2m3s456ms ago\n")
    return "".join(lines)


def usagestats_dump(ctx: Ctx) -> str:
    model = ctx.model
    lines = ['Last 24 hour events (timeRange="…")\n', "\n"]
    for user in model.users:
        lines.append(f"\nUser {user.id} App Standby States:\n")
        for name in sorted(model.packages):
            pkg = model.packages[name]
            if not pkg.installed_for(user.id):
                continue
            bucket = model.effective_bucket(pkg, user.id)
            reason = _REASONS.get(bucket, "d-u")
            lines.append(
                f"  package={name} u={user.id} bucket={bucket} reason={reason} used=+1h "
                "usedByUser=+1h usedScr=+1h lastPred=+1d activeLeft=0 wsLeft=0 lastJob=+1h "
                "idle=n\n"
            )
    return "".join(lines)


def accessibility_dump(ctx: Ctx) -> str:
    model = ctx.model
    lines = ["ACCESSIBILITY MANAGER (dumpsys accessibility)\n", "\n"]
    for user in model.users:
        enabled = [
            short_component(c)
            for c in _components(model.secure_settings(user.id).get(ACCESSIBILITY_SETTING, ""))
        ]
        current = "true" if user.id == model.current_user else "false"
        lines.append(f"User state[attributes:{{id={user.id}, currentUser={current}\n")
        lines.append("  touchExplorationEnabled=false\n  displayMagnificationEnabled=false\n}\n")
        if model.sdk >= 34:
            lines.append("  Enabled services:{" + ", ".join(f"{{{c}}}" for c in enabled) + "}\n")
            lines.append("  Binding services:{}\n  Crashed services:{}\n")
        else:
            lines.append("  enabled services: {\n")
            lines += [f"    {n} : {c}\n" for n, c in enumerate(enabled)]
            lines.append("  }\n  binding services: {\n  }\n")
        lines.append("]\n\n")
    return "".join(lines)


SERVICES: dict[str, Callable[[Ctx], str]] = {
    "user": user_dump,
    "usagestats": usagestats_dump,
    "accessibility": accessibility_dump,
}
