"""`dumpsys package`, `dumpsys deviceidle`, `dumpsys appops` in each release's shape.

Shapes follow `Settings.dumpPackageLPr` / `dumpRuntimePermissionsLPr` /
`permissionFlagsToString` (space-separated flags with a trailing space up to Android 9,
`|`-joined from 10), `DeviceIdleController.dump` and `AppOpsService.dump`, checked against
the real captures in shared/fixtures/android. Lists printed from ArrayMaps (packages,
runtime and install permissions, allow-lists) come out in ArrayMap (hash) order.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hardener.sim.android import platform as pf
from hardener.sim.android.commands import appops_records
from hardener.sim.android.commands.base import Ctx, java_bool
from hardener.sim.android.javaorder import arraymap_order, identity_hash
from hardener.sim.android.model import Package
from hardener.sim.android.shell import Result

_GIDS = {pf.P + "INTERNET": 3003, pf.P + "BLUETOOTH_ADMIN": 3001, pf.P + "BLUETOOTH": 3002}


def run(ctx: Ctx, argv: list[str], stdin: str) -> Result:
    if len(argv) < 2:
        return Result(
            "", "dumpsys: listing every service is not available on this virtual phone\n", 1
        )
    service = argv[1]
    rest = argv[2:]
    if service == "package":
        names = [a for a in rest if not a.startswith("-")]
        return package_dump(ctx, names[:1] if names else None)
    if service == "deviceidle":
        from hardener.sim.android.commands import deviceidle

        if rest:
            return deviceidle.run(ctx, ["deviceidle", *rest], stdin)
        return Result(deviceidle_dump(ctx))
    if service == "appops":
        return _appops(ctx, rest)
    if service == "notification":
        from hardener.sim.android.commands import notification_dump

        return notification_dump.run(ctx, rest)
    return Result("", f"Can't find service: {service}\n", 0)


# ------------------------------------------------------------------------ package


def flags_suffix(flags: int, pipe: bool) -> str:
    if not flags:
        return ""
    names = [pf.FLAG_NAMES_BY_BIT.get(1 << b, str(1 << b)) for b in range(32) if flags & (1 << b)]
    if not pipe:
        names = ["REVOKE_ON_UPGRADE" if n == "REVOKED_COMPAT" else n for n in names]
        return ", flags=[ " + "".join(n + " " for n in names) + "]"
    return ", flags=[ " + "|".join(names) + "]"


def package_dump(ctx: Ctx, names: list[str] | None) -> Result:
    model = ctx.model
    if names:
        name = names[0]
        if name not in model.packages:
            return Result(f"Unable to find package: {name}\n")
        selected = [name]
    else:
        selected = arraymap_order(model.packages)
    out: list[str] = []
    if names:
        pkg = model.packages[selected[0]]
        out.append(
            f"Key Set Manager:\n  [{pkg.name}]\n      Signing KeySets: {pkg.app_id % 97 + 1}\n\n"
        )
    else:
        out.append(_device_header(ctx))
    out.append("Packages:\n")
    for name in selected:
        out.append(_package_block(ctx, model.packages[name], bool(names)))
    if names:
        pkg = model.packages[selected[0]]
        if ctx.sdk >= 30:
            out.append(
                "\nQueries:\n  system apps queryable: false\n  queries via forceQueryable:\n"
                "  queries via package name:\n  queries via component:\n"
                "  queryable via interaction:\n"
            )
            for user in model.users:
                out.append(f"    User {user.id}:\n")
            out.append("  queryable via uses-library:\n")
        out.append(
            f"\nDexopt state:\n  [{pkg.name}]\n    path: {pkg.source_dir}\n"
            f"      arm64: [status=speed-profile] [reason=bg-dexopt]\n"
        )
    else:
        out.append(_shared_users(ctx))
    return Result("".join(out))


def _device_header(ctx: Ctx) -> str:
    props = ctx.model.props
    fingerprint = props.get("ro.build.fingerprint", "")
    return (
        "Database versions:\n"
        "  Internal:\n"
        f"    sdkVersion={ctx.sdk} databaseVersion=3\n"
        f"    fingerprint={fingerprint}\n"
        "  External:\n"
        f"    sdkVersion={ctx.sdk} databaseVersion=3\n"
        f"    fingerprint={fingerprint}\n"
        "\n"
        "Verifiers:\n"
        "  Required: com.android.vending (uid=10098)\n"
        "\n"
        "Libraries:\n"
        "  android.test.base -> (jar) /system/framework/android.test.base.jar\n"
        "  android.test.mock -> (jar) /system/framework/android.test.mock.jar\n"
        "\n"
        "Features:\n"
        "  reqGlEsVersion=0x30002\n"
        "  android.hardware.bluetooth\n"
        "  android.hardware.camera\n"
        "  android.hardware.location.gps\n"
        "  android.hardware.telephony\n"
        "  android.hardware.wifi\n"
        "\n"
    )


def _app_flags(pkg: Package) -> str:
    tokens = []
    if pkg.system:
        tokens.append("SYSTEM")
    tokens += ["HAS_CODE", "ALLOW_CLEAR_USER_DATA"]
    if pkg.updated_system:
        tokens.append("UPDATED_SYSTEM_APP")
    tokens.append("ALLOW_BACKUP")
    return "[ " + " ".join(tokens) + " ]"


def _private_flags(pkg: Package, sdk: int) -> str:
    tokens = ["PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE_VIA_SDK_VERSION"]
    if sdk >= 29:
        tokens.append("ALLOW_AUDIO_PLAYBACK_CAPTURE")
    if pkg.privileged:
        tokens += ["PARTIALLY_DIRECT_BOOT_AWARE", "PRIVILEGED"]
    return "[ " + " ".join(tokens) + " ]"


def _package_block(ctx: Ctx, pkg: Package, dump_all: bool) -> str:
    model = ctx.model
    sdk = ctx.sdk
    pipe = model.release.pipe_flags
    h = identity_hash
    lines = [f"  Package [{pkg.name}] ({h('ps', pkg.name)}):"]
    lines.append(f"    {model.release.app_id_label}={pkg.app_id}")
    if pkg.shared_user:
        lines.append(
            f"    sharedUser=SharedUserSetting{{{h('su', pkg.shared_user)} "
            f"{pkg.shared_user}/{pkg.app_id}}}"
        )
    lines.append(f"    pkg=Package{{{h('pkg', pkg.name)} {pkg.name}}}")
    code = pkg.code_path
    lines.append(f"    codePath={code}")
    lines.append(f"    resourcePath={code}")
    lines.append(f"    legacyNativeLibraryDir={code}/lib")
    if sdk >= 30:
        lines.append("    extractNativeLibs=false")
    lines.append(f"    primaryCpuAbi={pkg.primary_abi or 'null'}")
    lines.append("    secondaryCpuAbi=null")
    if sdk >= 30:
        lines.append("    cpuAbiOverride=null")
    lines.append(
        f"    versionCode={pkg.version_code} minSdk={pkg.min_sdk} targetSdk={pkg.target_sdk}"
    )
    if sdk >= 31:
        lines.append("    minExtensionVersions=[]")
    lines.append(f"    versionName={pkg.version_name}")
    if sdk >= 30:
        lines.append("    usesNonSdkApi=false")
    lines.append("    splits=[" + ", ".join(pkg.splits) + "]")
    lines.append(f"    apkSigningVersion={pkg.apk_signing_version}")
    if sdk < 30:
        lines.append(f"    applicationInfo=ApplicationInfo{{{h('ai', pkg.name)} {pkg.name}}}")
    lines.append(f"    flags={_app_flags(pkg)}")
    lines.append(f"    privateFlags={_private_flags(pkg, sdk)}")
    if sdk >= 30:
        lines.append("    forceQueryable=false")
    lines.append(f"    dataDir=/data/user/0/{pkg.name}")
    lines.append("    supportsScreens=[small, medium, large, xlarge, resizeable, anyDensity]")
    lines.append(f"    timeStamp={pkg.timestamp}")
    if not model.release.per_user_install_time:
        lines.append(f"    firstInstallTime={pkg.timestamp}")
    lines.append(f"    lastUpdateTime={pkg.last_update}")
    if pkg.installer is not None or sdk >= 30:
        lines.append(f"    installerPackageName={pkg.installer}")
    if sdk >= 34:
        installer = model.packages.get(pkg.installer or "")
        lines.append(f"    installerPackageUid={installer.app_id if installer else -1}")
        lines.append(f"    initiatingPackageName={pkg.installer}")
        lines.append("    originatingPackageName=null")
        lines.append(f"    packageSource={0 if pkg.system else 4}")
    lines.append(
        f"    signatures=PackageSignatures{{{h('sig', pkg.name)} "
        f"version:{pkg.apk_signing_version}, "
        f"signatures:[{h('cert', pkg.installer or 'platform', pkg.system)}], past signatures:[]}}"
    )
    lines.append("    installPermissionsFixed=true")
    lines.append(f"    pkgFlags={_app_flags(pkg)}")
    if pkg.declared:
        lines.append("    declared permissions:")
        for perm, prot in pkg.declared:
            lines.append(f"      {perm}: prot={prot}" + (", INSTALLED" if sdk <= 30 else ""))
    # Up to Android 9, `Settings.dumpPackageLPr` prints the requested list only with
    # `dumpAll` (a single-package dump): `if ((permissionNames != null || dumpAll) && …)` in
    # AOSP 7.1 and 9 alike. The Android 10 capture (dumpsys-package__10__samsung-galaxy-a40)
    # prints it in a whole-device dump.
    if pkg.requested and (dump_all or sdk >= 29):
        lines.append("    requested permissions:")
        lines.extend(f"      {perm}" for perm in pkg.requested)
    install = [p for p in pkg.requested if p in pf.NORMAL_PERMISSIONS]
    legacy_install = pkg.legacy and sdk <= 28
    if legacy_install:
        install += [p for p in pkg.requested if model.permission_changeable(p)]
    if install and not pkg.shared_user:
        lines.append("    install permissions:")
        for perm in arraymap_order(install):
            lines.append(f"      {perm}: granted=true")
    for user in model.users:
        lines.extend(_user_block(ctx, pkg, user.id, pipe, legacy_install, dump_all))
    return "\n".join(lines) + "\n"


def _user_block(
    ctx: Ctx, pkg: Package, user_id: int, pipe: bool, legacy_install: bool, dump_all: bool
) -> list[str]:
    sdk = ctx.sdk
    state = pkg.users.get(user_id)
    installed = state is not None and state.installed
    inode = state.ce_inode if state else 0
    head = f"    User {user_id}: ceDataInode={inode}"
    if sdk >= 30:
        head += f" deDataInode={inode + 17 if installed else 0}"
    suspended = bool(state and state.suspended)
    head += f" installed={java_bool(installed)} hidden={java_bool(bool(state and state.hidden))}"
    head += f" suspended={java_bool(suspended)}"
    if sdk <= 28 and suspended and state is not None:
        head += f" suspendingPackage={state.suspending_package} dialogMessage=null"
    if sdk >= 30:
        head += " distractionFlags=0"
    head += f" stopped={java_bool(bool(state and state.stopped))}"
    head += f" notLaunched={java_bool(bool(state and state.not_launched))}"
    head += f" enabled={state.enabled if state else 0} instant=false virtual=false"
    lines = [head]
    if state is None:
        return lines
    if sdk >= 33:
        lines.append(f"      installReason={state.install_reason}")
        lines.append(f"      firstInstallTime={state.first_install}")
        lines.append("      uninstallReason=0")
    if suspended and sdk >= 29:
        lines.append("    Suspend params:")
        lines.append(f"      suspendingPackage={state.suspending_package} dialogInfo=null")
    if pkg.shared_user or not installed:
        return lines
    gids = sorted({_GIDS[p] for p in pkg.requested if p in _GIDS})
    if gids:
        lines.append("      gids=[" + ", ".join(map(str, gids)) + "]")
    runtime = {} if legacy_install else dict(state.runtime)
    if sdk <= 28:  # PermissionsState drops a permission's data when it is back to default
        runtime = {k: v for k, v in runtime.items() if v.granted or v.flags}
    if runtime or dump_all:
        lines.append("      runtime permissions:")
        for perm in arraymap_order(runtime):
            perm_state = runtime[perm]
            lines.append(
                f"        {perm}: granted={java_bool(perm_state.granted)}"
                + flags_suffix(perm_state.flags, pipe)
            )
    return lines


def _shared_users(ctx: Ctx) -> str:
    shared: dict[str, int] = {}
    for pkg in ctx.model.packages.values():
        if pkg.shared_user:
            shared[pkg.shared_user] = pkg.app_id
    if not shared:
        return ""
    out = ["\nShared users:\n"]
    for name in arraymap_order(shared):
        out.append(f"  SharedUser [{name}] ({identity_hash('su', name)}):\n")
        out.append(f"    {ctx.model.release.app_id_label}={shared[name]}\n")
    return "".join(out)


# --------------------------------------------------------------------- deviceidle

_IDLE_SETTINGS = """  Settings:
    flex_time_short=+1m0s0ms
    light_after_inactive_to=+4m0s0ms
    light_idle_to=+5m0s0ms
    light_idle_to_initial_flex=+1m0s0ms
    light_max_idle_to_flex=+15m0s0ms
    light_idle_factor=2.0
    light_max_idle_to=+15m0s0ms
    light_idle_maintenance_min_budget=+1m0s0ms
    light_idle_maintenance_max_budget=+5m0s0ms
    min_light_maintenance_time=+5s0ms
    min_deep_maintenance_time=+30s0ms
    inactive_to=+30m0s0ms
    sensing_to=+4m0s0ms
    locating_to=+30s0ms
    location_accuracy=20.0m
    motion_inactive_to=+10m0s0ms
    motion_inactive_to_flex=+1m0s0ms
    idle_after_inactive_to=+30m0s0ms
    idle_pending_to=+5m0s0ms
    max_idle_pending_to=+10m0s0ms
    idle_pending_factor=2.0
    quick_doze_delay_to=+1m0s0ms
    idle_to=+1h0m0s0ms
    max_idle_to=+6h0m0s0ms
    idle_factor=2.0
    min_time_to_alarm=+1h0m0s0ms
    max_temp_app_allowlist_duration_ms=+5m0s0ms
    mms_temp_app_allowlist_duration_ms=+1m0s0ms
    sms_temp_app_allowlist_duration_ms=+20s0ms
    notification_allowlist_duration_ms=+30s0ms
    wait_for_unlock=true
    pre_idle_factor_long=1.67
    pre_idle_factor_short=0.33
    use_window_alarms=true
