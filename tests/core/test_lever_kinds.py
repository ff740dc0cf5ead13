"""Every lever kind knows everything about itself: its sh form for the armed job and which
names and values a journal entry of it may hold. Data-driven over `KINDS`, so a kind added
later is covered the day it is registered; and a new kind is one class (plus catalog data).

The settings each kind is tried on come from the virtual phones, through the real pipeline
(scan, profile, arm plan), not from a table here: a kind no persona and no bundled profile
reaches fails `test_every_kind_is_reached_by_the_catalog_on_a_virtual_phone`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typing_extensions import override

from hardener.android import commands
from hardener.arm import jobscript
from hardener.arm.jobscript import Job, JobLever, JobStep
from hardener.arm.plan import arm_plan
from hardener.core.baselines import JournalEntry
from hardener.core.lever_key import LeverKey, LeverValue, PermissionValue, value_to_json
from hardener.core.levers import KINDS, Intent, LeverKind, kind_of
from hardener.core.levers.sh import ShForm, bool_form
from hardener.core.plan import HARDEN, RESTORE
from hardener.core.recovery import check_key, check_value, parse_journal
from hardener.device.collect import scan
from hardener.profile import load_profile
from hardener.sim.android import load_persona

PERSONAS = ("pixel-14", "xiaomi-hyperos-14", "samsung-oneui-work", "android9-legacy")
ARM_ID = "0123456789abcdef"
EVENING = (2026, 12, 1, 20, 0)  # a Tuesday, off hours: every off_hours name is wanted
SH_STEPS = ("rd", "hc", "hx", "gc", "gx")  # what the job calls for each lever (jobscript.H/G)

# Values no kind takes: shell text, wrong shapes, numbers out of every range.
BAD_VALUES: tuple[Any, ...] = (
    "allow; reboot",
    "$(reboot)",
    [1],
    {"granted": True, "flags": ["$(reboot)"]},
    1.5,
    -1,
    101,
)


class _Sim:
    """Just enough of a Transport over an in-process virtual phone."""

    max_script_bytes = 100_000

    def __init__(self, persona: str) -> None:
        self.android = load_persona(persona, clock="2026-12-01T17:45:00+01:00", real_time=False)
        self.serial = self.spec = persona

    def shell(self, script: str, *, timeout: float) -> bytes:
        out = self.android.run(script)
        return out.merged if out.merged is not None else out.stdout + out.stderr

    def describe(self) -> str:
        return self.serial

    def close(self) -> None:
        close = getattr(self.android, "close", None)
        if close is not None:
            close()


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[LeverKey, Any]]]:
    """Per kind: (key, value) pairs the real pipeline arms on the virtual phones, for the
    strict profile with quiet_calls (targets and the values read at arming)."""
    path: Path = tmp_path_factory.mktemp("profile") / "p.toml"
    path.write_text('extends = "strict"\nquiet_calls = true\n')
    profile = load_profile(str(path))
    found: dict[str, list[tuple[LeverKey, Any]]] = {}
    for persona in PERSONAS:
        sim = _Sim(persona)
        try:
            _, snapshot = scan(sim, lambda _package, third_party: third_party)  # type: ignore[arg-type]
        finally:
            sim.close()
        now = datetime(*EVENING, tzinfo=ZoneInfo(snapshot.device.timezone or "UTC"))
        plan = arm_plan(snapshot, profile, now, {}, arm_id=ARM_ID, created=int(now.timestamp()))
        for lever in plan.levers:
            pairs = found.setdefault(lever.key.kind, [])
            pairs += [(lever.key, lever.target), (lever.key, lever.baseline)]
    return found


def test_every_kind_is_reached_by_the_catalog_on_a_virtual_phone(samples) -> None:
    assert sorted(samples) == sorted(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_has_a_whole_sh_form(name: str, samples) -> None:
    kind = KINDS[name]
    form = kind.sh
    assert isinstance(form, ShForm)
    key, target = next((k, v) for k, v in samples[name] if v is not None)
    line = form.lever(key, target, True)
    short = re.match(r"K=([a-z]+)(;|$)", line)
    assert short is not None, line  # the job dispatches on K: rd_$K, hc_$K, ...
    defined = {m.group(1) for f in form.functions for m in re.finditer(r"(\w+)\(\) \{", f)}
    assert {f"{step}_{short.group(1)}" for step in SH_STEPS} <= defined
    assert "\n" not in line and all("\n" not in f for f in form.functions)
    comment = form.comment(key)
    assert comment and "\n" not in comment


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_passes_what_it_arms_and_its_values_survive_the_job_s_text(
    name: str, samples
) -> None:
    kind = KINDS[name]
    for key, value in samples[name]:
        kind.check_key(key)
        check_key(key)
        check_value(key, value)
        text = kind.sh.encode(key, value)
        assert "\n" not in text
        assert kind.sh.decode(text) == value


def _tampered_keys(key: LeverKey) -> list[LeverKey]:
    name = f"{key.name or 'x'}'$(reboot)'"
    return [
        LeverKey(key.kind, key.user, f"{key.package};reboot", key.name),
        LeverKey(key.kind, key.user, key.package, name),
        LeverKey(key.kind, key.user, key.package, key.name + "\nreboot"),
        LeverKey(key.kind, -5, key.package, key.name),
        LeverKey(key.kind, 100_000, key.package, key.name),
    ]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_tampered_name_is_refused_by_the_journal_and_the_job(name: str, samples) -> None:
    key, value = next((k, v) for k, v in samples[name] if v is not None)
    good = JournalEntry(key, value, value, True, "t", "r").to_json()
    bad = [{**good, "key": tampered.encode()} for tampered in _tampered_keys(key)]
    entries, problems, _ = parse_journal(json.dumps({"format": 1, "entries": [good, *bad]}))
    assert [e.key for e in entries] == [key]
    assert len(problems) == len(bad)
    for tampered in _tampered_keys(key):
        with pytest.raises(ValueError):
            check_key(tampered)
        job = Job(ARM_ID, "R58M", 100, 200, True, (JobLever(tampered, value),), ())
        with pytest.raises(ValueError):  # commands.UnsafeName is a ValueError
            jobscript.script(job)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_tampered_value_is_refused_by_the_journal_and_the_job(name: str, samples) -> None:
    key, value = next((k, v) for k, v in samples[name] if v is not None)
    good = JournalEntry(key, value, value, True, "t", "r").to_json()
    bad = [
        {**good, field: tampered} for tampered in BAD_VALUES for field in ("baseline", "applied")
    ]
    entries, problems, _ = parse_journal(json.dumps({"format": 1, "entries": [good, *bad]}))
    assert [e.key for e in entries] == [key]
    assert len(problems) == len(bad)
    for tampered in BAD_VALUES:
        candidate = (
            PermissionValue(True, frozenset(tampered["flags"]))
            if isinstance(tampered, dict)
            else tampered
        )
        with pytest.raises(ValueError):
            check_value(key, candidate)
        # handed to a job as the laptop's baseline (or as a target): the job is refused
        for lever in (JobLever(key, value, candidate, True), JobLever(key, candidate)):
            job = Job(ARM_ID, "R58M", 100, 200, True, (lever,), (JobStep(150, RESTORE, (0,)),))
            with pytest.raises(ValueError):
                jobscript.script(job)


# A new lever is one place --------------------------------------------------------------------


AIRPLANE = "test_airplane_mode"


class _Airplane(LeverKind):
    """Not registered at import (no `name` here): the tests below give it one."""

    harden_rank = 99
    restore_rank = 1
    device_wide = True
    sh = bool_form(
        "air",
        (
            'rd_air() { v=$(settings get global airplane_mode_on 2>&1); [ "$v" = 1 ] || v=0; }',
            'sx_air() { run settings put global airplane_mode_on "$1"; }',
        ),
        with_name=False,
    )

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        return [f"settings put global airplane_mode_on {1 if target else 0}"]

    def subject(self, key: LeverKey) -> str:
        return "airplane mode"

    @override
    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        return "turn airplane mode on" if target else "turn airplane mode off"


@pytest.fixture
def airplane() -> Iterator[LeverKind]:
    """A new kind defined in one class; unregistered after the test."""
    assert AIRPLANE not in KINDS
    type("Airplane", (_Airplane,), {"name": AIRPLANE})
    try:
        yield KINDS[AIRPLANE]
    finally:
        del KINDS[AIRPLANE]


def test_a_new_kind_is_one_class_the_journal_and_the_job_know_at_once(airplane) -> None:
    key = LeverKey(AIRPLANE, -1, "com.android.settings", "")
    assert kind_of(key) is airplane
    entry = JournalEntry(key, False, True, True, "t", "r").to_json()
    bad_name = f"{AIRPLANE}|-1|com.android.settings|x;reboot"
    tampered = [{**entry, "key": bad_name}, {**entry, "applied": 7}]
    entries, problems, _ = parse_journal(json.dumps({"format": 1, "entries": [entry, *tampered]}))
    assert [(e.key, e.baseline, e.applied) for e in entries] == [(key, False, True)]
    assert len(problems) == 2
    job = Job(
        ARM_ID, "R58M", 100, 200, True,
        (JobLever(key, True, held=False, has_held=True),),
        (JobStep(150, HARDEN, (0,)), JobStep(160, RESTORE, (0,))),
    )  # fmt: skip
    text = jobscript.script(job)
    assert "rd_air() {" in text and "hx_air() {" in text and "gx_air() {" in text
    assert "L0() { K=air; U=0; P=com.android.settings; T=1; }" in text
    assert f"# {AIRPLANE} -1 com.android.settings" in text
    assert "printf '%s\\n' 0 >\"$D/h.0\"" in text  # the held baseline, as the job reads it
    assert airplane.sh.decode(airplane.sh.encode(key, True)) is True


def test_a_kind_without_an_sh_form_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="no sh form"):
        type(
            "NoSh",
            (LeverKind,),
            {"name": "test_no_sh", "harden_rank": 1, "restore_rank": 1},
        )
    assert "test_no_sh" not in KINDS


def test_names_the_kinds_refuse_are_unsafe_names() -> None:
    """Refusals of names are `UnsafeName`, what the job and the commands raise too."""
    for name in KINDS:
        with pytest.raises(commands.UnsafeName):
            KINDS[name].check_key(LeverKey(name, 0, "com.x;reboot", ""))


def test_values_to_json_round_trip_for_every_kind(samples) -> None:
    for name, pairs in samples.items():
        for key, value in pairs:
            assert kind_of(key).value_from_json(value_to_json(value)) == value, name
