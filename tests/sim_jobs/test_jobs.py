"""Detached jobs on the virtual phone: they outlive the adb session, run on the phone's clock
(not while it is suspended), and die with adbd's cgroup (Android 8+) or at a reboot."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobkit import INSTALL, START, START_EPOCH, D, heartbeats, wait_until

import hardener.sim.android
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.faults import ConnectionDropped


def install(phone: AndroidDevice) -> int:
    result = phone.run(INSTALL)
    assert result.exit_code == 0, result.stderr
    out = result.stdout.decode()
    assert out.startswith("started ")
    return int(out.split()[1])


def alive(phone: AndroidDevice, pid: int) -> bool:
    result = phone.run(f"kill -0 {pid}")
    return result.exit_code == 0


def test_the_job_runs_at_once_and_its_pid_is_dollar_bang(phone: AndroidDevice) -> None:
    pid = install(phone)
    assert phone.read_file(f"{D}/pid") == f"{pid}\n", "$! in the session is $$ in the job"
    assert heartbeats(phone) == [(START_EPOCH, "1")]
    assert phone.read_file(f"/proc/{pid}/cmdline") == f"sh\0{D}/job.sh\0"
    assert [job.pid for job in phone.jobs()] == [pid]
    job = phone.jobs()[0]
    assert job.ppid == 1, "its session ended: the orphan belongs to init"
    assert job.sid == pid, "setsid made it a session leader"


def test_the_job_advances_with_the_clock_every_five_awake_seconds(phone: AndroidDevice) -> None:
    install(phone)
    phone.advance(60)
    beats = heartbeats(phone)
    assert [when - START_EPOCH for when, _ in beats] == list(range(0, 61, 5))
    assert [what for _, what in beats] == [str(n) for n in range(1, 14)]
    assert phone.run("date +%s").stdout == f"{START_EPOCH + 60}\n".encode()


def test_the_job_does_not_run_while_the_phone_is_suspended(phone: AndroidDevice) -> None:
    install(phone)
    phone.advance(2)  # 2 s into its 5 s sleep
    phone.suspend(40 * 60)
    assert len(heartbeats(phone)) == 1, "CLOCK_MONOTONIC stood still: the sleep is not over"
    assert phone.run("date +%s").stdout == f"{START_EPOCH + 2 + 2400}\n".encode()
    phone.advance(3)  # the rest of the sleep, awake
    beats = heartbeats(phone)
    assert [when - START_EPOCH for when, _ in beats] == [0, 2405], "late by the suspend"
    uptime = float(phone.read_file("/proc/uptime").split()[0])  # type: ignore[union-attr]
    before = float(
        load_persona("xiaomi-hyperos-14", real_time=False).read_file("/proc/uptime").split()[0]
    )  # type: ignore[union-attr]
    assert uptime == pytest.approx(before + 2405), "/proc/uptime (BOOTTIME) counts the suspend"


def test_the_job_survives_the_end_of_its_session_through_adb_shell(
    phone: AndroidDevice, serve, adb_shell_connect
) -> None:
    server = serve(phone)
    device = adb_shell_connect(server)
    out = device.shell(INSTALL, read_timeout_s=10)
    pid = int(out.split()[1])
    device.close()  # the host goes away: adbd's session ends, the job goes on
    phone.advance(30)
    again = adb_shell_connect(server)
    assert again.shell(f"kill -0 {pid} && echo alive", read_timeout_s=10) == "alive\n"
    assert again.shell(f"cat {D}/log | wc -l", read_timeout_s=10).strip() == "7"


def test_the_job_survives_an_official_adb_disconnect(
    phone: AndroidDevice, serve, adb_server
) -> None:
    server = serve(phone)
    adb_server.connect(server.serial)
    started = adb_server.run("-s", server.serial, "shell", INSTALL)
    assert started.returncode == 0, started.stderr
    pid = int(started.stdout.split()[1])
    assert adb_server.run("disconnect", server.serial).returncode == 0
    phone.advance(10)
    adb_server.connect(server.serial)
    ps = adb_server.run(
        "-s", server.serial, "shell", "ps", "-o", "PID,PPID,NAME,ARGS", "-p", str(pid)
    )
    assert ps.stdout.splitlines()[1].split() == [str(pid), "1", "sh", "sh", f"{D}/job.sh"]


def test_adb_tcpip_restarts_adbd_and_the_job_dies_with_its_cgroup(
    phone: AndroidDevice, serve, adb_server
) -> None:
    server = serve(phone)
    adb_server.connect(server.serial)
    pid = int(adb_server.run("-s", server.serial, "shell", INSTALL).stdout.split()[1])
    adbd_before = phone.adbd_pid()
    boot_before = phone.boot_id()
    reply = adb_server.run("-s", server.serial, "tcpip", "5555")
    assert reply.stdout == "restarting in TCP mode port: 5555\n"
    wait_until(lambda: phone.jobs() == [], "the job died with adbd")
    assert phone.adbd_pid() != adbd_before
    assert phone.boot_id() == boot_before
    adb_server.run("disconnect", server.serial)
    adb_server.connect(server.serial)  # the phone is reachable again
    gone = adb_server.run("-s", server.serial, "shell", f"kill -0 {pid}; echo $?")
    assert gone.stdout.splitlines()[-1] == "1"
    assert gone.stderr == f"/system/bin/sh: kill: {pid}: No such process\n"


def test_adb_usb_restarts_adbd_too(phone: AndroidDevice, serve, adb_shell_connect) -> None:
    server = serve(phone)
    install(phone)
    device = adb_shell_connect(server)
    assert device._service(b"usb:", b"", read_timeout_s=5) == "restarting in USB mode\n"
    wait_until(lambda: phone.jobs() == [], "the job died with adbd")


def test_a_usb_mode_change_kills_the_job_and_drops_the_link(
    phone: AndroidDevice, serve, adb_shell_connect
) -> None:
    server = serve(phone)
    device = adb_shell_connect(server)
    pid = int(device.shell(INSTALL, read_timeout_s=10).split()[1])
    adbd_before = phone.adbd_pid()
    phone.usb_mode_change()
    assert not alive(phone, pid)
    assert phone.adbd_pid() != adbd_before
    with pytest.raises(Exception):  # noqa: B017 - adb-shell raises OSError or its own
        device.shell("echo hi", read_timeout_s=2)
    assert adb_shell_connect(server).shell("echo back", read_timeout_s=5) == "back\n"


def test_the_restart_fault_drops_the_session_and_kills_the_job(phone: AndroidDevice) -> None:
    pid = install(phone)
    adbd = phone.adbd_pid()
    phone.faults.arm(restart_adbd_after_commands=1)
    with pytest.raises(ConnectionDropped):
        phone.run("echo one; echo two")
    assert not alive(phone, pid)
    assert phone.adbd_pid() != adbd
    assert phone.run("echo two").stdout == b"two\n", "one-shot"


def test_android_7_kept_jobs_across_an_adbd_restart(phone: AndroidDevice) -> None:
    phone.kernel.sdk = 25  # Android 7.1: init killed adbd's process group, not a cgroup
    pid = install(phone)
    phone.restart_adbd("USB debugging toggled")
    assert alive(phone, pid)
    phone.advance(5)
    assert len(heartbeats(phone)) == 2


def test_a_reboot_ends_the_job_keeps_the_files_and_changes_boot_id(phone: AndroidDevice) -> None:
    pid = install(phone)
    phone.advance(10)
    boot_before = phone.boot_id()
    phone.reboot(off_s=5, boot_s=25)
    assert phone.jobs() == []
    assert not alive(phone, pid)
    assert phone.boot_id() != boot_before
    assert phone.read_file("/proc/sys/kernel/random/boot_id") == phone.boot_id() + "\n"
    assert phone.read_file(f"{D}/job.sh") is not None, "/data/local/tmp survives"
    assert len(heartbeats(phone)) == 3, "nothing ran after the reboot"
    assert float(phone.read_file("/proc/uptime").split()[0]) == pytest.approx(25)  # type: ignore[union-attr]
    assert phone.run("date +%s").stdout == f"{START_EPOCH + 10 + 30}\n".encode()
    phone.advance(60)
    assert len(heartbeats(phone)) == 3


def test_adb_reboot_reboots_the_phone(phone: AndroidDevice, serve, adb_server) -> None:
    server = serve(phone)
    adb_server.connect(server.serial)
    install(phone)
    boot_before = phone.boot_id()
    adb_server.run("-s", server.serial, "reboot")
    wait_until(lambda: phone.boot_id() != boot_before, "the phone rebooted")
    assert phone.jobs() == []


def test_kill_term_runs_the_trap_after_the_sleep_and_kill_0_sees_it_gone(
    phone: AndroidDevice,
) -> None:
    pid = install(phone)
    phone.advance(2)
    result = phone.run(f"kill {pid}; echo $?")
    assert result.stdout == b"0\n"
    assert alive(phone, pid), "a trapped TERM waits for the foreground sleep to end"
    phone.advance(3)
    assert heartbeats(phone)[-1] == (START_EPOCH + 5, "term")
    gone = phone.run(f"kill -0 {pid}")
    assert (gone.exit_code, gone.stderr) == (
        1,
        f"/system/bin/sh: kill: {pid}: No such process\n".encode(),
    )


def test_kill_9_ends_the_job_at_once(phone: AndroidDevice) -> None:
    pid = install(phone)
    assert phone.run(f"kill -9 {pid}").exit_code == 0
    assert phone.jobs() == []
    assert phone.read_file(f"{D}/pid") == f"{pid}\n", "no trap ran"


def test_the_shell_may_not_signal_an_app(phone: AndroidDevice) -> None:
    pid = int(phone.run("pidof com.alibaba.android.rimet").stdout.split()[0])
    denied = phone.run(f"kill -0 {pid}")
    assert (denied.exit_code, denied.stderr) == (
        1,
        f"/system/bin/sh: kill: {pid}: Operation not permitted\n".encode(),
    )


def test_a_job_holding_the_session_pipe_dies_of_sigpipe_unless_it_ignores_it(
    phone: AndroidDevice,
) -> None:
    loud = phone.run("sh -c 'while :; do sleep 5; echo tick; done' & echo $!")
    loud_pid = int(loud.stdout.split()[0])
    quiet = phone.run("sh -c 'trap \"\" PIPE; while :; do sleep 5; echo tick; done' & echo $!")
    quiet_pid = int(quiet.stdout.split()[0])
    phone.advance(6)
    assert not alive(phone, loud_pid), "its first write after the session ended: SIGPIPE"
    assert alive(phone, quiet_pid)


def test_a_job_waits_for_a_wall_clock_time_and_is_late_by_a_suspend(
    phone: AndroidDevice,
) -> None:
    """The arm job's shape: loop with short sleeps, re-read the wall clock each pass."""
    due = START_EPOCH + 15 * 60  # 18:00
    phone.run(
        f"mkdir -p {D}; (while [ $(date +%s) -lt {due} ]; do sleep 5; done; "
        f"date +%s > {D}/acted) </dev/null >/dev/null 2>&1 &"
    )
    phone.advance(10 * 60)  # 17:55
    phone.suspend(45 * 60)  # asleep until 18:40
    assert phone.read_file(f"{D}/acted") is None
    phone.advance(5)
    acted = int(phone.read_file(f"{D}/acted"))  # type: ignore[arg-type]
    assert 40 * 60 <= acted - due <= 40 * 60 + 5


