"""Settings that belong to the app as a whole: its place on the battery-optimisation
allow-list (one list for the whole phone), its App Standby bucket, and whether it is
suspended."""

from __future__ import annotations

from typing_extensions import override

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue, NotReadable
from hardener.core.levers import sh as job_sh
from hardener.core.levers.base import Intent, LeverKind, OffContext, OffTarget
from hardener.core.records import BUCKET_NAMES, BUCKET_NUMBERS, AppState, Snapshot, bucket_name

IDLE_WHITELIST = "idle_whitelist"
STANDBY_BUCKET = "standby_bucket"
SUSPENDED = "suspended"
EXEMPTED_BUCKET = 5

# The armed job (see hardener.core.levers.sh) -------------------------------------------------

IDLE_SH = job_sh.bool_form(
    "idle",
    (
        'rd_idle() { v=0; cmd deviceidle whitelist >"$D/rd" 2>&1; while read -r l; do '
        'case "$l" in "user,$P,"*|"system,$P,"*) v=1;; esac; done <"$D/rd"; }',
        'sx_idle() { if [ "$1" = 1 ]; then run cmd deviceidle whitelist "+$P"; '
        'else run cmd deviceidle whitelist "-$P"; fi; }',
    ),
    with_name=False,
)
SUSPENDED_SH = job_sh.bool_form(
    "susp",
    (
        'rd_susp() { v=0; dumpsys package "$P" >"$D/rd" 2>&1; while read -r l; do '
        'case "$l" in "User $U:"*) case "$l" in *" suspended=true"*) v=1;; esac; break;; esac; '
        'done <"$D/rd"; }',
        'sx_susp() { if [ "$1" = 1 ]; then run pm suspend --user "$U" "$P"; '
        'else run pm unsuspend --user "$U" "$P"; fi; }',
    ),
    with_name=False,
)

_BUCKETS = "|".join(str(b) for b in sorted(BUCKET_NAMES))
_UNKNOWN = job_sh.UNKNOWN
BUCKET_SH_FUNCTIONS = (
    'rd_bkt() { v=$(am get-standby-bucket --user "$U" "$P" 2>&1); '
    f'case "$v" in {_BUCKETS}) ;; *) v={_UNKNOWN};; esac; }}',
    f'hc_bkt() {{ n=1; case "$v" in {_UNKNOWN}|5) n=0;; esac; '
    'if [ "$n" = 1 ] && [ "$v" -ge "$T" ]; then n=0; fi; }',
    'hx_bkt() { run am set-standby-bucket --user "$U" "$P" "$(bn "$T")"; }',
    'gc_bkt() { n=0; if [ "$p" != "$v" ]; then case "$p" in '
    + "|".join(str(b) for b in job_sh.SETTABLE_BUCKETS)
    + ") n=1;; esac; fi; }",
    'gx_bkt() { run am set-standby-bucket --user "$U" "$P" "$(bn "$p")"; }',
)


def _bucket_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:  # noqa: ARG001
    if not isinstance(target, int) or target not in job_sh.SETTABLE_BUCKETS:
        raise commands.UnsafeName(f"the shell cannot set standby bucket {target!r}")
    return f"K=bkt; U={job_sh.user(key)}; P={job_sh.package(key)}; T={target}"


def _bucket_encode(key: LeverKey, value: LeverValue) -> str:  # noqa: ARG001 (the signature)
    return str(value) if isinstance(value, int) and value in BUCKET_NAMES else _UNKNOWN


def _bucket_decode(text: str) -> LeverValue:
    if text == _UNKNOWN:
        return None
    if text.isdigit() and int(text) in BUCKET_NAMES:
        return int(text)
    raise ValueError(f"not a standby bucket: {text[:80]!r}")


class IdleWhitelist(LeverKind):
    name = IDLE_WHITELIST
    harden_rank = 70  # leave the allow-list before the bucket can move
    restore_rank = 20
    device_wide = True
    sh = IDLE_SH

    def read(self, snapshot: Snapshot, key: LeverKey) -> LeverValue:
        apps = [app for app in snapshot.apps if app.package == key.package]
        if not apps:
            raise NotReadable(key.describe())
        return apps[0].battery_exempt

    @override
    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        return app.battery_exempt

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        if target:
            return [commands.whitelist_add(key.package)]
        return [commands.whitelist_remove(key.package)]

    @override
    def subject(self, key: LeverKey) -> str:
        return "battery-optimisation exemption"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        if target:
            return "put it back on the battery-optimisation allow-list"
        return "take it off the battery-optimisation allow-list"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return "take it off the battery allow-list"


def standby_off_bucket(sdk: int, restricted_enabled: bool | None = None) -> str:
    """The bucket that means "off": restricted where enabled (SDK 31+), else rare."""
    enabled = sdk >= 31 if restricted_enabled is None else restricted_enabled
    return "restricted" if enabled else "rare"


class StandbyBucket(LeverKind):
    name = STANDBY_BUCKET
    harden_rank = 80
    restore_rank = 10  # put the bucket back while the app can still be moved
    sh = job_sh.ShForm(BUCKET_SH_FUNCTIONS, _bucket_lever, _bucket_encode, _bucket_decode)

    @override
    def takes(self, value: LeverValue) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100

    @override
    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        return app.standby_bucket

    @override
    def satisfies(
        self, intent: Intent, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> bool:
        if intent == Intent.HARDEN and isinstance(current, int) and isinstance(target, int):
            return current != EXEMPTED_BUCKET and current >= target
        return current == target

    @override
    def off_keys(
        self, app: AppState, target: OffTarget, context: OffContext
    ) -> list[tuple[LeverKey, LeverValue]]:
        bucket = BUCKET_NUMBERS[standby_off_bucket(context.sdk, context.restricted_bucket)]
        return [(LeverKey(self.name, app.user, app.package), bucket)]

    def cannot(self, app: AppState, context: OffContext) -> str | None:
        if app.battery_exempt and "battery_exemption" not in context.policy_names:
            return (
                "on the battery-optimisation allow-list, so its bucket cannot change; "
                "add battery_exemption to the rule"
            )
        return None

    @override
    def harden_commands(
        self, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> list[str]:
        return self.set_commands(key, target)

    @override
    def restore_commands(
        self, key: LeverKey, current: LeverValue, target: LeverValue, flags_ok: bool
    ) -> list[str]:
        if target == EXEMPTED_BUCKET:
            return []  # "exempted" comes back with the battery allow-list entry, restored after
        return self.set_commands(key, target)

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        if not isinstance(target, int) or isinstance(target, bool):
            return []
        return [commands.set_bucket(key.user, key.package, target)]

    @override
    def subject(self, key: LeverKey) -> str:
        return "standby bucket"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        new = bucket_name(target if isinstance(target, int) else None)
        old = bucket_name(before if isinstance(before, int) else None)
        return f"set standby bucket to {new} (was {old})"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        name = bucket_name(value) if isinstance(value, int) else None
        return f"standby bucket {name or value}"


class Suspended(LeverKind):
    name = SUSPENDED
    harden_rank = 40
    restore_rank = 50
    sh = SUSPENDED_SH

    @override
    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        return app.suspended

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        if target:
            return [commands.suspend(key.user, key.package)]
        return [commands.unsuspend(key.user, key.package)]

    @override
    def subject(self, key: LeverKey) -> str:
        return "suspended"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        return "suspend the app" if target else "unsuspend the app"

    @override
    def todo(self, key: LeverKey, value: LeverValue) -> str:
        return "suspend it"
