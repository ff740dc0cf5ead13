"""Refusals of pm, appops, deviceidle and dumpsys, sorted into kinds (grammar §0, §3, §8)."""

from __future__ import annotations

import pytest

from hardener.android.parsers import (
    BAD_FLAG,
    ERROR,
    ERROR_KINDS,
    EXCEPTION,
    MISSING_ARGUMENT,
    MISSING_PERMISSION,
    NO_UID,
    NOT_CHANGEABLE,
    NOT_REQUESTED,
    OEM_LOCK,
    POLICY_FIXED,
    ROLE_MANAGED,
    SYSTEM_FIXED,
    UNKNOWN_COMMAND,
    UNKNOWN_OP,
    UNKNOWN_OPTION,
    UNKNOWN_PACKAGE,
    UNKNOWN_PERMISSION,
    USER_ACCESS,
    parse_shell_error,
    parse_shell_errors,
)

HEADER = "Exception occurred while executing 'grant':\n"
SPACES = "        at com.android.server.pm.PackageManagerShellCommand.onCommand(x.java:1)\n"
TABS = "\tat com.android.server.pm.PackageManagerShellCommand.onCommand(x.java:1)\n"

CASES = [
    (
        "java.lang.IllegalArgumentException: Unknown package: com.nope",
        UNKNOWN_PACKAGE,
        {"package": "com.nope", "exception": "java.lang.IllegalArgumentException"},
    ),
    (
        "java.lang.SecurityException: Package com.a has not requested permission "
        "android.permission.CAMERA",
        NOT_REQUESTED,
        {"package": "com.a", "permission": "android.permission.CAMERA"},
    ),
    (
        "java.lang.SecurityException: Permission android.permission.INTERNET requested by "
        "com.a is not a changeable permission type",
        NOT_CHANGEABLE,
        {"package": "com.a", "permission": "android.permission.INTERNET"},
    ),
    (  # the Kotlin permission service (15+)
        "java.lang.SecurityException: Permission android.permission.INTERNET requested by "
        "package com.a is not a changeable permission type",
        NOT_CHANGEABLE,
        {"package": "com.a", "permission": "android.permission.INTERNET"},
    ),
    (  # ≤ 9: no package in the message
        "java.lang.SecurityException: Permission android.permission.INTERNET is not a "
        "changeable permission type",
        NOT_CHANGEABLE,
        {"package": "", "permission": "android.permission.INTERNET"},
    ),
    (
        "java.lang.SecurityException: Non-System UID cannot revoke system fixed permission "
        "android.permission.ACCESS_FINE_LOCATION for package com.android.bluetooth",
        SYSTEM_FIXED,
        {
            "package": "com.android.bluetooth",
            "permission": "android.permission.ACCESS_FINE_LOCATION",
        },
    ),
    (
        "java.lang.SecurityException: Cannot revoke system fixed permission "
        "android.permission.GET_ACCOUNTS for package android",
        SYSTEM_FIXED,
        {"package": "android", "permission": "android.permission.GET_ACCOUNTS"},
    ),
    (
        "java.lang.SecurityException: Cannot revoke policy fixed permission "
        "android.permission.POST_NOTIFICATIONS for package com.hmdm.testapp",
        POLICY_FIXED,
        {"package": "com.hmdm.testapp", "permission": "android.permission.POST_NOTIFICATIONS"},
    ),
    (
        "java.lang.IllegalArgumentException: Unknown permission: android.permission.NOPE",
        UNKNOWN_PERMISSION,
        {"permission": "android.permission.NOPE"},
    ),
    (
        "java.lang.SecurityException: grantRuntimePermission: Neither user 2000 nor current "
        "process has android.permission.GRANT_RUNTIME_PERMISSIONS.",
        OEM_LOCK,
        {"permission": "android.permission.GRANT_RUNTIME_PERMISSIONS", "user": 2000},
    ),
    (  # run from an app's shell, not adb: not an OEM setting
        "java.lang.SecurityException: grantRuntimePermission: Neither user 10295 nor current "
        "process has android.permission.GRANT_RUNTIME_PERMISSIONS.",
        MISSING_PERMISSION,
        {"permission": "android.permission.GRANT_RUNTIME_PERMISSIONS", "user": 10295},
    ),
    (
        "java.lang.SecurityException: Shell does not have permission to access user 150",
        USER_ACCESS,
        {"user": 150},
    ),
    (
        "java.lang.SecurityException: Permission android.permission.SEND_SMS is managed by role",
        ROLE_MANAGED,
        {"permission": "android.permission.SEND_SMS"},
    ),
    (
        "java.lang.IllegalStateException: Something unexpected happened",
        EXCEPTION,
        {
            "exception": "java.lang.IllegalStateException",
            "message": "Something unexpected happened",
        },
    ),
    ("java.lang.NullPointerException", EXCEPTION, {"message": ""}),
]