"""

_IDLE_STATE = """  mLightEnabled=true  mDeepEnabled=true
  mForceIdle=false
  mUseMotionSensor=true mMotionSensor={Sensor name="Significant motion", vendor="sim", \
version=1, type=17, maxRange=1.0, resolution=1.0, power=0.025, minDelay=-1}
  mScreenOn=true
  mScreenLocked=false
  mNetworkConnected=true
  mCharging=true
  activeEmergencyCall=false
  mMotionActive=false
  mNotMoving=false
  mLocating=false mHasGps=false mHasFused=false mLocated=false
  mState=ACTIVE mLightState=ACTIVE
  mInactiveTimeout=+30m0s0ms
"""


def _app_id(ctx: Ctx, name: str) -> int:
    pkg = ctx.model.packages.get(name)
    return pkg.app_id if pkg else 0


def deviceidle_dump(ctx: Ctx) -> str:
    model = ctx.model
    out = [_IDLE_SETTINGS]
    sections = [
        ("Whitelist (except idle) system apps:", model.whitelist_except_idle),
        ("Whitelist system apps:", model.whitelist_system),
        ("Whitelist user apps:", model.whitelist_user),
    ]
    for title, names in sections:
        if names:
            out.append(f"  {title}\n")
            out.extend(f"    {name}\n" for name in arraymap_order(names))
    except_ids = sorted(
        {
            _app_id(ctx, n)
            for n in [*model.whitelist_except_idle, *model.whitelist_system, *model.whitelist_user]
        }
    )
    user_ids = sorted({_app_id(ctx, n) for n in model.whitelist_user})
    all_ids = sorted({_app_id(ctx, n) for n in [*model.whitelist_system, *model.whitelist_user]})
    for title, ids in (
        ("Whitelist (except idle) all app ids:", except_ids),
        ("Whitelist user app ids:", user_ids),
        ("Whitelist all app ids:", all_ids),
    ):
        if ids:
            out.append(f"  {title}\n")
            out.extend(f"    {i}\n" for i in ids)
    out.append(_IDLE_STATE)
    return "".join(out)


# -------------------------------------------------------------------------- appops


def format_uid(uid: int) -> str:
    """`UserHandle.formatUid`: u0a103 for app uids, the number for system uids."""
    app_id = uid % 100_000
    user = uid // 100_000
    if app_id >= 10_000:
        return f"u{user}a{app_id - 10_000}"
    if user == 0:
        return str(app_id)
    return f"u{user}s{app_id}"


# The moment the virtual phone's history is measured from: access times in `appops get`
# are "ago" durations; `dumpsys appops` prints them as dates before this instant.
DUMP_NOW = datetime(2026, 11, 24, 12, 0, 0)
_DURATION_PART = re.compile(r"(\d+)(ms|d|h|m|s)")
_UNIT_MS = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "s": 1_000, "ms": 1}


def _access_line(suffix: str, now: datetime = DUMP_NOW) -> str | None:
    """`; time=+1d2h3m4s5ms ago` (as `appops get` prints it) -> the dump's Access line body."""
    match = re.search(r"time=\+([0-9dhms]+) ago", suffix)
    if match is None:
        return None
    ms = sum(int(n) * _UNIT_MS[unit] for n, unit in _DURATION_PART.findall(match.group(1)))
    when = now - timedelta(milliseconds=ms)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
    return f"Access: [fg-s] {stamp} (-{match.group(1)})"


