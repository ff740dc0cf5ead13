"""Checks a persona file before a virtual phone is built from it, reporting every problem.

The same machinery as `hardener profile check` and the fleet inventory: each problem names
the file, the line, the key path (`apps[2].state.grants.CAMERA`), what is wrong and what
would be accepted, and all of them are reported at once (`PersonaError`, exit 2). The
builder in `persona.py` keeps its own checks as a backstop; this pass covers every key and
type it reads, so a file this accepts builds.

Pure: text in, tables or problems out (no file access).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hardener.android.parsers.durations import parse_duration_ms
from hardener.profile.locate import KeyLocator, KeyPath
from hardener.profile.problems import Problem, Problems, ProfileError, one_of, suggest
from hardener.sim.android import generate
from hardener.sim.android import platform as pf
from hardener.sim.android import zen as zn

MIN_SDK, MAX_SDK = 23, 36
MAX_ORDINARY_APPS = 5000  # a benchmark phone carries 300; more is a typo
MAX_APP_ID = 99_999  # uid = user * 100000 + app id

TOP_KEYS = ("device", "props", "users", "settings", "apps", "power", "system", "zen", "behaviours")
DEVICE_TEXT_KEYS = (
    "description",
    "release",
    "manufacturer",
    "brand",
    "model",
    "name",
    "device",
    "serial",
    "fingerprint",
    "build_id",
    "incremental",
    "security_patch",
    "timezone",
    "rom",
    "rom_version",
    "system_set",
    "region",
    "hardware",
)
DEVICE_KEYS = (
    *DEVICE_TEXT_KEYS,
    "sdk",
    "current_user",
    "ordinary_apps",
    "seed",
    "usb_debugging_security_settings",
    "vendor_ops",
)
REGIONS = ("global", "cn")
USER_KEYS = ("id", "name", "flags", "running", "shell_restricted", "parent")
APP_KEYS = (
    "package",
    "version_name",
    "version_code",
    "target_sdk",
    "min_sdk",
    "installer",
    "system",
    "users",
    "app_id",
    "requested",
    "battery_exempt",
    "notification_listeners",
    "accessibility_services",
    "state",
    "user",
    "auto_flags",
    "accessed",
)
STATE_KEYS = (
    "grants",
    "bucket",
    "stopped",
    "suspended",
    "enabled",
    "running",
    "uid_ops",
    "package_ops",
    "installed",
    "not_launched",
    "hidden",
)
STATE_FLAGS = ("stopped", "suspended", "running", "installed", "not_launched", "hidden")
ZEN_KEYS = (
    "mode",
    "calls_from",
    "messages_from",
    "repeat_callers",
    "alarms",
    "media",
    "system",
    "events",
    "reminders",
    "contacts",
    "starred",
    "rules",
)
ZEN_FLAGS = ("repeat_callers", "alarms", "media", "system", "events", "reminders")
ZEN_RULE_KEYS = ("id", "name", "mode", "active", "enabled")
BEHAVIOUR_KEYS = ("package", "user", "opens", "session", "reads")
READ_KEYS = ("op", "every", "daily", "on_open", "flags", "duration")

# PackageManager's rule for a package name: two or more dotted Java-ish segments.
_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")
# A component class: `.Relative` or a full dotted class name.
_COMPONENT = re.compile(r"\.?[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*")
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_HINT = "fix the persona; hardener/sim/android/personas/README.md describes every key"


class PersonaError(ProfileError):
    """A persona cannot be used; carries every problem found, each with file, line and key
    path (exit 2), like a profile's."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, hint=_HINT, what="persona")


