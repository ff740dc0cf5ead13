"""Finding the line of a key path in TOML text."""

from __future__ import annotations

import tomllib

import pytest

from hardener.profile.locate import KeyLocator, format_key_path

TEXT = '''# comment [not a table]
schema = 1
extends = "default" # trailing comment with = sign
description = """two
lines with [brackets] and = signs"""

[work_hours]
timezone = "Europe/Berlin"
monday = [
    "09:00-12:00", # morning
    "13:00-18:00",
]
holidays = [2026-01-01, { from = 2026-02-15, until = 2026-02-23, name = "a \\" quote" }]

[[work_hours.overrides]]
until = 2027-01-01T09:00:00
working = true

[[rules]]
name = "first"

[[rules]]
"name" = 'second'
off_hours = ['contacts', "location"]
catalog.workplace = ["com.example.a"]
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("schema",), 2),
        (("extends",), 3),
        (("description",), 4),
        (("work_hours",), 7),
        (("work_hours", "timezone"), 8),
        (("work_hours", "monday"), 9),
        (("work_hours", "monday", 0), 10),
        (("work_hours", "monday", 1), 11),
        (("work_hours", "holidays", 1), 13),
        (("work_hours", "holidays", 1, "until"), 13),
        (("work_hours", "overrides", 0), 15),
        (("work_hours", "overrides", 0, "until"), 16),
        (("work_hours", "overrides", 0, "working"), 17),
        (("rules", 0, "name"), 20),
        (("rules", 1), 22),
        (("rules", 1, "name"), 23),
        (("rules", 1, "off_hours", 1), 24),
        (("rules", 1, "catalog", "workplace", 0), 25),
        # Unknown paths fall back to their closest known parent.
        (("rules", 1, "off_hours", 7), 24),
        (("work_hours", "tuesday"), 7),
        (("nothing",), None),
    ],
)
def test_line_of(path, line):
    tomllib.loads(TEXT)  # the locator only ever sees text tomllib accepted
    assert KeyLocator(TEXT).line_of(path) == line


def test_format_key_path():
    assert format_key_path(("rules", 2, "off_hours", 0)) == "rules[2].off_hours[0]"
    assert format_key_path(("catalog", "com.x")) == 'catalog."com.x"'
    assert format_key_path(()) == ""


ARRAY_SUBTABLES = """[[apps]]
package = "a.b"
[apps.state]
bucket = "rare"
[[apps]]
package = "c.d"
[apps.state.grants]
CAMERA = "granted"
[apps.user.10]
bucket = "active"
[zen]
[[zen.rules]]
id = "a"
[[zen.rules]]
id = "b"
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("apps", 0, "state", "bucket"), 4),
        (("apps", 1, "package"), 6),
        (("apps", 1, "state", "grants", "CAMERA"), 8),
        (("apps", 1, "user", "10", "bucket"), 10),
        (("apps", 1, "state", "bucket"), 7),  # absent: its closest parent, in the same element
        (("zen", "rules", 1, "id"), 15),
    ],
)
def test_a_sub_table_header_belongs_to_the_latest_array_element(path, line):
    """`[apps.state]` after the second `[[apps]]` is `apps[1].state`, as TOML reads it."""
    data = tomllib.loads(ARRAY_SUBTABLES)
    assert data["apps"][1]["state"]["grants"]["CAMERA"] == "granted"
    assert KeyLocator(ARRAY_SUBTABLES).line_of(path) == line


def test_a_quoted_key_with_escapes_is_found_as_tomllib_reads_it():
    text = '[t]\na = 1\n"\\u001b]0;x\\u0007" = 2\n"tab\\there" = 3\n\'raw\\n\' = 4\n'
    keys = list(tomllib.loads(text)["t"])
    locator = KeyLocator(text)
    assert [locator.line_of(("t", key)) for key in keys] == [2, 3, 4, 5]
