"""Reaching phones: device specs, adb-shell direct (USB/TCP), adb-server smart sockets,
keys and discovery. The rest of hardener uses `open_device()` and the `Transport` it
returns; see docs/architecture.md for the seam.
"""

from hardener.device.transport.base import Transport
from hardener.device.transport.discovery import Discovery, Reachable, discover, open_device
from hardener.device.transport.errors import (
    ConnectionLostError,
    DeviceTimeoutError,
    NoDeviceError,
    SeveralDevicesError,
    UnauthorizedError,
    UsbBusyError,
    UsbUnavailableError,
)
from hardener.device.transport.spec import DeviceSpec, parse_spec

__all__ = [
    "ConnectionLostError",
    "DeviceSpec",
    "DeviceTimeoutError",
    "Discovery",
    "NoDeviceError",
    "Reachable",
    "SeveralDevicesError",
    "Transport",
    "UnauthorizedError",
    "UsbBusyError",
    "UsbUnavailableError",
    "discover",
    "open_device",
    "parse_spec",
]
