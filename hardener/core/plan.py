"""Decide the actions: what the profile wants now + what the phone has + what the journal holds.

Pure: no device, no clock, no files. The rules it encodes:

* Harden a setting only when the phone does not already satisfy what the profile wants; the
  first time, journal the person's value as the baseline. A setting hardener already changed
  (confirmed in the journal) that is back on was re-granted by hand: harden it again and say so.
* Restore a journaled setting when the profile no longer wants it off (or always, for
  `hardener restore`): exactly its baseline, never more. A one-time grant is not brought back
  as a permanent one, and restore never takes away what the person granted since.
* Order matters on Android: permissions before app-ops before the allow-list before the
  standby bucket when hardening (an allow-listed app's bucket cannot move), and the reverse
  when restoring; force-stop last; `cmd appops write-settings` so changes survive a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from hardener.android import commands
from hardener.core.baselines import JournalEntry
from hardener.core.levers import (
    ACCESSIBILITY_SERVICE,
    IDLE_WHITELIST,
    NOTIFICATION_LISTENER,
    PACKAGE_OP,
    PERMISSION,
    STANDBY_BUCKET,
    SUSPENDED,
    UID_OP,
    LeverKey,
    LeverValue,
    NotReadable,
    PermissionValue,
    read_value,
    short_permission,
)
from hardener.core.records import Snapshot, bucket_name

HARDEN = "harden"
RESTORE = "restore"

# Flags the shell can set and clear (`pm set-permission-flags`); the rest belong to the system.
SETTABLE_FLAGS = frozenset(commands.SETTABLE_FLAGS)
ONE_TIME = "ONE_TIME"

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


def op_default(op: str) -> str:
    return OP_DEFAULT_MODES.get(op, "allow")


def op_effective(op: str, mode: LeverValue) -> str:
    return mode if isinstance(mode, str) else op_default(op)


@dataclass(frozen=True)
class Want:
    """The profile wants `key` to be `value` now (a harden target), because of `reason`."""

    key: LeverKey
    value: LeverValue
    reason: str


@dataclass(frozen=True)
class Action:
    """One setting to change, with the commands that change it and the words for people."""

    key: LeverKey
    intent: str  # HARDEN or RESTORE
    before: LeverValue
    target: LeverValue
    commands: tuple[str, ...]
    reason: str
    regrant: bool = False  # hardener had changed it, and someone turned it back on

    @property
    def words(self) -> str:
        return describe(self)


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    trailer: tuple[str, ...]  # force-stops and write-settings, after every action
    journal: Mapping[LeverKey, JournalEntry]  # save this before the first write
    settled: tuple[JournalEntry, ...] = ()  # baselines already back on the phone: dropped
    kept: tuple[tuple[JournalEntry, str], ...] = ()  # baselines held back, and why

    @property
    def empty(self) -> bool:
        return not self.actions

    def script(self) -> list[str]:
        """Every command of the write phase, in order."""
        return [command for action in self.actions for command in action.commands] + list(
            self.trailer
        )


def make_plan(
    snapshot: Snapshot,
    wants: Iterable[Want],
    entries: Mapping[LeverKey, JournalEntry],
    *,
    now: str,
    restore_everything: bool = False,
    force_stop: bool = True,
) -> Plan:
    """The actions that bring the phone to what is wanted now, and the journal to save first."""
    flags_ok = snapshot.features.permission_flags
    wanted = {want.key: want for want in wants}
    journal = dict(entries)
    hardens: list[Action] = []
    restores: list[Action] = []
    settled: list[JournalEntry] = []
    kept: list[tuple[JournalEntry, str]] = []

    for key, want in sorted(wanted.items()):
        try:
            current = read_value(snapshot, key)
        except NotReadable:
            continue
        if satisfies(HARDEN, key, current, want.value, flags_ok):
            continue
        entry = entries.get(key)
        journal[key] = JournalEntry(
            key=key,
            baseline=entry.baseline if entry else current,
            applied=want.value,
            confirmed=entry.confirmed if entry else False,
            since=entry.since if entry else now,
            reason=want.reason,
        )
        hardens.append(
            Action(
                key=key,
                intent=HARDEN,
                before=current,
                target=want.value,
                commands=tuple(_harden_commands(key, current, want.value, flags_ok)),
                reason=want.reason,
                regrant=bool(entry and entry.confirmed),
            )
        )

    for key, entry in sorted(entries.items()):
        if key in wanted and not restore_everything:
            continue  # the profile still wants it off now: keep the baseline for later
        try:
            current = read_value(snapshot, key)
        except NotReadable:
            kept.append((entry, "not on the phone now (app or user missing); kept"))
            continue
        target = restore_target(entry)
        vanished = key.kind == PERMISSION and current is None  # no longer requested
        if vanished or satisfies(RESTORE, key, current, target, flags_ok):
            settled.append(entry)
            del journal[key]
            continue
        restores.append(
            Action(
                key=key,
                intent=RESTORE,
                before=current,
                target=target,
                commands=tuple(_restore_commands(key, current, target, flags_ok)),
                reason=f"restore what you had before ({entry.reason})",
            )
        )

    ordered = sorted(restores, key=_restore_rank) + sorted(hardens, key=_harden_rank)
    ordered = _with_accessibility_lists(snapshot, ordered)
    stopped: list[tuple[int, str]] = []
    if force_stop:
        for action in ordered:
            pair = (action.key.user, action.key.package)
            if action.intent == HARDEN and action.key.user >= 0 and pair not in stopped:
                app = snapshot.app(action.key.package, action.key.user)
                if app is None or not app.stopped:  # already stopped: nothing runs to stop
                    stopped.append(pair)
    trailer = [commands.force_stop(user, package) for user, package in stopped]
    if any(action.key.kind in (UID_OP, PACKAGE_OP) for action in ordered):
        trailer.append(commands.appops_write_settings())
    return Plan(
        actions=tuple(ordered),
        trailer=tuple(trailer),
        journal=journal,
        settled=tuple(settled),
        kept=tuple(kept),
    )


def restore_target(entry: JournalEntry) -> LeverValue:
    """The value restore puts back: the baseline, except that a one-time grant stays revoked."""
    baseline = entry.baseline
    if isinstance(baseline, PermissionValue) and ONE_TIME in baseline.flags:
        return PermissionValue(False, baseline.flags)
    return baseline


def satisfies(
    intent: str, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
) -> bool:
    """Whether the phone's value already meets the target (for this intent)."""
    if key.kind == PERMISSION:
        if not isinstance(target, PermissionValue):
            return current is None
        if not isinstance(current, PermissionValue):
            return intent == HARDEN  # nothing granted to revoke; nothing left to restore
        if intent == HARDEN:
            return not current.granted and (
                not flags_ok or (target.flags & SETTABLE_FLAGS) <= current.flags
            )
        if target.granted and not current.granted:
            return False  # restore never takes away what the person granted since
        return not flags_ok or (current.flags & SETTABLE_FLAGS) == (target.flags & SETTABLE_FLAGS)
    if key.kind in (UID_OP, PACKAGE_OP):
        return op_effective(key.name, current) == op_effective(key.name, target)
    if key.kind == STANDBY_BUCKET:
        if intent == HARDEN and isinstance(current, int) and isinstance(target, int):
            return current != 5 and current >= target
        return current == target
    return current == target


