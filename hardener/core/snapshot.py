"""The pure side of reading a phone: which commands each phase sends, and how their
outputs become a `Discovery` and a `Snapshot`.

`hardener.device.collect` sends these commands and hands the outputs back here; nothing in
this module talks to a phone, so the whole assembly is tested from text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from hardener.android import commands
from hardener.android.catalog.capabilities import CAPABILITIES, MAX_SDK
from hardener.android.parsers import (
    OEM_LOCK,
    PACKAGE,
    UID,
    USER_ACCESS,
    AppOpsDump,
    AppOpsGet,
    PackageDump,
    PackageDumpResult,
    ShellError,
    parse_appops_get,
    parse_component_list,
    parse_current_user,
    parse_deviceidle_whitelist,
    parse_dumpsys_appops,
    parse_dumpsys_package,
    parse_getprop,
    parse_pm_list_packages,
    parse_pm_list_users,
    parse_settings_get,
    parse_shell_error,
    parse_standby_buckets,
)
from hardener.android.parsers.zen import ZenDump, parse_zen_dump, parse_zen_mode
from hardener.android.roms import detect_rom
from hardener.core.command_result import CommandResult
from hardener.core.reads import Outputs, Read, ReadKind
from hardener.core.records import AppState, DeviceFeatures, DeviceInfo, DoNotDisturb, Snapshot, User

PackageFilter = Callable[[str, bool], bool]  # (package, third_party) -> inspect it?


LISTENERS = "enabled_notification_listeners"
ACCESSIBILITY = "enabled_accessibility_services"

# Phase 1: what the phone is and what is installed.
PROPS = ReadKind("getprop", commands.getprop, parse_getprop)
USERS = ReadKind("users", commands.list_users, parse_pm_list_users)
CURRENT_USER = ReadKind("current_user", commands.current_user, parse_current_user)
# --user 0 explicitly: without it Samsung's Secure Folder makes the whole list fail.
# -u adds packages installed only in other users (a work profile's DingTalk).
ALL_PACKAGES = ReadKind(
    "packages", lambda: commands.list_packages("-U", "-u", user=0), parse_pm_list_packages
)
THIRD_PARTY = ReadKind(
    "third_party", lambda: commands.list_packages("-3", "-u", user=0), parse_pm_list_packages
)
PM_HELP = ReadKind("pm_help", commands.pm_help, lambda text: "set-permission-flags" in text)

# Phase 2: the state of the apps that matter, in every user.
IDLE_WHITELIST = ReadKind("idle_whitelist", commands.idle_whitelist, parse_deviceidle_whitelist)
BUCKETS = ReadKind("buckets", commands.standby_buckets, parse_standby_buckets)
LISTENER_SETTING = ReadKind(
    "listeners", lambda user: commands.secure_setting(user, LISTENERS), lambda text: text
)
ACCESSIBILITY_SETTING = ReadKind(
    "accessibility", lambda user: commands.secure_setting(user, ACCESSIBILITY), lambda text: text
)
ZEN_MODE = ReadKind("zen_mode", commands.zen_mode, parse_zen_mode)
ZEN_DUMP = ReadKind("zen_dump", commands.dumpsys_zen, parse_zen_dump)
ALL_PACKAGE_DUMP = ReadKind("dumpsys_package", commands.dumpsys_all_packages, parse_dumpsys_package)
ALL_APPOPS_DUMP = ReadKind("dumpsys_appops", commands.dumpsys_appops, parse_dumpsys_appops)
PACKAGE_DUMP = ReadKind("package", commands.dumpsys_package, parse_dumpsys_package)
APPOPS = ReadKind("appops", commands.appops_get, parse_appops_get)


@dataclass(frozen=True)
class Discovery:
    """What phase 1 learned: enough to know what phase 2 must read."""

    transport_serial: str
    props: Mapping[str, str]
    users: tuple[User, ...]
    current_user: int
    packages: Mapping[str, int | None]  # every package on the phone (any user) -> user-0 uid
    third_party: frozenset[str]
    permission_flags: bool
    problems: tuple[str, ...] = ()
    # False when `pm list packages -3` was refused (e.g. by a Samsung Secure Folder): the
    # SYSTEM flag of each app's dump then says which apps are system apps.
    third_party_known: bool = True
    round_trips: int = 1  # what phase 1 took (a split script takes more than one)

    @property
    def device(self) -> DeviceInfo:
        return device_info(self.props, self.transport_serial)

    @property
    def features(self) -> DeviceFeatures:
        return DeviceFeatures(
            permission_flags=self.permission_flags, restricted_bucket=self.device.sdk >= 31
        )


def discovery_reads() -> list[Read]:
    return [kind.at() for kind in (PROPS, USERS, CURRENT_USER, ALL_PACKAGES, THIRD_PARTY, PM_HELP)]


def parse_discovery(transport_serial: str, outputs: Outputs) -> Discovery:
    problems: list[str] = []
    users = USERS.parsed(outputs)
    user_list = users.users or (User(0, "Owner"),)
    if users.error or not users.users:
        why = _why(USERS.result(outputs))
        problems.append(f"could not list users ({why}); assuming user 0 only")
    everything = ALL_PACKAGES.parsed(outputs)
    third = THIRD_PARTY.parsed(outputs)
    if everything.error:
        problems.append(f"could not list packages: {everything.error.message}")
    if third.error:
        problems.append(
            f"could not list third-party packages: {third.error.message}; "
            "each app's SYSTEM flag says which are system apps instead"
        )
    packages = {entry.package: entry.uid for entry in everything.entries}
    for entry in third.entries:  # a phone that ignores -U still lists names
        packages.setdefault(entry.package, entry.uid)
    current = CURRENT_USER.parsed(outputs)
    return Discovery(
        transport_serial=transport_serial,
        props=PROPS.parsed(outputs),
        users=user_list,
        current_user=current if current is not None else 0,
        packages=packages,
        third_party=frozenset(third.names),
        permission_flags=PM_HELP.parsed(outputs),
        problems=tuple(problems),
        third_party_known=third.error is None,
    )


# From this many packages on, phase 2 reads the whole device (`dumpsys package`,
# `dumpsys appops`: two commands) instead of two commands per package and user. Every
# command costs the phone time whether batched or not, so past a few dozen apps fewer,
# bigger commands win; below, per-package output is smaller and its format steadier.
WHOLE_DEVICE_FROM = 40


@dataclass(frozen=True)
class DetailRequest:
    """Which packages and users phase 2 reads, and the commands for them, in order."""

    packages: tuple[str, ...]
    users: tuple[int, ...]
    reads: tuple[Read, ...] = field(default=())
    whole_device: bool = False
    dnd: bool = True  # Do Not Disturb's mode and policy too (see `Choice`)

    @property
    def commands(self) -> tuple[str, ...]:
        return tuple(read.command for read in self.reads)


@dataclass(frozen=True)
class Choice:
    """What a run wants phase 2 to read: these packages, and Do Not Disturb or not.

    Do Not Disturb is phone-wide and costs two reads (one a dumpsys) in every phase 2, so a
    profile run reads it only when it can matter: the profile's `quiet_calls`, or a mode
    the journal (or a job armed on the phone) holds. A bare list of packages means "and
    Do Not Disturb too" (scan, doctor: they show it)."""

    packages: tuple[str, ...]
    dnd: bool = True

    @classmethod
    def of(cls, chosen: Iterable[str] | Choice) -> Choice:
        return chosen if isinstance(chosen, Choice) else cls(tuple(chosen))


