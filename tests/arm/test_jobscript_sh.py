"""The armed job under real POSIX shells (mksh is Android's; dash and busybox sh too).

The job's Android commands are stand-ins (`fakedroid`), and its clock is a file moved by
the stand-in `sleep`: the script's own logic (wants read at the step, priors logged, exact
give-back, serial check, replacement, lifetime, heartbeats, sleep gaps) runs for real.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hardener.arm import jobscript
from hardener.arm.joblog import JobLog, parse_job_log
from hardener.arm.jobscript import Job, JobLever, JobStep
from hardener.core.levers import (
    ACCESSIBILITY_SERVICE,
    DEVICE_WIDE,
    IDLE_WHITELIST,
    NOTIFICATION_LISTENER,
    PACKAGE_OP,
    PERMISSION,
    STANDBY_BUCKET,
    SUSPENDED,
    LeverKey,
    PermissionValue,
    kind_of,
)
from hardener.core.plan import HARDEN, RESTORE

from . import fakedroid

SHELLS = {"mksh": ["mksh"], "dash": ["dash"], "busybox": ["busybox", "sh"]}
ARM_ID = "0123456789abcdef"
SERIAL = "R58M12ABCDE"
P = "com.alibaba.android.rimet"
T0 = 1_764_607_500  # 2026-12-01 16:45 UTC (17:45 in Europe/Berlin)
T1 = T0 + 15 * 60  # off-hours start
T2 = T0 + 15 * 3600 + 15 * 60  # the next work start
CONTACTS = "android.permission.READ_CONTACTS"
FINE = "android.permission.ACCESS_FINE_LOCATION"
CAMERA = "android.permission.CAMERA"
LISTENER = f"{P}/{P}.NotifyListener"
ACCESSIBILITY = f"{P}/{P}.Helper"
DONT_ASK = PermissionValue(False, frozenset({"USER_SET", "USER_FIXED"}))


def _shell(name: str) -> list[str]:
    argv = SHELLS[name]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed (scripts/install-test-tools.sh installs it)")
    return argv


@pytest.fixture(params=sorted(SHELLS))
def any_shell(request: pytest.FixtureRequest) -> list[str]:
    """Every shell: for the main test (each run costs seconds of stand-in commands)."""
    return _shell(request.param)


@pytest.fixture
def shell() -> list[str]:
    """Android's own shell, mksh, for the other cases."""
    return _shell("mksh")


def phone() -> dict[str, Any]:
    return {
        "serial": SERIAL,
        "users": {
            "0": {
                P: {
                    "perms": {
                        CONTACTS: {"granted": True, "flags": ["USER_SET"]},
                        FINE: {"granted": False, "flags": ["USER_SENSITIVE_WHEN_GRANTED"]},
                        CAMERA: {"granted": False, "flags": ["SYSTEM_FIXED"]},
                    },
                    "pkg_ops": {},
                    "uid_ops": {},
                    "bucket": 10,
                    "suspended": False,
                }
            }
        },
        "whitelist": [P],
        "secure": {
            "0": {
                "enabled_notification_listeners": LISTENER,
                "enabled_accessibility_services": f"com.other/com.other.A:{ACCESSIBILITY}",
            }
        },
    }


def levers() -> tuple[JobLever, ...]:
    return (
        JobLever(LeverKey(PERMISSION, 0, P, CONTACTS), DONT_ASK),
        JobLever(LeverKey(PERMISSION, 0, P, FINE), DONT_ASK),
        JobLever(LeverKey(PERMISSION, 0, P, CAMERA), DONT_ASK),
        JobLever(LeverKey(PACKAGE_OP, 0, P, "RUN_ANY_IN_BACKGROUND"), "ignore"),
        JobLever(LeverKey(SUSPENDED, 0, P), True),
        JobLever(LeverKey(NOTIFICATION_LISTENER, 0, P, LISTENER), False),
        JobLever(LeverKey(ACCESSIBILITY_SERVICE, 0, P, ACCESSIBILITY), False),
        JobLever(LeverKey(IDLE_WHITELIST, DEVICE_WIDE, P), False),
        JobLever(LeverKey(STANDBY_BUCKET, 0, P), 45),
    )


