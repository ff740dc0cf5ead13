"""Direct USB: the failures a user must be told how to fix. No USB hardware is used: the
libusb layer is replaced where it would touch the bus, the rest (adb-shell's connect, the
error mapping, the hint naming the adb server's serials) runs for real."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from adb_shell.exceptions import UsbDeviceNotFoundError, UsbReadFailedError

from hardener.device.transport import discover, open_device, usb
from hardener.device.transport.errors import (
    NoDeviceError,
    UsbBusyError,
    UsbUnavailableError,
)
from hardener.device.transport.usb import iter_usb as real_iter_usb  # before the fixture hides it
from hardener.errors import EXIT_UNREACHABLE


class FakeUSBError(Exception):
    """Shaped like usb1.USBError: the libusb code in `.value`."""

    def __init__(self, value: int) -> None:
        super().__init__(f"LIBUSB error {value}")
        self.value = value


class FakeUsbTransport:
    """Stands in for adb-shell's UsbTransport where it would claim the interface."""

    serial_number = "R58M123ABC"

    def __init__(self, error: BaseException) -> None:
        self.error = error

    # (adb-shell's UsbTransport.connect signature)
    def connect(self, transport_timeout_s: float | None = None) -> None:
        raise self.error

    def close(self) -> None:
        pass


def use_fake_usb(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    monkeypatch.setattr(
        "hardener.device.transport.direct.find_usb", lambda _serial: FakeUsbTransport(error)
    )


def test_usb_held_by_an_adb_server_says_use_server(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_usb(monkeypatch, FakeUSBError(usb.LIBUSB_ERROR_BUSY))
    with pytest.raises(UsbBusyError) as caught:
        open_device("usb", auth_timeout=1)
    error = caught.value
    assert error.exit_code == EXIT_UNREACHABLE
    assert "R58M123ABC (direct USB) is held by another program (LIBUSB_ERROR_BUSY)" in error.message
    assert error.hint and "--device server:SERIAL" in error.hint and "adb kill-server" in error.hint


def test_usb_busy_hint_names_the_servers_serials(
    monkeypatch: pytest.MonkeyPatch, adb_server, phone: Callable[..., object]
) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    sim = phone()
    adb_server.connect(sim.serial)
    use_fake_usb(monkeypatch, FakeUSBError(usb.LIBUSB_ERROR_BUSY))
    with pytest.raises(UsbBusyError) as caught:
        open_device("usb:R58M123ABC", auth_timeout=1)
    assert caught.value.hint and f"--device server:{sim.serial}" in caught.value.hint


def test_usb_access_denied_points_at_udev(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_usb(monkeypatch, FakeUSBError(usb.LIBUSB_ERROR_ACCESS))
    with pytest.raises(UsbUnavailableError) as caught:
        open_device("usb", auth_timeout=1)
    assert "denies access" in caught.value.message
    assert caught.value.hint and "udev" in caught.value.hint


def test_usb_read_timeout_inside_adb_shells_wrapper_is_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrapped = UsbReadFailedError("read failed", FakeUSBError(usb.LIBUSB_ERROR_TIMEOUT))
    use_fake_usb(monkeypatch, wrapped)
    with pytest.raises(Exception) as caught:
        open_device("usb", auth_timeout=1, connect_timeout=1)
    assert caught.value.exit_code == EXIT_UNREACHABLE
    assert "did not answer the ADB handshake" in caught.value.message


def test_no_usb_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoPhone:
        @staticmethod
        def find_adb(serial: str | None = None) -> object:
            raise UsbDeviceNotFoundError("No device available")

    monkeypatch.setattr(usb, "load_usb_transport", lambda: NoPhone)
    with pytest.raises(NoDeviceError) as caught:
        open_device("usb:XYZ", auth_timeout=1)
    assert "no Android phone with serial XYZ is connected over USB" in caught.value.message
    assert caught.value.hint and "USB debugging" in caught.value.hint


def _import_failing(error: BaseException, name: str = "usb1") -> Callable[[str], ModuleType]:
    real = usb.import_module

    def fake(module: str) -> ModuleType:
        if module == name:
            raise error
        return real(module)

    return fake


def test_missing_system_libusb_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    # usb1 loads libusb on first use; adb-shell's module is what touches it at import.
    missing = FileNotFoundError(2, "cannot find a suitable libusb-1.0")
    monkeypatch.setattr(
        usb, "import_module", _import_failing(missing, "adb_shell.transport.usb_transport")
    )
    with pytest.raises(UsbUnavailableError) as caught:
        open_device("usb", auth_timeout=1)
    assert "system library libusb-1.0" in caught.value.message
    assert caught.value.exit_code == EXIT_UNREACHABLE
    assert caught.value.hint and "apt install libusb-1.0-0" in caught.value.hint


def test_missing_libusb1_package_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(usb, "import_module", _import_failing(ImportError("No module usb1")))
    with pytest.raises(UsbUnavailableError) as caught:
        usb.load_usb_transport()
    assert "libusb1" in caught.value.message
    assert caught.value.hint and "adb-shell[usb]" in caught.value.hint


def test_discovery_without_server_or_libusb_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = FileNotFoundError(2, "cannot find a suitable libusb-1.0")
    monkeypatch.setattr(
        usb, "import_module", _import_failing(missing, "adb_shell.transport.usb_transport")
    )
    monkeypatch.setattr("hardener.device.transport.discovery.iter_usb", real_iter_usb)
    found = discover()
    assert found.devices == ()
    assert any("no adb server" in note for note in found.notes)
    assert any("libusb-1.0" in note for note in found.notes)
    with pytest.raises(NoDeviceError) as caught:
        open_device(None, auth_timeout=1)
    assert "no phone found" in caught.value.message and "libusb-1.0" in caught.value.message
