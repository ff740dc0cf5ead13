"""What `pm`, `appops`, `cmd …` and `dumpsys` say when they refuse, as a kind and a message.

The shell's exit code is not reliable (the Kotlin permission service logs and returns 0,
old builds exit 0 after printing `Operation not allowed:`), so the only trustworthy signal
is the text. Each refusal has a distinct remedy for the user (turn on an OEM setting, skip a
locked profile, drop a permission the app never requested), so the text is sorted into kinds.

Shapes understood (any of them with stdout and stderr interleaved):
* `Exception occurred while executing '<verb>':` then `<java.Class>: <message>` and a stack
  (8-space or tab indented `at …` lines), or the exception line alone (pasted without header);
* old builds: `Operation not allowed: <java.Class>: <message>`, `Bad argument: …`,
  `Security exception: <message>`;
* `Error: <message>` lines (appops, deviceidle, option parsing);
* bare lines: `Unknown package: X` (deviceidle), `Unable to find package: X` (dumpsys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.android.parsers.text import RawText, lines, to_int

UNKNOWN_PACKAGE = "unknown_package"
NOT_REQUESTED = "not_requested"
NOT_CHANGEABLE = "not_changeable"
SYSTEM_FIXED = "system_fixed"
POLICY_FIXED = "policy_fixed"
UNKNOWN_PERMISSION = "unknown_permission"
OEM_LOCK = "oem_lock"  # uid 2000 (the adb shell) lacks a permission the ROM withholds
MISSING_PERMISSION = "missing_permission"  # some other caller lacks a permission
USER_ACCESS = "user_access"  # the shell may not touch that user (Secure Folder, locked profile)
NO_UID = "no_uid"
UNKNOWN_OP = "unknown_op"
BAD_FLAG = "bad_flag"
UNKNOWN_OPTION = "unknown_option"
UNKNOWN_COMMAND = "unknown_command"  # e.g. `pm set-permission-flags` before Android 12
ROLE_MANAGED = "role_managed"
MISSING_ARGUMENT = "missing_argument"
ERROR = "error"  # an `Error: …` line of no known kind
EXCEPTION = "exception"  # an exception of no known kind

ERROR_KINDS = frozenset(
    {
        UNKNOWN_PACKAGE,
        NOT_REQUESTED,
        NOT_CHANGEABLE,
        SYSTEM_FIXED,
        POLICY_FIXED,
        UNKNOWN_PERMISSION,
        OEM_LOCK,
        MISSING_PERMISSION,
        USER_ACCESS,
        NO_UID,
        UNKNOWN_OP,
        BAD_FLAG,
        UNKNOWN_OPTION,
        UNKNOWN_COMMAND,
        ROLE_MANAGED,
        MISSING_ARGUMENT,
        ERROR,
        EXCEPTION,
    }
)

SHELL_UID = 2000


@dataclass(frozen=True)
class ShellError:
    """One refusal. `message` is the text after any exception class or `Error:` prefix."""

    kind: str
    message: str
    exception: str = ""  # Java class when one was printed, e.g. java.lang.SecurityException
    verb: str = ""  # from `Exception occurred while executing '<verb>':`
    prefix: str = ""  # old-build wrapper: `Operation not allowed`, `Bad argument`, `Error`, …
    package: str = ""
    permission: str = ""  # for oem_lock / missing_permission: the permission the caller lacks
    user: int | None = None  # the Android user (user_access, no_uid) or caller uid (oem_lock)
    op: str = ""
    argument: str = ""  # the rejected flag or option


_NAME = r"([^\s:;,]+?)"
_END = r"(?=[\s.,;:]*$|[\s,;])"

# (kind, pattern, group names in order). Searched in the message, first match wins.
_RULES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "caller_lacks",
        re.compile(r"Neither user (-?\d+) nor current process has " + _NAME + r"\.?" + _END),
        ("user", "permission"),
    ),
    (
        "caller_lacks",
        re.compile(r"\buid (-?\d+) does not have " + _NAME + r"\.?" + _END),
        ("user", "permission"),
    ),
    (
        NOT_REQUESTED,
        re.compile(r"Package " + _NAME + r" has not requested permission " + _NAME + _END),
        ("package", "permission"),
    ),
    (
        NOT_CHANGEABLE,
        re.compile(
            r"Permission " + _NAME + r"(?: requested by (?:package )?" + _NAME + r")?"
            r" is not a changeable permission type"
        ),
        ("permission", "package"),
    ),
    (
        SYSTEM_FIXED,
        re.compile(
            r"[Cc]annot (?:grant|revoke) system fixed permission "
            + _NAME
            + r"(?: for package "
            + _NAME
            + r")?"
            + _END
        ),
        ("permission", "package"),
    ),
    (
        POLICY_FIXED,
        re.compile(
            r"[Cc]annot (?:grant|revoke) policy fixed permission "
            + _NAME
            + r"(?: for package "
            + _NAME
            + r")?"
            + _END
        ),
        ("permission", "package"),
    ),
    (ROLE_MANAGED, re.compile(r"Permission " + _NAME + r" is managed by role"), ("permission",)),
    (UNKNOWN_PERMISSION, re.compile(r"Unknown permission:? " + _NAME + _END), ("permission",)),
    (
        USER_ACCESS,
        re.compile(r"(?:Shell|Calling uid \S+) does not have permission to access user (-?\d+)"),
        ("user",),
    ),
    (
        NO_UID,
        re.compile(r"No UID for " + _NAME + r" in user (-?\d+)"),
        ("package", "user"),
    ),
    (
        UNKNOWN_PACKAGE,
        re.compile(
            r"(?:Unknown package|Unable to find package|Package not found|No such package)"
            r":? " + _NAME + _END
        ),
        ("package",),
    ),
    (
        UNKNOWN_OP,
        re.compile(r"Unknown operation(?: string)?:? " + _NAME + _END),
        ("op",),
    ),
    (BAD_FLAG, re.compile(r"specified flag (\S+) is not one of"), ("argument",)),
    (UNKNOWN_OPTION, re.compile(r"Unknown option:? (\S+)"), ("argument",)),
    (UNKNOWN_COMMAND, re.compile(r"[Uu]nknown command:? '?([^\s']+)'?"), ("argument",)),
    (
        MISSING_PERMISSION,
        re.compile(r"Permission Denial:.*?\brequires " + _NAME + r"\.?" + _END),
        ("permission",),
    ),
    (MISSING_ARGUMENT, re.compile(r"\bno [\w ]{1,40}? specified\b", re.IGNORECASE), ()),
)

_EXEC_HEADER = re.compile(r"Exception occurred while executing(?: '([^']*)')?:?\s*(.*)")
_LEGACY_PREFIX = r"(?:(Operation not allowed|Bad argument|Security exception|Error|Failure):\s*)?"
_EXCEPTION_LINE = re.compile(
    _LEGACY_PREFIX + r"((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error))(?::\s*(.*))?"
)
_PREFIXED_LINE = re.compile(
    r"(Operation not allowed|Bad argument|Security exception|Error|Failure):\s*(.*)"
)
_BARE_STARTS = (
    "Unknown package",
    "Unable to find package",
    "Shell does not have permission to access user",
    "No UID for",
    "Unknown operation",
    "Package ",
    "Permission ",
    "Neither user",
    "Unknown command",
    "Permission Denial",
)
_STACK_LINE = re.compile(r"(?:at |\.\.\. \d+ more|Caused by:|Suppressed:)")


def parse_shell_errors(text: RawText) -> tuple[ShellError, ...]:
    """Every refusal in the output, in order. Empty when the command did not complain."""
    found: list[ShellError] = []
    verb = ""
    for raw_line in lines(text):
        line = raw_line.strip()
        if not line or _STACK_LINE.match(line):
            continue
        header = _EXEC_HEADER.match(line)
        if header:
            verb = header.group(1) or ""
            line = header.group(2).strip()
            if not line:
                continue
        error = _read_line(line, verb)
        if error is not None:
            found.append(error)
            verb = ""
    return tuple(found)


def parse_shell_error(text: RawText) -> ShellError | None:
    """The first refusal in the output, or None when the command did not complain."""
    errors = parse_shell_errors(text)
    return errors[0] if errors else None


def _read_line(line: str, verb: str) -> ShellError | None:
    exception_line = _EXCEPTION_LINE.fullmatch(line)
    if exception_line:
        prefix, exception, message = exception_line.groups()
        return _classify((message or "").strip(), EXCEPTION, exception, verb, prefix or "")
    prefixed = _PREFIXED_LINE.fullmatch(line)
    if prefixed:
        prefix, message = prefixed.groups()
        fallback = EXCEPTION if prefix in ("Operation not allowed", "Security exception") else ERROR
        return _classify(message.strip(), fallback, "", verb, prefix)
    if line.startswith(_BARE_STARTS):
        error = _classify(line, "", "", verb, "")
        if error.kind:
            return error
    return None


def _classify(message: str, fallback: str, exception: str, verb: str, prefix: str) -> ShellError:
    for kind, pattern, names in _RULES:
        match = pattern.search(message)
        if match is None:
            continue
        values = dict(zip(names, match.groups(), strict=False))
        user = to_int(values.get("user"))
        if kind == "caller_lacks":
            kind = OEM_LOCK if user == SHELL_UID else MISSING_PERMISSION
        return ShellError(
            kind=kind,
            message=message,
            exception=exception,
            verb=verb,
            prefix=prefix,
            package=values.get("package") or "",
            permission=(values.get("permission") or "").rstrip("."),
            user=user,
            op=values.get("op") or "",
            argument=values.get("argument") or "",
        )
    return ShellError(kind=fallback, message=message, exception=exception, verb=verb, prefix=prefix)
