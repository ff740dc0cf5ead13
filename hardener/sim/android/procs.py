"""The virtual phone's process table as `ps` and /proc show it.

Rows: the processes every Android phone has from boot (init, kernel threads, daemons, zygote,
system_server, adbd), one app process per running app and user (the model's `pid`), and
what adb started: each `sh -c` session, the commands it runs while they run (`ps`, `sleep`),
and detached jobs. Formats:

* `/proc/PID/stat` (fs/proc/array.c do_task_stat): `pid (comm) S ppid pgrp session tty_nr
  tpgid flags ...`, field 22 the start time in clock ticks (USER_HZ = 100) since boot,
  counted in CLOCK_BOOTTIME; 52 fields.
* `/proc/PID/cmdline`: the arguments, each ended by NUL; empty for kernel threads.
* toybox `ps` (landley/toybox @cb5b0de, toys/posix/ps.c): default fields on Android
  `USER,PID,PPID,VSIZE,RSS,WCHAN:10,ADDR:10,S,NAME` (`ps_main`, CFG_IS_ANDROID; VSIZE got
  `:10` in commit 3917d770, 2023-02, so Android 14 and later here, 7 before); PID/PPID as
  wide as the digits of /proc/sys/kernel/pid_max (32768 -> 5); header titles padded to the
  field width (`get_headers`), rows through `show_ps`: numbers never truncated, and with
  stdout not a tty (`adb shell` without -t) `-w` is on, so no field is cut; the last
  left-aligned field has no trailing blanks in rows but keeps them in the header. Without
  -A/-e/-p, ps keeps processes whose tty is its own: with no tty that is every process
  without one, i.e. all of them here (`ps_match_process`). NAME is argv[0] after its last
  `/`; ARGS the command line with argv[0]'s path cut; STIME the start as `%F %T` cut to
  start 3+width characters from the end (`hh:mm:ss` for the default width 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

PID_MAX = 32768
PID_WIDTH = len(str(PID_MAX))
USER_HZ = 100


@dataclass
class Process:
    pid: int
    ppid: int
    uid: int
    args: list[str]
    start_ticks: int
    sid: int = 0
    pgid: int = 0
    comm: str = ""
    state: str = "S"
    vsz_kb: int = 0
    rss_kb: int = 0
    adbd_cgroup: bool = False  # in adbd's process group (cgroup) since it was forked
    kernel_thread: bool = False
    shell: Any = field(default=None, repr=False)  # the shell.Proc running in it, for signals
    job: Any = field(default=None, repr=False)  # the job record when part of a detached job
    kind: str = "daemon"  # daemon, app, adbd, session, job, command, sleep

    def name(self) -> str:
        """toybox NAME: argv[0] after its last '/', or [comm] for a kernel thread."""
        if not self.args:
            return f"[{self.comm}]"
        return self.args[0].rsplit("/", 1)[-1]

    def stat_comm(self) -> str:
        if self.comm:
            return self.comm[:15]
        return self.name()[:15]


# (pid, name, argv, uid, parent name) of what runs on every phone, in boot order. The pids
# are typical of a phone a minute after boot (kernel threads first, daemons in the hundreds).
_BOOT: tuple[tuple[int, str, list[str], int, str | None], ...] = (
    (1, "init", ["/system/bin/init", "second_stage"], 0, None),
    (2, "kthreadd", [], 0, None),
    (3, "rcu_gp", [], 0, "kthreadd"),
    (9, "ksoftirqd/0", [], 0, "kthreadd"),
    (10, "rcu_preempt", [], 0, "kthreadd"),
    (12, "migration/0", [], 0, "kthreadd"),
    (318, "ueventd", ["/system/bin/ueventd"], 0, "init"),
    (541, "logd", ["/system/bin/logd"], 1036, "init"),
    (562, "servicemanager", ["/system/bin/servicemanager"], 1000, "init"),
    (563, "hwservicemanager", ["/system/bin/hwservicemanager"], 1000, "init"),
    (580, "vold", ["/system/bin/vold", "--blkid_context=u:r:blkid:s0"], 0, "init"),
    (744, "netd", ["/system/bin/netd"], 0, "init"),
    (812, "zygote64", ["zygote64"], 0, "init"),
    (813, "zygote", ["zygote"], 0, "init"),
    (957, "surfaceflinger", ["/system/bin/surfaceflinger"], 1000, "init"),
    (1402, "system_server", ["system_server"], 1000, "zygote64"),
    (1873, "com.android.systemui", ["com.android.systemui"], 10120, "zygote64"),
)
ZYGOTE64_PID = 812
FIRST_ADBD_PID = 1021
ADBD_BOOT_TICKS = 21 * USER_HZ  # adbd comes up about 20 s into boot
ADBD_ARGS_APEX = ["/apex/com.android.adbd/bin/adbd", "--root_seclabel=u:r:su:s0"]
ADBD_ARGS_OLD = ["/system/bin/adbd", "--root_seclabel=u:r:su:s0"]

_USERS = {0: "root", 1000: "system", 1036: "logd", 2000: "shell", 1041: "audioserver"}


def user_name(uid: int) -> str:
    """bionic's names for Android ids (`getpwuid`): u<user>_a<app> for apps."""
    user, app = divmod(uid, 100_000)
    if app >= 10_000:
        return f"u{user}_a{app - 10_000}"
    base = _USERS.get(app, str(app))
    return base if user == 0 else f"u{user}_{base}"


