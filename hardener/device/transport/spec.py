"""`--device SPEC`: which phone, and which way to reach it.

The way matters as much as the phone: direct USB and TCP go through adb-shell (no adb
needed), while `server:` goes through a running adb server, the only way to reach a USB
phone that server already holds. Parsing is strict so that a typo fails with exit 2 and an
example instead of a vague "device not found".
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal

from hardener.errors import InputError

DEFAULT_TCP_PORT = 5555

SPEC_FORMS = (
    "usb, usb:SERIAL (direct USB), HOST:PORT or tcp:HOST:PORT (direct TCP, e.g. wireless "
    "debugging after `adb tcpip 5555`), server:SERIAL (through a running adb server; "
    "see `hardener devices`)"
)

# adb serials are USB serial strings or "host:port"; keep to what a smart-socket request
# and a terminal can carry safely.
_SERIAL = re.compile(r"[A-Za-z0-9._:\-\[\]@%+/]{1,200}")
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*")

Kind = Literal["usb", "tcp", "server"]


@dataclass(frozen=True)
class DeviceSpec:
    """A parsed `--device` value; `str()` gives it back in canonical form."""

    kind: Kind
    serial: str | None = None  # usb (optional) and server (required)
    host: str = ""  # tcp
    port: int = 0  # tcp

    def __str__(self) -> str:
        if self.kind == "tcp":
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp:{host}:{self.port}"
        if self.serial is None:
            return self.kind
        return f"{self.kind}:{self.serial}"

    @property
    def address(self) -> str:
        """HOST:PORT as adb prints it (what `adb connect` names the device)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _bad(text: str, why: str) -> InputError:
    return InputError(f"--device {text!r}: {why}", hint=f"use one of: {SPEC_FORMS}")


def _check_serial(text: str, serial: str) -> str:
    if not _SERIAL.fullmatch(serial):
        raise _bad(text, "the serial is empty or has characters adb serials never have")
    return serial


def _parse_port(text: str, port: str) -> int:
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise _bad(text, f"port {port!r} is not a number from 1 to 65535")
    return int(port)


def _parse_host(text: str, host: str) -> str:
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise _bad(text, f"{host!r} is not an IPv6 address") from None
        return host
    if _HOSTNAME.fullmatch(host):
        return host
    raise _bad(text, f"{host!r} is not a host name or IP address (IPv6 goes in [brackets])")


def _parse_host_port(text: str, rest: str, *, port_optional: bool) -> DeviceSpec:
    if rest.startswith("["):
        host, sep, tail = rest.partition("]")
        host += "]"
        port = tail[1:] if tail.startswith(":") else ""
        if tail and not tail.startswith(":"):
            raise _bad(text, "expected ]:PORT after an IPv6 address")
    else:
        host, sep, port = rest.rpartition(":")
        if not sep:
            host, port = rest, ""
    if not port:
        if not port_optional:
            raise _bad(text, "a TCP device needs HOST:PORT")
        return DeviceSpec("tcp", host=_parse_host(text, host), port=DEFAULT_TCP_PORT)
    return DeviceSpec("tcp", host=_parse_host(text, host), port=_parse_port(text, port))


def parse_spec(text: str) -> DeviceSpec:
    """Parse a `--device` value; raises `InputError` (exit 2) with the accepted forms."""
    value = text.strip()
    if not value:
        raise _bad(text, "it is empty")
    if value == "usb":
        return DeviceSpec("usb")
    prefix, sep, rest = value.partition(":")
    if sep and prefix == "usb":
        return DeviceSpec("usb", serial=_check_serial(text, rest))
    if sep and prefix == "server":
        return DeviceSpec("server", serial=_check_serial(text, rest))
    if sep and prefix == "tcp":
        return _parse_host_port(text, rest, port_optional=True)
    if sep and (rest.isdigit() or value.startswith("[")):
        return _parse_host_port(text, value, port_optional=False)
    if sep:
        raise _bad(text, f"unknown kind {prefix!r}")
    raise _bad(text, f"a bare name is ambiguous; if {value!r} is an adb serial, use server:{value}")
