"""The access records of `dumpsys appops`: last access/reject lines, `--history` and
`--include-discrete`, printed from the model's `AccessLog` in each release's shape.

Shapes follow AOSP (services/core/java/com/android/server/appop/): `AppOpsService.dump`
and `dumpStatesLocked` (the `Access:`/`Reject:` lines; `Reject:` has no space after `]`),
`HistoricalRegistry.dump` / `StringDumpVisitor` (Android 10 without, 11+ with the
`Attribution <tag>:` level), `DiscreteRegistry.dump` (Android 12; 13+ print
`Largest chain id:` first) and, from Android 16 (SDK 36), `DiscreteOpsSqlRegistry.dump`
(aosp-mirror/platform_frameworks_base @ a05b53f6: a pipe table, one row per stored access,
raw times and durations). The grammar notes and sources are in
`hardener/android/parsers/appops_history.py`.
Dates are printed in the phone's timezone (`persist.sys.timezone`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from hardener.sim.android.access_log import SQL_REGISTRY_SDK, AccessLog, state_key
from hardener.sim.android.commands.base import Ctx


def java_duration(ms: int) -> str:
    """`TimeUtils.formatDuration`: `+1d2h3m4s5ms`, `-4h0m0s0ms`, `0` for zero."""
    if ms == 0:
        return "0"
    sign = "+" if ms > 0 else "-"
    rest = abs(ms)
    parts = []
    printed = False
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        value, rest = divmod(rest, size)
        if value or printed:
            parts.append(f"{value}{unit}")
            printed = True
    parts.append(f"{rest}ms")
    return sign + "".join(parts)


def zone_of(props: Mapping[str, str]) -> ZoneInfo:
    try:
        return ZoneInfo(props.get("persist.sys.timezone") or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _zone(ctx: Ctx) -> ZoneInfo:
    return zone_of(ctx.model.props)


def stamp(ms: int, tz: ZoneInfo) -> str:
    """SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS") in the phone's zone."""
    when = datetime.fromtimestamp(ms / 1000, tz)
    return when.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d}"


def format_uid(uid: int) -> str:
    app_id, user = uid % 100_000, uid // 100_000
    if app_id >= 10_000:
        return f"u{user}a{app_id - 10_000}"
    return str(app_id) if user == 0 else f"u{user}s{app_id}"


def last_access_ops(log: AccessLog, uid: int, package: str, now_ms: int) -> set[str]:
    return {op for (u, p, op, _tag) in log.last_access(now_ms) if u == uid and p == package}


def last_access_suffixes(ctx: Ctx, uid: int, package: str) -> dict[str, str]:
    """op -> `; time=… ago; rejectTime=… ago; duration=…` as `appops get` prints them
    (AppOpsService.Shell: the latest over every uid state, flag and tag)."""
    log = ctx.model.access
    now = log.now_ms()
    latest: dict[str, list[int]] = {}  # op -> [access, reject, duration]
    for (u, p, op, _tag), keys in log.last_access(now).items():
        if u != uid or p != package:
            continue
        slot = latest.setdefault(op, [0, 0, -1])
        for entry in keys.values():
            if entry.access_ms > slot[0]:
                slot[0], slot[2] = entry.access_ms, entry.duration_ms or -1
            slot[1] = max(slot[1], entry.reject_ms)
    result = {}
    for op, (access, reject, duration) in latest.items():
        text = ""
        if access:
            text += f"; time={java_duration(now - access)} ago"
        if reject:
            text += f"; rejectTime={java_duration(now - reject)} ago"
        if access and duration > 0:
            text += f"; duration={java_duration(duration)}"
        result[op] = text
    return result


def last_access_lines(ctx: Ctx, uid: int, package: str, op: str, indent: str) -> list[str]:
    """The `Access:`/`Reject:` lines of one op (with `null=[ … ]` per tag on 11+)."""
    log = ctx.model.access
    now = log.now_ms()
    tz = _zone(ctx)
    table = log.last_access(now)
    out: list[str] = []
    tags = sorted(
        (tag for (u, p, o, tag) in table if u == uid and p == package and o == op),
        key=lambda t: (t is not None, t or ""),
    )
    for tag in tags:
        keys = table[(uid, package, op, tag)]
        inner = indent + "  " if ctx.sdk >= 30 else indent + "    "
        if ctx.sdk >= 30:
            out.append(f"{indent}{tag if tag is not None else 'null'}=[")
        for (uid_state, flags), entry in sorted(keys.items(), key=lambda kv: state_key(*kv[0])):
            key = f"[{uid_state}-{flags}]"
            if entry.access_ms:
                line = (
                    f"{inner}Access: {key} {stamp(entry.access_ms, tz)} "
                    f"({java_duration(entry.access_ms - now)})"
                )
                if entry.duration_ms > 0:
                    line += f" duration={java_duration(entry.duration_ms)}"
                out.append(line)
            if entry.reject_ms:
                out.append(
                    f"{inner}Reject: {key}{stamp(entry.reject_ms, tz)} "
                    f"({java_duration(entry.reject_ms - now)})"
                )
        if ctx.sdk >= 30:
            out.append(f"{indent}]")
    return out


