"""App-op modes, per uid or per package (`cmd appops set [--uid]`). Restore writes the mode
the person had; "no mode set" means the op's default, which Android then prunes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue
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


class _AppOp(LeverKind):
    writes_app_ops = True
    core = True
    uid: ClassVar[bool]

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
