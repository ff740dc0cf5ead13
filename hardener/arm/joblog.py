"""Read the armed job's log: hostile text in, a frozen record of what the job did out.

Pure. The log is a file anyone with the shell user can write, so nothing in it is trusted
beyond its shape: each line must be `<epoch> <event> <fields>` with the fields each event
allows (numbers are bounded digits, lever and step numbers must exist in the arm record the
caller holds, values are decoded by the lever kind and rejected otherwise). Lines that do
not fit are counted in `bad` and skipped; the parser never raises. Only the lines after the
last `start <arm id>` of the expected id count: an older job's lines are not this job's.

Events (see `hardener.arm.jobscript`):

    start ID PID | refuse serial ID | hb | wake LAST | end REASON
    step N begin AT | done N
    saw S I VALUE | hold S I VALUE | after S I VALUE | gave S I VALUE
    cmd S I STATUS WORDS | out S I TEXT | skip S I REASON
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hardener.device.phase import decode_output

MAX_LINE = 4096
MAX_TEXT = 300  # output and command words kept per line (for reports)
_EPOCH = re.compile(r"[0-9]{1,12}")
_SMALL = re.compile(r"[0-9]{1,6}")
_STATUS = re.compile(r"[0-9]{1,3}")
_END_REASONS = frozenset({"finished", "expired", "replaced"})
_VALUE_EVENTS = frozenset({"saw", "hold", "after", "gave"})


@dataclass(frozen=True)
class LeverEvent:
    """`saw`, `hold`, `after` or `gave`: the value as the job logged it (canonical text)."""

    time: int
    event: str
    step: int
    lever: int
    value: str


@dataclass(frozen=True)
class CommandEvent:
    time: int
    step: int
    lever: int | None  # None: a step's force-stop or write-settings
    status: int
    words: str
    output: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepLog:
    number: int
    scheduled: int
    began: int
    done: int | None = None

    @property
    def late_s(self) -> int:
        return max(self.began - self.scheduled, 0)


@dataclass(frozen=True)
class JobLog:
    arm_id: str
    started: int | None = None
    pid: int | None = None
    refused_serial: int | None = None  # time the job refused: the serial differed
    steps: tuple[StepLog, ...] = ()
    levers: tuple[LeverEvent, ...] = ()
    commands: tuple[CommandEvent, ...] = ()
    skips: tuple[tuple[int, int, str], ...] = ()  # (step, lever, reason)
    wakes: tuple[tuple[int, int], ...] = ()  # (last pass before the gap, first pass after)
    last_seen: int | None = None  # the latest time on any line: the job was alive then
    ended: tuple[int, str] | None = None
    bad: int = 0
    foreign: int = 0  # well-formed lines of another job

    def holds(self, lever: int) -> tuple[int, str] | None:
        """The value the job holds for `lever` (to give back) and when it took it; None if
        it gave it back or never took it."""
        held: tuple[int, str] | None = None
        for event in self.levers:
            if event.lever != lever:
                continue
            if event.event == "hold":
                held = (event.time, event.value)
            elif event.event == "gave":
                held = None
        return held

    def events(self, lever: int) -> list[LeverEvent]:
        return [event for event in self.levers if event.lever == lever]

    def step(self, number: int) -> StepLog | None:
        return next((s for s in self.steps if s.number == number), None)


@dataclass
class _Builder:
    arm_id: str
    steps: int
    levers: int
    started: int | None = None
    pid: int | None = None
    refused: int | None = None
    step_logs: dict[int, StepLog] = field(default_factory=dict)
    lever_events: list[LeverEvent] = field(default_factory=list)
    commands: list[CommandEvent] = field(default_factory=list)
    skips: list[tuple[int, int, str]] = field(default_factory=list)
    wakes: list[tuple[int, int]] = field(default_factory=list)
    last_seen: int | None = None
    ended: tuple[int, str] | None = None
    bad: int = 0
    foreign: int = 0


def parse_job_log(raw: str | bytes, arm_id: str, *, steps: int, levers: int) -> JobLog:
    """The record of job `arm_id`, which has `steps` steps and `levers` levers."""
    text = decode_output(raw) if isinstance(raw, bytes) else raw
    lines = text.replace("\r\n", "\n").split("\n")
    # Only the lines from the last start of this job on.
    begin = 0
    for index, line in enumerate(lines):
        words = line.split(" ")
        if len(words) == 4 and words[1] == "start" and words[2] == arm_id:
            begin = index
    b = _Builder(arm_id, steps, levers)
    b.foreign = sum(1 for line in lines[:begin] if line.strip())
    for line in lines[begin:]:
        if not line.strip():
            continue
        if not _line(b, line):
            b.bad += 1
    if b.started is None:  # never started: nothing after counts as this job's
        return JobLog(arm_id, bad=b.bad, foreign=b.foreign)
    return JobLog(
        arm_id=arm_id,
        started=b.started,
        pid=b.pid,
        refused_serial=b.refused,
        steps=tuple(b.step_logs[n] for n in sorted(b.step_logs)),
        levers=tuple(b.lever_events),
        commands=tuple(b.commands),
        skips=tuple(b.skips),
        wakes=tuple(b.wakes),
        last_seen=b.last_seen,
        ended=b.ended,
        bad=b.bad,
        foreign=b.foreign,
    )


def _line(b: _Builder, line: str) -> bool:
    if len(line) > MAX_LINE or "\x00" in line:
        return False
    words = line.split(" ")
    if len(words) < 2 or not _EPOCH.fullmatch(words[0]):
        return False
    time, event, rest = int(words[0]), words[1], words[2:]
    if event == "start":
        if len(rest) != 2 or rest[0] != b.arm_id or not _SMALL.fullmatch(rest[1]):
            return False
        b.started, b.pid = time, int(rest[1])
    elif b.started is None:
        return False
    elif event == "hb" and not rest:
        pass
    elif event == "wake" and len(rest) == 1 and _EPOCH.fullmatch(rest[0]):
        b.wakes.append((int(rest[0]), time))
    elif event == "end" and len(rest) == 1 and rest[0] in _END_REASONS:
        b.ended = (time, rest[0])
    elif event == "refuse" and rest == ["serial", b.arm_id]:
        b.refused = time
    elif event == "step" and len(rest) == 3 and rest[1] == "begin":
        number = _number(rest[0], 1, b.steps)
        if number is None or not _EPOCH.fullmatch(rest[2]):
            return False
        b.step_logs[number] = StepLog(number, int(rest[2]), time)
    elif event == "done" and len(rest) == 1:
        number = _number(rest[0], 1, b.steps)
        if number is None or number not in b.step_logs:
            return False
        step = b.step_logs[number]
        b.step_logs[number] = StepLog(step.number, step.scheduled, step.began, time)
    elif event in _VALUE_EVENTS or event in ("cmd", "out", "skip"):
        if not _lever_line(b, time, event, rest):
            return False
    else:
        return False
    b.last_seen = max(time, b.last_seen or time)
    return True


def _lever_line(b: _Builder, time: int, event: str, rest: list[str]) -> bool:
    if len(rest) < 2:
        return False
    step = _number(rest[0], 1, b.steps)
    lever = None if rest[1] == "-" else _number(rest[1], 0, b.levers - 1)
    if step is None or (lever is None and (rest[1] != "-" or event not in ("cmd", "out"))):
        return False
    tail = " ".join(rest[2:])
    if event in _VALUE_EVENTS:
        if lever is None or not tail or len(tail) > MAX_LINE:
            return False
        b.lever_events.append(LeverEvent(time, event, step, lever, tail))
    elif event == "cmd":
        if len(rest) < 4 or not _STATUS.fullmatch(rest[2]):
            return False
        words = _printable(" ".join(rest[3:]))
        b.commands.append(CommandEvent(time, step, lever, int(rest[2]), words))
    elif event == "out":
        if not b.commands or b.commands[-1].step != step or b.commands[-1].lever != lever:
            return False
        last = b.commands[-1]
        if len(last.output) < 20:
            b.commands[-1] = CommandEvent(
                last.time, last.step, last.lever, last.status, last.words,
                (*last.output, _printable(tail)),
            )  # fmt: skip
    else:  # skip
        if lever is None or not tail:
            return False
        b.skips.append((step, lever, _printable(tail)))
    return True


def _number(text: str, low: int, high: int) -> int | None:
    if not _SMALL.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def _printable(text: str) -> str:
    """Text from the phone, safe to show on a terminal: controls replaced, length bounded."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return clean[:MAX_TEXT]
