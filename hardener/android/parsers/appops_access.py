"""`dumpsys appops`: the last access and the last refusal of each op, per app, attribution tag,
uid state and flag (what `appops_dump` leaves out: it reads modes only).

Grammar, from AOSP `AppOpsService.dump` / `dumpStatesLocked`
(services/core/java/com/android/server/appop/AppOpsService.java, read at
aosp-mirror/platform_frameworks_base 0008993e, an Android 13 state of the file, and the
Android 10 form checked against the real capture
`shared/fixtures/android/dumpsys-appops__10__samsung-galaxy-a40-mvt.txt`):
```
  Uid u0a103:
    state=cch
    Package com.facebook.katana:
      READ_CONTACTS (allow):                 # 11+: "(allow / switch OP=mode): " possible
          Access: [bg-tpd] 2022-03-07 18:05:34.325 (-22d4h22m19s762ms)      # Android 10
        null=[                                                            # 11+: per tag
          Access: [fg-s] 2026-11-24 20:10:00.000 (-1h50m) duration=+2s proxy[uid=…]
          Reject: [bg-s]2026-11-24 21:00:00.000 (-1h0m)                   # no space after ]
          Running start at: +5m                                           # ignored
        ]
```
Android keeps only the *last* access and the *last* refusal per (uid state, flag) key, not
a count: a line is "at least once, most recently then". Times are the phone's local time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from hardener.android.parsers.appops_dump import uid_from_label
from hardener.android.parsers.durations import parse_duration_ms
from hardener.android.parsers.text import RawText, lines

_UID_LINE = re.compile(r"Uid (\S+):")
_PACKAGE_LINE = re.compile(r"Package (\S+):")
_OP_LINE = re.compile(r"([A-Za-z0-9_]+(?:\([0-9]+\))?) \(([^\s)/]+)[^)]*\):")
_TAG_OPEN = re.compile(r"(\S*)=\[")
_EVENT = re.compile(
    r"(Access|Reject): \[([A-Za-z]+)-([A-Za-z|]*)\] ?"
    r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})"
    r" \(([^)]*)\)(?: duration=(\S+))?(?: proxy\[(.*)\])?\s*"
)
_STAMP_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}")
_FAST_DURATION = re.compile(
    r"([+-])(?:([0-9]{1,9})d)?(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,9})s)?([0-9]{1,9})ms"
)


class LastOpEvent(NamedTuple):
    """One `Access:` or `Reject:` line: the most recent one for its key.

    Times are kept as printed and read on access (`when`, `ago_ms`, `duration_ms`): a dump
    holds tens of thousands of lines and a reader looks at a few apps."""

    uid: int | None
    uid_label: str
    package: str
    op: str
    mode: str
    attribution: str | None  # None: Android 10 form (no tags); "null" is the default tag
    kind: str  # "access" or "reject"
    uid_state: str  # top, fg, fgsvc, bg, cch, pers, ...
    flags: str  # s, tp, up, tpd, upd
    when_text: str  # yyyy-MM-dd HH:mm:ss.SSS, the phone's local time
    ago_text: str = ""
    duration_text: str | None = None
    proxy: str | None = None

    @property
    def when(self) -> datetime:
        """Naive local time (the line was kept only when this parses)."""
        parsed = parse_timestamp(self.when_text)
        assert parsed is not None
        return parsed

    @property
    def ago_ms(self) -> int | None:
        """The printed relative time (negative: the past)."""
        return duration_ms(self.ago_text)

    @property
    def duration_ms(self) -> int | None:
        return duration_ms(self.duration_text)


def parse_timestamp(text: str) -> datetime | None:
    """`2026-11-24 20:10:00.000` (SimpleDateFormat yyyy-MM-dd HH:mm:ss.SSS), else None.

    Sliced by hand: strptime costs ten times more, and a dump holds tens of thousands."""
    if len(text) != 23 or not _STAMP_SHAPE.fullmatch(text):
        return None
    try:
        return datetime(
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
            int(text[20:23]) * 1000,
        )
    except ValueError:
        return None


_CHECKED: dict[str, bool] = {}


def valid_stamp(text: str) -> bool:
    """A timestamp whose date and time exist (cheap: most share their day and hour)."""
    day_hour = text[:13]
    known = _CHECKED.get(day_hour)
    if known is None:
        known = parse_timestamp(day_hour + ":00:00.000") is not None
        if len(_CHECKED) < 100_000:
            _CHECKED[day_hour] = known
    return known and int(text[14:16]) < 60 and int(text[17:19]) < 60


def duration_ms(text: str | None) -> int | None:
    """`TimeUtils.formatDuration` text -> ms (as `parsers.durations`, faster for dumps)."""
    if text is None:
        return None
    match = _FAST_DURATION.fullmatch(text)
    if match is None:
        return parse_duration_ms(text)
    sign, days, hours, minutes, seconds, millis = match.groups()
    total = (
        int(days or 0) * 86_400_000
        + int(hours or 0) * 3_600_000
        + int(minutes or 0) * 60_000
        + int(seconds or 0) * 1000
        + int(millis)
    )
    return -total if sign == "-" else total


def parse_last_access(text: RawText) -> tuple[LastOpEvent, ...]:
    """Every Access/Reject line inside `Uid …:` blocks; anything else is skipped."""
    events: list[LastOpEvent] = []
    uid_label = ""
    uid_indent = -1
    package: str | None = None
    package_indent = 0
    op: tuple[str, str] | None = None
    op_indent = 0
    tag: str | None = None
    uid: int | None = None
    for line in lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        # Dispatch on the line's start: most lines are events, one regex each.
        head = stripped[:4]
        if head == "Uid ":
            uid_line = _UID_LINE.fullmatch(stripped)
            if uid_line is not None:
                uid_label, uid_indent = uid_line.group(1), indent
                uid = uid_from_label(uid_label)
                package, op, tag = None, None, None
                continue
        if uid_indent < 0:
            continue
        if indent <= uid_indent:
            uid_indent, package, op, tag = -1, None, None, None
            continue
        if package is not None and indent <= package_indent:
            package, op, tag = None, None, None
        if op is not None and indent <= op_indent:
            op, tag = None, None
        if head == "Pack":
            package_line = _PACKAGE_LINE.fullmatch(stripped)
            if package_line is not None:
                package, package_indent = package_line.group(1), indent
                continue
        if package is None:
            continue
        if head in ("Acce", "Reje"):
            event = _EVENT.fullmatch(stripped) if op is not None else None
            if event is None or op is None:
                continue
        else:
            if stripped[-1] in ": ":
                op_line = _OP_LINE.fullmatch(stripped)
                if op_line is not None:
                    op, op_indent, tag = (op_line.group(1), op_line.group(2)), indent, None
                    continue
            if op is None:
                continue
            if stripped[-1] == "[":
                tag_open = _TAG_OPEN.fullmatch(stripped)
                if tag_open is not None:
                    tag = tag_open.group(1)
            elif stripped == "]":
                tag = None
            continue
        stamp = event.group(4)
        if not valid_stamp(stamp):
            continue
        events.append(
            LastOpEvent(
                uid=uid,
                uid_label=uid_label,
                package=package,
                op=op[0],
                mode=op[1],
                attribution=tag,
                kind="access" if event.group(1) == "Access" else "reject",
                uid_state=event.group(2),
                flags=event.group(3),
                when_text=stamp,
                ago_text=event.group(5),
                duration_text=event.group(6),
                proxy=event.group(7),
            )
        )
    return tuple(events)
