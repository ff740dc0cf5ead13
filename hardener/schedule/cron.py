"""Keep a phone in line from the laptop's crontab: entries, their block, and the run log.

Cron runs `hardener schedule run` at each work-hours transition (so the phone changes on
time; in summer and in winter, whatever the laptop's zone: see `weekly_entries`) and every
N minutes (so a phone plugged in late, or away at the transition, converges
as soon as it is reachable). Enforcement itself always judges the real moment (holidays,
overrides, DST), so the transition lines only need to be close; the catch-up line makes the
result exact.

hardener's lines live in a marked block per (profile, device), so `remove` deletes only
them and a user's own entries are never touched:

    # BEGIN hardener <tag> (managed by `hardener schedule`; do not edit)
    0 18 * * 1,2,3,4,5 /abs/python -m hardener schedule run --profile ... --device ...
    */10 * * * * /abs/python -m hardener schedule run --profile ... --device ...
    # END hardener <tag>
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from hardener.errors import InputError
from hardener.profile import Profile, Schedule
from hardener.state.statedir import append_line
from hardener.textsafe import visible

BEGIN = "# BEGIN hardener "
END = "# END hardener "
LOG_NAME = "cron.log"
LOG_MAX_BYTES = 256 * 1024  # then cron.log moves to cron.log.1: two files at most
SCAN_DAYS = 371  # a year and a week: both seasons of both zones, every weekday of each


@dataclass(frozen=True)
class Entry:
    minute: int
    hour: int
    weekdays: tuple[int, ...]  # cron numbering: 0 Sunday .. 6 Saturday

    def cron(self) -> str:
        days = ",".join(str(d) for d in self.weekdays)
        return f"{self.minute} {self.hour} * * {days if len(self.weekdays) < 7 else '*'}"


def tag_for(profile_ref: str, device: str | None) -> str:
    """A short, stable name for one (profile, device) block."""
    name = Path(profile_ref).stem if profile_ref.endswith(".toml") else profile_ref
    digest = hashlib.sha256(f"{profile_ref}\0{device or ''}".encode()).hexdigest()[:8]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{name}@{device or 'any'}")
    return f"{safe}-{digest}"


def weekly_entries(
    profile: Profile, profile_tz: ZoneInfo, local_tz: tzinfo, *, start: date | None = None
) -> list[Entry]:
    """Cron times (laptop-local) of every plain week's transitions over a year from `start`.

    Cron reads times in the laptop's zone, the profile in its own; the two move apart when
    either changes to or from summer time, on different dates. A line per time and weekday
    that any transition of the coming year falls on makes a line fire at each transition's
    exact instant all year (a Berlin 09:00 start is 08:00 UTC in winter and 07:00 UTC in
    summer: both lines are written). The line that is not that day's is one more catch-up
    run: enforce judges the real moment, so it changes nothing. Holidays and overrides are
    left to the catch-up line (`CRON_TZ` would be simpler but Debian's cron ignores it)."""
    first = start or datetime.now(profile_tz).date()
    plain = Schedule.build(profile_tz, profile.work_hours.days)
    begin = datetime.combine(first, datetime.min.time(), tzinfo=profile_tz) - timedelta(days=1)
    by_time: dict[tuple[int, int], set[int]] = {}
    for transition in plain.transitions(begin, begin + timedelta(days=SCAN_DAYS + 2)):
        local = transition.at.astimezone(local_tz)
        weekday = (local.weekday() + 1) % 7  # Python Monday=0 -> cron Monday=1, Sunday=0
        by_time.setdefault((local.hour, local.minute), set()).add(weekday)
    return [Entry(m, h, tuple(sorted(days))) for (h, m), days in sorted(by_time.items())]


def block(tag: str, entries: Sequence[Entry], command: str, every_minutes: int) -> list[str]:
    lines = [f"{BEGIN}{tag} (managed by `hardener schedule`; do not edit)"]
    lines += [f"{entry.cron()} {command}" for entry in entries]
    lines.append(f"*/{every_minutes} * * * * {command}")
    lines.append(f"{END}{tag}")
    return lines


def without_blocks(text: str, tag: str | None = None) -> tuple[str, list[list[str]]]:
    """The crontab without hardener's blocks (only `tag`'s when given), and the blocks removed."""
    kept: list[str] = []
    removed: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if current is None and line.startswith(BEGIN):
            name = line[len(BEGIN) :].split(" ", 1)[0]
            if tag is None or name == tag:
                current = [line]
                continue
        if current is not None:
            current.append(line)
            if line.startswith(END):
                removed.append(current)
                current = None
            continue
        kept.append(line)
    if current is not None:  # a BEGIN without END: keep the text, it is not ours to guess
        kept.extend(current)
    body = "\n".join(kept).rstrip("\n")
    return (body + "\n") if body else "", removed


def blocks(text: str) -> list[list[str]]:
    return without_blocks(text)[1]


class Crontab:
    """The user's crontab through the real `crontab` program.

    `HARDENER_CRONTAB` may name the program with options (e.g. `crontab -u someone`), which
    the tests use to work on a throwaway user's crontab.
    """

    def __init__(self, command: Sequence[str] = ("crontab",)) -> None:
        self.command = list(command)

    def read(self) -> str:
        try:
            done = subprocess.run(
                [*self.command, "-l"], capture_output=True, text=True, check=False
            )
        except FileNotFoundError:
            raise InputError(
                f"`{self.command[0]}` is not installed",
                hint="install cron (Debian/Ubuntu: apt install cron), or run "
                "`hardener enforce` from another scheduler",
            ) from None
        if done.returncode != 0:
            if "no crontab" in done.stderr.lower():
                return ""
            raise InputError(f"`{' '.join(self.command)} -l` failed: {done.stderr.strip()}")
        return done.stdout

    def write(self, text: str) -> None:
        done = subprocess.run(
            [*self.command, "-"], input=text, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise InputError(
                f"`{' '.join(self.command)} -` refused the new crontab: {done.stderr.strip()}"
            )


def log_run(state_dir: Path, line: str, *, max_bytes: int = LOG_MAX_BYTES) -> Path:
    """Append one line to the cron log; past `max_bytes` the log moves to `cron.log.1`."""
    path = state_dir / LOG_NAME
    # one line per run, and nothing in it a terminal would act on when `status` shows it
    line = visible(" / ".join(part.strip() for part in line.splitlines() if part.strip()))
    if path.exists() and path.stat().st_size >= max_bytes:
        path.replace(path.with_name(LOG_NAME + ".1"))
    append_line(path, line)
    return path


def recent_runs(state_dir: Path, count: int = 10) -> list[str]:
    lines: list[str] = []
    for name in (LOG_NAME + ".1", LOG_NAME):
        path = state_dir / name
        if path.exists():
            lines += [
                line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return lines[-count:]
