"""`connect()`: open the phone the shared options name (`hardener.cli.options`).

Every device command reaches its phone through here, so all print the "tap Allow on the
phone" prompt the same way (on stderr, so `--json` output stays clean).
"""

from __future__ import annotations

import typer

from hardener.core.options import PhoneOptions
from hardener.device.transport import Transport, open_device
from hardener.device.transport.keys import key_warning


def say(message: str) -> None:
    """Tell the user something now, on stderr."""
    typer.echo(f"hardener: {message}", err=True)


def connect(phone: PhoneOptions, *, connect_timeout: float = 10.0) -> Transport:
    """Open the phone `phone.device` names, waiting `phone.auth_timeout` for a tap on Allow;
    errors are `DeviceError`/`InputError` for `main()`.

    Use as a context manager or call `.close()`:

        with connect(options) as transport:
            reading = run_scan(transport, choose, options=options)  # the service
    """
    warning = key_warning()
    if warning:
        say(warning)
    return open_device(
        phone.device,
        auth_timeout=phone.auth_timeout,
        connect_timeout=connect_timeout,
        on_auth_prompt=say,
    )
