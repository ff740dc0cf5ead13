"""Small things every command does the same way: JSON out, progress on stderr."""

from __future__ import annotations

import json
import shutil
import sys
from typing import Annotated, Any

import typer

from hardener.core.options import ProfileOptions
from hardener.errors import InputError
from hardener.host.signing import load_signed_profile
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


def chosen_profile(chosen: ProfileOptions, *, tell: bool = True) -> Profile:
    """The profile `--profile` names: with `--require-signed`, every file of it verified
    first (before any phone is reached); else read, saying (with `tell`) which file a
    shadowed bundled name means."""
    ref = profile_ref(chosen)
    if chosen.require_signed is not None:
        return load_signed_profile(ref, chosen.require_signed)
    return load_profile_told(ref) if tell else load_profile(ref)


def profile_ref(chosen: ProfileOptions) -> str:
    """What `--profile` says (a command that offers it always has one)."""
    if chosen.profile is None:
        raise InputError("this command needs a profile", hint="give --profile FILE|NAME")
    return chosen.profile


def progress(message: str) -> None:
    """Progress for people watching a terminal; silent under cron and in pipes."""
    if sys.stderr.isatty():
        typer.echo(f"hardener: {message}", err=True)


def terminal_width() -> int:
    """Columns to fit output in: `COLUMNS` when set, else the terminal's width, else 80
    (output to a file or a pipe)."""
    return shutil.get_terminal_size((80, 24)).columns
