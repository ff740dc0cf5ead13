"""The direct path (adb-shell over TCP) against the virtual phone's adbd.

Each error case is checked for its class, its exit code (3) and the words a user needs.
"""

from __future__ import annotations

import resource
import socket
import threading
import time
from collections.abc import Callable

import pytest

from hardener.device.phase import PhaseInterrupted, run_phase
from hardener.device.transport import open_device
from hardener.device.transport.direct import DirectTransport
from hardener.device.transport.errors import (
    ConnectionLostError,
    DeviceTimeoutError,
    NoDeviceError,
    UnauthorizedError,
)
from hardener.device.transport.keys import load_signers
from hardener.errors import EXIT_UNREACHABLE, DeviceError
from hardener.sim.faults import Faults


def test_shell_round_trip(phone: Callable[..., object], streams: Callable) -> None:
    sim = phone()
    with open_device(sim.serial, auth_timeout=5) as transport:
        assert isinstance(transport, DirectTransport)
        assert transport.serial == sim.serial and transport.spec == f"tcp:{sim.serial}"
        assert transport.shell("echo hello; printf tail", timeout=5) == b"hello\ntail"
        assert "direct TCP" in transport.describe()
        # maxdata 1 MiB from the phone; the kernel's argv limit binds.
        assert 100_000 < transport.max_script_bytes < 131_072
    assert streams(sim) == ["shell"]


def test_first_connection_prompts_then_the_phone_trusts_the_key(
    phone: Callable[..., object],
) -> None:
    sim = phone(auth="accept")
    prompts: list[str] = []
    with open_device(sim.serial, auth_timeout=5, on_auth_prompt=prompts.append) as transport:
        transport.shell("true", timeout=5)
    assert len(prompts) == 1 and "tap Allow" in prompts[0] and sim.serial in prompts[0]
    assert load_signers()[0].GetPublicKey().split(b" ")[0]  # the key it now trusts
    prompts.clear()
    with open_device(sim.serial, auth_timeout=5, on_auth_prompt=prompts.append) as transport:
        transport.shell("true", timeout=5)
    assert prompts == []  # second time: signature accepted, no prompt


def test_unauthorised_phone_waits_auth_timeout_then_explains(
    phone: Callable[..., object],
) -> None:
    sim = phone(auth="reject")
    prompts: list[str] = []
    started = time.monotonic()
    with pytest.raises(UnauthorizedError) as caught:
        open_device(sim.serial, auth_timeout=0.6, on_auth_prompt=prompts.append)
    waited = time.monotonic() - started
    assert 0.5 < waited < 3
    assert prompts and "waiting up to 0.6 s" in prompts[0]
    error = caught.value
    assert error.exit_code == EXIT_UNREACHABLE
    assert "did not authorise this computer within 0.6 s" in error.message
    assert error.hint and "Allow" in error.hint and "--auth-timeout" in error.hint


@pytest.mark.usefixtures("isolated")
def test_nothing_listening_is_no_device() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(NoDeviceError) as caught:
            open_device(f"127.0.0.1:{port}", auth_timeout=1)
    assert caught.value.exit_code == EXIT_UNREACHABLE
    assert f"127.0.0.1:{port}" in caught.value.message
    assert caught.value.hint and "Wireless debugging" in caught.value.hint


@pytest.mark.usefixtures("isolated")
def test_a_silent_endpoint_is_a_handshake_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(DeviceTimeoutError) as caught:
            open_device(f"127.0.0.1:{port}", auth_timeout=1, connect_timeout=0.5)
    assert "did not answer the ADB handshake within 0.5 s" in caught.value.message
    assert caught.value.exit_code == EXIT_UNREACHABLE


