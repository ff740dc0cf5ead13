"""toybox `ps` and /proc on the virtual phone, backed by its processes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobkit import INSTALL, START, D

from hardener.sim.android import AndroidDevice, load_persona


def run(phone: AndroidDevice, command: str) -> str:
    result = phone.run(command)
    assert result.exit_code == 0, result.stderr
    return result.stdout.decode()


# ps_main's Android default: USER,PID,PPID,VSIZE(:10 from 2023),RSS,WCHAN:10,ADDR:10,S,NAME;
# titles padded to their widths (USER -12, PID/PPID 5 for pid_max 32768, RSS 6, NAME -27).
HEADER_14 = (
    "USER        " + "   PID" + "  PPID" + "        VSZ" + "    RSS"
    " WCHAN     " + "       ADDR" + " S" + " NAME" + " " * 23 + "\n"
)
HEADER_9 = (
    "USER        " + "   PID" + "  PPID" + "     VSZ" + "    RSS"
    " WCHAN     " + "       ADDR" + " S" + " NAME" + " " * 23 + "\n"
)


@pytest.mark.parametrize(
    ("persona", "header"), [("pixel-14", HEADER_14), ("android9-legacy", HEADER_9)]
)
def test_the_default_header_is_toybox_s_for_the_release(persona: str, header: str) -> None:
    phone = load_persona(persona, clock=START, real_time=False)
    out = run(phone, "ps -A")
    assert out.splitlines(keepends=True)[0] == header
    assert out.splitlines()[0] == "USER           PID  PPID" + out.splitlines()[0][24:]


def test_adb_shell_ps_is_one_process_a_child_of_adbd(
    phone: AndroidDevice, serve, adb_server
) -> None:
    server = serve(phone)
    adb_server.connect(server.serial)
    out = adb_server.run("-s", server.serial, "shell", "ps", "-A").stdout
    last = out.splitlines()[-1].split()
    adbd = str(phone.adbd_pid())
    assert (last[0], last[2], last[-2], last[-1]) == ("shell", adbd, "R", "ps")
    assert not any(line.endswith(" sh") for line in out.splitlines()), "mksh exec'd ps"


def test_in_a_list_ps_is_a_child_of_the_session_shell(phone: AndroidDevice) -> None:
    rows = [line.split() for line in run(phone, "echo; ps -o PID,PPID,S,NAME").splitlines()[1:]]
    shell = next(row for row in rows if row[3] == "sh")
    ps = rows[-1]
    assert ps[1] == shell[0] and ps[2:] == ["R", "ps"]
    assert shell[1] == str(phone.adbd_pid())


def test_a_job_shows_with_its_arguments_and_its_sleep(phone: AndroidDevice) -> None:
    pid = int(run(phone, INSTALL).split()[1])
    out = run(phone, f"ps -o PID,PPID,NAME,ARGS -p {pid}")
    assert out.splitlines()[1].split() == [str(pid), "1", "sh", "sh", f"{D}/job.sh"]
    children = run(phone, f"ps -o PID,PPID,ARGS --ppid {pid}").splitlines()[1:]
    assert [line.split()[1:] for line in children] == [[str(pid), "sleep", "5"]]


def test_running_apps_are_rows_with_their_uid_names(phone: AndroidDevice) -> None:
    pid = run(phone, "pidof com.tencent.mm").split()[0]
    row = run(phone, f"ps -o USER,UID,PPID,NAME -p {pid}").splitlines()[1].split()
    app_id = phone.model.packages["com.tencent.mm"].app_id
    assert row == [f"u0_a{app_id - 10000}", str(app_id), "812", "com.tencent.mm"]
    phone.run("am force-stop com.tencent.mm")
    assert len(run(phone, f"ps -p {pid}").splitlines()) == 1, "a stopped app has no process"


def test_adbd_start_time_in_stat_and_stime_agree(phone: AndroidDevice) -> None:
    adbd = phone.adbd_pid()
    stat = run(phone, f"cat /proc/{adbd}/stat").split()
    assert stat[0] == str(adbd) and stat[1] == "(adbd)" and len(stat) == 52
    ticks = int(stat[21])  # field 22: start time in clock ticks since boot
    uptime = float(run(phone, "cat /proc/uptime").split()[0])
    boot = phone.clock.wall() - uptime
    started = datetime.fromtimestamp(int(boot) + ticks // 100, ZoneInfo("Asia/Shanghai"))
    stime = run(phone, f"ps -o STIME -p {adbd}").splitlines()[1].strip()
    assert stime == started.strftime("%H:%M:%S")
    phone.restart_adbd("test")
    new = phone.adbd_pid()
    assert new != adbd
    assert phone.run(f"cat /proc/{adbd}/stat").exit_code == 1
    assert int(run(phone, f"cat /proc/{new}/stat").split()[21]) > ticks


def test_cmdline_and_boot_id_read_as_the_kernel_writes_them(phone: AndroidDevice) -> None:
    assert run(phone, "cat /proc/1/cmdline") == "/system/bin/init\0second_stage\0"
    assert run(phone, "cat /proc/2/cmdline") == "", "kernel threads have none"
    boot_id = run(phone, "cat /proc/sys/kernel/random/boot_id")
    assert len(boot_id) == 37 and boot_id.count("-") == 4 and boot_id.endswith("\n")
    assert run(phone, "cat /proc/$$/cmdline | tr '\\0' ' '").startswith("/system/bin/sh -c ")


def test_bad_fields_and_options_are_errors(phone: AndroidDevice) -> None:
    assert phone.run("ps -o BOGUS").stderr == b"ps: bad -o BOGUS\n"
    assert phone.run("ps -y").exit_code == 1
    assert phone.run("ps -p x").exit_code == 1


FLAGS = [
    "-A",
    "-e",
    "-f",
    "-w",
    "-o",
    "PID,ARGS",
    "-p",
    "1",
    "-P",
    "1",
    "--ppid",
    "x",
    "-Z",
    "1",
    "-k",
    "NAME:3=N",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FLAGS), max_size=6))
def test_ps_never_raises_on_any_options(args: list[str]) -> None:
    phone = PHONE
    result = phone.run("ps " + " ".join(args))
    assert result.exit_code in (0, 1)


PHONE = load_persona("pixel-14", clock=START, real_time=False)


def test_pidof_finds_adbd_apps_and_with_x_scripts(phone: AndroidDevice) -> None:
    assert run(phone, "pidof adbd") == f"{phone.adbd_pid()}\n"
    assert run(phone, "pidof /apex/com.android.adbd/bin/adbd") == f"{phone.adbd_pid()}\n"
    wechat = phone.model.packages["com.tencent.mm"].users[0].pid
    assert run(phone, "pidof com.tencent.mm") == f"{wechat}\n"
    job = int(run(phone, INSTALL).split()[1])
    assert phone.run("pidof job.sh").exit_code == 1, "argv[0] is sh"
    assert run(phone, "pidof -x job.sh") == f"{job}\n"
    assert str(job) in run(phone, "pidof sh").split()
    assert run(phone, "pidof -s init zygote64") == "1\n"
    assert run(phone, "pidof -o 1 init zygote64") == "812\n"
