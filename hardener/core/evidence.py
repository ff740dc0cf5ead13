"""What the apps did after hours: Android's access records, attributed to the profile's work
hours and to before/after hardener first enforced on the phone. Pure: no I/O.

Inputs are parser records (`hardener.android.parsers.appops_history`, `appops_access`), the
profile's `Schedule`, hardener's own history records (history.jsonl lines) and the window.
Every figure carries its limit in words, because Android keeps different things per release
and per op:

* discrete history (Android 12+; location, camera, microphone; 7 days; to the minute):
  each access with its time: counted exactly, split work/off hours and in use/background;
* aggregated history (Android 10+; every op): counts per interval, 15 minutes for the last
  2.5 hours and 10x coarser each step back; an interval that spans work and off hours (or
  the moment hardener first enforced, or the start of the window) cannot be split, so its
  counts are reported as not attributable;
* refusals: only in the aggregated history and the last-reject time. Android notes a
  refusal when the app still holds the permission and App Ops says no (background location
  denied, an op set to ignore). A revoked permission stops the app before App Ops sees it:
  nothing is recorded, and the missing accesses are the evidence;
* how long a capability was held: Android keeps no grant history; hardener's own record of
  the permissions it changed gives it (the `at` moment of each run it applied).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hardener.android.catalog.capabilities import CAPABILITIES
from hardener.android.parsers.appops_access import LastOpEvent
from hardener.android.parsers.appops_history import AppOpsHistory, DiscreteAccess, HistoryCount
from hardener.profile.schedule import Schedule

SCHEMA = 1
IN_USE_STATES = frozenset({"top", "fg", "fgsvc", "fgsvcl", "pers"})  # "while in use"
EVIDENCE_CAPABILITIES = (
    "location",
    "contacts",
    "camera",
    "microphone",
    "calendar",
    "call_log",
    "sms",
    "phone",
    "body_sensors",
    "activity_recognition",
)
DISCRETE_OPS = frozenset(
    {"FINE_LOCATION", "COARSE_LOCATION", "CAMERA", "RECORD_AUDIO", "PHONE_CALL_MICROPHONE"}
    | {"PHONE_CALL_CAMERA", "RECEIVE_AMBIENT_TRIGGER_AUDIO"}
)
DISCRETE_KEEP = timedelta(days=7)
_SDK_RELEASE = {29: "10", 30: "11", 31: "12", 32: "12L", 33: "13", 34: "14", 35: "15", 36: "16"}


def _op_capabilities() -> dict[str, str]:
    """App-op name -> capability, from the catalog (first capability listed wins)."""
    table: dict[str, str] = {}
    for name in EVIDENCE_CAPABILITIES:
        for member in CAPABILITIES[name].members:
            if member.op:
                table.setdefault(member.op, name)
    table.setdefault("PHONE_CALL_MICROPHONE", "microphone")
    table.setdefault("PHONE_CALL_CAMERA", "camera")
    return table


OP_CAPABILITY: Mapping[str, str] = _op_capabilities()


def evidence_ops() -> tuple[str, ...]:
    """The ops the evidence reads (one `--op` filter each)."""
    return tuple(sorted(OP_CAPABILITY))


@dataclass(frozen=True)
class DeviceFacts:
    serial: str = ""
    model: str = ""
    sdk: int = 0
    release: str = ""
    timezone: str = "UTC"

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "model": self.model,
            "sdk": self.sdk,
            "release": self.release,
            "timezone": self.timezone,
        }


@dataclass(frozen=True)
class EvidenceInput:
    device: DeviceFacts
    history: AppOpsHistory
    last: tuple[LastOpEvent, ...] = ()
    source: str = "device"  # or "bugreport"


# ---- time helpers -----------------------------------------------------------------------


class _Hours:
    """Work windows over a span, for fast classification of instants and intervals."""

    def __init__(self, schedule: Schedule, low: datetime, high: datetime) -> None:
        windows = schedule.windows(low - timedelta(days=1), high + timedelta(days=1))
        self.starts = [start for start, _ in windows]
        self.windows = windows

    def working(self, moment: datetime) -> bool:
        index = bisect.bisect_right(self.starts, moment) - 1
        return index >= 0 and self.windows[index][0] <= moment < self.windows[index][1]

    def span(self, begin: datetime, end: datetime) -> str | None:
        """ "work", "off", or None when [begin, end) has both."""
        working = self.working(begin)
        index = bisect.bisect_right(self.starts, begin) - 1
        if working:
            return "work" if end <= self.windows[index][1] else None
        following = index + 1
        if following < len(self.windows) and self.windows[following][0] < end:
            return None
        return "off"

    def off_overlap(self, begin: datetime, end: datetime) -> float:
        """Seconds of [begin, end) outside work hours."""
        if end <= begin:
            return 0.0
        total = (end - begin).total_seconds()
        for start, stop in self.windows:
            low, high = max(start, begin), min(stop, end)
            if low < high:
                total -= (high - low).total_seconds()
        return total


def local(naive: datetime, tz: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=tz)


def plausible(naive: datetime) -> bool:
    """A phone time evidence can use: a corrupted or hostile dump may print year 1 or 9999,
    where a day's arithmetic overflows."""
    return 1971 <= naive.year <= 2199