def test_the_phone_clock_follows_host_time_unless_frozen() -> None:
    live = load_persona("pixel-14", clock="2026-12-01T10:00:00+01:00")
    first = live.now()
    time.sleep(0.05)
    assert live.now() > first
    frozen = load_persona("pixel-14", clock="2026-12-01T10:00:00+01:00", real_time=False)
    assert frozen.now() == frozen.now()
    assert frozen.now().isoformat() == "2026-12-01T10:00:00+01:00"


def test_closing_the_phone_ends_its_job_threads(phone: AndroidDevice) -> None:
    install(phone)
    thread = phone.kernel.jobs[0].thread
    assert thread is not None and thread.is_alive()
    phone.close()
    thread.join(10)
    assert not thread.is_alive() and phone.jobs() == []
    phone.close()  # idempotent


def test_the_shell_may_kill_adbd_and_init_restarts_it(phone: AndroidDevice) -> None:
    """adbd runs as the shell user on production builds: `kill` works, and the caller dies
    with adbd's cgroup."""
    pid = install(phone)
    adbd = phone.adbd_pid()
    assert phone.run(f"kill -0 {adbd}; echo $?").stdout == b"0\n"
    with pytest.raises(ConnectionDropped):
        phone.run(f"kill {adbd}; echo not reached")
    assert phone.adbd_pid() != adbd
    assert not alive(phone, pid)


