"""`pm list packages` with any of `-f -U -i --show-versioncode` (and the filters `-3 -s -d -e -u`).

One line per package:
`package:[<sourceDir>=]<pkg>[ versionCode:<n>][  installer=<pkg|null>][ uid:<uid>[,<uid>…]]`.
The source dir may itself contain `=` (Android 11+ `~~…==` directories) and `@` (APEX), so
the package is what follows the *last* `=`. Newer builds merge the same package across users
into one line with comma-joined uids. Filters do not change the line shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.android.parsers.shell_errors import ShellError, parse_shell_error
from hardener.android.parsers.text import RawText, lines, to_int

_TOKEN = re.compile(r"\S+")
_TAIL_ITEM = re.compile(r"(versionCode:|installer=|uid:)(\S*)")


@dataclass(frozen=True)
class PackageListEntry:
    """One `package:` line. `installer` is None when the phone printed `null` or no installer."""

    package: str
    path: str = ""  # sourceDir, with -f
    version_code: int | None = None  # with --show-versioncode
    installer: str | None = None  # with -i
    uids: tuple[int, ...] = ()  # with -U; several when one line covers several users

    @property
    def uid(self) -> int | None:
        """The first (usually only) uid."""
        return self.uids[0] if self.uids else None


@dataclass(frozen=True)
class PackageList:
    """The entries in the phone's order, or the refusal (e.g. a locked user) instead."""

    entries: tuple[PackageListEntry, ...] = ()
    error: ShellError | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(entry.package for entry in self.entries)

    def get(self, package: str) -> PackageListEntry | None:
        for entry in self.entries:
            if entry.package == package:
                return entry
        return None


def parse_pm_list_packages(text: RawText) -> PackageList:
    """Entries of `pm list packages …`; lines that are not `package:` lines are skipped."""
    entries: list[PackageListEntry] = []
    for line in lines(text):
        entry = _parse_line(line)
        if entry is not None:
            entries.append(entry)
    error = None if entries else parse_shell_error(text)
    return PackageList(entries=tuple(entries), error=error)


def _parse_line(line: str) -> PackageListEntry | None:
    text = line.strip()
    if not text.startswith("package:"):
        return None
    rest = text[len("package:") :]
    # Suffix tokens are read from the right, so a source dir with spaces or `=` stays whole.
    tokens = list(_TOKEN.finditer(rest))
    suffixes: list[tuple[str, str]] = []
    head_end = len(rest)
    for token in reversed(tokens[1:]):
        item = _TAIL_ITEM.fullmatch(token.group())
        if item is None:
            break
        suffixes.append((item.group(1), item.group(2)))
        head_end = token.start()
    path, _, package = rest[:head_end].strip().rpartition("=")
    if not package:
        return None
    version_code: int | None = None
    installer: str | None = None
    uids: tuple[int, ...] = ()
    for key, value in reversed(suffixes):
        if key == "versionCode:":
            version_code = to_int(value)
        elif key == "installer=":
            installer = None if value in ("", "null") else value
        else:
            uids = tuple(
                uid for uid in (to_int(part) for part in value.split(",")) if uid is not None
            )
    return PackageListEntry(
        package=package, path=path, version_code=version_code, installer=installer, uids=uids
    )
