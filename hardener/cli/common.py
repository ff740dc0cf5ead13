"""Small things every command does the same way: JSON out, progress on stderr."""

from __future__ import annotations

import json
import shutil
import sys
from typing import Annotated, Any

import typer

from hardener.profile import Profile, load_profile
from hardener.profile.loader import resolution_note
from hardener.textsafe import json_safe, visible

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts (stable schema) instead of tables.")
]


def print_json(document: Any) -> None:
    """JSON on stdout. json escapes C0 controls itself; DEL, C1 controls and bidirectional
    overrides (which a terminal may also act on) are written as \\u escapes too."""
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    typer.echo(json_safe(text))


def tell_profile_source(ref: str) -> None:
    """On stderr: which file a bare profile name means when a file shadows a bundled one."""
    note = resolution_note(ref)
    if note:
        typer.echo(f"hardener: {visible(note)}", err=True)


def load_profile_told(ref: str) -> Profile:
    """`load_profile`, saying first which file a shadowed bundled name means."""
    tell_profile_source(ref)
    return load_profile(ref)


def progress(message: str) -> None:
    """Progress for people watching a terminal; silent under cron and in pipes."""
    if sys.stderr.isatty():
        typer.echo(f"hardener: {message}", err=True)


ProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        "-p",
        metavar="FILE|NAME",
        envvar="HARDENER_PROFILE",
        help="A profile TOML file, or a bundled profile: default, china-workplace, strict "
        "(bundled:NAME when a file in the working folder has that name).",
    ),
]

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="DATETIME",
        help="Judge this moment instead of now: ISO 8601, e.g. 2026-11-24T20:00 (read in the "
        "profile's timezone) or 2026-11-24T20:00+08:00.",
    ),
]

StateDirOption = Annotated[
    str | None,
    typer.Option(
        "--state-dir",
        metavar="DIR",
        envvar="HARDENER_STATE_DIR",
        help="Where journals and history live (default: $XDG_STATE_HOME/hardener).",
    ),
]

LockTimeoutOption = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        metavar="SECONDS",
        min=0,
        help="How long to wait when another hardener run is using the same phone.",
    ),
]

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        help="Give up when the phone has not finished a round trip within this time.",
    ),
]


def terminal_width() -> int:
    """Columns to fit output in: `COLUMNS` when set, else the terminal's width, else 80
    (output to a file or a pipe)."""
    return shutil.get_terminal_size((80, 24)).columns


RequireSignedOption = Annotated[
    str | None,
    typer.Option(
        "--require-signed",
        metavar="ALLOWED_SIGNERS",
        envvar="HARDENER_REQUIRE_SIGNED",
        help="Run only profiles whose every file (the extends chain too) carries a good SSH "
        "signature (FILE.sig, namespace hardener-profile) by a signer in this allowed-signers "
        "file; anything else exits 2 before a phone is touched.",
    ),
]
