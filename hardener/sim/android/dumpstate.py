"""`bugreportz` and the bugreport it writes: a zip in /bugreports that `adb bugreport` pulls.

Layout derived from AOSP frameworks/native `cmds/dumpstate` (`dumpstate.cpp`: PrintHeader,
RunCommand section titles and duration lines, DumpstateMode; `bugreport-format.md`:
`main_entry.txt`, `version.txt`, `bugreport-*.txt`, `dumpstate_log.txt`),
`cmds/dumpsys/dumpsys.cpp` (the `DUMP OF SERVICE name:` header and the duration footer) and
`cmds/bugreportz` (`bugreportz.cpp`, `readme.md`: `-v` prints the version on stderr, `-p`
prints `BEGIN:`, `PROGRESS:n/total` and `OK:path` or `FAIL:reason`). No real bugreport is
in the fixtures: this is derived, not captured, and carries only the sections hardener
reads (plus the header), each produced by the same command the live phone answers with, so
a bugreport and a live read agree.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardener.sim.android.model import Model
from hardener.sim.android.shell import Result
from hardener.sim.android.storage import BUGREPORTS, FileSystem

CommandFn = Callable[[list[str], str], Result]

RULE = "=" * 56
DUMPSYS_RULE = "-" * 79
# dumpsys prints services in name order; these are the ones a bugreport must carry for
# hardener (and the evidence command) to audit offline.
SERVICES = (
    "accessibility",
    "appops",
    "deviceidle",
    "notification",
    "package",
    "usagestats",
    "user",
)
FORMAT_VERSION = "2.0"
PROGRESS_TOTAL = 100


def bugreportz_version(sdk: int) -> str:
    """1.0 on Android 7, 1.1 (progress) from 8, 1.2 (`-s` streaming) from 11."""
    if sdk >= 30:
        return "1.2"
    return "1.1" if sdk >= 26 else "1.0"


def _now(model: Model) -> datetime:
    name = model.props.get("persist.sys.timezone", "") or "UTC"
    try:
        zone: timezone | ZoneInfo = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return datetime.now(zone)


def report_name(model: Model, when: datetime) -> str:
    props = model.props
    product = props.get("ro.product.name", "") or "generic"
    build = props.get("ro.build.id", "") or "UNKNOWN"
    return f"bugreport-{product}-{build}-{when:%Y-%m-%d-%H-%M-%S}"


def bugreport_text(model: Model, commands: Mapping[str, CommandFn], when: datetime) -> str:
    props = model.props
    stamp = f"{when:%Y-%m-%d %H:%M:%S}"
    out = [
        f"{RULE}\n== dumpstate: {stamp}\n{RULE}\n\n",
        f"Build: {props.get('ro.build.display.id', '')}\n",
        f"Build fingerprint: '{props.get('ro.build.fingerprint', '')}'\n",
        f"Bootloader: {props.get('ro.bootloader', 'unknown')}\n",
        f"Radio: {props.get('gsm.version.baseband', '')}\n",
        f"Network: {props.get('gsm.operator.alpha', '')}\n",
        "Kernel: Linux version 5.10.0-virtual (hardener virtual phone)\n",
        "Command line: androidboot.hardware=virtual\n",
        "Uptime: up 0 weeks, 0 days, 1 hour, 2 minutes\n",
        f"Bugreport format version: {FORMAT_VERSION}\n",
        "Dumpstate info: id=1 pid=4242 dry_run=0 parallel_run=1 args=-S bugreport_mode=\n\n",
    ]
    getprop = commands["getprop"](["getprop"], "")
    out.append(f"------ SYSTEM PROPERTIES (getprop) ------\n{getprop.out}")
    out.append("------ 0.011s was the duration of 'SYSTEM PROPERTIES' ------\n\n")
    out.append("------ DUMPSYS (/system/bin/dumpsys) ------\n")
    for service in SERVICES:
        result = commands["dumpsys"](["dumpsys", service], "")
        body = result.out if result.out.endswith("\n") or not result.out else result.out + "\n"
        out.append(f"{DUMPSYS_RULE}\nDUMP OF SERVICE {service}:\n{body}")
        out.append(f"--------- 0.004s was the duration of dumpsys {service}, ending at: {stamp}\n")
    out.append("------ 0.120s was the duration of 'DUMPSYS' ------\n\n")
    out.append(f"{RULE}\n== Final progress (pid 4242): {PROGRESS_TOTAL}/{PROGRESS_TOTAL} ")
    out.append(f"(estimated {PROGRESS_TOTAL})\n{RULE}\n== dumpstate: done (id 1)\n{RULE}\n")
    return "".join(out)


def bugreport_zip(model: Model, commands: Mapping[str, CommandFn], when: datetime) -> bytes:
    name = report_name(model, when)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = {
            f"{name}.txt": bugreport_text(model, commands, when),
            "main_entry.txt": f"{name}.txt",
            "version.txt": FORMAT_VERSION,
            "dumpstate_log.txt": f"dumpstate id 1 written to {name}.txt by the virtual phone\n",
        }
        for entry, text in entries.items():
            info = zipfile.ZipInfo(entry, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


USAGE = """usage: bugreportz [-hpsv]
  -h: to display this help message
  -p: display progress
  -s: stream content to standard output
  -v: to display the version
  or no arguments to generate a zipped bugreport
"""


def bugreportz(
    model: Model, files: FileSystem, commands: Mapping[str, CommandFn], argv: list[str]
) -> Result:
    """`bugreportz [-p|-v|-h|-s]` as the shell user runs it."""
    flags = "".join(arg[1:] for arg in argv[1:] if arg.startswith("-"))
    if any(not arg.startswith("-") for arg in argv[1:]) or set(flags) - set("hpsv"):
        return Result("", USAGE, 1)
    version = bugreportz_version(model.sdk)
    if "h" in flags:
        return Result("", USAGE, 0)
    if "v" in flags:
        return Result("", f"{version}\n", 0)
    if "s" in flags:  # streaming the zip over stdout: not offered here
        return Result("", "FAIL:streaming is not available on this virtual phone\n", 1)
    when = _now(model)
    path = f"{BUGREPORTS}/{report_name(model, when)}.zip"
    files.write(path, bugreport_zip(model, commands, when), mode=0o644, as_system=True)
    lines = []
    if "p" in flags and version != "1.0":
        lines.append(f"BEGIN:{path}\n")
        lines += [f"PROGRESS:{n}/{PROGRESS_TOTAL}\n" for n in (10, 45, 80, PROGRESS_TOTAL)]
    lines.append(f"OK:{path}\n")
    return Result("".join(lines))
