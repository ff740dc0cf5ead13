"""Issue 12, end to end on a virtual phone whose clock the test moves: a job armed at 17:45
applies the evening and the morning by itself, and the next contact knows what it did.

The phone's clock moves only when the test says (`real_time=False`); "disconnected" means no
hardener command runs in between. Long quiet stretches of the night are spent suspended
(the job's `sleep` does not advance then), as a phone spends them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android.access_log import ACCESSED, AccessEvent
from hardener.sim.android.persona import PERSONA_DIR
from hardener.state.journal import Journal

from .test_enforce import changed as changed_anything

TZ = "+01:00"  # pixel-14 lives in Europe/Berlin
ARMED_AT = f"2026-12-01T17:45:00{TZ}"  # a Tuesday
DINGTALK = "com.alibaba.android.rimet"
D = "/data/local/tmp/hardener"


class Phone:
    def __init__(self, android: AndroidDevice, server: SimServer, log: Path) -> None:
        self.android, self.server, self.log = android, server, log

    @property
    def spec(self) -> str:
        return self.server.serial

    def round_trips(self) -> int:
        if not self.log.exists():
            return 0
        return sum(1 for e in read_log(self.log) if e.service.startswith(("shell", "exec")))

    def scripts(self) -> list[str]:
        return [e.command for e in read_log(self.log)] if self.log.exists() else []

    def at(self, when: str) -> None:
        """Awake until `when` (local time, e.g. 2026-12-01T18:00:10)."""
        self.android.advance_to(when + TZ)

    def sleep_until(self, when: str) -> None:
        """Suspended until `when`: the job's sleep stands still meanwhile."""
        seconds = int((_parse(when + TZ) - self.android.now()).total_seconds())
        self.android.suspend(seconds)

    def permission(self, package: str, name: str) -> tuple[bool, list[str]]:
        out = self.android.run(f"dumpsys package {package}").stdout.decode()
        for line in out.splitlines():
            line = line.strip()
            if line.startswith(f"android.permission.{name}: granted="):
                granted = "granted=true" in line
                flags = (
                    line.split("flags=[", 1)[1].rstrip("]").split("|") if "flags" in line else []
                )
                return granted, sorted(f.strip() for f in flags if f.strip())
        raise AssertionError(f"{name} not in {package}")


def changed(before: dict, after: dict, phone: Phone) -> list[str]:
    """What differs between two scans, but for ops the apps used meanwhile: the persona's
    apps behave on the phone's clock (hardener/sim/android/behaviour.py), and once an app
    has used an op `appops get` lists it with its mode (AppOpsService keeps the op's entry
    from its first note) though nobody set it. Android does this; hardener did not."""
    used = {(e.package, e.op) for e in phone.android.model.access.events if e.recorded}
    old = {(a["package"], a["user"]): a for a in before["apps"]}
    apps = []
    for app in after["apps"]:
        was = old[(app["package"], app["user"])]["app_ops"]
        ops = {
            op: mode
            for op, mode in app["app_ops"].items()
            if op in was or (app["package"], op) not in used
        }
        apps.append({**app, "app_ops": ops})
    return changed_anything(before, {**after, "apps": apps})


def reads(phone: Phone) -> dict[str, AccessEvent]:
    """DingTalk's location reads by local "DD HH:MM"."""
    berlin = ZoneInfo("Europe/Berlin")
    return {
        datetime.fromtimestamp(e.when_ms / 1000, berlin).strftime("%d %H:%M"): e
        for e in phone.android.model.access.events
        if e.package == DINGTALK and e.op == "FINE_LOCATION"
    }


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Callable[..., Phone]]:
    servers: list[SimServer] = []
    phones: list[AndroidDevice] = []

    def start(persona: str | Path = "pixel-14") -> Phone:
        android = load_persona(persona, clock=ARMED_AT, real_time=False)
        phones.append(android)
        log = tmp_path / f"phone{len(servers)}.log"
        server = SimServer(android, auth="accept", log_path=log)
        server.start()
        servers.append(server)
        return Phone(android, server, log)

    yield start
    for server in servers:
        server.stop()
    for android in phones:
        close = getattr(android, "close", None)
        if close is not None:
            close()


def profile(tmp_path: Path) -> str:
    path = tmp_path / "evenings.toml"
    path.write_text(
        'schema = 1\ndescription = "test: evenings off"\n'
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "workplace"\ncategories = ["workplace"]\n'
        'off_hours = ["contacts", "location", "phone", "background_run", "battery_exemption",'
        ' "standby_bucket"]\ndont_ask_again = true\n'
    )
    return str(path)


