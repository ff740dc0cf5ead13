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

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardener.device.transport.spec import parse_spec
from hardener.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

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


def _fail(path: Path, key: str, message: str, expected: str) -> InputError:
    return InputError(f"{path}: {key}: {message}", hint=f"expected {expected}")


def _unknown(path: Path, where: str, table: Mapping[str, Any], known: set[str]) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise _fail(path, f"{where}{extra[0]}", "unknown key", f"one of {', '.join(sorted(known))}")


def _profile_ref(path: Path, value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(path, key, f"{value!r} is not a profile", "a profile file or a bundled name")
    candidate = (path.parent / value).expanduser()
    return str(candidate.resolve()) if value.endswith(".toml") or candidate.exists() else value


def _device(path: Path, value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, key, f"{value!r} is not a device", "a serial or a --device spec")
    value = value.strip()
    if ":" in value:
        try:
            parse_spec(value)
        except InputError as error:
            raise _fail(
                path, key, error.message, "usb:SERIAL, HOST:PORT, tcp:HOST:PORT, server:SERIAL"
            ) from None
    return value


def load_inventory(path: Path) -> Inventory:
    """Read and check an inventory; raises InputError (exit 2) naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such inventory file", hint="give the path to an inventory .toml"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"{path}: not valid TOML: {error}", hint="fix the syntax at that line"
        ) from None
    _unknown(path, "", data, _TOP)
    defaults = data.get("defaults", {})
    _unknown(path, "defaults.", defaults, _DEFAULTS)
    default_profile = (
        _profile_ref(path, defaults["profile"], "defaults.profile")
        if "profile" in defaults
        else None
    )
    auth_timeout = defaults.get("auth_timeout", 10.0)
    if not isinstance(auth_timeout, (int, float)) or auth_timeout < 0:
        raise _fail(path, "defaults.auth_timeout", f"{auth_timeout!r}", "seconds, 0 or more")
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        raise _fail(path, "groups", "no [[groups]]", "at least one [[groups]] with devices")
    groups = []
    names: set[str] = set()
    for index, raw in enumerate(raw_groups):
        where = f"groups[{index}]"
        _unknown(path, f"{where}.", raw, _GROUP)
        name = raw.get("name", f"group {index + 1}")
        if name in names:
            raise _fail(path, f"{where}.name", f"{name!r} is used twice", "a unique group name")
        names.add(name)
        if "profile" in raw:
            profile = _profile_ref(path, raw["profile"], f"{where}.profile")
        elif default_profile:
            profile = default_profile
        else:
            raise _fail(path, f"{where}.profile", "no profile", "a profile here or in [defaults]")
        devices = raw.get("devices")
        if devices == ALL:
            groups.append(Group(name, profile, None))
            continue
        if not isinstance(devices, list) or not devices:
            raise _fail(
                path, f"{where}.devices", f"{devices!r}", 'a list of serials/specs, or "all"'
            )
        groups.append(
            Group(
                name,
                profile,
                tuple(_device(path, d, f"{where}.devices[{i}]") for i, d in enumerate(devices)),
            )
        )
    overrides = {}
    for device, raw in data.get("overrides", {}).items():
        _unknown(path, f"overrides.{device}.", raw, _OVERRIDE)
        profile = (
            _profile_ref(path, raw["profile"], f"overrides.{device}.profile")
            if "profile" in raw
            else None
        )
        skip = raw.get("skip", False)
        if not isinstance(skip, bool):
            raise _fail(path, f"overrides.{device}.skip", f"{skip!r}", "true or false")
        overrides[device] = Override(profile, skip)
    _check_identities(path, groups, overrides)
    return Inventory(path, tuple(groups), overrides, float(auth_timeout))


def _check_identities(path: Path, groups: list[Group], overrides: Mapping[str, Override]) -> None:
    """Overrides go by the phone, not its spelling: two overrides for one phone, or one for a
    phone no group lists (when no group takes "all"), are errors."""
    from hardener.fleet.identity import identity

    listed = {identity(d) for g in groups for d in g.devices or ()}
    every = any(g.devices is None for g in groups)
    seen: dict[str, str] = {}
    for device in overrides:
        phone = identity(device)
        if phone in seen:
            raise _fail(
                path, f'overrides."{device}"', f'the same phone as [overrides."{seen[phone]}"]',
                "one override per phone",
            )  # fmt: skip
        seen[phone] = device
        if phone not in listed and not every:
            raise _fail(
                path, f'overrides."{device}"', "this phone is in no group",
                "a device listed in a [[groups]] devices list (any spelling: "
                "127.0.0.1:5555 = tcp:127.0.0.1:5555 = localhost:5555), or a group with "
                'devices = "all"',
            )  # fmt: skip
