"""App-op modes, per uid or per package (`cmd appops set [--uid]`). Restore writes the mode
the person had; "no mode set" means the op's default, which Android then prunes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue
from hardener.core.levers import sh as job_sh
from hardener.core.levers.base import Intent, LeverKind
from hardener.core.records import AppState

# What an app-op reads as when no mode is set (AppOpsManager defaults). Restoring "not set"
# means writing the default mode, which Android prunes; writing the literal `default` to
# RUN_ANY_IN_BACKGROUND would *restrict* the app (android-levers.md §2.5).
OP_DEFAULT_MODES: Mapping[str, str] = {
    "SYSTEM_ALERT_WINDOW": "default",
    "SCHEDULE_EXACT_ALARM": "default",
    "USE_FULL_SCREEN_INTENT": "default",
    "GET_USAGE_STATS": "default",
    "REQUEST_INSTALL_PACKAGES": "default",
    "AUTO_REVOKE_PERMISSIONS_IF_UNUSED": "default",
}
UID_OP = "uid_op"
PACKAGE_OP = "package_op"


def op_default(op: str) -> str:
    return OP_DEFAULT_MODES.get(op, "allow")


def op_effective(op: str, mode: LeverValue) -> str:
    return mode if isinstance(mode, str) else op_default(op)


# The armed job (see hardener.core.levers.sh) -------------------------------------------------

_MODE_CASES = " ".join(f'"$Q$N: {mode}"*) v={mode};;' for mode in commands.MODES)
SH_FUNCTIONS = (
    f'rd_op() {{ v={job_sh.UNSET}; cmd appops get --user "$U" "$P" "$N" >"$D/rd" 2>&1; '
    f'while read -r l; do case "$l" in {_MODE_CASES} "$Q$N: "*) v={job_sh.OTHER};; esac; '
    'done <"$D/rd"; }',
    f'ef() {{ e=$1; if [ "$1" = {job_sh.UNSET} ]; then e=$F; fi; }}',
    f'hc_op() {{ ef "$v"; n=1; if [ "$e" = "$T" ] || [ "$v" = {job_sh.OTHER} ]; then n=0; fi; }}',
    'hx_op() { run cmd appops set --user "$U" $X "$P" "$N" "$T"; }',
    f'gc_op() {{ ef "$p"; b=$e; ef "$v"; n=0; '
    f'if [ "$b" != "$e" ] && [ "$p" != {job_sh.OTHER} ]; then n=1; fi; }}',
    'gx_op() { run cmd appops set --user "$U" $X "$P" "$N" "$b"; }',
)


def _sh_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:  # noqa: ARG001
    if not isinstance(target, str) or target not in commands.MODES:
        raise commands.UnsafeName(f"not an app-op mode: {target!r}")
    op = commands.op(key.name)
    uid = key.kind == UID_OP
    prefix = job_sh.q("Uid mode: ") if uid else "''"
    return (
        f"K=op; U={job_sh.user(key)}; P={job_sh.package(key)}; N={op}; T={target}; "
        f"Q={prefix}; X={'--uid' if uid else ''}; F={op_default(op)}"
    )


def _sh_encode(key: LeverKey, value: LeverValue) -> str:  # noqa: ARG001 (the form's signature)
    return value if isinstance(value, str) and value in commands.MODES else job_sh.UNSET


def _sh_decode(text: str) -> LeverValue:
    if text == job_sh.UNSET:
        return None
    if text in commands.MODES:
        return text
    raise ValueError(f"not an app-op mode: {text[:80]!r}")


# A change is in AppOpsService's memory until it writes its file: make it durable.
SH_FORM = job_sh.ShForm(
    SH_FUNCTIONS, _sh_lever, _sh_encode, _sh_decode, after=(commands.appops_write_settings(),)
)


class _AppOp(LeverKind):
    writes_app_ops = True
    core = True
    uid: ClassVar[bool]
    sh = SH_FORM

    @override
    def check_name(self, name: str) -> None:
        commands.op(name)

    @override
    def takes(self, value: LeverValue) -> bool:
        return isinstance(value, str) and value in commands.MODES

    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        return (app.uid_ops if self.uid else app.package_ops).get(key.name)

    @override
    def satisfies(
        self, intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> bool:
        return op_effective(key.name, current) == op_effective(key.name, target)

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        mode = op_effective(key.name, target)
        return [commands.appops_set(key.user, key.package, key.name, mode, uid=self.uid)]

    def subject(self, key: LeverKey) -> str:
        return f"app-op {key.name}" + (" (uid)" if self.uid else "")

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        scope = " for the whole uid" if self.uid else ""
        was = op_effective(key.name, before)
        return f"set app-op {key.name}{scope} to {op_effective(key.name, target)} (was {was})"

    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return f"set {key.name} {value}"


class UidOp(_AppOp):
    name = UID_OP
    harden_rank = 20
    restore_rank = 70
    uid = True


class PackageOp(_AppOp):
    name = PACKAGE_OP
    harden_rank = 30
    restore_rank = 60
    uid = False
