"""`hardener arm`, `disarm` and `status`: a job on the phone for when the laptop is gone."""

from __future__ import annotations

import typer

from hardener.arm import report
from hardener.arm.session import disarm, status
from hardener.cli.common import (
    AtOption,
    JsonOption,
    LockTimeoutOption,
    ProfileOption,
    StateDirOption,
    TimeoutOption,
    print_json,
    progress,
)
from hardener.cli.device_option import (
    DEFAULT_AUTH_TIMEOUT,
    AuthTimeoutOption,
    DeviceOption,
    connect,
)
from hardener.device.runner import DEFAULT_LOCK_TIMEOUT, DEFAULT_TIMEOUT, parse_at, run_profile
from hardener.profile import load_profile
from hardener.state.journal import device_lock
from hardener.state.statedir import state_dir as resolve_state_dir


def register(app: typer.Typer) -> None:
    @app.command("arm")
    def arm_command(
        profile: ProfileOption,
        device: DeviceOption = None,
        at: AtOption = None,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
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
        loaded = load_profile(profile)
        moment = parse_at(at)
        with connect(device, auth_timeout) as phone:
            progress(f"arming {phone.describe()} with {loaded.name}")
            run = run_profile(
                phone, loaded, moment, state_dir=resolve_state_dir(state_dir), apply=False,
                command="arm", lock_timeout=lock_timeout, timeout=timeout, arm=True,
            )  # fmt: skip
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
    def disarm_command(
        device: DeviceOption = None,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
    ) -> None:
        """Stop the job armed on the phone; what it did goes to the journal and history.

        What the job took stays taken until `hardener enforce` (in work hours) or
        `hardener restore` gives it back. Example: hardener disarm --device usb
        """
        directory = resolve_state_dir(state_dir)
        with (
            connect(device, auth_timeout) as phone,
            device_lock(directory, phone.serial, timeout=lock_timeout),
        ):
            reports, stopped = disarm(phone, directory, timeout=timeout)
        if as_json:
            print_json({"stopped_pid": stopped, "jobs": [r.to_json() for r in reports]})
            return
        typer.echo(f"stopped the job (pid {stopped})" if stopped else "no job was running")
        if reports:
            typer.echo(report.reports_text(reports))

    @app.command("status")
    def status_command(
        device: DeviceOption = None,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
    ) -> None:
        """Whether a job is armed on the phone: its next step and time, its last heartbeat,
        how late its past steps ran, and why it ended. Changes nothing.

        Example: hardener status --device usb --json
        """
        directory = resolve_state_dir(state_dir)
        with (
            connect(device, auth_timeout) as phone,
            device_lock(directory, phone.serial, timeout=lock_timeout),
        ):
            found = status(phone, directory, timeout=timeout)
        now = found.state.now
        if as_json:
            print_json(report.status_json(found.serial, found.record, found.report, now))
            return
        typer.echo(report.status_text(found.serial, found.record, found.report, now))
