"""textsafe: outside text shown harmlessly, and refused where it would become a line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.errors import InputError
from hardener.textsafe import (
    control_characters,
    json_safe,
    refuse_controls,
    visible,
    visible_lines,
)

UNSAFE = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029", "\u202e"}


def test_escapes_are_shown_not_acted_on() -> None:
    osc52 = "Slack\x1b]52;c;ZXZpbA==\x07"
    assert visible(osc52) == "Slack\\x1b]52;c;ZXZpbA==\\x07"
    assert visible("a\nFORGED\r\t\u202eb\x9b") == "a\\nFORGED\\r\\t\\u202eb\\x9b"
    assert visible("钉钉 DingTalk") == "钉钉 DingTalk"
    assert visible("We\u200bChat\ufeff") == "We\\u200bChat\\ufeff"  # invisible made visible


def test_visible_lines_keeps_our_own_newlines_only() -> None:
    assert visible_lines("row 1\n\trow 2\x1b[2J\r") == "row 1\n\trow 2\\x1b[2J\\r"


@given(st.text())
def test_visible_never_lets_a_control_through(text: str) -> None:
    shown = visible(text)
    assert not UNSAFE & set(shown)
    assert "\n" not in shown
    assert not UNSAFE - {"\n", "\t"} & set(visible_lines(text))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Zl", "Zp", "Cf"))))
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert visible(text) == text


@given(st.dictionaries(st.text(), st.text()))
def test_json_safe_keeps_the_document_and_drops_raw_controls(document: dict[str, str]) -> None:
    text = json_safe(json.dumps(document, ensure_ascii=False))
    assert json.loads(text) == document
    assert not UNSAFE & set(text)


def test_refuse_controls_names_what_it_found() -> None:
    assert refuse_controls("the profile path", "/home/a b/p.toml") == "/home/a b/p.toml"
    with pytest.raises(InputError) as caught:
        refuse_controls("the profile path", "/tmp/x\n* * * * * rm -rf ~\n.toml")
    assert "\\n" in caught.value.message and "\n" not in caught.value.message
    assert control_characters("a\x1bb\x1bc\n") == ["\\x1b", "\\n"]
