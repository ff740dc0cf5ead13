"""`hardener sim`: serve a virtual phone on loopback, for the official adb, adb-shell and people.

It is a real device-side ADB endpoint (see hardener/sim/adbd.py) over a stateful Android
model loaded from a persona, so admins can try a profile on it before any real phone.
"""

from __future__ import annotations

import signal
import threading
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from hardener.errors import InputError
from hardener.sim.adbd import SimServer
from hardener.sim.android import DEFAULT_PERSONA, AndroidDevice, load_persona, persona_names, zen
from hardener.sim.control import ControlServer
from hardener.sim.faults import Costs, Faults


class AuthMode(StrEnum):
    accept = "accept"
    reject = "reject"
    off = "off"


def register(app: typer.Typer) -> None:
    @app.command("sim")
    def sim_command(
        persona: Annotated[
            str,
            typer.Option(
                "--persona",
                metavar="NAME|FILE",
                help="A bundled persona (see --list) or a persona TOML file.",
            ),
        ] = DEFAULT_PERSONA,
        apps: Annotated[
            int | None,
            typer.Option(
                "--apps", metavar="N", min=0, help="Carry N third-party apps in all (benchmarks)."
            ),
        ] = None,
        host: Annotated[
            str, typer.Option(help="Address to listen on (loopback by default).")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option(min=0, max=65535, help="TCP port; 0 picks a free one.")
        ] = 5555,
        log: Annotated[
            Path | None,
            typer.Option(
                "--log",
                metavar="FILE",
                help="Append one line per opened stream (service and command).",
            ),
        ] = None,
        auth: Annotated[
            AuthMode,
            typer.Option(
                help="accept: trust a new key as if Allow was tapped; reject: never (an "
                "unauthorised phone); off: no authentication (ro.adb.secure=0)."
            ),
        ] = AuthMode.accept,
        latency_ms: Annotated[
            float, typer.Option(min=0, help="Added per round trip (opened stream).")
        ] = 0.0,
        dumpsys_ms: Annotated[
            float, typer.Option(min=0, help="Device-side cost of each dumpsys.")
        ] = 0.0,
        cmd_ms: Annotated[
            float,
            typer.Option(min=0, help="Device-side cost of each cmd/pm/am/appops/settings/getprop."),
        ] = 0.0,
        drop_after_commands: Annotated[
            int | None,
            typer.Option(min=0, metavar="N", help="Drop the connection after N commands (once)."),
        ] = None,
        drop_after_bytes: Annotated[
            int | None,
            typer.Option(
                min=0, metavar="N", help="Drop the connection after N bytes of output (once)."
            ),
        ] = None,
        stall_after_bytes: Annotated[
            int | None,
            typer.Option(
                min=0,
                metavar="N",
                help="Stop sending a stream after N bytes, without closing (once).",
            ),
        ] = None,
        restart_adbd_after_commands: Annotated[
            int | None,
            typer.Option(
                min=0,
                metavar="N",
                help="Restart adbd after N commands (once), as USB debugging toggled off and "
                "on does: the link drops and, from Android 8, jobs adb started die.",
            ),
        ] = None,
        serial: Annotated[
            str | None,
            typer.Option(
                "--serial", help="This phone's own ro.serialno (to run several of one persona)."
            ),
        ] = None,
        list_personas: Annotated[
            bool, typer.Option("--list", help="List the bundled personas and exit.")
        ] = False,
        incoming: Annotated[
            list[str] | None,
            typer.Option(
                "--incoming",
                metavar="KIND:NUMBER:AFTER_S",
                help="After AFTER_S seconds a call or sms from NUMBER reaches the phone; "
                "prints whether it rang or Do Not Disturb silenced it (repeatable).",
            ),
        ] = None,
        clock: Annotated[
            str | None,
            typer.Option(
                "--clock",
                metavar="TIME",
                help="Start the phone's clock at this ISO 8601 time with its UTC offset, "
                "e.g. 2026-12-01T17:45:00+08:00 (default: now).",
            ),
        ] = None,
        timezone: Annotated[
            str | None,
            typer.Option(
                "--timezone",
                metavar="ZONE",
                help="The phone's time zone (persist.sys.timezone), e.g. Asia/Shanghai; "
                "default: the persona's.",
            ),
        ] = None,
        real_time: Annotated[
            bool,
            typer.Option(
                "--real-time/--no-real-time",
                help="Let the phone's clock run with the host's (default), or move it only "
                "through the control socket.",
            ),
        ] = True,
        control: Annotated[
            Path | None,
            typer.Option(
                "--control",
                metavar="SOCKET",
                help="Listen for `hardener sim-control` on this Unix socket (mode 0600): "
                "advance or suspend the clock, reboot, restart adbd, change USB mode.",
            ),
        ] = None,
    ) -> None:
        """Serve a virtual phone until interrupted (Ctrl-C).

        Any ADB client works against it: `adb connect HOST:PORT`, adb-shell, or hardener
        itself (`hardener scan --device HOST:PORT`). Its state lives in memory: every run
        starts from the persona.

        Examples:

          hardener sim                                   # pixel-14 on 127.0.0.1:5555

          hardener sim --persona xiaomi-hyperos-14 --port 5601 --log /tmp/sim.log

          hardener sim --apps 300 --latency-ms 2 --dumpsys-ms 30 --cmd-ms 8

          hardener sim --incoming call:+8613800000000:60 --incoming sms:+8613800000000:61

          hardener sim --clock 2026-12-01T17:45:00+08:00 --control /tmp/phone.ctl

          hardener sim-control --socket /tmp/phone.ctl advance 15m   # from elsewhere
        """
        if list_personas:
            for name in persona_names():
                typer.echo(name)
            return
        if host not in ("127.0.0.1", "::1", "localhost"):
            typer.echo(f"hardener: warning: listening on {host}, not loopback", err=True)
        costs = Costs(
            round_trip_s=latency_ms / 1000, dumpsys_s=dumpsys_ms / 1000, cmd_s=cmd_ms / 1000
        )
        faults = Faults()
        faults.arm(
            drop_after_commands=drop_after_commands,
            drop_after_bytes=drop_after_bytes,
            stall_after_bytes=stall_after_bytes,
            restart_adbd_after_commands=restart_adbd_after_commands,
        )
        phone = load_persona(
            persona,
            apps=apps,
            costs=costs,
            faults=faults,
            serial=serial,
            clock=clock,
            real_time=real_time,
            timezone=timezone,
        )
        events = [parse_incoming(spec) for spec in incoming or []]
        server = SimServer(
            phone, host=host, port=port, auth=auth.value, costs=costs, faults=faults, log_path=log
        )
        try:
            server.start()
        except OSError as error:
            raise InputError(
                f"cannot listen on {host}:{port}: {error.strerror or error}",
                hint="pick another --port (or 0 for any free one)",
            ) from None
        controller = None
        if control is not None:
            controller = ControlServer(phone, control)
            try:
                controller.start()
            except InputError:
                server.stop()
                raise
        banner = phone.banner()
        if controller is not None:
            typer.echo(
                f"control socket {control} (time {phone.now().isoformat(timespec='seconds')})\n"
                f"  hardener sim-control --socket {control} advance 15m"
            )
        typer.echo(
            f"virtual phone '{phone.name}' ({banner.get('ro.product.model', '?')}, serial "
            f"{phone.serial()}) listening on {server.serial}\n"
            f"  adb connect {server.serial}\n"
            f"  hardener scan --device {server.serial}\n"
            "Ctrl-C to stop."
        )
        timers = [
            threading.Timer(after, _deliver, (phone, kind, number))
            for kind, number, after in events
        ]
        for timer in timers:
            timer.daemon = True
            timer.start()
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops it cleanly too
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            for timer in timers:
                timer.cancel()
            signal.signal(signal.SIGTERM, previous)
            if controller is not None:
                controller.stop()
            phone.close()
            server.stop()


