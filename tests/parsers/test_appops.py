"""`appops get`: line grammar, the `Uid mode:` trap, and errors (grammar §3)."""

from __future__ import annotations

import pytest

from hardener.android.parsers import (
    NO_UID,
    PACKAGE,
    UID,
    UNKNOWN,
    UNKNOWN_OP,
    op_code,
    parse_appops_get,
)
from hardener.android.parsers.shell_errors import OEM_LOCK


def scopes(text: str, op: str | None = None) -> list[tuple[str, str, str]]:
    return [(e.op, e.mode, e.scope) for e in parse_appops_get(text, op).entries]


def test_uid_group_ends_where_op_codes_stop_rising() -> None:
    text = (
        "Uid mode: COARSE_LOCATION: foreground\n"
        "READ_CONTACTS: ignore\n"
        "CAMERA: allow\n"
        "ACTIVITY_RECOGNITION: allow\n"
        "RUN_ANY_IN_BACKGROUND: ignore\n"  # 70 < 79: the package group starts here
        "WAKE_LOCK: allow; time=+5m ago\n"
    )
    assert scopes(text) == [
        ("COARSE_LOCATION", "foreground", UID),
        ("READ_CONTACTS", "ignore", UID),
        ("CAMERA", "allow", UID),
        ("ACTIVITY_RECOGNITION", "allow", UID),
        ("RUN_ANY_IN_BACKGROUND", "ignore", PACKAGE),
        ("WAKE_LOCK", "allow", PACKAGE),
    ]


def test_same_op_in_both_groups_uid_wins() -> None:
    result = parse_appops_get("Uid mode: CAMERA: ignore\nCAMERA: allow\n", op="CAMERA")
    assert [(e.mode, e.scope) for e in result.entries] == [("ignore", UID), ("allow", PACKAGE)]
    assert result.mode("CAMERA") == "ignore"
    assert result.uid_modes() == {"CAMERA": "ignore"}
    assert result.package_modes() == {"CAMERA": "allow"}


def test_access_times_prove_the_package_group_when_codes_cannot() -> None:
    text = (
        "Uid mode: COARSE_LOCATION: foreground\n"
        "READ_CONTACTS: allow\n"  # either group: codes keep rising, no history
        "WAKE_LOCK: allow; time=+1m2s ago; duration=+20ms\n"
        "TOAST_WINDOW: allow\n"
    )
    assert scopes(text) == [
        ("COARSE_LOCATION", "foreground", UID),
        ("READ_CONTACTS", "allow", UNKNOWN),
        ("WAKE_LOCK", "allow", PACKAGE),
        ("TOAST_WINDOW", "allow", PACKAGE),
    ]
    result = parse_appops_get(text)
    assert result.modes()["READ_CONTACTS"] == "allow"  # effective mode is known regardless
    assert "READ_CONTACTS" not in result.uid_modes() | result.package_modes()


def test_nothing_to_tell_means_unknown() -> None:
    assert scopes("Uid mode: COARSE_LOCATION: allow\nCAMERA: ignore\n") == [
        ("COARSE_LOCATION", "allow", UID),
        ("CAMERA", "ignore", UNKNOWN),
    ]


def test_uid_marker_without_blank() -> None:
    assert scopes("Uid mode:CAMERA: ignore\nCAMERA: allow\n") == [
        ("CAMERA", "ignore", UID),
        ("CAMERA", "allow", PACKAGE),
    ]


def test_without_uid_line_everything_is_package() -> None:
    assert {s for _, _, s in scopes("CAMERA: allow\nVIBRATE: allow\n")} == {PACKAGE}


def test_oem_ops_have_codes_after_aosp() -> None:
    assert op_code("MIUIOP(10008)") == 10008 and op_code("Unknown(150)") == 150
    assert op_code("RUN_ANY_IN_BACKGROUND") == 70 and op_code("NO_SUCH_OP") is None
    text = "Uid mode: MIUIOP(10008): ignore\nCOARSE_LOCATION: allow\n"
    assert scopes(text) == [("MIUIOP(10008)", "ignore", UID), ("COARSE_LOCATION", "allow", PACKAGE)]


def test_android_10_bug_other_op_lines_are_set_aside() -> None:
    result = parse_appops_get(
        "Uid mode: COARSE_LOCATION: foreground\nRUN_ANY_IN_BACKGROUND: ignore\n",
        op="RUN_ANY_IN_BACKGROUND",
    )
    assert [e.op for e in result.ignored] == ["COARSE_LOCATION"]
    assert [(e.op, e.scope) for e in result.entries] == [("RUN_ANY_IN_BACKGROUND", UNKNOWN)]
    assert result.mode("RUN_ANY_IN_BACKGROUND") == "ignore"
    assert result.mode("COARSE_LOCATION") is None


def test_suffixes_running_extras_and_numeric_modes() -> None:
    text = (
        "CAMERA: allow; time=+3s ago; rejectTime=+1d ago (running)\n"
        "RECORD_AUDIO: foreground; time=+0 ago; attributionTag=voice\n"
        "PICTURE_IN_PICTURE: mode=5\n"
        "MIUIOP(10021): ignore; rejectTime=+2h ago\n"
    )
    camera, audio, pip, miui = parse_appops_get(text).entries
    assert (camera.time_ms, camera.reject_time_ms, camera.running, camera.duration) == (
        3000,
        86_400_000,
        True,
        None,
    )
    assert audio.time_ms == 0 and audio.extras == {"attributionTag": "voice"}
    assert pip.mode == "mode=5"  # modeToName for a mode it does not know, kept as printed
    assert (miui.op, miui.reject_time) == ("MIUIOP(10021)", "+2h")


def test_no_operations_with_and_without_default_mode() -> None:
    result = parse_appops_get("No operations.\nDefault mode: allow\n", op="CAMERA")
    assert result.no_operations and result.default_mode == "allow"
    assert result.mode("CAMERA") == "allow" and result.error is None
    bare = parse_appops_get("No operations.\n")
    assert bare.no_operations and bare.mode("CAMERA") is None


@pytest.mark.parametrize(
    ("text", "kind", "field", "value"),
    [
        ("Error: No UID for com.nope in user 0\n", NO_UID, "package", "com.nope"),
        ("Error: Unknown operation string: AUTO_START\n", UNKNOWN_OP, "op", "AUTO_START"),
        (
            "Exception occurred while executing 'set':\n"
            "java.lang.SecurityException: uid 2000 does not have "
            "android.permission.MANAGE_APP_OPS_MODES.\n"
            "\tat android.app.ContextImpl.enforce(ContextImpl.java:1893)\n",
            OEM_LOCK,
            "permission",
            "android.permission.MANAGE_APP_OPS_MODES",
        ),
    ],
)
def test_errors(text: str, kind: str, field: str, value: str) -> None:
    result = parse_appops_get(text)
    assert result.entries == () and result.error is not None
    assert result.error.kind == kind and getattr(result.error, field) == value


def test_unknown_lines_are_skipped() -> None:
    text = (
        "WARNING: linker: something\n"
        "Remote exception: boom\n"
        "android.os.DeadObjectException: x\n"
        "Some words: with spaces\n"
        "CAMERA: allow\n"
    )
    assert scopes(text) == [("CAMERA", "allow", PACKAGE)]
