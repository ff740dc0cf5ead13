"""One shell script per phase: many commands, one round trip, each output framed.

A round trip costs far more than a command on a real phone, so a scan or an enforcement
sends everything it needs in one script. Each command runs as `CMD 2>&1` followed by
`echo "TOKEN:$?"`, where TOKEN is fresh from `secrets` for every script: a command that
fails only sets its own status, and no text an app can make a command print (a label, a
component name) can fake a boundary, because the app cannot know the token.

Framing is exact: the marker follows the command's output directly, so output without a
trailing newline comes back without one, and nothing is added or lost.

Size: a script travels in one service request. adbd runs it as `sh -c SCRIPT` (one argv
string, <= 128 KiB on Linux), adb-shell's OPEN must fit the phone's maxdata (1 MiB on
Android 9+, 256 KiB on 7-8, 4 KiB before), and an adb server request has a 4-hex-digit
length (<= 65535 bytes). Streaming through stdin would lift that, but adb-shell cannot
write to a stream and `shell:` gives no way to end stdin. So a phase that does not fit is
split, in order, into the fewest scripts that do: with the ~40-byte framing a 1,000-command
phase of typical commands (~30 bytes) is one round trip on every path; one of long `pm
revoke ...` lines (~70 bytes) is one direct and two through a server.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hardener.core.command_result import CommandResult
from hardener.core.reads import Read, by_name
from hardener.device.transport.errors import DeviceTimeoutError
from hardener.errors import DeviceError, InputError

if TYPE_CHECKING:
    from hardener.device.transport.base import Transport

TOKEN_BYTES = 12  # 96 bits: unguessable for one phase, short enough for 1,000 commands
_MARKER_PREFIX_MIN = 4

# A command starting with one of these opens a compound command that never closes.
_RESERVED = frozenset(
    {
        *("if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while"),
        *("until", "for", "in", "function", "select", "{", "}", "!", "[[", "]]"),
    }
)


@dataclass(frozen=True)
class PhaseResult:
    results: tuple[CommandResult, ...]
    round_trips: int = 1


class PhaseInterrupted(DeviceError):
    """The phase stopped early; what did complete is kept so callers can act on it.

    `results`: commands that finished, with their status. `interrupted`: the command that
    was running (its partial output, `exit_code` None: it may or may not have taken
    effect). `pending`: commands that never started.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None,
        results: tuple[CommandResult, ...],
        interrupted: CommandResult | None,
        pending: tuple[str, ...],
    ) -> None:
        super().__init__(message, hint=hint)
        self.results = results
        self.interrupted = interrupted
        self.pending = pending


def decode_output(raw: bytes) -> str:
    """Device text to str: UTF-16 when it starts with a BOM, else UTF-8 (bad bytes -> U+FFFD)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace")


def check_command(command: str) -> None:
    """Refuse what would break the framing of the commands around it.

    Commands must be simple commands (built with `shlex.quote` for any variable part):
    one line, balanced quotes, no comment (it would hide the marker), no here-document
    (it would swallow the next lines), no compound-command keyword (a syntax error kills
    the whole script). A command should not redirect its own stderr (`>&2`): through
    shell v2 stderr travels apart and may arrive after later commands' output.
    """
    problem = _framing_problem(command)
    if problem:
        raise InputError(
            f"cannot send {command[:80]!r} in a phase: {problem}",
            hint="build device commands from validated names and shlex.quote() any other text",
        )


# Words of plain characters only: nothing in them can break the framing (the common case).
_PLAIN_COMMAND = re.compile(r"[A-Za-z0-9_./:=+,@%-]+(?: [A-Za-z0-9_./:=+,@%-]+)*")


def _framing_problem(command: str) -> str | None:
    if _PLAIN_COMMAND.fullmatch(command) and command.split(" ", 1)[0] not in _RESERVED:
        return None
    if not command.strip():
        return "it is empty"
    if any(c in command for c in "\n\r\0"):
        return "it contains a line break or NUL"
    words = command.split()
    if words[0] in _RESERVED:
        return f"it starts with the shell keyword {words[0]!r}"
    quote = ""
    word_start = True
    i = 0
    while i < len(command):
        c = command[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"':
                i += 1
        elif c in "'\"":
            quote = c
        elif c == "\\":
            if i + 1 == len(command):
                return "it ends with a backslash"
            i += 1
        elif c == "#" and word_start:
            return "it has a comment"
        elif c == "<" and command.startswith("<<", i):
            return "it has a here-document"
        word_start = c in " \t;&|()"
        i += 1
    return "it has an unclosed quote" if quote else None


def _framed(command: str, token: str) -> str:
    return f'{command} 2>&1;echo "{token}:$?"\n'


def build_script(commands: Sequence[str], token: str) -> str:
    """The script for `commands`: a start marker, then each command with its end marker."""
    return f'echo "{token}:B"\n' + "".join(_framed(c, token) for c in commands)


def plan_scripts(
    commands: Sequence[str], limit: int, token_length: int = 2 * TOKEN_BYTES
) -> list[range]:
    """Split `commands` (in order) into the fewest runs whose scripts fit in `limit` bytes."""
    fixed = len(build_script([], "x" * token_length).encode())
    runs: list[range] = []
    start, size = 0, fixed
    for index, command in enumerate(commands):
        cost = len(_framed(command, "x" * token_length).encode())
        if fixed + cost > limit:
            raise InputError(
                f"command {index + 1} of the phase is {len(command.encode())} bytes, too long "
                f"to send in one request (at most {limit - fixed - cost + len(command.encode())})",
                hint="split it into shorter commands",
            )
        if size + cost > limit:
            runs.append(range(start, index))
            start, size = index, fixed
        size += cost
    if start < len(commands):
        runs.append(range(start, len(commands)))
    return runs


@dataclass(frozen=True)
class _Parsed:
    results: tuple[CommandResult, ...]
    partial: str | None  # output of the command that was running, None when not started


def parse_output(data: bytes, commands: Sequence[str], token: str) -> _Parsed:
    """Cut the script's output at the markers; stop at the first missing one."""
    marker = re.compile(re.escape(token.encode()) + rb":(B|\d+)\r?\n")
    matches = iter(marker.finditer(data))
    begin = next((m for m in matches if m.group(1) == b"B"), None)
    if begin is None:
        return _Parsed((), None)
    results: list[CommandResult] = []
    position = begin.end()
    for match in matches:
        if len(results) == len(commands) or match.group(1) == b"B":
            break
        output = decode_output(data[position : match.start()])
        results.append(CommandResult(commands[len(results)], output, int(match.group(1))))
        position = match.end()
    partial = None
    if len(results) < len(commands):
        partial = decode_output(_without_marker_start(data[position:], token.encode()))
    return _Parsed(tuple(results), partial)