def parse_incoming(spec: str) -> tuple[str, str, float]:
    """`call:+8613800000000:60` -> ("call", "+8613800000000", 60.0); InputError if not."""
    kind, _, rest = spec.partition(":")
    number, _, after_text = rest.rpartition(":")
    hint = "write KIND:NUMBER:AFTER_S, e.g. call:+8613800000000:60 (KIND is call or sms)"
    if kind not in (zen.CALL, zen.SMS) or not number:
        raise InputError(f"--incoming {spec!r}: not KIND:NUMBER:AFTER_S", hint=hint)
    try:
        after = float(after_text)
        number = zen.normalize_number(number)
    except (ValueError, zen.ZenError):
        raise InputError(f"--incoming {spec!r}: bad number or delay", hint=hint) from None
    if not 0 <= after <= 86_400:
        raise InputError(f"--incoming {spec!r}: delay must be 0..86400 seconds", hint=hint)
    return kind, number, after


def _deliver(phone: AndroidDevice, kind: str, number: str) -> None:
    event = phone.incoming_call(number) if kind == zen.CALL else phone.incoming_sms(number)
    mode = zen.ZEN_MODE_NAMES[event.zen_mode]
    verdict = "rang" if event.rang else "silenced by Do Not Disturb"
    typer.echo(f"incoming {kind} from {event.number}: {verdict} ({mode}, {event.reason})")


def _interrupt(_signum: int, _frame: FrameType | None) -> None:  # a signal handler's shape
    raise KeyboardInterrupt
