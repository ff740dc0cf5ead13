"""Timers the operating system owns: systemd user timers and launchd LaunchAgents.

The contract is the crontab's (`hardener/schedule/cron.py`): run `hardener schedule run` at each
work-hours transition and every N minutes to catch up; the run is quiet on success, logs one
line per run in the state directory and holds the per-phone lock. What each system adds:

* systemd: `OnCalendar=` lines carry the profile's own timezone (`Mon..Fri *-*-* 09:00:00
  Europe/Berlin`), so systemd itself follows that zone's DST; `Persistent=true` runs a
  transition missed while the laptop slept as soon as it wakes.
* launchd: `StartCalendarInterval` is in the Mac's local time (launchd has no timezone key),
  like cron; launchd runs a calendar job missed during sleep on wake, and `StartInterval` is
  the catch-up.

Every value written into a unit file or a plist is checked first: a control character
(a newline would start a new directive) is refused, never escaped into place.
"""

from __future__ import annotations

import os
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hardener.errors import InputError
from hardener.schedule.cron import Entry
from hardener.state.statedir import private_dir, write_atomic

VIAS = ("cron", "systemd", "launchd")
UNIT_PREFIX = "hardener-"
LAUNCHD_PREFIX = "com.hardener."
ENV_UNITS_DIR = "HARDENER_UNITS_DIR"
ENV_SYSTEMCTL = "HARDENER_SYSTEMCTL"
ENV_LAUNCHCTL = "HARDENER_LAUNCHCTL"
SYSTEMD_DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")  # cron numbering
_UNIT_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def check_value(what: str, value: str) -> str:
    """`value` unchanged, or InputError when it holds a character no schedule file may carry."""
    bad = next((c for c in value if not c.isprintable()), None)
    if bad is not None:
        raise InputError(
            f"{what} {value!r} holds the control character {bad!r}: it cannot go into a "
            "timer, unit file, plist or crontab",
            hint="rename the file or folder (or the device spec) without control characters",
        )
    return value


@dataclass(frozen=True)
class Job:
    """What the operating system runs: one (profile, device) pair."""

    tag: str  # a name made of [A-Za-z0-9_.-] only
    argv: tuple[str, ...]
    description: str
    every_minutes: int

    def __post_init__(self) -> None:
        if not self.tag or not set(self.tag) <= _UNIT_NAME_CHARS:
            raise InputError(f"bad schedule name {self.tag!r}")
        for arg in self.argv:
            check_value("a command argument", arg)
        check_value("a description", self.description)
        if not 1 <= self.every_minutes <= 59:
            raise InputError(f"--every {self.every_minutes}: give 1 to 59 minutes")


def unit_tag(tag: str) -> str:
    """A cron tag made safe for unit names and labels (`@` means a template in systemd)."""
    return "".join(c if c in _UNIT_NAME_CHARS else "_" for c in tag)


def job_argv(
    python: str,
    profile_ref: str,
    device: str | None,
    state_dir: Path,
    require_signed: Path | None = None,
) -> tuple[str, ...]:
    parts = [python, "-m", "hardener", "schedule", "run", "--profile", profile_ref]
    if device:
        parts += ["--device", device]
    parts += ["--state-dir", str(state_dir)]
    if require_signed is not None:
        parts += ["--require-signed", str(require_signed)]
    for part in parts:
        check_value("a command argument", part)
    return tuple(parts)


# -- systemd ---------------------------------------------------------------------------------


def on_calendar(entries: Sequence[Entry], timezone_name: str) -> list[str]:
    """`OnCalendar=` values for weekly entries given in `timezone_name`'s wall time."""
    check_value("a timezone", timezone_name)
    if not timezone_name or " " in timezone_name:
        raise InputError(f"bad timezone name {timezone_name!r}")
    values = []
    for entry in entries:
        days = ",".join(SYSTEMD_DAYS[d] for d in entry.weekdays)
        prefix = "" if len(entry.weekdays) == 7 else f"{days} "
        values.append(f"{prefix}*-*-* {entry.hour:02d}:{entry.minute:02d}:00 {timezone_name}")
    return values


def catch_up_calendar(every_minutes: int) -> str:
    return f"*-*-* *:00/{every_minutes:02d}:00"


