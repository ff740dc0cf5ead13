"""The fleet inventory: which phones get which profile, read from a small TOML file.

    [defaults]
    profile = "default"          # for groups that name none (a file or a bundled name)
    auth_timeout = 10            # seconds to wait for "Allow" on a phone that asks

    [[groups]]
    name = "sales"
    profile = "company.toml"     # relative to this file
    devices = ["R58M12ABCDE", "192.168.1.20:5555", "server:emulator-5554"]

    [[groups]]
    name = "the rest"
    devices = "all"              # every phone this computer reaches

    [overrides."R58M12ABCDE"]    # per phone: another profile, or skip it
    profile = "strict"
    skip = false

A device is a `--device` spec or a bare serial; a bare serial is reached through the adb
server when one runs (it owns USB), else directly over USB. Errors name the file, the key
and what would be accepted, like profile errors.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardener.core.options import MAX_AUTH_TIMEOUT
from hardener.device.transport.spec import parse_spec
from hardener.errors import InputError
from hardener.profile.locate import KeyLocator, KeyPath
from hardener.profile.problems import Problem, Problems, ProfileError, one_of, suggest

ALL = "all"
_TOP = {"defaults", "groups", "overrides"}
_DEFAULTS = {"profile", "auth_timeout"}
_GROUP = {"name", "profile", "devices"}
_OVERRIDE = {"profile", "skip"}


@dataclass(frozen=True)
class Group:
    name: str
    profile: str
    devices: tuple[str, ...] | None  # None: every reachable phone


@dataclass(frozen=True)
class Override:
    profile: str | None = None
    skip: bool = False


@dataclass(frozen=True)
class Inventory:
    path: Path
    groups: tuple[Group, ...]
    overrides: Mapping[str, Override] = field(default_factory=dict)
    auth_timeout: float = 10.0


class InventoryError(ProfileError):
    """An inventory cannot be used; carries every problem found, each with file, line and
    key path (exit 2), like a profile's."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(
            problems, hint="fix the inventory; `hardener fleet --help` shows one", what="inventory"
        )


