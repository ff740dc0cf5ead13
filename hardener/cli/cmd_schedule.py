"""`hardener schedule install|remove|status|run`: the laptop keeps the phone in line by itself."""

from __future__ import annotations

import os
import shlex
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from hardener.cli.common import chosen_profile, profile_ref, tell_profile_source
from hardener.cli.device_option import connect
from hardener.cli.options import TARGET, shared_options
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.device.runner import parse_at, phone_device, run_profile
from hardener.device.transport import open_device
from hardener.errors import (
    EXIT_BAD_INPUT,
    EXIT_OEM_LOCK,
    EXIT_UNREACHABLE,
    HardenerError,
    InputError,
)
from hardener.host.signing import load_signed_profile
from hardener.profile import DEVICE_TIMEZONE, load_profile
from hardener.profile.localzone import local_timezone_name
from hardener.schedule.cron import (
    Crontab,
    block,
    blocks,
    log_run,
    recent_runs,
    tag_for,
    weekly_entries,
    without_blocks,
)
from hardener.schedule.timers import (
    ENV_UNITS_DIR,
    VIAS,
    Job,
    LaunchdAgents,
    SystemdTimers,
    catch_up_calendar,
    cron_command,
    default_units_dir,
    detect_via,
    job_argv,
    launchd_plist,
    on_calendar,
    unit_tag,
)
from hardener.state.journal import now_iso
from hardener.state.statedir import state_dir as resolve_state_dir
from hardener.textsafe import visible

schedule_app = typer.Typer(
    help="Run enforce from the laptop's scheduler (cron, systemd user timers or launchd): at "
    "each work-hours transition, and every few minutes to catch up with a phone that was away.",
    no_args_is_help=True,
)

EveryOption = Annotated[
    int,
    typer.Option("--every", metavar="MINUTES", min=1, max=59, help="Catch-up interval."),
]


def _crontab() -> Crontab:
    return Crontab(shlex.split(os.environ.get("HARDENER_CRONTAB", "crontab")))


def _profile_ref(profile: str) -> str:
    """Bundled names stay names; files become absolute paths (cron runs from elsewhere)."""
    path = Path(profile).expanduser()
    return str(path.resolve()) if path.suffix == ".toml" or path.exists() else profile


def _profile_zone(profile: str, phone: PhoneOptions) -> tuple[ZoneInfo, str]:
    loaded = load_profile(profile)
    name = loaded.work_hours.timezone
    if name != DEVICE_TIMEZONE:
        return ZoneInfo(name), name
    try:
        with connect(replace(phone, auth_timeout=10)) as transport:
            tz = phone_device(transport, options=phone).timezone
        if tz:
            return ZoneInfo(tz), f"{tz} (the phone's)"
    except HardenerError as error:
        typer.echo(f"hardener: cannot read the phone's timezone now ({error.message})", err=True)
    local = local_timezone_name() or "UTC"
    return ZoneInfo(local), f"{local} (this computer's; the catch-up runs correct any difference)"


ViaOption = Annotated[
    str | None,
    typer.Option(
        "--via",
        metavar="cron|systemd|launchd",
        help="Who runs hardener: the crontab, systemd user timers, or a launchd LaunchAgent "
        "(default: launchd on macOS, systemd when a user service manager runs, else cron).",
    ),
]
UnitsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--units-dir",
        metavar="DIR",
        envvar=ENV_UNITS_DIR,
        help="Where systemd units or launchd plists go (default: ~/.config/systemd/user, "
        "~/Library/LaunchAgents).",
    ),
]


def _via(via: str | None) -> str:
    chosen = via or detect_via()
    if chosen not in VIAS:
        raise InputError(f"--via {chosen!r}: unknown scheduler", hint=f"one of {', '.join(VIAS)}")
    return chosen


def _manager(via: str, units_dir: Path | None) -> SystemdTimers | LaunchdAgents:
    folder = units_dir.expanduser() if units_dir else default_units_dir(via)
    return SystemdTimers(folder) if via == "systemd" else LaunchdAgents(folder)


