"""`dumpsys appops --history [--include-discrete N] [--op OP] [--package P]`: what Android
counted per time interval (aggregated history) and each access it kept (discrete history).

No real capture of either form was found; the grammar is derived from AOSP sources:

* Aggregated (HistoricalRegistry.dump + StringDumpVisitor,
  services/core/java/com/android/server/appop/HistoricalRegistry.java; Android 10 as stored
  at aosp-mirror/platform_frameworks_base 032a65fa, Android 11+ with the attribution level as
  in the android-13/14 era sources, `AppOpsService.dump` at 0008993e). The appops state dump
  (`Uid …:` blocks) is skipped when `--history` is given:
```

  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE

    snapshot:
      begin = 2026-11-24 11:45:00.000  (-15m0s0ms)
      end = 2026-11-24 12:00:00.000  (+0ms)

      Uid u0a120:
        Package com.alibaba.android.rimet:
          Attribution null:                       # 11+ only
            FINE_LOCATION:
              [bg-s] = access=2, reject=1, duration=+4s0ms
```
  Intervals: 15 minutes at first, then ×10 coarser further back (HISTORICAL_MODE defaults:
  DEFAULT_SNAPSHOT_INTERVAL_MILLIS 15 min, DEFAULT_COMPRESSION_STEP 10).
* Discrete, Android 12–15 (and 16 builds without the SQLite flag): AppOpsService.dump
  prints `Discrete accesses: ` then DiscreteRegistry.dump (DiscreteOpsXmlRegistry on 16),
  services/core/java/com/android/server/appop/DiscreteRegistry.java, Android 12 as stored at
  aosp-mirror 0014f5fa; Android 13/14 add `Largest chain id: N` and
  ` attribution flags=N with chainId=M`; a `Device: …` level is accepted too:
```
Discrete accesses:
  Uid: 10120
    Package: com.alibaba.android.rimet
      FINE_LOCATION
        Attribution: null
          Access [bg-s] at 2026-11-24 21:40:00.000 for 60000 milliseconds
```
  Only accesses are kept (never refusals), by default only for location, camera and
  microphone ops, for 7 days, quantized to one minute.
* Whether an Android 16 build keeps the XML or the SQLite form is that build's flag: the
  GrapheneOS port of more discrete ops (GrapheneOS/platform_frameworks_base PR #201, 2025)
  notes that with `enable_sqlite_appops_accesses` off Android 16 still saves them to binary
  XML, and that `record_all_runtime_appops_sqlite` makes the SQLite registry keep every
  runtime op. So the form is detected per output, never from the SDK.
* Discrete, Android 16 with `android.permission.flags.enable_sqlite_appops_accesses`
  (a fixed read-only flag, core/java/android/permission/flags.aconfig, e.g.
  bluestacks/frameworks-base-a16 @ 053376d0): `DiscreteOpsSqlRegistry.dump`
  (aosp-mirror/platform_frameworks_base
  services/core/java/com/android/server/appop/DiscreteOpsSqlRegistry.java @ a05b53f6) after
  the same `Discrete accesses: ` line (AppOpsService.dump, bluestacks/frameworks-base-a16
  @ 04dd009b, prefix two blanks). One pipe-separated row per stored access, ordered by access
  time (DiscreteOpsDbHelper.getDiscreteOps @ 437ae19d: no time bound, `LIMIT n` only for
  n > 0); the time and duration are the raw ones (not quantized; -1 = no duration); the tag
  prints `null` when absent; OP_FLAGS is `AppOpsManager.flagsToString`, which joins several
  flags with `|` itself:
```
Discrete accesses:
  Largest chain id: 0
UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID|ACCESS_TIME|DURATION
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|bg|s|0|-1|2026-11-24 21:40:13.250|-1

```
* Unified SQLite history (`android.permission.flags.enable_all_sqlite_appops_accesses`,
  2025 sources: AppOpsService.dump in yaap/frameworks_base @ 049dbc20 prints
  `AppOps Historical Service State:` and calls the new `HistoricalRegistry.dump`, which
  prints `History:  mode=…`, `SHORT_INTERVAL(Aggregation Bucket)=1 Minute, LONG_INTERVAL(…)=15
  Minutes`, two `Database …` lines, then `------------Discrete App Ops-------------` (with
  `--include-discrete`; else `------------Aggregated App Ops-------------`) and
  AppOpHistoryHelper.dump (yaap/frameworks_base @ 3ddcaa00): a blank line and rows
  `UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|ACCESS_TIME|ACCESS_COUNTS|REJECT_COUNTS|
  DURATION|UID_STATE|OP_FLAGS|ATTRIBUTION_CHAIN_ID|ATTRIBUTION_FLAGS`, each the counts of one
  bucket (1 minute for the short-interval database, 15 for the long one). A plain
  `dumpsys appops` prints the last hour of the short database under
  `----Location, Microphone, and Camera App Ops (Last 1 Hour)----`. Every row becomes a
  `HistoryCount` over its bucket; a row of the discrete section with accesses or a duration
  is also one `DiscreteAccess` (as `AppOpHistoryHelper.addShortIntervalOpsToHistoricalOpsResult`
  gives the API one discrete access per such row). The tables are read by their header, so
  a reordered or longer column list still parses.

No real capture of any discrete form has been found (searched: public code, issues and pages,
2026-12); every sample in tests/parsers/test_appops_history.py is derived from the sources
above and marked so.

Times are the phone's local time (SimpleDateFormat with the default zone).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from hardener.android.parsers.appops_access import duration_ms, parse_timestamp, valid_stamp
from hardener.android.parsers.appops_dump import uid_from_label
from hardener.android.parsers.text import RawText, lines, to_int

_STAMP = r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})"
_MODE = re.compile(r"History:\s+mode=(\S+)")
_BOUND = re.compile(r"(begin|end) = " + _STAMP + r"\s+\(([^)]*)\)")
_UID = re.compile(r"Uid (\S+):")
_PACKAGE = re.compile(r"Package (\S+):")
_ATTRIBUTION = re.compile(r"Attribution (\S*):")
_OP = re.compile(r"([A-Za-z0-9_]+(?:\([0-9]+\))?):")
_COUNTS = re.compile(r"\[([A-Za-z]+)-([A-Za-z|]*)\] = (.*)")
_COUNT_PART = re.compile(r"(access|reject|duration)=([^,\s]+)")

_D_UID = re.compile(r"Uid: (\S+)")
_D_PACKAGE = re.compile(r"Package: (\S+)")
_D_DEVICE = re.compile(r"Device: (.*)")
_D_ATTRIBUTION = re.compile(r"Attribution: (.*)")
_D_OP = re.compile(r"[A-Za-z0-9_]+(?:\([0-9]+\))?")
_D_ACCESS = re.compile(
    r"Access \[([A-Za-z]+)-([A-Za-z|]*)\] at "
    + _STAMP
    + r"(?: for ([0-9]{1,15}) milliseconds)?"
    + r"(?:\s+attribution flags=([0-9]{1,10}) with chainId=(-?[0-9]{1,10}))?\s*"
)
_STAMP_ONLY = re.compile(_STAMP)
_BUCKETS = re.compile(
    r"SHORT_INTERVAL\(Aggregation Bucket\)=([0-9]{1,9}) Minutes?,"
    r" LONG_INTERVAL\(Aggregation Bucket\)=([0-9]{1,9}) Minutes?"
)
# Section lines of the SQLite dumps, and what the table after each one holds.
_TABLE_SECTIONS = {
    "------------Discrete App Ops-------------": "discrete",
    "------------Aggregated App Ops-------------": "long",
    "----Location, Microphone, and Camera App Ops (Last 1 Hour)----": "short",
}
_TABLE_HEADER_START = "UID|PACKAGE_NAME|"
_STATE_NAME = re.compile(r"[A-Za-z]{1,20}")  # getUidStateName: pers, top, fgsvc, fg, bg, cch…
_FLAGS_TEXT = re.compile(r"[A-Za-z]{1,10}(?:\|[A-Za-z]{1,10}){0,9}")
_FLAG_NAMES = frozenset({"s", "tp", "up", "tpd", "upd"})  # AppOpsManager.getFlagName
_MAX_EXTRA_FIELDS = 8  # `|` inside OP_FLAGS (at most 5 flags) or a tag; more is not a row


@dataclass(frozen=True)
class Snapshot:
    """One aggregated interval (local times, naive)."""

    begin: datetime
    end: datetime


class HistoryCount(NamedTuple):
    """`[state-flags] = access=N, reject=N, duration=D` in one interval."""

    snapshot: Snapshot
    uid: int | None
    uid_label: str
    package: str
    attribution: str | None  # None on Android 10 (no attribution level)
    op: str
    uid_state: str
    flags: str
    access: int = 0
    reject: int = 0
    duration_ms: int = 0


class DiscreteAccess(NamedTuple):
    """One `Access [state-flags] at …` line of the discrete history (time read on access)."""

    uid: int | None
    package: str
    op: str
    attribution: str | None
    uid_state: str
    flags: str
    when_text: str  # as printed, local time, quantized by Android (1 minute by default)
    duration_ms: int | None = None
    device: str | None = None

    @property
    def when(self) -> datetime:
        parsed = parse_timestamp(self.when_text)
        assert parsed is not None
        return parsed


@dataclass(frozen=True)
class AppOpsHistory:
    mode: str | None = None  # HISTORICAL_MODE_…; None when no `History:` line was seen
    counts: tuple[HistoryCount, ...] = ()
    discrete: tuple[DiscreteAccess, ...] = ()
    discrete_seen: bool = False  # a `Discrete accesses:` section was printed
    now: datetime | None = None  # the phone's clock when it dumped (from a snapshot bound)

    @property
    def snapshots(self) -> tuple[Snapshot, ...]:
        seen: dict[Snapshot, None] = {}
        for count in self.counts:
            seen.setdefault(count.snapshot, None)
        return tuple(seen)


class _State:
    __slots__ = (
        "attribution",
        "begin",
        "counts",
        "d_attribution",
        "d_device",
        "d_op",
        "d_package",
        "d_uid",
        "d_uid_value",
        "discrete",
        "discrete_seen",
        "end",
        "long_ms",
        "mode",
        "now",
        "op",
        "package",
        "section",
        "short_ms",
        "table",
        "table_kind",
        "uid",
        "uid_value",
    )

    def __init__(self) -> None:
        self.section = ""
        self.mode: str | None = None
        self.now: datetime | None = None
        self.begin: datetime | None = None
        self.end: datetime | None = None
        self.uid = ""
        self.uid_value: int | None = None
        self.d_uid_value: int | None = None
        self.package: str | None = None
        self.attribution: str | None = None
        self.op: str | None = None
        self.counts: list[HistoryCount] = []
        self.discrete: list[DiscreteAccess] = []
        self.discrete_seen = False
        self.d_uid: str | None = None
        self.d_package: str | None = None
        self.d_op: str | None = None
        self.d_attribution: str | None = None
        self.d_device: str | None = None
        self.table: _Columns | None = None  # the header of the pipe table being read
        self.table_kind = ""  # "discrete", "short" (1-minute buckets) or "long" (15)
        self.short_ms = 60_000  # HistoricalRegistry DEFAULT_SHORT_INTERVAL_QUANTIZATION
        self.long_ms = 15 * 60_000  # DEFAULT_LONG_INTERVAL_QUANTIZATION


def parse_appops_history(text: RawText) -> AppOpsHistory:
    """Both history forms from one dump; lines that fit neither grammar are skipped."""
    state = _State()
    for line in lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("History:"):
            mode = _MODE.fullmatch(stripped)
            state.section, state.mode = "history", mode.group(1) if mode else ""
            continue
        if stripped.startswith("Discrete accesses:"):
            state.section, state.discrete_seen = "discrete", True
            state.table, state.table_kind = None, "discrete"
            continue
        if stripped[0] == "-" and stripped in _TABLE_SECTIONS:
            state.section, state.table = "table", None
            state.table_kind = _TABLE_SECTIONS[stripped]
            state.discrete_seen = state.discrete_seen or state.table_kind == "discrete"
            continue
        if stripped.startswith(_TABLE_HEADER_START):
            if state.section in ("discrete", "table"):
                state.section, state.table = "table", _Columns.of(stripped)
            continue
        if state.section == "table":
            if state.table is not None:
                _table_row(state, state.table, stripped)
            continue
        if stripped[0] == "S" and stripped.startswith("SHORT_INTERVAL("):
            buckets = _BUCKETS.fullmatch(stripped)
            if buckets is not None:
                state.short_ms = max(int(buckets.group(1)), 1) * 60_000
                state.long_ms = max(int(buckets.group(2)), 1) * 60_000
            continue
        if state.section == "history":
            _history_line(state, stripped)
        elif state.section == "discrete":
            _discrete_line(state, stripped)
    return AppOpsHistory(
        mode=state.mode,
        counts=tuple(state.counts),
        discrete=tuple(state.discrete),
        discrete_seen=state.discrete_seen,
        now=state.now,
    )


def _history_line(state: _State, stripped: str) -> None:
    counts = _COUNTS.fullmatch(stripped) if stripped[0] == "[" else None
    if counts is not None:
        if state.begin is None or state.end is None or state.package is None or not state.op:
            return
        values = {key: value for key, value in _COUNT_PART.findall(counts.group(3))}
        state.counts.append(
            HistoryCount(
                snapshot=Snapshot(state.begin, state.end),
                uid=state.uid_value,
                uid_label=state.uid,
                package=state.package,
                attribution=state.attribution,
                op=state.op,
                uid_state=counts.group(1),
                flags=counts.group(2),
                access=max(to_int(values.get("access")) or 0, 0),
                reject=max(to_int(values.get("reject")) or 0, 0),
                duration_ms=max(duration_ms(values.get("duration")) or 0, 0),
            )
        )
        return
    if stripped == "snapshot:":
        state.begin = state.end = None
        state.uid, state.package, state.attribution, state.op = "", None, None, None
        state.uid_value = None
        return
    bound = _BOUND.fullmatch(stripped) if stripped[:3] in ("beg", "end") else None
    if bound is not None:
        when = parse_timestamp(bound.group(2))
        if bound.group(1) == "begin":
            state.begin = when
        else:
            state.end = when
        relative = duration_ms(bound.group(3))
        if when is not None and relative is not None and state.now is None:
            with contextlib.suppress(OverflowError):
                state.now = when - timedelta(milliseconds=relative)
        return
    match = _UID.fullmatch(stripped)
    if match is not None:
        state.uid, state.package, state.attribution, state.op = match.group(1), None, None, None
        state.uid_value = uid_from_label(state.uid)
        return
    match = _PACKAGE.fullmatch(stripped)
    if match is not None:
        state.package, state.attribution, state.op = match.group(1), None, None
        return
    match = _ATTRIBUTION.fullmatch(stripped)
    if match is not None:
        state.attribution, state.op = match.group(1), None
        return
    match = _OP.fullmatch(stripped)
    if match is not None:
        state.op = match.group(1)


def _discrete_line(state: _State, stripped: str) -> None:
    access = _D_ACCESS.fullmatch(stripped) if stripped[:7] == "Access " else None
    if access is not None:
        stamp = access.group(3)
        if state.d_package is None or state.d_op is None or not valid_stamp(stamp):
            return
        duration = access.group(4)
        state.discrete.append(
            DiscreteAccess(
                uid=state.d_uid_value,
                package=state.d_package,
                op=state.d_op,
                attribution=state.d_attribution,
                uid_state=access.group(1),
                flags=access.group(2),
                when_text=stamp,
                duration_ms=int(duration) if duration is not None else None,
                device=state.d_device,
            )
        )
        return
    match = _D_UID.fullmatch(stripped)
    if match is not None:
        state.d_uid, state.d_package, state.d_op = match.group(1), None, None
        state.d_uid_value = uid_from_label(state.d_uid)
        state.d_attribution = state.d_device = None
        return
    match = _D_PACKAGE.fullmatch(stripped)
    if match is not None:
        state.d_package, state.d_op, state.d_attribution, state.d_device = (
            match.group(1),
            None,
            None,
            None,
        )
        return
    match = _D_DEVICE.fullmatch(stripped)
    if match is not None:
        state.d_device, state.d_attribution = match.group(1), None
        return
    match = _D_ATTRIBUTION.fullmatch(stripped)
    if match is not None:
        state.d_attribution = match.group(1)
        return
    if stripped.startswith("Largest chain id:"):
        return
    if _D_OP.fullmatch(stripped) is not None and state.d_package is not None:
        state.d_op, state.d_attribution, state.d_device = stripped, None, None


_REQUIRED = ("UID", "PACKAGE_NAME", "OP_NAME", "UID_STATE", "OP_FLAGS", "ACCESS_TIME")


@dataclass(frozen=True)
class _Columns:
    """The header of a pipe table: column name -> index."""

    names: tuple[str, ...]
    index: dict[str, int]

    @classmethod
    def of(cls, header: str) -> _Columns | None:
        names = tuple(header.split("|"))
        index = {name: i for i, name in enumerate(names)}
        if len(index) != len(names) or any(name not in index for name in _REQUIRED):
            return None
        return cls(names, index)


def _row_fields(columns: _Columns, fields: list[str]) -> dict[str, str] | None:
    """Fields by column; a row with more fields than columns has `|` inside OP_FLAGS
    (`flagsToString` joins flags with it) or, rarely, inside the attribution tag."""
    extra = len(fields) - len(columns.names)
    if extra == 0:
        return dict(zip(columns.names, fields, strict=True))
    if extra < 0 or extra > _MAX_EXTRA_FIELDS:
        return None
    flags_at = columns.index["OP_FLAGS"]
    tag_at = columns.index.get("ATTRIBUTION_TAG")
    for in_flags in range(extra, -1, -1):
        in_tag = extra - in_flags
        if in_tag and tag_at is None:
            continue
        widths = [1] * len(columns.names)
        widths[flags_at] += in_flags
        if tag_at is not None:
            widths[tag_at] += in_tag
        row: dict[str, str] = {}
        at = 0
        for name, width in zip(columns.names, widths, strict=True):
            row[name] = "|".join(fields[at : at + width])
            at += width
        if all(flag in _FLAG_NAMES for flag in row["OP_FLAGS"].split("|")):
            return row
    return None


def _count(text: str | None) -> int | None:
    value = to_int(text) if text is not None else 0
    return value if value is not None and 0 <= value < 1 << 63 else None


def _table_row(state: _State, columns: _Columns, stripped: str) -> None:
    """One row of a SQLite dump (DiscreteOpsSqlRegistry or AppOpHistoryHelper)."""
    row = _row_fields(columns, stripped.split("|"))
    if row is None:
        return
    package, op, stamp = row["PACKAGE_NAME"], row["OP_NAME"], row["ACCESS_TIME"]
    uid_state, flags = row["UID_STATE"], row["OP_FLAGS"]
    if not package or not op or " " in package or " " in op:
        return
    if _STATE_NAME.fullmatch(uid_state) is None or _FLAGS_TEXT.fullmatch(flags) is None:
        return
    if _STAMP_ONLY.fullmatch(stamp) is None or not valid_stamp(stamp):
        return
    uid = to_int(row["UID"])
    if uid is not None and not 0 <= uid < 1 << 31:
        return
    duration = to_int(row.get("DURATION", "-1"))
    if duration is None or not -(1 << 63) <= duration < 1 << 63:
        return
    tag = row.get("ATTRIBUTION_TAG", "null")
    device = row.get("DEVICE_ID")
    counted = "ACCESS_COUNTS" in row
    access, reject = _count(row.get("ACCESS_COUNTS")), _count(row.get("REJECT_COUNTS"))
    if access is None or reject is None:
        return
    if state.table_kind == "discrete" and (not counted or access > 0 or duration > 0):
        state.discrete.append(
            DiscreteAccess(
                uid=uid,
                package=package,
                op=op,
                attribution=tag,
                uid_state=uid_state,
                flags=flags,
                when_text=stamp,
                duration_ms=duration if duration >= 0 else None,
                device=device,
            )
        )
    if not counted:
        return
    begin = parse_timestamp(stamp)
    if begin is None:
        return
    size = state.long_ms if state.table_kind == "long" else state.short_ms
    try:
        end = begin + timedelta(milliseconds=size)
    except OverflowError:
        return
    state.counts.append(
        HistoryCount(
            snapshot=Snapshot(begin, end),
            uid=uid,
            uid_label=row["UID"],
            package=package,
            attribution=tag,
            op=op,
            uid_state=uid_state,
            flags=flags,
            access=access,
            reject=reject,
            duration_ms=max(duration, 0),
        )
    )