def two_steps(job_levers: tuple[JobLever, ...] = ()) -> Job:
    job_levers = job_levers or levers()
    order = tuple(range(len(job_levers)))
    return Job(
        ARM_ID,
        SERIAL,
        T0,
        T0 + jobscript.MAX_LIFETIME_S,
        True,
        job_levers,
        (JobStep(T1, HARDEN, order), JobStep(T2, RESTORE, tuple(reversed(order)))),
    )


class Run:
    def __init__(self, tmp: Path, shell: list[str], state: dict[str, Any], job: Job) -> None:
        self.tmp, self.shell, self.job = tmp, shell, job
        self.path = fakedroid.install(tmp, state, clock=job.created, warp=300)
        (tmp / "job.sh").write_text(jobscript.script(job, str(tmp)))
        (tmp / "job.id").write_text(job.arm_id + "\n")

    def event(self, at: int, argv: list[str], name: str = "e") -> None:
        fakedroid.event(self.tmp, at, fakedroid.fake_command(self.tmp, argv), name)

    def go(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PATH=f"{self.path}:{os.environ['PATH']}")
        argv = [*self.shell, str(self.tmp / "job.sh"), *(args or (self.job.arm_id,))]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)

    @property
    def state(self) -> dict[str, Any]:
        state = fakedroid.load(self.tmp)
        state.pop("calls", None)
        for apps in state["users"].values():
            for app in apps.values():
                app.pop("stopped", None)
        return state

    @property
    def calls(self) -> list[list[str]]:
        return list(fakedroid.load(self.tmp)["calls"])

    def log(self) -> JobLog:
        text = (self.tmp / "job.log").read_text()
        return parse_job_log(
            text, self.job.arm_id, steps=len(self.job.steps), levers=len(self.job.levers)
        )


def test_harden_at_the_step_then_give_back_exactly(tmp_path: Path, any_shell: list[str]) -> None:
    before = phone()
    run = Run(tmp_path, any_shell, copy.deepcopy(before), two_steps())
    snapshots: list[dict[str, Any]] = []
    state_file = tmp_path / "fake" / "state.json"
    fakedroid.event(tmp_path, T1 + 3600, f"cp '{state_file}' '{tmp_path}/night.json'", "copy")
    result = run.go()
    assert result.returncode == 0, result.stderr
    import json

    snapshots.append(json.loads((tmp_path / "night.json").read_text()))
    night = snapshots[0]["users"]["0"][P]
    assert night["perms"][CONTACTS] == {"granted": False, "flags": ["USER_FIXED", "USER_SET"]}
    assert night["perms"][CAMERA] == before["users"]["0"][P]["perms"][CAMERA]  # SYSTEM_FIXED
    assert night["pkg_ops"] == {"RUN_ANY_IN_BACKGROUND": "ignore"}
    assert night["suspended"] is True and night["bucket"] == 45
    assert snapshots[0]["whitelist"] == []
    assert snapshots[0]["secure"]["0"] == {
        "enabled_notification_listeners": "",
        "enabled_accessibility_services": "com.other/com.other.A",
    }
    assert run.state == before  # the morning gave back exactly: flags, modes, lists
    log = run.log()
    assert log.bad == 0 and log.ended is not None and log.ended[1] == "finished"
    assert [s.number for s in log.steps] == [1, 2] and all(s.done for s in log.steps)
    assert log.steps[0].began >= T1 and log.steps[0].late_s < 1500
    assert log.holds(0) is None  # given back
    hold = next(e for e in log.events(0) if e.event == "hold")
    assert kind_of(levers()[0].key).sh.decode(hold.value) == PermissionValue(
        True, frozenset({"USER_SET"})
    )
    assert (0, 2, "fixed") in [(s, i, r) for s, i, r in log.skips] or (1, 2, "fixed") in log.skips
    assert all(c.status == 0 for c in log.commands)
    stops = [c for c in log.commands if c.words.startswith("am force-stop")]
    assert len(stops) == 1 and stops[0].lever is None and stops[0].step == 1
    assert (tmp_path / "step1.done").read_text().strip() == ARM_ID
    assert not (tmp_path / "job.pid").exists()  # removed when it ended


