"""Direct USB through libusb: finding ADB interfaces, and explaining why it cannot work.

Direct USB has three ways to fail that a user can fix and a traceback would hide: the
system libusb is missing, the OS denies access (udev rules), or an adb server already
claimed the interface (LIBUSB_ERROR_BUSY, adb-shell issues #213/#225). Each becomes its
own error with its own fix.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from hardener.device.transport.errors import NoDeviceError, UsbBusyError, UsbUnavailableError

# libusb error codes (libusb.h), as carried by usb1.USBError.value.
LIBUSB_ERROR_ACCESS = -3
LIBUSB_ERROR_NO_DEVICE = -4
LIBUSB_ERROR_BUSY = -6
LIBUSB_ERROR_TIMEOUT = -7

import_module = importlib.import_module  # replaced in tests to simulate a missing libusb


def load_usb_transport() -> Any:
    """adb-shell's `UsbTransport` class, or `UsbUnavailableError` saying what to install."""
    try:
        # usb1 loads the system library lazily; adb-shell's module touches it on import.
        import_module("usb1")
        module: ModuleType = import_module("adb_shell.transport.usb_transport")
    except ImportError:
        raise UsbUnavailableError(
            "direct USB needs the Python package libusb1, which is not installed",
            hint="pip install 'adb-shell[usb]' (hardener's own install includes it), "
            "or reach the phone through an adb server with --device server:SERIAL",
        ) from None
    except OSError:
        raise UsbUnavailableError(
            "direct USB needs the system library libusb-1.0, which was not found",
            hint="install it (Debian/Ubuntu: sudo apt install libusb-1.0-0; Fedora: sudo dnf "
            "install libusb1; macOS: brew install libusb), or use an adb server with "
            "--device server:SERIAL",
        ) from None
    return module.UsbTransport


def usb_error_code(error: BaseException) -> int | None:
    """The libusb error code inside an exception (usb1 or adb-shell's wrappers), if any."""
    for candidate in (error, getattr(error, "usb_error", None), error.__cause__):
        value = getattr(candidate, "value", None)
        if isinstance(value, int):
            return value
    return None


def busy_hint(server_serials: tuple[str, ...] = ()) -> str:
    """How to get past a USB interface an adb server holds."""
    use = " or ".join(f"--device server:{s}" for s in server_serials)
    use = use or "--device server:SERIAL (see `hardener devices`)"
    return (
        f"an adb server is running and owns USB: use {use}, or stop it with "
        "`adb kill-server` to let hardener use USB directly"
    )


def explain_usb_error(
    error: BaseException, what: str, server_serials: tuple[str, ...] = ()
) -> Exception:
    """Turn a libusb failure while opening `what` into the error a user can act on."""
    code = usb_error_code(error)
    if code == LIBUSB_ERROR_BUSY:
        return UsbBusyError(
            f"{what} is held by another program (LIBUSB_ERROR_BUSY)", hint=busy_hint(server_serials)
        )
    if code == LIBUSB_ERROR_ACCESS:
        return UsbUnavailableError(
            f"the operating system denies access to {what} (LIBUSB_ERROR_ACCESS)",
            hint="on Linux add a udev rule for Android devices (e.g. the android-sdk-platform-"
            "tools-common package) and re-plug the cable, or run through an adb server",
        )
    if code == LIBUSB_ERROR_NO_DEVICE:
        return NoDeviceError(
            f"{what} disappeared (LIBUSB_ERROR_NO_DEVICE)",
            hint="check the cable and that the phone stays unlocked, then run again",
        )
    return UsbUnavailableError(f"cannot open {what}: {error}", hint="re-plug the cable and retry")


def find_usb(serial: str | None) -> Any:
    """The `UsbTransport` of the phone with this serial (or the only one)."""
    usb_transport = load_usb_transport()
    from adb_shell.exceptions import UsbDeviceNotFoundError

    try:
        return usb_transport.find_adb(serial=serial)
    except UsbDeviceNotFoundError:
        which = f"with serial {serial} " if serial else ""
        raise NoDeviceError(
            f"no Android phone {which}is connected over USB with USB debugging on",
            hint="plug the phone in, turn on Settings > Developer options > USB debugging, "
            "and set the USB mode to file transfer if the phone asks",
        ) from None
    except Exception as error:  # noqa: BLE001 (libusb's errors vary by platform: all explained)
        raise explain_usb_error(error, "the USB device") from None


def iter_usb() -> Iterator[Any]:
    """Every ADB interface on the USB bus (no claim is made, so nothing is disturbed)."""
    usb_transport = load_usb_transport()
    yield from usb_transport.find_all_adb_devices()
