"""Audits from an `adb bugreport`: the same `Snapshot` a live read gives, from the sections a
bugreport carries (pure; `hardener.device.bugreport` reads the file).

Section -> live equivalent (what each part of the snapshot is read from):

* `SYSTEM PROPERTIES (getprop)` -> `getprop` (device, Android version, ROM, serial);
* `DUMP OF SERVICE user` -> `pm list users` (users and profiles);
* `DUMP OF SERVICE package` -> `pm list packages` (which apps, uids, third-party or system)
  and `dumpsys package` (grants, flags, per-user state);
* `DUMP OF SERVICE appops` -> `dumpsys appops` (uid and package modes);
* `DUMP OF SERVICE deviceidle` -> `dumpsys deviceidle whitelist` (battery exemptions);
* `DUMP OF SERVICE usagestats` -> `am get-standby-buckets` (standby buckets);
* `DUMP OF SERVICE notification` / `accessibility` -> the two Secure settings (always-on
  hooks).

`CANNOT_SHOW` lists, in plain words, what a bugreport does not tell and a live read does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hardener.android.parsers import (
    parse_dumpsys_appops,
    parse_dumpsys_package,
    parse_getprop,
)
from hardener.android.parsers.accessibility import parse_dumpsys_accessibility
from hardener.android.parsers.bugreport import BugreportSections
from hardener.android.parsers.deviceidle import parse_dumpsys_deviceidle
from hardener.android.parsers.service_dumps import (
    parse_dumpsys_user,
    parse_notification_listeners,
    parse_usagestats_buckets,
)
from hardener.android.parsers.zen import parse_zen_dump
from hardener.core.records import AppState, Snapshot, User
from hardener.core.snapshot import (
    Discovery,
    app_state,
    device_info,
    dnd_of,
    ops_from_dump,
    user_with,
)

SOURCE = "bugreport"

# Sections the offline read uses; a missing one is named in the snapshot's problems.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("command", "SYSTEM PROPERTIES"),
    ("service", "user"),
    ("service", "package"),
    ("service", "appops"),
    ("service", "deviceidle"),
    ("service", "usagestats"),
    ("service", "notification"),
    ("service", "accessibility"),
)

CANNOT_SHOW: tuple[str, ...] = (
    "refusals: whether the phone would refuse a change (OEM locks such as MIUI's "
    "'USB debugging (Security settings)', device policy) shows only when a change is tried",
    "whether `pm set-permission-flags` exists: assumed from the Android version (12 and later)",
    "users the shell may not reach: a bugreport is taken by the system and shows every user, "
    "including profiles (Samsung's Secure Folder) a live read is refused",
    "the exact spelling of the accessibility setting: the dump shows components, so an "
    "abbreviated entry (pkg/.Service) is read in full (pkg/pkg.Service)",
    "app-ops of ops the appops dump leaves out (modes at their default are not printed)",
    "anything after the moment the bugreport was taken; hardener's own journal is not in it",
)

_CURRENT = re.compile(r"id=(-?[0-9]{1,9}), currentUser=true")


@dataclass(frozen=True)
class OfflineRead:
    """A bugreport read as a phone would be: discovery, snapshot, and what it cannot show."""

    name: str  # the file's name, for reports (`bugreport:NAME` stands for the transport)
    sections: BugreportSections
    discovery: Discovery
    snapshot: Snapshot
    cannot_show: tuple[str, ...] = CANNOT_SHOW

    @property
    def transport(self) -> str:
        return f"{SOURCE}:{self.name}"

    def json_extra(self) -> dict[str, object]:
        """The fields an offline document adds to the live one."""
        return {
            "source": SOURCE,
            "bugreport": {"file": self.name, "taken_at": self.sections.taken_at},
            "cannot_show": list(self.cannot_show),
        }


# ------------------------------------------------------------------------- pure assembly


def missing_sections(sections: BugreportSections) -> list[str]:
    out = []
    for kind, name in SECTIONS:
        text = sections.command(name) if kind == "command" else sections.service(name)
        if not text:
            out.append(name if kind == "command" else f"DUMP OF SERVICE {name}")
    return out


def discover(sections: BugreportSections, name: str) -> Discovery:
    """Phase 1's answers, from the bugreport."""
    props = parse_getprop(sections.command("SYSTEM PROPERTIES") or "")
    users = parse_dumpsys_user(sections.service("user") or "").users or (User(0, "Owner"),)
    packages_dump = parse_dumpsys_package(sections.service("package") or "")
    packages = {pkg: dump.uid(0) for pkg, dump in packages_dump.packages.items()}
    third = frozenset(pkg for pkg, dump in packages_dump.packages.items() if not dump.system)
    current = _CURRENT.search(sections.service("accessibility") or "")
    problems = tuple(
        f"the bugreport has no {missing}: what it holds is unknown"
        for missing in missing_sections(sections)
    )
    sdk_text = props.get("ro.build.version.sdk", "")
    return Discovery(
        transport_serial=f"{SOURCE}:{name}",
        props=props,
        users=tuple(users),
        current_user=int(current.group(1)) if current else users[0].id,
        packages=packages,
        third_party=third,
        permission_flags=sdk_text.isdigit() and int(sdk_text) >= 31,
        problems=problems,
        round_trips=0,
    )


def assemble(
    sections: BugreportSections, discovery: Discovery, packages: Iterable[str]
) -> Snapshot:
    """The snapshot of `packages` in every user, as `collect.assemble` builds it live."""
    exempt = parse_dumpsys_deviceidle(sections.service("deviceidle") or "").user
    buckets = parse_usagestats_buckets(sections.service("usagestats") or "")
    listeners = parse_notification_listeners(sections.service("notification") or "")
    hooks = parse_dumpsys_accessibility(sections.service("accessibility") or "")
    enabled = {entry.user: entry.enabled for entry in hooks.users if entry.user is not None}
    users = [
        user_with(
            base,
            listeners=listeners.get(base.id, ()),
            accessibility=tuple(c.flat for c in enabled.get(base.id, ())),
        )
        for base in discovery.users
    ]
    packages_dump = parse_dumpsys_package(sections.service("package") or "")
    ops_dump = parse_dumpsys_appops(sections.service("appops") or "")
    apps: list[AppState] = []
    for package in sorted(set(packages)):
        dump = packages_dump.get(package)
        if dump is None:
            continue
        for user in users:
            state = dump.users.get(user.id)
            if state is None or state.installed is False:
                continue
            uid_ops, package_ops = ops_from_dump(ops_dump, dump.uid(user.id), package)
            apps.append(
                app_state(
                    discovery,
                    dump,
                    user,
                    uid_ops,
                    package_ops,
                    bucket=buckets.get(user.id, {}).get(package),
                    exempt=package in exempt,
                )
            )
    zen = parse_zen_dump(sections.service("notification") or "")
    device = device_info(discovery.props, discovery.transport_serial)
    return Snapshot(
        device=device,
        features=discovery.features,
        users=tuple(users),
        current_user=discovery.current_user,
        apps=tuple(apps),
        problems=discovery.problems,
        dnd=dnd_of(device.sdk, zen.mode, zen),  # the dump's mZenMode is the mode in force
    )