def _appops(ctx: Ctx, rest: list[str]) -> Result:
    """`dumpsys appops [--package P] [--op OP] [--history] [--include-discrete [N]]`.

    As `AppOpsService.dump`: `--history` prints the aggregated history instead of the
    per-uid state (Android 10+), `--include-discrete N` then the discrete history (12+;
    N = how many of the latest accesses per attribution, 0 = all)."""
    pkg: str | None = None
    op: str | None = None
    history = False
    discrete: int | None = None
    index = 0
    while index < len(rest):
        arg = rest[index]
        value = rest[index + 1] if index + 1 < len(rest) else None
        if arg == "--package" and value is not None:
            pkg, index = value, index + 2
            continue
        if arg == "--op" and value is not None:
            code = ctx.model.ops.parse(value)
            if code is None:
                return Result(f"Unknown operation: {value}\n")
            op, index = ctx.model.ops.name(code), index + 2
            continue
        if arg == "--history" and ctx.sdk >= 29:
            history = True
        elif arg == "--include-discrete" and ctx.sdk >= 31:
            discrete = 10
            if value is not None and value.lstrip("-").isdigit():
                discrete, index = int(value), index + 1
        index += 1
    if not history and discrete is None:
        return Result(appops_dump(ctx, pkg, op))
    # Without --history the per-uid state comes first; --history replaces it.
    out = ["Current AppOps Service state:\n" if history else appops_dump(ctx, pkg, op)]
    if history:
        out.append(appops_records.history_dump(ctx, pkg, op))
    if discrete is not None:
        out.append(appops_records.discrete_dump(ctx, pkg, op, discrete))
    return Result("".join(out))


