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
from dataclasses import dataclass
from datetime import datetime

from hardener.parsers.appops_dump import uid_from_label
from hardener.parsers.durations import parse_duration_ms
from hardener.parsers.text import RawText, lines

_UID_LINE = re.compile(r"Uid (\S+):")
_PACKAGE_LINE = re.compile(r"Package (\S+):")
_OP_LINE = re.compile(r"([A-Za-z0-9_]+(?:\([0-9]+\))?) \(([^\s)/]+)[^)]*\):")
_TAG_OPEN = re.compile(r"(\S*)=\[")
_EVENT = re.compile(
    r"(Access|Reject): \[([A-Za-z]+)-([A-Za-z|]*)\] ?"
    r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})"
    r" \(([^)]*)\)(?: duration=(\S+))?(?: proxy\[(.*)\])?\s*"
)
_STAMP = "%Y-%m-%d %H:%M:%S.%f"


@dataclass(frozen=True)
class LastOpEvent:
    """One `Access:` or `Reject:` line: the most recent one for its key."""

    uid: int | None
    uid_label: str
    package: str
    op: str
    mode: str
    attribution: str | None  # None: Android 10 form (no tags); "null" is the default tag
    kind: str  # "access" or "reject"
    uid_state: str  # top, fg, fgsvc, bg, cch, pers, ...
    flags: str  # s, tp, up, tpd, upd
    when: datetime  # naive, the phone's local time
    ago_ms: int | None  # the printed relative time (negative: the past)
    duration_ms: int | None = None
    proxy: str | None = None


def parse_timestamp(text: str) -> datetime | None:
    """`2026-11-24 20:10:00.000` (SimpleDateFormat yyyy-MM-dd HH:mm:ss.SSS), else None."""
    try:
        return datetime.strptime(text, _STAMP)
    except ValueError:
        return None


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
    for line in lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        uid_line = _UID_LINE.fullmatch(stripped)
        if uid_line is not None:
            uid_label, uid_indent = uid_line.group(1), indent
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
        package_line = _PACKAGE_LINE.fullmatch(stripped)
        if package_line is not None:
            package, package_indent = package_line.group(1), indent
            continue
        if package is None:
            continue
        op_line = _OP_LINE.fullmatch(stripped)
        if op_line is not None:
            op, op_indent, tag = (op_line.group(1), op_line.group(2)), indent, None
            continue
        if op is None:
            continue
        tag_open = _TAG_OPEN.fullmatch(stripped)
        if tag_open is not None:
            tag = tag_open.group(1)
            continue
        if stripped == "]":
            tag = None
            continue
        event = _EVENT.fullmatch(stripped)
        if event is None:
            continue
        when = parse_timestamp(event.group(4))
        if when is None:
            continue
        events.append(
            LastOpEvent(
                uid=uid_from_label(uid_label),
                uid_label=uid_label,
                package=package,
                op=op[0],
                mode=op[1],
                attribution=tag,
                kind="access" if event.group(1) == "Access" else "reject",
                uid_state=event.group(2),
                flags=event.group(3),
                when=when,
                ago_ms=parse_duration_ms(event.group(5)),
                duration_ms=parse_duration_ms(event.group(6)),
                proxy=event.group(7),
            )
        )
    return tuple(events)
