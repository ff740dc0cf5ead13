"""Runtime permissions: revoke (and, where the shell may, set flags such as "don't ask
again"); restore grants back exactly what the person had, flags included, and never takes
away what they granted since."""

from __future__ import annotations

import re
from typing import Any

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue, PermissionValue, short_permission
from hardener.core.levers import sh as job_sh
from hardener.core.levers.base import Intent, LeverKind
from hardener.core.records import AppState

# Flags the shell can set and clear (`pm set-permission-flags`); the rest belong to the system.
SETTABLE_FLAGS = frozenset(commands.SETTABLE_FLAGS)
ONE_TIME = "ONE_TIME"
PERMISSION = "permission"

# The armed job (see hardener.core.levers.sh) -------------------------------------------------

SH_FUNCTIONS = (
    'rd_perm() { v=none; u=0; dumpsys package "$P" >"$D/rd" 2>&1; '
    'while read -r l; do case "$l" in "User $U:"*) u=1;; "User "*) u=0;; '
    '"$N: granted="*) if [ "$u" = 1 ]; then v=$l; break; fi;; esac; done <"$D/rd"; }',
    'gr() { case "$1" in *"granted=true"*) return 0;; esac; return 1; }',
    'rg() { gr "$p" && ! hasf "$p" ONE_TIME && ! gr "$v"; }',
    'hc_perm() { n=0; [ "$v" = none ] && return 0; gr "$v" && n=1; '
    'for f in $T; do hasf "$v" "$f" || n=1; done; '
    "for f in SYSTEM_FIXED POLICY_FIXED; do "
    'if hasf "$v" $f; then n=0; log skip "$S" "$I" fixed; return 0; fi; done; }',
    'hx_perm() { if gr "$v"; then run pm revoke --user "$U" "$P" "$N"; fi; '
    'for f in $T; do hasf "$v" "$f" || run pm set-permission-flags --user "$U" "$P" "$N" '
    '"$(fw "$f")"; done; }',
    'gc_perm() { n=0; if [ "$v" = none ] || [ "$p" = none ]; then return 0; fi; '
    'for f in $FLAGS; do if hasf "$v" $f; then hasf "$p" $f || n=1; '
    'else hasf "$p" $f && n=1; fi; done; if rg; then n=1; fi; return 0; }',
    'gx_perm() { for f in $FLAGS; do if hasf "$v" $f && ! hasf "$p" $f; then '
    'run pm clear-permission-flags --user "$U" "$P" "$N" "$(fw $f)"; fi; done; '
    'if rg; then run pm grant --user "$U" "$P" "$N"; fi; '
    'for f in $FLAGS; do if hasf "$p" $f && ! hasf "$v" $f; then '
    'run pm set-permission-flags --user "$U" "$P" "$N" "$(fw $f)"; fi; done; }',
)

_SH_VALUE = re.compile(
    r"[A-Za-z0-9_.]+: granted=(true|false)(?:, flags=\[([A-Za-z0-9_| ]*)\])?(?:, [^\n]*)?"
)


def _sh_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    assert isinstance(target, PermissionValue)
    flags = " ".join(sorted(target.flags & SETTABLE_FLAGS)) if flags_ok else ""
    name = commands.permission(key.name)
    who, package = job_sh.user(key), job_sh.package(key)
    return f"K=perm; U={who}; P={package}; N={job_sh.q(name)}; T={job_sh.q(flags)}"


def _sh_encode(key: LeverKey, value: LeverValue) -> str:
    name = commands.permission(key.name)
    if not isinstance(value, PermissionValue):
        return job_sh.NONE
    granted = "true" if value.granted else "false"
    if not value.flags:
        return f"{name}: granted={granted}"
    return f"{name}: granted={granted}, flags=[ {'|'.join(sorted(value.flags))}]"


def _sh_decode(text: str) -> LeverValue:
    if text == job_sh.NONE:
        return None
    match = _SH_VALUE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a permission value: {text[:80]!r}")
    flags = frozenset(f for f in re.split(r"[|\s]+", match.group(2) or "") if f)
    return PermissionValue(match.group(1) == "true", flags)


class Permission(LeverKind):
    name = PERMISSION
    harden_rank = 10
    restore_rank = 80
    core = True
    sh = job_sh.ShForm(SH_FUNCTIONS, _sh_lever, _sh_encode, _sh_decode)

    @override
    def check_name(self, name: str) -> None:
        commands.permission(name)

    @override
    def takes(self, value: LeverValue) -> bool:
        return isinstance(value, PermissionValue) and all(
            flag.isupper() and flag.replace("_", "").isalnum() for flag in value.flags
        )

    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        permission = app.permissions.get(key.name)
        if permission is None:
            return None
        return PermissionValue(permission.granted, permission.flags)

    def value_from_json(self, data: Any) -> LeverValue:
        return None if data is None else PermissionValue.from_json(data)

    def vanished(self, current: LeverValue) -> bool:
        return current is None

    @override
    def satisfies(
        self, intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> bool:
        if not isinstance(target, PermissionValue):
            return current is None
        if not isinstance(current, PermissionValue):
            return intent == Intent.HARDEN  # nothing granted to revoke; nothing left to restore
        if intent == Intent.HARDEN:
            return not current.granted and (
                not flags_ok or (target.flags & SETTABLE_FLAGS) <= current.flags
            )
        if target.granted and not current.granted:
            return False  # restore never takes away what the person granted since
        return not flags_ok or (current.flags & SETTABLE_FLAGS) == (target.flags & SETTABLE_FLAGS)

    def harden_commands(
        self, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> list[str]:
        assert isinstance(target, PermissionValue)
        user, package, name = key.user, key.package, key.name
        out = []
        if isinstance(current, PermissionValue) and current.granted:
            out.append(commands.revoke(user, package, name))
        have = current.flags if isinstance(current, PermissionValue) else frozenset()
        missing = (target.flags & SETTABLE_FLAGS) - have
        if flags_ok and missing:
            out.append(commands.set_flags(user, package, name, missing))
        return out

    def restore_commands(
        self, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> list[str]:
        assert isinstance(target, PermissionValue) and isinstance(current, PermissionValue)
        user, package, name = key.user, key.package, key.name
        out = []
        extra = (current.flags - target.flags) & SETTABLE_FLAGS
        if flags_ok and extra:
            out.append(commands.clear_flags(user, package, name, extra))
        if target.granted and not current.granted:
            out.append(commands.grant(user, package, name))
        missing = (target.flags - current.flags) & SETTABLE_FLAGS
        if flags_ok and missing:
            out.append(commands.set_flags(user, package, name, missing))
        return out

    def subject(self, key: LeverKey) -> str:
        return f"permission {short_permission(key.name)}"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        name = short_permission(key.name)
        if intent == Intent.HARDEN:
            extra = ""
            if isinstance(target, PermissionValue) and {"USER_SET", "USER_FIXED"} <= target.flags:
                extra = " and stop the app asking again"
            return f"revoke {name}{extra}"
        if isinstance(target, PermissionValue) and target.granted:
            return f"grant {name} again, flags as they were"
        return f"put {name}'s flags back as they were (stays denied)"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return f"revoke {short_permission(key.name)}"
