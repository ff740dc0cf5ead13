"""A tiny stand-in for the Android commands the armed job calls, to run it under a real sh.

Not the virtual phone: just enough state (one JSON file) for `pm`, `cmd appops|deviceidle|
notification`, `dumpsys package`, `am`, `settings` and `getprop`, printing the formats of
real phones (the same lines `hardener/android/parsers` read). `date` and `sleep` are small sh stubs
over a clock file (`sleep N` moves the clock by N * warp and fires events whose time it
crosses), written by `install`.

Usage from tests: `install(directory, state)` -> a PATH entry; `load(directory)` -> the state.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("pm", "cmd", "dumpsys", "am", "settings")
BUCKETS = {"active": 10, "working_set": 20, "frequent": 30, "rare": 40, "restricted": 45}
FLAG_WORDS = {
    "user-set": "USER_SET",
    "user-fixed": "USER_FIXED",
    "revoked-compat": "REVOKED_COMPAT",
    "review-required": "REVIEW_REQUIRED",
    "revoke-when-requested": "REVOKE_WHEN_REQUESTED",
}

OP_DEFAULTS = {"SYSTEM_ALERT_WINDOW": "default", "SCHEDULE_EXACT_ALARM": "default"}

GETPROP = """#!/bin/sh
if [ "$1" = ro.serialno ]; then cat "{fake}/serial"; fi
if [ "$1" = ro.boot.serialno ]; then cat "{fake}/boot_serial"; fi
"""
DATE = """#!/bin/sh
cat "{fake}/clock"
"""
SLEEP = """#!/bin/sh
read c <"{fake}/clock"
warp=$(cat "{fake}/warp")
new=$((c + $1 * warp))
echo "$new" >"{fake}/clock"
for f in "{fake}"/events/*; do
  [ -f "$f" ] || continue
  at=${{f##*/}}; at=${{at%%.*}}
  if [ "$c" -lt "$at" ] && [ "$new" -ge "$at" ]; then sh "$f"; rm -f "$f"; fi
