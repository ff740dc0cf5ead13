"""adb-shell (`AdbDeviceTcp`, direct TCP) against the virtual phone, fault by fault."""

from __future__ import annotations

import contextlib
import hashlib
import random
import socket
import time
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.exceptions import AdbTimeoutError, TcpTimeoutException

from hardener.sim import adbkeys
from hardener.sim.adbd import read_log
from hardener.sim.faults import Costs
from hardener.sim.protocol import ShellFrameDecoder, ShellId


@pytest.fixture
def signer(adb_shell_key: Path) -> CryptographySigner:
    return CryptographySigner(str(adb_shell_key))


@pytest.fixture
def connect(signer):
    devices: list[AdbDeviceTcp] = []

    def connect_to(phone, **kwargs) -> AdbDeviceTcp:
        device = AdbDeviceTcp(*phone.address, default_transport_timeout_s=2)
        kwargs.setdefault("auth_timeout_s", 2)
        assert device.connect(rsa_keys=[signer], **kwargs)
        devices.append(device)
        return device

    yield connect_to
    for device in devices:
        with contextlib.suppress(OSError):
            device.close()


def test_connects_with_a_new_key_and_runs_commands(make_phone, connect, signer):
    phone = make_phone(auth="accept")
    device = connect(phone)
    assert phone.trusted_keys == (adbkeys.parse_public_key(signer.GetPublicKey()),)
    assert device.shell("echo hello; err oops") == "hello\noops\n"  # shell: merges stderr
    assert device.exec_out("echo via exec") == "via exec\n"


def test_reads_10_mb_of_output_intact(make_phone, connect):
    device = connect(make_phone(auth="accept"))
    expected = random.Random(42).randbytes(10_000_000)
    started = time.monotonic()
    output = device.shell("bytes 10000000 42", decode=False, read_timeout_s=30)
    elapsed = time.monotonic() - started
    assert hashlib.sha256(output).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert elapsed < 10


def test_exit_codes_through_the_private_v2_service(make_phone, connect):
    device = connect(make_phone(auth="accept"))
    raw = device._service(b"shell,v2,raw", b"echo hi; err no; exit 7", decode=False)
    frames = ShellFrameDecoder().feed(raw)
    assert frames == [(ShellId.STDOUT, b"hi\n"), (ShellId.STDERR, b"no\n"), (ShellId.EXIT, b"\x07")]


def test_a_key_allowed_once_is_trusted_on_later_connections(make_phone, connect):
    phone = make_phone(auth="accept")
    connect(phone).close()
    phone.auth = "reject"  # no more "Allow" taps: only a known key gets in
    assert connect(phone, auth_timeout_s=0.5).shell("echo again") == "again\n"


def test_a_rejected_key_gives_adb_shells_auth_timeout(make_phone, signer):
    phone = make_phone(auth="reject")
    device = AdbDeviceTcp(*phone.address, default_transport_timeout_s=2)
    started = time.monotonic()
    with pytest.raises(TcpTimeoutException):  # what a phone whose user never taps Allow gives
        device.connect(rsa_keys=[signer], auth_timeout_s=0.5)
    assert 0.4 < time.monotonic() - started < 2
    assert phone.trusted_keys == ()
    device.close()


def test_a_trusted_key_connects_without_a_prompt(make_phone, connect, signer):
    phone = make_phone(auth="reject", trusted_keys=[signer.GetPublicKey()])
    assert connect(phone, auth_timeout_s=0.5).shell("echo in") == "in\n"


def test_auth_off_needs_no_key(make_phone):
    phone = make_phone(auth="off")
    device = AdbDeviceTcp(*phone.address, default_transport_timeout_s=2)
    assert device.connect(rsa_keys=None)
    assert device.shell("echo open") == "open\n"
    device.close()


# --- faults: what adb-shell sees ----------------------------------------------------------