@pytest.mark.parametrize(("line", "kind", "fields"), CASES)
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("stack", [SPACES, TABS, ""])
def test_exception_kinds(
    line: str, kind: str, fields: dict[str, object], header: bool, stack: str
) -> None:
    text = (HEADER if header else "") + line + "\n" + stack * 3
    error = parse_shell_error(text)
    assert error is not None and error.kind == kind
    assert error.verb == ("grant" if header else "")
    for name, value in fields.items():
        assert getattr(error, name) == value
    assert len(parse_shell_errors(text)) == 1


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("Error: No UID for com.nope in user 10\n", NO_UID, {"package": "com.nope", "user": 10}),
        ("Error: Unknown operation string: AUTO_START\n", UNKNOWN_OP, {"op": "AUTO_START"}),
        (
            "Error: specified flag user-fixd is not one of [review-required, revoked-compat, "
            "revoke-when-requested, user-fixed, user-set]\n",
            BAD_FLAG,
            {"argument": "user-fixd"},
        ),
        ("Error: Unknown option: -U\n", UNKNOWN_OPTION, {"argument": "-U"}),
        (
            "Unknown command: set-permission-flags\n",
            UNKNOWN_COMMAND,
            {"argument": "set-permission-flags"},
        ),
        ("Error: unknown command 'move-stack'\n", UNKNOWN_COMMAND, {"argument": "move-stack"}),
        (
            "java.lang.SecurityException: Permission Denial: getCurrentUser() from pid=1, uid=2000 "
            "requires android.permission.INTERACT_ACROSS_USERS\n",
            MISSING_PERMISSION,
            {"permission": "android.permission.INTERACT_ACROSS_USERS"},
        ),
        ("Error: no permission specified\n", MISSING_ARGUMENT, {"prefix": "Error"}),
        ("Error: something odd\n", ERROR, {"message": "something odd"}),
        ("Unknown package: com.nope\n", UNKNOWN_PACKAGE, {"package": "com.nope", "prefix": ""}),
        ("Unable to find package: com.nope\n", UNKNOWN_PACKAGE, {"package": "com.nope"}),
        (  # Android 7/8 grant/revoke refusals
            "Operation not allowed: java.lang.SecurityException: Package com.a has not requested "
            "permission android.permission.READ_SMS\n",
            NOT_REQUESTED,
            {"prefix": "Operation not allowed", "package": "com.a"},
        ),
        (  # ≤ 7, followed by the whole pm usage text
            "Bad argument: java.lang.IllegalArgumentException: Unknown package: com.nope\n"
            "usage: pm path [--user USER_ID] PACKAGE\n"
            "       pm dump PACKAGE\n",
            UNKNOWN_PACKAGE,
            {"prefix": "Bad argument", "exception": "java.lang.IllegalArgumentException"},
        ),
        (  # Android 5/6 pm
            "Security exception: Non-System UID cannot revoke system fixed permission "
            "android.permission.GET_ACCOUNTS for package android\n",
            SYSTEM_FIXED,
            {"prefix": "Security exception", "package": "android"},
        ),
        (
            "Operation not allowed: java.lang.SecurityException: weird\n",
            EXCEPTION,
            {"message": "weird"},
        ),
        (  # header and exception on one line, as some tools join them
            "Exception occurred while executing 'revoke': java.lang.IllegalArgumentException: "
            "Unknown package: com.nope\n",
            UNKNOWN_PACKAGE,
            {"verb": "revoke"},
        ),
    ],
)
def test_other_shapes(text: str, kind: str, fields: dict[str, object]) -> None:
    error = parse_shell_error(text)
    assert error is not None and error.kind == kind
    for name, value in fields.items():
        assert getattr(error, name) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "Success\n",
        "Added: com.whatsapp\n",
        "Removed: com.whatsapp\n",
        "package:com.whatsapp\n",
        "CAMERA: allow\n",
        "Permission granted for everyone\n",
    ],
)
def test_no_complaint_is_none(text: str) -> None:
    assert parse_shell_error(text) is None


def test_several_errors_in_one_output_and_caused_by_is_skipped() -> None:
    text = (
        "Unknown package: com.a\n"
        "Unknown package: com.b\n"
        "java.lang.RuntimeException: wrapper\n"
        "Caused by: java.lang.SecurityException: inner\n"
    )
    errors = parse_shell_errors(text)
    assert [(e.kind, e.package) for e in errors] == [
        (UNKNOWN_PACKAGE, "com.a"),
        (UNKNOWN_PACKAGE, "com.b"),
        (EXCEPTION, ""),
    ]
    assert {e.kind for e in errors} <= ERROR_KINDS
