"""At the next contact: what the job holds enters the journal exactly, and why it died."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.arm import phone
from hardener.arm.phone import JobState, parse_contact
from hardener.arm.reconcile import (
    ADBD_RESTART,
    ALIVE,
    DISARMED,
    FINISHED,
    NEVER_STARTED,
    REBOOT,
    reconcile,
)
from hardener.arm.record import ArmRecord, RecordLever, RecordStep
from hardener.core.levers import (
    IDLE_WHITELIST,
    PERMISSION,
    STANDBY_BUCKET,
    LeverKey,
    PermissionValue,
    kind_of,
)
from hardener.device.phase import CommandResult
from hardener.state.journal import JournalEntry

ID = "0123456789abcdef"
BOOT = "c40e4e73-1aa7-4da4-a149-e84601fddf46"
P = "com.alibaba.android.rimet"
CONTACTS = LeverKey(PERMISSION, 0, P, "android.permission.READ_CONTACTS")
FINE = LeverKey(PERMISSION, 0, P, "android.permission.ACCESS_FINE_LOCATION")
IDLE = LeverKey(IDLE_WHITELIST, -1, P)
BUCKET = LeverKey(STANDBY_BUCKET, 0, P)
OFF = PermissionValue(False, frozenset({"USER_SET", "USER_FIXED"}))


def record(**changes: object) -> ArmRecord:
    levers = (
        RecordLever(CONTACTS, OFF, "rule: contacts off", PermissionValue(True, frozenset()), False),
        RecordLever(FINE, OFF, "rule: location off", PermissionValue(False, frozenset()), False),
        RecordLever(IDLE, False, "rule", True, False),
        RecordLever(BUCKET, 45, "rule", 5, False),
    )
    base = ArmRecord(
        arm_id=ID, serial="R58M", transport="usb:R58M", profile="p", created=1000,
        armed_at="2026-12-01T16:45:00+00:00", expires=1000 + 7 * 86400, levers=levers,
        steps=(
            RecordStep(2000, "2026-12-01T18:00:00+01:00", "harden", (0, 1, 2, 3)),
            RecordStep(50000, "2026-12-02T09:00:00+01:00", "restore", (3, 2, 1, 0)),
        ),
        boot_id=BOOT, adbd_pid=1021, adbd_start=2100, job_pid=4337, started=True,
    )  # fmt: skip
    return ArmRecord(**{**base.__dict__, **changes})  # type: ignore[arg-type]


HARDENED = f"""\
1000 start {ID} 4337
2000 step 1 begin 2000
2000 hold 1 0 android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET]
2000 cmd 1 0 0 pm revoke --user 0 {P} android.permission.READ_CONTACTS
2001 hold 1 1 android.permission.ACCESS_FINE_LOCATION: granted=true, flags=[ USER_SET]
2001 cmd 1 1 0 pm revoke --user 0 {P} android.permission.ACCESS_FINE_LOCATION
2002 hold 1 2 1
2002 hold 1 3 10
2003 done 1
"""


def state(**changes: object) -> JobState:
    base = dict(
        log=HARDENED, boot_id=BOOT, adbd_pid=1021, adbd_start=2100, pid=4337,
        cmdline=f"sh /data/local/tmp/hardener/job.sh {ID}", job_id=ID, now=3000, uptime_s=2000.0,
    )  # fmt: skip
    return JobState(**{**base, **changes})  # type: ignore[arg-type]


def test_what_the_job_holds_enters_the_journal_with_the_value_it_logged() -> None:
    result = reconcile(record(), state(), {})
    assert result.report.fate == ALIVE and not result.done
    entries = result.entries
    # granted by hand after arming (the record says "not granted"): the log wins
    assert entries[FINE].baseline == PermissionValue(True, frozenset({"USER_SET"}))
    assert entries[CONTACTS].baseline == PermissionValue(True, frozenset({"USER_SET"}))
    assert entries[CONTACTS].applied == OFF and not entries[CONTACTS].confirmed
    assert entries[IDLE].baseline is True
    assert entries[BUCKET].baseline == 5  # read after leaving the allow-list: exempted before
    assert result.report.steps[0].late_s == 0 and result.report.steps[1].began is None


def test_an_older_journal_baseline_is_kept() -> None:
    mine = JournalEntry(CONTACTS, PermissionValue(True, frozenset()), OFF, True, "t0", "mine")
    result = reconcile(record(), state(), {CONTACTS: mine})
    assert result.entries[CONTACTS].baseline == PermissionValue(True, frozenset())
    assert CONTACTS not in result.added


def test_given_back_settings_add_nothing_and_a_finished_job_is_done() -> None:
    gave = "".join(f"50000 gave 2 {i} x\n" for i in range(4))
    result = reconcile(record(), state(log=HARDENED + gave + "50001 end finished\n", pid=None), {})
    assert result.entries == {} and result.done and result.report.fate == FINISHED
    assert len(result.report.given_back) == 4


def test_a_reboot_is_told_from_the_boot_id_with_the_last_heartbeat() -> None:
    result = reconcile(record(), state(boot_id="0" * 8 + BOOT[8:], pid=None, heartbeat=7200), {})
    assert result.report.fate == REBOOT and result.done
    assert result.report.ended_around == 7200 and result.report.booted_at == 1000
    assert len(result.entries) == 4  # the laptop can restore exactly


def test_an_adbd_restart_is_told_from_adbd_s_pid_or_start_time() -> None:
    for change in ({"adbd_pid": 4000}, {"adbd_start": 99999}):
        result = reconcile(record(), state(pid=None, **change), {})
        assert result.report.fate == ADBD_RESTART


def test_a_pid_reused_by_something_else_is_not_the_job() -> None:
    result = reconcile(record(), state(cmdline="/system/bin/surfaceflinger"), {})
    assert result.report.fate != ALIVE


def test_a_missing_log_falls_back_to_the_baselines_saved_at_arming() -> None:
    result = reconcile(record(), state(log="", pid=None), {})
    assert result.report.log_missing and result.report.fate == NEVER_STARTED
    # step 1 passed: what did not meet the want at arming is journaled from the record
    # (location was denied but without "don't ask again": the job may have set the flags)
    assert set(result.entries) == {CONTACTS, FINE, IDLE, BUCKET}
    assert result.entries[CONTACTS].baseline == PermissionValue(True, frozenset())
    early = reconcile(record(), state(log="", pid=None, now=1500), {})
    assert early.entries == {}  # no step had come: it cannot have acted


def test_a_mangled_value_falls_back_to_the_baseline_at_arming() -> None:
    log = HARDENED.replace("2002 hold 1 3 10", "2002 hold 1 3 $(reboot)")
    result = reconcile(record(), state(log=log), {})
    assert result.entries[BUCKET].baseline == 5


def test_disarm_ends_the_record() -> None:
    result = reconcile(record(), state(), {}, disarmed=True)
    assert result.report.fate == DISARMED and result.done


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000), st.text(max_size=200), st.text(max_size=200))
def test_reconcile_takes_any_text_the_phone_returns(log: str, pid: str, stat: str) -> None:
    outputs = [log, "", "12", ID, pid, BOOT, stat, "55.5 10.0", "3000"]
    parsed = parse_contact(
        [CommandResult(c, o, 0) for c, o in zip(phone.contact_commands(), outputs, strict=True)]
    )
    result = reconcile(record(), parsed, {})
    for entry in result.entries.values():
        kind_of(entry.key).sh.encode(
            entry.key, entry.baseline
        )  # always a value the job could carry


def test_contact_output_is_parsed_strictly() -> None:
    outputs = [
        HARDENED, "", "1234\n", ID + "\n", f"4337\nsh\0/data/local/tmp/hardener/job.sh\0{ID}\0",
        BOOT + "\n", "1021\n1021 (adbd) S 1 1021 1021 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 2100 1",
        "1234.56 99.0\n", "3000\n",
    ]  # fmt: skip
    parsed = parse_contact([CommandResult("c", o, 0) for o in outputs])
    assert parsed.alive(ID) and not parsed.alive("f" * 16)
    assert (parsed.heartbeat, parsed.pid, parsed.adbd_pid, parsed.adbd_start) == (
        1234,
        4337,
        1021,
        2100,
    )
    assert parsed.uptime_s == 1234.56 and parsed.now == 3000 and parsed.boot_id == BOOT
    hostile = parse_contact([CommandResult("c", "1; reboot\n$(x)", 0) for _ in outputs])
    assert hostile.pid is None and hostile.adbd_pid is None and hostile.job_id == ""


def test_status_words_say_how_late_and_what_is_not_due_yet() -> None:
    from hardener.arm.report import late_words, status_text

    log = HARDENED.replace("2000 step 1 begin 2000", "4400 step 1 begin 2000")
    result = reconcile(record(), state(log=log), {})
    text = status_text("R58M", record(), result.report, 4500)
    assert "armed (job" in text and "40 min late" in text and "not due yet" in text
    assert "next: give back at 2026-12-02T09:00:00+01:00" in text
    assert [late_words(s) for s in (0, 20, 600, 9000, None)] == [
        "on time", "20 s late", "10 min late", "2.5 h late", "did not run",
    ]  # fmt: skip