def boot_processes(start_ticks: int) -> list[Process]:
    """The processes of a fresh boot, adbd aside (it comes up late in boot)."""
    found: dict[str, Process] = {}
    rows: list[Process] = []
    for pid, name, args, uid, parent in _BOOT:
        ppid = found[parent].pid if parent else 0
        process = Process(
            pid=pid,
            ppid=ppid,
            uid=uid,
            args=list(args),
            start_ticks=start_ticks + len(rows),
            sid=pid if parent in (None, "init", "kthreadd") else ppid,
            pgid=pid,
            comm=name,
            kernel_thread=not args,
            vsz_kb=0 if not args else 10_900_000 if "zygote" in name else 2_200_000,
            rss_kb=0 if not args else 9_000,
        )
        found[name] = process
        rows.append(process)
    return rows


def adbd_process(sdk: int, pid: int, start_ticks: int) -> Process:
    args = ADBD_ARGS_APEX if sdk >= 30 else ADBD_ARGS_OLD
    return Process(
        pid=pid,
        ppid=1,
        uid=2000,  # adbd drops to AID_SHELL unless ro.debuggable and root
        args=list(args),
        start_ticks=start_ticks,
        sid=pid,
        pgid=pid,
        comm="adbd",
        kind="adbd",
        vsz_kb=10_800_000,
        rss_kb=5_400,
        adbd_cgroup=True,
    )


