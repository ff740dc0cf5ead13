"""Which steps a job carries and which settings each may change; and that only validated,
quoted names reach its text."""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.android.commands import UnsafeName
from hardener.arm import jobscript
from hardener.arm.jobscript import Job, JobError, JobLever, JobStep
from hardener.arm.plan import arm_plan
from hardener.core.levers import PACKAGE_OP, PERMISSION, LeverKey, PermissionValue, kind_of
from hardener.core.plan import HARDEN, RESTORE
from hardener.core.records import AppState, DeviceFeatures, DeviceInfo, Permission, Snapshot, User
from hardener.profile import load_profile
from hardener.state.journal import JournalEntry

BERLIN = ZoneInfo("Europe/Berlin")
P = "com.alibaba.android.rimet"
CONTACTS = "android.permission.READ_CONTACTS"
PHONE = "android.permission.READ_PHONE_STATE"
ID = "0123456789abcdef"


def snapshot() -> Snapshot:
    app = AppState(
        package=P,
        user=0,
        uid=10100,
        target_sdk=34,
        permissions={
            CONTACTS: Permission(CONTACTS, True, frozenset({"USER_SET"})),
            PHONE: Permission(PHONE, False, frozenset()),  # may be granted by hand before 18:00
        },
        standby_bucket=10,
    )
    return Snapshot(
        device=DeviceInfo("R58M", "Pixel", "Google", 34, "14", "stock", timezone="Europe/Berlin"),
        features=DeviceFeatures(permission_flags=True, restricted_bucket=True),
        users=(User(0, "Owner"),),
        current_user=0,
        apps=(app,),
    )


@pytest.fixture
def profile(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'schema = 1\ndescription = "t"\n[work_hours]\ntimezone = "device"\n'
        'weekdays = ["09:00-18:00"]\n[[rules]]\nname = "work"\ncategories = ["workplace"]\n'
        'off_hours = ["contacts", "phone", "background_run"]\ndont_ask_again = true\n'
        '[[rules]]\nname = "never"\ncategories = ["workplace"]\nnever = ["calendar"]\n'
    )
    return load_profile(str(path))


def plan_at(profile, when: datetime, entries=None):
    return arm_plan(
        snapshot(), profile, when, entries or {}, arm_id=ID, created=int(when.timestamp())
    )


def steps(plan) -> list[tuple[str, str]]:
    return [
        (s.intent, t.strftime("%a %H:%M")) for s, t in zip(plan.job.steps, plan.times, strict=True)
    ]


def test_armed_before_the_evening_the_job_takes_the_evening_and_the_morning(profile) -> None:
    plan = plan_at(profile, datetime(2026, 12, 1, 17, 45, tzinfo=BERLIN))  # Tuesday
    assert steps(plan) == [(HARDEN, "Tue 18:00"), (RESTORE, "Wed 09:00")]
    keys = {lever.key for lever in plan.levers}
    # READ_PHONE_STATE is not granted now; a grant by hand before 18:00 must be revoked too
    assert LeverKey(PERMISSION, 0, P, PHONE) in keys
    assert LeverKey(PACKAGE_OP, 0, P, "RUN_ANY_IN_BACKGROUND") in keys
    harden, restore = plan.job.steps
    assert sorted(harden.levers) == sorted(restore.levers)


def test_armed_in_the_evening_the_job_also_gives_back_the_next_morning(profile) -> None:
    plan = plan_at(profile, datetime(2026, 12, 1, 20, 0, tzinfo=BERLIN))
    assert steps(plan) == [(RESTORE, "Wed 09:00"), (HARDEN, "Wed 18:00"), (RESTORE, "Thu 09:00")]


def test_armed_on_friday_the_morning_step_is_monday(profile) -> None:
    plan = plan_at(profile, datetime(2026, 12, 4, 17, 45, tzinfo=BERLIN))
    assert steps(plan) == [(HARDEN, "Fri 18:00"), (RESTORE, "Mon 09:00")]
    assert plan.job.expires - plan.job.created == jobscript.MAX_LIFETIME_S


