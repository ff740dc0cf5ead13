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
* Discrete (AppOpsService.dump prints `Discrete accesses: ` then DiscreteRegistry.dump,
  services/core/java/com/android/server/appop/DiscreteRegistry.java, Android 12 as stored at
  aosp-mirror 0014f5fa; Android 13/14 add `Largest chain id: N` and
  ` attribution flags=N with chainId=M`; Android 16 `DiscreteOpsRegistry` may add a
  `Device: …` level):
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
        "mode",
        "now",
        "op",
        "package",
        "section",
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
