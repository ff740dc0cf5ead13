"""How a lever kind checks and changes itself in plain `sh`, for the armed job. Pure.

Each kind carries a `ShForm` (`LeverKind.sh`, defined in the kind's own module): the shell
functions it needs, written once per job, that work on the current setting described by
variables `U` (user), `P` (package), `N` (permission, op or component), `T` (the harden
target), and, for app-ops, `Q` (the `Uid mode: ` prefix or nothing), `X` (`--uid` or nothing)
and `F` (the op's default mode):

    rd_<fn>   leave the current value in `$v`, as canonical text (below)
    hc_<fn>   set `n=1` when `$v` does not meet the target `$T`
    hx_<fn>   change the setting to `$T` (given `$v`)
    gc_<fn>   set `n=1` when `$v` is not the prior value `$p` the job gives back
    gx_<fn>   put `$p` back (given `$v`)

and a one-line lever definition (`lever(key, target, flags_ok)`, the body of `L<index>()`)
that sets those variables from validated, quoted names. `encode` / `decode` turn a laptop
value into the canonical text and back, so the laptop's journaled baseline can be handed to
the job and a value the job logged read back into the journal.

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
quoted argument. This module holds what several kinds share: the prelude every job defines,
the yes/no helpers, and the checks of user and package names.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue
from hardener.core.records import BUCKET_NAMES

q = shlex.quote
NONE = "none"
UNSET = "unset"
OTHER = "other"
UNKNOWN = "unknown"
SETTABLE_BUCKETS = tuple(b for b in sorted(BUCKET_NAMES) if b not in (5, 50))


def key_words(key: LeverKey) -> str:
    """A comment naming the setting: kind, user, package and name (when it has one).

    Only for a key its kind's `check_key` passed: every word is then one Android allows."""
    return " ".join([key.kind, str(key.user), key.package, *([key.name] if key.name else [])])


@dataclass(frozen=True)
class ShForm:
    """How one lever kind is checked and changed by the armed job (see the module's text)."""

    functions: tuple[str, ...]  # shell functions the kind needs, defined once per job
    lever: Callable[[LeverKey, LeverValue, bool], str]  # variables for one setting
    encode: Callable[[LeverKey, LeverValue], str]  # a laptop value as the job's `$v` text
    decode: Callable[[str], LeverValue]  # ValueError on anything not canonical text
    comment: Callable[[LeverKey], str] = key_words  # the job's comment above the setting
    after: tuple[str, ...] = ()  # commands run once after a step that acted on this kind


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


def user(key: LeverKey) -> str:
    if isinstance(key.user, bool) or not isinstance(key.user, int) or key.user < 0:
        raise commands.UnsafeName(f"not a valid user id: {key.user!r}")
    return str(key.user)


def package(key: LeverKey) -> str:
    return q(commands.package(key.package))


# Yes/no settings: allow-list, suspended, listeners, accessibility -------------------------

BOOL_CHECKS = (
    'hc_bool() { n=1; if [ "$v" = "$T" ]; then n=0; fi; }',
    'gc_bool() { n=0; if [ "$p" != "$v" ]; then n=1; fi; }',
)


def bool_form(short: str, functions: tuple[str, ...], *, with_name: bool) -> ShForm:
    """The form of a yes/no kind whose own `functions` define `rd_<short>` and `sx_<short>`
    (`sx_<short> 1|0` turns it on or off)."""

    def lever(key: LeverKey, target: LeverValue, flags_ok: bool) -> str:  # noqa: ARG001
        who = user(key) if key.user >= 0 else "0"
        name = f"; N={q(commands.component(key.name))}" if with_name else ""
        return f"K={short}; U={who}; P={package(key)}{name}; T={1 if target else 0}"

    steps = (
        f"hc_{short}() {{ hc_bool; }}",
        f'hx_{short}() {{ sx_{short} "$T"; }}',
        f"gc_{short}() {{ gc_bool; }}",
        f'gx_{short}() {{ sx_{short} "$p"; }}',
    )
    return ShForm((*BOOL_CHECKS, *functions, *steps), lever, bool_encode, bool_decode)


def bool_encode(key: LeverKey, value: LeverValue) -> str:  # noqa: ARG001 (the form's signature)
    return "1" if value else "0"


def bool_decode(text: str) -> LeverValue:
    if text not in ("0", "1"):
        raise ValueError(f"not 0 or 1: {text[:80]!r}")
    return text == "1"
