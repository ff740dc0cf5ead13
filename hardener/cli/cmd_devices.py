"""`hardener devices`: what phones are reachable, and the `--device` value for each.

It answers the first question of anyone whose scan says "several phones" or "no phone":
which specs exist, and which state each is in (an `unauthorized` phone needs a tap on
Allow, an `offline` one a re-plug).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from tabulate import tabulate

from hardener.cli.device_option import say
from hardener.cli.options import shared_options
from hardener.core.options import PhoneOptions
from hardener.device.transport.discovery import Reachable, discover, probe
from hardener.errors import EXIT_OK, EXIT_UNREACHABLE
from hardener.textsafe import visible

LISTING_AUTH_TIMEOUT = 5.0


def list_devices(extra_specs: list[str], auth_timeout: float) -> tuple[list[Reachable], list[str]]:
    """Discovered phones plus the explicitly named ones, each probed for its details."""
    found = discover()
    devices = [
        probe(d.spec, auth_timeout=auth_timeout, listed=d, on_auth_prompt=say)
        if d.state == "device"
        else d
        for d in found.devices
    ]
    known = {d.spec for d in devices}
    for spec in extra_specs:
        if spec not in known:
            devices.append(probe(spec, auth_timeout=auth_timeout, on_auth_prompt=say))
    return devices, list(found.notes)


def register(app: typer.Typer) -> None:
    @app.command("devices")
    @shared_options(..., "auth_timeout", auth_timeout=LISTING_AUTH_TIMEOUT)
    def devices_command(
        phone: PhoneOptions,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print a JSON object instead of a table.")
        ] = False,
        device: Annotated[
            list[str] | None,
            typer.Option(
                "--device",
                "-d",
                metavar="SPEC",
                help="Also check this phone (e.g. a TCP one: HOST:PORT); repeatable.",
            ),
        ] = None,
    ) -> None:
        """List the phones hardener can reach: spec, serial, model, Android version, state.

        Exit status 0 when at least one phone is ready for commands, 3 when none is.

        Examples:

          hardener devices

          hardener devices --json
        """
        found, notes = list_devices(device or [], phone.auth_timeout)
        if as_json:
            fields = ("spec", "serial", "model", "android", "sdk", "state", "via", "problem")
            rows = [{k: v for k, v in asdict(d).items() if k in fields} for d in found]
            typer.echo(json.dumps({"devices": rows, "notes": notes}, indent=2))
        elif found:
            table = [
                tuple(visible(v) for v in (d.spec, d.serial, d.model, d.android, d.state))
                for d in found
            ]
            typer.echo(tabulate(table, headers=("SPEC", "SERIAL", "MODEL", "ANDROID", "STATE")))
            for d in found:
                if d.problem:
                    say(f"{d.spec}: {d.problem}")
        for note in notes:
            say(note)
        ready = any(d.state == "device" for d in found)
        if not found:
            say(
                "no phone found: plug one in with USB debugging on (Settings > Developer "
                "options), or check a TCP phone with --device HOST:PORT"
            )
        raise typer.Exit(EXIT_OK if ready else EXIT_UNREACHABLE)
