"""Battery-optimisation allow-lists: `cmd deviceidle whitelist` and `dumpsys deviceidle`.

`cmd deviceidle whitelist` prints `<kind>,<pkg>,<appId>` lines with no header: kinds
`system-excidle` (exempt from App Standby only, *not* from Doze), `system` and `user` (the
only list a shell may change). `dumpsys deviceidle` prints the same lists as indented
package names under `Whitelist (except idle) system apps:`, `Whitelist system apps:` and
`Whitelist user apps:`, then app-id lists. Newer wording (`Allowlist`) is accepted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.android.parsers.text import RawText, lines, to_int

SYSTEM_EXCEPT_IDLE = "system-excidle"
SYSTEM = "system"
USER = "user"

_DUMP_SECTIONS = {
    "(except idle) system apps": SYSTEM_EXCEPT_IDLE,
    "system apps": SYSTEM,
    "user apps": USER,
}
_DUMP_ID_SECTIONS = {
    "(except idle) all app ids": "except_idle_app_ids",
    "user app ids": "user_app_ids",
    "all app ids": "all_app_ids",
}
_HEADER = re.compile(r"(?:white|allow)list (.+):", re.IGNORECASE)
_PACKAGE = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")


@dataclass(frozen=True)
class DeviceIdleEntry:
    kind: str  # system-excidle, system or user (other kinds are kept as printed)
    package: str
    app_id: int | None = None  # from `cmd deviceidle whitelist`; None in the dump form


@dataclass(frozen=True)
class DeviceIdleLists:
    entries: tuple[DeviceIdleEntry, ...] = ()
    except_idle_app_ids: frozenset[int] = frozenset()  # dump form only
    user_app_ids: frozenset[int] = frozenset()
    all_app_ids: frozenset[int] = frozenset()

    def packages(self, kind: str) -> frozenset[str]:
        return frozenset(entry.package for entry in self.entries if entry.kind == kind)

    @property
    def user(self) -> frozenset[str]:
        """Packages on the user allow-list: battery-optimisation exempt and changeable."""
        return self.packages(USER)

    @property
    def system(self) -> frozenset[str]:
        return self.packages(SYSTEM)

    @property
    def except_idle(self) -> frozenset[str]:
        return self.packages(SYSTEM_EXCEPT_IDLE)

    def exempt(self, package: str) -> bool:
        """On a list that exempts from Doze (system or user; `system-excidle` does not)."""
        return any(
            entry.package == package and entry.kind in (SYSTEM, USER) for entry in self.entries
        )


def parse_deviceidle_whitelist(text: RawText) -> DeviceIdleLists:
    """`<kind>,<pkg>,<appId>` lines; `Added:`/`Removed:`/`Unknown package:` lines are skipped."""
    entries: list[DeviceIdleEntry] = []
    for line in lines(text):
        parts = [part.strip() for part in line.strip().split(",")]
        if len(parts) != 3 or not parts[0] or _PACKAGE.fullmatch(parts[1]) is None:
            continue
        entries.append(DeviceIdleEntry(kind=parts[0], package=parts[1], app_id=to_int(parts[2])))
    return DeviceIdleLists(entries=tuple(entries))


def parse_dumpsys_deviceidle(text: RawText) -> DeviceIdleLists:
    """The allow-list sections of the full dump; every other section is skipped."""
    entries: list[DeviceIdleEntry] = []
    ids: dict[str, set[int]] = {name: set() for name in _DUMP_ID_SECTIONS.values()}
    kind: str | None = None
    id_list: set[int] | None = None
    header_indent = 0
    for line in lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        header = _HEADER.fullmatch(stripped)
        if header is not None:
            name = header.group(1).strip().lower()
            kind = _DUMP_SECTIONS.get(name)
            id_name = _DUMP_ID_SECTIONS.get(name)
            id_list = ids[id_name] if id_name else None
            header_indent = indent
            continue
        if indent <= header_indent:
            kind, id_list = None, None
            continue
        if kind is not None and _PACKAGE.fullmatch(stripped):
            entries.append(DeviceIdleEntry(kind=kind, package=stripped))
        elif id_list is not None:
            app_id = to_int(stripped)
            if app_id is not None:
                id_list.add(app_id)
    return DeviceIdleLists(
        entries=tuple(entries),
        except_idle_app_ids=frozenset(ids["except_idle_app_ids"]),
        user_app_ids=frozenset(ids["user_app_ids"]),
        all_app_ids=frozenset(ids["all_app_ids"]),
    )