def test_a_grant_by_hand_before_the_step_is_revoked_and_given_back_with_flags(
    tmp_path: Path, shell: list[str]
) -> None:
    run = Run(tmp_path, shell, phone(), two_steps(levers()[:2]))
    # 17:50: the person grants location by hand (Settings sets USER_SET)
    run.event(T0 + 300, ["pm", "grant", "--user", "0", P, FINE], "grant")
    run.event(T0 + 301, ["pm", "set-permission-flags", "--user", "0", P, FINE, "user-set"], "flag")
    run.go()
    fine = run.state["users"]["0"][P]["perms"][FINE]
    assert fine == {"granted": True, "flags": ["USER_SENSITIVE_WHEN_GRANTED", "USER_SET"]}
    log = run.log()
    hold = next(e for e in log.events(1) if e.event == "hold")
    assert kind_of(levers()[1].key).sh.decode(hold.value) == PermissionValue(
        True, frozenset({"USER_SENSITIVE_WHEN_GRANTED", "USER_SET"})
    )
    revoke = [c for c in log.commands if c.words.startswith("pm revoke") and c.lever == 1]
    assert revoke and revoke[0].step == 1


def test_only_what_the_job_took_or_the_laptop_holds_is_given_back(
    tmp_path: Path, shell: list[str]
) -> None:
    state = phone()
    app = state["users"]["0"][P]
    app["perms"][CONTACTS] = {"granted": False, "flags": ["USER_SET", "USER_FIXED"]}  # already off
    app["suspended"] = True  # suspended by the laptop earlier; its journal says "was not"
    job_levers = [levers()[0], JobLever(LeverKey(SUSPENDED, 0, P), True, held=False, has_held=True)]
    run = Run(tmp_path, shell, state, two_steps(tuple(job_levers)))
    run.go()
    after = run.state["users"]["0"][P]
    assert after["perms"][CONTACTS] == {"granted": False, "flags": ["USER_SET", "USER_FIXED"]}
    assert after["suspended"] is False  # the laptop's baseline came back
    log = run.log()
    assert not [e for e in log.events(0) if e.event in ("hold", "gave")]
    assert not [c for c in log.commands if c.lever == 0]


def test_a_phone_with_another_serial_is_refused(tmp_path: Path, shell: list[str]) -> None:
    state = phone()
    state["serial"] = "SOMEONE-ELSE"
    run = Run(tmp_path, shell, copy.deepcopy(state), two_steps())
    result = run.go()
    assert result.returncode == 3
    assert run.state == state
    assert "calls" not in fakedroid.load(tmp_path)  # not one Android command ran
    assert "refuse serial" in (tmp_path / "job.log").read_text()


def test_a_phone_without_ro_serialno_is_known_by_ro_boot_serialno(
    tmp_path: Path, shell: list[str]
) -> None:
    state = phone()
    state["serial"], state["boot_serial"] = "", SERIAL
    run = Run(tmp_path, shell, state, two_steps(levers()[:1]))
    assert run.go().returncode == 0
    log = run.log()
    assert log.refused_serial is None and [s.number for s in log.steps] == [1, 2]


def test_rearming_replaces_the_job(tmp_path: Path, shell: list[str]) -> None:
    state = phone()
    run = Run(tmp_path, shell, copy.deepcopy(state), two_steps())
    fakedroid.event(tmp_path, T0 + 120, f"echo fedcba9876543210 > '{tmp_path}/job.id'", "rearm")
    assert run.go().returncode == 0
    assert run.state == state
    log = run.log()
    assert log.ended is not None and log.ended[1] == "replaced" and not log.steps


def test_a_job_not_named_by_job_id_or_its_argument_does_nothing(
    tmp_path: Path, shell: list[str]
) -> None:
    run = Run(tmp_path, shell, phone(), two_steps())
    assert run.go("fedcba9876543210").returncode == 2
    (tmp_path / "job.id").write_text("fedcba9876543210\n")
    assert run.go().returncode == 2
    assert not (tmp_path / "job.log").exists() and "calls" not in fakedroid.load(tmp_path)


