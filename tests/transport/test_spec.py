"""`--device` parsing: every documented form, and exit 2 with the forms for anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.device.transport.spec import DeviceSpec, parse_spec
from hardener.errors import EXIT_BAD_INPUT, InputError


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("usb", DeviceSpec("usb"), "usb"),
        ("usb:R58M123ABC", DeviceSpec("usb", serial="R58M123ABC"), "usb:R58M123ABC"),
        (
            "192.168.1.20:5555",
            DeviceSpec("tcp", host="192.168.1.20", port=5555),
            "tcp:192.168.1.20:5555",
        ),
        (
            "tcp:192.168.1.20:37099",
            DeviceSpec("tcp", host="192.168.1.20", port=37099),
            "tcp:192.168.1.20:37099",
        ),
        ("tcp:pixel.lan", DeviceSpec("tcp", host="pixel.lan", port=5555), "tcp:pixel.lan:5555"),
        ("tcp:[::1]:5555", DeviceSpec("tcp", host="::1", port=5555), "tcp:[::1]:5555"),
        ("[fe80::1]:40001", DeviceSpec("tcp", host="fe80::1", port=40001), "tcp:[fe80::1]:40001"),
        (
            "server:emulator-5554",
            DeviceSpec("server", serial="emulator-5554"),
            "server:emulator-5554",
        ),
        (
            "server:127.0.0.1:40555",
            DeviceSpec("server", serial="127.0.0.1:40555"),
            "server:127.0.0.1:40555",
        ),
        ("  usb  ", DeviceSpec("usb"), "usb"),
    ],
)
def test_accepted_forms(text: str, expected: DeviceSpec, canonical: str) -> None:
    spec = parse_spec(text)
    assert spec == expected
    assert str(spec) == canonical
    assert parse_spec(str(spec)) == spec


def test_address_is_what_adb_connect_names_the_device() -> None:
    assert parse_spec("tcp:10.0.0.2:5555").address == "10.0.0.2:5555"
    assert parse_spec("[::1]:5555").address == "[::1]:5555"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("R58M123ABC", "server:R58M123ABC"),  # a bare serial: say how to write it
        ("usb:", "serial"),
        ("server:", "serial"),
        ("server:a b", "serial"),
        ("server:x;reboot", "serial"),
        ("1.2.3.4:0", "port"),
        ("1.2.3.4:70000", "port"),
        ("tcp:1.2.3.4:http", "port"),
        ("tcp:bad_host!:5555", "host"),
        ("tcp:[not-v6]:5555", "IPv6"),
        ("bluetooth:AA-BB", "unknown kind"),
    ],
)
def test_rejected_forms_exit_2_with_the_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_spec(text)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert why in caught.value.message
    assert caught.value.hint is not None and "server:SERIAL" in caught.value.hint


@given(st.text(max_size=40))
def test_any_text_parses_or_is_an_input_error(text: str) -> None:
    try:
        spec = parse_spec(text)
    except InputError:
        return
    # Whatever is accepted can be written back and re-read, and carries no shell syntax.
    assert parse_spec(str(spec)) == spec
    assert not set(str(spec)) & set(" ;&|$`'\"\\\n")