done
if [ -f "{fake}/stop" ]; then kill -9 $PPID; fi
"""


def install(directory: Path, state: dict[str, Any], *, clock: int, warp: int = 1) -> str:
    """Write the state and the stubs under `directory`; return the PATH entry."""
    fake = directory / "fake"
    bin_dir = fake / "bin"
    (fake / "events").mkdir(parents=True, exist_ok=True)
    bin_dir.mkdir(exist_ok=True)
    (fake / "state.json").write_text(json.dumps(state))
    (fake / "clock").write_text(f"{clock}\n")
    (fake / "warp").write_text(f"{warp}\n")
    for name in COMMANDS:
        _script(
            bin_dir / name, f'#!/bin/sh\nexec {sys.executable} -S {__file__} "{fake}" {name} "$@"\n'
        )
    (fake / "serial").write_text(state["serial"] + "\n" if state["serial"] else "")
    (fake / "boot_serial").write_text(state.get("boot_serial", "") + "\n")
    _script(bin_dir / "getprop", GETPROP.format(fake=fake))
    _script(bin_dir / "date", DATE.format(fake=fake))
    _script(bin_dir / "sleep", SLEEP.format(fake=fake))
    return str(bin_dir)


def event(directory: Path, at: int, sh: str, name: str = "e") -> None:
    """Run `sh` (a shell snippet) when the fake clock crosses `at`."""
    (directory / "fake" / "events" / f"{at}.{name}").write_text(sh + "\n")


def fake_command(directory: Path, argv: list[str]) -> str:
    """A shell line that runs one fake Android command (for events)."""
    args = " ".join(f"'{a}'" for a in argv)
    return f'{sys.executable} -S {__file__} "{directory / "fake"}" {args}'


def load(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "fake" / "state.json").read_text())


def set_clock(directory: Path, epoch: int) -> None:
    (directory / "fake" / "clock").write_text(f"{epoch}\n")


def _script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


# The commands ---------------------------------------------------------------------------


def main(fake: Path, name: str, args: list[str]) -> int:
    path = fake / "state.json"
    state = json.loads(path.read_text())
    state.setdefault("calls", []).append([name, *args])
    line = " ".join([name, *args])
    refusal = next((r for r in state.get("refuse", []) if line.startswith(r)), None)
    if refusal is not None:
        sys.stdout.write(
            "Exception occurred while executing 'grant':\n"
            "java.lang.SecurityException: grantRuntimePermission: Neither user 2000 nor "
            "current process has android.permission.GRANT_RUNTIME_PERMISSIONS.\n"
        )
        code = 255
    else:
        code = COMMAND[name](state, args)
    path.write_text(json.dumps(state))
    return code


def _app(state: dict[str, Any], user: str, package: str) -> dict[str, Any]:
    return state["users"][user][package]


def _user_arg(args: list[str]) -> tuple[str, list[str]]:
    if args and args[0] == "--user":
        return args[1], args[2:]
    return "0", args


def pm(state: dict[str, Any], args: list[str]) -> int:
    verb, rest = args[0], args[1:]
    user, rest = _user_arg(rest)
    app = _app(state, user, rest[0])
    if verb in ("suspend", "unsuspend"):
        app["suspended"] = verb == "suspend"
        print(f"Package {rest[0]} new suspended state: {str(app['suspended']).lower()}")
        return 0
    perm = app["perms"][rest[1]]
    if verb == "revoke":
        perm["granted"] = False
    elif verb == "grant":
        perm["granted"] = True
    elif verb == "set-permission-flags":
        perm["flags"] = sorted(set(perm["flags"]) | {FLAG_WORDS[w] for w in rest[2:]})
    elif verb == "clear-permission-flags":
        perm["flags"] = sorted(set(perm["flags"]) - {FLAG_WORDS[w] for w in rest[2:]})
    return 0


def dumpsys(state: dict[str, Any], args: list[str]) -> int:
    package = args[1]
    print("Packages:")
    print(f"  Package [{package}] (1a2b3c):")
    print("    userId=10123")
    print("    install permissions:")
    print("      android.permission.INTERNET: granted=true")
    for user, apps in sorted(state["users"].items()):
        app = apps.get(package)
        if app is None:
            continue
        suspended = str(app.get("suspended", False)).lower()
        print(f"    User {user}: ceDataInode=1 installed=true hidden=false suspended={suspended}")
        print("      runtime permissions:")
        for name, perm in sorted(app.get("perms", {}).items()):
            flags = perm.get("flags", [])
            tail = f", flags=[ {'|'.join(flags)}]" if flags else ""  # as Android prints it
            print(f"        {name}: granted={str(perm['granted']).lower()}{tail}")
    return 0


def cmd(state: dict[str, Any], args: list[str]) -> int:
    service, verb, rest = args[0], args[1] if len(args) > 1 else "", args[2:]
    if service == "appops":
        if verb == "write-settings":
            return 0
        user, rest = _user_arg(rest)
        uid = rest[:1] == ["--uid"]
        rest = rest[1:] if uid else rest
        app = _app(state, user, rest[0])
        if verb == "get":
            op = rest[1]
            lines = []
            if op in app.get("uid_ops", {}):
                lines.append(f"Uid mode: {op}: {app['uid_ops'][op]}")
            if op in app.get("pkg_ops", {}):
                lines.append(f"{op}: {app['pkg_ops'][op]}; time=+1h2m ago")
            print("\n".join(lines) if lines else "No operations.")
            return 0
        table = app.setdefault("uid_ops" if uid else "pkg_ops", {})
        table[rest[1]] = rest[2]
        if rest[2] == OP_DEFAULTS.get(rest[1], "allow"):
            del table[rest[1]]  # Android keeps no entry for an op at its default mode
        return 0
    if service == "deviceidle":
        wl = state.setdefault("whitelist", [])
        verb = rest[0] if rest else ""
        if not verb:
            for package in wl:
                print(f"user,{package},10123")
        elif verb.startswith("-"):
            wl.remove(verb[1:]) if verb[1:] in wl else None
            print(f"Removed: {verb[1:]}")
        elif verb.startswith("+"):
            wl.append(verb[1:]) if verb[1:] not in wl else None
            print(f"Added: {verb[1:]}")
        return 0
    if service == "notification":
        component, user = rest[0], rest[1]
        key = "enabled_notification_listeners"
        items = [c for c in state["secure"][user].get(key, "").split(":") if c]
        items = [c for c in items if c != component]
        if verb == "allow_listener":
            items.append(component)
        state["secure"][user][key] = ":".join(items)
        return 0
    return 255


def am(state: dict[str, Any], args: list[str]) -> int:
    verb, rest = args[0], args[1:]
    user, rest = _user_arg(rest)
    app = _app(state, user, rest[0])
    if verb == "get-standby-bucket":
        print(app.get("bucket", 10))
    elif verb == "set-standby-bucket":
        app["bucket"] = BUCKETS[rest[1]]
    elif verb == "force-stop":
        app["stopped"] = True
    return 0


def settings(state: dict[str, Any], args: list[str]) -> int:
    user, rest = _user_arg(args)
    verb, _namespace, key = rest[0], rest[1], rest[2]
    table = state["secure"][user]
    if verb == "get":
        print(table.get(key) or "null")
    else:
        table[key] = rest[3]
    return 0


COMMAND = {"pm": pm, "dumpsys": dumpsys, "cmd": cmd, "am": am, "settings": settings}

if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:]))
    os._exit(0)
