"""Service dumps a bugreport carries where a live read uses a shell command instead:
standby buckets from `dumpsys usagestats`, notification listeners from `dumpsys
notification`, users from `dumpsys user`.

Grammars derived from AOSP (no real capture in the fixtures): `AppIdleHistory.dumpUser`
prints `package=<pkg> u=<user> bucket=<n> reason=…` per package (Android 9+);
`ManagedServices.dump` prints, under `Allowed notification listeners:`, one
`<components ':'-joined> (user: <n> isPrimary: <bool>)` line per user (Android 10+; older
releases print `Allowed notification listener packages/components` lists, which are read
the same way when they carry `(user: n …)`); `UserManagerService.dump` prints
`UserInfo{id:name:flags} serialNo=…` lines, which `parse_pm_list_users` reads. Never raise
on any text.
"""

from __future__ import annotations

import re

from hardener.android.parsers.text import RawText, lines
from hardener.android.parsers.users import UserList, parse_pm_list_users

_BUCKET = re.compile(r"\bpackage=([A-Za-z0-9_.]+)\s+u=([0-9]{1,9})\s+bucket=([0-9]{1,3})\b")
_LISTENERS_HEADER = re.compile(r"Allowed notification listeners?( components| packages)?:")
_APPROVED = re.compile(r"(.*?)\s*\(user: (-?[0-9]{1,9})(?: isPrimary: (?:true|false))?\)")


def parse_usagestats_buckets(text: RawText) -> dict[int, dict[str, int]]:
    """Standby bucket per user and package (first line wins, as a dump lists each once)."""
    buckets: dict[int, dict[str, int]] = {}
    for line in lines(text):
        for match in _BUCKET.finditer(line):
            package, user, bucket = match.group(1), int(match.group(2)), int(match.group(3))
            buckets.setdefault(user, {}).setdefault(package, bucket)
    return buckets


def parse_notification_listeners(text: RawText) -> dict[int, tuple[str, ...]]:
    """The approved listeners per user, as the Secure setting spells them."""
    approved: dict[int, tuple[str, ...]] = {}
    inside = False
    for line in lines(text):
        stripped = line.strip()
        if _LISTENERS_HEADER.fullmatch(stripped):
            inside = True
            continue
        if not inside:
            continue
        match = _APPROVED.fullmatch(stripped)
        if match is None:
            inside = False
            continue
        user = int(match.group(2))
        parts = tuple(part for part in match.group(1).split(":") if part)
        approved.setdefault(user, parts)
    return approved


def parse_dumpsys_user(text: RawText) -> UserList:
    """Users from `dumpsys user` (same `UserInfo{…}` lines as `pm list users`)."""
    return parse_pm_list_users(text)
