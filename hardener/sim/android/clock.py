"""The virtual phone's clocks: wall clock, CLOCK_MONOTONIC and CLOCK_BOOTTIME.

Linux keeps three clocks that matter to a shell job left on a phone (clock_gettime(2)):

* the wall clock (CLOCK_REALTIME): what `date` and `date +%s` print; it keeps running while the
  phone is suspended or powered off (the RTC), so it jumps forward at resume;
* CLOCK_MONOTONIC: time since boot *while awake*. toybox `sleep` is `nanosleep()`, which
  measures CLOCK_MONOTONIC, so a `sleep 5` that starts just before suspend ends 5 awake
  seconds later, after resume (clock_nanosleep(2): only CLOCK_BOOTTIME counts suspend);
* CLOCK_BOOTTIME: monotonic plus the time suspended since boot; `/proc/uptime`'s first field
  (fs/proc/uptime.c uses ktime_get_boottime) and `/proc/PID/stat` field 22 (start time, in
  clock ticks since boot) count in it.

The phone's clock is made of: a start instant, the host's own monotonic time since the phone
was made (when `real_time`, so a person watching `hardener sim` sees seconds pass), awake time
added by `advance`, suspended and powered-off time added by `suspend`/`reboot`, and the cost
of the script running right now (`pending`, the device-side cost the old model already
charged a script; it is slept on the host when the script ends, so in real-time mode it is
then covered by host time, and in frozen mode it is folded into the awake time).

`pin` holds the awake time at a past instant while a detached job runs the iteration that was
due then: jobs are caught up lazily, in time order, and each sees the time it would have seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardener.errors import InputError

USER_HZ = 100  # clock ticks per second in /proc/PID/stat (sysconf(_SC_CLK_TCK) on Android)


def parse_instant(text: str) -> datetime:
    """`2026-12-01T17:45:00+08:00` -> an aware datetime; a clear error otherwise."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"phone clock {text!r} is not an ISO 8601 time",
            hint="write it like 2026-12-01T17:45:00+08:00 (date, T, time, UTC offset)",
        ) from None
    if when.tzinfo is None:
        raise InputError(
            f"phone clock {text!r} has no UTC offset",
            hint="add the offset, e.g. 2026-12-01T17:45:00+08:00 or ...Z for UTC",
        )
    return when


def zone(name: str | None) -> tzinfo:
    """The phone's zone from `persist.sys.timezone`; UTC when unset (as bionic does)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise InputError(
            f"time zone {name!r} is not a known zone name",
            hint="use an IANA zone such as Asia/Shanghai or Europe/Berlin",
        ) from None


class DeviceClock:
    """The phone's clocks. Not thread-safe by itself: the device's lock guards it."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        real_time: bool = True,
        source: Callable[[], float] = time.monotonic,
        up_awake_s: float = 4 * 3600.0,
        up_asleep_s: float = 44 * 3600.0,
    ) -> None:
        """`start`: the wall clock now; the phone booted `up_awake_s + up_asleep_s` earlier
        (a phone is rarely fresh from boot: two days, mostly asleep, by default)."""
        if start is not None and start.tzinfo is None:
            raise ValueError("the phone's start time must carry a UTC offset")
        self._source = source
        self._host0 = source()
        self._wall0 = (start or datetime.now(UTC)).timestamp()
        self.real_time = real_time
        self.pending = 0.0  # the running script's device-side cost so far (sleeps included)
        self.slept = 0.0  # of which `sleep` in the script (not a cost)
        self.pin: float | None = None  # awake time shown while a job catches up
        self._awake_extra = 0.0  # awake seconds added by advance() (and frozen-mode costs)
        self._asleep = 0.0  # suspended and powered-off seconds, ever
        self._boot_awake = -max(0.0, up_awake_s)  # awake time at the last boot
        self._boot_asleep = -max(0.0, up_asleep_s)  # asleep time then (off time is not BOOTTIME)
        self.boot_wall = self._wall0 - up_awake_s - up_asleep_s  # wall clock at the last boot

    # ---- reading ----------------------------------------------------------------------

    def awake(self) -> float:
        """Awake seconds since the phone was made (monotonic across reboots, internal)."""
        if self.pin is not None:
            return self.pin
        host = self._source() - self._host0 if self.real_time else 0.0
        return host + self._awake_extra + self.pending

    def wall(self) -> float:
        """CLOCK_REALTIME, seconds since the epoch."""
        return self._wall0 + self.awake() + self._asleep

    def monotonic(self) -> float:
        """CLOCK_MONOTONIC: awake seconds since boot."""
        return self.awake() - self._boot_awake

    def boottime(self) -> float:
        """CLOCK_BOOTTIME: seconds since boot, suspended time included."""
        return self.monotonic() + (self._asleep - self._boot_asleep)

    def suspended_since_boot(self) -> float:
        return self._asleep - self._boot_asleep

    def now(self, tz: tzinfo = UTC) -> datetime:
        return datetime.fromtimestamp(self.wall(), tz)

    # ---- moving ----------------------------------------------------------------------

    def add_awake(self, seconds: float) -> None:
        self._awake_extra += max(0.0, seconds)

    def add_asleep(self, seconds: float) -> None:
        self._asleep += max(0.0, seconds)

    def settle_script(self) -> None:
        """A script ended: its cost was slept on the host (real time covers it), or, with a
        frozen clock, becomes awake time for good."""
        if not self.real_time:
            self._awake_extra += self.pending
        self.pending = 0.0
        self.slept = 0.0

    def host_sleep_s(self) -> float:
        """What the host sleeps when a script ends: its costs, and its `sleep`s too when the
        phone's clock follows the host's (a frozen clock moves without waiting)."""
        return self.pending if self.real_time else max(0.0, self.pending - self.slept)

    def boot(self, off_s: float, boot_s: float) -> None:
        """Power off for `off_s` (the wall clock runs on the RTC), then boot: monotonic and
        boottime restart at zero and `boot_s` awake seconds pass before adbd is up."""
        self._asleep += max(0.0, off_s)
        self._boot_awake = self.awake()
        self._boot_asleep = self._asleep
        self.boot_wall = self.wall()
        self._awake_extra += max(0.0, boot_s)

    def describe(self, tz: tzinfo) -> dict[str, object]:
        return {
            "time": self.now(tz).isoformat(timespec="seconds"),
            "epoch": int(self.wall()),
            "uptime_s": round(self.boottime(), 2),
            "monotonic_s": round(self.monotonic(), 2),
            "suspended_s": round(self.suspended_since_boot(), 2),
            "real_time": self.real_time,
        }


_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """`90`, `30s`, `15m`, `2h`, `1d`, `1h30m` -> seconds; InputError otherwise."""
    import re

    raw = text.strip().lower()
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhd]?)", raw)
    if not raw or "".join(n + u for n, u in parts) != raw:
        raise InputError(
            f"duration {text!r} is not understood",
            hint="write seconds or a number with s/m/h/d, e.g. 90, 15m, 2h, 1h30m",
        )
    return sum(float(n) * _UNITS[u] for n, u in parts)
