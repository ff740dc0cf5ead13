"""`cmd deviceidle whitelist` (type,pkg,appid lines) and `dumpsys deviceidle` (grammar §4)."""

from __future__ import annotations

from hardener.android.parsers import (
    SYSTEM,
    SYSTEM_EXCEPT_IDLE,
    USER,
    DeviceIdleEntry,
    parse_deviceidle_whitelist,
    parse_dumpsys_deviceidle,
)


def test_whitelist_command_form() -> None:
    text = (
        "system-excidle,com.android.providers.calendar,10079\n"
        "system-excidle,com.google.android.gms,10145\n"
        "system,com.android.shell,2000\n"
        "system,com.google.android.gms,10145\n"
        "user,com.whatsapp,10199\n"
    )
    lists = parse_deviceidle_whitelist(text)
    assert lists.entries[0] == DeviceIdleEntry(
        SYSTEM_EXCEPT_IDLE, "com.android.providers.calendar", 10079
    )
    assert lists.user == {"com.whatsapp"}
    assert lists.system == {"com.android.shell", "com.google.android.gms"}
    assert lists.except_idle == {"com.android.providers.calendar", "com.google.android.gms"}
    assert lists.exempt("com.whatsapp") and lists.exempt("com.google.android.gms")
    assert not lists.exempt("com.android.providers.calendar")


def test_answers_to_changes_are_not_entries() -> None:
    text = "Added: com.whatsapp\nRemoved: com.x\nUnknown package: com.nope\n"
    assert parse_deviceidle_whitelist(text).entries == ()


def test_liberal_lines() -> None:
    lists = parse_deviceidle_whitelist(" user , com.a , 10001 \r\nuser,com.b,\nbad,line\n")
    assert [(e.kind, e.package, e.app_id) for e in lists.entries] == [
        (USER, "com.a", 10001),
        (USER, "com.b", None),
    ]


def test_dump_form_with_allowlist_wording_and_following_sections() -> None:
    text = (
        "  Settings:\n"
        "    light_idle_to=+5m0s0ms\n"
        "  Allowlist (except idle) system apps:\n"
        "    com.android.vending\n"
        "  Allowlist system apps:\n"
        "    com.android.shell\n"
        "  Allowlist user apps:\n"
        "    com.whatsapp\n"
        "  Allowlist user app ids:\n"
        "    10199\n"
        "  Temp allowlist schedule:\n"
        "    UID=10199: +9s0ms - sms\n"
        "  mState=ACTIVE mLightState=ACTIVE\n"
    )
    lists = parse_dumpsys_deviceidle(text)
    assert [(e.kind, e.package) for e in lists.entries] == [
        (SYSTEM_EXCEPT_IDLE, "com.android.vending"),
        (SYSTEM, "com.android.shell"),
        (USER, "com.whatsapp"),
    ]
    assert lists.user_app_ids == {10199} and lists.all_app_ids == frozenset()