def parse_persona(text: str, file: str, *, apps: int | None = None) -> dict[str, Any]:
    """A persona's TOML text -> its tables, checked; raises PersonaError naming every
    problem (a syntax error with its line). `apps` is `load_persona`'s count of
    third-party apps (it decides which generated apps exist)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_AT.search(message)
        line = int(found.group(1)) if found else None
        if found:
            message = f"{message[: found.start()]} (column {found.group(2)})"
        problem = Problem(file, "", line, f"not valid TOML: {message}", "fix the syntax there")
        raise PersonaError([problem]) from None
    problems = check_persona(data, Problems(file, _LazyLocator(text)), apps=apps)
    if problems.errors:
        raise PersonaError(sorted(problems.errors, key=lambda p: p.line or 0))
    return data


class _LazyLocator(KeyLocator):
    """Finds lines only when there is a problem to place: a good persona (every test loads
    several) skips the scan, which costs more than the check itself."""

    def __init__(self, text: str) -> None:  # the real locator is made on first use
        self._text = text
        self._found: KeyLocator | None = None

    def line_of(self, path: KeyPath) -> int | None:
        if self._found is None:
            self._found = KeyLocator(self._text)
        return self._found.line_of(path)


def check_persona(
    data: Mapping[str, Any], problems: Problems, *, apps: int | None = None
) -> Problems:
    """Every problem of a parsed persona, added to `problems` (which is returned)."""
    _Checker(data, problems, apps).check()
    return problems


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, data: Mapping[str, Any], problems: Problems, apps: int | None) -> None:
        self.data = data
        self.problems = problems
        self.apps = apps
        self.sdk: int | None = None
        self.ops: pf.OpTable | None = None
        self.rom_set: str | None = None
        self.user_ids: set[int] = {0}
        self.named: dict[str, bool] = {}  # package -> system

    # ---- generic checks ----------------------------------------------------------------

    def error(self, path: KeyPath, message: str, expected: str = "") -> None:
        self.problems.error(path, message, expected)

    def table(self, value: Any, path: KeyPath, known: Sequence[str] | None) -> dict[str, Any]:
        """`value` as a table (else an error and {}); unknown keys are errors."""
        if not isinstance(value, dict):
            self.error(path, f"must be a table, not {_shown(value)}", "a table, e.g. [section]")
            return {}
        if known is not None:
            for extra in value:
                if extra not in known:
                    self.error(
                        (*path, extra),
                        f"unknown key {extra!r}" + suggest(extra, known),
                        one_of(sorted(known)),
                    )
        return value

    def sub(
        self, table: Mapping[str, Any], key: str, path: KeyPath, known: Sequence[str] | None
    ) -> dict[str, Any]:
        return self.table(table[key], (*path, key), known) if key in table else {}

    def array(self, table: Mapping[str, Any], key: str, path: KeyPath) -> list[Any]:
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error((*path, key), f"must be a list, not {_shown(value)}", "a list [...]")
            return []
        return value

    def tables(
        self, table: Mapping[str, Any], key: str, path: KeyPath, known: Sequence[str]
    ) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
        """The tables of an array of tables (`[[key]]`), each with its key path."""
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error(
                (*path, key), f"must be an array of tables, not {_shown(value)}", f"[[{key}]]"
            )
            return
        for index, item in enumerate(value):
            where = (*path, key, index)
            if not isinstance(item, dict):
                self.error(where, f"must be a table, not {_shown(item)}", f"[[{key}]]")
                continue
            yield where, self.table(item, where, known)

    def text(self, table: Mapping[str, Any], key: str, path: KeyPath) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            self.error((*path, key), f"must be text, not {_shown(value)}", f'{key} = "..."')
            return None
        return value

    def whole(
        self,
        table: Mapping[str, Any],
        key: str,
        path: KeyPath,
        low: int | None = None,
        high: int | None = None,
        *,
        example: int = 1,
    ) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if not _is_int(value):
            self.error(
                (*path, key),
                f"must be a whole number, not {_shown(value)}",
                f"a whole number, e.g. {key} = {example}",
            )
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low}..{high}" if high is not None else f"{low} or more"
            self.error((*path, key), f"{value} is out of range", f"a whole number {span}")
            return None
        assert isinstance(value, int)
        return value

    def flag(self, table: Mapping[str, Any], key: str, path: KeyPath) -> None:
        if key in table and not isinstance(table[key], bool):
            self.error(
                (*path, key), f"must be true or false, not {_shown(table[key])}", f"{key} = true"
            )

    def texts(self, table: Mapping[str, Any], key: str, path: KeyPath) -> list[tuple[int, str]]:
        """The text items of a list, each with its index (other items are errors)."""
        out = []
        for index, item in enumerate(self.array(table, key, path)):
            if isinstance(item, str):
                out.append((index, item))
            else:
                self.error((*path, key, index), f"must be text, not {_shown(item)}", '"..."')
        return out

    def word(
        self, table: Mapping[str, Any], key: str, path: KeyPath, words: Sequence[str]
    ) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or value not in words:
            self.error(
                (*path, key),
                f"{_shown(value)} is not one of the accepted words" + suggest(str(value), words),
                one_of(words),
            )
            return None
        return value

    # ---- the persona ---------------------------------------------------------------------

    def check(self) -> None:
        top = self.table(self.data, (), TOP_KEYS)
        device = self.sub(top, "device", (), DEVICE_KEYS)
        if isinstance(top.get("device", {}), dict):  # else the one error is "not a table"
            self.device(device)
        props = self.sub(top, "props", (), None)
        for key, value in props.items():
            self.scalar(value, ("props", key))
        self.users(top)
        current = self.whole(device, "current_user", ("device",), 0)
        if current is not None and current not in self.user_ids:
            self.error(
                ("device", "current_user"),
                f"user {current} is not in [[users]]",
                one_of(str(u) for u in sorted(self.user_ids)),
            )
        self.named_apps(top)
        self.system(top)
        self.power(top)
        settings = self.sub(top, "settings", (), ("secure", "global", "system"))
        for name in ("secure", "global", "system"):
            for key, value in self.sub(settings, name, ("settings",), None).items():
                self.scalar(value, ("settings", name, key))
        self.zen(self.sub(top, "zen", (), ZEN_KEYS))
        self.behaviours(top)

    def scalar(self, value: Any, path: KeyPath) -> None:
        """A getprop or settings value: text or a number (true/false would print True)."""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(path, f"must be text or a number, not {_shown(value)}", 'text, e.g. "1"')

    def device(self, device: dict[str, Any]) -> None:
        path: KeyPath = ("device",)
        for key in DEVICE_TEXT_KEYS:
            self.text(device, key, path)
        if "sdk" not in device:
            self.error(("device", "sdk"), "missing 'sdk' (the API level)", "sdk = 34 (Android 14)")
        else:
            value = device["sdk"]
            if not _is_int(value):
                self.error(
                    ("device", "sdk"),
                    f"must be a whole number, not {_shown(value)}",
                    "an API level, e.g. sdk = 34 (Android 14) or 28 (Android 9)",
                )
            elif not MIN_SDK <= value <= MAX_SDK:
                self.error(
                    ("device", "sdk"),
                    f"{value} is not a supported Android API level",
                    f"{MIN_SDK}..{MAX_SDK} (e.g. 34 for Android 14, 28 for Android 9)",
                )
            else:
                self.sdk = value
        vendor_ops = []
        for index, code in enumerate(self.array(device, "vendor_ops", path)):
            if _is_int(code) and 0 <= code < 1 << 20:
                vendor_ops.append(code)
            else:
                self.error(
                    ("device", "vendor_ops", index),
                    f"{_shown(code)} is not an app-op code",
                    "a whole number such as 10008",
                )
        if self.sdk is not None:
            self.ops = pf.op_table(self.sdk, tuple(vendor_ops))
        self.whole(device, "ordinary_apps", path, 0, MAX_ORDINARY_APPS, example=60)
        self.whole(device, "seed", path, example=24)
        self.flag(device, "usb_debugging_security_settings", path)
        self.rom_set = self.word(device, "system_set", path, sorted(generate._ROM_SETS))
        if "system_set" not in device:
            self.rom_set = "pixel"
        self.word(device, "region", path, REGIONS)
        timezone = device.get("timezone")
        if isinstance(timezone, str):
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                self.error(
                    ("device", "timezone"),
                    f"{timezone!r} is not a known time zone",
                    "an IANA zone such as Asia/Shanghai or Europe/Berlin",
                )

    def users(self, top: Mapping[str, Any]) -> None:
        if not top.get("users"):  # absent or empty: the one owner
            return
        ids: set[int] = set()
        entries = list(self.tables(top, "users", (), USER_KEYS))
        for where, entry in entries:
            if "id" not in entry:
                self.error((*where, "id"), "missing 'id'", "id = 0 (the owner), 10, 150 ...")
            user = self.whole(entry, "id", where, 0, 99_999, example=10)
            if user is not None:
                if user in ids:
                    self.error((*where, "id"), f"user {user} is listed twice", "a unique id")
                ids.add(user)
            self.text(entry, "name", where)
            self.whole(entry, "flags", where, 0, 0xFFFF_FFFF, example=0x410)
            self.flag(entry, "running", where)
            self.flag(entry, "shell_restricted", where)
        for where, entry in entries:
            parent = self.whole(entry, "parent", where, 0, example=0)
            if parent is not None and ids and parent not in ids:
                self.error(
                    (*where, "parent"),
                    f"user {parent} is not in [[users]]",
                    "the id of another [[users]] entry",
                )
        if entries and 0 not in ids and all("id" in e for _, e in entries):
            self.error(("users",), "there is no user 0", "every Android device has user 0")
        self.user_ids = ids or {0}

    # ---- apps ----------------------------------------------------------------------------

    def named_apps(self, top: Mapping[str, Any]) -> None:
        for where, app in self.tables(top, "apps", (), APP_KEYS):
            if "package" not in app:
                self.error((*where, "package"), "missing 'package'", 'package = "com.example.app"')
            name = self.package(app, "package", where)
            if name is not None:
                if name in self.named:
                    self.error((*where, "package"), f"{name} is listed twice", "one [[apps]] each")
                self.named[name] = app.get("system") is True
            for key in ("version_name", "installer"):
                self.text(app, key, where)
            self.whole(app, "version_code", where, 0, example=1)
            self.whole(app, "target_sdk", where, 1, 99, example=34)
            self.whole(app, "min_sdk", where, 1, 99, example=21)
            self.whole(app, "app_id", where, 0, MAX_APP_ID, example=10123)
            for key in ("system", "battery_exempt", "auto_flags"):
                self.flag(app, key, where)
            requested = self.requested(app, where, name)
            users = self.app_users(app, where)
            for key in ("notification_listeners", "accessibility_services"):
                for index, component in self.texts(app, key, where):
                    if not _COMPONENT.fullmatch(component):
                        self.error(
                            (*where, key, index),
                            f"{component!r} is not a class name",
                            'a component class, e.g. ".NotificationService"',
                        )
            for index, op in self.texts(app, "accessed", where):
                self.op_name(op, (*where, "accessed", index))
            if "state" in app:
                self.state(app["state"], (*where, "state"), requested)
            overrides = self.sub(app, "user", where, None)
            for key, value in overrides.items():
                here = (*where, "user", key)
                if not key.isdigit() or int(key) not in users:
                    self.error(
                        here,
                        f"user {key!r} is not in this app's users",
                        f"one of: {', '.join(str(u) for u in users)}",
                    )
                self.state(value, here, requested)

    def package(self, table: Mapping[str, Any], key: str, path: KeyPath) -> str | None:
        name = self.text(table, key, path)
        if name is not None and not _PACKAGE.fullmatch(name):
            self.error(
                (*path, key),
                f"{name!r} is not a package name",
                'dotted letters, digits and _, e.g. "com.example.app"',
            )
            return None
        return name

    def requested(self, app: Mapping[str, Any], where: KeyPath, name: str | None) -> set[str]:
        requested = set()
        for index, text in self.texts(app, "requested", where):
            perm = pf.expand_permission(text)
            requested.add(perm)
            if (
                self.sdk is not None
                and not pf.permission_exists(perm, self.sdk)
                and not (name and perm.startswith(name))
                and perm not in pf.RUNTIME_PERMISSIONS  # newer permission on an older release
            ):
                self.error(
                    (*where, "requested", index),
                    f"unknown permission {perm}",
                    "android.permission.* names (or the short form READ_CONTACTS)",
                )
        return requested

    def app_users(self, app: Mapping[str, Any], where: KeyPath) -> list[int]:
        users = []
        for index, user in enumerate(self.array(app, "users", where) if "users" in app else [0]):
            if not _is_int(user) or user not in self.user_ids:
                self.error(
                    (*where, "users", index),
                    f"{_shown(user)} is not in [[users]]",
                    one_of(str(u) for u in sorted(self.user_ids)),
                )
            else:
                users.append(user)
        return users

    def op_name(self, op: Any, path: KeyPath) -> None:
        if self.ops is not None and (not isinstance(op, str) or self.ops.parse(op) is None):
            self.error(
                path,
                f"unknown app-op {_shown(op)} on API {self.sdk}",
                "an AppOpsManager op name such as RUN_ANY_IN_BACKGROUND",
            )

    def state(self, value: Any, path: KeyPath, requested: set[str]) -> None:
        state = self.table(value, path, STATE_KEYS)
        for key in STATE_FLAGS:
            self.flag(state, key, path)
        self.whole(state, "enabled", path, 0, 4, example=0)
        if "bucket" in state:
            bucket = state["bucket"]
            number = pf.BUCKETS.get(bucket) if isinstance(bucket, str) else bucket
            if not _is_int(number) or number not in pf.BUCKETS.values():
                self.error(
                    (*path, "bucket"),
                    f"unknown standby bucket {_shown(bucket)}",
                    one_of(f"{k} ({v})" for k, v in pf.BUCKETS.items()),
                )
            elif number == 45 and self.sdk is not None and self.sdk < 31:
                self.error(
                    (*path, "bucket"),
                    "the restricted bucket does not exist before Android 12",
                    "rare (40) on this persona",
                )
        for key in ("uid_ops", "package_ops"):
            for op, mode in self.sub(state, key, path, None).items():
                self.op_name(op, (*path, key, op))
                if not isinstance(mode, str) or mode not in pf.MODE_NAMES:
                    self.error(
                        (*path, key, op),
                        f"unknown app-op mode {_shown(mode)}",
                        one_of(pf.MODE_NAMES),
                    )
        for key, text in self.sub(state, "grants", path, None).items():
            here = (*path, "grants", key)
            perm = pf.expand_permission(key)
            if perm not in requested:
                self.error(
                    here,
                    f"grant for {perm} which the app does not request",
                    f"add {key} to requested, or remove the grant",
                )
            elif self.sdk is not None and not pf.is_runtime(perm, self.sdk):
                self.error(
                    here,
                    f"{perm} is not a runtime permission on API {self.sdk}",
                    "grants for runtime (dangerous) permissions only",
                )
            self.perm_state(text, here)

    def perm_state(self, text: Any, path: KeyPath) -> None:
        expected = '"granted USER_SET", "denied USER_SET USER_FIXED" ...'
        if not isinstance(text, str):
            self.error(path, f"must be text, not {_shown(text)}", expected)
            return
        words = text.replace("|", " ").split()
        if not words or words[0] not in ("granted", "denied"):
            self.error(
                path, f"permission state {text!r} must start with granted or denied", expected
            )
        for word in words[1:]:
            if pf.LEGACY_FLAG_ALIASES.get(word, word) not in pf.FLAG_BITS:
                self.error(
                    path,
                    f"unknown permission flag {word!r}" + suggest(word, pf.FLAG_BITS),
                    one_of(pf.FLAG_BITS),
                )

    # ---- the rest ------------------------------------------------------------------------

    def system_packages(self) -> set[str]:
        """The persona's system packages: the ROM's, less those a named app replaces with a
        non-system one, plus named system apps."""
        rom = {a.package for a in generate.system_apps(self.rom_set)} if self.rom_set else set()
        replaced = {name for name, system in self.named.items() if not system}
        return (rom - replaced) | {name for name, system in self.named.items() if system}

    def system(self, top: Mapping[str, Any]) -> None:
        system = self.sub(top, "system", (), ("disabled",))
        known = self.system_packages()
        for index, name in self.texts(system, "disabled", ("system",)):
            if self.rom_set is not None and name not in known:
                self.error(
                    ("system", "disabled", index),
                    f"{name} is not a system package of this persona",
                    "a package from `pm list packages -s`",
                )

    def power(self, top: Mapping[str, Any]) -> None:
        power = self.sub(top, "power", (), ("system_allowlist", "user_allowlist"))
        self.texts(power, "system_allowlist", ("power",))
        installed: set[str] | None = None
        for index, name in self.texts(power, "user_allowlist", ("power",)):
            if installed is None:
                installed = self.installed()
            if installed is not None and name not in installed:
                self.error(
                    ("power", "user_allowlist", index),
                    f"{name} is not installed",
                    "an installed package",
                )

    def installed(self) -> set[str] | None:
        """Every package the phone will have (None when the device table is broken)."""
        device = self.data.get("device")
        if self.rom_set is None or self.sdk is None or not isinstance(device, dict):
            return None
        rom = {a.package for a in generate.system_apps(self.rom_set)}
        third_party = [name for name, system in self.named.items() if not system]
        count = device.get("ordinary_apps", 0)
        if self.apps is not None:  # the persona's own apps first, as many as `apps` allows
            count = max(0, self.apps - len(third_party))
            third_party = third_party[: self.apps]
        taken = rom | {name for name, system in self.named.items() if system} | set(third_party)
        seed, region = device.get("seed", self.sdk), device.get("region", "global")
        if not _is_int(count) or not _is_int(seed) or not isinstance(region, str):
            return None
        return taken | {name for name, _ in generate.ordinary_apps(count, seed, region, taken)}

    def zen(self, zen: dict[str, Any]) -> None:
        path: KeyPath = ("zen",)
        self.word(zen, "mode", path, list(zn.ZEN_MODE_BY_WORD))
        for key in ("calls_from", "messages_from"):
            self.word(zen, key, path, [*zn.SOURCE_BY_WORD, "none"])
        for key in ZEN_FLAGS:
            self.flag(zen, key, path)
        for key in ("contacts", "starred"):
            for index, number in self.texts(zen, key, path):
                try:
                    zn.normalize_number(number)
                except zn.ZenError as error:
                    self.error((*path, key, index), str(error), 'a number like "+8613800000000"')
        ids: set[str] = set()
        modes = [w for w, m in zn.ZEN_MODE_BY_WORD.items() if m != zn.ZEN_MODE_OFF]
        for where, rule in self.tables(zen, "rules", path, ZEN_RULE_KEYS):
            for key in ("id", "mode"):
                if key not in rule:
                    self.error(
                        (*where, key), f"missing {key!r}", 'id = "bedtime", mode = "priority"'
                    )
            rule_id = self.text(rule, "id", where)
            if rule_id is not None:
                if rule_id in ids:
                    self.error((*where, "id"), f"{rule_id!r} is used twice", "a unique rule id")
                ids.add(rule_id)
            self.text(rule, "name", where)
            self.word(rule, "mode", where, modes)
            self.flag(rule, "active", where)
            self.flag(rule, "enabled", where)

    def behaviours(self, top: Mapping[str, Any]) -> None:
        for where, item in self.tables(top, "behaviours", (), BEHAVIOUR_KEYS):
            if "package" not in item:
                self.error((*where, "package"), "missing 'package'", 'package = "com.example"')
            self.package(item, "package", where)
            user = self.whole(item, "user", where, 0, example=0)
            if user is not None and user not in self.user_ids:
                self.error(
                    (*where, "user"),
                    f"user {user} is not in [[users]]",
                    one_of(str(u) for u in sorted(self.user_ids)),
                )
            for index, _ in enumerate(self.array(item, "opens", where)):
                self.clock(item["opens"], index, (*where, "opens"))
            self.duration(item, "session", where)
            for here, read in self.tables(item, "reads", where, READ_KEYS):
                if "op" not in read:
                    self.error((*here, "op"), "missing 'op'", 'op = "FINE_LOCATION"')
                elif self.ops is not None and read["op"] not in self.ops.names:
                    self.error(
                        (*here, "op"),
                        f"unknown app-op {_shown(read['op'])} on API {self.sdk}",
                        "an op name such as FINE_LOCATION",
                    )
                self.duration(read, "every", here)
                self.duration(read, "duration", here)
                if "daily" in read:
                    self.clock(read, "daily", here)
                self.flag(read, "on_open", here)
                flags = read.get("flags", "s")
                if not isinstance(flags, str) or not re.fullmatch(r"[a-z]{1,8}", flags):
                    self.error(
                        (*here, "flags"),
                        f"{_shown(flags)} is not access flags",
                        'lower-case letters such as "s" or "tpd"',
                    )

    def clock(self, container: Any, key: str | int, path: KeyPath) -> None:
        value = container[key]
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            self.error((*path, key), f"{_shown(value)} is not a time of day", 'e.g. "21:30"')

    def duration(self, table: Mapping[str, Any], key: str, path: KeyPath) -> None:
        if key not in table:
            return
        value = table[key]
        millis = parse_duration_ms(value) if isinstance(value, str) else None
        if millis is None or millis <= 0:
            self.error((*path, key), f"{_shown(value)} is not a duration", 'e.g. "10m" or "1h"')
