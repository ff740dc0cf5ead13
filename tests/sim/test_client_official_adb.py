"""The official adb client and server against the virtual phone: what a user at a terminal sees."""

from __future__ import annotations

import random
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hardener.sim.adbd import read_log
from hardener.sim.faults import Costs


@pytest.fixture
def phone_and_adb(make_phone, adb_server, tmp_path):
    """A phone that allows the key, connected through an isolated adb server."""
    phone = make_phone(auth="accept", log_path=tmp_path / "streams.log")
    adb_server.connect(phone.serial)
    return phone, adb_server


def adb_shell(adb, phone, *args, **kwargs) -> subprocess.CompletedProcess:
    return adb.run("-s", phone.serial, "shell", *args, **kwargs)


def test_adb_devices_shows_the_phone_with_product_model_and_device(phone_and_adb):
    phone, adb = phone_and_adb
    listing = adb.run("devices", "-l").stdout
    line = next(line for line in listing.splitlines() if line.startswith(phone.serial))
    assert line.split()[1:5] == [
        "device",
        "product:fakephone",
        "model:Fake_Phone_1",
        "device:fakedev",
    ]


def test_adb_shell_relays_output_streams_and_exit_codes(phone_and_adb):
    phone, adb = phone_and_adb
    result = adb_shell(adb, phone, "echo hi; err oops; exit 3")
    assert (result.returncode, result.stdout, result.stderr) == (3, "hi\n", "oops\n")
    assert adb_shell(adb, phone, "false").returncode == 1
    assert adb_shell(adb, phone, "echo", "two words").stdout == "two words\n"


def test_adb_exec_out_is_raw_and_intact(phone_and_adb):
    phone, adb = phone_and_adb
    result = adb.run("-s", phone.serial, "exec-out", "bytes 3000000 8", text=False)
    assert result.returncode == 0
    assert result.stdout == random.Random(8).randbytes(3_000_000)


def test_concurrent_commands_share_the_one_connection(phone_and_adb):
    phone, adb = phone_and_adb
    with ThreadPoolExecutor(8) as pool:
        started = time.monotonic()
        results = list(pool.map(lambda i: adb_shell(adb, phone, f"sleep 0.3; echo {i}"), range(8)))
        elapsed = time.monotonic() - started
    assert [r.stdout for r in results] == [f"{i}\n" for i in range(8)]
    assert elapsed < 1.5  # one after another would take 2.4 s


def test_the_log_has_one_line_per_stream(phone_and_adb, tmp_path):
    phone, adb = phone_and_adb
    adb_shell(adb, phone, "echo one")
    adb.run("-s", phone.serial, "exec-out", "echo", "two words")
    adb_shell(adb, phone, "echo three")
    entries = read_log(tmp_path / "streams.log")
    assert [(e.service, e.command) for e in entries] == [
        ("shell,v2,TERM=xterm,raw", "echo one"),
        ("exec", "echo 'two words'"),  # the adb client quotes every argument after the first
        ("shell,v2,TERM=xterm,raw", "echo three"),
    ]
    assert {e.serial for e in entries} == {phone.serial}


def test_without_shell_v2_adb_falls_back_to_the_raw_shell(make_phone, adb_server, tmp_path):
    phone = make_phone(auth="accept", features=("cmd",), log_path=tmp_path / "log")
    adb_server.connect(phone.serial)
    result = adb_shell(adb_server, phone, "echo hi; exit 3")
    assert (result.returncode, result.stdout) == (0, "hi\n")  # no exit codes without v2
    assert [e.service for e in read_log(tmp_path / "log")] == ["shell"]


# --- authorisation ----------------------------------------------------------------------------


