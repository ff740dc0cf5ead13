from dataclasses import replace

import pytest

from hardener.android.parsers import parse_appops_get
from hardener.core.snapshot import device_info, ops_by_scope


def test_ops_the_text_cannot_place_are_placed_by_their_nature():
    # Android prints "Uid mode:" once; the second uid entry looks like a package entry.
    text = (
        "Uid mode: COARSE_LOCATION: foreground\n"
        "READ_CONTACTS: ignore\n"
        "RUN_ANY_IN_BACKGROUND: ignore\n"
    )
    ops = parse_appops_get(text)
    uid, package = ops_by_scope(ops, "uid"), ops_by_scope(ops, "package")
    assert uid["COARSE_LOCATION"] == "foreground"
    assert package["RUN_ANY_IN_BACKGROUND"] == "ignore"
    assert "READ_CONTACTS" in uid or "READ_CONTACTS" in package
    assert set(uid) | set(package) == {"COARSE_LOCATION", "READ_CONTACTS", "RUN_ANY_IN_BACKGROUND"}


def test_device_info_names_the_rom_and_prefers_the_phones_own_serial():
    props = {
        "ro.serialno": "8c3f2a71",
        "ro.product.model": "23127PN0CC",
        "ro.product.manufacturer": "Xiaomi",
        "ro.build.version.sdk": "34",
        "ro.build.version.release": "14",
        "ro.mi.os.version.name": "OS1.0",
        "ro.miui.ui.version.name": "V816",
        "persist.sys.timezone": "Asia/Shanghai",
    }
    info = device_info(props, "127.0.0.1:5555")
    assert (info.serial, info.rom, info.rom_version, info.sdk) == (
        "8c3f2a71",
        "hyperos",
        "OS1.0",
        34,
    )
    assert info.timezone == "Asia/Shanghai"
    bare = device_info({}, "127.0.0.1:5555")
    assert (bare.serial, bare.rom, bare.sdk) == ("127.0.0.1:5555", "stock", 0)


# ---- the layout guess: what phase 2 read last time ---------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hardener.core.snapshot import DetailRequest, Layout  # noqa: E402
from hardener.state.layouts import layout_path, load_layout, save_layout  # noqa: E402


def wanted(packages, users=(0,), whole=False) -> DetailRequest:
    return DetailRequest(tuple(packages), tuple(users), (), whole)


def test_a_guess_covers_only_the_same_users_and_at_least_the_wanted_apps():
    guess = Layout((0, 10), ("com.a", "com.b"), whole_device=False)
    assert guess.covers(wanted(["com.a"], users=(10, 0)))
    assert not guess.covers(wanted(["com.a", "com.c"], users=(0, 10)))  # newly installed
    assert not guess.covers(wanted(["com.a"], users=(0,)))  # a user went away
    assert not guess.covers(wanted(["com.a"], users=(0, 10, 11)))  # a new work profile
    whole = Layout((0,), (), whole_device=True)
    assert whole.covers(wanted(["com.anything"] * 3))


def test_a_guess_asks_for_exactly_what_phase_2_would():
    from hardener.core.snapshot import _request

    guess = Layout((0, 10), ("com.a", "com.b"), whole_device=False)
    assert guess.request() == _request(("com.a", "com.b"), (0, 10), False, True)
    assert "dumpsys package com.b" in guess.request().commands
    quiet = Layout((0,), ("com.a",), whole_device=False, dnd=False)
    assert quiet.request() == _request(("com.a",), (0,), False, False)
    assert "dumpsys notification --zen" not in quiet.request().commands


def test_a_guess_without_do_not_disturb_does_not_cover_a_run_that_needs_it():
    without = Layout((0,), ("com.a",), whole_device=False, dnd=False)
    needs = replace(wanted(["com.a"]), dnd=True)
    assert not without.covers(needs)
    assert without.covers(replace(needs, dnd=False))
    assert Layout((0,), ("com.a",), whole_device=False).covers(replace(needs, dnd=False))


def test_a_layout_file_from_before_do_not_disturb_was_optional_reads_it():
    old = {"users": [0], "packages": ["com.a"], "whole_device": False}
    assert Layout.from_json(old) == Layout((0,), ("com.a",), False, dnd=True)
    assert Layout.from_json({**old, "dnd": "yes"}) is None


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"users": [0], "packages": ["com.a;reboot"], "whole_device": False},
        {"users": [0], "packages": ["com.a", "$(reboot)"], "whole_device": False},
        {"users": ["0"], "packages": ["com.a"], "whole_device": False},
        {"users": [-1], "packages": ["com.a"], "whole_device": False},
        {"users": [True], "packages": ["com.a"], "whole_device": False},
        {"users": [], "packages": ["com.a"], "whole_device": False},
        {"users": [0], "packages": "com.a", "whole_device": False},
        {"users": [0], "packages": ["com.a"], "whole_device": "no"},
        {"users": [0], "packages": ["com.a"]},
    ],
)
def test_a_layout_file_that_hardener_did_not_write_is_ignored(data):
    assert Layout.from_json(data) is None


PACKAGE_NAME = r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}"


@given(
    users=st.lists(st.integers(0, 999), min_size=1, max_size=4, unique=True),
    packages=st.lists(st.from_regex(PACKAGE_NAME, fullmatch=True), max_size=6),
    whole=st.booleans(),
    dnd=st.booleans(),
)
def test_a_layout_survives_its_file(users, packages, whole, dnd):
    layout = Layout(tuple(users), tuple(sorted(set(packages))), whole, dnd)
    assert Layout.from_json(layout.to_json()) == layout


def test_the_layout_file_is_private_and_rewritten_only_when_it_changes(tmp_path):
    layout = Layout((0,), ("com.a",), whole_device=False)
    assert load_layout(tmp_path, "127.0.0.1:5555") is None
    save_layout(tmp_path, "127.0.0.1:5555", layout, was=None)
    path = layout_path(tmp_path, "127.0.0.1:5555")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_layout(tmp_path, "127.0.0.1:5555") == layout
    stamp = path.stat().st_mtime_ns
    save_layout(tmp_path, "127.0.0.1:5555", layout, was=layout)
    assert path.stat().st_mtime_ns == stamp
    path.write_text("{not json")
    assert load_layout(tmp_path, "127.0.0.1:5555") is None
