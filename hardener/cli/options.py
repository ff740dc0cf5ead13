"""The options every phone command shares, declared once, and `shared_options` to take them.

A command names the shared options it offers and where its own go (`...`); the decorator
adds them to the signature typer reads, and hands the command two frozen records instead
(`PhoneOptions`, `ProfileOptions`: a parameter annotated with either receives it):

    @app.command("audit")
    @shared_options(*TARGET, ..., *PHONE, "require_signed")
    def audit_command(phone: PhoneOptions, chosen: ProfileOptions, as_json: JsonOption = False):
        ...

So `--timeout` reads, checks and helps the same in scan, enforce or the fleet, and a new
shared option is one entry below.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from typing import Annotated, Any, get_type_hints

import typer

from hardener.core.options import (
    DEFAULT_AUTH_TIMEOUT,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_TIMEOUT,
    MAX_AUTH_TIMEOUT,
    MIN_TIMEOUT,
    PhoneOptions,
    ProfileOptions,
    RolloutOptions,
    seconds_problem,
)
from hardener.device.transport.spec import SPEC_FORMS

Command = Callable[..., None]


def _seconds(value: float) -> float:
    """nan (and, where there is no maximum, inf) pass typer's min/max checks: refuse them."""
    problem = seconds_problem(value)
    if problem:
        raise typer.BadParameter(problem)
    return value


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None  # "" (an empty environment variable): not given


@dataclass(frozen=True)
class Shared:
    """One shared option: its typer declaration, default, and how its value enters the
    record (`record` field of the same name)."""

    record: type[PhoneOptions] | type[ProfileOptions] | type[RolloutOptions]
    annotation: Any  # Annotated[type, typer.Option(...)]
    default: Any = inspect.Parameter.empty  # empty: required
    convert: Callable[[Any], Any] | None = None  # typer's value -> the record's field


_COMMON: dict[str, Shared] = {
    "profile": Shared(
        ProfileOptions,
        Annotated[
            str,
            typer.Option(
                "--profile",
                "-p",
                metavar="FILE|NAME",
                envvar="HARDENER_PROFILE",
                help="A profile TOML file, or a bundled profile: default, china-workplace, "
                "strict (bundled:NAME when a file in the working folder has that name).",
            ),
        ],
    ),
    "device": Shared(
        PhoneOptions,
        Annotated[
            str | None,
            typer.Option(
                "--device",
                "-d",
                metavar="SPEC",
                envvar="HARDENER_DEVICE",
                show_envvar=True,
                help=f"Which phone: {SPEC_FORMS}. Default: the only phone connected.",
            ),
        ],
        None,
    ),
    "at": Shared(
        ProfileOptions,
        Annotated[
            str | None,
            typer.Option(
                "--at",
                metavar="DATETIME",
                help="Judge this moment instead of now: ISO 8601, e.g. 2026-11-24T20:00 (read in "
                "the profile's timezone) or 2026-11-24T20:00+08:00.",
            ),
        ],
        None,
    ),
    "state_dir": Shared(
        PhoneOptions,
        Annotated[
            str | None,
            typer.Option(
                "--state-dir",
                metavar="DIR",
                envvar="HARDENER_STATE_DIR",
                help="Where journals and history live (default: $XDG_STATE_HOME/hardener).",
            ),
        ],
        None,
        _path,
    ),
    "lock_timeout": Shared(
        PhoneOptions,
        Annotated[
            float,
            typer.Option(
                "--lock-timeout",
                metavar="SECONDS",
                min=0,
                callback=_seconds,
                help="How long to wait when another hardener run is using the same phone.",
            ),
        ],
        DEFAULT_LOCK_TIMEOUT,
    ),
    "auth_timeout": Shared(
        PhoneOptions,
        Annotated[
            float,
            typer.Option(
                "--auth-timeout",
                metavar="SECONDS",
                min=0,
                max=MAX_AUTH_TIMEOUT,
                callback=_seconds,
                help="How long to wait for you to tap Allow on the phone's 'Allow USB "
                "debugging?' prompt when it does not trust this computer yet.",
            ),
        ],
        DEFAULT_AUTH_TIMEOUT,
    ),
    "timeout": Shared(
        PhoneOptions,
        Annotated[
            float,
            typer.Option(
                "--timeout",
                metavar="SECONDS",
                min=MIN_TIMEOUT,
                callback=_seconds,
                help="Give up when the phone has not finished a round trip within this time.",
            ),
        ],
        DEFAULT_TIMEOUT,
    ),
    "require_signed": Shared(
        ProfileOptions,
        Annotated[
            str | None,
            typer.Option(
                "--require-signed",
                metavar="ALLOWED_SIGNERS",
                envvar="HARDENER_REQUIRE_SIGNED",
                help="Run only profiles whose every file (the extends chain too) carries a good "
                "SSH signature (FILE.sig, namespace hardener-profile) by a signer in this "
                "allowed-signers file; anything else exits 2 before a phone is touched.",
            ),
        ],
        None,
        _path,
    ),
}

ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report",
        metavar="FILE",
        help="Write every phone's result: JSON, or CSV (.csv), or a summary an admin can "
        "forward, per host and group with the reasons and settings to change (.md, .html).",
    ),
]

