"""How audits, plans and enforcement runs read, on a terminal and as JSON. Pure.

JSON documents share a shape so scripts (and the fleet report) can rely on it:

    {"schema": 1, "command": ..., "device": {...}, "moment": ISO, "timezone": ..., "working": bool,
     "next_transition": {"at": ISO, "working": bool} | null,
     "findings": [...], "actions": [...], "outcomes": [...], "exit_code": int}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from hardener.android.catalog.catalog import Catalog
from hardener.core import textfit
from hardener.core.evaluate import Evaluation, Finding
from hardener.core.levers import DEVICE_WIDE, value_to_json
from hardener.core.levers.zen import ZEN_KEY
from hardener.core.outcomes import Outcome, Status
from hardener.core.plan import Action, Plan
from hardener.core.run import PhoneRun
from hardener.core.scan_report import device_json
from hardener.core.table import table
from hardener.textsafe import visible

SCHEMA = 1
PHONE = ZEN_KEY.package  # "android": the package name phone-wide settings are filed under
MARKS = {
    Status.APPLIED: "done",
    Status.ALREADY: "already",
    Status.REFUSED: "REFUSED",
    Status.DID_NOT_TAKE: "DID NOT TAKE",
}


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "package": finding.package,
        "user": finding.user,
        "app": finding.app_name,
        "category": finding.category,
        "name": finding.name,
        "severity": finding.severity,
        "state": finding.state,
        "message": finding.message,
        "enforce": finding.enforce,
        "rule": finding.rule,
    }


def action_json(action: Action) -> dict[str, Any]:
    return {
        "package": action.key.package,
        "user": action.key.user,
        "setting": action.key.kind,
        "name": action.key.name,
        "intent": action.intent,
        "words": action.words,
        "commands": list(action.commands),
        "reason": action.reason,
        "regrant": action.regrant,
        "before": value_to_json(action.before),
        "target": value_to_json(action.target),
    }


def run_json(run: PhoneRun) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "command": run.command,
        "device": device_json(run.snapshot.device),
        "transport": run.transport_serial,
    }
    evaluation = run.evaluation
    if evaluation is not None:
        document.update(evaluation_json(evaluation))
    document["actions"] = [action_json(a) for a in run.plan.actions]
    document["trailer"] = list(run.plan.trailer)
    document["kept"] = [{"key": entry.key.encode(), "why": why} for entry, why in run.plan.kept]
    document["left"] = [{"key": entry.key.encode(), "why": why} for entry, why in run.plan.left]
    document["notes"] = list(run.notes)
    if run.result is not None:
        document["outcomes"] = [o.to_json() for o in run.result.outcomes]
        document["round_trips"] = run.round_trips
    document["exit_code"] = run.exit_code
    return document


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    upcoming = evaluation.next_transition
    return {
        "moment": evaluation.moment.isoformat(),
        "timezone": evaluation.timezone,
        "working": evaluation.working,
        "next_transition": (
            {"at": upcoming.at.isoformat(), "working": upcoming.working} if upcoming else None
        ),
        "compliant": evaluation.compliant,
        "findings": [finding_json(f) for f in evaluation.findings],
    }


def where(package: str, user: int, catalog: Catalog) -> str:
    scope = "all users" if user == DEVICE_WIDE else f"user {user}"
    if package == PHONE:  # a setting of the phone itself (Do Not Disturb), not of an app
        return f"the phone itself, {scope}"
    return f"{visible(catalog.name_of(package))} ({visible(package)}), {scope}"


def moment_line(evaluation: Evaluation) -> str:
    """The moment judged and the next transition, on one line (`textfit.wrap` fits it)."""
    state = "inside work hours" if evaluation.working else "outside work hours"
    line = f"{evaluation.moment:%a %Y-%m-%d %H:%M} {visible(evaluation.timezone)}: {state}"
    upcoming = evaluation.next_transition
    if upcoming is not None:
        what = "work starts" if upcoming.working else "work ends"
        line += f"; {what} {upcoming.at:%a %Y-%m-%d %H:%M}"
    return line


def findings_table(findings: Iterable[Finding], width: int | None = None) -> str:
    """A table of findings; wider than `width` columns, one block per app and user with
    each finding's lines wrapped to the width instead."""
    findings = list(findings)
    rows = [
        [
            visible(f.app_name),
            visible(f.package),
            f.user,
            visible(f.name),
            f.severity.replace("_", " "),
            visible(f.state),
            visible(f.message),
            visible(f.enforce),
        ]
        for f in findings
    ]
    if not rows:
        return "no findings: the phone is as the profile wants it"
    headers = ["app", "package", "user", "what", "severity", "state", "why", "enforce would"]
    text = table(
        rows,
        headers=headers,
        disable_numparse=True,
        maxcolwidths=[None, None, None, None, None, None, 40, 30],
    )
    if width is None or max(map(textfit.width, text.splitlines())) <= width:
        return text
    lines: list[str] = []
    current: tuple[str, int] | None = None
    for f in findings:
        if (f.package, f.user) != current:
            current = (f.package, f.user)
            group = visible(f"{f.app_name} ({f.package}), user {f.user}")
            lines += textfit.wrap(group, width, hang="  ")
        head = visible(f"{f.name}: {f.severity.replace('_', ' ')} ({f.state}): {f.message}")
        lines += textfit.wrap(head, width, indent="  ", hang="      ")
        if f.enforce:
            lines += textfit.wrap(
                f"enforce would: {visible(f.enforce)}", width, indent="    ", hang="      "
            )
    return "\n".join(lines)


