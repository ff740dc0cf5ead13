"""`hardener history`: what hardener changed on a phone, when and why; and what it still holds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from hardener.cli.common import JsonOption, print_json
from hardener.cli.device_option import connect
from hardener.cli.options import shared_options
from hardener.core.options import PhoneOptions
from hardener.device.runner import phone_device
from hardener.errors import InputError
from hardener.state.journal import Journal, known_serials
from hardener.state.statedir import slug
from hardener.state.statedir import state_dir as resolve_state_dir
from hardener.textsafe import visible


def _resolve(state: Path, device: str | None, phone: PhoneOptions) -> list[str]:
    known = known_serials(state)
    if device is None:
        return known
    for serial in known:
        journal = Journal(state, serial)
        transports = {r.get("transport") for r in journal.history()}
        if device in (serial, slug(serial)) or device in transports:
            return [serial]
    with connect(replace(phone, device=device)) as transport:  # ask it for its own serial
        return [phone_device(transport, options=phone).serial]


def _entry_line(record: dict[str, Any]) -> str:
    when = visible(record.get("time", "?"))
    command = visible(record.get("command", "?"))
    if "interrupted" in record:
        what = visible(record["interrupted"])
        return f"{when}  {command}: interrupted ({what}); run it again to finish"
    if command == "armed-job":  # what a job armed on the phone did (hardener.arm.reconcile)
        steps = "; ".join(
            f"{step.get('intent')} due {step.get('when')}: "
            + ("did not run" if step.get("late_s") is None else f"{step.get('late_s')} s late")
            for step in record.get("steps", [])
            if isinstance(step, dict)
        )
        return f"{when}  {command}: {visible(str(record.get('words', '?')))}" + (
            f" ({steps})" if steps else ""
        )
    profile = f" profile {visible(record['profile'])}" if record.get("profile") else ""
    at = f" for {visible(record['at'])}" if record.get("at") else ""
    tally = dict(record.get("counts", {}))
    counts = visible(", ".join(f"{n} {status.replace('_', ' ')}" for status, n in tally.items()))
    return f"{when}  {command}{profile}{at}: {counts or 'nothing to do'}"


def register(app: typer.Typer) -> None:
    @app.command("history")
    @shared_options(..., "state_dir", "auth_timeout")
    def history_command(
        phone: PhoneOptions,
        device: Annotated[
            str | None,
            typer.Option(
                "--device",
                "-d",
                metavar="SPEC|SERIAL",
                help="A phone's serial (works unplugged) or a device spec; default: every phone.",
            ),
        ] = None,
        verbose: Annotated[
            bool, typer.Option("--verbose", "-v", help="List every change.")
        ] = False,
        as_json: JsonOption = False,
    ) -> None:
        """List what hardener changed on each phone, when and why, and what it still holds.

        Works without the phone: name it by its serial. `hardener restore` gives back
        everything still held.

        Examples:

          hardener history -v

          hardener history --device 192.168.1.20:5555 --json
        """
        state = resolve_state_dir(phone.state_dir)
        serials = _resolve(state, device, phone)
        if not serials:
            if device is not None:
                raise InputError(
                    f"hardener has no history for {device}", hint=f"state directory: {state}"
                )
            if as_json:
                print_json({"schema": 1, "devices": []})
                return
            typer.echo(f"no history yet (state directory: {visible(state)})")
            return
        documents: list[dict[str, Any]] = []
        for serial in serials:
            journal = Journal(state, serial)
            held, problems = journal.read()  # changes nothing, even when damaged
            documents.append(
                {
                    "serial": serial,
                    "history": journal.history(),
                    "held": [entry.to_json() for entry in held.values()],
                    "journal_problems": problems,
                    "set_aside": [str(path) for path in journal.unresolved()],
                    "journal": str(journal.path),
                }
            )
        if as_json:
            print_json({"schema": 1, "devices": documents})
            return
        for document in documents:
            typer.echo(f"phone {visible(document['serial'])}")
            for record in document["history"]:
                typer.echo("  " + _entry_line(record))
                if verbose:
                    for outcome in record.get("outcomes", []):
                        where = f"{outcome['package']} (user {outcome['user']})"
                        line = f"{outcome['status']:12} {where}: "
                        line += f"{outcome['words']} - {outcome['reason']}"
                        typer.echo(f"      {visible(line)}")
            count = len(document["held"])
            typer.echo(f"  holds {count} baseline{'s' * (count != 1)} to give back")
            if document["journal_problems"] or document["set_aside"]:
                if document["journal_problems"]:
                    typer.echo(
                        f"  the journal {visible(document['journal'])} is damaged; unreadable:"
                    )
                for problem in document["journal_problems"]:
                    typer.echo(f"    {visible(problem)}")
                for path in document["set_aside"]:
                    typer.echo(f"  set aside, not rebuilt yet: {visible(path)}")
                typer.echo(
                    "  `hardener restore` sets the file aside and gives back the rest; "
                    "`hardener restore --rebuild-from-history` also rebuilds the missing "
                    "baselines from the history"
                )
