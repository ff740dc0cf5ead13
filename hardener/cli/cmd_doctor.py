"""`hardener doctor`: what this phone lets hardener do, and what to switch on if it refuses."""

from __future__ import annotations

from dataclasses import replace

import typer

from hardener.android.catalog.catalog import load_catalog
from hardener.android.oem import rom_name
from hardener.arm.survival import arming_checks, parse_settings, settings_commands
from hardener.cli.common import JsonOption, print_json, progress, terminal_width
from hardener.cli.device_option import connect
from hardener.cli.options import shared_options
from hardener.core.options import PhoneOptions
from hardener.core.snapshot import Discovery
from hardener.core.textfit import wrap
from hardener.device.doctor import diagnose
from hardener.device.runner import run_doctor
from hardener.errors import EXIT_FINDINGS, EXIT_OEM_LOCK, EXIT_OK
from hardener.textsafe import visible

MARK = {True: "ok  ", False: "NO  ", None: "?   "}


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    @shared_options("device", ..., "state_dir", "auth_timeout", "lock_timeout", "timeout")
    def doctor_command(phone: PhoneOptions, as_json: JsonOption = False) -> None:
        """Check what this phone lets hardener do; change nothing.

        Android version and ROM, users and work profiles reachable, whether the shell may grant
        and revoke permissions and set app-ops (probes that change nothing), whether "don't ask
        again" flags and the restricted bucket exist; on Xiaomi (MIUI/HyperOS) and
        OPPO/OnePlus/realme (ColorOS/OxygenOS) the exact setting to turn on; whether a job
        armed on the phone (`hardener arm`) can survive the night and what to change (Default
        USB configuration, Wi-Fi-only debugging, OEM quirks, Android version); and what no
        shell command can block.

        Exit status: 0 all good, 1 something could not be checked, 3 phone unreachable,
        4 the phone's maker blocks changes (turn on the named setting).

        Examples:

          hardener doctor

          hardener doctor --device usb:8c3f2a71 --json
        """
        catalog = load_catalog()

        def choose(discovery: Discovery) -> list[str]:
            # the catalog's apps, and a few other third-party ones to probe with if need be
            known = [p for p in discovery.packages if p in catalog]
            return known + sorted(discovery.third_party - set(known))[:10]

        with connect(phone) as transport:
            progress(f"examining {transport.describe()}")
            run = run_doctor(transport, choose, options=phone, extra=settings_commands())
        snapshot = run.snapshot
        diagnosis = diagnose(snapshot, run.probe, list(run.results))
        settings = parse_settings([r.output for r in run.extra])
        survival = arming_checks(
            run.discovery.props, snapshot.device.sdk, snapshot.device.rom, settings
        )
        diagnosis = replace(diagnosis, checks=(*diagnosis.checks, *survival))
        code = EXIT_OEM_LOCK if diagnosis.oem_locked else EXIT_OK
        if code == EXIT_OK and any(c.ok is None for c in diagnosis.checks):
            code = EXIT_FINDINGS
        if as_json:
            print_json({**diagnosis.to_json(), "exit_code": code})
            raise typer.Exit(code)
        info = snapshot.device
        rom = rom_name(info)
        version = f"Android {info.release} (SDK {info.sdk})"
        cols = terminal_width()
        lines = wrap(
            visible(f"{info.manufacturer} {info.model} ({info.serial}): {version}, ROM {rom}"),
            cols,
        )
        for check in diagnosis.checks:
            said = f"{MARK[check.ok]}{visible(check.name)}: {visible(check.words)}"
            lines += wrap(said, cols, indent="  ", hang="      ")
            if check.advice:
                fix = f"to fix: {visible(check.advice)}"
                lines += wrap(fix, cols, indent="        ", hang="          ")
        lines.append("What no shell command can block on this phone:")
        for item in diagnosis.cannot_block:
            lines += wrap(f"- {visible(item)}", cols, indent="  ", hang="    ")
        typer.echo("\n".join(lines))
        raise typer.Exit(code)
