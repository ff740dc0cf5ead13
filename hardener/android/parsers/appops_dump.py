"""`dumpsys appops`: every uid's uid-level modes and every package's op modes, in one read.

Unlike `appops get`, the dump separates the two levels unambiguously:
```
  Uid u0a103:                      # or `Uid 1000:`; UserHandle.formatUid form
    state=cch
      COARSE_LOCATION: mode=ignore # uid mode
    Package com.facebook.katana:
      READ_CONTACTS (allow):       # package mode; Android 14 adds a trailing space
          Access: [bg-tpd] …       # Android 10: history straight under the op
        null=[                     # Android 11+: history per attribution tag
          Access: …
        ]
```
Android 7.x prints both levels as `OP: mode=<int>` (uid modes straight under the `Uid` line,
package ops under `Package …:` with `; time=… ago; rejectTime=… ago; duration=…`), the mode
as `AppOpsManager`'s integer (0 allow, 1 ignore, 2 errored, 3 default, 4 foreground): see
AOSP 7.1 `AppOpsService.dump`. Those integers are read as the names later releases print.

Only lines inside `Uid …:` blocks are read; watcher, settings and history sections are
skipped. Access history is not kept (hardener decides on modes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hardener.android.parsers.text import RawText, lines, to_int

_UID_LINE = re.compile(r"Uid (\S+):")
_UID_MODE = re.compile(r"([A-Za-z0-9_]+(?:\([0-9]+\))?): mode=([^\s;]+)(?:;.*| \(running\))?")
# AppOpsManager.MODE_ALLOWED … MODE_FOREGROUND, named as `AppOpsManager.modeToName` does.
_MODE_NAMES = {"0": "allow", "1": "ignore", "2": "deny", "3": "default", "4": "foreground"}
_PACKAGE_LINE = re.compile(r"Package (\S+):")
_PACKAGE_OP = re.compile(r"([A-Za-z0-9_]+(?:\([0-9]+\))?) \(([^\s)/]+)[^)]*\):")
_FORMATTED_UID = re.compile(r"u([0-9]{1,6})(ai|a|i|s)([0-9]{1,7})")
_APP_ID_BASE = {"a": 10_000, "i": 99_000, "ai": 90_000, "s": 0}


@dataclass(frozen=True)
class AppOpsUid:
    """One `Uid …:` block. `uid` is None when the label could not be read as a uid."""

    label: str  # as printed: `u0a103`, `1000`
    uid: int | None
    state: str = ""  # process state when dumped (`cch`, `top`, `pers`, …)
    uid_modes: Mapping[str, str] = field(default_factory=dict)
    packages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # pkg -> op -> mode


@dataclass(frozen=True)
class AppOpsDump:
    uids: tuple[AppOpsUid, ...] = ()

    def for_uid(self, uid: int) -> AppOpsUid | None:
        for entry in self.uids:
            if entry.uid == uid:
                return entry
        return None

    def package_modes(self, package: str, uid: int | None = None) -> dict[str, str]:
        """Package-level modes of a package (in one uid, or merged across users' uids)."""
        result: dict[str, str] = {}
        for entry in self.uids:
            if uid is not None and entry.uid != uid:
                continue
            result.update(entry.packages.get(package, {}))
        return result


def uid_from_label(label: str) -> int | None:
    """`u0a103` -> 10103, `u10a5` -> 1010005, `u0i3` -> 99003, `1000` -> 1000."""
    plain = to_int(label)
    if plain is not None:
        return plain
    match = _FORMATTED_UID.fullmatch(label)
    if match is None:
        return None
    user, kind, number = match.groups()
    return int(user) * 100_000 + _APP_ID_BASE[kind] + int(number)


class _UidBuilder:
    __slots__ = ("indent", "label", "packages", "state", "uid_modes")

    def __init__(self, label: str, indent: int) -> None:
        self.label = label
        self.indent = indent
        self.state = ""
        self.uid_modes: dict[str, str] = {}
        self.packages: dict[str, dict[str, str]] = {}

    def build(self) -> AppOpsUid:
        return AppOpsUid(
            label=self.label,
            uid=uid_from_label(self.label),
            state=self.state,
            uid_modes=self.uid_modes,
            packages=self.packages,
        )


def parse_dumpsys_appops(text: RawText) -> AppOpsDump:
    """Per uid: state, uid modes and each package's op modes."""
    uids: list[AppOpsUid] = []
    current: _UidBuilder | None = None
    package: dict[str, str] | None = None
    package_indent = 0
    for line in lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        uid_line = _UID_LINE.fullmatch(stripped)
        if uid_line is not None:
            if current is not None:
                uids.append(current.build())
            current, package = _UidBuilder(uid_line.group(1), indent), None
            continue
        if current is None:
            continue
        if indent <= current.indent:
            uids.append(current.build())
            current, package = None, None
            continue
        if package is not None and indent <= package_indent:
            package = None
        package_line = _PACKAGE_LINE.fullmatch(stripped)
        if package_line is not None:
            package = current.packages.setdefault(package_line.group(1), {})
            package_indent = indent
        elif package is not None:
            op = _PACKAGE_OP.fullmatch(stripped) or _UID_MODE.fullmatch(stripped)
            if op is not None:
                package.setdefault(op.group(1), _mode_name(op.group(2)))
        elif stripped.startswith("state="):
            current.state = current.state or stripped[len("state=") :]
        else:
            uid_mode = _UID_MODE.fullmatch(stripped)
            if uid_mode is not None:
                current.uid_modes.setdefault(uid_mode.group(1), _mode_name(uid_mode.group(2)))
    if current is not None:
        uids.append(current.build())
    return AppOpsDump(uids=tuple(uids))


def _mode_name(mode: str) -> str:
    return _MODE_NAMES.get(mode, mode)
