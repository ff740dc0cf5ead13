"""`getprop` (all) and `getprop KEY` (bare value)."""

from __future__ import annotations

from hardener.android.parsers import parse_getprop, parse_getprop_value


def test_all_properties_with_empty_bracketed_and_multiline_values() -> None:
    text = (
        "[dalvik.vm.heapsize]: [512m]\n"
        "[empty.prop]: []\n"
        "[ro.odd]: [a]b]\n"
        "[persist.sys.boot.reason.history]: [reboot,ota,1\n"
        "reboot,2]\n"
        "[ro.build.version.sdk]: [34]\n"
    )
    assert parse_getprop(text) == {
        "dalvik.vm.heapsize": "512m",
        "empty.prop": "",
        "ro.odd": "a]b",
        "persist.sys.boot.reason.history": "reboot,ota,1\nreboot,2",
        "ro.build.version.sdk": "34",
    }


def test_liberal_spacing_and_kept_inner_blanks() -> None:
    text = "  [ro.product.model] :[Pixel 8 Pro ]  \n\t[k]:  [v]\n"
    assert parse_getprop(text) == {"ro.product.model": "Pixel 8 Pro ", "k": "v"}


def test_unknown_lines_are_skipped_and_an_unclosed_value_is_kept() -> None:
    text = "getprop: something odd\n[a]: [1]\n[b]: [never closed\n[c]: [3]\n"
    assert parse_getprop(text) == {"a": "1", "b": "never closed", "c": "3"}
    assert parse_getprop("") == {}


def test_unclosed_value_at_the_end_keeps_its_lines() -> None:
    assert parse_getprop("[x]: [line1\nline2\n") == {"x": "line1\nline2"}


def test_single_value_form() -> None:
    assert parse_getprop_value(b"34\n") == "34"
    assert parse_getprop_value("\n") == ""  # an unset property
    assert parse_getprop_value(b"\xff\xfe" + "Europe/Paris\r\n".encode("utf-16-le")) == (
        "Europe/Paris"
    )
    assert parse_getprop_value(" spaced value \n") == " spaced value "