def test_drop_after_commands_loses_the_command_then_the_link(make_phone, connect):
    phone = make_phone(auth="accept")
    device = connect(phone)
    phone.faults.arm(drop_after_commands=1)
    started = time.monotonic()
    # adb-shell does not notice EOF: it spins until read_timeout_s, then calls it a timeout.
    with pytest.raises(AdbTimeoutError, match="read 0 of 24 bytes"):
        device.shell("echo a; echo b", read_timeout_s=1)
    assert 0.9 < time.monotonic() - started < 3
    assert device.available  # adb-shell still believes it is connected...
    with pytest.raises(BrokenPipeError):  # ...until the next write
        device.shell("echo after", read_timeout_s=1)
    assert phone.shell.commands == ["echo a; echo b"]
    device.close()
    assert connect(phone).shell("echo a; echo b") == "a\nb\n"  # one-shot: reconnecting heals


def test_drop_after_bytes_delivers_exactly_those_bytes(make_phone, connect):
    phone = make_phone(auth="accept")
    device = connect(phone)
    phone.faults.arm(drop_after_bytes=100_000)
    received = bytearray()
    with pytest.raises(AdbTimeoutError):
        for chunk in device.streaming_shell("bytes 300000 9", read_timeout_s=1, decode=False):
            received += chunk
    assert bytes(received) == random.Random(9).randbytes(300_000)[:100_000]


def test_a_stall_times_out_the_read_and_the_link_survives(make_phone, connect):
    phone = make_phone(auth="accept")
    device = connect(phone)
    phone.faults.arm(stall_after_bytes=1000)
    received = bytearray()
    started = time.monotonic()
    with pytest.raises(TcpTimeoutException):
        for chunk in device.streaming_shell("bytes 100000 1", read_timeout_s=1, decode=False):
            received += chunk
    assert 0.9 < time.monotonic() - started < 3
    assert bytes(received) == random.Random(1).randbytes(1000)
    assert device.shell("echo after", read_timeout_s=2) == "after\n"  # other streams still run


def test_a_shell_side_drop_cuts_the_link(make_phone, connect):
    phone = make_phone(auth="accept")
    device = connect(phone)
    with pytest.raises(AdbTimeoutError):
        device.shell("drop", read_timeout_s=1)


def test_round_trip_latency_is_felt_once_per_command(make_phone, connect, tmp_path):
    phone = make_phone(auth="accept", costs=Costs(round_trip_s=0.3), log_path=tmp_path / "log")
    device = connect(phone)
    # Take adb-shell's own 40 ms Nagle stall out of the measurement.
    device._io_manager._transport._connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    started = time.monotonic()
    for _ in range(3):
        assert device.shell("echo x") == "x\n"
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.6  # paid twice per command would be 1.8 s
    entries = read_log(tmp_path / "log")
    assert [(e.service, e.command) for e in entries] == [("shell", "echo x")] * 3
    assert {e.serial for e in entries} == {phone.serial}


def test_push_and_pull_through_adb_shell_sync_v1(connect, tmp_path):
    """adb-shell's push/pull/stat speak sync v1 (SEND/RECV/STAT) whatever the banner says."""
    from hardener.sim.adbd import SimServer
    from hardener.sim.android import load_persona

    android = load_persona("pixel-14")
    with SimServer(android) as server:
        device = connect(server)
        source, back = tmp_path / "src", tmp_path / "back"
        source.write_bytes(random.Random(3).randbytes(200_000))
        device.push(str(source), "/data/local/tmp/src")
        assert android.files.read("/data/local/tmp/src") == source.read_bytes()
        mode, size, _ = device.stat("/data/local/tmp/src")
        assert size == 200_000 and mode & 0o170000 == 0o100000
        device.pull("/data/local/tmp/src", str(back))
        assert back.read_bytes() == source.read_bytes()
        names = {bytes(entry.filename) for entry in device.list("/data/local/tmp")}
        assert b"src" in names
