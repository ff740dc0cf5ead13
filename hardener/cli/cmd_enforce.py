"""`hardener plan`, `enforce`, `restore` and `history`: change the phone, exactly and reversibly."""

from __future__ import annotations

from typing import Annotated

import typer

from hardener.android.catalog.catalog import Catalog, load_catalog
from hardener.android.oem import unlock_advice
from hardener.arm import report as arm_report
from hardener.cli.common import (
    JsonOption,
    chosen_profile,
    print_json,
    progress,
    terminal_width,
)
from hardener.cli.device_option import connect
from hardener.cli.options import PHONE, TARGET, shared_options
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.core.run import PhoneRun
from hardener.core.run_report import (
    kept_text,
    moment_line,
    notes_lines,
    outcomes_text,
    plan_text,
    run_json,
    summary,
)
from hardener.core.textfit import wrap
from hardener.device.runner import parse_at, run_profile, run_restore
from hardener.profile import Profile
from hardener.textsafe import visible


def _show(run: PhoneRun, catalog: Catalog, as_json: bool, *, applied: bool) -> None:
    for note in run.notes:  # a damaged journal, a folder tightened: on stderr, JSON or not
        typer.echo(f"hardener: {visible(note)}", err=True)
    if as_json:
        document = run_json(run)
        if run.arm_reports:
            document["armed_jobs"] = [r.to_json() for r in run.arm_reports]
        if run.armed is not None:
            document["armed"] = arm_report.record_json(run.armed.record, run.armed.record.created)
        print_json(document)
        return
    if run.arm_reports:
        typer.echo(arm_report.reports_text(run.arm_reports))
    if run.evaluation is not None:
        typer.echo("\n".join(wrap(moment_line(run.evaluation), terminal_width(), hang="  ")))
    if not applied or run.result is None:
        typer.echo(plan_text(run.plan, catalog, restoring=run.command == "restore"))
        if applied is False and not run.plan.empty:
            typer.echo("(nothing was changed)")
        return
    if run.result.outcomes:
        typer.echo(outcomes_text(run.result.outcomes, catalog))
    elif run.journal_damaged:
        typer.echo("nothing given back from the damaged journal's unreadable part (see above)")
    else:
        typer.echo("nothing to do: the phone already is as wanted")
    typer.echo(summary(run.result.outcomes, run.round_trips))
    if run.plan.kept:
        typer.echo(kept_text(run.plan))
    for line in notes_lines(run.plan):
        typer.echo(line)
    if run.armed is not None:
        typer.echo(arm_report.armed_text(run.armed.record))
    if run.result.oem_locked:
        typer.echo(f"the phone refused the changes: {unlock_advice(run.snapshot.device)}", err=True)


def profile_run(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    *,
    apply: bool,
    command: str,
    arm: bool | None = False,
) -> tuple[Profile, PhoneRun]:
    """What plan, enforce and audit share: read the inputs, reach the phone, run the profile.

    With `chosen.require_signed`, every file of the profile is verified before any phone is
    reached. `arm`: leave a job on the phone afterwards; None: as the profile's `arm` says.
    """
    loaded = chosen_profile(chosen)
    moment = parse_at(chosen.at)
    hours = loaded.work_hours
    known = {day.year for day in hours.public_dates}
    if hours.public_holidays and moment is not None and moment.year not in known:
        typer.echo(
            f"hardener: warning: no public holidays of {hours.public_holidays.describe()} are "
            f"loaded for {moment.year}: only the profile's own holidays count then",
            err=True,
        )
    with connect(phone) as transport:
        progress(f"{command}: {loaded.name} on {transport.describe()}")
        run = run_profile(
            transport, loaded, moment, options=phone, apply=apply, command=command,
            arm=(loaded.arm if arm is None else arm) and apply,
        )  # fmt: skip
    return loaded, run


def register(app: typer.Typer) -> None:
    @app.command("plan")
    @shared_options(*TARGET, ..., *PHONE, "require_signed")
    def plan_command(
        phone: PhoneOptions, chosen: ProfileOptions, as_json: JsonOption = False
    ) -> None:
        """Show what enforce would do at a moment, per app and user, in words and as commands.

        Changes nothing. Example: hardener plan --profile default --at 2026-11-24T20:00
        """
        loaded, run = profile_run(phone, chosen, apply=False, command="plan")
        _show(run, loaded.catalog, as_json, applied=False)

    @app.command("enforce")
    @shared_options(*TARGET, ..., *PHONE, "require_signed")
    def enforce_command(
        phone: PhoneOptions,
        chosen: ProfileOptions,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show the plan; change nothing.")
        ] = False,
        arm: Annotated[
            bool | None,
            typer.Option(
                "--arm/--no-arm",
                help="Then leave a job on the phone for the next transitions (one more round "
                "trip; see `hardener arm --help`). Default: the profile's `arm`.",
            ),
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Bring the phone to what the profile wants now (or --at a moment).

        Outside work hours the selected apps lose what the profile takes away (each setting's
        prior state is journaled first); inside work hours exactly that is given back. The
        phone is read back after the changes and every action reported as done, already so,
        refused (with the phone's reason) or did not take.

        With --arm (or `arm = true` in the profile) a job is left on the phone that applies
        the next off-hours start and work start by itself when the laptop is gone.

        Exit status: 0 converged, 1 some actions refused or did not take, 2 bad input,
        3 phone unreachable, 4 the phone's maker blocks changes (the message says which
        setting to turn on).

        Examples:

          hardener enforce --profile default

          hardener enforce -p my.toml --at 2026-11-24T20:00 --dry-run

          hardener enforce --profile default --device usb --arm   # hold off hours unplugged
        """
        loaded, run = profile_run(phone, chosen, apply=not dry_run, command="enforce", arm=arm)
        _show(run, loaded.catalog, as_json, applied=not dry_run)
        raise typer.Exit(run.exit_code)

    @app.command("restore")
    @shared_options("device", ..., *PHONE, "rebuild")
    def restore_command(
        phone: PhoneOptions,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would be given back; change nothing.")
        ] = False,
        as_json: JsonOption = False,
        rebuild: Annotated[
            bool,
            typer.Option(
                "--rebuild-from-history",
                help="Also give back the baselines history.jsonl says are held but the "
                "journal lacks (after it was damaged or lost).",
            ),
        ] = False,
    ) -> None:
        """Give me my phone back: restore every setting hardener changed, whatever the time.

        Puts back exactly what the journal recorded before hardener's changes (grants, flags,
        app-op modes, allow-list entries, buckets). Nothing you did not have is granted.

        Exit status: 0 everything given back, 1 something is still held (an app missing
        now, a refusal, a damaged journal: the output says which and why), 2 bad input,
        3 phone unreachable.

        Examples:

          hardener restore --dry-run      # what would be given back

          hardener restore --device usb:8c3f2a71

          hardener restore --rebuild-from-history   # after "the journal ... is damaged"
        """
        with connect(phone) as transport:
            progress(f"restoring {transport.describe()}")
            run = run_restore(
                transport, options=phone, apply=not dry_run, rebuild_from_history=rebuild
            )
        _show(run, load_catalog(), as_json, applied=not dry_run)
        raise typer.Exit(run.exit_code)
