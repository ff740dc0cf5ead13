"""The `--device` and `--auth-timeout` options every device command shares, and `connect()`.

Keeping them in one place means scan, audit and enforce describe and parse a device the
same way, and all print the "tap Allow on the phone" prompt the same way (on stderr, so
`--json` output stays clean).
"""

from __future__ import annotations

import math
from typing import Annotated

import typer

from hardener.device.transport import Transport, open_device
from hardener.device.transport.keys import key_warning
from hardener.device.transport.spec import SPEC_FORMS

DEFAULT_AUTH_TIMEOUT = 30.0

DeviceOption = Annotated[
    str | None,
    typer.Option(
        "--device",
        "-d",
        metavar="SPEC",
        envvar="HARDENER_DEVICE",
        show_envvar=True,
        help=f"Which phone: {SPEC_FORMS}. Default: the only phone connected.",
    ),
]

MAX_AUTH_TIMEOUT = 3600.0


def _seconds(value: float) -> float:
    """nan passes min/max checks (every comparison with it is false): refuse it by name."""
    if not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a number of seconds; give e.g. 30")
    return value


AuthTimeoutOption = Annotated[
    float,
    typer.Option(
        "--auth-timeout",
        metavar="SECONDS",
        min=0,
        max=MAX_AUTH_TIMEOUT,
        callback=_seconds,
        help="How long to wait for you to tap Allow on the phone's 'Allow USB debugging?' "
        "prompt when it does not trust this computer yet.",
    ),
]


def say(message: str) -> None:
    """Tell the user something now, on stderr."""
    typer.echo(f"hardener: {message}", err=True)


def connect(
    device: str | None,
    auth_timeout: float = DEFAULT_AUTH_TIMEOUT,
    *,
    connect_timeout: float = 10.0,
) -> Transport:
    """Open the phone the options name; errors are `DeviceError`/`InputError` for `main()`.

    Use as a context manager or call `.close()`:

        with connect(device, auth_timeout) as phone:
            result = run_phase(phone, commands, timeout=60)
    """
    warning = key_warning()
    if warning:
        say(warning)
    return open_device(
        device,
        auth_timeout=auth_timeout,
        connect_timeout=connect_timeout,
        on_auth_prompt=say,
    )
