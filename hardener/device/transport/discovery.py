"""Which phones are reachable, and opening one from a `--device` value (or none).

Without `--device` the adb server is asked first when one runs, because it owns USB; only
without a server is the USB bus scanned directly. Exactly one phone is picked silently;
none or several is an error that lists what was found, so a cron job never acts on the
wrong phone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hardener.device.transport.base import ClosingTransport, Transport
from hardener.device.transport.direct import AuthPrompt, open_direct
from hardener.device.transport.errors import (
    NoDeviceError,
    SeveralDevicesError,
    UnauthorizedError,
    UsbBusyError,
    UsbUnavailableError,
)
from hardener.device.transport.keys import load_signers
from hardener.device.transport.server import (
    AdbServer,
    ServerDevice,
    ServerNotRunningError,
    open_server,
)
from hardener.device.transport.spec import DeviceSpec, parse_spec
from hardener.device.transport.usb import busy_hint, iter_usb
from hardener.errors import DeviceError


@dataclass(frozen=True)
class Reachable:
    """A phone found by discovery, with what a person needs to pick it."""

    spec: str
    serial: str
    state: str  # device, unauthorized, offline, no permissions, ...
    model: str = ""
    android: str = ""  # ro.build.version.release, when the phone could be asked
    sdk: str = ""
    via: str = ""  # "adb server HOST:PORT", "direct USB", "direct TCP"
    problem: str = ""  # why the details could not be read


@dataclass(frozen=True)
class Discovery:
    devices: tuple[Reachable, ...]
    notes: tuple[str, ...] = field(default=())  # why a path was not searched


def _from_server(server: AdbServer, device: ServerDevice) -> Reachable:
    model = device.tags.get("model", "").replace("_", " ")
    return Reachable(f"server:{device.serial}", device.serial, device.state, model, via=str(server))


def _usb_devices() -> tuple[list[Reachable], list[str]]:
    found: list[Reachable] = []
    try:
        transports = list(iter_usb())
    except UsbUnavailableError as error:
        return [], [f"direct USB not searched: {error.message}; {error.hint}"]
    except Exception as error:  # noqa: BLE001 (libusb fails in many platform-specific ways)
        return [], [f"direct USB not searched: {error}"]
    for usb in transports:
        try:
            serial = str(usb.serial_number)
            state = "device"
        except Exception:  # noqa: BLE001 (libusb: an unreadable serial is "no permissions")
            serial, state = str(getattr(usb, "port_path", "?")), "no permissions"
        spec = f"usb:{serial}" if state == "device" else "usb"
        found.append(Reachable(spec, serial, state, via="direct USB"))
    return found, []


def discover(env: Mapping[str, str] | None = None) -> Discovery:
    """List phones without connecting to them: the adb server's list, else the USB bus."""
    server = AdbServer.from_env(env)
    try:
        listed = server.devices(timeout=2.0)
    except ServerNotRunningError:
        usb, notes = _usb_devices()
        return Discovery(tuple(usb), (f"no {server} running; searched USB directly", *notes))
    return Discovery(tuple(_from_server(server, d) for d in listed))


def open_device(
    spec: str | DeviceSpec | None,
    *,
    auth_timeout: float = 30.0,
    connect_timeout: float = 10.0,
    on_auth_prompt: AuthPrompt | None = None,
    env: Mapping[str, str] | None = None,
) -> Transport:
    """Connect to the phone `spec` names, or to the only reachable one when it is None.

    Raises `InputError` for a malformed spec and `DeviceError` subclasses (exit 3) for
    everything about the phone itself: none, several, unauthorised, busy, unreachable.
    """
    env = os.environ if env is None else env
    if spec is None:
        spec = _only_device(env)
    parsed = spec if isinstance(spec, DeviceSpec) else parse_spec(spec)
    if parsed.kind == "server":
        assert parsed.serial is not None
        return open_server(
            parsed.serial,
            server=AdbServer.from_env(env),
            auth_timeout=auth_timeout,
            connect_timeout=connect_timeout,
            on_auth_prompt=on_auth_prompt,
        )
    signers = load_signers(env)
    try:
        return open_direct(
            parsed,
            signers,
            auth_timeout=auth_timeout,
            connect_timeout=connect_timeout,
            on_auth_prompt=on_auth_prompt,
        )
    except UsbBusyError as error:
        # Name the server specs that reach the phone instead, when the server says.
        serials: tuple[str, ...] = ()
        with contextlib.suppress(Exception):
            serials = tuple(d.serial for d in AdbServer.from_env(env).devices(timeout=1.0))
        raise UsbBusyError(error.message, hint=busy_hint(serials)) from None


def _only_device(env: Mapping[str, str]) -> DeviceSpec:
    found = discover(env)
    if len(found.devices) == 1:
        return parse_spec(found.devices[0].spec)
    notes = "".join(f"\n  {note}" for note in found.notes)
    if not found.devices:
        raise NoDeviceError(
            f"no phone found{notes}",
            hint="plug the phone in with USB debugging on (Settings > Developer options), "
            "or name one with --device (usb, HOST:PORT, server:SERIAL)",
        )
    listing = "".join(
        f"\n  {d.spec}  ({d.state}{', ' + d.model if d.model else ''})" for d in found.devices
    )
    raise SeveralDevicesError(
        f"{len(found.devices)} phones found, and no --device to choose one:{listing}",
        hint="run again with --device and one of the specs above",
        specs=tuple(d.spec for d in found.devices),
    )


def _details(transport: Transport, timeout: float) -> tuple[str, str, str]:
    from hardener.device.phase import (
        run_phase,  # late: hardener.device.phase sits above this package
    )

    props = ("ro.product.model", "ro.build.version.release", "ro.build.version.sdk")
    result = run_phase(transport, [f"getprop {p}" for p in props], timeout=timeout)
    model, release, sdk = (r.output.strip() if r.ok else "" for r in result.results)
    return model, release, sdk


def probe(
    spec: str,
    *,
    auth_timeout: float,
    timeout: float = 10.0,
    on_auth_prompt: AuthPrompt | None = None,
    env: Mapping[str, str] | None = None,
    listed: Reachable | None = None,
) -> Reachable:
    """Connect to `spec` and read its model and Android version (one round trip).

    Never raises for the phone's sake: an unreachable phone comes back with its state
    (`unauthorized`, `unreachable`...) and the reason in `problem`.
    """
    base = listed or Reachable(spec, spec.partition(":")[2] or spec, "device")
    try:
        with open_device(
            spec,
            auth_timeout=auth_timeout,
            connect_timeout=timeout,
            on_auth_prompt=on_auth_prompt,
            env=env,
        ) as transport:
            model, release, sdk = _details(transport, timeout)
            via = base.via or transport.describe().partition("(")[2].rstrip(")")
            return replace(
                base,
                spec=transport.spec,
                serial=transport.serial,
                state="device",
                model=model or base.model,
                android=release,
                sdk=sdk,
                via=via,
            )
    except UnauthorizedError as error:
        return replace(base, state="unauthorized", problem=error.message)
    except DeviceError as error:
        state = base.state if base.state != "device" else "unreachable"
        return replace(base, state=state, problem=error.message)


__all__ = ["ClosingTransport", "Discovery", "Reachable", "discover", "open_device", "probe"]