def test_phase_framing_through_the_phone(phone: Callable[..., object], streams: Callable) -> None:
    sim = phone()
    forged = "f00d:0\\n$?:B\\n"
    commands = [
        "printf 'no newline'",
        "false",
        f"printf '{forged}'",
        "echo after",
        "sh -c 'exit 7'",
    ]
    with open_device(sim.serial, auth_timeout=5) as transport:
        result = run_phase(transport, commands, timeout=10)
    assert [(r.output, r.exit_code) for r in result.results] == [
        ("no newline", 0),
        ("", 1),
        ("f00d:0\n$?:B\n", 0),
        ("after\n", 0),
        ("", 7),
    ]
    assert streams(sim) == ["shell"]


def test_a_thousand_commands_in_one_round_trip(
    phone: Callable[..., object], streams: Callable
) -> None:
    sim = phone()
    commands = [f"echo {i:04d} com.example.app{i}" for i in range(1000)]
    with open_device(sim.serial, auth_timeout=5) as transport:
        result = run_phase(transport, commands, timeout=60)
    assert result.round_trips == 1 and streams(sim) == ["shell"]
    assert [r.output for r in result.results] == [
        f"{i:04d} com.example.app{i}\n" for i in range(1000)
    ]


def test_connection_lost_mid_phase(phone: Callable[..., object]) -> None:
    faults = Faults()
    sim = phone(faults=faults)
    commands = [f"echo line-{i}" for i in range(50)]
    with open_device(sim.serial, auth_timeout=5) as transport:
        faults.arm(drop_after_bytes=300)
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        with pytest.raises(PhaseInterrupted) as caught:
            run_phase(transport, commands, timeout=20)
        elapsed = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        error = caught.value
        assert error.exit_code == EXIT_UNREACHABLE
        assert "lost the connection" in error.message
        assert error.hint and "cable" in error.hint
        # Everything before the cut is kept, exactly; the rest is accounted for.
        done = len(error.results)
        assert 0 < done < 50
        assert [r.output for r in error.results] == [f"line-{i}\n" for i in range(done)]
        assert error.interrupted is not None and error.interrupted.exit_code is None
        assert len(error.pending) == 50 - done - 1
        # No busy-spin until a read timeout: adb-shell alone burns CPU for the whole 20 s.
        assert elapsed < 2
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        assert cpu < 1.5
        # The next call reconnects by itself (adb-shell's `available` would still say True).
        assert transport.shell("echo back", timeout=5) == b"back\n"


def test_connection_dropped_by_a_command_fault(phone: Callable[..., object]) -> None:
    faults = Faults()
    sim = phone(faults=faults)
    with open_device(sim.serial, auth_timeout=5) as transport:
        faults.arm(drop_after_commands=0)
        with pytest.raises(ConnectionLostError) as caught:
            transport.shell("echo never", timeout=5)
        assert caught.value.partial == b""
        assert transport.shell("echo again", timeout=5) == b"again\n"


def test_stalled_phone_times_out_within_the_phase_timeout(phone: Callable[..., object]) -> None:
    faults = Faults()
    sim = phone(faults=faults)
    with open_device(sim.serial, auth_timeout=5) as transport:
        faults.arm(stall_after_bytes=200)
        started = time.monotonic()
        with pytest.raises(PhaseInterrupted) as caught:
            run_phase(transport, [f"echo {i}" for i in range(100)], timeout=1.0)
        elapsed = time.monotonic() - started
        assert 0.9 < elapsed < 2.5
        error = caught.value
        assert isinstance(error, DeviceError) and error.exit_code == EXIT_UNREACHABLE
        assert "stopped answering" in error.message and "1 s" in error.message
        assert 0 < len(error.results) < 100
        assert transport.shell("echo recovered", timeout=5) == b"recovered\n"


def test_phone_gone_while_idle_is_reconnected_before_use(phone: Callable[..., object]) -> None:
    sim = phone()
    with open_device(sim.serial, auth_timeout=5) as transport:
        assert transport.shell("echo 1", timeout=5) == b"1\n"
        for connection in list(sim._connections):  # the phone resets the link while idle
            connection.shut()
        time.sleep(0.1)
        assert transport.shell("echo 2", timeout=5) == b"2\n"


