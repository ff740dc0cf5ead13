"""The fleet inventory is checked like a profile: every problem at once, each with its file,
line and key path, exit 2 — never a crash on a value of the wrong type."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.cli.app import main
from hardener.errors import EXIT_BAD_INPUT, InputError
from hardener.fleet.inventory import InventoryError, load_inventory

GROUP = '[[groups]]\nname = "desk"\nprofile = "default"\ndevices = ["R58M"]\n'
GOOD = '[defaults]\nprofile = "default"\n[[groups]]\nname = "desk"\ndevices = ["R58M"]\n'

# (inventory text, expected "line: key path" of each problem)
BAD = [
    ("defaults = 3\n[[groups]]\nname='a'\nprofile='default'\ndevices=['x']\n", ["1: defaults"]),
    ("groups = [1]\n", ["1: groups[0]"]),
    ("overrides = 3\n" + GOOD, ["1: overrides"]),
    (
        "[defaults]\nauth_timeout = nan\n[[groups]]\nname = 'a'\nprofile = 4\ndevices = ['x', 5]\n",
        ["2: defaults.auth_timeout", "5: groups[0].profile", "6: groups[0].devices[1]"],
    ),
    ("[defaults]\nauth_timeout = inf\n" + GROUP, ["2: defaults.auth_timeout"]),
    ("[defaults]\nauth_timeout = true\n" + GROUP, ["2: defaults.auth_timeout"]),
    (GOOD + '[overrides."R58M"]\nskip = "yes"\n', ["7: overrides.R58M.skip"]),
    (GOOD + "[[groups]]\nname = 'desk'\ndevices = 'all'\n", ["7: groups[1].name"]),
    ("colour = 'red'\n" + GOOD, ["1: colour"]),
    ('[[groups]]\nname = "a\\nb"\nprofile = "default"\ndevices = ["x"]\n', ["2: groups[0].name"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_every_problem_is_named_with_file_line_and_key(text, expected, tmp_path: Path):
    path = tmp_path / "phones.toml"
    path.write_text(text)
    with pytest.raises(InventoryError) as caught:
        load_inventory(path)
    found = [f"{p.line}: {p.key_path}" for p in caught.value.problems]
    assert found == expected
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert all(p.file == str(path) for p in caught.value.problems)
    assert "the inventory has" in caught.value.message or len(expected) == 1


def test_a_good_inventory_with_a_bom_loads(tmp_path: Path):
    path = tmp_path / "phones.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    inventory = load_inventory(path)
    assert [g.devices for g in inventory.groups] == [("R58M",)]


def test_the_cli_exits_2_naming_file_line_and_key(capfd, tmp_path: Path):
    path = tmp_path / "phones.toml"
    path.write_text("defaults = 3\ngroups = [1]\noverrides = 3\n")
    with pytest.raises(SystemExit) as done:
        main(["fleet", "plan", "-i", str(path)])
    err = capfd.readouterr().err
    assert done.value.code == 2
    assert f"{path}:2: groups[0]: 1 is not a table" in err
    assert "Traceback" not in err


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
))  # fmt: skip
def test_any_toml_shape_gives_a_clean_error_or_an_inventory(tmp_path_factory, value):
    import tomllib

    path = tmp_path_factory.mktemp("inv") / "phones.toml"
    keys = ("defaults", "groups", "overrides")
    body = "".join(f"{k} = {_toml(value)}\n" for k in keys)
    try:
        tomllib.loads(body)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    path.write_text(body)
    with contextlib.suppress(InputError):  # an inventory, or a clean error: never a crash
        load_inventory(path)


def _toml(value) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return '"' + "".join(c for c in value if c.isalnum()) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    inner = ", ".join(
        f'"{"".join(c for c in k if c.isalnum()) or "k"}" = {_toml(v)}' for k, v in value.items()
    )
    return "{" + inner + "}"