def systemd_quote(arg: str) -> str:
    """One ExecStart= word: double-quoted, C-escaped; `%` and `$` doubled (no expansion)."""
    check_value("a command argument", arg)
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def systemd_units(job: Job, calendars: Sequence[str]) -> dict[str, str]:
    """The `.service` and `.timer` of a job: file name -> text."""
    name = f"{UNIT_PREFIX}{job.tag}"
    description = job.description.replace("%", "%%")
    service = "\n".join(
        [
            "# Managed by `hardener schedule`; do not edit (hardener schedule remove deletes it).",
            "[Unit]",
            f"Description={description}",
            "",
            "[Service]",
            "Type=oneshot",
            "ExecStart=" + " ".join(systemd_quote(arg) for arg in job.argv),
            "Nice=10",
            "",
        ]
    )
    timer = "\n".join(
        [
            "# Managed by `hardener schedule`; do not edit (hardener schedule remove deletes it).",
            "[Unit]",
            f"Description={description} (timer)",
            "",
            "[Timer]",
            *(f"OnCalendar={value}" for value in calendars),
            f"OnCalendar={catch_up_calendar(job.every_minutes)}",
            "Persistent=true",
            f"Unit={name}.service",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    )
    for value in calendars:
        check_value("a calendar line", value)
    return {f"{name}.service": service, f"{name}.timer": timer}


# -- launchd ---------------------------------------------------------------------------------


def launchd_label(tag: str) -> str:
    return f"{LAUNCHD_PREFIX}{tag}"


def launchd_plist(job: Job, entries: Sequence[Entry], log_path: Path) -> bytes:
    """A LaunchAgent: calendar times in the Mac's local time, plus the catch-up interval."""
    check_value("a log path", str(log_path))
    intervals = [
        {"Weekday": day, "Hour": entry.hour, "Minute": entry.minute}
        for entry in entries
        for day in entry.weekdays
    ]
    document = {
        "Label": launchd_label(job.tag),
        "Comment": job.description,
        "ProgramArguments": list(job.argv),
        "StartCalendarInterval": intervals,
        "StartInterval": job.every_minutes * 60,
        "RunAtLoad": True,
        "ProcessType": "Background",
        "LowPriorityIO": True,
        "StandardOutPath": str(log_path),
        "StandardErrorPath": str(log_path),
    }
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True)


# -- installing into a folder, and telling the service manager --------------------------------


def default_units_dir(via: str, environ: dict[str, str] | None = None) -> Path:
    env = dict(os.environ if environ is None else environ)
    if env.get(ENV_UNITS_DIR):
        return Path(env[ENV_UNITS_DIR]).expanduser()
    home = Path(env.get("HOME", "~")).expanduser()
    if via == "systemd":
        config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
        return config / "systemd" / "user"
    return home / "Library" / "LaunchAgents"


def _manager(variable: str, default: str) -> list[str]:
    return shlex.split(os.environ.get(variable, default))


def _call(command: list[str]) -> str:
    """Run a service-manager command; a failure is reported, never silent."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        return f"`{command[0]}` is not installed"
    except subprocess.TimeoutExpired:
        return f"`{' '.join(command)}` did not finish within 60 s"
    if done.returncode != 0:
        return f"`{' '.join(command)}` failed: {done.stderr.strip() or done.returncode}"
    return ""


@dataclass(frozen=True)
class Installed:
    tag: str
    files: tuple[Path, ...]
    schedule: tuple[str, ...]  # the calendar lines or intervals, for status


class SystemdTimers:
    """hardener's user timers in a units folder (`systemctl --user` unless overridden)."""

    via = "systemd"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.systemctl = _manager(ENV_SYSTEMCTL, "systemctl --user")

    def install(self, job: Job, calendars: Sequence[str]) -> tuple[list[Path], list[str]]:
        private_dir(self.folder)
        paths = []
        for name, text in systemd_units(job, calendars).items():
            path = self.folder / name
            write_atomic(path, text.encode())
            paths.append(path)
        timer = f"{UNIT_PREFIX}{job.tag}.timer"
        problems = [
            p
            for p in (
                _call([*self.systemctl, "daemon-reload"]),
                _call([*self.systemctl, "enable", "--now", timer]),
            )
            if p
        ]
        return paths, problems

    def installed(self) -> list[Installed]:
        if not self.folder.is_dir():
            return []
        found = []
        for timer in sorted(self.folder.glob(f"{UNIT_PREFIX}*.timer")):
            tag = timer.name[len(UNIT_PREFIX) : -len(".timer")]
            lines = timer.read_text(encoding="utf-8", errors="replace").splitlines()
            calendars = tuple(line for line in lines if line.startswith("OnCalendar="))
            files = [timer]
            service = timer.with_suffix(".service")
            if service.exists():
                files.append(service)
            found.append(Installed(tag, tuple(files), calendars))
        return found

    def remove(self, tag: str | None) -> tuple[list[Installed], list[str]]:
        removed, problems = [], []
        for item in self.installed():
            if tag is not None and item.tag != tag:
                continue
            problem = _call([*self.systemctl, "disable", "--now", f"{UNIT_PREFIX}{item.tag}.timer"])
            if problem:
                problems.append(problem)
            for path in item.files:
                path.unlink(missing_ok=True)
            removed.append(item)
        if removed:
            problem = _call([*self.systemctl, "daemon-reload"])
            if problem:
                problems.append(problem)
        return removed, problems


