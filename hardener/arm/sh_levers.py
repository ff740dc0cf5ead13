"""How each lever kind checks and changes itself in plain `sh`, for the armed job.

Pure text generation, keyed by lever kind (`hardener.levers.KINDS`). For each kind:

* `read(key)`: lines that leave the setting's current value in `$v`, as *canonical text*;
* `encode(value)` / `decode(text)`: the same canonical text from and to a laptop value, so a
  baseline the laptop journaled can be handed to the job, and a value the job logged can be
  read back into the journal;
* `harden(key, target, flags_ok)`: lines that, given `$v`, decide whether the setting meets
  the target (`n=1` when it does not) and, in `change`, the commands that bring it there;
* `restore(key, flags_ok)`: the same for giving back the prior value held in `$p`.

Canonical texts (one line, never containing a newline):

    permission             "none" (not requested) or the dumpsys line
                           "<perm>: granted=true, flags=[ USER_SET|USER_FIXED ]"
    uid_op, package_op     a mode (allow, ignore, deny, default, foreground), "unset", "other"
    idle_whitelist         "1" / "0"
    standby_bucket         the bucket number, or "unknown"
    suspended, notification_listener, accessibility_service   "1" / "0"

Every name in the output went through the validators of `hardener.commands` and is quoted
with `shlex.quote`; commands are built by `hardener.commands`. Nothing read on the phone is
ever evaluated: it is only compared (`case`) or passed as one quoted argument.

The lead will move these into the lever types; until then this table is the one place.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from hardener import commands
from hardener.levers import (
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
)
from hardener.plan import ONE_TIME, SETTABLE_FLAGS, op_default
from hardener.records import BUCKET_NAMES

q = shlex.quote
FIXED = ("SYSTEM_FIXED", "POLICY_FIXED")
NONE = "none"
UNSET = "unset"
OTHER = "other"
UNKNOWN = "unknown"
SETTABLE_BUCKETS = tuple(b for b in sorted(BUCKET_NAMES) if b not in (5, 50))

# Shell functions every job defines once (see jobscript): `hasf VALUE FLAG` tests a flag in a
# canonical permission text; `rd` runs a read command into $D/rd.
PRELUDE = (
    'hasf() { case "$1" in *"[ $2]"*|*"[ $2 ]"*|*"[ $2|"*|*"|$2|"*|*"|$2]"*|*"|$2 ]"*) '
    "return 0;; esac; return 1; }",
)


@dataclass(frozen=True)
class Steps:
    """Lines that set `n` (1: act) from `$v` (and `$p`), and the lines that act."""

    check: tuple[str, ...]
    change: tuple[str, ...]


@dataclass(frozen=True)
class ShLever:
    read: Callable[[LeverKey], list[str]]
    encode: Callable[[LeverKey, LeverValue], str]
    decode: Callable[[str], LeverValue]
    harden: Callable[[LeverKey, LeverValue, bool], Steps]
    restore: Callable[[LeverKey, bool], Steps]


def _user(key: LeverKey) -> str:
    if isinstance(key.user, bool) or not isinstance(key.user, int) or key.user < 0:
        raise commands.UnsafeName(f"not a valid user id: {key.user!r}")
    return str(key.user)


def _read_file(cmd: str, cases: list[str], default: str) -> list[str]:
    """Run a read command into $D/rd and match its lines; `cases` are `case` arms on $l."""
    return [
        f"v={default}",
        f'{cmd} >"$D/rd" 2>&1',
        'while read -r l; do case "$l" in',
        *cases,
        'esac; done <"$D/rd"',
    ]


# Permissions ------------------------------------------------------------------------------

_PERM_VALUE = re.compile(
    r"[A-Za-z0-9_.]+: granted=(true|false)(?:, flags=\[([A-Za-z0-9_| ]*)\])?(?:, [^\n]*)?"
)


def _perm_read(key: LeverKey) -> list[str]:
    user = _user(key)
    name = commands.permission(key.name)
    commands.package(key.package)
    return [
        "v=none; u=0",
        f'{commands.dumpsys_package(key.package)} >"$D/rd" 2>&1',
        'while read -r l; do case "$l" in',
        f"  {q('User ' + user + ':')}*) u=1;;",
        '  "User "*) u=0;;',
        f'  {q(name + ": granted=")}*) if [ "$u" = 1 ]; then v=$l; break; fi;;',
        'esac; done <"$D/rd"',
    ]


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


def _granted(var: str) -> str:
    return f'case "${var}" in *"granted=true"*) true;; *) false;; esac'


def _perm_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    assert isinstance(target, PermissionValue)
    user, pkg, perm = key.user, key.package, key.name
    want_flags = sorted(target.flags & SETTABLE_FLAGS) if flags_ok else []
    check = [
        "n=0",
        'case "$v" in *"granted=true"*) n=1;; esac',
        *[f'if [ "$v" != none ] && ! hasf "$v" {f}; then n=1; fi' for f in want_flags],
        *[f'if hasf "$v" {f}; then n=0; log skip "$S" "$I" fixed; fi' for f in FIXED],
    ]
    change = [
        f"if {_granted('v')}; then run {commands.revoke(user, pkg, perm)}; fi",
        *[
            f'if ! hasf "$v" {f}; then run {commands.set_flags(user, pkg, perm, {f})}; fi'
            for f in want_flags
        ],
    ]
    return Steps(tuple(check), tuple(change))


def _perm_restore(key: LeverKey, flags_ok: bool) -> Steps:
    user, pkg, perm = key.user, key.package, key.name
    flags = sorted(SETTABLE_FLAGS) if flags_ok else []
    regrant = f'{_granted("p")} && ! hasf "$p" {ONE_TIME} && ! {_granted("v")}'
    check = [
        "n=0",
        'if [ "$v" = none ] || [ "$p" = none ]; then n=0; else',
        *[
            f'  if hasf "$v" {f}; then hasf "$p" {f} || n=1; else hasf "$p" {f} && n=1; fi'
            for f in flags
        ],
        f"  if {regrant}; then n=1; fi",
        "fi",
    ]
    change = [
        *[
            f'if hasf "$v" {f} && ! hasf "$p" {f}; then '
            f"run {commands.clear_flags(user, pkg, perm, {f})}; fi"
            for f in flags
        ],
        f"if {regrant}; then run {commands.grant(user, pkg, perm)}; fi",
        *[
            f'if hasf "$p" {f} && ! hasf "$v" {f}; then '
            f"run {commands.set_flags(user, pkg, perm, {f})}; fi"
            for f in flags
        ],
    ]
    return Steps(tuple(check), tuple(change))


# App-ops ----------------------------------------------------------------------------------


def _op_read(key: LeverKey) -> list[str]:
    op = commands.op(key.name)
    prefix = f"Uid mode: {op}: " if key.kind == UID_OP else f"{op}: "
    cases = [f"  {q(prefix + mode)}*) v={mode};;" for mode in commands.MODES]
    cases.append(f"  {q(prefix)}*) v={OTHER};;")
    get = commands.appops_get(key.user, key.package) + " " + q(op)
    return _read_file(get, cases, UNSET)


def _op_encode(key: LeverKey, value: LeverValue) -> str:
    return value if isinstance(value, str) and value in commands.MODES else UNSET


def _op_decode(text: str) -> LeverValue:
    if text == UNSET:
        return None
    if text in commands.MODES:
        return text
    raise ValueError(f"not an app-op mode: {text[:80]!r}")


def _effective(key: LeverKey, var: str) -> str:
    """Lines setting `e` to the effective mode of `$var` (unset reads as the op's default)."""
    return f'e=${var}; if [ "${var}" = {UNSET} ]; then e={op_default(key.name)}; fi'


def _op_set(key: LeverKey, mode: str) -> str:
    return commands.appops_set(key.user, key.package, key.name, mode, uid=key.kind == UID_OP)


def _op_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    assert isinstance(target, str)
    check = [
        _effective(key, "v"),
        f'n=1; if [ "$e" = {q(target)} ] || [ "$v" = {OTHER} ]; then n=0; fi',
    ]
    return Steps(tuple(check), (f"run {_op_set(key, target)}",))


def _op_restore(key: LeverKey, flags_ok: bool) -> Steps:
    lines = [_effective(key, "p"), "b=$e", _effective(key, "v")]
    check = [*lines, 'n=0; if [ "$b" != "$e" ] && [ "$p" != other ]; then n=1; fi']
    change = ['case "$b" in']
    change += [f"  {mode}) run {_op_set(key, mode)};;" for mode in commands.MODES]
    change.append("esac")
    return Steps(tuple(check), tuple(change))


# Battery allow-list -----------------------------------------------------------------------


def _idle_read(key: LeverKey) -> list[str]:
    pkg = commands.package(key.package)
    cases = [f"  {q('user,' + pkg + ',')}*|{q('system,' + pkg + ',')}*) v=1;;"]
    return _read_file(commands.idle_whitelist(), cases, "0")


def _bool_encode(key: LeverKey, value: LeverValue) -> str:
    return "1" if value else "0"


def _bool_decode(text: str) -> LeverValue:
    if text not in ("0", "1"):
        raise ValueError(f"not 0 or 1: {text[:80]!r}")
    return text == "1"


def _idle_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    want = "1" if target else "0"
    cmd = commands.whitelist_add(key.package) if target else commands.whitelist_remove(key.package)
    return Steps((f'n=1; if [ "$v" = {want} ]; then n=0; fi',), (f"run {cmd}",))


def _bool_restore(on: str, off: str) -> Callable[[LeverKey, bool], Steps]:
    def restore(key: LeverKey, flags_ok: bool) -> Steps:
        check = ('n=0; if [ "$p" != "$v" ]; then n=1; fi',)
        change = (f'if [ "$p" = 1 ]; then run {on}; else run {off}; fi',)
        return Steps(check, change)

    return restore


def _idle_restore(key: LeverKey, flags_ok: bool) -> Steps:
    pkg = key.package
    return _bool_restore(commands.whitelist_add(pkg), commands.whitelist_remove(pkg))(key, flags_ok)


# Standby bucket ---------------------------------------------------------------------------


def _bucket_read(key: LeverKey) -> list[str]:
    get = commands.standby_buckets(key.user) + " " + q(commands.package(key.package))
    known = "|".join(str(b) for b in sorted(BUCKET_NAMES))
    return [f"v=$({get} 2>&1)", f'case "$v" in {known}) ;; *) v={UNKNOWN};; esac']


def _bucket_encode(key: LeverKey, value: LeverValue) -> str:
    return str(value) if isinstance(value, int) and value in BUCKET_NAMES else UNKNOWN


def _bucket_decode(text: str) -> LeverValue:
    if text == UNKNOWN:
        return None
    if text.isdigit() and int(text) in BUCKET_NAMES:
        return int(text)
    raise ValueError(f"not a standby bucket: {text[:80]!r}")


def _bucket_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    assert isinstance(target, int)
    check = (
        f'n=1; case "$v" in {UNKNOWN}|5) n=0;; esac',
        f'if [ "$n" = 1 ] && [ "$v" -ge {target} ]; then n=0; fi',
    )
    return Steps(check, (f"run {commands.set_bucket(key.user, key.package, target)}",))


def _bucket_restore(key: LeverKey, flags_ok: bool) -> Steps:
    settable = "|".join(str(b) for b in SETTABLE_BUCKETS)
    check = (f'n=0; if [ "$p" != "$v" ]; then case "$p" in {settable}) n=1;; esac; fi',)
    change = ['case "$p" in']
    change += [
        f"  {b}) run {commands.set_bucket(key.user, key.package, b)};;" for b in SETTABLE_BUCKETS
    ]
    change.append("esac")
    return Steps(check, tuple(change))


# Suspended --------------------------------------------------------------------------------


def _suspended_read(key: LeverKey) -> list[str]:
    user = _user(key)
    return [
        "v=0",
        f'{commands.dumpsys_package(key.package)} >"$D/rd" 2>&1',
        'while read -r l; do case "$l" in',
        f'  {q("User " + user + ":")}*) case "$l" in *" suspended=true"*) v=1;; esac; break;;',
        'esac; done <"$D/rd"',
    ]


def _suspended_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    want = "1" if target else "0"
    cmd = commands.suspend if target else commands.unsuspend
    return Steps(
        (f'n=1; if [ "$v" = {want} ]; then n=0; fi',), (f"run {cmd(key.user, key.package)}",)
    )


def _suspended_restore(key: LeverKey, flags_ok: bool) -> Steps:
    on, off = commands.suspend(key.user, key.package), commands.unsuspend(key.user, key.package)
    return _bool_restore(on, off)(key, flags_ok)


# Notification listeners and accessibility services ----------------------------------------


def _secure_read(setting: str) -> Callable[[LeverKey], list[str]]:
    def read(key: LeverKey) -> list[str]:
        comp = commands.component(key.name)
        return [
            f"s=$({commands.secure_setting(key.user, setting)} 2>&1)",
            f'case ":$s:" in *{q(":" + comp + ":")}*) v=1;; *) v=0;; esac',
        ]

    return read


def _listener_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    want = "1" if target else "0"
    cmd = commands.allow_listener if target else commands.disallow_listener
    return Steps((f'n=1; if [ "$v" = {want} ]; then n=0; fi',), (f"run {cmd(key.user, key.name)}",))


def _listener_restore(key: LeverKey, flags_ok: bool) -> Steps:
    on = commands.allow_listener(key.user, key.name)
    off = commands.disallow_listener(key.user, key.name)
    return _bool_restore(on, off)(key, flags_ok)


def _accessibility_put(key: LeverKey, on: bool) -> list[str]:
    """The whole list without (or with) this service, rebuilt from `$s`, then written."""
    comp = q(commands.component(key.name))
    put = commands.put_accessibility_services(key.user, [key.name]).rsplit(" ", 1)[0]
    lines = [
        "m=; o=$IFS; IFS=:",
        f'for x in $s; do if [ "$x" != {comp} ] && [ "$x" != null ]; then '
        'if [ -z "$m" ]; then m=$x; else m="$m:$x"; fi; fi; done',
        "IFS=$o",
    ]
    if on:
        lines.append(f'if [ -z "$m" ]; then m={comp}; else m="$m:"{comp}; fi')
    lines.append(f'run {put} "$m"')
    return lines


def _accessibility_harden(key: LeverKey, target: LeverValue, flags_ok: bool) -> Steps:
    want = "1" if target else "0"
    return Steps(
        (f'n=1; if [ "$v" = {want} ]; then n=0; fi',), tuple(_accessibility_put(key, bool(target)))
    )


def _accessibility_restore(key: LeverKey, flags_ok: bool) -> Steps:
    check = ('n=0; if [ "$p" != "$v" ]; then n=1; fi',)
    on, off = _accessibility_put(key, True), _accessibility_put(key, False)
    change = ('if [ "$p" = 1 ]; then', *on, "else", *off, "fi")
    return Steps(check, change)


SH_LEVERS: dict[str, ShLever] = {
    PERMISSION: ShLever(_perm_read, _perm_encode, _perm_decode, _perm_harden, _perm_restore),
    UID_OP: ShLever(_op_read, _op_encode, _op_decode, _op_harden, _op_restore),
    PACKAGE_OP: ShLever(_op_read, _op_encode, _op_decode, _op_harden, _op_restore),
    IDLE_WHITELIST: ShLever(_idle_read, _bool_encode, _bool_decode, _idle_harden, _idle_restore),
    STANDBY_BUCKET: ShLever(
        _bucket_read, _bucket_encode, _bucket_decode, _bucket_harden, _bucket_restore
    ),
    SUSPENDED: ShLever(
        _suspended_read, _bool_encode, _bool_decode, _suspended_harden, _suspended_restore
    ),
    NOTIFICATION_LISTENER: ShLever(
        _secure_read("enabled_notification_listeners"),
        _bool_encode,
        _bool_decode,
        _listener_harden,
        _listener_restore,
    ),
    ACCESSIBILITY_SERVICE: ShLever(
        _secure_read("enabled_accessibility_services"),
        _bool_encode,
        _bool_decode,
        _accessibility_harden,
        _accessibility_restore,
    ),
}


def encode(key: LeverKey, value: LeverValue) -> str:
    """The canonical text of a laptop value, as the job's `read` would leave it in `$v`."""
    return SH_LEVERS[key.kind].encode(key, value)


def decode(key: LeverKey, text: str) -> LeverValue:
    """A value the job logged; raises ValueError on anything that is not canonical text."""
    return SH_LEVERS[key.kind].decode(text)