def test_nodelay_is_set(phone: Callable[..., object]) -> None:
    sim = phone()
    with open_device(sim.serial, auth_timeout=5) as transport:
        sock = transport._link.inner._connection
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_one_shared_object_per_phone_is_thread_safe(phone: Callable[..., object]) -> None:
    sim = phone()
    first = open_device(sim.serial, auth_timeout=5)
    second = open_device(f"tcp:{sim.serial}", auth_timeout=5)
    assert first is second
    errors: list[BaseException] = []
    outputs: list[bytes] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                outputs.append(first.shell(f"echo {n}-{i}", timeout=10))
        except BaseException as error:  # noqa: BLE001 (a thread's failure goes to the assert)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outputs) == sorted(f"{n}-{i}\n".encode() for n in range(4) for i in range(25))
    first.close()
    assert second.shell("echo still open", timeout=5) == b"still open\n"  # one user left
    second.close()
    assert first._device is None  # the last user closed it


def test_round_trip_has_no_delayed_ack_stall() -> None:
    """Without TCP_NODELAY each adb-shell command waits ~44 ms for a delayed ACK (measured
    here: 44.0 ms median vs 0.4 ms with it). The phone answers in-process (no /bin/sh to
    start), so the bound holds on a loaded machine too."""
    from hardener.sim.adbd import SimServer
    from hardener.sim.device import ShellOutput

    class Instant:
        def run(self, command: str) -> ShellOutput:
            return ShellOutput(b"", b"", 0)

        def banner(self) -> dict[str, str]:
            return {}

        def serial(self) -> str:
            return "INSTANT"

    with SimServer(Instant()) as sim, open_device(sim.serial, auth_timeout=5) as transport:
        transport.shell("true", timeout=5)
        times = []
        for _ in range(20):
            started = time.perf_counter()
            transport.shell("true", timeout=5)
            times.append(time.perf_counter() - started)
    assert sorted(times)[len(times) // 2] < 0.025


def test_a_script_too_big_for_one_request_is_refused_before_sending(
    phone: Callable[..., object], streams: Callable
) -> None:
    from hardener.errors import InputError

    sim = phone()
    transport = open_device(sim.serial, auth_timeout=5)
    with pytest.raises(InputError, match="in one request"):
        transport.shell("echo " + "x" * transport.max_script_bytes, timeout=5)
    transport.close()
    assert streams(sim) == []


def test_phones_connect_in_parallel_while_one_waits_for_its_prompt(
    phone: Callable[..., object],
) -> None:
    waiting, ready = phone(auth="reject"), phone()
    failures: list[BaseException] = []

    def wait_for_allow() -> None:
        try:
            open_device(waiting.serial, auth_timeout=2)
        except BaseException as error:  # noqa: BLE001 (a thread's failure goes to the assert)
            failures.append(error)

    thread = threading.Thread(target=wait_for_allow)
    thread.start()
    time.sleep(0.2)  # the first phone is now waiting for its user
    started = time.monotonic()
    with open_device(ready.serial, auth_timeout=5) as transport:
        assert transport.shell("echo quick", timeout=5) == b"quick\n"
    assert time.monotonic() - started < 1.5  # not the 2 s the other phone waits
    thread.join()
    assert len(failures) == 1 and isinstance(failures[0], UnauthorizedError)


def test_multibyte_text_split_across_packets_comes_back_whole(
    phone: Callable[..., object],
) -> None:
    # 3-byte characters over several 64 KiB WRTEs: adb-shell's streaming decode would
    # mangle the boundaries; bytes are joined before decoding here.
    sim = phone()
    text = "钉钉€" * 30_000
    with open_device(sim.serial, auth_timeout=5) as transport:
        result = run_phase(
            transport,
            ["awk 'BEGIN { for (i = 0; i < 30000; i++) printf \"钉钉€\" }'"],
            timeout=20,
        )
    assert result.results[0].output == text and result.results[0].exit_code == 0
