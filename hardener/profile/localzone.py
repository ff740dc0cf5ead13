"""The laptop's own timezone, for profiles that say `timezone = "device"` when no phone is read.

`profile show` consults no phone, so "device" falls back to the timezone of the machine it
runs on; the command says so. The phone's zone (`persist.sys.timezone`) is the scan's job.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hardener.profile.times import timezone_names


def local_timezone_name() -> str | None:
    """The IANA name of this machine's timezone: $TZ, /etc/localtime, /etc/timezone; else None."""
    candidates: list[str] = []
    tz_variable = os.environ.get("TZ", "").strip().lstrip(":")
    if tz_variable:
        candidates.append(tz_variable)
        if "zoneinfo/" in tz_variable:
            candidates.append(tz_variable.split("zoneinfo/", 1)[1])
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text("utf-8").strip())
    names = timezone_names()
    return next((name for name in candidates if name in names), None)
