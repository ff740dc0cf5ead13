"""`hardener arm`, `disarm` and `status`: a job on the phone for when the laptop is gone."""

from __future__ import annotations

import typer

from hardener.arm import report
from hardener.cli.common import JsonOption, chosen_profile, print_json, progress
from hardener.cli.device_option import connect
from hardener.cli.options import PHONE, TARGET, shared_options
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.device.runner import parse_at, run_disarm, run_profile, run_status


def register(app: typer.Typer) -> None:
    @app.command("arm")
    @shared_options(*TARGET, ..., *PHONE)
    def arm_command(
        phone: PhoneOptions, chosen: ProfileOptions, as_json: JsonOption = False
    ) -> None:
        """Leave a job on the phone that applies the next transitions by itself.

        The job (a plain sh script under /data/local/tmp/hardener, no app, no root) takes
        away at the next off-hours start what the profile wants off then, and gives exactly
        that back at the next work start, on the phone's own clock, while the laptop is
        gone. It changes nothing now (`enforce --arm` converges now and arms). The
        baselines it may change are journaled first; the next contact reads its log.

        It ends at a reboot and, on Android 8+, when USB debugging goes off or the USB mode
        changes: `hardener doctor` says what to set on this phone.

        Example: hardener arm --profile default --device usb
        """
        loaded = chosen_profile(chosen)
        moment = parse_at(chosen.at)
        with connect(phone) as transport:
            progress(f"arming {transport.describe()} with {loaded.name}")
            run = run_profile(
                transport, loaded, moment, options=phone, apply=False, command="arm", arm=True
            )
        assert run.armed is not None
        record = run.armed.record
        if as_json:
            print_json(
                {
                    "armed": report.record_json(record, record.created),
                    "earlier_jobs": [r.to_json() for r in run.arm_reports],
                    "replaced": [r.to_json() for r in run.armed.replaced],
                    "round_trips": run.round_trips,
                }
            )
            return
        if run.arm_reports:
            typer.echo(report.reports_text(run.arm_reports))
        typer.echo(report.armed_text(record))

    @app.command("disarm")
    @shared_options("device", ..., *PHONE)
    def disarm_command(phone: PhoneOptions, as_json: JsonOption = False) -> None:
        """Stop the job armed on the phone; what it did goes to the journal and history.

        What the job took stays taken until `hardener enforce` (in work hours) or
        `hardener restore` gives it back. Example: hardener disarm --device usb
        """
        with connect(phone) as transport:
            reports, stopped = run_disarm(transport, options=phone)
        if as_json:
            print_json({"stopped_pid": stopped, "jobs": [r.to_json() for r in reports]})
            return
        typer.echo(f"stopped the job (pid {stopped})" if stopped else "no job was running")
        if reports:
            typer.echo(report.reports_text(reports))

    @app.command("status")
    @shared_options("device", ..., *PHONE)
    def status_command(phone: PhoneOptions, as_json: JsonOption = False) -> None:
        """Whether a job is armed on the phone: its next step and time, its last heartbeat,
        how late its past steps ran, and why it ended. Changes nothing.

        Example: hardener status --device usb --json
        """
        with connect(phone) as transport:
            found = run_status(transport, options=phone)
        now = found.state.now
        if as_json:
            print_json(report.status_json(found.serial, found.record, found.report, now))
            return
        typer.echo(report.status_text(found.serial, found.record, found.report, now))
