"""`hardener evidence`: what the apps did in work and off hours, and what hardener changed."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from hardener.cli.common import JsonOption, chosen_profile, print_json, progress
from hardener.cli.device_option import connect
from hardener.cli.offline import check_source
from hardener.cli.options import shared_options
from hardener.core.evidence import EvidenceInput, compute
from hardener.core.evidence_html import render
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.device.evidence_read import read_bugreport
from hardener.device.runner import history_of, run_evidence
from hardener.errors import InputError
from hardener.state.statedir import state_dir as resolve_state_dir
from hardener.textsafe import visible

_SINCE = re.compile(r"([0-9]{1,4})([mhdw])")
_UNIT = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_UNIT["w"] = timedelta(weeks=1)


def parse_since(text: str) -> timedelta:
    """`7d`, `36h`, `2w`, `90m` -> a duration (at most 400 days)."""
    match = _SINCE.fullmatch(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise InputError(
            f"--since {text!r} is not a duration",
            hint="write a number and a unit: 90m, 36h, 7d or 2w",
        )
    value = int(match.group(1)) * _UNIT[match.group(2)]
    if value > timedelta(days=400):
        raise InputError(f"--since {text!r} is too long", hint="at most 400 days")
    return value


def _text_report(document: dict[str, Any]) -> str:
    device = document["device"]
    lines = [
        visible(
            f"{device['model'] or '?'} (Android {device['release'] or '?'}), "
            f"{document['window']['since'][:16]} to {document['window']['until'][:16]}, "
            f"profile {document['profile']}; first enforced: "
            f"{(document['first_enforced'] or 'never')[:16]}"
        )
    ]
    for app in document["apps"]:  # names and packages come from the phone and the catalog
        lines.append(visible(f"{app['name']} ({app['package']}, user {app['user']})"))
        for capability, figures in app["capabilities"].items():
            accesses, refused = figures["accesses"], figures["refused"]
            work, off = accesses["work_hours"], accesses["off_hours"]
            held = figures["held_off_hours_h"]
            lines.append(
                f"  {capability:12} work {work['in_use']} in use + {work['background']} bg; "
                f"off hours {off['in_use']} in use + {off['background']} bg; "
                f"{accesses['not_attributable']} not attributable; "
                f"refused {refused['total']} ({refused['off_hours']} off hours)"
                + ("" if held is None else f"; held {held} h off hours")
            )
    if not document["apps"]:
        lines.append("no access by the apps this profile covers is recorded in the window")
    lines.append("What Android keeps:")
    lines.extend(f"  - {text}" for text in document["limits"].values())
    return "\n".join(lines)


def _write_private(path: Path, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(
            f"cannot write the report to {path}: {error.strerror}",
            hint="give a file in a folder you can write to",
        ) from None


def register(app: typer.Typer) -> None:
    @app.command("evidence")
    @shared_options(
        "profile", "device", ..., "state_dir", "auth_timeout", "timeout", "lock_timeout"
    )
    def evidence_command(
        phone: PhoneOptions,
        chosen: ProfileOptions,
        since: Annotated[
            str,
            typer.Option("--since", metavar="DURATION", help="How far back: 90m, 36h, 7d, 2w."),
        ] = "7d",
        html: Annotated[
            Path | None,
            typer.Option("--html", metavar="FILE", help="Also write a self-contained HTML report."),
        ] = None,
        from_bugreport: Annotated[
            Path | None,
            typer.Option(
                "--from-bugreport",
                metavar="FILE",
                help="Read an `adb bugreport` zip (or its text) instead of a phone.",
            ),
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Show what the apps did in work and off hours, and what hardener changed.

        Per app and capability: accesses in work and off hours (app in use or in the
        background), accesses Android refused, hours each capability was held off hours
        (from hardener's own history), before and after hardener first enforced on this
        phone. Every figure says what Android keeps for its release and op. Reads the phone
        in one round trip; changes nothing.

        Examples:

          hardener evidence --profile default --since 7d

          hardener evidence --profile default --json > evidence.json

          hardener evidence --profile default --html report.html

          hardener evidence --profile default --from-bugreport bugreport.zip
        """
        loaded = chosen_profile(chosen)
        window = parse_since(since)
        data: EvidenceInput
        check_source(phone.device, str(from_bugreport) if from_bugreport else None)
        if from_bugreport is not None:
            data = read_bugreport(from_bugreport)
            records = list(history_of(resolve_state_dir(phone.state_dir), data.device.serial))
        else:
            with connect(phone) as transport:
                progress(f"reading access records from {transport.describe()} (1 round trip)")
                run = run_evidence(transport, options=phone)
            data, records = run.data, list(run.history)
        schedule = loaded.schedule(data.device.timezone or None)
        document = compute(
            data,
            schedule=schedule,
            selects=lambda package: loaded.policy_for(package) is not None,
            name_of=loaded.catalog.name_of,
            records=records,
            since=window,
            fallback_now=datetime.now(UTC),
            profile_name=loaded.name,
        )
        if html is not None:
            _write_private(html, render(document))
        if as_json:
            print_json(document)
        else:
            typer.echo(_text_report(document))
            if html is not None:
                typer.echo(f"report written to {html}")