def _harden_commands(
    key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
) -> list[str]:
    user, package, name = key.user, key.package, key.name
    if key.kind == PERMISSION:
        assert isinstance(target, PermissionValue)
        out = []
        if isinstance(current, PermissionValue) and current.granted:
            out.append(commands.revoke(user, package, name))
        have = current.flags if isinstance(current, PermissionValue) else frozenset()
        missing = (target.flags & SETTABLE_FLAGS) - have
        if flags_ok and missing:
            out.append(commands.set_flags(user, package, name, missing))
        return out
    return _set_commands(key, target)


def _restore_commands(
    key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
) -> list[str]:
    user, package, name = key.user, key.package, key.name
    if key.kind == PERMISSION:
        assert isinstance(target, PermissionValue) and isinstance(current, PermissionValue)
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
    if key.kind == STANDBY_BUCKET and target == 5:
        return []  # "exempted" comes back with the battery allow-list entry, restored after
    return _set_commands(key, target)


def _set_commands(key: LeverKey, target: LeverValue) -> list[str]:
    user, package, name = key.user, key.package, key.name
    if key.kind in (UID_OP, PACKAGE_OP):
        mode = op_effective(name, target)
        return [commands.appops_set(user, package, name, mode, uid=key.kind == UID_OP)]
    if key.kind == IDLE_WHITELIST:
        return [commands.whitelist_add(package) if target else commands.whitelist_remove(package)]
    if key.kind == STANDBY_BUCKET:
        if not isinstance(target, int):
            return []
        return [commands.set_bucket(user, package, target)]
    if key.kind == SUSPENDED:
        return [commands.suspend(user, package) if target else commands.unsuspend(user, package)]
    if key.kind == NOTIFICATION_LISTENER:
        return [
            commands.allow_listener(user, name)
            if target
            else commands.disallow_listener(user, name)
        ]
    if key.kind == ACCESSIBILITY_SERVICE:
        return []  # filled in by _with_accessibility_lists: the setting holds the whole list
    raise ValueError(f"cannot set {key.kind}")