@schedule_app.command("install")
@shared_options("profile", "device", "every", "state_dir", ..., "require_signed")
def install(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    every: EveryOption = 10,
    via: ViaOption = None,
    units_dir: UnitsDirOption = None,
) -> None:
    """Add (or replace) hardener's timer for this profile and phone, and print it.

    It runs `hardener schedule run` at each work-hours transition and every
    --every minutes (catch-up): quiet on success, one line per run in the state
    dir's cron.log, one run per phone at a time.

    Examples:

      hardener schedule install --profile default

      hardener schedule install -p my.toml --device usb:8c3f2a71 --every 5

      hardener schedule install -p team.toml --via systemd --require-signed ~/allowed_signers
    """
    scheduler = _via(via)
    profile, device = profile_ref(chosen), phone.device
    ref = _profile_ref(profile)
    tell_profile_source(profile)
    signers = chosen.require_signed.expanduser().resolve() if chosen.require_signed else None
    loaded = load_signed_profile(ref, signers) if signers else load_profile(ref)
    zone, zone_words = _profile_zone(ref, phone)
    local = ZoneInfo(local_timezone_name() or "UTC")
    state = resolve_state_dir(phone.state_dir).expanduser().resolve()
    argv = job_argv(sys.executable, ref, device, state, signers)
    tag = tag_for(ref, device)
    if scheduler == "cron":
        command = cron_command(argv)
        lines = block(tag, weekly_entries(loaded, zone, local), command, every)
        crontab = _crontab()
        current, _ = without_blocks(crontab.read(), tag)
        crontab.write(current + "\n".join(lines) + "\n")
        typer.echo(f"installed in the crontab (work hours read in {zone_words}):")
        typer.echo("\n".join(lines))
        return
    job = Job(
        unit_tag(tag), argv, f"hardener: enforce {loaded.name} on {device or 'the only phone'}",
        every,
    )  # fmt: skip
    manager = _manager(scheduler, units_dir)
    if isinstance(manager, SystemdTimers):
        # systemd reads the profile's zone itself (and its DST): entries in that wall time
        calendars = on_calendar(weekly_entries(loaded, zone, zone), zone.key)
        paths, problems = manager.install(job, calendars)
        shown = [*calendars, catch_up_calendar(every)]
    else:
        entries = weekly_entries(loaded, zone, local)  # launchd uses the Mac's local time
        paths, problems = manager.install(job, launchd_plist(job, entries, state / "launchd.log"))
        shown = [f"{e.cron()} (cron notation, this computer's time)" for e in entries]
        shown.append(f"every {every} minutes")
    typer.echo(f"installed {scheduler} timer (work hours read in {zone_words}):")
    for path in paths:
        typer.echo(f"  {path}")
    for line in shown:
        typer.echo(f"  {line}")
    for problem in problems:
        typer.echo(f"hardener: warning: {problem}", err=True)


@schedule_app.command("remove")
@shared_options("only", "device", ...)
def remove(
    phone: PhoneOptions,
    only: Annotated[
        str | None,
        typer.Option("--profile", "-p", metavar="FILE|NAME", help="Only this profile's entries."),
    ] = None,
    via: ViaOption = None,
    units_dir: UnitsDirOption = None,
) -> None:
    """Delete hardener's entries or timers (all, or one profile and phone's); nothing else.

    Examples:

      hardener schedule remove

      hardener schedule remove --profile my.toml --via systemd
    """
    chosen = _via(via)
    tag = tag_for(_profile_ref(only), phone.device) if only else None
    if chosen != "cron":
        manager = _manager(chosen, units_dir)
        removed, problems = manager.remove(unit_tag(tag) if tag else None)
        for problem in problems:
            typer.echo(f"hardener: warning: {problem}", err=True)
        if not removed:
            typer.echo(f"no hardener {chosen} timers in {manager.folder}")
        for item in removed:
            typer.echo(f"removed hardener's {chosen} timer {item.tag} ({len(item.files)} files)")
        return
    crontab = _crontab()
    text, removed_blocks = without_blocks(crontab.read(), tag)
    if not removed_blocks:
        typer.echo("no hardener entries in the crontab")
        return
    crontab.write(text)
    for lines in removed_blocks:
        name = lines[0][len("# BEGIN hardener ") :].split(" ", 1)[0]
        typer.echo(f"removed hardener's entries {name} ({len(lines) - 2} lines)")


