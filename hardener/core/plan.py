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
    HARDEN,
    RESTORE,
    Intent,
    LeverKey,
    LeverValue,
    NotReadable,
    PermissionValue,
    kind_of,
    op_effective,
    read_value,
)
from hardener.core.levers.components import service_list_command
from hardener.core.levers.permission import ONE_TIME
from hardener.core.records import Snapshot

__all__ = ["HARDEN", "RESTORE", "Action", "Plan", "Want", "make_plan", "op_effective", "satisfies"]


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
    intent: Intent
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
                commands=tuple(kind_of(key).harden_commands(key, current, want.value, flags_ok)),
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
        vanished = kind_of(key).vanished(current)  # e.g. a permission no longer asked
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
                commands=tuple(kind_of(key).restore_commands(key, current, target, flags_ok)),
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
    if any(kind_of(action.key).writes_app_ops for action in ordered):
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
    intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
) -> bool:
    """Whether the phone's value already meets the target (for this intent)."""
    return kind_of(key).satisfies(intent, key, current, target, flags_ok)


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
        command = service_list_command(user, lists[user], action.key.name, bool(action.target))
        out.append(replace(action, commands=(command,)))
    return out


def _harden_rank(action: Action) -> tuple[int, int, str, str]:
    key = action.key
    return (kind_of(key).harden_rank, key.user, key.package, key.name)


def _restore_rank(action: Action) -> tuple[int, int, str, str]:
    key = action.key
    return (kind_of(key).restore_rank, key.user, key.package, key.name)


def describe(action: Action) -> str:
    """The action in words, for the plan table and the history."""
    return kind_of(action.key).words(action.intent, action.key, action.before, action.target)
