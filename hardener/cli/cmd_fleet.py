"""`hardener fleet plan|apply|audit|restore|merge`: one profile, many phones, one summary."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from hardener.cli.common import JsonOption, load_profile_told, print_json
from hardener.cli.options import ROLLOUT, ReportOption, shared_options
from hardener.cli.terminal import raw_stream
from hardener.core.options import PhoneOptions, ProfileOptions, RolloutOptions
from hardener.device.runner import parse_at
from hardener.device.transport.keys import key_warning
from hardener.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREACHABLE, InputError
from hardener.fleet.identity import identity
from hardener.fleet.inventory import Inventory, inventory_profiles, load_inventory
from hardener.fleet.report import (
    check_report_path,
    read_report_document,
    report_document,
    summary_table,
    write_report,
)
from hardener.fleet.rollout import DeviceResult, device_task, resolve_targets, rollout
from hardener.host.signing import load_profiles
from hardener.profile import Profile
from hardener.schedule.timers import check_value
from hardener.textsafe import visible

fleet_app = typer.Typer(
    help="Roll a profile out to many phones at once: in parallel, canary first, with a report. "
    "Several hosts can each roll out to their own phones and merge the reports.\n\n"
    # rich markup would eat the brackets of the TOML headers: escape them
    + escape(
        "The inventory (TOML) lists [[groups]] with a profile and their devices (serials, "
        'HOST:PORT, server:SERIAL, or "all"), plus [defaults] and per-phone '
        '[overrides."SERIAL"]; the format is in hardener/fleet/inventory.py and the README.'
    )
    + "\n\n"
    "Example: hardener fleet apply -i inventory.toml --canary 2 --report out.json",
    no_args_is_help=True,
)


class _Bar:
    """A progress bar on stderr while phones are handled (only on a terminal)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.stream = raw_stream(sys.stderr)  # its \r is ours, not outside text
        self.shown = self.stream.isatty()

    def __call__(self, done: int, total: int, failed: int) -> None:
        if not self.shown or total == 0:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} done, {failed} failed")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def _run(
    mode: str,
    options: RolloutOptions,
    *,
    phone: PhoneOptions,
    chosen: ProfileOptions,
    as_json: bool,
) -> None:
    inventory_path, host, report = options.inventory, options.host, options.report
    if inventory_path is None:  # typer requires it; a caller from Python might not give it
        raise InputError("no inventory given", hint="give --inventory FILE")
    if host is not None:
        check_value("--host", host)
    inventory = load_inventory(inventory_path)
    # Every profile is read (and verified when asked) before any phone is reached.
    # The verified profiles are the ones used: never read again from disk after the check.
    profiles: dict[str, Profile] = {}
    if mode != "restore":
        profiles = (
            load_profiles(inventory_profiles(inventory), chosen.require_signed)
            if chosen.require_signed
            else _load_profiles(inventory)
        )
    moment = parse_at(chosen.at)
    if report is not None:
        check_report_path(report)  # before any phone is touched
    targets, notes = resolve_targets(inventory)
    warning = key_warning()
    for note in [*notes, *([warning] if warning else [])]:
        typer.echo(f"hardener: {visible(note)}", err=True)
    if not targets:
        raise typer.Exit(_no_phones(inventory_path))
    started = datetime.now(UTC)
    per_phone = replace(phone, auth_timeout=inventory.auth_timeout)  # the inventory's
    task = device_task(mode, options=per_phone, at=moment, profiles=profiles)
    results = rollout(
        targets, task, concurrency=options.concurrency, canary=options.canary,
        max_failures=options.max_failures, progress=_Bar(f"fleet {mode}"),
    )  # fmt: skip
    if host:
        results = [replace(r, host=host) for r in results]
    document = report_document(mode, results, started, inventory=str(inventory_path))
    if host:
        document["host"] = host
    if report is not None:
        write_report(report, document, results)
    if as_json:
        print_json(document)
    else:
        typer.echo(summary_table(results))
        stopped = next((r.error for r in results if r.status == "skipped" and r.error), "")
        if stopped:
            typer.echo(stopped)
        if report is not None:
            typer.echo(f"report: {report}")
    raise typer.Exit(_exit_code(results))


def _load_profiles(inventory: Inventory) -> dict[str, Profile]:
    """Every profile the inventory names, read now: a missing or broken one is exit 2 before
    any phone is touched, not a failure on every phone."""
    refs = [g.profile for g in inventory.groups]
    refs += [o.profile for o in inventory.overrides.values() if o.profile]
    loaded: dict[str, Profile] = {}
    for ref in dict.fromkeys(refs):
        try:
            loaded[ref] = load_profile_told(ref)
        except InputError as error:
            raise InputError(
                f"{inventory.path}: the profile {ref} cannot be used; no phone was touched:\n"
                f"{error.message}",
                hint=error.hint,
            ) from None
    return loaded


def _no_phones(path: Path) -> int:
    typer.echo(f"hardener: error: no phone to work on from {path}", err=True)
    return EXIT_UNREACHABLE


