"""How the phone reads OPEN payloads, shapes a command's output, and logs streams."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.errors import InputError
from hardener.sim.adbd import (
    SHELL_FRAME_DATA,
    LogEntry,
    build_banner,
    format_log_line,
    parse_log_line,
    parse_service,
    read_log,
    render_output,
)
from hardener.sim.device import ShellOutput
from hardener.sim.protocol import ShellFrameDecoder, ShellId


@pytest.mark.parametrize(
    ("name", "service", "command", "v2", "pty"),
    [
        ("shell:echo hi", "shell", "echo hi", False, False),
        ("shell:", "shell", "", False, True),  # interactive: a PTY
        ("shell,v2,TERM=xterm,raw:echo hi", "shell,v2,TERM=xterm,raw", "echo hi", True, False),
        ("shell,v2:exit 3", "shell,v2", "exit 3", True, False),
        ("shell,v2,pty:ls", "shell,v2,pty", "ls", True, True),
        ("shell,raw,future-arg:a:b", "shell,raw,future-arg", "a:b", False, False),
        ("exec:echo 'a b'", "exec", "echo 'a b'", False, False),
        ("exec:", "exec", "", False, False),
        ("sync:", "sync", "", False, False),
        ("tcpip:5555", "tcpip", "5555", False, False),
        ("tcpip:0", "tcpip", "0", False, False),
        ("usb:", "usb", "", False, False),
        ("reboot:", "reboot", "", False, False),
        ("root:", "root", "", False, False),
    ],
)
def test_services_are_read_as_adbd_reads_them(name, service, command, v2, pty):
    request = parse_service(name)
    assert request is not None
    assert (request.service, request.command, request.shell_protocol, request.pty) == (
        service,
        command,
        v2,
        pty,
    )


@pytest.mark.parametrize("name", ["shell", "abb_exec:package list", "", "tcpip:", "tcpip:abc"])
def test_other_services_are_unknown(name):
    assert parse_service(name) is None


def frames_of(data: bytes) -> list[tuple[int, bytes]]:
    decoder = ShellFrameDecoder()
    frames = decoder.feed(data)
    assert decoder.pending == 0
    return frames


def test_raw_output_merges_stdout_then_stderr_and_loses_the_exit_code():
    output = ShellOutput(b"out\n", b"err\n", 5)
    assert render_output(parse_service("shell:x"), output) == b"out\nerr\n"
    assert render_output(parse_service("exec:x"), output) == b"out\nerr\n"


def test_raw_output_keeps_the_order_the_shell_wrote_in():
    output = ShellOutput(b"out\nmarker\n", b"err\n", 1, merged=b"out\nerr\nmarker\n")
    assert render_output(parse_service("shell:x"), output) == b"out\nerr\nmarker\n"
    assert render_output(parse_service("exec:x"), output) == b"out\nerr\nmarker\n"
    assert render_output(parse_service("shell,pty:x"), output) == b"out\r\nerr\r\nmarker\r\n"
    frames = frames_of(render_output(parse_service("shell,v2,raw:x"), output))
    assert frames[:2] == [(ShellId.STDOUT, b"out\nmarker\n"), (ShellId.STDERR, b"err\n")]


def test_v2_output_keeps_streams_apart_and_ends_with_the_exit_code():
    output = ShellOutput(b"out\n", b"err\n", 3)
    assert frames_of(render_output(parse_service("shell,v2,raw:x"), output)) == [
        (ShellId.STDOUT, b"out\n"),
        (ShellId.STDERR, b"err\n"),
        (ShellId.EXIT, b"\x03"),
    ]


def test_v2_exit_codes_are_one_byte_as_on_a_phone():
    rendered = render_output(parse_service("shell,v2:x"), ShellOutput(b"", b"", 256 + 7))
    assert frames_of(rendered) == [(ShellId.EXIT, b"\x07")]


def test_large_v2_output_is_split_into_frames_of_at_most_64k():
    data = bytes(range(256)) * 1000  # 256,000 bytes
    frames = frames_of(render_output(parse_service("shell,v2:x"), ShellOutput(data, b"", 0)))
    stdout = [payload for frame_id, payload in frames if frame_id == ShellId.STDOUT]
    assert b"".join(stdout) == data
    assert max(len(p) for p in stdout) == SHELL_FRAME_DATA
    assert frames[-1] == (ShellId.EXIT, b"\x00")


def test_a_pty_writes_one_stream_with_crlf_line_ends():
    output = ShellOutput(b"a\nb\n", b"oops\n", 1)
    assert render_output(parse_service("shell:"), output) == b"a\r\nb\r\noops\r\n"
    assert frames_of(render_output(parse_service("shell,v2,pty:x"), output)) == [
        (ShellId.STDOUT, b"a\r\nb\r\noops\r\n"),
        (ShellId.EXIT, b"\x01"),
    ]


def test_the_banner_carries_product_model_device_and_features():
    props = {
        "ro.product.name": "oriole",
        "ro.product.model": "Pixel 6",
        "ro.product.device": "oriole",
        "ro.build.version.sdk": "34",
    }
    assert build_banner(props, ("shell_v2", "cmd")) == (
        b"device::ro.product.name=oriole;ro.product.model=Pixel 6;"
        b"ro.product.device=oriole;features=shell_v2,cmd"
    )


@pytest.mark.parametrize(
    ("feature", "problem"), [("a,b", "cannot go"), ("delayed_ack", "implement")]
)
def test_features_the_phone_cannot_honour_are_refused(feature, problem):
    with pytest.raises(InputError, match=problem):
        build_banner({}, ("shell_v2", feature))


def test_a_banner_longer_than_adb_accepts_is_refused():
    with pytest.raises(InputError, match="4096"):
        build_banner({"ro.product.model": "x" * 5000}, ())


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(service=text, command=text)
def test_log_lines_hold_any_command_on_one_line(service, command):
    entry = LogEntry(datetime(2026, 11, 24, 6, 3, 31, 503374, UTC), "127.0.0.1:5", service, command)
    line = format_log_line(entry)
    assert line.endswith("\n") and line.count("\n") == 1
    assert parse_log_line(line) == entry


def test_the_documented_log_format(tmp_path):
    entry = LogEntry(
        datetime(2026, 11, 24, 6, 3, 31, 503374, UTC),
        "127.0.0.1:40555",
        "shell,v2,raw",
        "getprop\necho 'a\tb'",
    )
    path = tmp_path / "log"
    path.write_text(format_log_line(entry) * 2)
    assert path.read_text().splitlines()[0] == (
        "2026-11-24T06:03:31.503374+00:00\t127.0.0.1:40555\tshell,v2,raw\tgetprop\\necho 'a\\tb'"
    )
    assert read_log(path) == [entry, entry]
    with pytest.raises(ValueError, match="4 tab-separated"):
        parse_log_line("just text\n")
