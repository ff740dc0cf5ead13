"""Apps that behave: what each app of a persona does when Android lets it, over time.

A persona's `[[behaviours]]` say, per app, when the person opens it and which ops it uses:

```toml
[[behaviours]]
package = "com.alibaba.android.rimet"
opens = ["08:50", "21:30"]          # the person opens it every day at these (phone) times
session = "5m"                      # and keeps it in front this long
reads = [
  { op = "FINE_LOCATION", every = "10m" },            # while it may run, front or back
  { op = "READ_CONTACTS", daily = "02:00", flags = "tpd" },
  { op = "FINE_LOCATION", on_open = true },
]
```

The phone steps its apps on its own clock (`AppClock`, which the kernel holds as
`Kernel.apps`): the model keeps a cursor, the wall time the apps have behaved up to, and
whenever the phone's time moves the apps behave over [cursor, now) and the cursor moves:
before every shell session (`Kernel.catch_up`, so real time passing is caught up lazily,
when something looks at the phone), over an awake `advance`, right before each detached
job's turn (so an access due after an armed job's revoke is refused and one before it is
not), over a `suspend` (Doze, below), and over a reboot (off and booting: nothing).
`simulate(model, start_epoch, end_epoch)` is the same awake stepping over a span a caller
chooses. Each attempt goes to `model.access` (an `AccessLog`) with Android's verdict:

* an app *may run* when it is installed, not force-stopped (`stopped`), not suspended, and
  (in the background) not denied RUN_ANY_IN_BACKGROUND; opening it (`opens`) clears the
  stopped state as a launch does; a revoke's kill does not stop it (its alarms restart it);
* the op needs its runtime permission: without it the framework throws before App Ops
  notes anything (`denied_unrecorded`, kept only in the model's own record);
* with it, the op's mode decides (the switch op for location: COARSE_LOCATION):
  `allow` -> accessed; `foreground` -> accessed in front (top), refused in the background;
  `ignore`/`deny` -> refused. Refusals reach the last-reject time and the aggregated
  history, never the discrete history (Android records only accesses there).

Times are the phone's: the wall-clock schedule (`opens`, `daily`) is read in the persona's
timezone (`persist.sys.timezone`); an `every` read counts from the moment the phone was made
(as a repeating alarm counts from when the app set it): one then, and one each period after.

While the phone sleeps (`suspend`: screen off, unplugged, still). Sources: Android's
"Optimize for Doze and App Standby" and "Power management restrictions" pages
(developer.android.com/training/monitoring-device-state/doze-standby,
developer.android.com/topic/performance/power/power-details): in Doze, network access is
suspended, wakelocks are ignored, ordinary AlarmManager alarms (setExact and setWindow too)
are deferred to the next maintenance window, jobs and syncs do not run; allowlisted apps
(`cmd deviceidle whitelist`) keep network and wakelocks but their ordinary alarms are still
deferred; `setAndAllowWhileIdle` alarms fire at most once per 9 minutes and exact ones 72
per hour; none of it applies while charging. The timeline is `DeviceIdleController`'s
(frameworks/base apex/jobscheduler/service/java/com/android/server/DeviceIdleController.java,
`Constants` defaults): see `doze_periods`. The model:

* a behaviour's `every`/`daily` read stands for an app's ordinary alarm: it runs as awake
  for the first hour (INACTIVE and IDLE_PENDING) and in maintenance windows, and is
  deferred to the end of each idle period, once however many times it fell due there;
* nobody opens an app, and no app is in front, while the phone sleeps;
* a phone charging overnight does not doze: `advance` (awake) is that phone.

Simplified, and said so: light Doze (Android 7+, screen off while moving) is not modelled;
allow-while-idle alarms, high-priority FCM, foreground services and an app's standing
location request (which services/core/java/com/android/server/location/provider/
StationaryThrottlingLocationProvider.java keeps answering with the last fix while the
phone is idle and still) are not distinguished from ordinary alarms, so an app that uses
them reads less here than it could on a phone; the allowlist changes nothing in
this model (it lifts network and wakelock limits, not alarm deferral); consecutive
`suspend` calls are separate sleeps (Doze starts again); the 4 min sensing and 30 s locating
steps and DeviceConfig overrides of the constants are left out; Android 8's background
location limits (a few fixes per hour for background apps) are not applied. Powered off
and while booting no app runs; after a reboot no app is in front, and an app that was not
force-stopped behaves again (its alarms and BOOT_COMPLETED receivers restart it). Real time
(`hardener sim` without a frozen clock) is always awake time.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hardener.android.parsers.durations import parse_duration_ms
from hardener.errors import InputError
from hardener.sim.android import platform as pf
from hardener.sim.android.access_log import ACCESSED, REFUSED, UNRECORDED, AccessEvent
from hardener.sim.android.model import Model, Package
from hardener.sim.android.persona_check import BEHAVIOUR_KEYS, READ_KEYS

# The runtime permission an op needs before App Ops is asked (PermissionChecker / providers).
OP_PERMISSION = {
    "FINE_LOCATION": "ACCESS_FINE_LOCATION",
    "COARSE_LOCATION": "ACCESS_COARSE_LOCATION",
    "READ_CONTACTS": "READ_CONTACTS",
    "WRITE_CONTACTS": "WRITE_CONTACTS",
    "CAMERA": "CAMERA",
    "RECORD_AUDIO": "RECORD_AUDIO",
    "READ_CALENDAR": "READ_CALENDAR",
    "READ_CALL_LOG": "READ_CALL_LOG",
    "READ_PHONE_STATE": "READ_PHONE_STATE",
    "READ_SMS": "READ_SMS",
}
# AppOpsManager.opToSwitch: the op whose mode decides.
SWITCH_OP = {"FINE_LOCATION": "COARSE_LOCATION"}
FOREGROUND_STATES = frozenset({"top", "fg", "fgsvcl", "pers"})


@dataclass(frozen=True)
class Read:
    op: str
    every_ms: int | None = None  # periodic while the app may run
    daily: tuple[int, int] | None = None  # (hour, minute) phone time
    on_open: bool = False
    flags: str = "s"
    duration_ms: int = -1


@dataclass(frozen=True)
class Behaviour:
    package: str
    user: int = 0
    opens: tuple[tuple[int, int], ...] = ()
    session_ms: int = 5 * 60_000
    reads: tuple[Read, ...] = field(default_factory=tuple)


def _clock_time(text: Any, where: str) -> tuple[int, int]:
    try:
        hour, minute = (int(part) for part in str(text).split(":"))
    except ValueError:
        hour = minute = -1
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise InputError(f"{where}: {text!r} is not a time of day", hint='write it like "21:30"')
    return hour, minute


def _duration(text: Any, where: str) -> int:
    value = parse_duration_ms(str(text))
    if value is None or value <= 0:
        raise InputError(f"{where}: {text!r} is not a duration", hint='write it like "10m" or "1h"')
    return value


def load_behaviours(items: Any, where: str) -> list[Behaviour]:
    """Validate a persona's `[[behaviours]]` tables (errors name the key and the fix)."""
    if not isinstance(items, list):
        raise InputError(f"{where}: behaviours must be an array of tables", hint="[[behaviours]]")
    result = []
    for index, item in enumerate(items):
        at = f"{where}: behaviours[{index}]"
        if not isinstance(item, dict) or "package" not in item:
            raise InputError(f"{at}: needs a package", hint='package = "com.example"')
        unknown = set(item) - set(BEHAVIOUR_KEYS)
        if unknown:
            raise InputError(
                f"{at}: unknown key {sorted(unknown)[0]!r}",
                hint=f"allowed keys: {', '.join(sorted(BEHAVIOUR_KEYS))}",
            )
        reads = []
        for number, read in enumerate(item.get("reads", [])):
            here = f"{at}.reads[{number}]"
            if not isinstance(read, dict) or "op" not in read:
                raise InputError(f"{here}: needs an op", hint='op = "FINE_LOCATION"')
            unknown = set(read) - set(READ_KEYS)
            if unknown:
                raise InputError(
                    f"{here}: unknown key {sorted(unknown)[0]!r}",
                    hint=f"allowed keys: {', '.join(sorted(READ_KEYS))}",
                )
            reads.append(
                Read(
                    op=str(read["op"]),
                    every_ms=_duration(read["every"], here) if "every" in read else None,
                    daily=_clock_time(read["daily"], here) if "daily" in read else None,
                    on_open=bool(read.get("on_open", False)),
                    flags=str(read.get("flags", "s")),
                    duration_ms=_duration(read["duration"], here) if "duration" in read else -1,
                )
            )
        result.append(
            Behaviour(
                package=str(item["package"]),
                user=int(item.get("user", 0)),
                opens=tuple(_clock_time(t, f"{at}.opens") for t in item.get("opens", [])),
                session_ms=_duration(item.get("session", "5m"), f"{at}.session"),
                reads=tuple(reads),
            )
        )
    return result