def test_the_job_ends_at_its_maximum_lifetime(tmp_path: Path, shell: list[str]) -> None:
    state = phone()
    job_levers = levers()[:1]
    job = Job(ARM_ID, SERIAL, T0, T1 + 60, True, job_levers, (JobStep(T1, HARDEN, (0,)),))
    run = Run(tmp_path, shell, copy.deepcopy(state), job)
    # asleep from before the step until after the job's end of life: it must not act late
    fakedroid.event(tmp_path, T0 + 300, f"echo {T1 + 3600} > '{tmp_path}/fake/clock'", "doze")
    run.go()
    log = run.log()
    assert log.ended is not None and log.ended[1] == "expired" and log.ended[0] >= T1 + 60
    assert not log.steps and run.state == state


def test_a_sleeping_phone_runs_the_step_when_it_wakes_and_the_log_shows_the_gap(
    tmp_path: Path, shell: list[str]
) -> None:
    run = Run(tmp_path, shell, phone(), two_steps(levers()[:1]))
    (tmp_path / "fake" / "warp").write_text("1\n")
    fakedroid.set_clock(tmp_path, T1 - 330)
    # suspended from 17:55 to 18:40: the next `sleep` returns 45 minutes later
    fakedroid.event(tmp_path, T1 - 300, f"echo {T1 + 40 * 60} > '{tmp_path}/fake/clock'", "doze")
    fakedroid.event(tmp_path, T1 + 45 * 60, f"touch '{tmp_path}/fake/stop'", "stop")
    run.go()
    log = run.log()
    assert log.steps[0].began == T1 + 40 * 60 or log.steps[0].began - (T1 + 40 * 60) < 10
    assert 40 * 60 <= log.steps[0].late_s < 40 * 60 + 10
    assert any(gap[1] - gap[0] >= 40 * 60 for gap in log.wakes)
    assert run.state["users"]["0"][P]["perms"][CONTACTS]["granted"] is False


def test_a_refused_change_is_logged_with_the_phone_s_words(
    tmp_path: Path, shell: list[str]
) -> None:
    state = phone()
    state["refuse"] = [f"pm grant --user 0 {P}"]
    run = Run(tmp_path, shell, state, two_steps(levers()[:1]))
    run.go()
    log = run.log()
    grant = next(c for c in log.commands if c.words.startswith("pm grant"))
    assert grant.status == 255 and "SecurityException" in " ".join(grant.output)
    after = [e for e in log.events(0) if e.event == "after"]
    assert "granted=false" in after[-1].value  # the read-back says it did not come back
    assert log.holds(0) is None  # the job gave what it could; the laptop sees the rest


def test_a_step_is_idempotent(tmp_path: Path, shell: list[str]) -> None:
    """Both steps at once on a phone already as wanted: nothing is sent but reads."""
    state = phone()
    app = state["users"]["0"][P]
    app["perms"][CONTACTS] = {"granted": False, "flags": ["USER_FIXED", "USER_SET"]}
    app["perms"][FINE]["flags"] += ["USER_SET", "USER_FIXED"]
    app.update(pkg_ops={"RUN_ANY_IN_BACKGROUND": "ignore"}, suspended=True, bucket=45)
    state["whitelist"] = []
    state["secure"]["0"] = {
        "enabled_notification_listeners": "",
        "enabled_accessibility_services": "",
    }
    run = Run(tmp_path, shell, copy.deepcopy(state), two_steps())
    run.go()
    assert run.state == state
    writes = {"revoke", "grant", "set-permission-flags", "set", "suspend", "set-standby-bucket"}
    assert not [c for c in run.calls if len(c) > 1 and c[1] in writes]


def test_a_step_that_changes_only_the_restricted_settings_guard_makes_it_durable() -> None:
    """The guard is kept in an app-op: like the others, a job's change to it is followed by
    `cmd appops write-settings` (as the laptop does), or a reboot could lose it."""
    from hardener.core.levers.restricted_settings import OP, RESTRICTED_SETTINGS

    guard = JobLever(LeverKey(RESTRICTED_SETTINGS, 0, P, OP), "ignore")
    script = jobscript.script(two_steps((guard,)), "/data/local/tmp/hardener")
    for step in (1, 2):
        body = script.split(f"s{step}() {{", 1)[1].split("\n}", 1)[0]
        assert "run cmd appops write-settings" in body, body
