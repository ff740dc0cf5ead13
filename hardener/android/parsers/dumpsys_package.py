"""`dumpsys package [PKG]` (and `pm dump PKG`): what each package is, asks for and holds.

Only three sections matter and the rest (resolver tables, features, dexopt, …) is skipped:
* `Packages:` and `Hidden system packages:` hold `Package [<name>] (<hash>):` blocks: package
  fields (`userId=`/`appId=`, `versionCode=… minSdk=… targetSdk=…`, `flags=[ … ]`, …), the
  `requested permissions:`, `install permissions:` and `declared permissions:` lists, and one
  `User <n>:` block per user with its state fields and `runtime permissions:`;
* `Shared users:` holds `SharedUser [<name>] (<hash>):` blocks. Packages with `sharedUser=`
  print their runtime grants there instead of in their own `User <n>:` blocks, so those
  grants are copied onto each member package (marked `runtime_from_shared_user`).

Structure is read from relative indentation (spaces or tabs), never from absolute columns,
and list items are whatever sits deeper than their header. Flags are split on spaces and `|`
alike (`[ A B ]` on Android ≤ 9, `[ A|B]` from 10). A missing package prints
`Unable to find package: X`, which is reported in `not_found` and never confused with a
package that has no permissions. Written for speed: whole-device dumps run to tens of MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise

from hardener.android.parsers.text import RawText, to_bool, to_int, to_text
from hardener.core.records import Permission

_PER_USER_UID = 100_000  # UserHandle.PER_USER_RANGE

_SECTIONS = {
    "Packages:": "packages",
    "Hidden system packages:": "hidden",
    "Shared users:": "shared",
}
_LIST_HEADERS = {
    "runtime permissions:": "runtime",
    "install permissions:": "install",
    "grantedPermissions:": "install",  # Android ≤ 5 printed granted install permissions so
    "requested permissions:": "requested",
    "declared permissions:": "declared",
}
# Keys whose value is the rest of the line (free text, dates with spaces, paths, objects).
_WHOLE_LINE_KEYS = frozenset(
    {
        "versionName",
        "codePath",
        "resourcePath",
        "legacyNativeLibraryDir",
        "dataDir",
        "timeStamp",
        "firstInstallTime",
        "lastUpdateTime",
        "signatures",
        "pkg",
        "sharedUser",
        "applicationInfo",
        "installerPackageName",
        "installerAttributionTag",
        "initiatingPackageName",
        "originatingPackageName",
        "volumeUuid",
        "appMetadataFilePath",
        "overlayTarget",
        "overlayCategory",
    }
)
_KEY = re.compile(r"(?:^|(?<=\s))([A-Za-z_][\w.\-]*)=")
_USER_LINE = re.compile(r"User (-?[0-9]{1,12}):\s*(.*)")
_SHARED_USER = re.compile(r"SharedUserSetting\{\S+ (.+)/(-?[0-9]{1,12})\}")
_MEMBER = re.compile(r"PackageSetting\{\S+ ([^/\s}]+)")
_FLAG_SPLIT = re.compile(r"[\s|]+")
_INTS = re.compile(r"-?[0-9]{1,12}")

_TOP_LEVEL = re.compile(r"\n(?=[^ \t\n])")
_MARKERS = ("Package [", "SharedUser [", "Unable to find package:")

# Settings.dumpPackageLPr prints "Suspend params:" with the `User N:` line's indent, then the
# params, gids and runtime permissions of that same user one level deeper.
_IN_USER_HEADERS = ("Suspend params:",)

_Grant = tuple[Permission, "int | None"]


@dataclass(frozen=True)
class PackageUser:
    """One `User <n>:` block of a package: its state fields and runtime permissions."""

    user: int
    fields: Mapping[str, str] = field(default_factory=dict)
    runtime_permissions: Mapping[str, Permission] = field(default_factory=dict)
    runtime_from_shared_user: bool = False  # grants copied from the `Shared users:` section
    gids: tuple[int, ...] = ()

    @property
    def installed(self) -> bool | None:
        return to_bool(self.fields.get("installed"))

    @property
    def hidden(self) -> bool | None:
        return to_bool(self.fields.get("hidden"))

    @property
    def suspended(self) -> bool | None:
        return to_bool(self.fields.get("suspended"))

    @property
    def stopped(self) -> bool | None:
        return to_bool(self.fields.get("stopped"))

    @property
    def not_launched(self) -> bool | None:
        return to_bool(self.fields.get("notLaunched"))

    @property
    def enabled(self) -> int | None:
        """COMPONENT_ENABLED_STATE_*: 0 default, 1 enabled, 2 disabled, 3 disabled-user, 4 …"""
        return to_int(self.fields.get("enabled"))


@dataclass(frozen=True)
class PackageDump:
    """One `Package [<name>]` block. `fields` keeps every `key=value` of the block exactly."""

    name: str
    fields: Mapping[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    private_flags: frozenset[str] = frozenset()
    pkg_flags: frozenset[str] = frozenset()
    requested_permissions: tuple[str, ...] = ()
    restricted_permissions: frozenset[str] = frozenset()  # requested lines marked restricted
    install_permissions: Mapping[str, Permission] = field(default_factory=dict)
    # Android 12+ prints an install permission again with `, userId=<n>` where a user differs.
    install_permission_overrides: Mapping[int, Mapping[str, Permission]] = field(
        default_factory=dict
    )
    declared_permissions: Mapping[str, str] = field(default_factory=dict)  # name -> prot=
    users: Mapping[int, PackageUser] = field(default_factory=dict)
    # Whether the block printed a `requested permissions:` list. Up to Android 9 a
    # whole-device dump prints none (`Settings.dumpPackageLPr` shows it only with `dumpAll`,
    # which is set for a single-package dump), and a shared-user member prints no install
    # permissions either: see `requested`.
    requested_listed: bool = False
    install_from_shared_user: bool = False  # install grants copied from `Shared users:`

    @property
    def requested(self) -> tuple[str, ...]:
        """What the app asks for: the `requested permissions:` list when printed, else every
        permission it holds a state for (install grants, which on Android ≤ 9 include a
        legacy app's dangerous permissions, then each user's runtime grants). The second is
        a lower bound: a runtime permission never granted and never flagged has no state."""
        if self.requested_listed:
            return self.requested_permissions
        names = dict.fromkeys(self.install_permissions)
        for overrides in self.install_permission_overrides.values():
            names.update(dict.fromkeys(overrides))
        for user in self.users.values():
            names.update(dict.fromkeys(user.runtime_permissions))
        return tuple(names)

    @property
    def app_id(self) -> int | None:
        """`userId=` (≤ ~11) or `appId=` (newer): the per-user-independent app id."""
        return to_int(self.fields.get("appId", self.fields.get("userId")))

    def uid(self, user: int) -> int | None:
        app_id = self.app_id
        return None if app_id is None else user * _PER_USER_UID + app_id

    @property
    def shared_user(self) -> str | None:
        match = _SHARED_USER.search(self.fields.get("sharedUser", ""))
        return match.group(1) if match else None

    @property
    def version_code(self) -> int | None:
        return to_int(self.fields.get("versionCode"))

    @property
    def version_name(self) -> str:
        return self.fields.get("versionName", "")

    @property
    def min_sdk(self) -> int | None:
        return to_int(self.fields.get("minSdk"))

    @property
    def target_sdk(self) -> int | None:
        return to_int(self.fields.get("targetSdk"))

    @property
    def installer(self) -> str | None:
        value = self.fields.get("installerPackageName")
        return None if value in (None, "", "null") else value

    @property
    def code_path(self) -> str:
        return self.fields.get("codePath", "")

    @property
    def system(self) -> bool:
        return "SYSTEM" in self.flags or "SYSTEM" in self.pkg_flags


@dataclass(frozen=True)
class SharedUserDump:
    """One `SharedUser [<name>]` block: the grants shared by every member package."""

    name: str
    fields: Mapping[str, str] = field(default_factory=dict)
    packages: tuple[str, ...] = ()
    install_permissions: Mapping[str, Permission] = field(default_factory=dict)
    runtime_permissions: Mapping[int, Mapping[str, Permission]] = field(default_factory=dict)

    @property
    def app_id(self) -> int | None:
        return to_int(self.fields.get("appId", self.fields.get("userId")))


@dataclass(frozen=True)
class PackageDumpResult:
    """Everything read from one dump. `not_found` lists `Unable to find package:` answers."""

    packages: Mapping[str, PackageDump] = field(default_factory=dict)
    hidden_system_packages: Mapping[str, PackageDump] = field(default_factory=dict)
    shared_users: Mapping[str, SharedUserDump] = field(default_factory=dict)
    not_found: tuple[str, ...] = ()

    def get(self, package: str) -> PackageDump | None:
        return self.packages.get(package)


def parse_dumpsys_package(text: RawText) -> PackageDumpResult:
    """Parse a single-package or whole-device `dumpsys package` output."""
    packages: dict[str, PackageDump] = {}
    hidden: dict[str, PackageDump] = {}
    shared: dict[str, SharedUserDump] = {}
    not_found: list[str] = []
    section = ""
    block: _Block | None = None
    memo = _grants_memo()

    def finish() -> None:
        nonlocal block
        if block is None:
            return
        if block.kind == "shared":
            shared.setdefault(block.name, block.shared_user())
        else:
            target = hidden if block.kind == "hidden" else packages
            target.setdefault(block.name, block.package())
        block = None

    for line in _relevant_lines(to_text(text)):
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if block is not None and indent > block.indent:
            block.feed(stripped, indent)
            continue
        head = stripped[:1]
        if head == "P" and stripped.startswith("Package ["):
            finish()
            kind = "hidden" if section == "hidden" else "package"
            block = _Block(kind, _bracketed(stripped), indent, memo)
        elif head == "S" and stripped.startswith("SharedUser ["):
            finish()
            block = _Block("shared", _bracketed(stripped), indent, memo)
        elif stripped in _SECTIONS:
            finish()
            section = _SECTIONS[stripped]
        elif stripped.startswith("Unable to find package:"):
            finish()
            name = stripped[len("Unable to find package:") :].strip()
            if name:
                not_found.append(name)
        elif indent == 0 or block is not None:
            finish()
            if stripped.endswith(":"):
                section = "other"
    finish()
    _attach_shared_grants(packages, shared)
    _attach_shared_grants(hidden, shared)
    return PackageDumpResult(
        packages=packages,
        hidden_system_packages=hidden,
        shared_users=shared,
        not_found=tuple(not_found),
    )


# Permission lines repeat across packages, across the dumps of one run and across the phones
# of a fleet (`android.permission.INTERNET: granted=true`): each distinct line is parsed
# once per process. Bounded; cleared when full (dict operations are atomic under the GIL, and
# a lost entry is only parsed again).
class _GrantMemo(dict[str, "_Grant | None"]):
    """`memo[line]` is the parsed grant, parsed on first sight (`__missing__`)."""

    def __missing__(self, line: str) -> _Grant | None:
        grant = self[line] = _permission(line)
        return grant


_GRANTS = _GrantMemo()
_GRANTS_MAX = 16_384


def _grants_memo() -> _GrantMemo:
    if len(_GRANTS) > _GRANTS_MAX:
        _GRANTS.clear()
    return _GRANTS


def _relevant_lines(text: str) -> Iterator[str]:
    """Lines of the top-level sections that can hold packages; other sections give only
    their header line, so the state machine still sees where they begin (speed: resolver
    tables and the like are most of a whole-device dump)."""
    starts = [0] + [match.end() for match in _TOP_LEVEL.finditer(text)] + [len(text)]
    for begin, end in pairwise(starts):
        if begin >= end:
            continue
        chunk = text[begin:end]
        newline = chunk.find("\n")
        header = chunk if newline < 0 else chunk[:newline]
        if header.strip() in _SECTIONS or any(marker in chunk for marker in _MARKERS):
            yield from chunk.split("\n")
        else:
            yield header


def _bracketed(line: str) -> str:
    start = line.find("[") + 1
    end = line.find("]", start)
    return line[start:end] if end > start else line[start:].strip()


class _UserBuilder:
    __slots__ = ("fields", "gids", "indent", "runtime", "user")

    def __init__(self, user: int, indent: int) -> None:
        self.user = user
        self.indent = indent
        self.fields: dict[str, str] = {}
        self.runtime: dict[str, Permission] = {}
        self.gids: tuple[int, ...] = ()


class _Block:
    """Mutable state while one `Package [` / `SharedUser [` block is being read."""

    def __init__(self, kind: str, name: str, indent: int, memo: _GrantMemo) -> None:
        self.memo = memo  # identical permission lines repeat across packages: parse each once
        self.kind = kind
        self.name = name
        self.indent = indent
        self.fields: dict[str, str] = {}
        self.requested: list[str] = []
        self.requested_listed = False
        self.restricted: set[str] = set()
        self.install: dict[str, Permission] = {}
        self.install_overrides: dict[int, dict[str, Permission]] = {}
        self.declared: dict[str, str] = {}
        self.members: list[str] = []
        self.users: dict[int, _UserBuilder] = {}
        self.user: _UserBuilder | None = None
        self.list_kind = ""
        self.list_indent = -1

    def feed(self, line: str, indent: int) -> None:
        if self.list_kind:
            if indent > self.list_indent:
                self._list_item(line)
                return
            self.list_kind = ""
        user = self.user
        if user is not None and indent <= user.indent:
            if indent == user.indent and line.startswith(_IN_USER_HEADERS):
                return  # printed at the user line's indent, yet part of that user's block
            user = self.user = None
        if line.startswith("User "):
            match = _USER_LINE.match(line)
            user_id = to_int(match.group(1)) if match else None
            if match is not None and user_id is not None:
                user = self.users.get(user_id)
                if user is None:
                    user = self.users[user_id] = _UserBuilder(user_id, indent)
                user.indent = indent
                self.user = user
                _read_pairs(match.group(2), user.fields)
                return
        if line[-1] == ":" and "=" not in line:
            self.list_kind = _LIST_HEADERS.get(line, "other")
            self.list_indent = indent
            if self.list_kind == "requested":
                self.requested_listed = True
            return
        if line == "Packages":  # shared users list their member packages under this
            self.list_kind = "members"
            self.list_indent = indent
            return
        target = user.fields if user is not None else self.fields
        if "=" in line:
            _read_pairs(line, target)
            if user is not None and line.startswith("gids="):
                user.gids = _ints(target.get("gids", ""))
        else:
            key, sep, value = line.partition(": ")
            if sep and key and " " not in key:
                target.setdefault(key, value)

    def _list_item(self, line: str) -> None:
        kind = self.list_kind
        if kind == "runtime":
            permission = self.memo[line]
            if permission is not None and self.user is not None:
                self.user.runtime.setdefault(permission[0].name, permission[0])
        elif kind == "install":
            permission = self.memo[line]
            if permission is None:  # Android ≤ 5: bare names of granted permissions
                name = line.split()[0]
                permission = (Permission(name=name, granted=True), None)
            granted, for_user = permission
            if for_user is None or for_user == 0:
                self.install.setdefault(granted.name, granted)
            else:
                self.install_overrides.setdefault(for_user, {})[granted.name] = granted
        elif kind == "requested":
            name = _FLAG_SPLIT.split(line.replace(":", " ").replace(",", " "), 1)[0]
            if name:
                self.requested.append(name)
                if "restricted=true" in line:
                    self.restricted.add(name)
        elif kind == "declared":
            name, sep, rest = line.partition(":")
            if sep:
                prot = rest.strip()
                if prot.startswith("prot="):
                    prot = prot[5:]
                self.declared.setdefault(name.strip(), prot.split(",", 1)[0].strip())
        elif kind == "members":
            match = _MEMBER.search(line)
            if match:
                self.members.append(match.group(1))

    def package(self) -> PackageDump:
        return PackageDump(
            name=self.name,
            fields=self.fields,
            flags=_flags(self.fields.get("flags")),
            private_flags=_flags(self.fields.get("privateFlags")),
            pkg_flags=_flags(self.fields.get("pkgFlags")),
            requested_permissions=tuple(self.requested),
            restricted_permissions=frozenset(self.restricted),
            install_permissions=self.install,
            install_permission_overrides=self.install_overrides,
            declared_permissions=self.declared,
            requested_listed=self.requested_listed,
            users={
                user_id: PackageUser(
                    user=user_id,
                    fields=user.fields,
                    runtime_permissions=user.runtime,
                    gids=user.gids,
                )
                for user_id, user in self.users.items()
            },
        )

    def shared_user(self) -> SharedUserDump:
        return SharedUserDump(
            name=self.name,
            fields=self.fields,
            packages=tuple(self.members),
            install_permissions=self.install,
            runtime_permissions={
                user_id: user.runtime for user_id, user in self.users.items() if user.runtime
            },
        )


def _read_pairs(text: str, into: dict[str, str]) -> None:
    """`a=1 b=two c=x y` -> a, b, c; whole-line keys and `[…]`/`{…}` values keep the rest."""
    eq = text.find("=")
    if eq <= 0:
        return
    first = text[:eq].strip()
    value = text[eq + 1 :]
    if first in _WHOLE_LINE_KEYS or value[:1] in ("[", "{") or " " not in value:
        if " " not in first:
            into.setdefault(first, value.strip())
        return
    keys = list(_KEY.finditer(text))
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(text)
        into.setdefault(match.group(1), text[match.end() : end].strip())


def _permission(line: str) -> _Grant | None:
    """`name: granted=true[, flags=[ A|B]][, userId=10]` -> (Permission, userId or None)."""
    at = line.find(": granted=")
    if at <= 0:
        return None
    name = line[:at].strip()
    rest = line[at + 10 :]
    granted = rest[:4].lower() == "true"
    flags: frozenset[str] = frozenset()
    start = rest.find("flags=[")
    if start >= 0:
        end = rest.find("]", start + 7)
        inner = rest[start + 7 : end if end >= 0 else len(rest)]
        flags = frozenset(token for token in _FLAG_SPLIT.split(inner) if token)
    for_user = None
    at_user = rest.find("userId=")
    if at_user >= 0:
        for_user = to_int(rest[at_user + 7 :].split(",", 1)[0])
    return Permission(name=name, granted=granted, flags=flags), for_user


def _flags(value: str | None) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(token for token in _FLAG_SPLIT.split(value.strip("[] ")) if token)


def _ints(value: str) -> tuple[int, ...]:
    return tuple(int(number) for number in _INTS.findall(value))


def _attach_shared_grants(
    packages: dict[str, PackageDump], shared: Mapping[str, SharedUserDump]
) -> None:
    """Copy a shared user's grants onto member packages that printed none of their own:
    runtime grants per user, and (when the member printed no install permissions, as in
    a whole-device dump) the shared install grants."""
    for name, package in packages.items():
        owner = shared.get(package.shared_user or "")
        if owner is None:
            continue
        if owner.install_permissions and not package.install_permissions:
            package = packages[name] = replace(
                package,
                install_permissions=owner.install_permissions,
                install_from_shared_user=True,
            )
        if not owner.runtime_permissions:
            continue
        users = dict(package.users)
        for user_id, grants in owner.runtime_permissions.items():
            current = users.get(user_id) or PackageUser(user=user_id)
            if current.runtime_permissions:
                continue
            users[user_id] = PackageUser(
                user=user_id,
                fields=current.fields,
                runtime_permissions=grants,
                runtime_from_shared_user=True,
                gids=current.gids,
            )
        packages[name] = replace(package, users=users)
