"""Render Android output from plain data, in the documented grammar, for round-trip tests.

Written from the grammar notes (android-output-grammar.md) and AOSP source, never from the
parsers: a round trip only proves something if the two sides were written independently.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hardener.android import parsers as p
from hardener.android.parsers.appops_access import parse_last_access
from hardener.android.parsers.appops_history import parse_appops_history

# The shared captures live beside the repository (../shared/fixtures/android), unless
# $HARDENER_CAPTURES points elsewhere.
FIXTURES = Path(
    os.environ.get("HARDENER_CAPTURES")
    or Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "android"
)
FIXTURES_MISSING = (
    f"the real captures are not at {FIXTURES}: clone hardener beside the shared folder "
    "(../shared/fixtures/android) or set HARDENER_CAPTURES"
)

# Every public entry point that reads phone output, for the never-raise and speed tests.
PARSERS: list[Callable[[p.RawText], object]] = [
    p.to_text,
    p.lines,
    p.parse_getprop,
    p.parse_getprop_value,
    p.parse_pm_list_packages,
    p.parse_pm_list_users,
    p.parse_current_user,
    p.parse_dumpsys_package,
    p.parse_appops_get,
    lambda data: p.parse_appops_get(data, op="CAMERA"),
    p.parse_dumpsys_appops,
    parse_last_access,
    parse_appops_history,
    p.parse_standby_bucket,
    p.parse_standby_buckets,
    p.parse_deviceidle_whitelist,
    p.parse_dumpsys_deviceidle,
    p.parse_settings_get,
    p.parse_settings_list,
    p.parse_dumpsys_accessibility,
    p.parse_shell_error,
    p.parse_shell_errors,
]


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# Ways the same capture reaches hardener: as saved, through Windows tools, through old adb.
def encodings(raw: bytes) -> dict[str, bytes]:
    text = raw.decode("utf-8")
    crlf = text.replace("\n", "\r\n")
    return {
        "as-is": raw,
        "utf8-bom": b"\xef\xbb\xbf" + raw,
        "utf16le-bom-crlf": b"\xff\xfe" + crlf.encode("utf-16-le"),
        "utf16be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf16le-no-bom": text.encode("utf-16-le"),
        "crlf": crlf.encode("utf-8"),
        "cr-only": text.replace("\n", "\r").encode("utf-8"),
        "crcrlf": text.replace("\n", "\r\r\n").encode("utf-8"),
        "nul-padded": raw + b"\x00" * 7,
        "str": text,  # type: ignore[dict-item]
    }


def format_duration(ms: int) -> str:
    """TimeUtils.formatDuration: `+1d2h3m4s5ms`, zero units skipped up front, `+0` for 0."""
    if ms == 0:
        return "+0"
    sign = "-" if ms < 0 else "+"
    ms = abs(ms)
    days, ms = divmod(ms, 86_400_000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    out, started = [sign], False
    for value, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")):
        if value or started:
            out.append(f"{value}{unit}")
            started = True
    out.append(f"{ms}ms")
    return "".join(out)


# ---------------------------------------------------------------- getprop / pm list


def render_getprop(props: Mapping[str, str]) -> str:
    return "".join(f"[{key}]: [{value}]\n" for key, value in sorted(props.items()))


@dataclass
class ListedPackage:
    package: str
    path: str = ""
    version_code: int | None = None
    installer: str | None = None  # None renders as `null` when -i is on
    uids: tuple[int, ...] = ()


def render_pm_list_packages(
    entries: Iterable[ListedPackage], *, f: bool, versions: bool, i: bool, u: bool
) -> str:
    lines = []
    for entry in entries:
        line = "package:"
        if f:
            line += entry.path + "="
        line += entry.package
        if versions:
            line += f" versionCode:{entry.version_code}"
        if i:
            line += f"  installer={entry.installer if entry.installer is not None else 'null'}"
        if u and entry.uids:
            line += " uid:" + ",".join(str(uid) for uid in entry.uids)
        lines.append(line)
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------- dumpsys package


@dataclass
class Grant:
    name: str
    granted: bool
    flags: tuple[str, ...] = ()


@dataclass
class RenderUser:
    user: int
    installed: bool = True
    hidden: bool = False
    suspended: bool = False
    stopped: bool = False
    not_launched: bool = False
    enabled: int = 0
    runtime: list[Grant] = field(default_factory=list)


@dataclass
class RenderPackage:
    name: str
    app_id: int
    version_code: int = 1
    version_name: str = "1.0"
    min_sdk: int = 21
    target_sdk: int = 33
    system: bool = False
    installer: str | None = None
    requested: list[str] = field(default_factory=list)
    install: list[Grant] = field(default_factory=list)
    users: list[RenderUser] = field(default_factory=list)
    shared_user: str | None = None  # name; runtime grants then go to the shared user


def _flags(tokens: Sequence[str], style: int) -> str:
    """permissionFlagsToString: `[ A B ]` on ≤ 9, `[ A|B]` from 10; nothing when no flags."""
    if not tokens:
        return ""
    if style < 10:
        return ", flags=[ " + "".join(token + " " for token in tokens) + "]"
    return ", flags=[ " + "|".join(tokens) + "]"


def _user_line(user: RenderUser, style: int) -> str:
    state = (
        f"installed={str(user.installed).lower()} hidden={str(user.hidden).lower()} "
        f"suspended={str(user.suspended).lower()} stopped={str(user.stopped).lower()} "
        f"notLaunched={str(user.not_launched).lower()} enabled={user.enabled}"
    )
    if style <= 6:
        return f"User {user.user}:  {state}"
    tail = " instant=false virtual=false" if style >= 8 else ""
    if style >= 14:
        tail += " quarantined=false"
    return f"User {user.user}: ceDataInode=4096 {state}{tail}"


def render_package_block(package: RenderPackage, style: int, indent: str = "  ") -> list[str]:
    """One `Package [..]` block as Android `style` (6, 7, 10, 12, 14) prints it."""
    p = indent
    flags = "[ SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA ]" if package.system else "[ HAS_CODE ]"
    out = [f"{p}Package [{package.name}] (8736e6c):"]
    if style >= 14:
        out += [f"{p}  appId={package.app_id}", f"{p}  pccId=-1"]
    else:
        out.append(f"{p}  userId={package.app_id}")
    if package.shared_user:
        out.append(f"{p}  sharedUser=SharedUserSetting{{cb92b86 {package.shared_user}/1000}}")
    out += [
        f"{p}  pkg=Package{{dbc3796 {package.name}}}",
        f"{p}  codePath=/data/app/~~Zm9v==/{package.name}-YmFy==",
        f"{p}  resourcePath=/data/app/~~Zm9v==/{package.name}-YmFy==",
        f"{p}  primaryCpuAbi=null",
        f"{p}  versionCode={package.version_code} minSdk={package.min_sdk} "
        f"targetSdk={package.target_sdk}",
        f"{p}  versionName={package.version_name}",
        f"{p}  splits=[base]",
        f"{p}  flags={flags}",
        f"{p}  privateFlags=[ PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE_VIA_SDK_VERSION ]",
        f"{p}  dataDir=/data/user/0/{package.name}",
        f"{p}  timeStamp=2024-03-05 10:11:12",
        f"{p}  firstInstallTime=2024-03-05 10:11:12",
        f"{p}  lastUpdateTime=2024-03-05 10:11:12",
    ]
    if package.installer is not None or style >= 14:
        out.append(f"{p}  installerPackageName={package.installer or 'null'}")
    out += [
        f"{p}  signatures=PackageSignatures{{6c98c74 version:2, signatures:[b378e95c], "
        "past signatures:[]}",
        f"{p}  installPermissionsFixed=true",
        f"{p}  pkgFlags={flags}",
    ]
    if package.requested:
        out.append(f"{p}  requested permissions:")
        out += [f"{p}    {name}" for name in package.requested]
    if package.install:
        out.append(f"{p}  install permissions:")
        out += [
            f"{p}    {g.name}: granted={str(g.granted).lower()}{_flags(g.flags, style)}"
            for g in package.install
        ]
    for user in package.users:
        out.append(f"{p}  {_user_line(user, style)}")
        if style >= 14:
            out += [f"{p}    installReason=0", f"{p}    firstInstallTime=2024-03-05 10:11:12"]
        out.append(f"{p}    gids=[3003]")
        if package.shared_user is None and (user.runtime or style >= 14):
            out.append(f"{p}    runtime permissions:")
            out += [
                f"{p}      {g.name}: granted={str(g.granted).lower()}{_flags(g.flags, style)}"
                for g in user.runtime
            ]
    return out


def render_shared_user(
    name: str, app_id: int, members: Sequence[str], users: Sequence[RenderUser], style: int
) -> list[str]:
    out = [f"  SharedUser [{name}] (1a2b3c):", f"    userId={app_id}"]
    if style >= 12:
        out.append("    Packages")
        out += [f"      PackageSetting{{abc123 {member}/{app_id}}}" for member in members]
    for user in users:
        out.append(f"    User {user.user}: ")
        out.append("      gids=[1015]")
        out.append("      runtime permissions:")
        out += [
            f"        {g.name}: granted={str(g.granted).lower()}{_flags(g.flags, style)}"
            for g in user.runtime
        ]
    return out


def filler_sections(rng: random.Random, packages: Sequence[str], lines: int) -> list[str]:
    """Resolver tables and the like: most of a real whole-device dump, noise to a parser."""
    out = ["Activity Resolver Table:", "  Full MIME Types:"]
    for index in range(lines):
        if index % 12 == 0:
            out.append(f"      vnd.android.cursor.item/type{index}:")
        package = packages[index % len(packages)] if packages else "android"
        out.append(f"        {rng.randrange(1 << 28):x} {package}/.ui.Activity{index} (2 filters)")
    out.append("")
    return out


def render_dumpsys_package(
    packages: Sequence[RenderPackage],
    *,
    style: int = 10,
    filler_lines: int = 0,
    shared: Sequence[tuple[str, int, Sequence[str], Sequence[RenderUser]]] = (),
    seed: int = 0,
) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    if filler_lines:
        out += filler_sections(rng, [package.name for package in packages], filler_lines)
    out.append("Packages:")
    for package in packages:
        out += render_package_block(package, style)
    if shared:
        out += ["", "Shared users:"]
        for name, app_id, members, users in shared:
            out += render_shared_user(name, app_id, members, users, style)
    if filler_lines:
        out += ["", "Dexopt state:"]
        for package in packages:
            out += [
                f"  [{package.name}]",
                f"    path: /data/app/{package.name}/base.apk",
                "      arm64: [status=speed-profile] [reason=bg-dexopt]",
            ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- appops get


def render_appops_get(
    uid_ops: Sequence[tuple[str, str]],
    package_ops: Sequence[tuple[str, str, int | None]],
) -> str:
    """AppOpsService.Shell `get`: uid group (first line prefixed), then package group.

    Callers pass each group already in ascending op-code order, as Android prints them.
    `package_ops` items carry an optional access time (ms ago).
    """
    lines = []
    for index, (op, mode) in enumerate(uid_ops):
        lines.append(("Uid mode: " if index == 0 else "") + f"{op}: {mode}")
    for op, mode, ago in package_ops:
        line = f"{op}: {mode}"
        if ago is not None:
            line += f"; time={format_duration(ago)} ago"
        lines.append(line)
    return "".join(line + "\n" for line in lines)