@schedule_app.command("status")
@shared_options("state_dir", ...)
def status(
    phone: PhoneOptions,
    runs: int = 10,
    via: ViaOption = None,
    units_dir: UnitsDirOption = None,
) -> None:
    """Show hardener's crontab entries or timers, the last runs and their results.

    Examples:

      hardener schedule status

      hardener schedule status --runs 30 --via systemd
    """
    chosen = _via(via)
    if chosen == "cron":
        found = blocks(_crontab().read())
        if not found:
            typer.echo("no hardener entries in the crontab")
        for lines in found:
            typer.echo("\n".join(visible(line) for line in lines))
    else:
        manager = _manager(chosen, units_dir)
        items = manager.installed()
        if not items:
            typer.echo(f"no hardener {chosen} timers in {manager.folder}")
        for item in items:
            typer.echo(f"{chosen} timer {item.tag}:")
            typer.echo("\n".join(f"  {path}" for path in item.files))
            typer.echo("\n".join(f"  {visible(line)}" for line in item.schedule))
    state = resolve_state_dir(phone.state_dir)
    recent = recent_runs(state, runs)
    typer.echo(f"\nlast runs ({state / 'cron.log'}):" if recent else "\nno runs logged yet")
    for line in recent:
        typer.echo(f"  {visible(line)}")


@schedule_app.command("run")
@shared_options(*TARGET, "state_dir", "lock_timeout", "require_signed", lock_timeout=30.0)
def run(phone: PhoneOptions, chosen: ProfileOptions) -> None:
    """What cron runs: enforce, quietly. One line per run goes to the log in the state dir.

    With `arm = true` in the profile, each run also leaves a job on the phone for the next
    transitions (`hardener arm --help`), and logs what the previous job did.

    Never prompts (a phone that has not authorised this computer is logged and skipped);
    a phone that is not reachable is logged and the run exits 3 without output. Bad input
    (exit 2) and a phone whose maker blocks changes (exit 4) are also printed, for cron's mail.

    Examples:

      hardener schedule run --profile default   # as cron runs it
    """
    state = resolve_state_dir(phone.state_dir)
    moment = parse_at(chosen.at)
    profile, who = chosen.profile, phone.device or "the only phone"
    try:
        loaded = chosen_profile(chosen, tell=False)  # cron mails whatever is printed
        # auth_timeout 0 and no prompt: an unattended run never waits for a tap on the phone
        with open_device(phone.device, auth_timeout=0) as transport:
            result = run_profile(
                transport, loaded, moment, options=phone, apply=True, arm=loaded.arm
            )
    except HardenerError as error:
        code = error.exit_code
        if code == EXIT_UNREACHABLE:
            log_run(
                state,
                f"{now_iso()} {profile} {who}: not reachable, nothing done (exit 3): "
                f"{error.message}",
            )
        else:
            log_run(state, f"{now_iso()} {profile} {who}: error (exit {code}): {error.message}")
            if code == EXIT_BAD_INPUT:
                typer.echo(f"hardener: error: {error}", err=True)
        raise typer.Exit(code) from None
    outcomes = result.result.outcomes if result.result else ()
    counts = Counter(o.status for o in outcomes)
    words = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "already as wanted"
    serial = result.snapshot.device.serial
    state_words = "work hours" if result.evaluation and result.evaluation.working else "off hours"
    gaps = (
        loaded.work_hours.calendar_gaps(result.evaluation.moment.date())
        if result.evaluation is not None
        else ()
    )
    warnings = "".join(f"; warning: {gap}" for gap in gaps)  # one log line per run
    for report in result.arm_reports:  # what the job left last time did meanwhile
        log_run(state, f"{now_iso()} {profile} {serial}: {report.words}")
    if result.armed is not None:
        for report in result.armed.replaced:
            log_run(state, f"{now_iso()} {profile} {serial}: {report.words}")
        words += f"; armed job {result.armed.record.arm_id}"
    log_run(
        state,
        f"{now_iso()} {profile} {serial}: {state_words}: {words} (exit {result.exit_code})"
        + warnings,
    )
    if result.exit_code == EXIT_OEM_LOCK:
        typer.echo(
            f"hardener: {serial} refuses changes; run `hardener doctor` for the setting", err=True
        )
    raise typer.Exit(result.exit_code)


def register(app: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")