def detail_request(
    discovery: Discovery,
    packages: Iterable[str],
    *,
    whole_device: bool | None = None,
    dnd: bool = True,
) -> DetailRequest:
    wanted = tuple(
        sorted({p for p in packages if p in discovery.packages and commands.is_package(p)})
    )
    if whole_device is None:
        whole_device = len(wanted) >= WHOLE_DEVICE_FROM
    return _request(wanted, tuple(user.id for user in discovery.users), whole_device, dnd)


# Phone-wide reads that open every phase 2 (and every read-back): the battery allow-list,
# then, when asked for, Do Not Disturb's mode and policy (`ZEN_READS` of them).
ZEN_READS = 2


def _request(
    wanted: tuple[str, ...], users: tuple[int, ...], whole_device: bool, dnd: bool
) -> DetailRequest:
    out = [IDLE_WHITELIST.at(), *((ZEN_MODE.at(), ZEN_DUMP.at()) if dnd else ())]
    for user in users:
        out += [BUCKETS.at(user), LISTENER_SETTING.at(user), ACCESSIBILITY_SETTING.at(user)]
    if whole_device:
        out += [ALL_PACKAGE_DUMP.at(), ALL_APPOPS_DUMP.at()]
    else:
        for package in wanted:
            out.append(PACKAGE_DUMP.at(package))
            out += [APPOPS.at(user, package) for user in users]
    return DetailRequest(wanted, users, tuple(out), whole_device, dnd)