def _with_accessibility_lists(snapshot: Snapshot, actions: list[Action]) -> list[Action]:
    """Give each accessibility change the full list to write, as it stands after the change.

    `enabled_accessibility_services` is one string per user; each write must carry every
    other service too, and successive writes in one phase must build on each other.
    """
    lists: dict[int, list[str]] = {}
    out = []
    for action in actions:
        if action.key.kind != ACCESSIBILITY_SERVICE:
            out.append(action)
            continue
        user = action.key.user
        if user not in lists:
            record = snapshot.user(user)
            lists[user] = list(record.accessibility_services) if record else []
        current = lists[user]
        if action.target and action.key.name not in current:
            current.append(action.key.name)
        elif not action.target and action.key.name in current:
            current.remove(action.key.name)
        command = commands.put_accessibility_services(user, list(current))
        out.append(_replace_commands(action, (command,)))
    return out


def _replace_commands(action: Action, new: tuple[str, ...]) -> Action:
    return replace(action, commands=new)


_HARDEN_ORDER = {
    PERMISSION: 10,
    UID_OP: 20,
    PACKAGE_OP: 30,
    SUSPENDED: 40,
    NOTIFICATION_LISTENER: 50,
    ACCESSIBILITY_SERVICE: 60,
    IDLE_WHITELIST: 70,  # leave the allow-list before the bucket can move
    STANDBY_BUCKET: 80,
}
_RESTORE_ORDER = {
    STANDBY_BUCKET: 10,  # put the bucket back while the app can still be moved
    IDLE_WHITELIST: 20,
    ACCESSIBILITY_SERVICE: 30,
    NOTIFICATION_LISTENER: 40,
    SUSPENDED: 50,
    PACKAGE_OP: 60,
    UID_OP: 70,
    PERMISSION: 80,
}


def _harden_rank(action: Action) -> tuple[int, int, str, str]:
    key = action.key
    return (_HARDEN_ORDER[key.kind], key.user, key.package, key.name)


def _restore_rank(action: Action) -> tuple[int, int, str, str]:
    key = action.key
    return (_RESTORE_ORDER[key.kind], key.user, key.package, key.name)


def describe(action: Action) -> str:
    """The action in words, for the plan table and the history."""
    key, target, before = action.key, action.target, action.before
    if key.kind == PERMISSION:
        name = short_permission(key.name)
        if action.intent == HARDEN:
            extra = ""
            if isinstance(target, PermissionValue) and {"USER_SET", "USER_FIXED"} <= target.flags:
                extra = " and stop the app asking again"
            return f"revoke {name}{extra}"
        if isinstance(target, PermissionValue) and target.granted:
            return f"grant {name} again, with its flags as they were"
        return f"put {name}'s flags back as they were (stays denied)"
    if key.kind in (UID_OP, PACKAGE_OP):
        scope = " for the whole uid" if key.kind == UID_OP else ""
        was = op_effective(key.name, before)
        return f"set app-op {key.name}{scope} to {op_effective(key.name, target)} (was {was})"
    if key.kind == IDLE_WHITELIST:
        if target:
            return "put it back on the battery-optimisation allow-list"
        return "take it off the battery-optimisation allow-list"
    if key.kind == STANDBY_BUCKET:
        new = bucket_name(target if isinstance(target, int) else None)
        old = bucket_name(before if isinstance(before, int) else None)
        return f"set standby bucket to {new} (was {old})"
    if key.kind == SUSPENDED:
        return "suspend the app" if target else "unsuspend the app"
    if key.kind == NOTIFICATION_LISTENER:
        verb = "allow" if target else "disallow"
        return f"{verb} its notification listener {key.name}"
    if key.kind == ACCESSIBILITY_SERVICE:
        verb = "re-enable" if target else "disable"
        return f"{verb} its accessibility service {key.name}"
    return f"set {key.kind} to {target!r}"