def test_what_the_laptop_holds_is_handed_to_the_job_and_given_back(profile) -> None:
    key = LeverKey(PERMISSION, 0, P, CONTACTS)
    held = JournalEntry(key, PermissionValue(True, frozenset({"USER_SET"})), None, True, "t", "r")
    plan = plan_at(profile, datetime(2026, 12, 1, 20, 0, tzinfo=BERLIN), {key: held})
    index = next(i for i, lever in enumerate(plan.job.levers) if lever.key == key)
    lever = plan.job.levers[index]
    assert lever.has_held and lever.held == held.baseline
    assert index in plan.job.steps[0].levers  # the 09:00 restore
    text = jobscript.script(plan.job)
    assert (
        f"printf '%s\\n' '{kind_of(key).sh.encode(key, held.baseline)}' >\"$D/h.{index}\"" in text
    )


def test_a_job_is_refused_for_bad_ids_serials_and_steps() -> None:
    lever = JobLever(LeverKey(PERMISSION, 0, P, CONTACTS), PermissionValue(False))
    good = Job(ID, "R58M", 100, 200, True, (lever,), (JobStep(150, HARDEN, (0,)),))
    jobscript.script(good)
    bad = [
        Job("x; reboot", "R58M", 100, 200, True, (lever,), ()),
        Job(ID, "R58M\nreboot", 100, 200, True, (lever,), ()),
        Job(ID, "R58M", 100, 100 + jobscript.MAX_LIFETIME_S + 1, True, (lever,), ()),
        Job(ID, "R58M", 100, 200, True, (lever,), (JobStep(250, HARDEN, (0,)),)),
        Job(ID, "R58M", 100, 200, True, (lever,), (JobStep(150, HARDEN, (1,)),)),
    ]
    for job in bad:
        with pytest.raises(JobError):
            jobscript.script(job)


@pytest.mark.parametrize(
    "key",
    [
        LeverKey(PERMISSION, 0, "com.x;reboot", CONTACTS),
        LeverKey(PERMISSION, 0, P, "android.permission.X'$(reboot)'"),
        LeverKey(PACKAGE_OP, 0, P, "run_any; reboot"),
        LeverKey(PERMISSION, -3, P, CONTACTS),
    ],
)
def test_names_that_are_not_android_s_never_reach_the_script(key: LeverKey) -> None:
    lever = JobLever(key, PermissionValue(False) if key.kind == PERMISSION else "ignore")
    job = Job(ID, "R58M", 100, 200, True, (lever,), (JobStep(150, HARDEN, (0,)),))
    with pytest.raises(UnsafeName):
        jobscript.script(job)


_SEGMENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_SEGMENT, min_size=2, max_size=4),
    st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True),
)
def test_each_lever_line_holds_exactly_its_names(segments: list[str], perm: str) -> None:
    package = ".".join(segments)
    key = LeverKey(PERMISSION, 0, package, f"android.permission.{perm}")
    lever = JobLever(key, PermissionValue(False, frozenset({"USER_SET"})))
    job = Job(ID, "R58M", 100, 200, True, (lever,), (JobStep(150, HARDEN, (0,)),))
    line = next(x for x in jobscript.script(job).splitlines() if x.startswith("L0()"))
    body = re.fullmatch(r"L0\(\) \{ (.*); \}", line)
    assert body is not None
    words = dict(part.split("=", 1) for part in shlex.split(body.group(1).replace(";", " ")))
    assert words == {"K": "perm", "U": "0", "P": package, "N": key.name, "T": "USER_SET"}


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.sets(st.sampled_from(["USER_SET", "USER_FIXED", "ONE_TIME", "X_Y"])))
def test_permission_values_survive_the_job_s_text(granted: bool, flags: set[str]) -> None:
    key = LeverKey(PERMISSION, 0, P, CONTACTS)
    value = PermissionValue(granted, frozenset(flags))
    form = kind_of(key).sh
    assert form.decode(form.encode(key, value)) == value