def scan(cli, phone: Phone) -> dict:
    result = cli("scan", "--device", phone.spec, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def arm(cli, phone: Phone, prof: str) -> dict:
    result = cli("enforce", "-p", prof, "--device", phone.spec, "--at", ARMED_AT, "--arm", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    document = result.json()
    assert document["armed"]["next_step"]["intent"] == "harden"
    assert document["armed"]["next_step"]["when"].startswith("2026-12-01T18:00:00")
    return document


def contact(cli, phone: Phone, prof: str, when: str) -> dict:
    result = cli("enforce", "-p", prof, "--device", phone.spec, "--at", when + TZ, "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.json()


def history(tmp_path: Path, serial: str) -> list[dict]:
    return Journal(tmp_path / "state", serial).history()


# 1 ------------------------------------------------------------------------------------------


def test_armed_at_1745_revokes_at_1800_gives_back_at_0900_and_the_next_contact_agrees(
    phone, cli, tmp_path
):
    p = phone()
    prof = profile(tmp_path)
    before = scan(cli, p)
    serial = before["device"]["serial"]
    arm(cli, p, prof)
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is True

    p.at("2026-12-01T18:00:10")  # awake, nobody connected
    sensitive = ["USER_SENSITIVE_WHEN_DENIED", "USER_SENSITIVE_WHEN_GRANTED"]
    assert p.permission(DINGTALK, "READ_CONTACTS") == (
        False,
        ["USER_FIXED", *sensitive, "USER_SET"],
    )
    assert p.permission(DINGTALK, "ACCESS_FINE_LOCATION")[0] is False

    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")
    assert p.permission(DINGTALK, "READ_CONTACTS") == (
        True, ["USER_SENSITIVE_WHEN_DENIED", "USER_SENSITIVE_WHEN_GRANTED", "USER_SET"]
    )  # fmt: skip

    p.at("2026-12-02T10:00:00")
    document = contact(cli, p, prof, "2026-12-02T10:00")
    [job] = document["armed_jobs"]
    assert job["fate"] == "finished"
    assert [s["intent"] for s in job["steps"]] == ["harden", "restore"]
    assert all(s["late_s"] is not None and s["late_s"] <= 10 for s in job["steps"])
    assert job["held"] == [] and len(job["given_back"]) > 5 and job["refused"] == []
    assert document["outcomes"] == [] and document["actions"] == []  # nothing left to do
    assert Journal(tmp_path / "state", serial).load() == {}
    records = [h for h in history(tmp_path, serial) if h["command"] == "armed-job"]
    assert len(records) == 1 and records[0]["fate"] == "finished"
    revokes = [c for c in records[0]["commands"] if c["command"].startswith("pm revoke")]
    assert revokes and all(c["status"] == 0 for c in revokes)
    assert changed(before, scan(cli, p), p) == []  # field for field
    # DingTalk reads location every 10 minutes (the persona's behaviour, on the phone's
    # clock): before the job's 18:00 step it did; the step force-stopped it, and a stopped
    # app does nothing until the person opens it (its 08:50 opening fell in the night's
    # sleep); opened after the job gave everything back, it reads again.
    # (every 10 minutes from when the phone was made, 17:45)
    assert [reads(p)[t].outcome for t in ("01 17:45", "01 17:55")] == [ACCESSED, ACCESSED]
    assert not [t for t in reads(p) if t >= "01 18:05"]
    p.android.launch(DINGTALK)
    p.at("2026-12-02T10:30:00")
    assert [reads(p)[f"02 10:{m}5"].outcome for m in (0, 1, 2)] == [ACCESSED] * 3
    shown = cli("history", "--device", p.spec).stdout
    assert "armed-job: the armed job did every step and ended" in shown


def test_arming_adds_one_round_trip_to_an_enforce_and_reading_the_job_adds_none(
    phone, cli, tmp_path
):
    p = phone()
    prof = profile(tmp_path)
    cli("enforce", "-p", prof, "--device", p.spec, "--at", ARMED_AT)  # layouts known
    start = p.round_trips()
    cli("enforce", "-p", prof, "--device", p.spec, "--at", ARMED_AT)
    plain = p.round_trips() - start
    start = p.round_trips()
    arm(cli, p, prof)
    assert p.round_trips() - start == plain + 1
    start = p.round_trips()
    cli("enforce", "-p", prof, "--device", p.spec, "--at", ARMED_AT)  # reads the job's files
    assert p.round_trips() - start == plain


# 2 ------------------------------------------------------------------------------------------


def test_a_reboot_at_0200_ends_the_job_and_the_next_contact_restores_exactly(phone, cli, tmp_path):
    p = phone()
    prof = profile(tmp_path)
    before = scan(cli, p)
    arm(cli, p, prof)
    p.at("2026-12-01T18:00:10")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False
    p.sleep_until("2026-12-02T01:55:00")
    p.at("2026-12-02T02:00:00")
    p.android.reboot()
    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T10:00:00")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False  # the morning never came

    document = contact(cli, p, prof, "2026-12-02T10:00")
    [job] = document["armed_jobs"]
    assert job["fate"] == "reboot"
    assert "rebooted (around 2026-12-02 01:5" in job["words"]  # local time, the last beat
    assert "booted again at 2026-12-02 02:0" in job["words"]
    assert job["ended_around"].startswith("2026-12-02T00:5")  # UTC: 01:5x in Berlin
    assert job["booted_at"].startswith("2026-12-02T01:0")  # 02:00 Berlin, plus the boot
    assert job["steps"][1]["began"] is None
    assert {o["status"] for o in document["outcomes"]} == {"applied"}
    assert changed(before, scan(cli, p), p) == []


# 3 ------------------------------------------------------------------------------------------


def test_an_adbd_restart_kills_the_job_and_the_next_contact_says_so(phone, cli, tmp_path):
    p = phone()
    prof = profile(tmp_path)
    arm(cli, p, prof)
    live = cli("status", "--device", p.spec, "--json").json()
    assert live["armed"] is True and live["job"]["fate"] == "alive"
    assert live["record"]["next_step"]["when"].startswith("2026-12-01T18:00:00")
    p.at("2026-12-01T17:50:00")
    p.android.restart_adbd(reason="usb debugging toggled")
    assert p.android.jobs() == []
    gone = cli("status", "--device", p.spec, "--json").json()
    assert gone["armed"] is False and gone["job"]["fate"] == "adbd_restart"
    text = cli("status", "--device", p.spec).stdout
    assert "not armed" in text and "adbd restarted" in text


# 4 ------------------------------------------------------------------------------------------


def test_a_permission_granted_by_hand_at_1750_is_revoked_then_given_back_with_its_flags(
    phone, cli, tmp_path
):
    p = phone()
    prof = profile(tmp_path)
    granted, _ = p.permission(DINGTALK, "READ_PHONE_STATE")
    assert granted is False  # not granted when armed: the job must read it at 18:00
    arm(cli, p, prof)
    p.at("2026-12-01T17:50:00")
    p.android.run(f"pm grant --user 0 {DINGTALK} android.permission.READ_PHONE_STATE")
    by_hand = p.permission(DINGTALK, "READ_PHONE_STATE")
    assert by_hand[0] is True
    p.at("2026-12-01T18:00:10")
    assert p.permission(DINGTALK, "READ_PHONE_STATE")[0] is False
    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")
    assert p.permission(DINGTALK, "READ_PHONE_STATE") == by_hand


# 5 ------------------------------------------------------------------------------------------


def test_suspended_1755_to_1840_revokes_at_1840_and_reports_40_minutes_late(phone, cli, tmp_path):
    p = phone()
    prof = profile(tmp_path)
    arm(cli, p, prof)
    p.at("2026-12-01T17:55:00")
    p.sleep_until("2026-12-01T18:40:00")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is True
    p.at("2026-12-01T18:40:10")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False
    status = cli("status", "--device", p.spec, "--json").json()
    step = status["job"]["steps"][0]
    assert 40 * 60 <= step["late_s"] <= 40 * 60 + 10
    text = cli("status", "--device", p.spec).stdout
    assert "40 min late" in text


# 6 ------------------------------------------------------------------------------------------

TAMPER = "TAMPERED"


def test_tampered_job_files_never_make_hardener_run_anything_but_its_own_commands(
    phone, cli, tmp_path
):
    p = phone()
    prof = profile(tmp_path)
    arm(cli, p, prof)
    adbd = p.android.adbd_pid()
    job_pid = p.android.jobs()[0].pid
    hostile_log = "\n".join(
        [
            f"1796140000 start {'0' * 16} 1",
            f"1796140001 cmd 1 - 0 touch /data/local/tmp/{TAMPER}",
            f"1796140002 hold 1 0 $(touch /data/local/tmp/{TAMPER})",
            "1796140003 out 1 0 \x1b[2J\x1b]0;pwned\x07",
            f"x; touch /data/local/tmp/{TAMPER}",
        ]
    )
    files = p.android.files
    files.write(f"{D}/job.pid", f"{adbd}; touch /data/local/tmp/{TAMPER}\n")
    files.write(f"{D}/job.log", hostile_log + "\n", append=True)
    files.write(f"{D}/job.hb", f"$(touch /data/local/tmp/{TAMPER})\n")
    p.android.run(f"echo '$(touch /data/local/tmp/{TAMPER})' >> {D}/job.sh")

    status = cli("status", "--device", p.spec)
    assert status.exit_code == 0 and "\x1b" not in status.stdout
    assert cli("enforce", "-p", prof, "--device", p.spec, "--at", ARMED_AT).exit_code == 0
    again = cli("enforce", "-p", prof, "--device", p.spec, "--at", ARMED_AT, "--arm")
    assert again.exit_code == 0, again.stderr
    assert cli("disarm", "--device", p.spec).exit_code == 0

    assert p.android.adbd_pid() == adbd, "a pidfile naming adbd did not get it killed"
    assert p.android.read_file(f"/data/local/tmp/{TAMPER}") is None
    assert not [s for s in p.scripts() if TAMPER in s], "no tampered text reached a shell line"
    # the old job (its pidfile pointed elsewhere) stops at its next pass: job.id is gone
    assert any(job.pid == job_pid for job in p.android.jobs())
    p.android.advance(10)
    assert p.android.jobs() == []
    assert p.android.read_file(f"/data/local/tmp/{TAMPER}") is None


# 7 ------------------------------------------------------------------------------------------


def test_doctor_names_the_usb_setting_when_the_usb_mode_would_kill_the_job(phone, cli, tmp_path):
    persona = tmp_path / "file-transfer.toml"
    persona.write_text(
        (PERSONA_DIR / "pixel-14.toml").read_text()
        + '\n[props]\n"persist.sys.usb.config" = "mtp,adb"\n"sys.usb.config" = "mtp,adb"\n'
    )
    p = phone(persona)
    result = cli("doctor", "--device", p.spec, "--json")
    checks = {c["name"]: c for c in result.json()["checks"]}
    usb = checks["armed job: USB mode"]
    assert usb["ok"] is False and "mtp" in usb["words"]
    assert "Default USB configuration" in usb["advice"] and "No data transfer" in usb["advice"]
    text = cli("doctor", "--device", p.spec).stdout
    assert "Default USB configuration" in text
    # and it is right: armed there, the screen lock ends the job
    arm(cli, p, profile(tmp_path))
    p.android.lock_screen()
    gone = cli("status", "--device", p.spec, "--json").json()
    assert gone["armed"] is False and gone["job"]["fate"] == "adbd_restart"

    plain = phone()
    checks = {
        c["name"]: c for c in cli("doctor", "--device", plain.spec, "--json").json()["checks"]
    }
    assert checks["armed job: USB mode"]["ok"] is True
    assert json.dumps(checks).count("Default USB configuration") == 0
    arm(cli, plain, profile(tmp_path))
    plain.android.lock_screen()
    assert cli("status", "--device", plain.spec, "--json").json()["armed"] is True


# profile `arm = true` in cron runs ------------------------------------------------------------


def test_a_cron_run_with_arm_in_the_profile_leaves_the_job_and_logs_it(phone, cli, tmp_path):
    p = phone()
    prof = Path(profile(tmp_path))
    prof.write_text("arm = true\n" + prof.read_text())
    scan(cli, p)  # the phone trusts this key now: a cron run never waits for Allow
    result = cli("schedule", "run", "-p", str(prof), "--device", p.spec, "--at", ARMED_AT)
    assert result.exit_code == 0, result.stderr
    assert len(p.android.jobs()) == 1
    log = (tmp_path / "state" / "cron.log").read_text()
    assert "armed job" in log
    p.at("2026-12-01T18:00:10")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False
    at = f"2026-12-01T18:00:10{TZ}"
    later = cli("schedule", "run", "-p", str(prof), "--device", p.spec, "--at", at)
    assert later.exit_code == 0
    assert len(p.android.jobs()) == 1  # re-arming replaced the job
    log = (tmp_path / "state" / "cron.log").read_text()
    assert "is still running on the phone" in log and "was replaced by a newer job" in log
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False  # still off: nothing lost


# arm, disarm, restore ------------------------------------------------------------------------


def test_arm_alone_changes_nothing_now_and_restore_stops_the_job_first(phone, cli, tmp_path):
    p = phone()
    prof = profile(tmp_path)
    before = scan(cli, p)
    armed = cli("arm", "-p", prof, "--device", p.spec, "--at", ARMED_AT)
    assert armed.exit_code == 0, armed.stderr
    assert "armed job" in armed.stdout and "18:00" in armed.stdout and "reboot" in armed.stdout
    assert changed(before, scan(cli, p), p) == [] and len(p.android.jobs()) == 1
    p.at("2026-12-01T18:00:10")
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False

    restored = cli("restore", "--device", p.spec)
    assert restored.exit_code == 0, restored.stdout + restored.stderr
    assert "stopped by disarm" in restored.stdout
    assert p.android.jobs() == []
    assert changed(before, scan(cli, p), p) == []
    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")  # no job left to act in the morning
    assert changed(before, scan(cli, p), p) == []
    status = cli("status", "--device", p.spec)
    assert status.exit_code == 0 and "not armed" in status.stdout


def test_disarm_keeps_what_the_job_took_in_the_journal(phone, cli, tmp_path):
    p = phone()
    prof = profile(tmp_path)
    document = arm(cli, p, prof)
    serial = document["device"]["serial"]
    p.at("2026-12-01T18:00:10")
    result = cli("disarm", "--device", p.spec, "--json")
    assert result.exit_code == 0
    [job] = result.json()["jobs"]
    assert job["fate"] == "disarmed" and job["held"]
    entries = Journal(tmp_path / "state", serial).load()
    assert len(entries) == len(job["held"])
    assert p.android.jobs() == []
    assert cli("disarm", "--device", p.spec).stdout.startswith("no job was running")


def test_arm_with_a_bad_profile_is_a_clear_error(phone, cli, tmp_path):
    p = phone()
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\narm = 3\n")
    result = cli("arm", "-p", str(bad), "--device", p.spec)
    assert result.exit_code == 2 and "arm" in result.stderr and "true or false" in result.stderr
    assert p.android.jobs() == []


def test_armed_in_the_evening_the_job_gives_back_in_the_morning_what_the_laptop_took(
    phone, cli, tmp_path
):
    p = phone()
    prof = profile(tmp_path)
    before = scan(cli, p)
    p.at("2026-12-01T20:00:00")
    evening = cli("enforce", "-p", prof, "--device", p.spec, "--at", f"2026-12-01T20:00{TZ}",
                  "--arm", "--json")  # fmt: skip
    assert evening.exit_code == 0, evening.stderr
    document = evening.json()
    assert document["armed"]["next_step"]["intent"] == "restore"
    assert p.permission(DINGTALK, "READ_CONTACTS")[0] is False  # the laptop took it
    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")
    assert changed(before, scan(cli, p), p) == []  # the job gave back the laptop's baselines
    later = contact(cli, p, prof, "2026-12-02T10:00")
    [job] = later["armed_jobs"]
    assert job["steps"][0]["intent"] == "restore" and job["steps"][0]["late_s"] <= 10
    assert later["actions"] == []
    assert Journal(tmp_path / "state", before["device"]["serial"]).load() == {}


# Issue 16 with issue 12: the armed job carries Do Not Disturb like the other levers -----------


def _zen(p: Phone) -> str:
    return p.android.run("settings get global zen_mode").stdout.decode().strip()


def test_the_armed_job_turns_quiet_calls_on_at_1800_and_gives_the_mode_back_at_0900(
    phone, cli, tmp_path
):
    p = phone()
    path = tmp_path / "quiet.toml"
    path.write_text("quiet_calls = true\n" + Path(profile(tmp_path)).read_text())
    prof = str(path)
    assert _zen(p) == "0"
    arm(cli, p, prof)
    assert _zen(p) == "0"  # 17:45: still work hours

    p.at("2026-12-01T18:00:10")  # awake, nobody connected
    assert _zen(p) == "1"  # priority mode, set by the job
    assert not p.android.incoming_call("+8613800000000").rang  # a DING call stays silent

    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")
    assert _zen(p) == "0"  # the person's mode, given back by the job

    p.at("2026-12-02T10:00:00")
    document = contact(cli, p, prof, "2026-12-02T10:00")
    [job] = document["armed_jobs"]
    assert job["fate"] == "finished" and job["held"] == []


def test_the_armed_job_leaves_the_persons_own_do_not_disturb_alone(phone, cli, tmp_path):
    p = phone()
    path = tmp_path / "quiet.toml"
    path.write_text("quiet_calls = true\n" + Path(profile(tmp_path)).read_text())
    prof = str(path)
    arm(cli, p, prof)
    p.at("2026-12-01T17:50:00")
    p.android.set_dnd_by_hand(3)  # alarms only, by hand, before 18:00
    p.at("2026-12-01T18:00:10")
    assert _zen(p) == "3"
    p.sleep_until("2026-12-02T08:59:00")
    p.at("2026-12-02T09:00:10")
    assert _zen(p) == "3"  # not turned off in the morning either