def assemble(discovery: Discovery, request: DetailRequest, outputs: Outputs) -> Snapshot:
    """The snapshot from phase 1's discovery and phase 2's outputs, looked up by read name."""
    problems = list(discovery.problems)
    whitelist = IDLE_WHITELIST.parsed(outputs)
    exempt = whitelist.user
    dnd = (
        _dnd(discovery.device.sdk, ZEN_MODE.result(outputs), ZEN_DUMP.result(outputs))
        if request.dnd
        else None
    )
    users: list[User] = []
    buckets: dict[int, Mapping[str, int]] = {}
    by_id = {user.id: user for user in discovery.users}
    for user_id in request.users:
        bucket_r = BUCKETS.result(outputs, user_id)
        listeners_r = LISTENER_SETTING.result(outputs, user_id)
        accessibility_r = ACCESSIBILITY_SETTING.result(outputs, user_id)
        denied = _user_denied(bucket_r, listeners_r, accessibility_r)
        base = by_id[user_id]
        if denied:
            problems.append(f"user {user_id} ({base.name}): {denied}")
            users.append(user_with(base, reachable=False))
            continue
        buckets[user_id] = parse_standby_buckets(bucket_r.output)
        users.append(
            user_with(
                base,
                listeners=_components(listeners_r.output),
                accessibility=_components(accessibility_r.output),
            )
        )
    reachable = {user.id: user for user in users if user.reachable}
    apps: list[AppState] = []
    packages_dump: PackageDumpResult | None = None
    ops_dump: AppOpsDump | None = None
    if request.whole_device:
        packages_dump = ALL_PACKAGE_DUMP.parsed(outputs)
        ops_dump = ALL_APPOPS_DUMP.parsed(outputs)
    for package in request.packages:
        if packages_dump is None:
            dump = PACKAGE_DUMP.parsed(outputs, package).get(package)
            ops_results = {user: APPOPS.result(outputs, user, package) for user in request.users}
        else:
            dump = packages_dump.get(package)
        if dump is None:
            continue  # uninstalled since phase 1, or the dump was refused
        for user_id, user in reachable.items():
            state = dump.users.get(user_id)
            if state is None or state.installed is False:
                continue
            uid = dump.uid(user_id)
            if ops_dump is not None:
                uid_ops, package_ops = ops_from_dump(ops_dump, uid, package)
            else:
                ops = parse_appops_get(ops_results[user_id].output)
                if ops.error is not None and ops.error.kind != "no_uid":
                    problems.append(
                        f"{package} (user {user_id}): app-ops unreadable: {ops.error.message}"
                    )
                uid_ops, package_ops = ops_by_scope(ops, UID), ops_by_scope(ops, PACKAGE)
            apps.append(
                app_state(
                    discovery,
                    dump,
                    user,
                    uid_ops,
                    package_ops,
                    bucket=buckets.get(user_id, {}).get(package),
                    exempt=package in exempt,
                )
            )
    return Snapshot(
        device=discovery.device,
        features=discovery.features,
        users=tuple(users),
        current_user=discovery.current_user,
        apps=tuple(apps),
        problems=tuple(problems),
        dnd=dnd,
    )


