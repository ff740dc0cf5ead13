"""Line grammars of real Android output, written from the captures and the grammar notes.

They are applied to the real captures and to every persona's output alike: a capture that
fails one means the expectation is wrong, a persona that fails one means the virtual phone
is. Kept free of hardener's parsers on purpose.
"""

from __future__ import annotations

import re

GETPROP_LINE = re.compile(r"^\[[^\]\n]+\]: \[[^\n]*\]$")
GETPROP_ENTRY = re.compile(r"^\[([^\]\n]+)\]: \[(.*?)\]\n", re.M | re.S)
PACKAGE_LINE = re.compile(r"^package:[A-Za-z][\w.]*$")
PACKAGE_F_LINE = re.compile(r"^package:/\S+\.apk=[A-Za-z][\w.]*$")
PACKAGE_U_LINE = re.compile(r"^package:[A-Za-z][\w.]* uid:\d+(,\d+)*$")
PACKAGE_I_LINE = re.compile(r"^package:[A-Za-z][\w.]*  installer=(null|[A-Za-z][\w.]*)$")
USERS_HEADER = "Users:"
USER_INFO_LINE = re.compile(r"^\tUserInfo\{\d+:[^:\n]+:[0-9a-f]+\}( running)?$")
PACKAGE_HEADER = re.compile(r"^  Package \[([A-Za-z][\w.]*)\] \(([0-9a-f]+)\):$")
APP_ID_LINE = re.compile(r"^    (userId|appId)=(\d+)$")
VERSION_LINE = re.compile(r"^    versionCode=\d+ minSdk=\d+ targetSdk=\d+$")
FLAGS_LINE = re.compile(r"^    (flags|pkgFlags|privateFlags)=\[ ([A-Z_]+ )*\]$")
USER_STATE_LINE = re.compile(
    r"^    User (\d+): ceDataInode=-?\d+( deDataInode=\d+)? installed=(true|false) "
    r"hidden=(true|false) suspended=(true|false)( suspendingPackage=\S+ dialogMessage=\S+)?"
    r"( distractionFlags=\d+)? stopped=(true|false) notLaunched=(true|false) enabled=\d+"
    r" instant=(true|false) virtual=(true|false)$"
)
# Runtime permission lines: `|`-joined flags from Android 10, space-separated before.
PERM_LINE_PIPE = re.compile(
    r"^        [\w.]+: granted=(true|false)(, flags=\[ [A-Z_0-9]+(\|[A-Z_0-9]+)*\])?$"
)
PERM_LINE_SPACE = re.compile(
    r"^        [\w.]+: granted=(true|false)(, flags=\[ ([A-Z_0-9]+ )+\])?$"
)
INSTALL_PERM_LINE = re.compile(r"^      [\w.]+: granted=(true|false)(, flags=\[ .*\])?$")
EXCEPTION_HEADER = re.compile(
    r"^(Exception occurred while executing( '[\w-]+')?:|Security exception: .+)$"
)
EXCEPTION_LINE = re.compile(r"^java\.lang\.\w+(Exception|Error): .+$")
STACK_FRAME = re.compile(r"^(\t| {8})at [\w.$]+\.[\w$<>]+\([\w.]+\.java:\d+\)$")
UNABLE_TO_FIND = re.compile(r"^Unable to find package: [\w.]+$")
APPOPS_LINE = re.compile(
    r"^(Uid mode: )?([A-Z_0-9]+|MIUIOP\(\d+\)): (allow|ignore|deny|default|foreground)"
    r"(; time=\+[0-9dhms]+ago|; time=\+[0-9dhms]+ ago)?(; rejectTime=\+[0-9dhms]+ ago)?"
    r"( \(running\))?(; duration=\+[0-9dhms]+)?$"
)
APPOPS_EMPTY = "No operations."
APPOPS_DEFAULT = re.compile(r"^Default mode: (allow|ignore|deny|default|foreground)$")
WHITELIST_LINE = re.compile(r"^(system-excidle|system|user),[A-Za-z][\w.]*,\d+$")
SETTINGS_LINE = re.compile(r"^[^=\n]+=[^\n]*$")
COMPONENT_LIST = re.compile(r"^[\w.]+/[\w.$]+(:[\w.]+/[\w.$]+)*$")
BUCKET_ALL_LINE = re.compile(r"^[A-Za-z][\w.]*: (5|10|20|30|40|45|50)$")
NEITHER_USER_2000 = (
    "java.lang.SecurityException: grantRuntimePermission: Neither user 2000 nor current "
    "process has android.permission.GRANT_RUNTIME_PERMISSIONS."
)
DEVICEIDLE_SECTIONS = [
    "  Whitelist (except idle) system apps:",
    "  Whitelist system apps:",
    "  Whitelist user apps:",
    "  Whitelist (except idle) all app ids:",
    "  Whitelist user app ids:",
    "  Whitelist all app ids:",
]


def dump_blocks(text: str) -> dict[str, list[str]]:
    """Package name -> lines of its `Package [...]` block in a `dumpsys package` output."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = PACKAGE_HEADER.match(line)
        if match:
            current = blocks.setdefault(match.group(1), [])
            continue
        if current is not None:
            if line.startswith("    "):
                current.append(line)
            else:
                current = None
    return blocks


def runtime_permission_lines(block: list[str]) -> list[str]:
    out = []
    inside = False
    for line in block:
        if line == "      runtime permissions:":
            inside = True
            continue
        if inside and line.startswith("        "):
            out.append(line)
        else:
            inside = False
    return out


def section(text: str, header: str) -> list[str]:
    """Indented lines under a dump section header."""
    lines = text.splitlines()
    start = lines.index(header) + 1
    out = []
    for line in lines[start:]:
        if line.startswith("    ") and not line.startswith("     "):
            out.append(line.strip())
        else:
            break
    return out
