"""The armed job: a plain `sh` script left on the phone to apply the next transitions itself.

Pure: a `Job` (what to do, when) in, the script's text out. The job runs detached as the
shell user (`setsid nohup sh job.sh ID`), keeps its files under `/data/local/tmp/hardener/`,
and for each step:

* waits for the step's time in a loop of short sleeps (`SLEEP_S`, <= 10 s), re-reading
  `date +%s` each pass: `sleep` does not count time in suspend, so the step runs within
  seconds of the phone being awake after its time;
* a *harden* step applies the wants: for each setting it reads the value now (a permission
  granted by hand a minute ago is seen), and only when it does not meet the target logs the
  value it is about to take (`hold`) and changes it; then force-stops the apps it changed
  and makes app-op changes durable;
* a *restore* step gives back what the job (or the laptop before it) holds: exactly the
  value logged at `hold`, flags and modes included, and nothing else;
* every command goes through `run`, which logs its time, exit status and output lines.

The log (`job.log`, one event per line: `<epoch> <event> <fields>`) is what the laptop reads
at the next contact (`hardener.arm.joblog`). Heartbeats: `job.hb` holds the last pass's time;
a `wake` line records a gap longer than `WAKE_GAP_S` (the phone slept); an `hb` line every
`HEARTBEAT_S`. Each step leaves `step<N>.done` holding the job's id. The job writes its pid
to `job.pid`, exits when `job.id` no longer holds its id (re-arming replaced it), after its
last step, or at `expires`; and it refuses to act on a phone whose `ro.serialno` differs.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass

from hardener.android import commands
from hardener.core.levers import LeverKey, LeverValue, kind_of
from hardener.core.levers.sh import prelude
from hardener.core.plan import HARDEN, RESTORE

DIR = "/data/local/tmp/hardener"
JOB = f"{DIR}/job.sh"
LOG = f"{DIR}/job.log"
PIDFILE = f"{DIR}/job.pid"
IDFILE = f"{DIR}/job.id"
HEARTBEAT = f"{DIR}/job.hb"
SLEEP_S = 5
WAKE_GAP_S = 60
HEARTBEAT_S = 600
HEARTBEAT_FILE_S = 30  # job.hb: the last pass's time, to within this much
MAX_LIFETIME_S = 7 * 24 * 3600
MARKER = "hardener/job.sh"  # what /proc/PID/cmdline of a live job contains

ARM_ID = re.compile(r"[0-9a-f]{16}")
SERIAL = re.compile(r"[\x21-\x7e]{1,96}")

q = shlex.quote


class JobError(ValueError):
    """A job that must not be generated (bad id, serial, step or lever)."""


@dataclass(frozen=True)
class JobLever:
    """One setting the job may change: `target` when hardening; `held`, the laptop's baseline.

    `held` is set (with `has_held`) when the laptop already holds this setting's baseline in
    its journal: the job gives that back at a restore step, and keeps it over a new harden.
    """

    key: LeverKey
    target: LeverValue
    held: LeverValue = None
    has_held: bool = False


@dataclass(frozen=True)
class JobStep:
    """At `at` (epoch seconds, the phone's clock): harden or restore the levers listed."""

    at: int
    intent: str
    levers: tuple[int, ...]  # indices into Job.levers, in the order to act


@dataclass(frozen=True)
class Job:
    arm_id: str
    serial: str
    created: int
    expires: int
    flags_ok: bool
    levers: tuple[JobLever, ...]
    steps: tuple[JobStep, ...]

    def check(self) -> None:
        if not ARM_ID.fullmatch(self.arm_id):
            raise JobError(f"not an arm id: {self.arm_id!r}")
        if not SERIAL.fullmatch(self.serial):
            raise JobError(f"not a serial the job can compare: {self.serial!r}")
        if not self.created < self.expires <= self.created + MAX_LIFETIME_S:
            raise JobError("the job must expire within its maximum lifetime")
        last = self.created - 1
        for step in self.steps:
            if step.intent not in (HARDEN, RESTORE):
                raise JobError(f"not a step: {step.intent!r}")
            if not last < step.at < self.expires:
                raise JobError("steps must be in order and before the job expires")
            last = step.at
            for index in step.levers:
                if not 0 <= index < len(self.levers):
                    raise JobError(f"step names lever {index}, which the job does not have")


def script(job: Job, directory: str = DIR) -> str:
    """The job's `sh` text (mksh, toybox; also dash and busybox sh).

    `directory` is for tests that run the job on this computer; on a phone it is `DIR`.
    """
    job.check()
    out = [
        "#!/system/bin/sh",
        f"# hardener armed job {job.arm_id}: written by hardener on the laptop at each arming,",
        "# replaced by the next one. Every name below was validated; nothing read is evaluated.",
        "trap '' HUP PIPE",
        f"D={q(directory)}",
        f"ID={job.arm_id}",
        """log() { printf '%s\\n' "$(date +%s) $*" >>"$D/job.log"; }""",
        'run() { "$@" >"$D/out" 2>&1; r=$?; log cmd "$S" "$I" "$r" "$*"; '
        'while read -r o; do log out "$S" "$I" "$o"; done <"$D/out"; return 0; }',
        # the phone's serial as hardener read it (ro.serialno, else ro.boot.serialno)
        'ser() { z=$(getprop ro.serialno); [ -n "$z" ] || z=$(getprop ro.boot.serialno); '
        f'[ "$z" = {q(job.serial)} ]; }}',
        *prelude(job.flags_ok),
        *_functions(lever.key for lever in job.levers),
        # H: harden lever $1 if it does not meet its target; the value taken is kept in
        # h.<n> (a value the laptop held is written there at start) and logged first.
        'H() { I=$1; L$1; rd_$K; log saw "$S" "$I" "$v"; hc_$K; [ "$n" = 1 ] || return 0; '
        """if [ ! -f "$D/h.$I" ]; then printf '%s\\n' "$v" >"$D/h.$I"; fi; """
        'read -r p <"$D/h.$I"; log hold "$S" "$I" "$p"; hx_$K; rd_$K; log after "$S" "$I" "$v"; '
        'C="$C $U@$P"; }',
        # G: give back what lever $1 holds, exactly, then forget it.
        'G() { I=$1; L$1; [ -f "$D/h.$I" ] || return 0; read -r p <"$D/h.$I"; rd_$K; '
        'log saw "$S" "$I" "$v"; gc_$K; if [ "$n" = 1 ]; then gx_$K; rd_$K; '
        'log after "$S" "$I" "$v"; fi; rm -f "$D/h.$I"; log gave "$S" "$I" "$p"; }',
        'fs() { case "$C " in *" $1@$2 "*) run am force-stop --user "$1" "$2";; esac; }',
    ]
    for index, lever in enumerate(job.levers):
        out.append(f"# {_checked(lever)}")
        out.append(_lever(index, lever.key, lever.target, job.flags_ok))
    out += [
        'if [ "$1" != "$ID" ]; then exit 2; fi',
        'x=; read -r x <"$D/job.id"; if [ "$x" != "$ID" ]; then exit 2; fi',
        "S=0; I=-",
        'if ! ser; then log refuse serial "$ID"; exit 3; fi',
        'echo $$ >"$D/job.pid"',
        'log start "$ID" $$',
        f'i=0; while [ "$i" -lt {len(job.levers)} ]; do rm -f "$D/h.$i"; i=$((i + 1)); done',
    ]
    for index, lever in enumerate(job.levers):
        if lever.has_held:
            held = kind_of(lever.key).sh.encode(lever.key, lever.held)
            out.append(f"printf '%s\\n' {q(held)} " + f'>"$D/h.{index}"')
    for number, step in enumerate(job.steps, 1):
        out += _step(number, step, job)
    out += _loop(job)
    return "\n".join(out) + "\n"


def _step(number: int, step: JobStep, job: Job) -> list[str]:
    out = [
        f"s{number}() {{",
        f"  S={number}; I=-; C=",
        '  if ! ser; then log refuse serial "$ID"; exit 3; fi',
        f"  log step {number} begin {step.at}",
    ]
    verb = "H" if step.intent == HARDEN else "G"
    indices = " ".join(str(index) for index in step.levers)
    if indices:
        out.append(f"  for i in {indices}; do {verb} $i; done")
    out.append("  I=-")
    if step.intent == HARDEN:
        stops: list[tuple[int, str]] = []
        for index in step.levers:
            key = job.levers[index].key
            if key.user >= 0 and (key.user, key.package) not in stops:
                stops.append((key.user, key.package))
        out += [f"  fs {user} {q(commands.package(package))}" for user, package in stops]
    after: list[str] = []  # e.g. app-ops: make the changes durable, once per step
    for index in step.levers:
        for command in kind_of(job.levers[index].key).sh.after:
            if command not in after:
                after.append(command)
    out += [f"  run {command}" for command in after]
    out += [f"  log done {number}", f'  echo "$ID" >"$D/step{number}.done"', "}"]
    return out


def _loop(job: Job) -> list[str]:
    """The wait: one pass every SLEEP_S awake seconds, cheap (builtins but `date`)."""
    out = [
        "N=1; last=$(date +%s); beat=0; mark=0",
        "while :; do",
        "  now=$(date +%s); x=",
        '  read -r x <"$D/job.id"',
        '  if [ "$x" != "$ID" ]; then log end replaced; exit 0; fi',
        f'  if [ "$now" -ge {job.expires} ]; then log end expired; rm -f "$D/job.pid"; exit 0; fi',
        f'  if [ $((now - last)) -gt {WAKE_GAP_S} ]; then log wake "$last"; fi',
        f"  if [ $((now - mark)) -ge {HEARTBEAT_FILE_S} ]; then",
        '    echo "$now" >"$D/job.hb"; mark=$now',
        "  fi",
        f'  if [ "$now" -ge "$beat" ]; then log hb; beat=$((now + {HEARTBEAT_S})); fi',
        "  last=$now",
    ]
    for number, step in enumerate(job.steps, 1):
        due = f'[ "$N" = {number} ] && [ "$now" -ge {step.at} ]'
        out.append(f"  if {due}; then s{number}; N={number + 1}; last=$(date +%s); fi")
    out += [
        f'  if [ "$N" = {len(job.steps) + 1} ]; then',
        '    log end finished; rm -f "$D/job.pid"; exit 0',
        "  fi",
        f"  sleep {SLEEP_S}",
        "done",
    ]
    return out


def _functions(keys: Iterable[LeverKey]) -> list[str]:
    """The shell functions of the job's lever kinds, each once, in a stable order."""
    out: list[str] = []
    for name in sorted({key.kind for key in keys}):
        for line in kind_of(name).sh.functions:
            if line not in out:
                out.append(line)
    return out


def _lever(index: int, key: LeverKey, target: LeverValue, flags_ok: bool) -> str:
    """`L<index>() { K=...; U=...; ... }`: the setting's validated, quoted names."""
    return f"L{int(index)}() {{ {kind_of(key).sh.lever(key, target, flags_ok)}; }}"


def _checked(lever: JobLever) -> str:
    """The lever's comment, once its kind has checked its names and values as it checks a
    journal entry (a laptop value the job would carry that fails makes the job fail)."""
    kind = kind_of(lever.key)
    kind.check_key(lever.key)
    kind.check_value(lever.target)
    kind.check_value(lever.held)
    return kind.sh.comment(lever.key)


def start_command(arm_id: str) -> str:
    """The command that starts the job detached from adb's session (see armed-job.md)."""
    if not ARM_ID.fullmatch(arm_id):
        raise JobError(f"not an arm id: {arm_id!r}")
    return f"setsid nohup sh {JOB} {arm_id} </dev/null >/dev/null 2>&1 & echo $!"
