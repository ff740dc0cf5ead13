"""The commands that arm, read and disarm the job, and what their output says. Pure.

Each list is sent as one phase (one round trip, framed outputs: `hardener.device.phase`). Nothing
read from the phone reaches a shell line: a pid from the pidfile is used on the phone only
after `case` has checked it is digits, and killed only when its `/proc/PID/cmdline` names the
job script; the laptop only parses what comes back.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from hardener.arm.jobscript import DIR, IDFILE, JOB, LOG, MARKER, PIDFILE, start_command
from hardener.core.command_result import CommandResult

LOG_PREV = f"{LOG}.prev"
CHUNK_BYTES = 24_000  # of job text per printf command (well inside any request limit)
BOOT_ID = "cat /proc/sys/kernel/random/boot_id"
UPTIME = "cat /proc/uptime"
CLOCK = "date +%s"
_DIGITS = "case \"$p\" in ''|*[!0-9]*) p=0;; esac"
JOB_PID = f'p=$(cat {PIDFILE} 2>/dev/null); {_DIGITS}; echo "$p"; cat /proc/$p/cmdline 2>/dev/null'
ADBD = "p=$(pidof adbd 2>/dev/null); " + _DIGITS + '; echo "$p"; cat /proc/$p/stat 2>/dev/null'
KILL = (
    f"p=$(cat {PIDFILE} 2>/dev/null); {_DIGITS}; "
    f'case "$(cat /proc/$p/cmdline 2>/dev/null)" in '
    f'*{MARKER}*) kill "$p" && echo "stopped $p";; esac'
)


@dataclass(frozen=True)
class JobState:
    """What the phone says about the job and about itself, at one contact."""

    log: str = ""
    log_prev: str = ""
    heartbeat: int | None = None
    job_id: str = ""
    pid: int | None = None
    cmdline: str = ""  # NULs shown as spaces
    boot_id: str = ""
    adbd_pid: int | None = None
    adbd_start: int | None = None
    uptime_s: float | None = None
    now: int | None = None  # the phone's epoch
    stopped: int | None = None  # the pid a disarm or re-arm stopped

    def alive(self, arm_id: str) -> bool:
        """The job of `arm_id` still runs: its pid's command line names the script and id."""
        return (
            self.pid is not None
            and self.pid > 0
            and MARKER in self.cmdline
            and arm_id in self.cmdline.split()
            and self.job_id == arm_id
        )


def contact_commands() -> list[str]:
    """Read-only: the job's files, whether it runs, and the phone's boot and adbd."""
    return [
        f"cat {LOG} 2>/dev/null",
        f"cat {LOG_PREV} 2>/dev/null",
        f"cat {DIR}/job.hb 2>/dev/null",
        f"cat {IDFILE} 2>/dev/null",
        JOB_PID,
        BOOT_ID,
        ADBD,
        UPTIME,
        CLOCK,
    ]


def parse_contact(results: Sequence[CommandResult]) -> JobState:
    out = [r.output for r in results] + [""] * 9
    pid, cmdline = _pid_and_rest(out[4])
    adbd_pid, stat = _pid_and_rest(out[6])
    return JobState(
        log=out[0],
        log_prev=out[1],
        heartbeat=_epoch(out[2]),
        job_id=_word(out[3]),
        pid=pid,
        cmdline=cmdline.replace("\x00", " ").strip(),
        boot_id=_boot_id(out[5]),
        adbd_pid=adbd_pid,
        adbd_start=_start_time(stat),
        uptime_s=_uptime(out[7]),
        now=_epoch(out[8]),
    )


def arm_commands(job_text: str, arm_id: str) -> list[str]:
    """Stop the old job (printing its log), leave the new one, start it, note boot and adbd."""
    commands = [f"mkdir -p {DIR}", f"echo {arm_id} > {IDFILE}", KILL, f"cat {LOG} 2>/dev/null"]
    commands.append(f"mv -f {LOG} {LOG_PREV} 2>/dev/null; rm -f {PIDFILE} {DIR}/job.hb")
    lines = job_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    chunk: list[str] = []
    size = 0
    first = True
    for line in [*lines, None]:
        if line is not None and size + len(line) < CHUNK_BYTES:
            chunk.append(line)
            size += len(line) + 3
            continue
        if chunk:
            words = " ".join(shlex.quote(item) for item in chunk)
            commands.append(f"printf '%s\\n' {words} {'>' if first else '>>'} {JOB}")
            first = False
        chunk, size = ([line], len(line) + 3) if line is not None else ([], 0)
    commands += [start_command(arm_id), BOOT_ID, ADBD, CLOCK]
    return commands


@dataclass(frozen=True)
class Armed:
    old_log: str
    stopped: int | None
    job_pid: int | None
    boot_id: str
    adbd_pid: int | None
    adbd_start: int | None
    now: int | None


def parse_arm(results: Sequence[CommandResult]) -> Armed:
    out = [r.output for r in results]
    stopped = _stopped(out[2])
    job_pid = _epoch(out[-4])
    adbd_pid, stat = _pid_and_rest(out[-2])
    return Armed(
        old_log=out[3],
        stopped=stopped,
        job_pid=job_pid,
        boot_id=_boot_id(out[-3]),
        adbd_pid=adbd_pid,
        adbd_start=_start_time(stat),
        now=_epoch(out[-1]),
    )


def disarm_commands() -> list[str]:
    """Stop the job, keep its log for reading, and leave nothing that could start again."""
    return [
        KILL,
        f"rm -f {IDFILE} {PIDFILE}",
        *contact_commands(),
    ]


def parse_disarm(results: Sequence[CommandResult]) -> JobState:
    state = parse_contact(results[2:])
    from dataclasses import replace

    return replace(state, stopped=_stopped(results[0].output if results else ""))


# Parsing bits (hostile text: bounded, never raising) ---------------------------------------

_EPOCH = re.compile(r"\s*([0-9]{1,12})\s*")
_BOOT = re.compile(r"\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*")
_ID = re.compile(r"\s*([0-9a-f]{16})\s*")


def _epoch(text: str) -> int | None:
    match = _EPOCH.fullmatch(text[:64])
    return int(match.group(1)) if match else None


def _word(text: str) -> str:
    match = _ID.fullmatch(text[:64])
    return match.group(1) if match else ""


def _boot_id(text: str) -> str:
    match = _BOOT.fullmatch(text[:80])
    return match.group(1) if match else ""


def _pid_and_rest(text: str) -> tuple[int | None, str]:
    first, _, rest = text.partition("\n")
    pid = _epoch(first)
    return (pid if pid else None), rest[:4096]


def _start_time(stat: str) -> int | None:
    """Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parens."""
    close = stat.rfind(")")
    if close < 0:
        return None
    fields = stat[close + 1 :].split()
    if len(fields) < 20 or not fields[19].isdigit() or len(fields[19]) > 15:
        return None
    return int(fields[19])


def _uptime(text: str) -> float | None:
    words = text.split()
    try:
        return float(words[0]) if words and len(words[0]) < 20 else None
    except ValueError:
        return None


def _stopped(text: str) -> int | None:
    match = re.fullmatch(r"\s*stopped ([0-9]{1,9})\s*", text[:64])
    return int(match.group(1)) if match else None
