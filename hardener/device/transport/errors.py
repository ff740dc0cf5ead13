"""Why a phone could not be reached, as errors a user can act on (all exit 3).

Each class is one situation the CLI must explain differently (plug in, accept the prompt,
use the adb server, check the cable); callers that only care "unreachable" catch
`DeviceError`.
"""

from __future__ import annotations

from hardener.errors import DeviceError


class NoDeviceError(DeviceError):
    """Nothing is connected, or the requested device is not there."""


class SeveralDevicesError(DeviceError):
    """More than one device is reachable and none was chosen with --device."""

    def __init__(
        self, message: str, *, hint: str | None = None, specs: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message, hint=hint)
        self.specs = specs


class UnauthorizedError(DeviceError):
    """The phone has not (yet) allowed this computer's ADB key."""


class UsbBusyError(DeviceError):
    """A running adb server holds the USB interface, so hardener cannot claim it."""


class UsbUnavailableError(DeviceError):
    """Direct USB cannot work here: the libusb1 package or the system libusb is missing,
    or the operating system refuses access to the device."""


class ConnectionLostError(DeviceError):
    """The link died while a command ran; `partial` is the output received before that."""

    def __init__(self, message: str, *, hint: str | None = None, partial: bytes = b"") -> None:
        super().__init__(message, hint=hint)
        self.partial = partial


class DeviceTimeoutError(DeviceError):
    """The phone stopped answering within the time allowed; `partial` as above."""

    def __init__(self, message: str, *, hint: str | None = None, partial: bytes = b"") -> None:
        super().__init__(message, hint=hint)
        self.partial = partial