def _exit_code(results: list[DeviceResult]) -> int:
    if results and all(r.status == "unreachable" for r in results):
        return EXIT_UNREACHABLE
    if any(r.failed or r.status in ("skipped", "findings") for r in results):
        return EXIT_FINDINGS
    return EXIT_OK


# Each mode offers only the options that do something for it: plan and audit change nothing,
# so they have no canary; restore gives back what is held whatever the time, so no --at.
NO_CANARY = tuple(name for name in ROLLOUT if name != "canary")


@fleet_app.command("plan")
@shared_options(*NO_CANARY, "at", "state_dir", "timeout", "as_json", "require_signed", "host")
def plan_command(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    rollout: RolloutOptions,
    as_json: JsonOption = False,
) -> None:
    """What enforce would do on every phone of the inventory; changes nothing.

    Example: hardener fleet plan -i inventory.toml --at 2026-11-24T20:00 --report plan.json
    """
    _run("plan", rollout, phone=phone, chosen=chosen, as_json=as_json)


@fleet_app.command("apply")
@shared_options(*ROLLOUT, "at", "state_dir", "timeout", "as_json", "require_signed", "host")
def apply_command(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    rollout: RolloutOptions,
    as_json: JsonOption = False,
) -> None:
    """Enforce the inventory's profiles on every phone. Exit 0 when all converged.

    Example: hardener fleet apply -i inventory.toml --canary 2 --max-failures 5 --report out.csv
    """
    _run("apply", rollout, phone=phone, chosen=chosen, as_json=as_json)


@fleet_app.command("audit")
@shared_options(*NO_CANARY, "at", "state_dir", "timeout", "as_json", "require_signed", "host")
def audit_command(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    rollout: RolloutOptions,
    as_json: JsonOption = False,
) -> None:
    """Compare every phone with its profile. Exit 0 when all are compliant.

    Example: hardener fleet audit -i inventory.toml --json > audit.json
    """
    _run("audit", rollout, phone=phone, chosen=chosen, as_json=as_json)


@fleet_app.command("restore")
@shared_options(*ROLLOUT, "state_dir", "timeout", "as_json", "require_signed", "host")
def restore_command(
    phone: PhoneOptions,
    chosen: ProfileOptions,
    rollout: RolloutOptions,
    as_json: JsonOption = False,
) -> None:
    """Give every phone back what hardener changed, whatever the profile or time.

    Example: hardener fleet restore -i inventory.toml --canary 1 --report restore.json
    """
    _run("restore", rollout, phone=phone, chosen=chosen, as_json=as_json)


@fleet_app.command("merge")
def merge(
    reports: Annotated[
        list[Path], typer.Argument(metavar="REPORT...", help="Reports from --report.")
    ],
    report: ReportOption = None,
    as_json: JsonOption = False,
) -> None:
    """Combine several hosts' reports (JSON or CSV) into one summary.

    Example: hardener fleet merge host-a.json host-b.csv --report all.json
    """
    if not reports:
        raise InputError("give at least one report to merge")
    if report is not None:
        check_report_path(report)
    results, mode = _merge(reports)
    document = report_document(
        "merge", results, datetime.now(UTC), merged=[str(p) for p in reports],
        merged_mode=mode,
    )  # fmt: skip
    if report is not None:
        write_report(report, document, results)
    if as_json:
        print_json(document)
    else:
        typer.echo(summary_table(results))
    raise typer.Exit(_exit_code(results))


def _merge(paths: list[Path]) -> tuple[list[DeviceResult], str]:
    """Every phone of the reports once: a report given twice counts once; two reports of
    different kinds (audit and apply), or one phone in two reports, are refused (exit 2)."""
    results: list[DeviceResult] = []
    contents: dict[str, Path] = {}
    modes: dict[str, Path] = {}
    owners: dict[tuple[str, str], Path] = {}
    for path in paths:
        digest = hashlib.sha256(path.read_bytes() if path.is_file() else b"").hexdigest()
        if digest in contents and path.is_file():
            typer.echo(
                f"hardener: {visible(path)} is the same report as {visible(contents[digest])}; "
                "counted once",
                err=True,
            )
            continue
        contents[digest] = path
        mode, devices = read_report_document(path)
        if mode and mode != "?":
            modes.setdefault(mode, path)
        if len(modes) > 1:
            kinds = ", ".join(f"{visible(p)} is a {m} report" for m, p in modes.items())
            raise InputError(
                f"cannot merge reports of different kinds: {kinds}",
                hint="merge the reports of one rollout (all apply, or all audit)",
            )
        for result in devices:
            phone = (result.host, result.serial or identity(result.spec))
            if phone in owners:
                raise InputError(
                    f"the phone {visible(result.serial or result.spec)} of host "
                    f"{visible(result.host)} is in both {visible(owners[phone])} and "
                    f"{visible(path)}",
                    hint="merge one report per host of one rollout (drop the older report)",
                )
            owners[phone] = path
            results.append(result)
    return results, next(iter(modes), "")


def register(app: typer.Typer) -> None:
    app.add_typer(fleet_app, name="fleet")