def test_a_link_dropped_mid_script_leaves_the_job_running(phone: AndroidDevice) -> None:
    """adbd's SIGHUP on a lost host goes to the session's own process only."""
    phone.faults.arm(drop_after_commands=4)  # mkdir, cat, echo started, echo one; drop
    with pytest.raises(ConnectionDropped):
        phone.run(INSTALL + "echo one; echo two; echo three")
    [job] = phone.jobs()
    phone.advance(5)
    assert alive(phone, job.pid) and len(heartbeats(phone)) == 2


def test_two_jobs_interleave_in_time_order(phone: AndroidDevice) -> None:
    for name, period in (("a", 3), ("b", 5)):
        phone.run(
            f"mkdir -p {D}; (i=0; while [ $i -lt 6 ]; do i=$((i+1)); "
            f'echo "$(date +%s) {name}" >> {D}/both; sleep {period}; done) '
            "</dev/null >/dev/null 2>&1 &"
        )
    phone.advance(30)
    rows = [line.split() for line in (phone.read_file(f"{D}/both") or "").splitlines()]
    times = [int(when) - START_EPOCH for when, _ in rows]
    assert times == sorted(times), "one log, written in the phone's time order"
    assert [t for t, (_, who) in zip(times, rows, strict=True) if who == "a"] == [
        0,
        3,
        6,
        9,
        12,
        15,
    ]
    assert [t for t, (_, who) in zip(times, rows, strict=True) if who == "b"] == [
        0,
        5,
        10,
        15,
        20,
        25,
    ]
    assert phone.jobs() == []


