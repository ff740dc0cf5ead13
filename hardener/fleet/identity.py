"""Which phone a device string means, whatever its spelling.

An inventory may name one phone `tcp:127.0.0.1:5555`, `127.0.0.1:5555`, `localhost:5555`
or (through an adb server) `server:127.0.0.1:5555`; a USB phone `R58M12ABCDE`,
`usb:R58M12ABCDE` or `server:R58M12ABCDE`. Overrides and duplicate detection go by the
identity, never by the spelling. Pure.
"""

from __future__ import annotations

import ipaddress

from hardener.device.transport.spec import parse_spec
from hardener.errors import InputError

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _host(host: str) -> str:
    host = host.lower().rstrip(".")
    if host in _LOOPBACK_NAMES:
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.is_loopback:
        return "127.0.0.1"
    return str(address)


def identity(device: str) -> str:
    """`tcp:HOST:PORT` (host canonical) for a network phone, `serial:SERIAL` for the rest."""
    text = device.strip()
    if ":" not in text:
        return f"serial:{text}"
    try:
        spec = parse_spec(text)
    except InputError:
        return f"raw:{text}"
    if spec.kind == "tcp":
        return f"tcp:{_host(spec.host)}:{spec.port}"
    serial = spec.serial or ""
    if spec.kind == "server" and ":" in serial:  # an adb server names a TCP phone HOST:PORT
        try:
            tcp = parse_spec(f"tcp:{serial}")
        except InputError:
            return f"serial:{serial}"
        return f"tcp:{_host(tcp.host)}:{tcp.port}"
    return f"serial:{serial}" if serial else f"raw:{text}"