# ---- stepping ----------------------------------------------------------------------------


def _zone(model: Model) -> ZoneInfo:
    try:
        return ZoneInfo(model.props.get("persist.sys.timezone") or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _daily_times(start_ms: int, end_ms: int, hm: tuple[int, int], tz: ZoneInfo) -> Iterator[int]:
    day = datetime.fromtimestamp(start_ms / 1000, tz).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end_ms / 1000, tz).date()
    while day <= last:
        moment = datetime(day.year, day.month, day.day, hm[0], hm[1], tzinfo=tz)
        ms = int(moment.timestamp() * 1000)
        if start_ms <= ms < end_ms:
            yield ms
        day += timedelta(days=1)


def _periodic(start_ms: int, end_ms: int, every_ms: int, origin_ms: int) -> Iterator[int]:
    """origin, origin + every, ...: the instants in [start_ms, end_ms)."""
    first = origin_ms + -(-(start_ms - origin_ms) // every_ms) * every_ms
    yield from range(first, end_ms, every_ms)


def _schedule(
    model: Model, behaviour: Behaviour, start_ms: int, end_ms: int
) -> Iterator[tuple[int, int, str, Read | None]]:
    """(when, order, kind, read): kind "open" first at equal times, then reads."""
    tz = _zone(model)
    for hm in behaviour.opens:
        for ms in _daily_times(start_ms, end_ms, hm, tz):
            yield ms, 0, "open", None
    for read in behaviour.reads:
        if read.every_ms is not None:
            origin = start_ms if model.behaviour_origin_ms is None else model.behaviour_origin_ms
            for ms in _periodic(start_ms, end_ms, read.every_ms, origin):
                yield ms, 1, "read", read
        if read.daily is not None:
            for ms in _daily_times(start_ms, end_ms, read.daily, tz):
                yield ms, 1, "read", read


def simulate(model: Model, start_epoch: float, end_epoch: float) -> int:
    """Step every behaving app through [start_epoch, end_epoch) (phone epoch seconds), the
    phone awake (or charging) all along. Periodic reads fall at the phone's origin plus
    whole periods (`model.behaviour_origin_ms`), or from `start_epoch` when it has none.

    Returns the number of attempts recorded in `model.access.events`. Opening an app
    launches it (leaves the stopped state, active bucket); reads use the model's state at
    that instant, so a `pm revoke` or `appops set` between two calls shows in the next.
    A phone steps its own apps on its own clock (`AppClock`); this is the same stepping
    over a span a caller chooses, from apps in the background.
    """
    count = step_awake(model, int(start_epoch * 1000), int(end_epoch * 1000), {})
    model.access.simulated_until_ms = max(
        model.access.simulated_until_ms or 0, int(end_epoch * 1000)
    )
    return count


def _next_due(model: Model, after_ms: int) -> int:
    """The earliest scheduled instant at or after `after_ms` (within two days; past that,
    the horizon itself: nothing is due before it)."""
    horizon = after_ms + 2 * 86_400_000
    due = horizon
    for behaviour in model.behaviours:
        for ms, _order, _kind, _read in _schedule(model, behaviour, after_ms, horizon):
            due = min(due, ms)
    return due


def step_awake(
    model: Model, start_ms: int, end_ms: int, front: dict[int, int], *, person: bool = True
) -> int:
    """Every app's scheduled attempts in [start_ms, end_ms), in time order, on a phone that
    may run apps (awake, charging, or between Doze's idle periods). `front`: behaviour
    index -> until when its app is in front (kept by the caller across steps). `person`:
    whether the person uses the phone (opens apps) in this span."""
    if end_ms <= start_ms or not model.behaviours:
        return 0
    streams = [
        sorted(
            (ms, order, index, seq, kind)
            for seq, (ms, order, kind, _read) in enumerate(
                _schedule(model, behaviour, start_ms, end_ms)
            )
        )
        for index, behaviour in enumerate(model.behaviours)
    ]
    reads = {
        index: [read for _ms, _order, _kind, read in _schedule(model, b, start_ms, end_ms)]
        for index, b in enumerate(model.behaviours)
    }
    count = 0
    for when, _order, index, seq, kind in heapq.merge(*streams):
        read = reads[index][seq]
        behaviour = model.behaviours[index]
        pkg = model.installed(behaviour.package, behaviour.user)
        if pkg is None:
            continue
        if kind == "open":
            if not person:
                continue  # the screen is off: nobody opens anything
            _launch(model, pkg, behaviour.user)
            front[index] = when + behaviour.session_ms
            for on_open in (r for r in behaviour.reads if r.on_open):
                count += _attempt(model, pkg, behaviour.user, on_open, when, "top")
            continue
        assert read is not None
        count += _background_or_front(model, pkg, behaviour, read, when, front.get(index, 0))
    return count


def _background_or_front(
    model: Model, pkg: Package, behaviour: Behaviour, read: Read, when: int, front_until: int
) -> int:
    in_front = when < front_until
    if not _may_run(model, pkg, behaviour.user, in_front):
        return 0
    return _attempt(model, pkg, behaviour.user, read, when, "top" if in_front else "bg")


# ---- Doze -------------------------------------------------------------------------------

MINUTE_MS = 60_000
# DeviceIdleController.Constants defaults (AOSP, Android 6 to 14; DeviceConfig may change
# them on a given phone): screen off and unplugged -> INACTIVE; after inactive_to (30 min)
# it watches motion for idle_after_inactive_to (30 min; the 4 min sensing and 30 s locating
# steps are left out), then IDLE for idle_to (60 min), a maintenance window of
# idle_pending_to (5 min), IDLE again for twice as long, and so on: idle periods grow by
# idle_factor 2 to max_idle_to (6 h), windows by idle_pending_factor 2 to
# max_idle_pending_to (10 min).
DOZE_IDLE_AFTER_MS = 60 * MINUTE_MS
DOZE_IDLE_MS, DOZE_MAX_IDLE_MS = 60 * MINUTE_MS, 6 * 60 * MINUTE_MS
DOZE_WINDOW_MS, DOZE_MAX_WINDOW_MS = 5 * MINUTE_MS, 10 * MINUTE_MS


def doze_periods(start_ms: int, end_ms: int) -> list[tuple[int, int, bool]]:
    """[start_ms, end_ms) of a phone left asleep, cut into (begin, end, idle) periods."""
    periods = [(start_ms, min(end_ms, start_ms + DOZE_IDLE_AFTER_MS), False)]
    at, idle, window = periods[0][1], DOZE_IDLE_MS, DOZE_WINDOW_MS
    while at < end_ms:
        periods.append((at, min(end_ms, at + idle), True))
        at = periods[-1][1]
        if at >= end_ms:
            break
        periods.append((at, min(end_ms, at + window), False))
        at = periods[-1][1]
        idle, window = min(idle * 2, DOZE_MAX_IDLE_MS), min(window * 2, DOZE_MAX_WINDOW_MS)
    return [p for p in periods if p[0] < p[1]]


def step_asleep(model: Model, start_ms: int, end_ms: int, front: dict[int, int]) -> int:
    """[start_ms, end_ms) with the phone asleep: screen off, unplugged, still (Doze).

    * Nobody opens an app, and the app that was in front is in the background from the
      start (the screen went off).
    * Before deep idle (the first hour) and in each maintenance window, apps run as awake.
    * In an idle period every scheduled read is deferred to the period's end (the next
      maintenance window, or the moment the phone wakes), and the reads of one schedule
      that fell due in it happen there once: the schedule stands for an app's alarm, and
      Doze defers ordinary alarms to the next window, where a repeating alarm that missed
      several times is delivered once (if the schedule is due again at that very
      instant, that is the same delivery, made by the step after).
    """
    for index, until in list(front.items()):
        front[index] = min(until, start_ms)
    count = 0
    for begin, end, idle in doze_periods(start_ms, end_ms):
        if not idle:
            count += step_awake(model, begin, end, front, person=False)
            continue
        for behaviour in model.behaviours:
            due: list[Read] = []
            for _ms, _order, kind, read in sorted(
                _schedule(model, behaviour, begin, end), key=lambda item: item[0]
            ):
                if kind == "read" and read is not None and read not in due:
                    due.append(read)
            # A read also due right at the wake-up is that same delivery: the next step has it.
            due_then = {read for ms, _o, _k, read in _schedule(model, behaviour, end, end + 1)}
            due = [read for read in due if read not in due_then]
            pkg = model.installed(behaviour.package, behaviour.user)
            if pkg is None:
                continue
            for read in due:
                count += _background_or_front(model, pkg, behaviour, read, end, 0)
    return count


class AppClock:
    """The apps of one phone, stepped on its clock: `cursor_ms` is the wall time they have
    behaved up to. The kernel moves it whenever the phone's time moves (`awake_to` while
    awake, also right before each detached job's turn so the two interleave in time order;
    `asleep_to` over a suspend; `off_to` over power-off and boot, when no app runs)."""

    def __init__(self, model: Model, wall: float) -> None:
        self.model = model
        self.cursor_ms = int(wall * 1000)
        # An app's repeating alarm counts from when it was set: here, when the phone was
        # made (a periodic read then, and every period after).
        model.behaviour_origin_ms = self.cursor_ms
        self.front: dict[int, int] = {}
        self._next_due: int | None = None
        self._mark()

    def _mark(self) -> None:
        log = self.model.access
        log.simulated_until_ms = max(log.simulated_until_ms or 0, self.cursor_ms)

    def awake_to(self, wall: float) -> None:
        end_ms = int(wall * 1000)
        if end_ms <= self.cursor_ms:
            return
        if self._next_due is None or self._next_due < end_ms:
            step_awake(self.model, self.cursor_ms, end_ms, self.front)
            self._next_due = _next_due(self.model, end_ms)
        self.cursor_ms = end_ms
        self._mark()

    def asleep_to(self, wall: float) -> None:
        end_ms = int(wall * 1000)
        if end_ms <= self.cursor_ms:
            return
        step_asleep(self.model, self.cursor_ms, end_ms, self.front)
        self.cursor_ms = end_ms
        self._next_due = None
        self._mark()

    def off_to(self, wall: float) -> None:
        """Powered off (and booting): no app runs, and none is in front after."""
        self.cursor_ms = max(self.cursor_ms, int(wall * 1000))
        self.front.clear()
        self._next_due = None
        self._mark()


def _launch(model: Model, pkg: Package, user: int) -> None:
    user_state = pkg.users[user]
    user_state.stopped = False
    user_state.not_launched = False
    if not model.is_exempt(pkg.name):
        user_state.bucket = 10
    if not (user_state.running and user_state.pid):
        model.start(pkg, user)  # a running app keeps its process


def _mode_of(model: Model, pkg: Package, user: int, op: str) -> str:
    code = model.ops.code(op)
    if code is None:
        return "allow"
    state = pkg.users[user]
    if code in state.uid_ops:
        return state.uid_ops[code]
    return state.package_ops.get(code, model.ops.default_mode(code))


def _may_run(model: Model, pkg: Package, user: int, in_front: bool) -> bool:
    state = pkg.users[user]
    if not state.installed or state.stopped or state.suspended:
        return False
    if in_front:
        return True
    return _mode_of(model, pkg, user, "RUN_ANY_IN_BACKGROUND") not in ("ignore", "deny")


def permission_held(pkg: Package, user: int, op: str) -> bool:
    permission = OP_PERMISSION.get(op)
    if permission is None or pkg.legacy:
        return True
    perm_state = pkg.users[user].runtime.get(pf.P + permission)
    return perm_state is not None and perm_state.granted


def verdict(model: Model, pkg: Package, user: int, op: str, uid_state: str) -> str:
    """What Android does with one attempt: ACCESSED, REFUSED or UNRECORDED."""
    if not permission_held(pkg, user, op):
        return UNRECORDED
    mode = _mode_of(model, pkg, user, SWITCH_OP.get(op, op))
    if mode == "allow" or (mode == "foreground" and uid_state in FOREGROUND_STATES):
        return ACCESSED
    return REFUSED


def _attempt(model: Model, pkg: Package, user: int, read: Read, when: int, uid_state: str) -> int:
    model.access.record(
        AccessEvent(
            when_ms=when,
            uid=pkg.uid(user),
            package=pkg.name,
            op=read.op,
            uid_state=uid_state,
            outcome=verdict(model, pkg, user, read.op, uid_state),
            flags=read.flags,
            duration_ms=read.duration_ms,
        )
    )
    return 1


def behaviour_summary(model: Model) -> Mapping[str, list[str]]:
    """Readable lines per package (for `hardener sim` listings and reports)."""
    out: dict[str, list[str]] = {}
    for behaviour in model.behaviours:
        lines = out.setdefault(behaviour.package, [])
        if behaviour.opens:
            lines.append("opened at " + ", ".join(f"{h:02d}:{m:02d}" for h, m in behaviour.opens))
        for read in behaviour.reads:
            when = (
                f"every {read.every_ms // 60_000} min"
                if read.every_ms
                else f"daily at {read.daily[0]:02d}:{read.daily[1]:02d}"
                if read.daily
                else "when opened"
            )
            lines.append(f"{read.op} {when}")
    return out
