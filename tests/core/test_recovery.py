"""recovery: a damaged journal is read as far as it goes; baselines rebuilt from history."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.core.baselines import JournalEntry
from hardener.core.levers import PACKAGE_OP, PERMISSION, LeverKey, PermissionValue
from hardener.core.recovery import NewerFormat, parse_journal, rebuild

CONTACTS = LeverKey(PERMISSION, 0, "com.alibaba.android.rimet", "android.permission.READ_CONTACTS")
RUN_ANY = LeverKey(PACKAGE_OP, 0, "com.alibaba.android.rimet", "RUN_ANY_IN_BACKGROUND")


def entry(key, baseline, applied) -> dict:
    return JournalEntry(key, baseline, applied, True, "2026-11-24T19:00:00+00:00", "r").to_json()


def outcome(key, intent, status, before, after) -> dict:
    to = lambda v: v.to_json() if isinstance(v, PermissionValue) else v  # noqa: E731
    return {"package": key.package, "user": key.user, "setting": key.kind, "name": key.name,
            "intent": intent, "status": status, "before": to(before), "after": to(after),
            "reason": "rule"}  # fmt: skip


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(st.text())
def test_any_text_is_read_as_far_as_it_goes(text: str) -> None:
    try:
        entries, problems, _ = parse_journal(text)
    except NewerFormat:
        return
    assert all(isinstance(p, str) and p for p in problems)  # never raises, always says why
    assert all(isinstance(e, JournalEntry) for e in entries)


@given(st.lists(JSON, max_size=6))
def test_any_entries_list_never_raises_and_every_item_is_accounted_for(items: list) -> None:
    good = entry(CONTACTS, PermissionValue(True, frozenset({"USER_SET"})), PermissionValue(False))
    entries, problems, _ = parse_journal(json.dumps({"format": 1, "entries": [good, *items]}))
    assert CONTACTS in {e.key for e in entries}
    assert len(entries) + len(problems) == len(items) + 1


def test_tampered_names_and_values_are_refused_as_they_are_read() -> None:
    good = entry(RUN_ANY, "allow", "ignore")
    bad_key = {**good, "key": "package_op|0|com.x; reboot|RUN_ANY_IN_BACKGROUND"}
    bad_mode = {**good, "baseline": "allow; reboot"}
    bad_flag = entry(CONTACTS, PermissionValue(True), PermissionValue(False))
    bad_flag["baseline"]["flags"] = ["$(reboot)"]
    entries, problems, _ = parse_journal(
        json.dumps({"format": 1, "entries": [good, bad_key, bad_mode, bad_flag]})
    )
    assert [e.key for e in entries] == [RUN_ANY]
    assert [p.split(" (")[0] for p in problems] == ["entry 2 of 4", "entry 3 of 4", "entry 4 of 4"]


@pytest.mark.parametrize("text", ["null", "[]", "7", '"x"', "{", '{"format": 1, "entries": {}}'])
def test_a_journal_that_is_not_one_reads_as_nothing_with_a_reason(text: str) -> None:
    entries, problems, _ = parse_journal(text)
    assert entries == [] and len(problems) == 1


def test_a_newer_format_is_not_damage() -> None:
    with pytest.raises(NewerFormat):
        parse_journal('{"format": 2, "entries": []}')


def test_rebuild_keeps_the_first_baseline_since_the_last_restore() -> None:
    granted = PermissionValue(True, frozenset({"USER_SET"}))
    revoked = PermissionValue(False, frozenset({"USER_SET", "USER_FIXED"}))
    records = [
        {"time": "1", "outcomes": [outcome(CONTACTS, "harden", "applied", granted, revoked),
                                   outcome(RUN_ANY, "harden", "applied", "allow", "ignore")]},
        {"time": "2", "outcomes": [outcome(CONTACTS, "harden", "applied", revoked, revoked)]},
        {"time": "3", "outcomes": [outcome(RUN_ANY, "restore", "applied", "ignore", "allow")]},
        {"time": "4", "interrupted": "Ctrl-C", "planned": ["revoke x"]},
        {"time": "5", "outcomes": [outcome(RUN_ANY, "harden", "refused", "allow", "allow")]},
        {"time": "6", "outcomes": [{"package": "com.x; reboot", "setting": "package_op"}]},
        "not a record",
    ]  # fmt: skip
    held = rebuild(records)  # type: ignore[arg-type]
    assert list(held) == [CONTACTS]
    assert held[CONTACTS].baseline == granted and held[CONTACTS].applied == revoked
    assert "rebuilt from the history" in held[CONTACTS].reason
