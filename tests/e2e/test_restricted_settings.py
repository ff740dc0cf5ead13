"""The restricted-settings guard (ACCESS_RESTRICTED_SETTINGS), end to end: read in scan,
journaled before the change, given back exactly — whatever mode the person had."""

from __future__ import annotations

import pytest

from hardener.core.levers import KINDS, LeverKey
from hardener.state.journal import Journal

from .test_enforce import DINGTALK, EVENING, MORNING, everything_off_hours, scan

OP = "ACCESS_RESTRICTED_SETTINGS"


def test_the_kind_is_registered_by_its_module_alone():
    assert "restricted_settings" in KINDS


@pytest.mark.parametrize(
    ("set_by_person", "had"),
    [(None, None), ("ignore", "ignore"), ("allow", None)],  # allow is the default: pruned
)
def test_guarded_off_hours_and_given_back_exactly(set_by_person, had, virtual_phone, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    if set_by_person is not None:
        phone.android.run(f"appops set --user 0 {DINGTALK} {OP} {set_by_person}")
    profile = str(everything_off_hours(tmp_path, [DINGTALK], off=("restricted_settings",)))
    before = scan(cli, phone)
    seen = next(a for a in before["apps"] if a["package"] == DINGTALK and a["user"] == 0)
    assert seen["app_ops"].get(OP) == had  # scan reads the guard

    evening = cli("enforce", "-p", profile, "--device", phone.spec, "--at", EVENING, "--json")
    assert evening.exit_code == 0, evening.stdout + evening.stderr
    hardened = scan(cli, phone)
    app = next(a for a in hardened["apps"] if a["package"] == DINGTALK and a["user"] == 0)
    if had == "ignore":  # already guarded: nothing to change, nothing journaled
        assert app["app_ops"].get(OP) == "ignore"
        assert evening.json()["outcomes"] == []
    else:
        assert app["app_ops"].get(OP) == "deny"
        serial = evening.json()["device"]["serial"]
        held = Journal(tmp_path / "state", serial).load()
        key = LeverKey("restricted_settings", 0, DINGTALK, OP)
        assert held[key].baseline == had and held[key].confirmed

    morning = cli("enforce", "-p", profile, "--device", phone.spec, "--at", MORNING)
    assert morning.exit_code == 0, morning.stdout + morning.stderr
    assert scan(cli, phone) == before
