"""Persona files (TOML) -> a ready `AndroidDevice`; the bundled persona list.

A persona names the device (getprop values), its users, the apps that matter with their
exact permission, app-op, standby and power state, and how many ordinary apps to add.
The ROM's system packages and the ordinary apps are generated (see `generate`). The
schema is documented in personas/README.md; `persona_check` reports every mistake at once
(`PersonaError`: file, line, key path and what would be accepted).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from hardener.errors import InputError
from hardener.profile.problems import Problem
from hardener.sim.android import generate
from hardener.sim.android import platform as pf
from hardener.sim.android import zen as zn
from hardener.sim.android.clock import DeviceClock, parse_instant, zone
from hardener.sim.android.device import AndroidDevice
from hardener.sim.android.model import Model, Package, PermState, User, UserState
from hardener.sim.android.persona_check import (
    APP_KEYS,
    DEVICE_KEYS,
    MAX_SDK,
    MIN_SDK,
    STATE_KEYS,
    TOP_KEYS,
    ZEN_KEYS,
    ZEN_RULE_KEYS,
    PersonaError,
    parse_persona,
)
from hardener.sim.faults import Costs, Faults

PERSONA_DIR = Path(__file__).with_name("personas")
DEFAULT_PERSONA = "pixel-14"

_RESTRICTED = {
    pf.P + name
    for name in [
        "READ_EXTERNAL_STORAGE",
        "WRITE_EXTERNAL_STORAGE",
        "READ_SMS",
        "SEND_SMS",
        "RECEIVE_SMS",
        "RECEIVE_MMS",
        "RECEIVE_WAP_PUSH",
        "READ_CALL_LOG",
        "WRITE_CALL_LOG",
        "PROCESS_OUTGOING_CALLS",
    ]
}
_DEFAULT_SYSTEM_ALLOWLIST = {
    "pixel": [
        "com.android.shell",
        "com.google.android.gms",
        "com.android.providers.downloads",
        "com.google.android.apps.messaging",
        "com.android.vending",
        "com.google.android.dialer",
        "com.android.phone",
        "com.google.android.apps.turbo",
        "com.android.emergency",
    ],
    "xiaomi": [
        "com.android.shell",
        "com.google.android.gms",
        "com.android.providers.downloads",
        "com.miui.core",
        "com.xiaomi.xmsf",
        "com.android.deskclock",
        "com.android.updater",
        "com.android.phone",
        "com.android.emergency",
        "com.miui.powerkeeper",
    ],
    "samsung": [
        "com.android.shell",
        "com.google.android.gms",
        "com.android.providers.downloads",
        "com.samsung.android.messaging",
        "com.samsung.android.dialer",
        "com.android.phone",
        "com.samsung.android.lool",
        "com.android.emergency",
    ],
    "aosp9": [
        "com.android.shell",
        "com.google.android.gms",
        "com.android.providers.downloads",
        "com.android.phone",
    ],
}
_EXCEPT_IDLE_EXTRA = [
    "com.android.providers.calendar",
    "com.android.proxyhandler",
    "com.android.providers.contacts",
    "com.android.cellbroadcastreceiver",
    "com.android.imsserviceentitlement",
]


def persona_names() -> list[str]:
    """Names of the personas shipped with hardener, sorted."""
    return sorted(p.stem for p in PERSONA_DIR.glob("*.toml"))


def _resolve(name_or_path: str | os.PathLike[str]) -> Path:
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise InputError(
                f"persona file {candidate} does not exist",
                hint=f"use a bundled persona ({', '.join(persona_names())}) or a TOML file path",
            )
        return candidate
    bundled = PERSONA_DIR / f"{candidate}.toml"
    if not bundled.is_file():
        raise InputError(
            f"unknown persona {name_or_path!r}",
            hint=f"bundled personas: {', '.join(persona_names())}; or pass a .toml file",
        )
    return bundled


def load_persona(
    name_or_path: str | os.PathLike[str] = DEFAULT_PERSONA,
    *,
    apps: int | None = None,
    costs: Costs | None = None,
    faults: Faults | None = None,
    serial: str | None = None,
    clock: str | datetime | None = None,
    real_time: bool = True,
    timezone: str | None = None,
    behave: bool = True,
) -> AndroidDevice:
    """Build a virtual phone from a bundled persona name or a persona TOML file.

    `apps=N` makes the phone carry N third-party apps in all: the persona's own apps plus
    generated ordinary ones (for benchmarks with 50, 150, 300 apps and more). `serial`
    gives this phone its own `ro.serialno`, so a fleet of one persona is many phones.
    `clock` starts the phone's wall clock at that instant (ISO 8601 with a UTC offset, or an
    aware datetime; default: the host's now); `real_time=False` freezes it between
    `advance` calls; `timezone` replaces the persona's `persist.sys.timezone`.
    `behave=False` keeps the persona's apps from doing anything on their own (its
    `[[behaviours]]` otherwise run on the phone's clock from this moment).
    """
    path = _resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM is accepted, as in profiles
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path}: cannot read the persona: {error}", hint="give a UTF-8 persona .toml file"
        ) from None
    # Every problem at once, each with its line and key path (PersonaError, exit 2); the
    # builder's own checks below stay as a backstop.
    data = parse_persona(text, str(path), apps=apps)
    if apps is not None and apps < 0:
        raise InputError(
            f"apps={apps} is negative", hint="give the number of third-party apps, e.g. 150"
        )
    if serial is not None and not (serial.isascii() and serial.isalnum()):
        raise InputError(f"serial {serial!r} is not a phone serial", hint="use letters and digits")
    model = _Builder(path, data, apps).build()
    if serial is not None:
        for prop in ("ro.serialno", "ro.boot.serialno"):
            model.props[prop] = serial
    if timezone is not None:
        zone(timezone)  # a clear error for an unknown zone
        model.props["persist.sys.timezone"] = timezone
    start = parse_instant(clock) if isinstance(clock, str) else clock
    if start is not None and start.tzinfo is None:
        raise InputError("the phone's clock needs a UTC offset", hint="e.g. 2026-12-01T17:45+08:00")
    device_clock = DeviceClock(start, real_time=real_time)
    return AndroidDevice(
        model, name=path.stem, costs=costs, faults=faults, clock=device_clock, behave=behave
    )


class _Builder:
    def __init__(self, path: Path, data: dict[str, Any], apps: int | None) -> None:
        self.path = path
        self.data = data
        self.apps = apps
        self._check_keys(data, TOP_KEYS, "top level")
        self.device = self._table(data, "device")
        self._check_keys(self.device, DEVICE_KEYS, "[device]")
        self.sdk = self._int(self.device, "sdk", "[device]", required=True)
        if self.sdk < MIN_SDK or self.sdk > MAX_SDK:
            self._fail(
                "[device] sdk",
                f"{self.sdk} is not a supported Android API level",
                f"use {MIN_SDK}..{MAX_SDK} (e.g. 34 for Android 14, 28 for Android 9)",
            )
        self.release = pf.Release(self.sdk)
        vendor_ops = tuple(int(v) for v in self.device.get("vendor_ops", []))
        self.ops = pf.op_table(self.sdk, vendor_ops)
        self.seed = int(self.device.get("seed", self.sdk))

    # ---- validation helpers --------------------------------------------------------

    def _fail(self, where: str, what: str, hint: str) -> NoReturn:
        """A backstop: `persona_check` finds these first, with the line and key path; this
        says the same in the same format, with the builder's own idea of where."""
        raise PersonaError([Problem(str(self.path), "", None, f"{where}: {what}", hint)])

    def _check_keys(self, table: dict[str, Any], allowed: Collection[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self._fail(
                    where, f"unknown key {key!r}", f"allowed keys: {', '.join(sorted(allowed))}"
                )

    def _table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self._fail(key, "must be a table", f"write it as [{key}]")
        return value

    def _int(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        default: int = 0,
    ) -> int:
        if key not in table:
            if required:
                self._fail(where, f"missing {key!r}", f"add {key} = <number>")
            return default
        value = table[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self._fail(where, f"{key} must be a whole number, not {value!r}", f"write {key} = 34")
        return value

    # ---- building ------------------------------------------------------------------

    def build(self) -> Model:
        props = self._props()
        users = self._users()
        current = self._int(self.device, "current_user", "[device]", default=0)
        model = Model(
            props=props,
            release=self.release,
            ops=self.ops,
            users=users,
            current_user=current,
            packages={},
        )
        model.shell_grant_lock = not bool(self.device.get("usb_debugging_security_settings", True))
        rom_set = str(self.device.get("system_set", "pixel"))
        if rom_set not in generate._ROM_SETS:
            self._fail(
                "[device] system_set",
                f"unknown system package set {rom_set!r}",
                f"use one of {', '.join(sorted(generate._ROM_SETS))}",
            )
        next_system = iter(range(10000, 10100))
        for app in generate.system_apps(rom_set):
            app.grants = {
                k: v
                for k, v in app.grants.items()
                if pf.is_runtime(pf.expand_permission(k), self.sdk)
            }
            app.requested = ["INTERNET", *app.grants]
            app_id = {
                "android.uid.system": 1000,
                "android.uid.phone": 1001,
                "android.uid.shell": 2000,
                "android.uid.se": 1068,
            }.get(app.shared_user or "")
            if app_id is None:
                app_id = next(next_system, 10099)
            pkg = self._package(
                model,
                app.package,
                app_id=app_id,
                system=True,
                privileged=app.privileged,
                code_path=app.code_path,
                target_sdk=self.sdk,
                version_name=self.device.get("release", "14"),
                version_code=self.sdk,
                installer=None,
                requested=[pf.expand_permission(p) for p in app.requested],
            )
            pkg.shared_user = app.shared_user
            for user in users:
                if user.flags & 0x20 and app.package not in _PROFILE_SYSTEM:
                    continue
                self._install(model, pkg, user.id, {"grants": app.grants}, auto_flags=True)
        named = self.data.get("apps", [])
        if not isinstance(named, list):
            self._fail("apps", "must be an array of tables", "write each app as [[apps]]")
        next_app = iter(range(10100, 19999))
        third_party = 0
        for index, app in enumerate(named):
            where = f"[[apps]] #{index + 1}"
            if not isinstance(app, dict) or "package" not in app:
                self._fail(where, "missing 'package'", 'add package = "com.example.app"')
            self._check_keys(app, APP_KEYS, f"{where} ({app['package']})")
            if not app.get("system", False):
                third_party += 1
                if self.apps is not None and third_party > self.apps:
                    continue
            self._named_app(model, app, where, next_app)
        filler_count = int(self.device.get("ordinary_apps", 0))
        if self.apps is not None:
            filler_count = max(0, self.apps - third_party)
        taken = set(model.packages)
        region = str(self.device.get("region", "global"))
        for package, perms in generate.ordinary_apps(filler_count, self.seed, region, taken):
            self._filler_app(model, package, perms, next_app)
        self._system(model)
        self._power(model, rom_set)
        self._settings(model)
        self._zen(model)
        for pkg in model.packages.values():
            for user_id, state in pkg.users.items():
                if state.installed:
                    model.sync_ops(pkg, user_id)
        from hardener.sim.android.behaviour import load_behaviours

        model.behaviours = load_behaviours(self.data.get("behaviours", []), str(self.path))
        return model

    def _props(self) -> dict[str, str]:
        d = self.device
        release = str(d.get("release", "14"))
        manufacturer = str(d.get("manufacturer", "Google"))
        brand = str(d.get("brand", manufacturer.lower()))
        model_name = str(d.get("model", "Pixel 8"))
        name = str(d.get("name", "sim"))
        device = str(d.get("device", name))
        build_id = str(d.get("build_id", "AP2A.240805.005"))
        incremental = str(d.get("incremental", "12025142"))
        fingerprint = str(
            d.get(
                "fingerprint",
                f"{brand}/{name}/{device}:{release}/{build_id}/{incremental}:user/release-keys",
            )
        )
        serial = str(d.get("serial", "SIM0000001"))
        props = {
            "DEVICE_PROVISIONED": "1",
            "dalvik.vm.heapsize": "512m",
            "gsm.sim.state": "LOADED",
            "gsm.version.baseband": "g5300i-230927-231102-B-11061219",
            "init.svc.adbd": "running",
            "persist.sys.locale": "en-US" if d.get("region", "global") != "cn" else "zh-CN",
            "persist.sys.timezone": str(d.get("timezone", "Europe/Berlin")),
            "persist.sys.usb.config": "adb",
            "ro.adb.secure": "1",
            "ro.boot.serialno": serial,
            "ro.build.characteristics": "nosdcard",
            "ro.build.date": "Mon Jul 1 12:00:00 UTC 2024",
            "ro.build.display.id": build_id,
            "ro.build.fingerprint": fingerprint,
            "ro.build.host": "abfarm-release",
            "ro.build.id": build_id,
            "ro.build.tags": "release-keys",
            "ro.build.type": "user",
            "ro.build.user": "android-build",
            "ro.build.version.codename": "REL",
            "ro.build.version.incremental": incremental,
            "ro.build.version.release": release,
            "ro.build.version.release_or_codename": release,
            "ro.build.version.sdk": str(self.sdk),
            "ro.build.version.security_patch": str(d.get("security_patch", "2024-08-05")),
            "ro.debuggable": "0",
            "ro.hardware": str(d.get("hardware", device)),
            "ro.product.brand": brand,
            "ro.product.device": device,
            "ro.product.manufacturer": manufacturer,
            "ro.product.model": model_name,
            "ro.product.name": name,
            "ro.product.cpu.abi": "arm64-v8a",
            "ro.secure": "1",
            "ro.serialno": serial,
            "ro.sf.lcd_density": "420",
            "sys.boot_completed": "1",
            "sys.usb.config": "adb",
            "sys.usb.state": "adb",
        }
        if self.sdk >= 30:
            props["ro.product.system.model"] = model_name
            props["ro.product.vendor.model"] = model_name
        for key, value in self._table(self.data, "props").items():
            props[str(key)] = str(value)
        return props

    def _users(self) -> list[User]:
        raw = self.data.get("users") or [{"id": 0, "name": "Owner", "flags": 0xC13}]
        users: list[User] = []
        for index, entry in enumerate(raw):
            where = f"[[users]] #{index + 1}"
            self._check_keys(
                entry, {"id", "name", "flags", "running", "shell_restricted", "parent"}, where
            )
            users.append(
                User(
                    id=self._int(entry, "id", where, required=True),
                    name=str(entry.get("name", f"User {index}")),
                    flags=self._int(entry, "flags", where, default=0x410),
                    running=bool(entry.get("running", True)),
                    shell_restricted=bool(entry.get("shell_restricted", False)),
                    parent=entry.get("parent"),
                )
            )
        if not any(u.id == 0 for u in users):
            self._fail("[[users]]", "there is no user 0", "every Android device has user 0")
        return users

    def _code_path(self, package: str) -> str:
        digest = hashlib.sha256(package.encode()).digest()
        a = base64.urlsafe_b64encode(digest[:16]).decode()
        b = base64.urlsafe_b64encode(digest[16:32]).decode()
        if self.sdk >= 30:
            return f"/data/app/~~{a}/{package}-{b}"
        if self.sdk >= 26:
            return f"/data/app/{package}-{b}"
        return f"/data/app/{package}-1"

    def _package(
        self,
        model: Model,
        name: str,
        *,
        app_id: int,
        system: bool,
        privileged: bool,
        code_path: str | None,
        target_sdk: int,
        version_name: str,
        version_code: int,
        installer: str | None,
        requested: list[str],
        min_sdk: int = 21,
    ) -> Package:
        h = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
        day = 1 + h % 27
        month = 1 + (h >> 5) % 12
        stamp = f"2024-{month:02d}-{day:02d} {h % 24:02d}:{(h >> 3) % 60:02d}:{(h >> 7) % 60:02d}"
        pkg = Package(
            name=name,
            app_id=app_id,
            version_code=version_code,
            version_name=version_name,
            min_sdk=min(min_sdk, target_sdk),
            target_sdk=target_sdk,
            system=system,
            privileged=privileged,
            installer=installer,
            code_path=code_path or self._code_path(name),
            requested=requested,
            timestamp=stamp if not system else "2009-01-01 00:00:00",
            last_update=stamp if not system else "2009-01-01 00:00:00",
            apk_signing_version=3 if self.sdk >= 28 else 2,
        )
        if code_path and code_path.endswith(".apk"):
            pkg.code_path = code_path
        model.packages[name] = pkg
        return pkg

    def _perm_state(self, text: str, where: str) -> PermState:
        words = str(text).replace("|", " ").split()
        if not words or words[0] not in ("granted", "denied"):
            self._fail(
                where,
                f"permission state {text!r} must start with granted or denied",
                'write e.g. "granted USER_SET" or "denied USER_SET USER_FIXED"',
            )
        flags = 0
        for word in words[1:]:
            word = pf.LEGACY_FLAG_ALIASES.get(word, word)
            if word not in pf.FLAG_BITS:
                self._fail(
                    where, f"unknown permission flag {word!r}", f"flags: {', '.join(pf.FLAG_BITS)}"
                )
            flags |= pf.FLAG_BITS[word]
        return PermState(words[0] == "granted", flags)

    def _install(
        self,
        model: Model,
        pkg: Package,
        user: int,
        state_data: dict[str, Any],
        *,
        auto_flags: bool,
        where: str = "",
    ) -> None:
        h = int(hashlib.sha256(f"{pkg.name}/{user}".encode()).hexdigest()[:12], 16)
        state = UserState(
            ce_inode=10_000 + h % 900_000,
            first_install=pkg.timestamp,
            install_reason=0 if pkg.system else 4,
        )
        pkg.users[user] = state
        for key in state_data:
            if key not in STATE_KEYS:
                self._fail(
                    where or pkg.name,
                    f"unknown state key {key!r}",
                    f"allowed keys: {', '.join(sorted(STATE_KEYS))}",
                )
        state.installed = bool(state_data.get("installed", True))
        state.stopped = bool(state_data.get("stopped", False))
        state.suspended = bool(state_data.get("suspended", False))
        state.suspending_package = "com.android.shell" if state.suspended else None
        state.not_launched = bool(state_data.get("not_launched", False))
        state.hidden = bool(state_data.get("hidden", False))
        state.enabled = int(state_data.get("enabled", 0))
        bucket = state_data.get("bucket", 10)
        if isinstance(bucket, str):
            if bucket not in pf.BUCKETS:
                self._fail(
                    where or pkg.name,
                    f"unknown standby bucket {bucket!r}",
                    f"use one of {', '.join(pf.BUCKETS)} or its number",
                )
            bucket = pf.BUCKETS[bucket]
        if bucket == 45 and not self.release.has_restricted_bucket:
            self._fail(
                where or pkg.name,
                "the restricted bucket does not exist before Android 12",
                "use rare (40) on this persona",
            )
        state.bucket = int(bucket)
        running = bool(state_data.get("running", not state.stopped and not state.suspended))
        if running and state.installed:
            model.start(pkg, user)
        else:
            state.running = False
        grants = state_data.get("grants", {})
        runtime_requested = [p for p in pkg.requested if pf.is_runtime(p, self.sdk)]
        for perm in runtime_requested:
            if pkg.legacy:
                state.runtime[perm] = PermState(True)
            elif self.sdk >= 29 or pkg.system:
                state.runtime[perm] = PermState(False)
        for key, value in grants.items():
            perm = pf.expand_permission(key)
            if perm not in pkg.requested:
                self._fail(
                    where or pkg.name,
                    f"grant for {perm} which the app does not request",
                    f"add {key} to requested, or remove the grant",
                )
            if not pf.is_runtime(perm, self.sdk):
                self._fail(
                    where or pkg.name,
                    f"{perm} is not a runtime permission on API {self.sdk}",
                    "only runtime (dangerous) permissions have grant states",
                )
            state.runtime[perm] = self._perm_state(value, f"{where or pkg.name} grants.{key}")
        if auto_flags and self.sdk >= 29:
            sensitive = pf.FLAG_BITS["USER_SENSITIVE_WHEN_GRANTED"]
            if not pkg.system:
                sensitive |= pf.FLAG_BITS["USER_SENSITIVE_WHEN_DENIED"]
            exempt = pf.FLAG_BITS[
                "RESTRICTION_SYSTEM_EXEMPT" if pkg.system else "RESTRICTION_INSTALLER_EXEMPT"
            ]
            for perm, perm_state in state.runtime.items():
                perm_state.flags |= sensitive
                if perm in _RESTRICTED:
                    perm_state.flags |= exempt
        for table_key, target in (("uid_ops", state.uid_ops), ("package_ops", state.package_ops)):
            for op_name, mode in state_data.get(table_key, {}).items():
                code = self.ops.parse(str(op_name))
                if code is None:
                    self._fail(
                        where or pkg.name,
                        f"unknown app-op {op_name!r} on API {self.sdk}",
                        "use AppOpsManager op names such as RUN_ANY_IN_BACKGROUND",
                    )
                if mode not in pf.MODE_NAMES:
                    self._fail(
                        where or pkg.name,
                        f"unknown app-op mode {mode!r}",
                        f"use one of {', '.join(pf.MODE_NAMES)}",
                    )
                # A default mode is pruned, as AOSP does; vendor ops have no known default.
                if code >= len(self.ops.names) or mode != self.ops.default_mode(code):
                    target[code] = str(mode)

    def _named_app(self, model: Model, app: dict[str, Any], where: str, next_app: Any) -> None:
        name = str(app["package"])
        requested = [pf.expand_permission(p) for p in app.get("requested", [])]
        for perm in requested:
            if not pf.permission_exists(perm, self.sdk) and not perm.startswith(name):
                if perm in pf.RUNTIME_PERMISSIONS:
                    continue  # newer permission on an older release: apps may still request it
                self._fail(
                    where,
                    f"unknown permission {perm}",
                    "use android.permission.* names (or the short form READ_CONTACTS)",
                )
        target = self._int(app, "target_sdk", where, default=self.sdk)
        system = bool(app.get("system", False))
        app_id = self._int(app, "app_id", where, default=0) or next(next_app)
        pkg = self._package(
            model,
            name,
            app_id=app_id,
            system=system,
            privileged=False,
            code_path=None,
            target_sdk=target,
            version_name=str(app.get("version_name", "1.0")),
            version_code=self._int(app, "version_code", where, default=1),
            installer=app.get("installer", None if system else "com.android.vending"),
            requested=requested,
            min_sdk=self._int(app, "min_sdk", where, default=21),
        )
        if system:
            pkg.updated_system = True
        base_state = dict(app.get("state", {}))
        per_user = app.get("user", {})
        user_ids = app.get("users", [0])
        for user_id in user_ids:
            if model.user(user_id) is None:
                self._fail(
                    where, f"users lists {user_id}, which is not in [[users]]", "add the user first"
                )
            state_data = dict(base_state)
            override = per_user.get(str(user_id), {})
            for key, value in override.items():
                if key == "grants":
                    state_data["grants"] = {**base_state.get("grants", {}), **value}
                else:
                    state_data[key] = value
            self._install(
                model,
                pkg,
                user_id,
                state_data,
                auto_flags=bool(app.get("auto_flags", True)),
                where=f"{where} ({name}) user {user_id}",
            )
        for user in model.users:
            if user.id not in pkg.users and not user.shell_restricted:
                pkg.users[user.id] = UserState(installed=False, running=False)
        accessed = app.get("accessed", ["WAKE_LOCK", "VIBRATE", "TOAST_WINDOW"])
        for op_name in accessed:
            code = self.ops.parse(op_name)
            if code is None:
                self._fail(
                    where, f"unknown app-op {op_name!r} in accessed", "use AppOpsManager op names"
                )
            for state in pkg.users.values():
                if state.installed:
                    state.op_times[code] = _ago(name, op_name)
        if app.get("battery_exempt"):
            model.whitelist_user.append(name)
        for key in ("notification_listeners", "accessibility_services"):
            for component in app.get(key, []):
                full = f"{name}/{name + component if component.startswith('.') else component}"
                for user_id in user_ids:
                    table = model.secure_settings(user_id)
                    setting = "enabled_" + key
                    current = [c for c in table.get(setting, "").split(":") if c]
                    current.append(full)
                    table[setting] = ":".join(current)

    def _filler_app(self, model: Model, package: str, perms: list[str], next_app: Any) -> None:
        h = int(hashlib.sha256(package.encode()).hexdigest()[:16], 16)
        requested = [pf.P + "INTERNET", pf.P + "ACCESS_NETWORK_STATE", pf.P + "WAKE_LOCK"]
        requested += [
            pf.expand_permission(p)
            for p in perms
            if pf.is_runtime(pf.expand_permission(p), self.sdk)
        ]
        if h % 3 == 0:
            requested.append(pf.P + "RECEIVE_BOOT_COMPLETED")
        if h % 4 == 0:
            requested.append(pf.P + "FOREGROUND_SERVICE")
        target = min(self.sdk, 26 + h % 9)
        pkg = self._package(
            model,
            package,
            app_id=next(next_app),
            system=False,
            privileged=False,
            code_path=None,
            target_sdk=target,
            version_name=f"{1 + h % 9}.{h % 40}.{h % 7}",
            version_code=100_000 + h % 900_000,
            installer="com.android.vending",
            requested=requested,
        )
        grants = {}
        for index, perm in enumerate(p for p in requested if pf.is_runtime(p, self.sdk)):
            roll = (h >> (index * 3)) % 8
            if roll < 4:
                grants[perm] = "granted USER_SET"
            elif roll < 6:
                grants[perm] = "denied USER_SET"
            elif roll == 6:
                grants[perm] = "denied USER_SET USER_FIXED"
        state = {"grants": grants, "bucket": [10, 20, 30, 40][h % 4], "stopped": h % 11 == 0}
        for user in model.users:
            if user.flags & 0x20 or user.shell_restricted:
                pkg.users[user.id] = UserState(installed=False, running=False)
                continue
            if user.id != 0:
                pkg.users[user.id] = UserState(installed=False, running=False)
                continue
            self._install(model, pkg, user.id, state, auto_flags=True)
            pkg.users[user.id].op_times = {
                self.ops.code("WAKE_LOCK") or 40: _ago(package, "WAKE_LOCK")
            }

    def _system(self, model: Model) -> None:
        """`[system] disabled = [...]`: system packages the user disabled (disable-user, 3)."""
        system = self._table(self.data, "system")
        self._check_keys(system, {"disabled"}, "[system]")
        for name in system.get("disabled", []):
            pkg = model.packages.get(name)
            if pkg is None or not pkg.system:
                self._fail(
                    "[system] disabled",
                    f"{name} is not a system package of this persona",
                    "name a package from `pm list packages -s`",
                )
            for user_id, state in pkg.users.items():
                if state.installed:
                    state.enabled = 3
                    model.kill(pkg, user_id)

    def _power(self, model: Model, rom_set: str) -> None:
        power = self._table(self.data, "power")
        self._check_keys(power, {"system_allowlist", "user_allowlist"}, "[power]")
        system = [
            p
            for p in power.get("system_allowlist", _DEFAULT_SYSTEM_ALLOWLIST[rom_set])
            if p in model.packages
        ]
        model.whitelist_system = list(dict.fromkeys(system))
        model.whitelist_except_idle = list(
            dict.fromkeys(system + [p for p in _EXCEPT_IDLE_EXTRA if p in model.packages])
        )
        for name in power.get("user_allowlist", []):
            if name not in model.packages:
                self._fail(
                    "[power] user_allowlist",
                    f"{name} is not installed",
                    "list installed packages only",
                )
            if name not in model.whitelist_user:
                model.whitelist_user.append(name)

    def _settings(self, model: Model) -> None:
        settings = self._table(self.data, "settings")
        self._check_keys(settings, {"secure", "global", "system"}, "[settings]")
        h = hashlib.sha256(str(self.device.get("serial", "")).encode()).hexdigest()
        for user in model.users:
            table = model.secure_settings(user.id)
            base = {
                "android_id": h[:16] if user.id == 0 else h[16:32],
                "default_input_method": "com.google.android.inputmethod.latin/"
                "com.android.inputmethod.latin.LatinIME",
                "location_mode": "3",
                "install_non_market_apps": "1",
                "user_setup_complete": "1",
                "bluetooth_name": self.device.get("model", "Pixel 8"),
            }
            for key, value in base.items():
                table.setdefault(key, str(value))
            table.setdefault("enabled_notification_listeners", "")
            table["accessibility_enabled"] = (
                "1" if table.get("enabled_accessibility_services") else "0"
            )
            table.setdefault("enabled_accessibility_services", "")
            for key, value in settings.get("secure", {}).items():
                table[str(key)] = str(value)
        model.global_settings.update(
            {
                "adb_enabled": "1",
                "development_settings_enabled": "1",
                "stay_on_while_plugged_in": "0",
                "airplane_mode_on": "0",
            }
        )
        for key, value in settings.get("global", {}).items():
            model.global_settings[str(key)] = str(value)
        for key, value in settings.get("system", {}).items():
            model.settings_table("system", 0)[str(key)] = str(value)

    def _zen_word(self, table: dict[str, Any], key: str, where: str, words: dict[str, int]) -> int:
        value = table[key]
        if not isinstance(value, str) or value not in words:
            self._fail(
                where,
                f"{key} = {value!r} is not one of {', '.join(words)}",
                f"use one of {', '.join(words)}",
            )
        return words[str(value)]

    def _zen(self, model: Model) -> None:
        """`[zen]`: Do Not Disturb now (a manual mode), its policy, contacts and schedules."""
        table = self._table(self.data, "zen")
        self._check_keys(table, ZEN_KEYS, "[zen]")
        zen = model.zen
        policy = zen.policy
        for key in ("calls_from", "messages_from"):
            if key in table:
                words = {**zn.SOURCE_BY_WORD, "none": -1}
                source = self._zen_word(table, key, "[zen]", words)
                allowed = source != -1
                if key == "calls_from":
                    policy.calls = allowed
                    policy.calls_from = source if allowed else policy.calls_from
                else:
                    policy.messages = allowed
                    policy.messages_from = source if allowed else policy.messages_from
        for key in ("repeat_callers", "alarms", "media", "system", "events", "reminders"):
            if key in table:
                if not isinstance(table[key], bool):
                    self._fail("[zen]", f"{key} must be true or false", f"write {key} = true")
                setattr(policy, key, table[key])
        for key in ("contacts", "starred"):
            numbers = table.get(key, [])
            if not isinstance(numbers, list):
                self._fail(
                    "[zen]", f"{key} must be a list of phone numbers", f'{key} = ["+8613800000000"]'
                )
            try:
                normalized = {zn.normalize_number(str(n)) for n in numbers}
            except zn.ZenError as exc:
                self._fail("[zen]", f"{key}: {exc}", "write numbers like +8613800000000")
            getattr(zen, key).update(normalized)
        rules = table.get("rules", [])
        if not isinstance(rules, list):
            self._fail("[zen] rules", "must be an array of tables", "write each as [[zen.rules]]")
        for index, rule in enumerate(rules):
            where = f"[[zen.rules]] #{index + 1}"
            if not isinstance(rule, dict) or "id" not in rule or "mode" not in rule:
                self._fail(where, "needs id and mode", 'id = "bedtime", mode = "priority"')
            self._check_keys(rule, ZEN_RULE_KEYS, where)
            mode = self._zen_word(rule, "mode", where, zn.ZEN_MODE_BY_WORD)
            if mode == zn.ZEN_MODE_OFF:
                self._fail(where, "a rule's mode cannot be off", "use priority, alarms or none")
            zen.add_rule(
                zn.ZenRule(
                    id=str(rule["id"]),
                    name=str(rule.get("name", rule["id"])),
                    zen_mode=mode,
                    enabled=bool(rule.get("enabled", True)),
                    active=bool(rule.get("active", False)),
                    pkg="android",
                )
            )
        if "mode" in table:
            mode = self._zen_word(table, "mode", "[zen]", zn.ZEN_MODE_BY_WORD)
            if mode != zn.ZEN_MODE_OFF:
                zen.set_manual_mode(mode, zn.SYSTEMUI_PACKAGE, "persona")
        zen.zen_log.clear()  # a fresh boot's log


_PROFILE_SYSTEM = {
    "android",
    "com.android.settings",
    "com.android.shell",
    "com.android.systemui",
    "com.android.providers.contacts",
    "com.android.providers.settings",
    "com.google.android.gms",
    "com.android.vending",
    "com.google.android.gsf",
    "com.android.phone",
    "com.android.providers.media",
    "com.google.android.permissioncontroller",
    "com.android.managedprovisioning",
}


def _ago(package: str, op: str) -> str:
    h = int(hashlib.sha256(f"{package}:{op}".encode()).hexdigest()[:10], 16)
    days, hours, minutes, seconds, millis = (
        h % 9,
        (h >> 4) % 24,
        (h >> 9) % 60,
        (h >> 15) % 60,
        (h >> 21) % 1000,
    )
    text = "+" + (f"{days}d" if days else "") + (f"{hours}h" if days or hours else "")
    return f"; time={text}{minutes}m{seconds}s{millis}ms ago"