class LaunchdAgents:
    """hardener's LaunchAgents in a folder (`launchctl` unless overridden)."""

    via = "launchd"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.launchctl = _manager(ENV_LAUNCHCTL, "launchctl")
        self.domain = f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui"

    def install(self, job: Job, plist: bytes) -> tuple[list[Path], list[str]]:
        private_dir(self.folder)
        path = self.folder / f"{launchd_label(job.tag)}.plist"
        # a job already loaded must be booted out before the new definition is bootstrapped
        _call([*self.launchctl, "bootout", f"{self.domain}/{launchd_label(job.tag)}"])
        write_atomic(path, plist)
        path.chmod(0o644)  # launchd refuses agents writable by others; 0644 is its usual mode
        problem = _call([*self.launchctl, "bootstrap", self.domain, str(path)])
        return [path], [problem] if problem else []

    def installed(self) -> list[Installed]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob(f"{LAUNCHD_PREFIX}*.plist")):
            tag = path.name[len(LAUNCHD_PREFIX) : -len(".plist")]
            try:
                document = plistlib.loads(path.read_bytes())
            except (plistlib.InvalidFileException, ValueError, OSError):
                found.append(Installed(tag, (path,), ("(unreadable plist)",)))
                continue
            times = tuple(
                f"weekday {i.get('Weekday', '*')} {i.get('Hour', 0):02d}:{i.get('Minute', 0):02d}"
                for i in document.get("StartCalendarInterval", [])
            )
            every = document.get("StartInterval")
            extra = (f"every {every // 60} minutes",) if isinstance(every, int) else ()
            found.append(Installed(tag, (path,), times + extra))
        return found

    def remove(self, tag: str | None) -> tuple[list[Installed], list[str]]:
        removed, problems = [], []
        for item in self.installed():
            if tag is not None and item.tag != tag:
                continue
            problem = _call(
                [*self.launchctl, "bootout", f"{self.domain}/{launchd_label(item.tag)}"]
            )
            if problem:
                problems.append(problem)
            for path in item.files:
                path.unlink(missing_ok=True)
            removed.append(item)
        return removed, problems


def detect_via(
    platform: str | None = None,
    *,
    user_systemd: bool | None = None,
) -> str:
    """launchd on macOS; systemd when a user service manager runs; cron otherwise."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "launchd"
    if user_systemd is None:
        runtime = os.environ.get("XDG_RUNTIME_DIR") or (
            f"/run/user/{os.getuid()}" if hasattr(os, "getuid") else ""
        )
        user_systemd = bool(runtime) and (Path(runtime) / "systemd" / "private").exists()
    return "systemd" if user_systemd else "cron"


def cron_command(argv: Sequence[str]) -> str:
    """The crontab's command for `argv`: shell-quoted, `%` escaped (cron reads it as newline)."""
    for arg in argv:
        check_value("a command argument", arg)
    return " ".join(shlex.quote(arg) for arg in argv).replace("%", "\\%")