# `cmd notification set_dnd` is in NotificationShellCmd from Android 11 (API 30).
SET_DND_FROM_SDK = 30


def _dnd(sdk: int, mode_r: CommandResult, dump_r: CommandResult) -> DoNotDisturb:
    """Do Not Disturb from `settings get global zen_mode` and `dumpsys notification --zen`."""
    return dnd_of(sdk, parse_zen_mode(mode_r.output), parse_zen_dump(dump_r.output))


def dnd_of(sdk: int, mode: int | None, dump: ZenDump) -> DoNotDisturb:
    """Do Not Disturb from the mode in force and the zen dump (live, or a bugreport's)."""
    manual = dump.manual_rule is not None and bool(dump.manual_rule.mode)
    return DoNotDisturb(
        mode=mode,
        shell_route=sdk >= SET_DND_FROM_SDK,
        calls=dump.calls,
        calls_from=dump.calls_from,
        repeat_callers=dump.repeat_callers,
        messages=dump.messages,
        messages_from=dump.messages_from,
        manual=manual,
        schedules_on=dump.schedules_on,
    )


def app_state(
    discovery: Discovery,
    dump: PackageDump,
    user: User,
    uid_ops: Mapping[str, str],
    package_ops: Mapping[str, str],
    *,
    bucket: int | None,
    exempt: bool,
) -> AppState:
    """One app in one user, from its package dump and the user's other readings (shared by
    the live read and the offline read of a bugreport)."""
    package = dump.name
    state = dump.users[user.id]
    uid = dump.uid(user.id)
    return AppState(
        package=package,
        user=user.id,
        uid=uid if uid is not None else -1,
        target_sdk=dump.target_sdk if dump.target_sdk is not None else 0,
        version_name=dump.version_name,
        system=package not in discovery.third_party if discovery.third_party_known else dump.system,
        requested=dump.requested,
        permissions=dict(state.runtime_permissions),
        uid_ops=dict(uid_ops),
        package_ops=dict(package_ops),
        standby_bucket=bucket,
        battery_exempt=exempt,
        suspended=bool(state.suspended),
        stopped=bool(state.stopped),
        enabled=state.enabled or 0,
        notification_listeners=_of(package, user.notification_listeners),
        accessibility_services=_of(package, user.accessibility_services),
    )


def selected(discovery: Discovery, select: PackageFilter) -> list[str]:
    if not discovery.third_party_known:  # read them all; the dumps' flags tell them apart
        return [p for p in discovery.packages if select(p, True)]
    return [p for p in discovery.packages if select(p, p in discovery.third_party)]


@dataclass(frozen=True)
class Layout:
    """Which users and apps phase 2 read last time on a phone: the guess for next time."""

    users: tuple[int, ...]
    packages: tuple[str, ...]
    whole_device: bool
    dnd: bool = True

    @classmethod
    def of(cls, request: DetailRequest) -> Layout:
        return cls(request.users, request.packages, request.whole_device, request.dnd)

    def request(self) -> DetailRequest:
        return _request(self.packages, self.users, self.whole_device, self.dnd)

    def covers(self, wanted: DetailRequest) -> bool:
        """Whether this guess's outputs hold everything `wanted` asks for."""
        if set(self.users) != set(wanted.users) or (wanted.dnd and not self.dnd):
            return False
        return self.whole_device or set(wanted.packages) <= set(self.packages)

    def to_json(self) -> dict[str, object]:
        return {
            "users": list(self.users),
            "packages": list(self.packages),
            "whole_device": self.whole_device,
            "dnd": self.dnd,
        }

    @classmethod
    def from_json(cls, data: object) -> Layout | None:
        """The layout in `data`, or None if anything in it is not what hardener wrote: its
        names reach a shell line, so a hand-edited file must not pass."""
        if not isinstance(data, dict):
            return None
        users, packages = data.get("users"), data.get("packages")
        whole = data.get("whole_device")
        if not isinstance(users, list) or not isinstance(packages, list) or not users:
            return None
        if not all(type(u) is int and 0 <= u < 1_000_000 for u in users):
            return None
        if not all(isinstance(p, str) and commands.is_package(p) for p in packages):
            return None
        dnd = data.get("dnd", True)  # layouts written before it was optional read it
        if not isinstance(whole, bool) or not isinstance(dnd, bool):
            return None
        return cls(tuple(users), tuple(sorted(set(packages))), whole, dnd)


