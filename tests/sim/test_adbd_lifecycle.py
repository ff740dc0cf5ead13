"""Starting and stopping phones: prompt, leak-free, many per process, clear errors."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from hardener.errors import InputError
from hardener.sim.adbd import SimServer
from hardener.sim.protocol import A_CLSE, A_OKAY, A_WRTE, Packet

FD_DIR = Path("/proc/self/fd")


def open_fds() -> int | None:
    return sum(1 for _ in FD_DIR.iterdir()) if FD_DIR.is_dir() else None


def settled_thread_count(baseline: int, timeout: float = 2) -> int:
    deadline = time.monotonic() + timeout
    while threading.active_count() > baseline and time.monotonic() < deadline:
        time.sleep(0.01)
    return threading.active_count()


def test_stop_is_prompt_and_leaves_no_threads_or_sockets(make_phone, raw_host):
    threads_before, fds_before = threading.active_count(), open_fds()
    phone = make_phone(auth="off")
    idle = raw_host(phone)
    idle.connect()
    stalled = raw_host(phone)
    stalled.connect()
    phone.faults.arm(stall_after_bytes=10)
    stalled.open(1, "shell:bytes 1000")
    unacked = raw_host(phone)
    unacked.connect()
    unacked.open(1, "shell:bytes 500000")
    assert unacked.read().command == A_WRTE  # and never OKAYed: the stream waits
    running = raw_host(phone)
    running.connect()
    running.open(1, "shell:sleep 0.3; echo late")
    assert threading.active_count() >= threads_before + 5

    started = time.monotonic()
    phone.stop()
    assert time.monotonic() - started < 1
    assert settled_thread_count(threads_before) == threads_before
    for host in (idle, stalled, unacked, running):
        host.close()
    if fds_before is not None:
        assert open_fds() == fds_before
    with pytest.raises(OSError):
        socket.create_connection(phone.address, timeout=1)


def test_stop_cuts_connections_without_clse(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.open(1, "shell:bytes 500000")
    host.read()
    phone.stop()
    with pytest.raises(ConnectionError):
        while True:
            assert host.read().command != A_CLSE


def test_stop_twice_and_stop_before_start_are_harmless(make_phone):
    phone = make_phone()
    phone.stop()
    phone.stop()
    SimServer(phone.shell).stop()


def test_serve_forever_returns_when_stopped_elsewhere(make_phone):
    phone = SimServer(make_phone().shell)
    serving = threading.Thread(target=phone.serve_forever, daemon=True)
    serving.start()
    deadline = time.monotonic() + 5
    while True:
        try:
            address = phone.address
            break
        except RuntimeError:
            assert time.monotonic() < deadline, "never started listening"
            time.sleep(0.001)
    phone.stop()  # right after start: must wait for start() to finish, then stop
    serving.join(2)
    assert not serving.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(address, timeout=1)


def test_a_fleet_of_phones_in_one_process(make_phone, raw_host):
    threads_before = threading.active_count()
    started = time.monotonic()
    phones = [make_phone(auth="off") for _ in range(60)]
    start_s = time.monotonic() - started
    assert threading.active_count() == threads_before + 60  # one listener each, nothing else
    for index, phone in enumerate(phones):
        host = raw_host(phone)
        host.connect()
        host.open(1, f"shell:echo phone {index}")
        assert host.collect(1)[0] == f"phone {index}\n".encode()
    assert len({phone.serial for phone in phones}) == 60
    started = time.monotonic()
    for phone in phones:
        phone.stop()
    stop_s = time.monotonic() - started
    assert settled_thread_count(threads_before) == threads_before
    assert start_s < 2 and stop_s < 2


def test_a_crashing_shell_closes_only_its_stream(make_phone, raw_host, caplog):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    assert host.open(1, "shell:bytes not-a-number").command == A_OKAY
    assert host.collect(1) == (b"", [])
    assert "the shell failed" in caplog.text
    host.open(2, "shell:echo fine")
    assert host.collect(2)[0] == b"fine\n"


def test_acks_for_unknown_streams_are_ignored(make_phone, raw_host):
    phone = make_phone(auth="off")
    host = raw_host(phone)
    host.connect()
    host.send(Packet(A_OKAY, 9, 99))
    host.send(Packet(A_WRTE, 9, 99, b"stray"))
    host.send(Packet(A_CLSE, 9, 99))
    assert host.nothing_within(0.2)
    host.open(1, "shell:echo ok")
    assert host.collect(1)[0] == b"ok\n"


# --- errors a user can act on -------------------------------------------------------------


def test_a_busy_port_is_an_input_error_with_a_hint(make_phone):
    first = make_phone()
    with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{first.address[1]}") as e:
        SimServer(first.shell, port=first.address[1]).start()
    assert "port" in e.value.hint


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"auth": "maybe"}, "unknown auth mode 'maybe'"),
        ({"port": 70000}, "out of range"),
        ({"trusted_keys": ["not a key"]}, "trusted key #1"),
        ({"wrte_size": 0}, "WRTE size"),
    ],
)
def test_bad_settings_are_input_errors(make_phone, kwargs, problem):
    shell = make_phone().shell
    with pytest.raises(InputError, match=problem):
        SimServer(shell, **kwargs)


def test_an_unwritable_log_is_refused_at_start(make_phone, tmp_path):
    phone = SimServer(make_phone().shell, log_path=tmp_path / "missing-dir" / "log")
    with pytest.raises(InputError, match="cannot write the stream log") as caught:
        phone.start()
    assert "missing-dir" in caught.value.message


def test_ipv6_loopback_serves_with_a_bracketed_serial(make_phone, raw_host):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        phone = make_phone(host="::1", auth="off")
    except InputError as exc:
        pytest.skip(f"IPv6 loopback unavailable: {exc.message}")
    assert phone.serial == f"[::1]:{phone.address[1]}"
    host = raw_host(phone)
    host.connect()
    host.open(1, "shell:echo six")
    assert host.collect(1)[0] == b"six\n"


def test_the_address_is_known_only_once_listening(make_phone):
    phone = SimServer(make_phone().shell)
    with pytest.raises(RuntimeError, match="start"):
        phone.address  # noqa: B018
    with phone:
        assert phone.serial == f"127.0.0.1:{phone.address[1]}"
