"""What a scan shows: the documented JSON schema and the terminal table. Pure.

The JSON is a stable interface for scripts (fields may be added, never renamed):

    {"schema": 1,
     "device": {"serial", "model", "manufacturer", "sdk", "release", "rom", ...},
     "users": [{"id", "name", "work_profile", "reachable"}],
     "apps": [{"package", "user", "name", "category", "uid", "target_sdk",
               "capabilities": {CAP: "granted"|"partial"|"denied"|"not_requested"},
               "permissions": {PERM: {"granted": bool, "flags": [..]}},
               "app_ops": {OP: MODE},
               "background": {"run_any_in_background": MODE, "battery_exempt": bool,
                              "standby_bucket": NAME, "suspended": bool},
               "hooks": {"notification_listener": bool, "accessibility": bool}}],
     "problems": [str]}

`app_ops` holds the effective mode of every op the phone printed (a uid mode wins over the
package mode); `run_any_in_background` is `allow` when no mode is set, as Android reads it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from hardener.android.catalog.capabilities import CAPABILITIES, capability_state
from hardener.android.catalog.catalog import Catalog
from hardener.core import textfit
from hardener.core.levers.zen import mode_words, settings_advice, who_rings
from hardener.core.records import AppState, DeviceInfo, DoNotDisturb, Snapshot, bucket_name
from hardener.core.table import table
from hardener.textsafe import visible

SCHEMA = 1

# Short column headings for the table, in CAPABILITIES order.
SHORT = {
    "contacts": "cont",
    "location": "loc",
    "background_location": "bgloc",
    "camera": "cam",
    "microphone": "mic",
    "phone": "phone",
    "call_log": "calls",
    "sms": "sms",
    "calendar": "cal",
    "storage": "files",
    "notifications": "notif",
    "nearby": "near",
    "body_sensors": "body",
    "activity_recognition": "activ",
}
SYMBOLS = {"granted": "●", "partial": "◐", "denied": "○", "not_requested": "·"}
ASCII_SYMBOLS = {"granted": "G", "partial": "p", "denied": "-", "not_requested": "."}


def app_json(app: AppState, catalog: Catalog, sdk: int) -> dict[str, Any]:
    ops = {**app.package_ops, **app.uid_ops}
    return {
        "package": app.package,
        "user": app.user,
        "name": catalog.name_of(app.package),
        "category": catalog.category_of(app.package),
        "uid": app.uid,
        "target_sdk": app.target_sdk,
        "version_name": app.version_name,
        "system": app.system,
        "capabilities": {name: capability_state(app, name, sdk) for name in CAPABILITIES},
        "permissions": {
            name: {"granted": perm.granted, "flags": sorted(perm.flags)}
            for name, perm in sorted(app.permissions.items())
        },
        "app_ops": dict(sorted(ops.items())),
        "background": {
            "run_any_in_background": app.package_ops.get("RUN_ANY_IN_BACKGROUND", "allow"),
            "battery_exempt": app.battery_exempt,
            "standby_bucket": bucket_name(app.standby_bucket),
            "suspended": app.suspended,
        },
        "hooks": {
            "notification_listener": bool(app.notification_listeners),
            "accessibility": bool(app.accessibility_services),
        },
    }


def device_json(device: DeviceInfo) -> dict[str, Any]:
    """The phone's identity, as every JSON document of hardener carries it."""
    return {
        "serial": device.serial,
        "model": device.model,
        "manufacturer": device.manufacturer,
        "sdk": device.sdk,
        "release": device.release,
        "rom": device.rom,
        "rom_version": device.rom_version,
        "timezone": device.timezone,
    }


def scan_json(snapshot: Snapshot, catalog: Catalog, apps: Iterable[AppState]) -> dict[str, Any]:
    device = snapshot.device
    return {
        "schema": SCHEMA,
        "device": device_json(device),
        "users": [
            {
                "id": user.id,
                "name": user.name,
                "work_profile": user.is_work_profile,
                "reachable": user.reachable,
            }
            for user in snapshot.users
        ],
        "apps": [app_json(app, catalog, device.sdk) for app in sort_apps(apps, catalog)],
        "do_not_disturb": dnd_json(snapshot.dnd),
        "problems": list(snapshot.problems),
    }