def history_dump(ctx: Ctx, package: str | None, op: str | None) -> str:
    """`History:  mode=…` and every aggregated snapshot, newest first."""
    log = ctx.model.access
    now = log.now_ms()
    tz = _zone(ctx)
    out = ["", "  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE"]
    attribution_level = ctx.sdk >= 30
    for interval in log.aggregated(now):
        rows = {
            key: value
            for key, value in interval.counts.items()
            if (package is None or key[1] == package) and (op is None or key[3] == op)
        }
        out.append("")
        out.append("    snapshot:")
        begin_ago = java_duration(interval.begin_ms - now)
        out.append(f"      begin = {stamp(interval.begin_ms, tz)}  ({begin_ago})")
        out.append(
            f"      end = {stamp(interval.end_ms, tz)}  ({java_duration(interval.end_ms - now)})"
        )
        for uid in sorted({key[0] for key in rows}):
            out.append("")
            out.append(f"      Uid {format_uid(uid)}:")
            for pkg in sorted({key[1] for key in rows if key[0] == uid}):
                out.append(f"        Package {pkg}:")
                mine = {k: v for k, v in rows.items() if k[0] == uid and k[1] == pkg}
                tags = sorted({k[2] for k in mine}, key=lambda t: (t is not None, t or ""))
                for tag in tags if attribution_level else [None]:
                    prefix = "          "
                    if attribution_level:
                        out.append(f"          Attribution {tag if tag is not None else 'null'}:")
                        prefix = "            "
                    per_tag = {
                        k: v for k, v in mine.items() if not attribution_level or k[2] == tag
                    }
                    ops = sorted({k[3] for k in per_tag}, key=ctx.model.ops.sort_key)
                    for op_name in ops:
                        out.append(f"{prefix}{op_name}:")
                        merged: dict[tuple[str, str], list[int]] = {}
                        for k, v in per_tag.items():
                            if k[3] == op_name:
                                slot = merged.setdefault((k[4], k[5]), [0, 0, 0])
                                for i in range(3):
                                    slot[i] += v[i]
                        for (uid_state, flags), (access, reject, duration) in sorted(
                            merged.items(), key=lambda kv: state_key(*kv[0])
                        ):
                            parts = []
                            if access:
                                parts.append(f"access={access}")
                            if reject:
                                parts.append(f"reject={reject}")
                            if duration:
                                parts.append(f"duration={java_duration(duration)}")
                            out.append(f"{prefix}  [{uid_state}-{flags}] = " + ", ".join(parts))
    return "\n".join(out) + "\n"


SQL_HEADER = (
    "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID"
    "|ACCESS_TIME|DURATION"
)
DEVICE_DEFAULT = "default:0"  # VirtualDeviceManager.PERSISTENT_DEVICE_ID_DEFAULT


def discrete_sql_dump(ctx: Ctx, package: str | None, op: str | None, limit: int) -> str:
    """Android 16: `Discrete accesses: `, then DiscreteOpsSqlRegistry.dump with the prefix
    `  `: `Largest chain id:` (0: no app here starts attribution chains), the header, every
    row oldest first (`LIMIT n` only for n > 0, so the oldest n), and a blank line.

    `--package` filters on the package and on the uid equal to its app id (AppOpsService
    passes `UserHandle.getAppId`), so only user 0's rows; no attribution chains, so the
    attribution flags print 0 (ATTRIBUTION_FLAGS_NONE) and the chain -1 (CHAIN_ID_NONE)."""
    log = ctx.model.access
    tz = _zone(ctx)
    rows = [
        row
        for row in log.discrete_rows(log.now_ms())
        if (package is None or (row.package == package and row.uid < 100_000))
        and (op is None or row.op == op)
    ]
    if limit > 0:
        rows = rows[:limit]
    out = ["Discrete accesses: ", "  Largest chain id: 0", SQL_HEADER]
    for row in rows:
        tag = row.attribution if row.attribution is not None else "null"
        out.append(
            f"{row.uid}|{row.package}|{DEVICE_DEFAULT}|{row.op}|{tag}|{row.uid_state}"
            f"|{row.flags}|0|-1|{stamp(row.when_ms, tz)}|{row.duration_ms}"
        )
    out.append("")
    return "\n".join(out) + "\n"


def discrete_dump(ctx: Ctx, package: str | None, op: str | None, limit: int) -> str:
    """`Discrete accesses: ` and DiscreteRegistry's entries (the last `limit`, 0 = all);
    from Android 16 the SQLite registry's table (`discrete_sql_dump`)."""
    if ctx.sdk >= SQL_REGISTRY_SDK:
        return discrete_sql_dump(ctx, package, op, limit)
    log = ctx.model.access
    now = log.now_ms()
    tz = _zone(ctx)
    out = ["Discrete accesses: "]
    if ctx.sdk >= 33:
        out.append("  Largest chain id: 0")
    entries = [
        e
        for e in log.discrete(now, ctx.sdk)
        if (package is None or e.package == package) and (op is None or e.op == op)
    ]
    for uid in sorted({e.uid for e in entries}):
        out.append(f"  Uid: {uid}")
        for pkg in sorted({e.package for e in entries if e.uid == uid}):
            out.append(f"    Package: {pkg}")
            mine = [e for e in entries if e.uid == uid and e.package == pkg]
            for op_name in sorted({e.op for e in mine}, key=ctx.model.ops.sort_key):
                out.append(f"      {op_name}")
                per_op = [e for e in mine if e.op == op_name]
                tags = sorted(
                    {e.attribution for e in per_op}, key=lambda t: (t is not None, t or "")
                )
                for tag in tags:
                    out.append(f"        Attribution: {tag if tag is not None else 'null'}")
                    events = sorted(
                        (e for e in per_op if e.attribution == tag), key=lambda e: e.when_ms
                    )
                    if limit >= 1:
                        events = events[-limit:]
                    for e in events:
                        line = (
                            f"          Access [{e.uid_state}-{e.flags}] at {stamp(e.when_ms, tz)}"
                        )
                        if e.duration_ms != -1:
                            line += f" for {e.duration_ms} milliseconds "
                        out.append(line)
    return "\n".join(out) + "\n"
