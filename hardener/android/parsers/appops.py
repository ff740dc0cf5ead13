"""`cmd appops get <pkg|uid> [op]` (and `appops get …`): the app-op modes set for an app.

Output is `No operations.` (plus `Default mode: <mode>` when one op was asked for), an
`Error: …` line, or one line per op:
`[Uid mode: ]<OP>: <mode>[; time=<dur> ago][; rejectTime=<dur> ago][ (running)][; duration=<dur>]`.
OEM ops print as `MIUIOP(10008)`; unknown modes print as `mode=<n>` and are kept so.

How the scope of each line is decided (the `Uid mode:` trap). Android prints the uid-level
group first, then the package-level group, each in ascending op-code order, and writes
`Uid mode: ` only before the *first* uid entry. So:
* no `Uid mode:` line: every entry is package scope;
* the `Uid mode:` line is uid scope, and the uid group runs until the first entry whose op
  code does not rise (codes from `appops_codes`, `NAME(<n>)` forms included): that entry and
  all after it are package scope, everything before it uid scope;
* hard evidence of the package group also ends it: an op name already seen in the group,
  or a `time=`/`rejectTime=`/`duration=`/`(running)` suffix (uid entries never carry them).
  When that comes before any code break, the entries between the `Uid mode:` line and the
  evidence could belong to either group and get scope `unknown`;
* with nothing to tell, entries after the `Uid mode:` line are `unknown`.
The effective mode of an op never depends on this: its first line wins (the uid group is
printed first and a uid mode overrides the package mode), see `AppOpsGet.modes()`.

When `op` is given, lines naming another op (an Android 10 build printed the first uid op
instead of the one asked for) go to `ignored`, not `entries`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hardener.android.parsers.appops_codes import op_code
from hardener.android.parsers.durations import parse_duration_ms
from hardener.android.parsers.shell_errors import ShellError, parse_shell_error
from hardener.android.parsers.text import RawText, lines

UID = "uid"
PACKAGE = "package"
UNKNOWN = "unknown"

_OP_NAME = re.compile(r"[A-Za-z0-9_]+(?:\([0-9]+\))?")
_UID_MARKER = "Uid mode:"
_RUNNING = " (running)"


@dataclass(frozen=True)
class AppOpEntry:
    """One op line. Times are the raw duration text without ` ago` (see durations)."""

    op: str
    mode: str
    scope: str = PACKAGE  # "uid", "package" or "unknown"
    time: str | None = None
    reject_time: str | None = None
    duration: str | None = None
    running: bool = False
    extras: Mapping[str, str] = field(default_factory=dict)  # other `; key=value` parts

    @property
    def time_ms(self) -> int | None:
        return parse_duration_ms(self.time)

    @property
    def reject_time_ms(self) -> int | None:
        return parse_duration_ms(self.reject_time)

    @property
    def duration_ms(self) -> int | None:
        return parse_duration_ms(self.duration)

    @property
    def timed(self) -> bool:
        """Has access history: only package-level entries do."""
        return bool(self.time or self.reject_time or self.duration or self.running)


@dataclass(frozen=True)
class AppOpsGet:
    """Everything one `appops get` printed."""

    entries: tuple[AppOpEntry, ...] = ()
    no_operations: bool = False
    default_mode: str | None = None  # printed after `No operations.` when one op was asked for
    error: ShellError | None = None
    ignored: tuple[AppOpEntry, ...] = ()  # lines naming another op than the one asked for

    def modes(self) -> dict[str, str]:
        """Effective mode per op: the first line of each op (a uid mode overrides)."""
        result: dict[str, str] = {}
        for entry in self.entries:
            result.setdefault(entry.op, entry.mode)
        return result

    def mode(self, op: str) -> str | None:
        """Effective mode of one op; `Default mode:` when the phone said there were none."""
        return self.modes().get(op, self.default_mode if self.no_operations else None)

    def uid_modes(self) -> dict[str, str]:
        return {entry.op: entry.mode for entry in self.entries if entry.scope == UID}

    def package_modes(self) -> dict[str, str]:
        return {entry.op: entry.mode for entry in self.entries if entry.scope == PACKAGE}


def parse_appops_get(text: RawText, op: str | None = None) -> AppOpsGet:
    """Parse `appops get`; pass the op when one was asked for (see the module docstring)."""
    raw: list[tuple[bool, AppOpEntry]] = []
    no_operations = False
    default_mode: str | None = None
    for line in lines(text):
        stripped = line.strip()
        if stripped == "No operations.":
            no_operations = True
        elif stripped.startswith("Default mode:"):
            default_mode = stripped[len("Default mode:") :].strip() or None
        elif not stripped.startswith(("Error:", "Exception", "java.", "at ")):
            parsed = _parse_entry(stripped)
            if parsed is not None:
                raw.append(parsed)
    entries, ignored = _resolve_scopes(raw, op)
    error = None if entries or no_operations else parse_shell_error(text)
    return AppOpsGet(
        entries=entries,
        no_operations=no_operations,
        default_mode=default_mode,
        error=error,
        ignored=ignored,
    )


def _parse_entry(line: str) -> tuple[bool, AppOpEntry] | None:
    marked = line.startswith(_UID_MARKER)
    if marked:
        line = line[len(_UID_MARKER) :].lstrip()
    op, sep, rest = line.partition(": ")
    if not sep:
        op, sep, rest = line.partition(":")
    op = op.strip()
    if not sep or _OP_NAME.fullmatch(op) is None:
        return None
    running = _RUNNING in rest
    if running:
        rest = rest.replace(_RUNNING, "")
    parts = rest.split(";")
    mode = parts[0].strip()
    if not mode or any(blank in mode for blank in " \t"):
        return None
    values: dict[str, str] = {}
    for part in parts[1:]:
        key, eq, value = part.strip().partition("=")
        if eq and key:
            value = value.strip()
            values[key] = value[:-4].rstrip() if value.endswith(" ago") else value
    entry = AppOpEntry(
        op=op,
        mode=mode,
        time=values.pop("time", None),
        reject_time=values.pop("rejectTime", None),
        duration=values.pop("duration", None),
        running=running,
        extras=values,
    )
    return marked, entry


def _resolve_scopes(
    raw: list[tuple[bool, AppOpEntry]], op: str | None
) -> tuple[tuple[AppOpEntry, ...], tuple[AppOpEntry, ...]]:
    start = next((index for index, (marked, _) in enumerate(raw) if marked), None)
    scopes = [PACKAGE] * len(raw)
    if start is not None:
        scopes[start] = UID
        code_break = _code_break(raw, start)
        evidence = _package_evidence(raw, start)
        if code_break is not None and (evidence is None or code_break <= evidence):
            for index in range(start + 1, len(raw)):
                scopes[index] = UID if index < code_break else PACKAGE
        else:
            for index in range(start + 1, len(raw)):
                scopes[index] = PACKAGE if evidence is not None and index >= evidence else UNKNOWN
    entries: list[AppOpEntry] = []
    ignored: list[AppOpEntry] = []
    for (_, entry), scope in zip(raw, scopes, strict=True):
        resolved = AppOpEntry(
            op=entry.op,
            mode=entry.mode,
            scope=scope,
            time=entry.time,
            reject_time=entry.reject_time,
            duration=entry.duration,
            running=entry.running,
            extras=entry.extras,
        )
        (entries if op is None or entry.op == op else ignored).append(resolved)
    return tuple(entries), tuple(ignored)


def _code_break(raw: list[tuple[bool, AppOpEntry]], start: int) -> int | None:
    """First entry after `start` whose known op code does not rise: the package group."""
    last = op_code(raw[start][1].op)
    for index in range(start + 1, len(raw)):
        code = op_code(raw[index][1].op)
        if code is None:
            continue
        if last is not None and code <= last:
            return index
        last = code
    return None


def _package_evidence(raw: list[tuple[bool, AppOpEntry]], start: int) -> int | None:
    """First entry after `start` that cannot be in the uid group (repeat or access times)."""
    seen = {raw[start][1].op}
    for index in range(start + 1, len(raw)):
        entry = raw[index][1]
        if entry.op in seen or entry.timed:
            return index
        seen.add(entry.op)
    return None