def test_a_rejected_key_looks_like_an_unauthorised_phone(make_phone, adb_server):
    phone = make_phone(auth="reject")
    connected = adb_server.run("connect", phone.serial)
    assert connected.returncode == 0  # adb connect "succeeds" ...
    assert connected.stdout.strip() == f"failed to authenticate to {phone.serial}"
    adb_server.wait_for_state(phone.serial, "unauthorized")
    result = adb_shell(adb_server, phone, "echo hi")
    assert result.returncode == 1
    assert "device unauthorized" in result.stderr
    assert "confirmation dialog on your device" in result.stderr
    assert phone.trusted_keys == ()
    assert phone.shell.commands == []


def test_the_servers_key_once_trusted_connects_without_a_prompt(make_phone, adb_server):
    server_key = adb_server.public_key_path.read_text()
    phone = make_phone(auth="reject", trusted_keys=[server_key])
    connected = adb_server.run("connect", phone.serial)
    assert connected.stdout.strip() == f"connected to {phone.serial}"
    adb_server.wait_for_state(phone.serial, "device")
    assert adb_shell(adb_server, phone, "echo in").stdout == "in\n"


def test_allow_is_remembered_across_reconnections(make_phone, adb_server):
    phone = make_phone(auth="accept")
    adb_server.connect(phone.serial)
    assert len(phone.trusted_keys) == 1
    adb_server.run("disconnect", phone.serial)
    phone.auth = "reject"
    connected = adb_server.run("connect", phone.serial)
    assert connected.stdout.strip() == f"connected to {phone.serial}"


# --- faults: what the adb client sees -----------------------------------------------------


def test_drop_after_commands_exits_255_and_the_server_reconnects(phone_and_adb):
    phone, adb = phone_and_adb
    phone.faults.arm(drop_after_commands=1)
    result = adb_shell(adb, phone, "echo a; echo b")
    assert (result.returncode, result.stdout) == (255, "")  # no exit frame: 255
    adb.wait_for_state(phone.serial, "device", timeout=10)  # adb reconnects by itself
    assert adb_shell(adb, phone, "echo a; echo b").stdout == "a\nb\n"


def test_drop_after_bytes_gives_partial_output(phone_and_adb):
    phone, adb = phone_and_adb
    expected = random.Random(5).randbytes(200_000)
    phone.faults.arm(drop_after_bytes=1000)
    result = adb.run("-s", phone.serial, "exec-out", "bytes 200000 5", text=False)
    # exec-out has no exit frame to miss: the truncated output "succeeds".
    assert (result.returncode, result.stdout) == (0, expected[:1000])

    adb.wait_for_state(phone.serial, "device", timeout=10)
    phone.faults.arm(drop_after_bytes=70_000)
    result = adb.run("-s", phone.serial, "shell", "bytes 200000 5", text=False)
    # v2: only whole frames are printed (the first 64 KiB), then 255 for the missing exit.
    assert (result.returncode, result.stdout) == (255, expected[:65536])


def test_a_stall_hangs_the_client_with_partial_output(phone_and_adb):
    phone, adb = phone_and_adb
    phone.faults.arm(stall_after_bytes=1000)
    with pytest.raises(subprocess.TimeoutExpired) as hung:
        adb.run("-s", phone.serial, "exec-out", "bytes 100000 2", timeout=1.5, text=False)
    assert hung.value.stdout == random.Random(2).randbytes(1000)
    assert adb.devices()[phone.serial] == "device"  # the link itself is fine
    assert adb_shell(adb, phone, "echo after").stdout == "after\n"


def test_a_shell_side_drop_is_a_lost_device(phone_and_adb):
    phone, adb = phone_and_adb
    assert adb_shell(adb, phone, "drop").returncode == 255
    adb.wait_for_state(phone.serial, "device", timeout=10)


def test_round_trip_latency_is_felt_once_per_command(make_phone, adb_server):
    phone = make_phone(auth="accept", costs=Costs(round_trip_s=0.3))
    adb_server.connect(phone.serial)
    started = time.monotonic()
    assert adb_shell(adb_server, phone, "echo x").stdout == "x\n"
    assert 0.3 <= time.monotonic() - started < 0.6  # not twice