def dnd_json(dnd: DoNotDisturb | None) -> dict[str, Any] | None:
    """Do Not Disturb as scan read it: the mode, and what priority mode lets through."""
    if dnd is None:
        return None
    return {
        "zen_mode": dnd.mode,
        "mode": mode_words(dnd.mode),
        "shell_route": dnd.shell_route,
        "schedules_on": list(dnd.schedules_on),
        "priority_lets_through": who_rings(dnd),
        "advice": settings_advice(dnd),
    }


def sort_apps(apps: Iterable[AppState], catalog: Catalog) -> list[AppState]:
    order = {"workplace": 0, "social": 1}
    return sorted(
        apps,
        key=lambda a: (
            order.get(catalog.category_of(a.package), 2),
            catalog.name_of(a.package).lower(),
            a.user,
        ),
    )


def _symbols() -> dict[str, str]:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "".join(SYMBOLS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_SYMBOLS
    return SYMBOLS


def background_words(app: AppState) -> str:
    parts = []
    mode = app.package_ops.get("RUN_ANY_IN_BACKGROUND", "allow")
    parts.append("runs" if mode == "allow" else f"bg {mode}")
    if app.battery_exempt:
        parts.append("exempt")
    if app.standby_bucket is not None:
        parts.append(str(bucket_name(app.standby_bucket)))
    if app.suspended:
        parts.append("SUSPENDED")
    return " ".join(parts)


def hook_words(app: AppState) -> str:
    hooks = []
    if app.notification_listeners:
        hooks.append("notif-listener")
    if app.accessibility_services:
        hooks.append("accessibility")
    return " ".join(hooks) or "-"


def scan_table(
    snapshot: Snapshot, catalog: Catalog, apps: Iterable[AppState], width: int | None = None
) -> str:
    """The human view: one row per app and user, a symbol per capability, then a legend.
    Wider than `width` columns, the capabilities fold into one column of symbols (in the
    order the legend gives), the package column is left out (the legend says where it is)
    and long cells are cut with an ellipsis."""
    symbols = _symbols()
    sdk = snapshot.device.sdk
    headers = ["app", "package", "user", "category", *SHORT.values(), "background", "hooks"]
    rows = []
    for app in sort_apps(apps, catalog):
        states = [symbols[capability_state(app, name, sdk)] for name in SHORT]
        rows.append(
            [
                visible(catalog.name_of(app.package)),
                visible(app.package),
                app.user,
                visible(catalog.category_of(app.package)),
                *states,
                visible(background_words(app)),
                visible(hook_words(app)),
            ]
        )
    device = snapshot.device
    rom = visible(f"{device.rom} {device.rom_version}".strip())
    title = visible(
        f"{device.manufacturer} {device.model} ({device.serial}), Android {device.release} "
        f"(SDK {device.sdk}), ROM {rom}"
    )
    users = ", ".join(
        f"{u.id} {visible(u.name)}{' (work profile)' if u.is_work_profile else ''}"
        f"{' (unreachable)' if not u.reachable else ''}"
        for u in snapshot.users
    )
    legend = (
        f"{symbols['granted']} granted  {symbols['partial']} partly granted  "
        f"{symbols['denied']} denied  {symbols['not_requested']} not requested"
    )
    body = table(rows, headers=headers, disable_numparse=True) if rows else "(no matching apps)"
    if width is not None and rows and max(map(textfit.width, body.splitlines())) > width:
        count = len(SHORT)
        kinds = {"workplace": "work"}
        compact = [
            [
                row[0],
                row[2],
                kinds.get(str(row[3]), row[3]),
                "".join(str(cell) for cell in row[4 : 4 + count]),
                *row[4 + count :],
            ]
            for row in rows
        ]
        body = textfit.table(
            ["app", "user", "kind", "capabilities", "background", "hooks"],
            compact,
            width,
            keep=(3,),
            floors={0: 16},  # the app's name gives way last
            gap=1,
        )
        order = (
            "capabilities, in order: " + " ".join(SHORT.values()) + ". Package names: "
            "a wider terminal or --json."
        )
        legend = "\n".join([*textfit.wrap(order, width), *textfit.wrap(legend, width)])
    lines = [*textfit.wrap(title, width), *textfit.wrap(f"users: {users}", width, hang="  ")]
    lines += ["", body, "", legend]
    for problem in snapshot.problems:
        lines += textfit.wrap(f"note: {visible(problem)}", width, hang="  ")
    return "\n".join(lines)
