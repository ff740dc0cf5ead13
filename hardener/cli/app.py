"""The `hardener` command: finds the command modules, runs one, maps errors to exit codes.

Command modules are `hardener/cli/cmd_*.py`, each with `register(app)`. Discovering them
keeps this file stable while commands are added, and lets each command live beside its
own help text.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from hardener import __version__
from hardener.cli.terminal import guarded_output
from hardener.errors import HardenerError
from hardener.textsafe import visible, visible_lines

app = typer.Typer(
    name="hardener",
    help=(
        "Take back control of a phone from workplace and social apps, over ADB, "
        "with no root and no app on the phone.\n\n"
        "Start with `hardener demo` (a virtual phone, nothing to plug in), then "
        "`hardener scan` on your own phone with USB debugging on."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hardener {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Root options."""


def _register_commands() -> None:
    import hardener.cli as package

    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("cmd_"):
            importlib.import_module(f"hardener.cli.{module.name}").register(app)


_register_commands()
GROUPS = frozenset(group.name for group in app.registered_groups if group.name)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors a user can act on end with a message and an exit code, no traceback."""
    with guarded_output():
        _main(argv)


def _main(argv: list[str] | None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (len(args) == 1 and args[0] in GROUPS):
        args.append("--help")  # a bare `hardener` (or `hardener fleet`) asks what there is: exit 0
    try:
        app(args=args, prog_name="hardener")
    except SystemExit as done:
        if done.code == 130:  # typer turns a Ctrl-C into a silent exit 130: say so
            typer.echo("hardener: interrupted (Ctrl-C)", err=True)
        raise
    except HardenerError as error:
        typer.echo(f"hardener: error: {visible_lines(error.message)}", err=True)
        if error.hint:
            typer.echo(f"  hint: {visible_lines(error.hint)}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("hardener: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly; the traceback is there when wanted
        if os.environ.get("HARDENER_DEBUG"):
            raise
        typer.echo(
            f"hardener: internal error: {type(error).__name__}: {visible(error)}\n"
            "  hint: this is a bug in hardener; run again with HARDENER_DEBUG=1 for the "
            "traceback and report it. What your phone had is journaled before any change, "
            "so `hardener restore` still gives it back.",
            err=True,
        )
        sys.exit(70)