# The phone and profile options, and the fleet's own (its rollout commands offer them).
SHARED: Mapping[str, Shared] = {
    **_COMMON,
    "inventory": Shared(
        RolloutOptions,
        Annotated[
            Path,
            typer.Option(
                "--inventory", "-i", metavar="FILE", help="The inventory TOML (groups of phones)."
            ),
        ],
    ),
    "concurrency": Shared(
        RolloutOptions,
        Annotated[
            int, typer.Option("--concurrency", "-j", min=1, max=512, help="Phones handled at once.")
        ],
        100,
    ),
    "canary": Shared(
        RolloutOptions,
        Annotated[
            int,
            typer.Option(
                "--canary", metavar="N", min=0, help="Do N phones first; stop if any of them fails."
            ),
        ],
        0,
    ),
    "max_failures": Shared(
        RolloutOptions,
        Annotated[
            int | None,
            typer.Option(
                "--max-failures", metavar="N", min=1, help="Halt the rollout after N failed phones."
            ),
        ],
        None,
    ),
    "report": Shared(RolloutOptions, ReportOption, None),
    "host": Shared(
        RolloutOptions,
        Annotated[
            str | None,
            typer.Option(
                "--host",
                metavar="NAME",
                help="The name this host's rows carry in the report (default: the computer's "
                "name); e.g. the Ansible inventory name when several hosts share one machine.",
            ),
        ],
        None,
    ),
}

# The usual groups, in the order --help shows them: what and where first, then how long.
TARGET = ("profile", "device", "at")
PHONE = ("state_dir", "lock_timeout", "auth_timeout", "timeout")

ROLLOUT = ("inventory", "concurrency", "canary", "max_failures", "report")

RECORDS = (PhoneOptions, ProfileOptions, RolloutOptions)


def shared_options(*layout: str | EllipsisType, **defaults: object) -> Callable[[Command], Command]:
    """Offer the shared options `layout` names, in that order in `--help`. The command's own
    parameters go where `...` stands (at the end without one); one named in `layout` goes
    exactly there. `defaults` overrides a shared option's default for this command (e.g.
    `lock_timeout=30.0`). Each parameter of the command annotated `PhoneOptions` or
    `ProfileOptions` receives that record, built from the options given (a field whose
    option the command does not offer keeps the record's default)."""
    if layout.count(...) > 1 or len(set(layout)) != len(layout):
        raise TypeError(f"shared_options{layout}: a name or `...` given twice")

    def decorate(command: Command) -> Command:
        hints = get_type_hints(command, include_extras=True)
        params = inspect.signature(command).parameters.values()
        takes = {p.name: hints[p.name] for p in params if hints.get(p.name) in RECORDS}
        keyword = inspect.Parameter.KEYWORD_ONLY
        own = {
            p.name: p.replace(kind=keyword, annotation=hints.get(p.name, p.empty))
            for p in params
            if p.name not in takes
        }
        names = [name for name in layout if isinstance(name, str) and name not in own]
        problems = [f"{n} is no shared option nor parameter" for n in names if n not in SHARED]
        problems += [
            f"{n} is both a shared option and a parameter"
            for n in SHARED.keys() & own.keys() & set(layout)
        ]
        problems += [f"a default for {n}, not offered" for n in defaults if n not in names]
        problems += [
            f"no parameter takes a {record.__name__}"
            for record in {SHARED[n].record for n in names if n in SHARED} - set(takes.values())
        ]
        if problems:
            raise TypeError(f"{command.__name__}: {'; '.join(sorted(problems))}")

        def parameter(name: str) -> inspect.Parameter:
            if name in own:
                return own[name]
            default = defaults.get(name, SHARED[name].default)
            return inspect.Parameter(
                name, keyword, default=default, annotation=SHARED[name].annotation
            )

        rest = [p for name, p in own.items() if name not in layout]
        slots = layout if ... in layout else (*layout, ...)
        exposed = [p for slot in slots for p in (rest if slot is ... else [parameter(str(slot))])]

        @functools.wraps(command)
        def run(**given: Any) -> None:
            values: dict[type, dict[str, Any]] = {record: {} for record in RECORDS}
            for name in names:
                spec = SHARED[name]
                value = given.pop(name)
                values[spec.record][name] = spec.convert(value) if spec.convert else value
            built = {record: record(**values[record]) for record in RECORDS}
            command(**given, **{param: built[record] for param, record in takes.items()})

        run.__signature__ = inspect.Signature(exposed)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in exposed}
        return run

    return decorate