def appops_dump(ctx: Ctx, only: str | None, only_op: str | None = None) -> str:
    """AppOpsService.dump: per uid its uid modes, then per package every op that has a mode
    or an access history (Android 10 prints Access lines under the op; 11+ wraps them in a
    per-attribution-tag `null=[ ... ]`)."""
    model = ctx.model
    ops = model.ops
    out = [
        "Current AppOps Service state:\n",
        "  Settings:\n",
        "    top_state_settle_time=+5s0ms\n"
        if ctx.sdk >= 31
        else "    top_state_settle_time=+30s0ms\n",
        "    fg_service_state_settle_time=+5s0ms\n"
        if ctx.sdk >= 31
        else "    fg_service_state_settle_time=+10s0ms\n",
        "    bg_state_settle_time=+1s0ms\n",
        "\n",
    ]
    now = model.access.now_ms()
    dump_now = DUMP_NOW
    if model.access.clock is not None or model.access.simulated_until_ms is not None:
        dump_now = datetime.strptime(
            appops_records.stamp(now, appops_records.zone_of(model.props)), "%Y-%m-%d %H:%M:%S.%f"
        )
    per_uid: dict[int, tuple[dict[int, str], list[tuple[str, dict[int, str], dict[int, str]]]]] = {}
    for name in model.packages:
        pkg = model.packages[name]
        if only is not None and name != only:
            continue
        for user_id, state in pkg.users.items():
            uid = pkg.uid(user_id)
            logged = {
                code
                for code in (
                    ops.code(name)
                    for name in appops_records.last_access_ops(model.access, uid, name, now)
                )
                if code is not None
            }
            if not state.installed or not (
                state.uid_ops or state.package_ops or state.op_times or logged
            ):
                continue
            uid_modes, packages = per_uid.setdefault(uid, ({}, []))
            uid_modes.update(state.uid_ops)
            table = {
                code: state.package_ops.get(code, ops.default_mode(code))
                for code in {*state.package_ops, *state.op_times, *logged}
                if only_op is None or ops.name(code) == only_op
            }
            if table:
                packages.append((name, table, state.op_times))
    trailing = " " if ctx.sdk >= 34 else ""
    for uid in sorted(per_uid):
        uid_modes, packages = per_uid[uid]
        if only_op is not None and not (
            any(ops.name(code) == only_op for code in uid_modes)
            or any(table for _, table, _ in packages)
        ):
            continue  # AppOpsService.dump skips a uid without the op asked for
        out.append(f"  Uid {format_uid(uid)}:\n")
        out.append("    state=cch\n")
        if ctx.sdk >= 30:
            out.append("    capability=------\n")
            out.append("    appWidgetVisible=false\n")
        for code in sorted(uid_modes):
            if only_op is None or ops.name(code) == only_op:
                out.append(f"      {ops.name(code)}: mode={uid_modes[code]}\n")
        for name, table, times in sorted(packages):
            if not table:
                continue
            out.append(f"    Package {name}:\n")
            for code in sorted(table):
                out.append(f"      {ops.name(code)} ({table[code]}):{trailing}\n")
                records = appops_records.last_access_lines(
                    ctx, uid, name, ops.name(code), "        "
                )
                if records:
                    out.append("\n".join(records) + "\n")
                    continue
                access = _access_line(times.get(code, ""), dump_now)
                if access is None:
                    continue
                if ctx.sdk >= 30:
                    out.append(f"        null=[\n          {access}\n        ]\n")
                else:
                    out.append(f"          {access}\n")
    return "".join(out)
