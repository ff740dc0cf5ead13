"""`hardener sim-control`: move a running virtual phone's clock, reboot it, restart its adbd."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hardener.errors import InputError
from hardener.sim.android.clock import parse_duration, parse_instant
from hardener.sim.control import COMMANDS, request


def register(app: typer.Typer) -> None:
    @app.command("sim-control")
    def sim_control_command(
        action: Annotated[
            str,
            typer.Argument(
                metavar="ACTION",
                help="status, advance DURATION, suspend DURATION, advance-to TIME, reboot, "
                "restart-adbd, usb-mode-change or lock-screen.",
            ),
        ],
        socket_path: Annotated[
            Path,
            typer.Option(
                "--socket",
                metavar="SOCKET",
                help="The --control socket of a running `hardener sim`.",
            ),
        ],
        value: Annotated[
            str | None,
            typer.Argument(metavar="[DURATION|TIME]", help="For advance/suspend/advance-to."),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the phone's reply as JSON.")
        ] = False,
    ) -> None:
        """Control a virtual phone started with `hardener sim --control SOCKET`.

        advance keeps the phone awake: detached jobs run every loop pass
        that falls due. suspend puts it to sleep: the wall clock jumps and
        `sleep` does not count it. reboot gives a new boot_id and ends every
        job, keeping /data/local/tmp. restart-adbd, usb-mode-change and
        lock-screen (in a data USB mode) restart adbd: from Android 8 the
        jobs die with it.

        Examples:

          hardener sim-control --socket /tmp/phone.ctl status

          hardener sim-control --socket /tmp/phone.ctl advance 15m

          hardener sim-control --socket /tmp/phone.ctl suspend 40m

          hardener sim-control --socket /tmp/phone.ctl advance-to 2026-12-02T09:00:00+08:00

          hardener sim-control --socket /tmp/phone.ctl reboot --json
        """
        if action not in COMMANDS:
            raise InputError(
                f"unknown action {action!r}", hint="use one of: " + ", ".join(COMMANDS)
            )
        needs_value = action in ("advance", "suspend", "advance-to")
        if needs_value and value is None:
            raise InputError(
                f"{action} needs a value", hint=f"e.g. hardener sim-control {action} 15m"
            )
        if not needs_value and value is not None:
            raise InputError(f"{action} takes no value (got {value!r})")
        if value is not None:
            # Check here, so a typo is a clear local error (the phone checks again).
            if action == "advance-to":
                parse_instant(value)
            else:
                parse_duration(value)
        line = action if value is None else f"{action} {value}"
        reply = request(socket_path, line)
        if not reply.get("ok"):
            raise InputError(
                f"the virtual phone refused {line!r}: {reply.get('error', '?')}",
                hint=reply.get("hint") or None,
            )
        status = reply.get("status", {})
        if as_json:
            typer.echo(json.dumps(status, indent=2))
            return
        jobs = status.get("jobs", [])
        typer.echo(
            f"time {status.get('time')}  uptime {status.get('uptime_s')} s "
            f"(suspended {status.get('suspended_s')} s)\n"
            f"boot_id {status.get('boot_id')}  adbd pid {status.get('adbd_pid')}\n"
            f"detached jobs: {len(jobs)}"
        )
        for job in jobs:
            typer.echo(
                f"  {job['pid']}  {' '.join(job['args'])}  next run in {job['next_run_in_s']} s"
            )
