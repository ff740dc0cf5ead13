"""`hardener scan`: what the workplace and social apps on a phone can do, in two round trips."""

from __future__ import annotations

from typing import Annotated

import typer

from hardener.android.catalog.catalog import load_catalog
from hardener.cli.common import JsonOption, print_json, progress, terminal_width
from hardener.cli.device_option import connect
from hardener.cli.offline import FromBugreportOption, check_source, scan_offline
from hardener.cli.options import shared_options
from hardener.core.options import PhoneOptions
from hardener.core.scan_report import scan_json, scan_table
from hardener.core.snapshot import selected
from hardener.device.runner import run_scan
from hardener.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command("scan")
    @shared_options("device", ..., "state_dir", "auth_timeout", "lock_timeout", "timeout")
    def scan_command(
        phone: PhoneOptions,
        all_apps: Annotated[
            bool, typer.Option("--all", help="Also show the other third-party apps.")
        ] = False,
        user: Annotated[
            int | None,
            typer.Option(
                "--user", metavar="N", help="Only this Android user (0 owner, 10 work profile...)."
            ),
        ] = None,
        as_json: JsonOption = False,
        from_bugreport: FromBugreportOption = None,
    ) -> None:
        """Show what the workplace and social apps can do: permissions, app-ops, background, hooks.

        Reads every user and work profile. Symbols: granted, partly granted (some permissions
        of the group), denied, not requested. Nothing on the phone is changed.

        Examples:

          hardener scan                       # the only phone connected

          hardener scan --device 192.168.1.20:5555 --json > phone.json

          hardener scan --all --user 10       # every third-party app in the work profile

          hardener scan --from-bugreport bugreport.zip --json   # from a bugreport, offline
        """
        catalog = load_catalog()

        def select(package: str, third_party: bool) -> bool:
            return package in catalog or (all_apps and third_party)

        check_source(phone.device, from_bugreport)
        extra: dict[str, object] = {}
        if from_bugreport is not None:
            offline = scan_offline(from_bugreport, select)
            snapshot, extra = offline.snapshot, offline.json_extra()
        else:
            with connect(phone) as transport:
                progress(f"reading {transport.describe()} (2 round trips)")
                scanned = run_scan(transport, lambda d: selected(d, select), options=phone)
                snapshot = scanned.snapshot
        known = [u.id for u in snapshot.users]
        if user is not None and user not in known:
            raise InputError(
                f"--user {user}: this phone has no user {user}",
                hint=f"its users are {', '.join(map(str, known))} (`hardener scan` lists them)",
            )
        apps = [a for a in snapshot.apps if user is None or a.user == user]
        if as_json:
            print_json({**scan_json(snapshot, catalog, apps), **extra})
        else:
            typer.echo(scan_table(snapshot, catalog, apps, terminal_width()))
            if extra:
                typer.echo(f"from {from_bugreport}; a bugreport cannot show:")
                typer.echo("".join(f"  - {line}\n" for line in offline.cannot_show), nl=False)
