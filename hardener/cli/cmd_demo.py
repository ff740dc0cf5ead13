"""`hardener demo`: the whole story on a virtual phone, for a first look with nothing plugged in.

Scan -> audit at an evening moment -> enforce -> scan again -> restore in the morning -> show
the phone is back as it was. It runs a real virtual phone (ADB server and Android model) on
loopback and talks to it over ADB exactly as it would to a phone on a cable; its key and
journal live in a temporary folder, so nothing of yours is touched.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from hardener.android.oem import rom_name, unlock_advice
from hardener.cli.common import terminal_width
from hardener.core.options import PhoneOptions
from hardener.core.run import PhoneRun
from hardener.core.run_report import findings_table, moment_line, outcomes_text, summary
from hardener.core.scan_report import scan_json, scan_table
from hardener.core.snapshot import Discovery
from hardener.core.textfit import wrap
from hardener.device.runner import run_profile, run_restore, run_scan
from hardener.device.transport import open_device
from hardener.profile import load_profile
from hardener.sim.adbd import SimServer
from hardener.sim.android import DEFAULT_PERSONA, load_persona


def demo_moments(today: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """An evening off work (20:00 on the next Tuesday-Thursday) and the next morning at 10:00."""
    day = today
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    evening = datetime.combine(day, time(20, 0), tzinfo=tz)
    return evening, evening + timedelta(hours=14)


def _title(text: str, command: str = "") -> None:
    """A step's title, and on its own line the command a person would type for it (so
    both fit an 80-column terminal)."""
    typer.echo("")
    typer.secho(f"== {text}", bold=True)
    if command:
        typer.echo(f"   $ {command}")


def _say(text: str) -> None:
    """Narration, wrapped to the terminal."""
    typer.echo("\n".join(wrap(text, terminal_width())))


def _refusal_advice(run: PhoneRun) -> None:
    """After refusals by the phone's maker, the setting that lifts them (as enforce says)."""
    if run.result is not None and run.result.oem_locked:
        typer.echo(
            f"{rom_name(run.snapshot.device)} refused these changes; to allow them, "
            f"{unlock_advice(run.snapshot.device)}"
        )


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Field-by-field differences between two scans, per app, in words."""
    first = {(a["package"], a["user"]): a for a in before["apps"]}
    lines = []
    for app in after["apps"]:
        was = first.get((app["package"], app["user"]))
        if was is None:
            continue
        for field in ("capabilities", "permissions", "app_ops", "background", "hooks"):
            for key in sorted(set(app[field]) | set(was[field])):
                old, new = was[field].get(key), app[field].get(key)
                if old != new:
                    if field == "permissions":
                        old, new = _granted(old), _granted(new)
                    where = f"{app['name']} (user {app['user']})"
                    short = key.removeprefix("android.permission.")
                    lines.append(f"{where} {field}.{short}: {old} -> {new}")
    return lines


def _granted(permission: dict[str, Any] | None) -> str:
    if permission is None:
        return "absent"
    return "granted" if permission["granted"] else "denied"


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        persona: Annotated[
            str, typer.Option("--persona", metavar="NAME|FILE", help="Which virtual phone.")
        ] = DEFAULT_PERSONA,
        profile: Annotated[
            str, typer.Option("--profile", "-p", metavar="FILE|NAME", help="Which profile.")
        ] = "default",
    ) -> None:
        """Run the whole story on a virtual phone: scan, audit, enforce, restore.

        Nothing to plug in, nothing of yours changed: the phone, its key and the journal are
        temporary. Then try the same commands on your phone (USB debugging on):
        `hardener scan`, `hardener audit --profile default`, `hardener enforce --profile default`.

        Examples:

          hardener demo                  # the story, step by step

          hardener demo --persona xiaomi-hyperos-14
        """
        loaded = load_profile(profile)
        catalog = loaded.catalog
        with tempfile.TemporaryDirectory(prefix="hardener-demo-") as scratch:
            home = Path(scratch) / "home"
            state = Path(scratch) / "state"
            home.mkdir()
            env = {**os.environ, "HOME": str(home)}
            env.pop("ANDROID_USER_HOME", None)
            phone = load_persona(persona)
            with SimServer(phone, auth="accept") as server:
                banner = phone.banner()
                _say(
                    f"A virtual phone ('{phone.name}', {banner.get('ro.product.model', '?')}) is "
                    f"listening on {server.serial}. hardener talks to it over ADB, as to a "
                    "phone on a cable."
                )
                with open_device(server.serial, auth_timeout=10, env=env) as transport:
                    options = PhoneOptions(state_dir=state)
                    _story(transport, loaded, catalog, options, server.serial)


def _story(transport: Any, profile: Any, catalog: Any, options: PhoneOptions, spec: str) -> None:
    def choose(discovery: Discovery) -> list[str]:
        return [package for package in discovery.packages if package in catalog]

    _title("1. What the workplace and social apps can do", f"hardener scan --device {spec}")
    snapshot = run_scan(transport, choose, options=options).snapshot
    before = scan_json(snapshot, catalog, snapshot.apps)
    typer.echo(scan_table(snapshot, catalog, snapshot.apps, terminal_width()))

    tz = ZoneInfo(snapshot.device.timezone) if snapshot.device.timezone else ZoneInfo("UTC")
    evening, morning = demo_moments(datetime.now(tz).date(), tz)
    at = evening.strftime("%Y-%m-%dT%H:%M")
    _title(f"2. Audit at {at}", f"hardener audit -p {profile.name} --at {at}")
    audit = run_profile(transport, profile, evening, options=options, apply=False, command="audit")
    assert audit.evaluation is not None
    typer.echo("\n".join(wrap(moment_line(audit.evaluation), terminal_width(), hang="  ")))
    typer.echo(findings_table(audit.evaluation.findings, terminal_width()))

    _title("3. Enforce in the evening", f"hardener enforce -p {profile.name} --at {at}")
    hardened = run_profile(transport, profile, evening, options=options, apply=True)
    assert hardened.result is not None
    typer.echo(outcomes_text(hardened.result.outcomes, catalog))
    typer.echo(summary(hardened.result.outcomes, hardened.round_trips))
    _refusal_advice(hardened)

    _title("4. The phone now (scan again)")
    now = run_scan(transport, choose, options=options).snapshot
    typer.echo(scan_table(now, catalog, now.apps, terminal_width()))

    at = morning.strftime("%Y-%m-%dT%H:%M")
    _title("5. Morning: hardener gives it back", f"hardener enforce -p {profile.name} --at {at}")
    restored = run_profile(transport, profile, morning, options=options, apply=True)
    assert restored.result is not None
    typer.echo(outcomes_text(restored.result.outcomes, catalog))
    typer.echo(summary(restored.result.outcomes, restored.round_trips))
    _refusal_advice(restored)
    after_scan = run_scan(transport, choose, options=options).snapshot
    kept = _differences(before, scan_json(after_scan, catalog, after_scan.apps))
    if kept:
        typer.echo("\nStill off, because the profile never allows it at any time:")
        typer.echo("\n".join(f"  {line}" for line in kept))

    _title("6. Give me my phone back", f"hardener restore --device {spec}")
    everything = run_restore(transport, options=options, apply=True)
    assert everything.result is not None
    typer.echo(summary(everything.result.outcomes, everything.round_trips))
    last = run_scan(transport, choose, options=options).snapshot
    remaining = _differences(before, scan_json(last, catalog, last.apps))
    if remaining:
        typer.echo("Differences from the first scan:\n" + "\n".join(remaining))
        raise typer.Exit(1)
    _say(
        "The scan now equals the first scan, field for field: every grant, flag, app-op, "
        "allow-list entry and bucket is back as it was."
    )
