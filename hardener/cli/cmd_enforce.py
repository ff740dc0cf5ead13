"""`hardener plan`, `enforce`, `restore` and `history`: change the phone, exactly and reversibly."""

from __future__ import annotations

from typing import Annotated

import typer

from hardener.android.catalog.catalog import Catalog, load_catalog
from hardener.android.oem import unlock_advice
from hardener.cli.common import (
    AtOption,
    JsonOption,
    LockTimeoutOption,
    ProfileOption,
    StateDirOption,
    TimeoutOption,
    load_profile_told,
    print_json,
    progress,
)
from hardener.cli.device_option import (
    DEFAULT_AUTH_TIMEOUT,
    AuthTimeoutOption,
    DeviceOption,
    connect,
)
from hardener.core.run import PhoneRun
from hardener.core.run_report import (
    kept_text,
    moment_line,
    outcomes_text,
    plan_text,
    run_json,
    summary,
)
from hardener.device.runner import (
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_TIMEOUT,
    parse_at,
    run_profile,
    run_restore,
)
from hardener.profile import Profile
from hardener.state.statedir import state_dir as resolve_state_dir
from hardener.textsafe import visible


def _show(run: PhoneRun, catalog: Catalog, as_json: bool, *, applied: bool) -> None:
    for note in run.notes:  # a damaged journal, a folder tightened: on stderr, JSON or not
        typer.echo(f"hardener: {visible(note)}", err=True)
    if as_json:
        print_json(run_json(run))
        return
    if run.evaluation is not None:
        typer.echo(moment_line(run.evaluation))
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
    if run.result.oem_locked:
        typer.echo(f"the phone refused the changes: {unlock_advice(run.snapshot.device)}", err=True)


def profile_run(
    profile: str,
    device: str | None,
    at: str | None,
    *,
    apply: bool,
    command: str,
    state_dir: str | None,
    lock_timeout: float,
    auth_timeout: float,
    timeout: float,
) -> tuple[Profile, PhoneRun]:
    """What plan, enforce and audit share: read the inputs, reach the phone, run the profile."""
    loaded = load_profile_told(profile)
    moment = parse_at(at)
    with connect(device, auth_timeout) as phone:
        progress(f"{command}: {loaded.name} on {phone.describe()}")
        run = run_profile(
            phone, loaded, moment, state_dir=resolve_state_dir(state_dir), apply=apply,
            command=command, lock_timeout=lock_timeout, timeout=timeout,
        )  # fmt: skip
    return loaded, run


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan_command(
        profile: ProfileOption,
        device: DeviceOption = None,
        at: AtOption = None,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
    ) -> None:
        """Show what enforce would do at a moment, per app and user, in words and as commands.

        Changes nothing. Example: hardener plan --profile default --at 2026-11-24T20:00
        """
        loaded, run = profile_run(
            profile, device, at, apply=False, command="plan", state_dir=state_dir,
            lock_timeout=lock_timeout, auth_timeout=auth_timeout, timeout=timeout,
        )  # fmt: skip
        _show(run, loaded.catalog, as_json, applied=False)

    @app.command("enforce")
    def enforce_command(
        profile: ProfileOption,
        device: DeviceOption = None,
        at: AtOption = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show the plan; change nothing.")
        ] = False,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
    ) -> None:
        """Bring the phone to what the profile wants now (or --at a moment).

        Outside work hours the selected apps lose what the profile takes away (each setting's
        prior state is journaled first); inside work hours exactly that is given back. The
        phone is read back after the changes and every action reported as done, already so,
        refused (with the phone's reason) or did not take.

        Exit status: 0 converged, 1 some actions refused or did not take, 2 bad input,
        3 phone unreachable, 4 the phone's maker blocks changes (the message says which
        setting to turn on).

        Examples:

          hardener enforce --profile default

          hardener enforce -p my.toml --at 2026-11-24T20:00 --dry-run
        """
        loaded, run = profile_run(
            profile, device, at, apply=not dry_run, command="enforce", state_dir=state_dir,
            lock_timeout=lock_timeout, auth_timeout=auth_timeout, timeout=timeout,
        )  # fmt: skip
        _show(run, loaded.catalog, as_json, applied=not dry_run)
        raise typer.Exit(run.exit_code)

    @app.command("restore")
    def restore_command(
        device: DeviceOption = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would be given back; change nothing.")
        ] = False,
        as_json: JsonOption = False,
        state_dir: StateDirOption = None,
        lock_timeout: LockTimeoutOption = DEFAULT_LOCK_TIMEOUT,
        auth_timeout: AuthTimeoutOption = DEFAULT_AUTH_TIMEOUT,
        timeout: TimeoutOption = DEFAULT_TIMEOUT,
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
        with connect(device, auth_timeout) as phone:
            progress(f"restoring {phone.describe()}")
            run = run_restore(
                phone, state_dir=resolve_state_dir(state_dir), apply=not dry_run,
                lock_timeout=lock_timeout, timeout=timeout, rebuild_from_history=rebuild,
            )  # fmt: skip
        _show(run, load_catalog(), as_json, applied=not dry_run)
        raise typer.Exit(run.exit_code)