def stat_line(process: Process) -> str:
    """/proc/PID/stat (52 fields; most are zero here)."""
    fields = [
        str(process.pid),
        f"({process.stat_comm()})",
        process.state,
        str(process.ppid),
        str(process.pgid),
        str(process.sid),
        "0",  # tty_nr
        "-1",  # tpgid
        "4194560" if not process.kernel_thread else "2129984",  # flags
        "0",
        "0",
        "0",
        "0",  # minflt cminflt majflt cmajflt
        "0",
        "0",
        "0",
        "0",  # utime stime cutime cstime
        "20",
        "0",  # priority nice
        "1",
        "0",  # num_threads itrealvalue
        str(process.start_ticks),  # field 22: starttime
        str(process.vsz_kb * 1024),
        str(process.rss_kb // 4),
        "18446744073709551615",
    ]
    fields.extend(["0"] * (52 - len(fields)))
    return " ".join(fields) + "\n"


def cmdline(process: Process) -> str:
    return "".join(arg + "\0" for arg in process.args)


# ------------------------------------------------------------------------------- ps

# toybox typos[]: name -> (width, numeric). Negative width: left-aligned.
_FIELDS: dict[str, tuple[int, bool]] = {
    "PID": (PID_WIDTH, True),
    "PPID": (PID_WIDTH, True),
    "PRI": (3, True),
    "NI": (3, True),
    "ADDR": (4 + 8, True),
    "SZ": (5, True),
    "RSS": (6, True),
    "PGID": (5, True),
    "VSZ": (7, True),
    "TTY": (-8, False),
    "WCHAN": (-6, False),
    "COMM": (-27, False),
    "NAME": (-27, False),
    "COMMAND": (-27, False),
    "CMDLINE": (-27, False),
    "ARGS": (-27, False),
    "CMD": (-15, False),
    "UID": (5, True),
    "USER": (-12, False),
    "TIME": (8, False),
    "ELAPSED": (11, False),
    "C": (1, False),
    "STIME": (5, False),
    "S": (-1, False),
    "STAT": (-5, False),
}
_ALIASES = {"VSIZE": "VSZ", "UNAME": "USER", "ETIME": "ELAPSED", "NICE": "NI"}


class PsError(Exception):
    pass


@dataclass
class _Column:
    which: str
    title: str
    width: int


def _parse_fields(spec: str, columns: list[_Column]) -> None:
    for item in spec.split(","):
        if not item:
            continue
        name, eq, title = item.partition("=")
        name, colon, size = name.partition(":")
        key = _ALIASES.get(name.upper(), name.upper())
        if key not in _FIELDS or (colon and not size.isdigit()):
            raise PsError(f"bad -o {item}")
        width = _FIELDS[key][0]
        if colon:
            width = int(size) * (-1 if width < 0 else 1)
        columns.append(_Column(key, title if eq else key, width))


@dataclass
class PsContext:
    sdk: int
    uptime_s: float  # CLOCK_BOOTTIME, whole seconds as sysinfo() gives them
    wall: float
    tz: tzinfo
    running_pid: int  # ps itself: state R
    rows: list[Process] = field(default_factory=list)


def _clock(seconds: int, which: str) -> str:
    """toybox's days-hours:mins:secs for TIME and ELAPSED."""
    unit, pad = 60 * 60 * 24, 2
    out = ""
    started = False
    for j in range(4):
        if not started and (seconds > unit or j == 1 + (which != "TIME")):
            started = True
        if started:
            value = seconds // unit
            out += f"{value:0{pad}d}" if j else f"{value:{pad}d}"
            pad = 2
            out += "-::"[j] if j < 3 else ""
        seconds %= unit
        unit //= 60 if j else 24
    return out


def _value(process: Process, column: _Column, ctx: PsContext) -> str:
    which = column.which
    if which == "PID":
        return str(process.pid)
    if which == "PPID":
        return str(process.ppid)
    if which == "PGID":
        return str(process.pgid)
    if which == "UID":
        return str(process.uid)
    if which == "USER":
        return user_name(process.uid)
    if which in ("VSZ", "SZ"):
        return str(process.vsz_kb if which == "VSZ" else process.vsz_kb // 4)
    if which == "RSS":
        return str(process.rss_kb)
    if which in ("WCHAN", "ADDR", "NI", "C"):
        return "0"
    if which == "PRI":
        return "19"
    if which == "TTY":
        return "?"
    if which in ("S", "STAT"):
        state = "R" if process.pid == ctx.running_pid else process.state
        if which == "STAT" and process.sid == process.pid:
            state += "s"
        return state
    if which == "NAME":
        return process.name()
    if which in ("CMDLINE", "ARGS", "COMMAND", "COMM"):
        if not process.args:
            return f"[{process.comm}]"
        if which in ("COMMAND", "COMM"):
            exe = process.args[0]
            return exe.rsplit("/", 1)[-1] if which == "COMM" else exe
        args = list(process.args)
        if which == "ARGS":
            args[0] = args[0].rsplit("/", 1)[-1]
        return " ".join(args)
    if which == "CMD":
        return process.stat_comm()
    if which == "TIME":
        return _clock(0, "TIME")
    if which == "ELAPSED":
        return _clock(int(ctx.uptime_s - process.start_ticks / USER_HZ), "ELAPSED")
    if which == "STIME":
        started = int(ctx.wall) - int(ctx.uptime_s) + process.start_ticks // USER_HZ
        text = datetime.fromtimestamp(started, ctx.tz).strftime("%Y-%m-%d %H:%M:%S")
        return text[max(0, len(text) - 3 - abs(column.width)) :]
    return "?"


def _line(values: list[str], columns: list[_Column]) -> str:
    """toybox show_ps with -w (stdout not a tty): width 99999, nothing truncated."""
    out: list[str] = []
    extra = 0
    for index, (text, column) in enumerate(zip(values, columns, strict=True)):
        if index:
            out.append(" ")
        abslen = abs(column.width)
        olen = len(text)
        if olen > abslen:
            extra += olen - abslen
            abslen = olen
        elif extra and olen < abslen:
            unused = min(abslen - olen, extra)
            abslen -= unused
            extra -= unused
        if index == len(columns) - 1 and column.width < 0:
            out.append(text)
        elif column.width < 0:
            out.append(text.ljust(abslen))
        else:
            out.append(text.rjust(abslen))
    return "".join(out) + "\n"


def ps(argv: list[str], ctx: PsContext) -> tuple[str, str, int]:
    """toybox `ps` over `ctx.rows`: (stdout, stderr, status)."""
    columns: list[_Column] = []
    pids: list[int] = []
    ppids: list[int] = []
    full = False
    o_given = False
    args = argv[1:]
    i = 0
    try:
        while i < len(args):
            arg = args[i]
            if arg.startswith("--"):
                name = arg[2:]
                if name in ("pid", "ppid", "sort") and i + 1 < len(args):
                    (pids if name == "pid" else ppids if name == "ppid" else []).extend(
                        _numbers(args[i + 1], "-p")
                    )
                    i += 2
                    continue
                raise PsError(f"Unknown option '{name}'")
            if arg.startswith("-") and len(arg) > 1:
                j = 1
                while j < len(arg):
                    flag = arg[j]
                    if flag in "opPkOsgGtuU":
                        value = arg[j + 1 :] or (args[i + 1] if i + 1 < len(args) else None)
                        if value is None:
                            raise PsError(f"Missing argument to -{flag}")
                        if not arg[j + 1 :]:
                            i += 1
                        if flag in "oO":
                            _parse_fields(value, columns)
                            o_given = True
                        elif flag == "p":
                            pids.extend(_numbers(value, "-p"))
                        elif flag == "P":
                            ppids.extend(_numbers(value, "-P"))
                        break
                    if flag == "f":
                        full = True
                    elif flag not in "AedaTlMnwZ":
                        raise PsError(f"Unknown option '{flag}'")
                    j += 1
            else:
                pids.extend(_numbers(arg, "bad"))
            i += 1
    except PsError as exc:
        return "", f"ps: {exc}\n", 1
    if not o_given:
        if full:
            spec = "USER:12=UID,PID,PPID,C,STIME,TTY,TIME,ARGS=CMD"
        else:
            spec = (
                f"USER,PID,PPID,VSIZE{':10' if ctx.sdk >= 34 else ''},RSS,WCHAN:10,ADDR:10,S,NAME"
            )
        _parse_fields(spec, columns)
    header = " ".join(
        (c.title.ljust(abs(c.width)) if c.width < 0 else c.title.rjust(c.width)) for c in columns
    )
    lines = [header + "\n"] if header.strip() else []
    for process in sorted(ctx.rows, key=lambda p: p.pid):
        if (pids or ppids) and process.pid not in pids and process.ppid not in ppids:
            continue
        lines.append(_line([_value(process, c, ctx) for c in columns], columns))
    return "".join(lines), "", 0


def _numbers(text: str, what: str) -> list[int]:
    out = []
    for item in re.split(r"[, ]+", text.strip()):
        if not item:
            continue
        if not item.isdigit():
            raise PsError(f"{what} {item}" if what != "bad" else f"bad {item}")
        out.append(int(item))
    return out
