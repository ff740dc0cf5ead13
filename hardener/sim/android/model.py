"""The stateful Android model behind the virtual phone's shell.

Plain mutable objects (the device is guarded by one lock in `AndroidDevice`) plus the
semantics of every write the shell can make: grants and revokes with their refusals,
permission flags, the permission -> app-op synchronisation, standby buckets with the
allow-list minimum, force-stop, suspend, listeners and settings. Output formatting lives
in `commands/`; this module only decides what is true.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hardener.sim.android import platform as pf
from hardener.sim.android.access_log import AccessLog
from hardener.sim.android.platform import FLAG_BITS, OpTable, Release
from hardener.sim.android.zen import SETTING_FIX_DELAY_S, Zen

PER_USER_RANGE = 100_000
_AMS = "com.android.server.am.ActivityManagerService"
PM_CALLERS = (
    f"{_AMS}.handleIncomingUser:15285 android.app.ActivityManager.handleIncomingUser:4954 "
    "com.android.server.pm.PackageManagerShellCommand.translateUserId:3620 "
)
BUCKET_CALLERS = (
    f"{_AMS}.handleIncomingUser:15285 "
    "com.android.server.usage.UsageStatsService$BinderService.getAppStandbyBucket:2541 "
    "com.android.server.am.ActivityManagerShellCommand.runGetStandbyBucket:2714 "
)
FORCE_STOP_CALLERS = (
    f"{_AMS}.forceStopPackage:4240 "
    "com.android.server.am.ActivityManagerShellCommand.runForceStop:1319 "
    "com.android.server.am.ActivityManagerShellCommand.onCommand:236 "
)


class AndroidException(Exception):
    """A Java exception thrown inside system_server; `site` picks the stack frames."""

    def __init__(self, java_class: str, message: str, site: str) -> None:
        super().__init__(message)
        self.java_class = java_class
        self.message = message
        self.site = site


def security(message: str, site: str) -> AndroidException:
    return AndroidException("java.lang.SecurityException", message, site)


def illegal_argument(message: str, site: str) -> AndroidException:
    return AndroidException("java.lang.IllegalArgumentException", message, site)


@dataclass
class PermState:
    granted: bool
    flags: int = 0


@dataclass
class User:
    id: int
    name: str
    flags: int
    running: bool = True
    shell_restricted: bool = False  # DISALLOW_DEBUGGING_FEATURES: shell may not touch it
    parent: int | None = None


@dataclass
class UserState:
    """One package as installed for one user."""

    installed: bool = True
    hidden: bool = False
    suspended: bool = False
    suspending_package: str | None = None
    stopped: bool = False
    not_launched: bool = False
    enabled: int = 0
    running: bool = True
    pid: int = 0
    bucket: int = 10
    runtime: dict[str, PermState] = field(default_factory=dict)
    uid_ops: dict[int, str] = field(default_factory=dict)
    package_ops: dict[int, str] = field(default_factory=dict)
    ce_inode: int = 0
    install_reason: int = 0
    first_install: str = "2024-01-01 00:00:00"
    op_times: dict[int, str] = field(default_factory=dict)  # decorative `; time=...` suffixes


@dataclass
class Package:
    name: str
    app_id: int
    version_code: int
    version_name: str
    min_sdk: int
    target_sdk: int
    system: bool = False
    privileged: bool = False
    updated_system: bool = False
    installer: str | None = None
    code_path: str = ""
    requested: list[str] = field(default_factory=list)
    declared: list[tuple[str, str]] = field(default_factory=list)  # (name, prot)
    shared_user: str | None = None
    users: dict[int, UserState] = field(default_factory=dict)
    timestamp: str = "2024-01-01 00:00:00"
    last_update: str = "2024-01-01 00:00:00"
    primary_abi: str | None = "arm64-v8a"
    apk_signing_version: int = 2
    splits: tuple[str, ...] = ("base",)

    @property
    def legacy(self) -> bool:
        return self.target_sdk < 23

    def uid(self, user: int) -> int:
        return user * PER_USER_RANGE + self.app_id

    @property
    def source_dir(self) -> str:
        return (
            self.code_path + "/base.apk" if not self.code_path.endswith(".apk") else self.code_path
        )

    def installed_for(self, user: int) -> bool:
        state = self.users.get(user)
        return state is not None and state.installed


LISTENER_MIRROR_DELAY_S = 0.25  # NotificationManagerService.handleSavePolicyFile, Android 14
LISTENER_MIRROR_POST_S = 0.002  # a plain IoThread post: soon, but never before the call returns


@dataclass
class Model:
    props: dict[str, str]
    release: Release
    ops: OpTable
    users: list[User]
    current_user: int
    packages: dict[str, Package]
    whitelist_except_idle: list[str] = field(default_factory=list)
    whitelist_system: list[str] = field(default_factory=list)
    whitelist_user: list[str] = field(default_factory=list)
    secure: dict[int, dict[str, str]] = field(default_factory=dict)
    system_settings: dict[int, dict[str, str]] = field(default_factory=dict)
    global_settings: dict[str, str] = field(default_factory=dict)
    shell_grant_lock: bool = False  # MIUI/HyperOS until "USB debugging (Security settings)"
    declared_permissions: dict[str, str] = field(default_factory=dict)  # app-defined -> prot
    _pids: itertools.count[int] = field(default_factory=lambda: itertools.count(4100))
    # The phone's clock: the device adds the time its running script has spent so far.
    clock: Callable[[], float] = time.monotonic
    wait: Callable[[float], None] = time.sleep  # the device makes it part of the script's cost
    # NotificationManagerService's approved listeners per user (its policy file), and the
    # Settings.Secure mirror it writes later: user -> (when, value).
    approved_listeners: dict[int, list[str]] = field(default_factory=dict)
    _listener_mirror: dict[int, tuple[float, str]] = field(default_factory=dict)
    # Do Not Disturb (zen.py); its mode is mirrored into Settings.Global.ZEN_MODE.
    zen: Zen = field(default_factory=lambda: Zen(sdk=0))
    _zen_fix_at: float | None = None

    def __post_init__(self) -> None:
        self.zen.sdk = self.sdk
        self.zen.on_mode = self._write_zen_mode
        self._write_zen_mode(self.zen.mode)

    def _write_zen_mode(self, mode: int) -> None:
        self.global_settings["zen_mode"] = str(mode)

    # What the apps did (hardener.sim.android.behaviour) and Android's records of it.
    access: AccessLog = field(default_factory=AccessLog)
    behaviours: list[Any] = field(default_factory=list)  # behaviour.Behaviour
    behaviour_origin_ms: int | None = None  # periodic reads fall on it plus whole periods

    # ---- lookups -------------------------------------------------------------------

    @property
    def sdk(self) -> int:
        return self.release.sdk

    def user(self, user_id: int) -> User | None:
        for user in self.users:
            if user.id == user_id:
                return user
        return None

    def user_ids(self) -> list[int]:
        return [user.id for user in self.users]

    def check_shell_access(self, user_id: int, site: str, callers: str | None = None) -> None:
        """A profile with DISALLOW_DEBUGGING_FEATURES refuses the shell.

        Through `UserController.handleIncomingUser` (pm's translateUserId, am) the message
        gets a second line, `Debug.getCallers(3)`: three `Class.method:line` and a trailing
        space. `callers` is that line; None for the paths without it.
        """
        user = self.user(user_id)
        if user is not None and user.shell_restricted:
            message = f"Shell does not have permission to access user {user_id}"
            if callers:
                message += "\n " + callers
            raise security(message, site)

    def resolve_user(self, user_id: int) -> int:
        """USER_CURRENT (-2) -> the foreground user."""
        return self.current_user if user_id == -2 else user_id

    def package(self, name: str) -> Package | None:
        return self.packages.get(name)

    def installed(self, name: str, user: int) -> Package | None:
        pkg = self.packages.get(name)
        if pkg is None or not pkg.installed_for(user):
            return None
        return pkg

    def is_exempt(self, name: str) -> bool:
        return name in self.whitelist_user or name in self.whitelist_system

    def effective_bucket(self, pkg: Package, user: int) -> int:
        return 5 if self.is_exempt(pkg.name) else pkg.users[user].bucket

    def permission_known(self, name: str) -> bool:
        return pf.permission_exists(name, self.sdk) or name in self.declared_permissions

    def permission_changeable(self, name: str) -> bool:
        return pf.is_runtime(name, self.sdk)

    # ---- runtime permissions -------------------------------------------------------

    def _check_grant_target(
        self, pkg_name: str, perm: str, user: int, grant: bool
    ) -> Package | None:
        """The checks both grant and revoke make, in the order the release makes them."""
        verb = "grant" if grant else "revoke"
        self.check_shell_access(user, f"{verb}.user", PM_CALLERS)  # translateUserId comes first
        if self.user(user) is None:
            return None  # "No such user" is only logged
        if self.shell_grant_lock:
            needed = "GRANT_RUNTIME_PERMISSIONS" if grant else "REVOKE_RUNTIME_PERMISSIONS"
            raise security(
                f"{verb}RuntimePermission: Neither user 2000 nor current process has "
                f"android.permission.{needed}.",
                f"{verb}.enforce",
            )
        pkg = self.installed(pkg_name, user) or self.packages.get(pkg_name)
        if pkg is None:
            if self.sdk >= 30:
                return None  # PermissionManagerServiceImpl logs "Unknown package" and returns
            raise illegal_argument(f"Unknown package: {pkg_name}", f"{verb}.package")
        if not self.permission_known(perm):
            raise illegal_argument(f"Unknown permission: {perm}", f"{verb}.unknown")
        requested = perm in pkg.requested
        if self.sdk >= 30:
            if not self.permission_changeable(perm):
                raise security(
                    f"Permission {perm} requested by {pkg.name} "
                    "is not a changeable permission type",
                    f"{verb}.type",
                )
            if not requested:
                raise security(
                    f"Package {pkg.name} has not requested permission {perm}", f"{verb}.requested"
                )
        else:
            if not requested:
                raise security(
                    f"Package {pkg.name} has not requested permission {perm}", f"{verb}.requested"
                )
            if not self.permission_changeable(perm):
                raise security(
                    f"Permission {perm} is not a changeable permission type", f"{verb}.type"
                )
        return pkg

    def grant(self, pkg_name: str, perm: str, user: int) -> None:
        pkg = self._check_grant_target(pkg_name, perm, user, grant=True)
        if pkg is None or pkg.legacy or not pkg.installed_for(user):
            return
        state = pkg.users[user].runtime.setdefault(perm, PermState(False))
        if state.flags & FLAG_BITS["SYSTEM_FIXED"]:
            if self.sdk < 30:
                raise security(
                    f"Cannot grant system fixed permission {perm} for package {pkg.name}",
                    "grant.fixed",
                )
            return
        if state.flags & FLAG_BITS["POLICY_FIXED"]:
            if self.sdk < 30:
                raise security(
                    f"Cannot grant policy fixed permission {perm} for package {pkg.name}",
                    "grant.fixed",
                )
            return
        if not state.granted:
            state.granted = True
            state.flags &= ~(FLAG_BITS["ONE_TIME"] | FLAG_BITS["AUTO_REVOKED"])
        self.sync_ops(pkg, user)

    def revoke(self, pkg_name: str, perm: str, user: int) -> None:
        pkg = self._check_grant_target(pkg_name, perm, user, grant=False)
        if pkg is None or pkg.legacy or not pkg.installed_for(user):
            return
        state = pkg.users[user].runtime.setdefault(perm, PermState(False))
        if state.flags & FLAG_BITS["SYSTEM_FIXED"]:
            raise security(
                "Non-System UID cannot revoke system fixed permission "
                f"{perm} for package {pkg.name}",
                "revoke.fixed",
            )
        if state.flags & FLAG_BITS["POLICY_FIXED"]:
            raise security(
                f"Cannot revoke policy fixed permission {perm} for package {pkg.name}",
                "revoke.fixed",
            )
        if state.granted:
            state.granted = False
            self.kill(pkg, user)  # onPermissionRevoked -> killUid
        self.sync_ops(pkg, user)

    def update_flags(self, pkg_name: str, perm: str, mask: int, values: int, user: int) -> None:
        """`pm set/clear-permission-flags` -> PermissionManager.updatePermissionFlags."""
        self.check_shell_access(user, "flags.user", PM_CALLERS)
        if self.user(user) is None:
            return
        if self.shell_grant_lock:
            raise security(
                "updatePermissionFlags requires android.permission.GRANT_RUNTIME_PERMISSIONS or "
                "android.permission.REVOKE_RUNTIME_PERMISSIONS",
                "flags.enforce",
            )
        pkg = self.installed(pkg_name, user)
        if pkg is None:
            return  # logged "Unknown package" and ignored
        if not self.permission_known(perm):
            raise illegal_argument(f"Unknown permission: {perm}", "flags.unknown")
        if perm not in pkg.requested or not self.permission_changeable(perm):
            return  # no permission state: logged and ignored
        state = pkg.users[user].runtime.setdefault(perm, PermState(pkg.legacy))
        # Non-system callers may not set REVIEW_REQUIRED except on POST_NOTIFICATIONS.
        review = FLAG_BITS["REVIEW_REQUIRED"]
        if values & review and perm != pf.P + "POST_NOTIFICATIONS":
            values &= ~review
            mask &= ~review if not state.flags & review else mask
        state.flags = (state.flags & ~mask) | (values & mask)
        self.sync_ops(pkg, user)

    # ---- app-ops ---------------------------------------------------------------------

    def _enforce_appops(self) -> None:
        if self.shell_grant_lock:
            raise security(
                "uid 2000 does not have android.permission.MANAGE_APP_OPS_MODES.", "appops.enforce"
            )

    def set_uid_mode(self, pkg: Package, user: int, code: int, mode: str) -> None:
        self._enforce_appops()
        state = pkg.users[user]
        self._store_mode(state.uid_ops, code, mode)
        op_name = self.ops.name(code)
        if self.release.permission_policy_sync:
            for perm, op in pf.PERMISSION_OP.items():
                if op == op_name and perm in pkg.requested and pkg.legacy:
                    perm_state = state.runtime.setdefault(perm, PermState(True))
                    if mode in ("allow", "foreground"):
                        perm_state.flags &= ~FLAG_BITS["REVOKED_COMPAT"]
                    else:
                        perm_state.flags |= FLAG_BITS["REVOKED_COMPAT"]
            self.sync_ops(pkg, user)

    def set_package_mode(self, pkg: Package, user: int, code: int, mode: str) -> None:
        self._enforce_appops()
        self._store_mode(pkg.users[user].package_ops, code, mode)
        if self.release.permission_policy_sync:
            self.sync_ops(pkg, user)

    def _store_mode(self, table: dict[int, str], code: int, mode: str) -> None:
        """AppOpsService prunes an op set back to its default mode (vendor ops: kept)."""
        if code < len(self.ops.names) and mode == self.ops.default_mode(code):
            table.pop(code, None)
        else:
            table[code] = mode

    def sync_ops(self, pkg: Package, user: int) -> None:
        """PermissionPolicyService: runtime-permission ops follow the grants (Android 10+)."""
        if not self.release.permission_policy_sync:
            return
        state = pkg.users[user]
        desired: dict[str, str] = {}
        revoked_compat = FLAG_BITS["REVOKED_COMPAT"]
        for perm in pkg.requested:
            op = pf.PERMISSION_OP.get(perm)
            if op is None or not self.permission_changeable(perm):
                continue
            perm_state = state.runtime.get(perm)
            granted = perm_state is not None and (
                perm_state.granted and not perm_state.flags & revoked_compat
            )
            if pkg.legacy and perm_state is None:
                granted = True
            mode = "allow" if granted else "ignore"
            background = pf.BACKGROUND_PERMISSION.get(perm)
            if granted and background is not None and pkg.target_sdk >= 29:
                bg_state = state.runtime.get(background)
                if background in pkg.requested and bg_state is not None and bg_state.granted:
                    mode = "allow"
                else:
                    mode = "foreground"
            desired[op] = mode
        # FINE_LOCATION's switch op is COARSE_LOCATION: the location group shares one mode.
        if "FINE_LOCATION" in desired or "COARSE_LOCATION" in desired:
            fine = desired.pop("FINE_LOCATION", "ignore")
            coarse = desired.get("COARSE_LOCATION", "ignore")
            rank = {"ignore": 0, "foreground": 1, "allow": 2}
            desired["COARSE_LOCATION"] = max(fine, coarse, key=rank.__getitem__)
        for op, mode in desired.items():
            code = self.ops.code(op)
            if code is None:
                continue
            self._store_mode(state.uid_ops, code, mode)
            state.package_ops.pop(code, None)  # "Work around incorrectly-set package mode"

    # ---- processes, standby, power ---------------------------------------------------

    def kill(self, pkg: Package, user: int) -> None:
        state = pkg.users.get(user)
        if state is not None:
            state.running = False
            state.pid = 0

    def start(self, pkg: Package, user: int) -> None:
        state = pkg.users[user]
        state.running = True
        state.pid = next(self._pids)

    def force_stop(self, pkg_name: str, user: int) -> None:
        pkg = self.packages.get(pkg_name)
        if pkg is None:
            return
        users = self.user_ids() if user == -1 else [user]
        for user_id in users:
            if pkg.installed_for(user_id):
                self.kill(pkg, user_id)
                pkg.users[user_id].stopped = True

    def set_bucket(self, pkg_name: str, bucket: int, user: int) -> None:
        pkg = self.installed(pkg_name, user)
        if pkg is None:
            raise illegal_argument(
                f"Cannot set standby bucket for non existent package ({pkg_name})", "bucket.set"
            )
        if self.sdk >= 31 and not 10 <= bucket <= 50:
            raise illegal_argument(f"Cannot set the standby bucket to {bucket}", "bucket.set")
        if self.is_exempt(pkg_name):
            return  # AppStandbyController: min bucket EXEMPTED wins, nothing changes
        pkg.users[user].bucket = bucket

    def suspend(self, pkg_name: str, suspended: bool, user: int) -> bool:
        pkg = self.installed(pkg_name, user)
        if pkg is None:
            return False
        state = pkg.users[user]
        if suspended:
            if pkg.system and pkg.name in {"android", "com.android.shell", "com.android.settings"}:
                return False
            state.suspended = True
            state.suspending_package = "com.android.shell"
            self.kill(pkg, user)
        elif state.suspending_package in (None, "com.android.shell"):
            state.suspended = False
            state.suspending_package = None
        return state.suspended

    def whitelist_add(self, pkg_name: str) -> bool:
        pkg = self.packages.get(pkg_name)
        if pkg is None:
            return False
        if pkg_name not in self.whitelist_user:
            self.whitelist_user.append(pkg_name)
        return True

    def whitelist_remove(self, pkg_name: str) -> bool:
        if pkg_name in self.whitelist_user:
            self.whitelist_user.remove(pkg_name)
            return True
        return False

    # ---- secure settings, listeners ---------------------------------------------------

    def secure_settings(self, user: int) -> dict[str, str]:
        table = self.secure.setdefault(user, {})
        pending = self._listener_mirror.get(user)
        if pending is not None and self.clock() >= pending[0]:
            table["enabled_notification_listeners"] = pending[1]
            del self._listener_mirror[user]
        return table

    def settings_table(self, namespace: str, user: int) -> dict[str, str]:
        if namespace == "secure":
            return self.secure_settings(user)
        if namespace == "global":
            if self._zen_fix_at is not None and self.clock() >= self._zen_fix_at:
                self.settle()
            return self.global_settings
        return self.system_settings.setdefault(user, {})

    def listeners(self, user: int) -> list[str]:
        """NotificationManagerService's approved listeners for `user` (its own list, which
        the Secure setting mirrors later)."""
        current = self.approved_listeners.get(user)
        if current is None:
            listed = self.secure.get(user, {}).get("enabled_notification_listeners", "")
            return [c for c in listed.split(":") if c]
        return list(current)

    def set_listener(self, component: str, user: int, allowed: bool) -> None:
        """`setNotificationListenerAccessGrantedForUser`: the approved list changes now; the
        Secure setting is rewritten when the policy file is saved, on the IoThread, 250 ms
        later on Android 14 (`handleSavePolicyFile` posts with a delay; earlier releases post
        at once, still after the call returns). Until then the setting shows the old list."""
        current = self.approved_listeners.get(user)
        if current is None:
            table = self.secure_settings(user)
            listed = table.get("enabled_notification_listeners", "")
            current = self.approved_listeners[user] = [c for c in listed.split(":") if c]
        if allowed and component not in current:
            current.append(component)
        if not allowed:
            current[:] = [c for c in current if c != component]
        delay = LISTENER_MIRROR_DELAY_S if self.sdk >= 34 else LISTENER_MIRROR_POST_S
        self._listener_mirror[user] = (self.clock() + delay, ":".join(current))

    def setting_changed(self, namespace: str, key: str) -> None:
        """A `settings put/delete` happened; system observers react (ZenModeHelper puts
        `zen_mode` back to the real mode soon after: a write cannot change DND)."""
        if namespace == "global" and key == "zen_mode":
            self._zen_fix_at = self.clock() + SETTING_FIX_DELAY_S

    def settle(self) -> None:
        """Run what system observers posted "soon" (a handler message): done by the time
        the next shell round trip arrives. Today: ZenModeHelper's `zen_mode` write-back."""
        if self._zen_fix_at is None:
            return
        self._zen_fix_at = None
        # Global.getInt(ZEN_MODE, ZEN_MODE_OFF): absent or not a number reads 0.
        text = self.global_settings.get("zen_mode", "0")
        written = int(text) if text.lstrip("-").isdigit() else 0
        if written != self.zen.mode:
            self.zen.setting_written()