def _by_app(item: Action | Outcome) -> tuple[str, int]:
    """Group by app for reading (stable: the execution order stays within an app)."""
    return (item.key.package.lower(), item.key.user)


def plan_text(
    plan: Plan, catalog: Catalog, *, show_commands: bool = True, restoring: bool = False
) -> str:
    """The plan in words (and commands). `restoring`: a restore, which follows no profile."""
    if plan.empty:
        lines = [
            "nothing to give back: every setting hardener changed on this phone is as you had it"
            if restoring
            else "nothing to do: the phone already is as the profile wants it now"
        ]
    else:
        lines = []
        current: tuple[str, int] | None = None
        for action in sorted(plan.actions, key=_by_app):
            group = (action.key.package, action.key.user)
            if group != current:
                current = group
                lines.append(where(action.key.package, action.key.user, catalog))
            tag = " (re-granted since hardener revoked it)" if action.regrant else ""
            lines.append(f"  {action.intent:8} {visible(action.words)}{tag}")
            if show_commands:
                lines += [f"             $ {visible(command)}" for command in action.commands]
        if plan.trailer:
            lines.append("then")
            lines += [f"             $ {visible(command)}" for command in plan.trailer]
    for entry, why in plan.kept:
        lines.append(f"kept in the journal: {visible(entry.key.describe())}: {visible(why)}")
    lines += notes_lines(plan)
    return "\n".join(lines)


def notes_lines(plan: Plan) -> list[str]:
    """Settings left as the person chose, in words (kept baselines: `kept_text`)."""
    return [
        f"left as you chose: {visible(entry.key.describe())}: {visible(why)}"
        for entry, why in plan.left
    ]


def outcomes_text(outcomes: Iterable[Outcome], catalog: Catalog) -> str:
    lines = []
    current: tuple[str, int] | None = None
    for outcome in sorted(outcomes, key=_by_app):
        group = (outcome.key.package, outcome.key.user)
        if group != current:
            current = group
            lines.append(where(outcome.key.package, outcome.key.user, catalog))
        mark = MARKS.get(outcome.status, outcome.status)
        tag = " [re-grant]" if outcome.regrant else ""
        detail = (
            f": {outcome.detail}" if outcome.detail and outcome.status != Status.APPLIED else ""
        )
        lines.append(f"  {mark:12} {visible(outcome.words)}{tag}{visible(detail)}")
    return "\n".join(lines)


def kept_text(plan: Plan) -> str:
    """The baselines restore could not give back, and why: never hidden behind a count."""
    count = len(plan.kept)
    lines = [
        f"{count} baseline{'s' * (count != 1)} still held, not given back "
        "(run `hardener restore` again when the app or user is back; `hardener history` "
        "lists them):"
    ]
    for entry, why in plan.kept:
        was = value_to_json(entry.baseline)
        lines.append(f"  {visible(entry.key.describe())}: {visible(why)} (you had {visible(was)})")
    return "\n".join(lines)


def summary(outcomes: Iterable[Outcome], round_trips: int) -> str:
    counts = Counter(o.status for o in outcomes)
    regrants = sum(1 for o in outcomes if o.regrant)
    parts = [f"{counts.get(status, 0)} {MARKS[status].lower()}" for status in MARKS]
    text = ", ".join(parts) + f"; {round_trips} round trips"
    if regrants:
        text += f"; {regrants} re-granted by hand since hardener revoked them (revoked again)"
    return text