def _is_seconds(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


class _Reader:
    """Checks one inventory, collecting every problem before giving up."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.problems = Problems(str(path), KeyLocator(text))

    def table(self, value: Any, key: KeyPath, known: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.problems.error(key, f"{value!r} is not a table", "a table")
            return {}
        for extra in sorted(set(value) - known):
            self.problems.error(
                (*key, extra), "unknown key" + suggest(extra, known), one_of(sorted(known))
            )
        return value

    def profile_ref(self, value: Any, key: KeyPath) -> str | None:
        if not isinstance(value, str) or not value.strip() or has_control(value):
            self.problems.error(
                key, f"{value!r} is not a profile", "a profile file or a bundled name"
            )
            return None
        candidate = (self.path.parent / value).expanduser()
        return str(candidate.resolve()) if value.endswith(".toml") or candidate.exists() else value

    def device(self, value: Any, key: KeyPath) -> str | None:
        if not isinstance(value, str) or not value.strip() or has_control(value):
            self.problems.error(key, f"{value!r} is not a device", "a serial or a --device spec")
            return None
        spec = value.strip()
        if ":" in spec:
            try:
                parse_spec(spec)
            except InputError as error:
                self.problems.error(
                    key, error.message, "usb:SERIAL, HOST:PORT, tcp:HOST:PORT, server:SERIAL"
                )
                return None
        return spec


def has_control(text: str) -> bool:
    """A control character (a newline, an escape) has no place in a name or a path."""
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def load_inventory(path: Path) -> Inventory:
    """Read and check an inventory; raises InventoryError (exit 2) naming every problem with
    its file, line and key path."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM is accepted, as in profiles
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such inventory file", hint="give the path to an inventory .toml"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the inventory: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"{path}: not valid TOML: {error}", hint="fix the syntax at that line"
        ) from None
    reader = _Reader(path, text)
    problems = reader.problems
    top = reader.table(data, (), _TOP)
    defaults = reader.table(top.get("defaults", {}), ("defaults",), _DEFAULTS)
    default_profile = (
        reader.profile_ref(defaults["profile"], ("defaults", "profile"))
        if "profile" in defaults
        else None
    )
    auth_timeout = defaults.get("auth_timeout", 10.0)
    if not _is_seconds(auth_timeout) or auth_timeout > MAX_AUTH_TIMEOUT:
        problems.error(
            ("defaults", "auth_timeout"),
            f"{auth_timeout!r}",
            f"a number of seconds from 0 to {MAX_AUTH_TIMEOUT:g} (e.g. 10)",
        )
        auth_timeout = 10.0
    raw_groups = top.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        problems.error(("groups",), "no [[groups]]", "at least one [[groups]] with devices")
        raw_groups = []
    groups = []
    names: set[str] = set()
    for index, raw_group in enumerate(raw_groups):
        where: KeyPath = ("groups", index)
        raw = reader.table(raw_group, where, _GROUP)
        if not raw:
            continue
        name = raw.get("name", f"group {index + 1}")
        if not isinstance(name, str) or has_control(name):
            problems.error((*where, "name"), f"{name!r} is not a name", "a short text")
            continue
        if name in names:
            problems.error((*where, "name"), f"{name!r} is used twice", "a unique group name")
        names.add(name)
        if "profile" in raw:
            profile = reader.profile_ref(raw["profile"], (*where, "profile"))
        elif default_profile:
            profile = default_profile
        else:
            problems.error((*where, "profile"), "no profile", "a profile here or in [defaults]")
            profile = None
        devices = raw.get("devices")
        if devices == ALL:
            if profile:
                groups.append(Group(name, profile, None))
            continue
        if not isinstance(devices, list) or not devices:
            problems.error((*where, "devices"), f"{devices!r}", 'a list of serials/specs, or "all"')
            continue
        specs = [reader.device(d, (*where, "devices", i)) for i, d in enumerate(devices)]
        if profile and all(specs):
            groups.append(Group(name, profile, tuple(s for s in specs if s)))
    overrides = {}
    given = top.get("overrides", {})
    raw_overrides = reader.table(
        given, ("overrides",), set(given) if isinstance(given, dict) else set()
    )
    for device, raw_override in raw_overrides.items():
        where = ("overrides", device)
        raw = reader.table(raw_override, where, _OVERRIDE)
        profile = (
            reader.profile_ref(raw["profile"], (*where, "profile")) if "profile" in raw else None
        )
        skip = raw.get("skip", False)
        if not isinstance(skip, bool):
            problems.error((*where, "skip"), f"{skip!r}", "true or false")
            continue
        overrides[device] = Override(profile, skip)
    _check_identities(problems, groups, overrides)
    if problems.errors:
        raise InventoryError(problems.errors)
    return Inventory(path, tuple(groups), overrides, float(auth_timeout))


def inventory_profiles(inventory: Inventory) -> list[str]:
    """Every profile the inventory names (groups, then overrides), each once, in order."""
    refs = [group.profile for group in inventory.groups]
    refs += [o.profile for o in inventory.overrides.values() if o.profile and not o.skip]
    return list(dict.fromkeys(refs))


def _check_identities(
    problems: Problems, groups: list[Group], overrides: Mapping[str, Override]
) -> None:
    """Overrides go by the phone, not its spelling: two overrides for one phone, or one for a
    phone no group lists (when no group takes "all"), are errors."""
    from hardener.fleet.identity import identity

    listed = {identity(d) for g in groups for d in g.devices or ()}
    every = any(g.devices is None for g in groups)
    seen: dict[str, str] = {}
    for device in overrides:
        phone = identity(device)
        where = ("overrides", device)
        if phone in seen:
            problems.error(
                where, f'the same phone as [overrides."{seen[phone]}"]', "one override per phone"
            )
            continue
        seen[phone] = device
        if phone not in listed and not every:
            problems.error(
                where, "this phone is in no group",
                "a device listed in a [[groups]] devices list (any spelling: "
                "127.0.0.1:5555 = tcp:127.0.0.1:5555 = localhost:5555), or a group with "
                'devices = "all"',
            )  # fmt: skip
