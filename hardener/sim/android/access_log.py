"""What the virtual phone's apps did, and the three records Android keeps of it.

`AccessLog.events` is the model's own complete record: every attempt an app made, with
whether Android let it through, refused it, or never saw it (a revoked runtime permission
makes the framework throw SecurityException before App Ops notes anything). From it come,
exactly as AOSP keeps them (services/core/java/com/android/server/appop/):

* the last access and last refusal per (op, attribution tag, uid state, flag)
  (`AttributedOp`, printed by `AppOpsService.dumpStatesLocked`);
* the aggregated history (`HistoricalRegistry`): counts and durations per interval, 15
  minutes first, each older level 10 times coarser (15 min, 150 min, 1500 min, 15000 min),
  ten intervals per level; this model lays the levels out from the moment of the dump, where
  Android lays them out from its last write (at most one base interval apart);
* the discrete history (`DiscreteRegistry`, Android 12+): accesses only (never refusals)
  of FINE/COARSE_LOCATION, CAMERA, RECORD_AUDIO, PHONE_CALL_MICROPHONE/CAMERA
  (+ RECEIVE_AMBIENT_TRIGGER_AUDIO from 13), flags SELF or TRUSTED_PROXIED, times floored
  to one minute, durations rounded up to one, an event dropped when the same minute already
  holds one with the same state, flags and duration, kept 7 days. An access with a duration
  (startOp .. finishOp) is recorded twice, as AttributedOp does: at its start without a
  duration (`incrementOpAccessedCount`), at its finish with it (`increaseOpAccessDuration`),
  both at the start time;
* from Android 16 (SDK 36) the SQLite registry instead (`DiscreteOpsSqlRegistry`, flag
  `enable_sqlite_appops_accesses`): the same kind of accesses, plus EMERGENCY_LOCATION,
  RECEIVE_SANDBOX_TRIGGER_AUDIO and the TRUSTED_PROXY flag (`DiscreteOpsRegistry`
  DEFAULT_DISCRETE_OPS, OP_FLAGS_DISCRETE), each stored with its raw time and duration; an
  event equal to a cached one in every field but the raw time and duration, which are
  compared by minute, is dropped (`DiscreteOpCache.add`: this model keeps the cache for
  ever, Android writes it out every few minutes); rows older than 7 days are deleted.

Times are epoch milliseconds of the phone's clock (`now_ms`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

ACCESSED = "accessed"
REFUSED = "refused"  # App Ops said no (mode ignore, or foreground-only while in background)
UNRECORDED = "denied_unrecorded"  # no runtime permission: SecurityException, App Ops sees nothing

BASE_INTERVAL_MS = 15 * 60_000
COMPRESSION = 10
LEVELS = 4  # 15 min .. 15000 min intervals; older history is dropped here
DISCRETE_CUTOFF_MS = 7 * 86_400_000
DISCRETE_QUANTUM_MS = 60_000
DISCRETE_OPS_12 = (
    "FINE_LOCATION",
    "COARSE_LOCATION",
    "CAMERA",
    "RECORD_AUDIO",
    "PHONE_CALL_MICROPHONE",
    "PHONE_CALL_CAMERA",
)
DISCRETE_OPS_13 = (*DISCRETE_OPS_12, "RECEIVE_AMBIENT_TRIGGER_AUDIO")
DISCRETE_FLAGS = frozenset({"s", "tpd"})
DISCRETE_OPS_16 = (
    *DISCRETE_OPS_13,
    "EMERGENCY_LOCATION",
    "RECEIVE_SANDBOX_TRIGGER_AUDIO",
    "RESERVED_FOR_TESTING",
)
DISCRETE_FLAGS_16 = frozenset({"s", "tpd", "tp"})
SQL_REGISTRY_SDK = 36  # Android 16: DiscreteOpsSqlRegistry
# AppOpsManager.UID_STATE_* values: the order Android sorts keys in.
UID_STATE_ORDER = {"pers": 100, "top": 200, "fgsvcl": 300, "fgsvc": 400, "fg": 500, "bg": 600}
UID_STATE_ORDER["cch"] = 700
FLAG_ORDER = {"s": 1, "tp": 2, "up": 4, "tpd": 8, "upd": 16}


@dataclass(frozen=True)
class AccessEvent:
    """One attempt by an app to use an op."""

    when_ms: int
    uid: int
    package: str
    op: str
    uid_state: str
    outcome: str  # ACCESSED, REFUSED or UNRECORDED
    flags: str = "s"
    duration_ms: int = -1  # -1: a one-off note (no duration)
    attribution: str | None = None

    @property
    def recorded(self) -> bool:
        return self.outcome != UNRECORDED


def state_key(uid_state: str, flags: str) -> tuple[int, int]:
    return UID_STATE_ORDER.get(uid_state, 999), FLAG_ORDER.get(flags, 99)


@dataclass
class LastAccess:
    access_ms: int = 0
    reject_ms: int = 0
    duration_ms: int = 0


# (uid, package, op, attribution tag) -> (uid state, flags) -> last access/reject/duration
LastAccessTable = dict[tuple[int, str, str, str | None], dict[tuple[str, str], LastAccess]]


@dataclass
class Interval:
    """One aggregated snapshot: [begin, end) and its counts per key."""

    begin_ms: int
    end_ms: int
    # (uid, package, attribution, op, uid_state, flags) -> [access, reject, duration]
    counts: dict[tuple[int, str, str | None, str, str, str], list[int]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class DiscreteEntry:
    uid: int
    package: str
    op: str
    attribution: str | None
    when_ms: int  # quantized
    duration_ms: int  # quantized, -1 none
    uid_state: str
    flags: str


@dataclass
class AccessLog:
    events: list[AccessEvent] = field(default_factory=list)
    # The phone's clock in epoch ms; None: the end of the last simulated step (or wall time).
    clock: Callable[[], int] | None = None
    simulated_until_ms: int | None = None
    # last_access() for (now_ms, number of events): the table and the key it was built for.
    _last: tuple[tuple[int, int], LastAccessTable] | None = field(default=None, repr=False)

    def now_ms(self) -> int:
        if self.clock is not None:
            return self.clock()
        if self.simulated_until_ms is not None:
            return self.simulated_until_ms
        return int(time.time() * 1000)

    def record(self, event: AccessEvent) -> None:
        self.events.append(event)

    def recorded_before(self, now_ms: int) -> Iterable[AccessEvent]:
        return (e for e in self.events if e.recorded and e.when_ms <= now_ms)

    # ---- what Android keeps ----------------------------------------------------------

    def last_access(self, now_ms: int) -> LastAccessTable:
        """(uid, package, op, tag) -> (state, flags) -> last access/reject/duration."""
        key = (now_ms, len(self.events))
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        table = self._last_access(now_ms)
        self._last = (key, table)
        return table

    def _last_access(self, now_ms: int) -> LastAccessTable:
        table: dict[tuple[int, str, str, str | None], dict[tuple[str, str], LastAccess]] = {}
        for event in self.recorded_before(now_ms):
            key = (event.uid, event.package, event.op, event.attribution)
            entry = table.setdefault(key, {}).setdefault(
                (event.uid_state, event.flags), LastAccess()
            )
            if event.outcome == ACCESSED:
                if event.when_ms >= entry.access_ms:
                    entry.access_ms = event.when_ms
                    entry.duration_ms = max(event.duration_ms, 0)
            elif event.when_ms >= entry.reject_ms:
                entry.reject_ms = event.when_ms
        return table

    def aggregated(self, now_ms: int) -> list[Interval]:
        """Snapshots newest first, each holding the counts of the events inside it."""
        intervals: list[Interval] = []
        start_age = 0
        for level in range(LEVELS):
            size = BASE_INTERVAL_MS * COMPRESSION**level
            for slot in range(COMPRESSION):
                young = start_age + slot * size
                intervals.append(Interval(now_ms - young - size, now_ms - young))
            start_age += COMPRESSION * size
        oldest = now_ms - start_age
        for event in self.recorded_before(now_ms):
            if event.when_ms < oldest:
                continue
            interval = _interval_of(intervals, event.when_ms, now_ms)
            if interval is None:
                continue
            key = (
                event.uid,
                event.package,
                event.attribution,
                event.op,
                event.uid_state,
                event.flags,
            )
            counts = interval.counts.setdefault(key, [0, 0, 0])
            if event.outcome == ACCESSED:
                counts[0] += 1
                counts[2] += max(event.duration_ms, 0)
            else:
                counts[1] += 1
        return [interval for interval in intervals if interval.counts]

    def discrete_rows(self, now_ms: int) -> list[DiscreteEntry]:
        """Android 16's SQLite discrete registry: raw times and durations, oldest first
        (`ORDER BY access_time`; ties in recording order)."""
        begin = now_ms - DISCRETE_CUTOFF_MS
        seen: set[tuple[int, str, str, str | None, str, str, int, int]] = set()
        rows: list[DiscreteEntry] = []
        for event, duration in _discrete_notes(self.recorded_before(now_ms)):
            if event.op not in DISCRETE_OPS_16 or event.flags not in DISCRETE_FLAGS_16:
                continue
            minute = event.when_ms // DISCRETE_QUANTUM_MS
            minutes = -1 if duration < 0 else -(-duration // DISCRETE_QUANTUM_MS)
            key = (
                event.uid,
                event.package,
                event.op,
                event.attribution,
                event.uid_state,
                event.flags,
                minute,
                minutes,
            )
            if key in seen:
                continue  # DiscreteOp.equals: time and duration compared by quantum
            seen.add(key)
            if event.when_ms < begin:
                continue  # DELETE_TABLE_DATA_BEFORE_ACCESS_TIME
            rows.append(
                DiscreteEntry(
                    event.uid,
                    event.package,
                    event.op,
                    event.attribution,
                    event.when_ms,
                    duration if duration >= 0 else -1,
                    event.uid_state,
                    event.flags,
                )
            )
        rows.sort(key=lambda row: row.when_ms)
        return rows

    def discrete(self, now_ms: int, sdk: int) -> list[DiscreteEntry]:
        """DiscreteRegistry's entries within the cutoff, in recording order."""
        if sdk < 31:
            return []
        ops = DISCRETE_OPS_13 if sdk >= 33 else DISCRETE_OPS_12
        begin = now_ms - DISCRETE_CUTOFF_MS
        per_list: dict[tuple[int, str, str, str | None], list[DiscreteEntry]] = {}
        for event, raw_duration in _discrete_notes(self.recorded_before(now_ms)):
            if event.op not in ops or event.flags not in DISCRETE_FLAGS:
                continue
            when = event.when_ms // DISCRETE_QUANTUM_MS * DISCRETE_QUANTUM_MS
            duration = (
                -1
                if raw_duration < 0
                else -(-raw_duration // DISCRETE_QUANTUM_MS) * DISCRETE_QUANTUM_MS
            )
            key = (event.uid, event.package, event.op, event.attribution)
            entries = per_list.setdefault(key, [])
            if any(
                e.when_ms == when
                and e.uid_state == event.uid_state
                and e.flags == event.flags
                and e.duration_ms == duration
                for e in entries[-8:]
            ):
                continue  # DiscreteOp.addDiscreteAccess: same quantum, state, flags, duration
            entries.append(
                DiscreteEntry(
                    event.uid,
                    event.package,
                    event.op,
                    event.attribution,
                    when,
                    duration,
                    event.uid_state,
                    event.flags,
                )
            )
        result: list[DiscreteEntry] = []
        for entries in per_list.values():
            result.extend(e for e in entries if e.when_ms + max(e.duration_ms, 0) > begin)
        return result


def _discrete_notes(events: Iterable[AccessEvent]) -> Iterator[tuple[AccessEvent, int]]:
    """What reaches the discrete registry, in order: each access once, an access with a
    duration twice (its start without one, then its finish with it)."""
    for event in events:
        if event.outcome != ACCESSED:
            continue
        if event.duration_ms >= 0:
            yield event, -1
        yield event, event.duration_ms


def _interval_of(intervals: list[Interval], when_ms: int, now_ms: int) -> Interval | None:
    for interval in intervals:
        if interval.begin_ms <= when_ms < interval.end_ms or (
            when_ms == now_ms and interval.end_ms == now_ms
        ):
            return interval
    return None