def _without_marker_start(tail: bytes, token: bytes) -> bytes:
    """Output cut off mid-marker ends with the marker's first bytes: they are not output.

    Only a cut of 4+ token bytes is removed: output whose last bytes happen to equal the
    token's first ones is then a 1-in-65536 accident, not a 1-in-16 one. (Output cut off
    is uncertain anyway; at most 3 bytes of a random token can remain in it.)
    """
    found = tail.find(token)
    if found >= 0:
        return tail[:found]
    for size in range(min(len(token), len(tail)), _MARKER_PREFIX_MIN - 1, -1):
        if tail.endswith(token[:size]):
            return tail[:-size]
    return tail


def run_phase(transport: Transport, commands: Sequence[str], *, timeout: float) -> PhaseResult:
    """Run `commands` in order in as few round trips as the path allows (usually one).

    Raises `PhaseInterrupted` (a `DeviceError`, exit 3) when the link drops, the phone
    stops answering within `timeout` seconds (for the whole phase), or its shell ends
    before the last command; it carries the results completed so far.
    """
    commands = tuple(commands)
    for command in commands:
        check_command(command)
    if not commands:
        return PhaseResult((), round_trips=0)
    deadline = time.monotonic() + timeout
    done: list[CommandResult] = []
    runs = plan_scripts(commands, transport.max_script_bytes)
    for run in runs:
        chunk = commands[run.start : run.stop]
        token = secrets.token_hex(TOKEN_BYTES)
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            data = transport.shell(build_script(chunk, token), timeout=remaining)
            cause: DeviceError | None = None
        except DeviceError as error:
            data, cause = getattr(error, "partial", b""), error
        parsed = parse_output(data, chunk, token)
        done.extend(parsed.results)
        if len(parsed.results) < len(chunk):
            raise _interrupted(transport, commands, done, parsed.partial, cause, timeout)
    return PhaseResult(tuple(done), round_trips=len(runs))


def _interrupted(
    transport: Transport,
    commands: tuple[str, ...],
    done: list[CommandResult],
    partial: str | None,
    cause: DeviceError | None,
    timeout: float,
) -> PhaseInterrupted:
    index = len(done)
    interrupted = CommandResult(commands[index], partial or "", None)
    where = f"after {index} of {len(commands)} commands (stopped in: {commands[index][:60]!r})"
    if isinstance(cause, DeviceTimeoutError):
        message = (
            f"{transport.describe()} stopped answering within the phase's {timeout:g} s; "
            f"the phase ended {where}"
        )
        hint = cause.hint
    elif cause is not None:
        message = f"{cause.message}; the phase ended {where}"
        hint = cause.hint
    else:
        message = f"the shell on {transport.describe()} ended early, {where}"
        hint = "check the cable and that the phone stays awake, then run again"
    return PhaseInterrupted(
        message,
        hint=hint,
        results=tuple(done),
        interrupted=interrupted,
        pending=commands[index + 1 :],
    )


@dataclass(frozen=True)
class ReadsResult:
    """A phase of named reads: each read's result under its name."""

    outputs: dict[str, CommandResult]
    round_trips: int


def run_reads(
    transport: Transport, reads: Sequence[Read], *, timeout: float = 120.0
) -> ReadsResult:
    """Run named reads as one phase; results come back keyed by read name (`core.reads`)."""
    phase = run_phase(transport, [read.command for read in reads], timeout=timeout)
    return ReadsResult(by_name(reads, phase.results), phase.round_trips)
