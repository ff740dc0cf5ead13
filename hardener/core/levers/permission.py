"""Runtime permissions: revoke (and, where the shell may, set flags such as "don't ask
again"); restore grants back exactly what the person had, flags included, and never takes
away what they granted since."""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue, PermissionValue, short_permission
from hardener.core.levers.base import Intent, LeverKind
from hardener.core.records import AppState

# Flags the shell can set and clear (`pm set-permission-flags`); the rest belong to the system.
SETTABLE_FLAGS = frozenset(commands.SETTABLE_FLAGS)
ONE_TIME = "ONE_TIME"
PERMISSION = "permission"


class Permission(LeverKind):
    name = PERMISSION
    harden_rank = 10
    restore_rank = 80
    core = True

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
            return f"grant {name} again, with its flags as they were"
        return f"put {name}'s flags back as they were (stays denied)"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return f"revoke {short_permission(key.name)}"
