"""Words and JSON for arming, disarming, status and what a job did. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from hardener.arm.reconcile import ALIVE, ArmReport
from hardener.arm.record import ArmRecord
from hardener.core.plan import HARDEN

INTENT_WORDS = {HARDEN: "take away what is off outside work hours", "restore": "give back"}
LIMITS = (
    "It ends at a reboot, power-off or flat battery, and (Android 8+) when USB debugging or "
    "Developer options go off or the USB mode changes; `hardener doctor` says what to set. "
    "The laptop puts everything right at the next contact."
)


def when(epoch: int | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def late_words(seconds: int | None) -> str:
    if seconds is None:
        return "did not run"
    if seconds < 60:
        return "on time" if seconds < 15 else f"{seconds} s late"
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min late"
    return f"{minutes / 60:.1f} h late"


def record_json(record: ArmRecord, now: int | None) -> dict[str, Any]:
    upcoming = record.next_step(now) if now is not None else None
    return {
        "arm_id": record.arm_id,
        "serial": record.serial,
        "profile": record.profile,
        "armed_at": record.armed_at,
        "expires": when(record.expires),
        "settings": len(record.levers),
        "steps": [
            {"intent": s.intent, "when": s.when, "settings": len(s.levers)} for s in record.steps
        ],
        "next_step": (
            {"intent": upcoming.intent, "when": upcoming.when, "settings": len(upcoming.levers)}
            if upcoming
            else None
        ),
        "boot_id": record.boot_id,
        "adbd_pid": record.adbd_pid,
        "job_pid": record.job_pid,
    }


def armed_text(record: ArmRecord) -> str:
    lines = [f"armed job {record.arm_id} on {record.serial} ({len(record.levers)} settings):"]
    for step in record.steps:
        lines.append(f"  {step.when}  {INTENT_WORDS[step.intent]} ({len(step.levers)} settings)")
    lines.append(LIMITS)
    return "\n".join(lines)


def report_text(report: ArmReport, now: int | None = None) -> str:
    lines = [report.words + "."]
    for step in report.steps:
        later = step.began is None and now is not None and step.scheduled > now
        state = "not due yet" if later else late_words(step.late_s)
        lines.append(f"  step {step.number} ({step.intent}, due {step.when}): {state}")
    if report.held:
        lines.append(f"  it holds {len(report.held)} settings; the laptop has their baselines")
    if report.given_back:
        lines.append(f"  it gave back {len(report.given_back)} settings")
    for refusal in report.refused[:10]:
        lines.append(f"  refused: {refusal}")
    if report.log_missing:
        lines.append("  its log is missing: the baselines saved at arming stand in for it")
    if report.bad_lines:
        lines.append(f"  {report.bad_lines} lines of its log were not its own and were ignored")
    return "\n".join(lines)


def reports_text(reports: Sequence[ArmReport]) -> str:
    return "\n".join(report_text(report) for report in reports)


def status_json(
    serial: str, record: ArmRecord | None, report: ArmReport | None, now: int | None
) -> dict[str, Any]:
    return {
        "serial": serial,
        "armed": bool(report and report.fate == ALIVE),
        "phone_time": when(now),
        "record": record_json(record, now) if record else None,
        "job": report.to_json() if report else None,
    }


def status_text(
    serial: str, record: ArmRecord | None, report: ArmReport | None, now: int | None
) -> str:
    if record is None or report is None:
        return f"{serial}: not armed (`hardener arm -p PROFILE` or `enforce --arm` arms it)"
    alive = report.fate == ALIVE
    lines = [f"{serial}: {'armed' if alive else 'not armed'} (job {record.arm_id})"]
    upcoming = record.next_step(now) if now is not None else None
    if alive and upcoming:
        lines.append(
            f"  next: {INTENT_WORDS[upcoming.intent]} at {upcoming.when} "
            f"({len(upcoming.levers)} settings)"
        )
    lines.append(f"  last heartbeat: {report.local(report.last_heartbeat)}")
    lines.append("  " + report_text(report, now).replace("\n", "\n  "))
    return "\n".join(lines)