def device_info(props: Mapping[str, str], transport_serial: str) -> DeviceInfo:
    """Identity and ROM from properties; the serial is the phone's own, not the transport's."""
    rom, rom_version = detect_rom(props)
    sdk_text = props.get("ro.build.version.sdk", "")
    return DeviceInfo(
        serial=props.get("ro.serialno") or props.get("ro.boot.serialno") or transport_serial,
        model=props.get("ro.product.model", ""),
        manufacturer=props.get("ro.product.manufacturer", ""),
        sdk=int(sdk_text) if sdk_text.isdigit() else 0,
        release=props.get("ro.build.version.release", ""),
        rom=rom.key,
        rom_version=rom_version,
        timezone=props.get("persist.sys.timezone", ""),
        fingerprint=props.get("ro.build.fingerprint", ""),
    )


# Ops Android keeps in uid mode: those behind runtime permissions, and the app-op
# permissions of APP_OP_PERMISSION_UID_OPS (AppOpsManager). Everything else is package mode.
UID_MODE_OPS = frozenset(
    {op.name for cap in CAPABILITIES.values() for op in cap.app_ops_for(MAX_SDK)}
    | {"FINE_LOCATION", "SCHEDULE_EXACT_ALARM", "USE_FULL_SCREEN_INTENT", "MANAGE_EXTERNAL_STORAGE"}
)


def ops_by_scope(ops: AppOpsGet, scope: str) -> dict[str, str]:
    """Modes of one scope. Where the text cannot say (Android prints `Uid mode:` only once),
    an op's nature decides: uid mode for permission ops, package mode for the rest."""
    out: dict[str, str] = {}
    for entry in ops.entries:
        resolved = entry.scope
        if resolved not in (UID, PACKAGE):
            resolved = UID if entry.op in UID_MODE_OPS else PACKAGE
        if resolved == scope:
            out.setdefault(entry.op, entry.mode)
    return out


def ops_from_dump(
    dump: AppOpsDump, uid: int | None, package: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Uid modes and this package's modes from `dumpsys appops` (no scope guessing needed:
    the dump prints the two apart)."""
    entry = dump.for_uid(uid) if uid is not None else None
    if entry is None:
        return {}, {}
    return dict(entry.uid_modes), dict(entry.packages.get(package, {}))


def _why(result: CommandResult) -> str:
    error = parse_shell_error(result.output)
    if error is not None:
        return error.message
    return f"exit {result.exit_code}" if result.exit_code else "no output"


def _user_denied(*results: CommandResult) -> str | None:
    for result in results:
        error: ShellError | None = parse_shell_error(result.output)
        if error is not None and error.kind in (USER_ACCESS, OEM_LOCK):
            return error.message
    return None


def user_with(
    base: User,
    *,
    reachable: bool = True,
    listeners: tuple[str, ...] = (),
    accessibility: tuple[str, ...] = (),
) -> User:
    return User(
        id=base.id,
        name=base.name,
        flags=base.flags,
        running=base.running,
        reachable=reachable,
        notification_listeners=listeners,
        accessibility_services=accessibility,
    )


def _components(output: str) -> tuple[str, ...]:
    """The setting's components exactly as written (`pkg/.Rel` stays short): restore writes
    them back, so they must not be normalised."""
    value = parse_settings_get(output)
    if not value:
        return ()
    return tuple(part for part in value.split(":") if parse_component_list(part))


def _of(package: str, components: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in components if c.split("/", 1)[0] == package)
