"""The Android 13+ restricted-settings guard (app-op ACCESS_RESTRICTED_SETTINGS).

EnhancedConfirmationService keeps its state in this op: `deny` (MODE_ERRORED) = guarded,
`ignore` = guarded and acknowledged, `allow` = not guarded (the op's default). A guarded
app cannot walk the person into enabling an accessibility service, a notification listener
or another protected setting without the system's confirmation. Off hours hardener guards
the app; at the work start it writes back exactly the mode the person had.
Sources: GrapheneOS/platform_packages_modules_Permission EnhancedConfirmationService
(API 35), AppOpsManager (OP_ACCESS_RESTRICTED_SETTINGS, op 119);
../shared/research/android-15-17-and-access-history.md.
"""

from __future__ import annotations

from typing_extensions import override

from hardener.core.lever_key import LeverKey, LeverValue
from hardener.core.levers.app_op import SH_FORM, PackageOp, op_effective
from hardener.core.levers.base import Intent

RESTRICTED_SETTINGS = "restricted_settings"
OP = "ACCESS_RESTRICTED_SETTINGS"
GUARDED = frozenset({"deny", "ignore"})


class RestrictedSettings(PackageOp):
    name = RESTRICTED_SETTINGS
    harden_rank = 65  # after the hooks it guards are off
    restore_rank = 25  # lift the guard before the hooks come back
    # The armed job reads and writes it as any app-op, and like them follows a change with
    # `cmd appops write-settings` (`writes_app_ops`), so a reboot cannot lose it.
    sh = SH_FORM

    @override
    def satisfies(
        self, intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> bool:
        if intent == Intent.HARDEN:
            return op_effective(key.name, current) in GUARDED
        return op_effective(key.name, current) == op_effective(key.name, target)

    @override
    def subject(self, key: LeverKey) -> str:
        return "restricted-settings guard"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        if intent == Intent.HARDEN:
            return "guard its restricted settings (accessibility, listeners need confirming)"
        return f"set its restricted-settings guard back to {op_effective(key.name, target)}"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return "guard its restricted settings"