def test_a_screen_lock_kills_the_job_only_with_a_data_usb_mode(tmp_path: Path) -> None:
    persona = tmp_path / "mtp.toml"
    source = Path(hardener.sim.android.__file__).parent / "personas" / "xiaomi-hyperos-14.toml"
    text = source.read_text()
    assert "\n[props]\n" in text
    persona.write_text(
        text.replace(
            "\n[props]\n",
            '\n[props]\n"sys.usb.config" = "mtp,adb"\n"persist.sys.usb.config" = "mtp,adb"\n',
        )
    )
    mtp = load_persona(persona, clock=START, real_time=False)
    assert mtp.run("getprop sys.usb.config").stdout == b"mtp,adb\n"
    pid = install(mtp)
    assert mtp.lock_screen() is True
    assert not alive(mtp, pid)
    plain = load_persona("xiaomi-hyperos-14", clock=START, real_time=False)
    kept = install(plain)
    assert plain.lock_screen() is False
    assert alive(plain, kept)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["advance", "suspend"]), st.integers(0, 40)),
        min_size=1,
        max_size=8,
    )
)
def test_heartbeats_follow_awake_time_whatever_the_sequence(ops: list[tuple[str, int]]) -> None:
    """A `sleep 5` loop beats every 5 awake seconds; each beat shows the wall clock of its
    moment: start + awake time + whatever suspends came before it."""
    phone = load_persona("pixel-14", clock=START, real_time=False)
    try:
        phone.run(
            f"mkdir -p {D}; (while :; do date +%s >> {D}/beats; sleep 5; done) "
            "</dev/null >/dev/null 2>&1 &"
        )
        expected = [START_EPOCH]
        awake, asleep, next_beat = 0, 0, 5
        for op, amount in ops:
            if op == "advance":
                phone.advance(amount)
                while next_beat <= awake + amount:
                    expected.append(START_EPOCH + next_beat + asleep)
                    next_beat += 5
                awake += amount
            else:
                phone.suspend(amount)
                asleep += amount
        beats = [int(x) for x in (phone.read_file(f"{D}/beats") or "").split()]
        assert beats == expected
    finally:
        phone.close()