def parse_moment(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def first_enforced(records: Iterable[Mapping[str, Any]]) -> datetime | None:
    """When hardener first changed something on this phone (an applied enforce)."""
    moments = []
    for record in records:
        if record.get("command") != "enforce" or "interrupted" in record:
            continue
        counts = record.get("counts") or {}
        if not isinstance(counts, Mapping) or not counts.get("applied"):
            continue
        moment = parse_moment(record.get("at")) or parse_moment(record.get("time"))
        if moment is not None:
            moments.append(moment)
    return min(moments, default=None)


# ---- counting ---------------------------------------------------------------------------


@dataclass
class _Cell:
    """Counts for one app and capability."""

    work_in_use: int = 0
    work_background: int = 0
    off_in_use: int = 0
    off_background: int = 0
    access_unattributed: int = 0
    refused_work: int = 0
    refused_off: int = 0
    refused_unattributed: int = 0
    before: dict[str, int] = field(default_factory=lambda: _phase_counts())
    after: dict[str, int] = field(default_factory=lambda: _phase_counts())
    around: dict[str, int] = field(default_factory=lambda: _phase_counts())
    sources: set[str] = field(default_factory=set)
    held_off_s: float | None = None
    held_off_before_s: float | None = None
    held_off_after_s: float | None = None


def _phase_counts() -> dict[str, int]:
    return {"accesses": 0, "off_hours_accesses": 0, "refused": 0, "off_hours_refused": 0}


@dataclass(frozen=True)
class _Mark:
    package: str
    user: int
    capability: str
    kind: str  # access, refused, last_refused
    begin: datetime
    end: datetime
    count: int
    in_use: bool | None


def compute(
    data: EvidenceInput,
    *,
    schedule: Schedule,
    selects: Callable[[str], bool],
    name_of: Callable[[str], str],
    records: Sequence[Mapping[str, Any]],
    since: timedelta,
    fallback_now: datetime,
    profile_name: str = "",
) -> dict[str, Any]:
    """The evidence document (JSON-ready). `selects(package)`: the apps the profile covers;
    `name_of(package)`: the name to show."""
    tz = _zone(data.device.timezone)
    now = _now(data, tz, fallback_now)
    start = now - since
    hours = _Hours(schedule, start, now)
    enforced = first_enforced(records)
    cells: dict[tuple[str, int, str], _Cell] = {}
    marks: list[_Mark] = []

    def cell(package: str, user: int, capability: str) -> _Cell:
        return cells.setdefault((package, user, capability), _Cell())

    discrete_ok = data.history.discrete_seen
    discrete_from = now - DISCRETE_KEEP
    # An op this phone's registry keeps per access: the default list, and any op the read
    # shows there (Android 16's record_all_runtime_appops_sqlite and GrapheneOS keep more).
    discrete_ops = DISCRETE_OPS | {access.op for access in data.history.discrete}
    for access in _one_per_access(data.history.discrete):
        capability = OP_CAPABILITY.get(access.op)
        if capability is None or access.uid is None or not selects(access.package):
            continue
        if not plausible(access.when):
            continue
        when = local(access.when, tz)
        if not start <= when <= now:
            continue
        target = cell(access.package, access.uid // 100_000, capability)
        target.sources.add("discrete")
        in_use = access.uid_state in IN_USE_STATES
        working = hours.working(when)
        if working:
            if in_use:
                target.work_in_use += 1
            else:
                target.work_background += 1
        elif in_use:
            target.off_in_use += 1
        else:
            target.off_background += 1
        phase = _phase_of(when, when, enforced)
        _add_phase(target, phase, accesses=1, off=not working)
        marks.append(
            _Mark(
                access.package, access.uid // 100_000, capability, "access", when, when, 1, in_use
            )
        )

    for count in data.history.counts:
        capability = OP_CAPABILITY.get(count.op)
        if capability is None or count.uid is None or not selects(count.package):
            continue
        if not (plausible(count.snapshot.begin) and plausible(count.snapshot.end)):
            continue
        begin, end = local(count.snapshot.begin, tz), local(count.snapshot.end, tz)
        if end <= start or begin > now:
            continue
        user = count.uid // 100_000
        target = cell(count.package, user, capability)
        # Accesses of a discrete op younger than 7 days are counted from the discrete
        # history; an interval reaching into those 7 days would count some twice.
        discrete_covers = discrete_ok and count.op in discrete_ops and end > discrete_from
        accessed = 0 if discrete_covers else count.access
        if accessed or count.reject:
            target.sources.add("aggregated")
        _count_interval(target, count, accessed, begin, end, start, hours, enforced)
        if count.reject:
            marks.append(
                _Mark(count.package, user, capability, "refused", begin, end, count.reject, None)
            )
        if accessed and not discrete_covers:
            marks.append(
                _Mark(
                    count.package,
                    user,
                    capability,
                    "access",
                    begin,
                    end,
                    accessed,
                    count.uid_state in IN_USE_STATES,
                )
            )

    if not data.history.counts and not data.history.discrete:
        _from_last_access(data.last, tz, start, now, hours, selects, cell, marks)

    held = held_spans(records, data.device.sdk, start, now)
    for (package, user, capability), spans in held.items():
        if not selects(package):
            continue
        target = cell(package, user, capability)
        target.sources.add("hardener history")
        target.held_off_s = sum(hours.off_overlap(b, e) for b, e in spans)
        if enforced is not None:
            target.held_off_before_s = sum(hours.off_overlap(b, min(e, enforced)) for b, e in spans)
            target.held_off_after_s = sum(hours.off_overlap(max(b, enforced), e) for b, e in spans)

    return _document(data, cells, marks, name_of, schedule, start, now, enforced, profile_name, tz)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _now(data: EvidenceInput, tz: ZoneInfo, fallback: datetime) -> datetime:
    """The phone's clock when it dumped, from the dump itself; else the caller's."""
    if data.history.now is not None and plausible(data.history.now):
        return local(data.history.now, tz)
    for event in data.last:
        if event.ago_ms is not None and plausible(event.when):
            try:
                moment = event.when - timedelta(milliseconds=event.ago_ms)
            except OverflowError:
                continue
            if plausible(moment):
                return local(moment, tz)
    return fallback.astimezone(tz)


def _phase_of(begin: datetime, end: datetime, enforced: datetime | None) -> str:
    if enforced is None or end < enforced or (end == begin and begin < enforced):
        return "before"
    if begin >= enforced:
        return "after"
    return "around"


def _add_phase(
    target: _Cell, phase: str, *, accesses: int = 0, refused: int = 0, off: bool | None
) -> None:
    table = {"before": target.before, "after": target.after, "around": target.around}[phase]
    table["accesses"] += accesses
    table["refused"] += refused
    if off:
        table["off_hours_accesses"] += accesses
        table["off_hours_refused"] += refused


def _count_interval(
    target: _Cell,
    count: HistoryCount,
    access: int,
    begin: datetime,
    end: datetime,
    start: datetime,
    hours: _Hours,
    enforced: datetime | None,
) -> None:
    kind = None if begin < start else hours.span(begin, end)
    in_use = count.uid_state in IN_USE_STATES
    if kind == "work":
        if in_use:
            target.work_in_use += access
        else:
            target.work_background += access
        target.refused_work += count.reject
    elif kind == "off":
        if in_use:
            target.off_in_use += access
        else:
            target.off_background += access
        target.refused_off += count.reject
    else:
        target.access_unattributed += access
        target.refused_unattributed += count.reject
    phase = (
        "around" if begin < start else _phase_of(begin, end - timedelta(microseconds=1), enforced)
    )
    _add_phase(target, phase, accesses=access, refused=count.reject, off=kind == "off")


def _from_last_access(
    events: Iterable[LastOpEvent],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
    hours: _Hours,
    selects: Callable[[str], bool],
    cell: Callable[[str, int, str], _Cell],
    marks: list[_Mark],
) -> None:
    """Android 9 and bugreports: only the latest access and refusal per key."""
    for event in events:
        capability = OP_CAPABILITY.get(event.op)
        if capability is None or event.uid is None or not selects(event.package):
            continue
        if not plausible(event.when):
            continue
        when = local(event.when, tz)
        if not start <= when <= now:
            continue
        target = cell(event.package, event.uid // 100_000, capability)
        target.sources.add("last access")
        working = hours.working(when)
        in_use = event.uid_state in IN_USE_STATES
        if event.kind == "access":
            if working:
                target.work_in_use += in_use
                target.work_background += not in_use
            else:
                target.off_in_use += in_use
                target.off_background += not in_use
        elif working:
            target.refused_work += 1
        else:
            target.refused_off += 1
        kind = "access" if event.kind == "access" else "refused"
        marks.append(
            _Mark(event.package, event.uid // 100_000, capability, kind, when, when, 1, in_use)
        )


# ---- held, from hardener's history -------------------------------------------------------


def _specific_capability(permission: str, sdk: int) -> str | None:
    best: tuple[int, str] | None = None
    for cap in CAPABILITIES.values():
        members = cap.permissions_for(sdk)
        if permission in members and (best is None or len(members) < best[0]):
            best = (len(members), cap.name)
    return None if best is None else best[1]


def held_spans(
    records: Sequence[Mapping[str, Any]], sdk: int, start: datetime, now: datetime
) -> dict[tuple[str, int, str], list[tuple[datetime, datetime]]]:
    """(package, user, capability) -> spans in [start, now) when a permission hardener
    changed was granted, from the before/after values of its applied changes."""
    changes: dict[tuple[str, int, str], list[tuple[datetime, bool | None, bool | None]]] = {}
    for record in records:
        moment = parse_moment(record.get("at")) or parse_moment(record.get("time"))
        if moment is None:
            continue
        for outcome in record.get("outcomes") or ():
            if not isinstance(outcome, Mapping) or outcome.get("setting") != "permission":
                continue
            package, user, name = outcome.get("package"), outcome.get("user"), outcome.get("name")
            if (
                not isinstance(package, str)
                or not isinstance(user, int)
                or not isinstance(name, str)
            ):
                continue
            before, after = _granted(outcome.get("before")), _granted(outcome.get("after"))
            changes.setdefault((package, user, name), []).append((moment, before, after))
    per_capability: dict[tuple[str, int, str], dict[str, list[tuple[datetime, bool]]]] = {}
    for (package, user, permission), items in changes.items():
        capability = _specific_capability(permission, sdk)
        if capability is None:
            continue
        items.sort(key=lambda item: item[0])
        state = items[0][1] if items[0][1] is not None else items[0][2]
        timeline = [(start, bool(state))]
        for moment, before, after in items:
            if moment <= start:
                timeline = [(start, bool(after if after is not None else before))]
            elif moment < now and after is not None:
                timeline.append((moment, after))
        per_capability.setdefault((package, user, capability), {})[permission] = timeline
    result: dict[tuple[str, int, str], list[tuple[datetime, datetime]]] = {}
    for key, timelines in per_capability.items():
        cuts = sorted({moment for timeline in timelines.values() for moment, _ in timeline})
        spans: list[tuple[datetime, datetime]] = []
        for index, cut in enumerate(cuts):
            until = cuts[index + 1] if index + 1 < len(cuts) else now
            if any(_state_at(timeline, cut) for timeline in timelines.values()) and cut < until:
                if spans and spans[-1][1] == cut:
                    spans[-1] = (spans[-1][0], until)
                else:
                    spans.append((cut, until))
        result[key] = spans
    return result


def _granted(value: object) -> bool | None:
    if isinstance(value, Mapping) and isinstance(value.get("granted"), bool):
        return bool(value["granted"])
    return None


def _state_at(timeline: list[tuple[datetime, bool]], moment: datetime) -> bool:
    state = False
    for at, value in timeline:
        if at <= moment:
            state = value
    return state


# ---- the document -----------------------------------------------------------------------


def _one_per_access(accesses: tuple[DiscreteAccess, ...]) -> list[DiscreteAccess]:
    """The discrete history without the start notes of timed accesses: Android records a
    startOp..finishOp access twice at its start time, once without a duration (at the start,
    `incrementOpAccessedCount`) and once with it (at the finish, `increaseOpAccessDuration`;
    AttributedOp.startedOrPaused / finishOrPause). The one with the duration stands for both."""
    timed = {_twin_key(a) for a in accesses if a.duration_ms is not None}
    return [a for a in accesses if a.duration_ms is not None or _twin_key(a) not in timed]


def _twin_key(a: DiscreteAccess) -> tuple[object, ...]:
    return (a.uid, a.package, a.op, a.attribution, a.device, a.uid_state, a.flags, a.when_text)


def limits_for(sdk: int, release: str, source: str) -> dict[str, str]:
    """Plain words on what Android keeps, for this release and source."""
    version = f"Android {release or _SDK_RELEASE.get(sdk, '?')}"
    words: dict[str, str] = {}
    if source == "bugreport":
        words["source"] = (
            "A bugreport carries only `dumpsys appops` without history: the latest access "
            "and the latest refusal per app, op and state, not how many."
        )
    if sdk >= 36:
        words["discrete"] = (
            f"{version} keeps each location, camera and microphone access for 7 days (to the "
            "millisecond where it stores them in SQLite, else to the minute); older ones only "
            "as counts per interval."
        )
    elif sdk >= 31:
        words["discrete"] = (
            f"{version} keeps each location, camera and microphone access for 7 days, to the "
            "minute; older ones only as counts per interval."
        )
    elif sdk >= 29:
        words["discrete"] = f"{version} keeps no per-access history (that came in Android 12)."
    if sdk >= 29:
        words["aggregated"] = (
            f"{version} counts the other ops (contacts, calendar, ...) per interval: 15 minutes "
            "for the last 2.5 hours, 2.5 hours up to a day back, 25 hours up to 11 days back. "
            "Counts in an interval that spans work and off hours, the first enforcement or "
            "the start of the window are shown as not attributable."
        )
    else:
        words["aggregated"] = (
            f"{version} keeps no access history: only the latest access and refusal per app, "
            "op and state."
        )
    words["refused"] = (
        "Android counts a refusal when the app holds the permission but App Ops says no "
        "(background location denied, an op set to ignore): blocked by hardener or by you, "
        "Android does not say which. A revoked permission stops the app before App Ops "
        "sees it: nothing is recorded, and the missing accesses are the evidence."
    )
    words["held"] = (
        "Android keeps no record of when a permission was granted; the hours held come from "
        "hardener's own history of the permissions it changed on this phone."
    )
    return words


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def _document(
    data: EvidenceInput,
    cells: Mapping[tuple[str, int, str], _Cell],
    marks: Sequence[_Mark],
    name_of: Callable[[str], str],
    schedule: Schedule,
    start: datetime,
    now: datetime,
    enforced: datetime | None,
    profile_name: str,
    tz: ZoneInfo,
) -> dict[str, Any]:
    limits = limits_for(data.device.sdk, data.device.release, data.source)
    kept: dict[str, str | None] = {"discrete_from": None, "aggregated_from": None}
    if data.history.discrete_seen:
        discrete_from = max(start, now - DISCRETE_KEEP).isoformat()
        kept["discrete_from"] = discrete_from
        if "discrete" in limits:
            limits["discrete"] += f" This read has them from {discrete_from[:16]}."
    begins = [count.snapshot.begin for count in data.history.counts]
    if begins:
        aggregated_from = local(min(begins), tz).isoformat()
        kept["aggregated_from"] = aggregated_from
        limits["aggregated"] = limits.get("aggregated", "") + (
            f" This read has intervals from {aggregated_from[:16]} (the oldest Android "
            "still had for these apps and ops)."
        )
    apps: dict[tuple[str, int], dict[str, Any]] = {}
    totals: dict[str, dict[str, dict[str, int]]] = {}
    for (package, user, capability), c in sorted(cells.items()):
        app = apps.setdefault(
            (package, user),
            {"package": package, "user": user, "name": name_of(package),
             "capabilities": {}, "marks": []},
        )  # fmt: skip
        sources = sorted(c.sources)
        notes = [limits[k] for k in ("discrete", "aggregated") if _uses(sources, k)]
        if c.refused_work or c.refused_off or c.refused_unattributed:
            notes.append(limits["refused"])
        if c.held_off_s is not None:
            notes.append(limits["held"])
        app["capabilities"][capability] = {
            "accesses": {
                "work_hours": {"in_use": c.work_in_use, "background": c.work_background},
                "off_hours": {"in_use": c.off_in_use, "background": c.off_background},
                "not_attributable": c.access_unattributed,
                "total": c.work_in_use
                + c.work_background
                + c.off_in_use
                + c.off_background
                + c.access_unattributed,
            },
            "refused": {
                "work_hours": c.refused_work,
                "off_hours": c.refused_off,
                "not_attributable": c.refused_unattributed,
                "total": c.refused_work + c.refused_off + c.refused_unattributed,
            },
            "held_off_hours_h": _hours(c.held_off_s),
            "before_enforcement": dict(c.before, held_off_hours_h=_hours(c.held_off_before_s)),
            "after_enforcement": dict(c.after, held_off_hours_h=_hours(c.held_off_after_s)),
            "spanning_enforcement": dict(c.around),
            "sources": sources,
            "limits": notes,
        }
        total = totals.setdefault(capability, {"before": _phase_counts(), "after": _phase_counts()})
        for phase, values in (("before", c.before), ("after", c.after)):
            for key, value in values.items():
                total[phase][key] += value
    for mark in marks:
        owner = apps.get((mark.package, mark.user))
        if owner is None:
            continue
        owner["marks"].append(
            {
                "capability": mark.capability,
                "kind": mark.kind,
                "begin": mark.begin.astimezone(tz).isoformat(),
                "end": mark.end.astimezone(tz).isoformat(),
                "count": mark.count,
                "in_use": mark.in_use,
            }
        )
    return {
        "schema": SCHEMA,
        "source": data.source,
        "device": data.device.to_json(),
        "profile": profile_name,
        "window": {"since": start.isoformat(), "until": now.isoformat()},
        "timezone": tz.key,
        "first_enforced": None if enforced is None else enforced.astimezone(tz).isoformat(),
        "work_week": week_windows(schedule, now, tz),
        "kept": kept,
        "apps": list(apps.values()),
        "totals": totals,
        "limits": limits,
    }


def _uses(sources: Sequence[str], kind: str) -> bool:
    return kind in sources or (kind == "aggregated" and "last access" in sources)


def week_windows(schedule: Schedule, now: datetime, tz: ZoneInfo) -> list[list[list[float]]]:
    """The profile's week, Monday..Sunday: work windows as [start_hour, end_hour] pairs."""
    monday = (now.astimezone(tz) - timedelta(days=now.astimezone(tz).weekday())).date()
    days: list[list[list[float]]] = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        low = datetime(day.year, day.month, day.day, tzinfo=tz)
        high = low + timedelta(days=1)
        spans = []
        for begin, end in schedule.windows(low, high):
            spans.append([_hour(begin, low), _hour(end, low)])
        days.append(spans)
    return days


def _hour(moment: datetime, midnight: datetime) -> float:
    return round((moment - midnight).total_seconds() / 3600, 4)
