"""How each lever kind checks and changes itself in plain `sh`, for the armed job. Pure.

Keyed by lever kind (`hardener.core.levers.KINDS`). Each kind gives the job a set of shell
functions, written once per job, that work on the current setting described by variables
`U` (user), `P` (package), `N` (permission, op or component), `T` (the harden target), and,
for app-ops, `Q` (the `Uid mode: ` prefix or nothing), `X` (`--uid` or nothing) and `F` (the
op's default mode):

    rd_<fn>   leave the current value in `$v`, as canonical text (below)
    hc_<fn>   set `n=1` when `$v` does not meet the target `$T`
    hx_<fn>   change the setting to `$T` (given `$v`)
    gc_<fn>   set `n=1` when `$v` is not the prior value `$p` the job gives back
    gx_<fn>   put `$p` back (given `$v`)

and a one-line lever definition (`lever(index, key, target)`) that sets those variables from
validated, quoted names. `encode` / `decode` turn a laptop value into the canonical text and
back, so the laptop's journaled baseline can be handed to the job and a value the job
logged read back into the journal.

Canonical texts (one line each):

    permission             "none" (not requested) or the dumpsys line
                           "<perm>: granted=true, flags=[ USER_SET|USER_FIXED]"
    uid_op, package_op     allow, ignore, deny, default, foreground; "unset"; "other"
    idle_whitelist         "1" / "0"
    standby_bucket         the bucket number, or "unknown"
    suspended, notification_listener, accessibility_service   "1" / "0"
    restricted_settings    as the app-ops
    zen_mode               the Do Not Disturb mode 0..3, or "unknown"

Nothing read on the phone is evaluated: values are compared with `case`/`[`, or passed as one
quoted argument. The lead will move these into the lever types; this is the one table.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from hardener.android import commands
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
    PermissionValue,
    op_default,
)
from hardener.core.levers.permission import SETTABLE_FLAGS
from hardener.core.levers.restricted_settings import RESTRICTED_SETTINGS
from hardener.core.levers.zen import ZEN_MODE
from hardener.core.records import BUCKET_NAMES

q = shlex.quote
NONE = "none"
UNSET = "unset"
OTHER = "other"
UNKNOWN = "unknown"
SETTABLE_BUCKETS = tuple(b for b in sorted(BUCKET_NAMES) if b not in (5, 50))
_BUCKETS = "|".join(str(b) for b in sorted(BUCKET_NAMES))


def prelude(flags_ok: bool) -> list[str]:
    """Helpers every job defines: flag test, flag and bucket words, permission regrant test."""
    words = " ".join(f"{flag}) echo {word};;" for flag, word in commands.SETTABLE_FLAGS.items())
    names = " ".join(f"{b}) echo {BUCKET_NAMES[b]};;" for b in SETTABLE_BUCKETS)
    flags = " ".join(sorted(commands.SETTABLE_FLAGS)) if flags_ok else ""
    return [
        f"FLAGS={q(flags)}",
        'hasf() { case "$1" in *"[ $2]"*|*"[ $2 ]"*|*"[ $2|"*|*"|$2|"*|*"|$2]"*|*"|$2 ]"*) '
        "return 0;; esac; return 1; }",
        f'fw() {{ case "$1" in {words} esac; }}',
        f'bn() {{ case "$1" in {names} esac; }}',
    ]


# Permissions ------------------------------------------------------------------------------

PERMISSION_FUNCTIONS = (
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

_PERM_VALUE = re.compile(
    r"[A-Za-z0-9_.]+: granted=(true|false)(?:, flags=\[([A-Za-z0-9_| ]*)\])?(?:, [^\n]*)?"
)


def _perm_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    assert isinstance(target, PermissionValue)
    flags = " ".join(sorted(target.flags & SETTABLE_FLAGS)) if flags_ok else ""
    name = commands.permission(key.name)
    return f"K=perm; U={_user(key)}; P={_package(key)}; N={q(name)}; T={q(flags)}"


def _perm_encode(key: LeverKey, value: LeverValue) -> str:
    name = commands.permission(key.name)
    if not isinstance(value, PermissionValue):
        return NONE
    granted = "true" if value.granted else "false"
    if not value.flags:
        return f"{name}: granted={granted}"
    return f"{name}: granted={granted}, flags=[ {'|'.join(sorted(value.flags))}]"


def _perm_decode(text: str) -> LeverValue:
    if text == NONE:
        return None
    match = _PERM_VALUE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a permission value: {text[:80]!r}")
    flags = frozenset(f for f in re.split(r"[|\s]+", match.group(2) or "") if f)
    return PermissionValue(match.group(1) == "true", flags)


# App-ops ----------------------------------------------------------------------------------

_MODE_CASES = " ".join(f'"$Q$N: {mode}"*) v={mode};;' for mode in commands.MODES)
OP_FUNCTIONS = (
    f'rd_op() {{ v={UNSET}; cmd appops get --user "$U" "$P" "$N" >"$D/rd" 2>&1; '
    f'while read -r l; do case "$l" in {_MODE_CASES} "$Q$N: "*) v={OTHER};; esac; '
    'done <"$D/rd"; }',
    f'ef() {{ e=$1; if [ "$1" = {UNSET} ]; then e=$F; fi; }}',
    f'hc_op() {{ ef "$v"; n=1; if [ "$e" = "$T" ] || [ "$v" = {OTHER} ]; then n=0; fi; }}',
    'hx_op() { run cmd appops set --user "$U" $X "$P" "$N" "$T"; }',
    f'gc_op() {{ ef "$p"; b=$e; ef "$v"; n=0; '
    f'if [ "$b" != "$e" ] && [ "$p" != {OTHER} ]; then n=1; fi; }}',
    'gx_op() { run cmd appops set --user "$U" $X "$P" "$N" "$b"; }',
)


def _op_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    if not isinstance(target, str) or target not in commands.MODES:
        raise commands.UnsafeName(f"not an app-op mode: {target!r}")
    op = commands.op(key.name)
    uid = key.kind == UID_OP
    prefix = q("Uid mode: ") if uid else "''"
    return (
        f"K=op; U={_user(key)}; P={_package(key)}; N={op}; T={target}; "
        f"Q={prefix}; X={'--uid' if uid else ''}; F={op_default(op)}"
    )


def _op_encode(key: LeverKey, value: LeverValue) -> str:
    return value if isinstance(value, str) and value in commands.MODES else UNSET


def _op_decode(text: str) -> LeverValue:
    if text == UNSET:
        return None
    if text in commands.MODES:
        return text
    raise ValueError(f"not an app-op mode: {text[:80]!r}")


# Yes/no settings: allow-list, suspended, listeners, accessibility -------------------------

_BOOL_CHECKS = (
    'hc_bool() { n=1; if [ "$v" = "$T" ]; then n=0; fi; }',
    'gc_bool() { n=0; if [ "$p" != "$v" ]; then n=1; fi; }',
)
IDLE_FUNCTIONS = (
    'rd_idle() { v=0; cmd deviceidle whitelist >"$D/rd" 2>&1; while read -r l; do '
    'case "$l" in "user,$P,"*|"system,$P,"*) v=1;; esac; done <"$D/rd"; }',
    'sx_idle() { if [ "$1" = 1 ]; then run cmd deviceidle whitelist "+$P"; '
    'else run cmd deviceidle whitelist "-$P"; fi; }',
)
SUSPENDED_FUNCTIONS = (
    'rd_susp() { v=0; dumpsys package "$P" >"$D/rd" 2>&1; while read -r l; do '
    'case "$l" in "User $U:"*) case "$l" in *" suspended=true"*) v=1;; esac; break;; esac; '
    'done <"$D/rd"; }',
    'sx_susp() { if [ "$1" = 1 ]; then run pm suspend --user "$U" "$P"; '
    'else run pm unsuspend --user "$U" "$P"; fi; }',
)
LISTENER_FUNCTIONS = (
    'rd_lis() { s=$(settings --user "$U" get secure enabled_notification_listeners 2>&1); '
    'case ":$s:" in *":$N:"*) v=1;; *) v=0;; esac; }',
    'sx_lis() { if [ "$1" = 1 ]; then run cmd notification allow_listener "$N" "$U"; '
    'else run cmd notification disallow_listener "$N" "$U"; fi; }',
)
ACCESSIBILITY_FUNCTIONS = (
    'rd_acc() { s=$(settings --user "$U" get secure enabled_accessibility_services 2>&1); '
    'case ":$s:" in *":$N:"*) v=1;; *) v=0;; esac; }',
    # the setting holds every enabled service: write the list without (or with) this one
    "sx_acc() { m=; o=$IFS; IFS=:; set -f; for x in $s; do "
    'if [ "$x" != "$N" ] && [ "$x" != null ]; then '
    'if [ -z "$m" ]; then m=$x; else m="$m:$x"; fi; fi; done; set +f; IFS=$o; '
    'if [ "$1" = 1 ]; then if [ -z "$m" ]; then m=$N; else m="$m:$N"; fi; fi; '
    'run settings --user "$U" put secure enabled_accessibility_services "$m"; }',
)


def _bool_functions(short: str) -> tuple[str, ...]:
    return (
        f"hc_{short}() {{ hc_bool; }}",
        f'hx_{short}() {{ sx_{short} "$T"; }}',
        f"gc_{short}() {{ gc_bool; }}",
        f'gx_{short}() {{ sx_{short} "$p"; }}',
    )


def _bool_lever(short: str, with_name: bool) -> Callable[[LeverKey, LeverValue, bool], str]:
    def lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
        user = _user(key) if key.user >= 0 else "0"
        name = f"; N={q(commands.component(key.name))}" if with_name else ""
        return f"K={short}; U={user}; P={_package(key)}{name}; T={1 if target else 0}"

    return lever


def _bool_encode(key: LeverKey, value: LeverValue) -> str:
    return "1" if value else "0"


def _bool_decode(text: str) -> LeverValue:
    if text not in ("0", "1"):
        raise ValueError(f"not 0 or 1: {text[:80]!r}")
    return text == "1"


# Standby bucket ---------------------------------------------------------------------------

BUCKET_FUNCTIONS = (
    'rd_bkt() { v=$(am get-standby-bucket --user "$U" "$P" 2>&1); '
    f'case "$v" in {_BUCKETS}) ;; *) v={UNKNOWN};; esac; }}',
    f'hc_bkt() {{ n=1; case "$v" in {UNKNOWN}|5) n=0;; esac; '
    'if [ "$n" = 1 ] && [ "$v" -ge "$T" ]; then n=0; fi; }',
    'hx_bkt() { run am set-standby-bucket --user "$U" "$P" "$(bn "$T")"; }',
    'gc_bkt() { n=0; if [ "$p" != "$v" ]; then case "$p" in '
    + "|".join(str(b) for b in SETTABLE_BUCKETS)
    + ") n=1;; esac; fi; }",
    'gx_bkt() { run am set-standby-bucket --user "$U" "$P" "$(bn "$p")"; }',
)


def _bucket_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    if not isinstance(target, int) or target not in SETTABLE_BUCKETS:
        raise commands.UnsafeName(f"the shell cannot set standby bucket {target!r}")
    return f"K=bkt; U={_user(key)}; P={_package(key)}; T={target}"


def _bucket_encode(key: LeverKey, value: LeverValue) -> str:
    return str(value) if isinstance(value, int) and value in BUCKET_NAMES else UNKNOWN


def _bucket_decode(text: str) -> LeverValue:
    if text == UNKNOWN:
        return None
    if text.isdigit() and int(text) in BUCKET_NAMES:
        return int(text)
    raise ValueError(f"not a standby bucket: {text[:80]!r}")


# Do Not Disturb (phone-wide) --------------------------------------------------------------

# The person's own choices win, as in the laptop's plan (hardener.core.levers.zen): off hours
# the job turns priority mode on only when Do Not Disturb is off; in the morning it gives the
# prior mode back only while the phone still shows the mode the job set.
ZEN_FUNCTIONS = (
    "rd_zen() { v=$(settings get global zen_mode 2>/dev/null); "
    'case "$v" in 0|1|2|3) ;; *) v=unknown;; esac; }',
    'zw() { case "$1" in '
    + " ".join(f"{mode}) echo {word};;" for mode, word in commands.SET_DND_WORDS.items())
    + " esac; }",
    'hc_zen() { n=0; if [ "$v" = 0 ]; then n=1; fi; }',
    'hx_zen() { run cmd notification set_dnd "$(zw "$T")"; }',
    'gc_zen() { n=0; if [ "$v" = "$T" ] && [ "$p" != "$v" ] && [ "$p" != unknown ]; '
    "then n=1; fi; }",
    'gx_zen() { run cmd notification set_dnd "$(zw "$p")"; }',
)


def _zen_lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    if type(target) is not int or target not in commands.SET_DND_WORDS:
        raise commands.UnsafeName(f"not a Do Not Disturb mode: {target!r}")
    return f"K=zen; T={target}"


def _zen_encode(key: LeverKey, value: LeverValue) -> str:
    return str(value) if type(value) is int and value in commands.SET_DND_WORDS else UNKNOWN


def _zen_decode(text: str) -> LeverValue:
    if text == UNKNOWN:
        return None
    if text in {str(mode) for mode in commands.SET_DND_WORDS}:
        return int(text)
    raise ValueError(f"not a Do Not Disturb mode: {text[:80]!r}")


# The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShLever:
    functions: tuple[str, ...]  # shell functions the kind needs, defined once per job
    lever: Callable[[LeverKey, LeverValue, bool], str]  # variables for one setting
    encode: Callable[[LeverKey, LeverValue], str]
    decode: Callable[[str], LeverValue]


SH_LEVERS: dict[str, ShLever] = {
    PERMISSION: ShLever(PERMISSION_FUNCTIONS, _perm_lever, _perm_encode, _perm_decode),
    UID_OP: ShLever(OP_FUNCTIONS, _op_lever, _op_encode, _op_decode),
    PACKAGE_OP: ShLever(OP_FUNCTIONS, _op_lever, _op_encode, _op_decode),
    RESTRICTED_SETTINGS: ShLever(OP_FUNCTIONS, _op_lever, _op_encode, _op_decode),
    ZEN_MODE: ShLever(ZEN_FUNCTIONS, _zen_lever, _zen_encode, _zen_decode),
    IDLE_WHITELIST: ShLever(
        (*_BOOL_CHECKS, *IDLE_FUNCTIONS, *_bool_functions("idle")),
        _bool_lever("idle", False),
        _bool_encode,
        _bool_decode,
    ),
    STANDBY_BUCKET: ShLever(BUCKET_FUNCTIONS, _bucket_lever, _bucket_encode, _bucket_decode),
    SUSPENDED: ShLever(
        (*_BOOL_CHECKS, *SUSPENDED_FUNCTIONS, *_bool_functions("susp")),
        _bool_lever("susp", False),
        _bool_encode,
        _bool_decode,
    ),
    NOTIFICATION_LISTENER: ShLever(
        (*_BOOL_CHECKS, *LISTENER_FUNCTIONS, *_bool_functions("lis")),
        _bool_lever("lis", True),
        _bool_encode,
        _bool_decode,
    ),
    ACCESSIBILITY_SERVICE: ShLever(
        (*_BOOL_CHECKS, *ACCESSIBILITY_FUNCTIONS, *_bool_functions("acc")),
        _bool_lever("acc", True),
        _bool_encode,
        _bool_decode,
    ),
}


def functions(kinds: set[str]) -> list[str]:
    """The shell functions for these lever kinds, each once, in a stable order."""
    out: list[str] = []
    for kind in sorted(kinds):
        for line in SH_LEVERS[kind].functions:
            if line not in out:
                out.append(line)
    return out


def lever(index: int, key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    """`L<index>() { K=...; U=...; ... }`: the setting's validated, quoted names."""
    return f"L{int(index)}() {{ {SH_LEVERS[key.kind].lever(key, target, flags_ok)}; }}"


def encode(key: LeverKey, value: LeverValue) -> str:
    """The canonical text of a laptop value, as the job's `rd_` would leave it in `$v`."""
    return SH_LEVERS[key.kind].encode(key, value)


def decode(key: LeverKey, text: str) -> LeverValue:
    """A value the job logged; raises ValueError on anything that is not canonical text."""
    return SH_LEVERS[key.kind].decode(text)


def _user(key: LeverKey) -> str:
    if isinstance(key.user, bool) or not isinstance(key.user, int) or key.user < 0:
        raise commands.UnsafeName(f"not a valid user id: {key.user!r}")
    return str(key.user)


def _package(key: LeverKey) -> str:
    return q(commands.package(key.package))
