"""`settings get`, `settings list`, and component lists."""

from __future__ import annotations

import pytest

from hardener.android.parsers import (
    Component,
    parse_component,
    parse_component_list,
    parse_settings_get,
    parse_settings_list,
)


def test_get_value_null_and_empty() -> None:
    assert parse_settings_get("1\n") == "1"
    assert parse_settings_get("null\n") is None
    assert parse_settings_get("\n") == ""
    assert parse_settings_get("a b \n") == "a b "


def test_list_keeps_values_exactly() -> None:
    text = "a=1\nb=x=y\nc=\nd=null\n bad=1\nno equals here\n"
    assert parse_settings_list(text) == {"a": "1", "b": "x=y", "c": "", "d": "null"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("com.a/com.a.Service", Component("com.a", "com.a.Service")),
        ("com.a/.Service", Component("com.a", "com.a.Service")),
        ("com.a/com.b.Outer$Inner", Component("com.a", "com.b.Outer$Inner")),
        ("{com.a/.S}", Component("com.a", "com.a.S")),
        ("com.a", None),
        ("/x", None),
        ("", None),
    ],
)
def test_component(text: str, expected: Component | None) -> None:
    assert parse_component(text) == expected


def test_component_flat_and_short() -> None:
    component = Component("com.a", "com.a.Service")
    assert (component.flat, component.short) == ("com.a/com.a.Service", "com.a/.Service")
    other = Component("com.a", "org.b.Service")
    assert other.short == "com.a/org.b.Service"


def test_component_lists() -> None:
    assert parse_component_list("com.a/.S:com.b/com.b.T") == (
        Component("com.a", "com.a.S"),
        Component("com.b", "com.b.T"),
    )
    assert parse_component_list("null") == ()
    assert parse_component_list("") == ()
    assert parse_component_list(None) == ()
    assert parse_component_list("com.a/.S::garbage") == (Component("com.a", "com.a.S"),)
