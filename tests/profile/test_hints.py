"""`profile check` suggests what the person meant (hardener/profile/hints.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.profile import check_profile
from hardener.profile.hints import capability_hint, is_invisible, timezone_hint, visible
from hardener.profile.times import timezone_names

RULE = (
    '[work_hours]\nweekdays = ["09:00-18:00"]\n[[rules]]\nname = "r"\ncategories = ["workplace"]\n'
)


def messages(write, text: str) -> list[str]:
    result = check_profile(write("p.toml", text))
    return [str(p) for p in (*result.errors, *result.warnings)]


@pytest.mark.parametrize(
    ("zone", "meant"),
    [
        ("UTC+8", ['"Etc/GMT-8"', '"Asia/Shanghai"']),
        ("GMT+08:00", ['"Etc/GMT-8"']),
        ("UTC-5", ['"Etc/GMT+5"', '"America/New_York"']),
        ("Asia/Beijing", ['"Asia/Shanghai"']),
        ("Asia/Mumbai", ['"Asia/Kolkata"']),
        ("Europe/Frankfurt", ['"Europe/Berlin"']),
        ("Berlin", ['"Europe/Berlin"']),
    ],
)
def test_timezones_suggest_what_was_meant(write, zone, meant):
    (text,) = [
        m for m in messages(write, f'[work_hours]\ntimezone = "{zone}"\n') if "timezone" in m
    ]
    for name in meant:
        assert name in text
    assert '"UTC"' not in text and "Brunei" not in text


def test_every_suggested_zone_exists():
    zones = timezone_names()
    for name in ("UTC+8", "UTC-5", "UTC+0", "Asia/Beijing", "Asia/Shenzhen", "Asia/Delhi"):
        hint = timezone_hint(name, zones)
        quoted = hint.split('"')[1::2]
        assert quoted and all(q in zones for q in quoted), hint


def test_invisible_characters_are_shown_and_named(write):
    text = messages(write, '[work_hours]\n"wee\u200bkdays" = ["09:00-18:00"]\n')[0]
    assert "\u200b" not in text
    assert "wee\\u200bkdays" in text and "ZERO WIDTH SPACE" in text and '"weekdays"' in text
    bare = messages(write, '[work_hours]\nwee\u200bkdays = ["09:00-18:00"]\n')[0]
    assert "\u200b" not in bare and "ZERO WIDTH SPACE" in bare


def test_full_width_keys_are_read_as_their_ascii_meaning(write):
    quoted = messages(write, '[work_hours]\n"ｗｅｅｋｅｎｄ" = []\n')[0]
    assert '(did you mean "weekend"? it is written in full-width characters)' in quoted
    bare = messages(write, "[work_hours]\nｗｅｅｋｅｎｄ = []\n")[0]
    assert 'type it as "weekend"' in bare


def test_a_permission_where_a_capability_belongs_names_the_capability(write):
    found = messages(
        write, RULE + 'off_hours = ["READ_CONTACTS", "android.permission.ACCESS_FINE_LOCATION"]\n'
    )
    assert any("READ_CONTACTS is a permission" in m and '"contacts"' in m for m in found)
    assert any("ACCESS_FINE_LOCATION" in m and '"location"' in m for m in found)
    assert capability_hint("contacts") == ""


def test_schema_as_a_string_says_to_use_the_integer(write):
    hours = '[work_hours]\nweekdays = ["09:00-18:00"]\n'
    (text,) = messages(write, 'schema = "1"\n' + hours)
    assert 'the integer 1, not the string "1"' in text and "not supported" not in text
    (other,) = messages(write, "schema = 2\n" + hours)
    assert "not supported" in other


def test_no_follow_up_warnings_after_an_error(write):
    found = messages(write, RULE + 'off_hours = ["READ_CONTACTS"]\n')
    assert len(found) == 1 and "changes nothing" not in found[0]
    hours = messages(write, '[work_hours]\n"weekdayz" = ["09:00-18:00"]\n')
    assert len(hours) == 1 and "no work hours" not in hours[0]
    # a warning on its own still shows
    alone = messages(write, '[work_hours]\ntimezone = "device"\n')
    assert any("no work hours" in m for m in alone)


@given(st.text())
def test_visible_leaves_nothing_invisible(text):
    shown = visible(text)
    assert not any(is_invisible(c) for c in shown)
    assert all(unicodedata.category(c) != "Cc" for c in shown)
