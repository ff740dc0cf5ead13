"""`hardener profile check|show`: validate profiles and see their work hours, with no phone.

`check` is what an IT admin runs before rolling a profile out and what a person runs after
editing one; `show` answers "when will my apps be cut off" at a glance.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import typer

from hardener.cli.common import load_profile_told, tell_profile_source
from hardener.cli.profile_signing import sign, verify
from hardener.errors import EXIT_BAD_INPUT, InputError
from hardener.profile import Profile, Schedule, check_profile
from hardener.profile.grid import (
    ASCII_GLYPHS,
    UNICODE_GLYPHS,
    describe_transition,
    render_week,
    special_days,
    week_start,
)
from hardener.profile.localzone import local_timezone_name
from hardener.profile.problems import CheckResult, Problem
from hardener.profile.schedule import Transition
from hardener.profile.times import BOUNDS, out_of_bounds
from hardener.textsafe import json_safe, visible


def _problem_lines(kind: str, problem: Problem) -> list[str]:
    # File names, key paths and messages quote the file: shown visibly, one line each.
    file = visible(problem.file)
    where = file if problem.line is None else f"{file}:{problem.line}"
    head = f"  {kind}: {where}: "
    message = visible(problem.message)
    head += f"{visible(problem.key_path)}: {message}" if problem.key_path else message
    lines = [head]
    if problem.expected:
        lines.append(f"    expected: {visible(problem.expected)}")
    return lines


def _report(ref: str, result: CheckResult) -> list[str]:
    if result.ok and not result.warnings:
        return [f"{visible(ref)}: ok"]
    counts = [f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}"]
    if result.warnings:
        counts.append(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}")
    name = visible(ref)
    lines = [f"{name}: {', '.join(counts)}" if result.errors else f"{name}: ok, {counts[1]}"]
    for problem in result.errors:
        lines += _problem_lines("error", problem)
    for problem in result.warnings:
        lines += _problem_lines("warning", problem)
    return lines


def check(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...", help="Profile files, or bundled names (default, strict, ...)."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON report for scripts.")
    ] = False,
) -> None:
    """Check profiles: unknown keys, bad times, overlaps, timezones, names, globs, extends.

    Exit 0 when every profile is usable (warnings allowed), 2 when any has an error.

    Examples:

      hardener profile check my.toml

      hardener profile check default china-workplace --json
    """
    for ref in files:
        tell_profile_source(ref)
    results = {ref: check_profile(ref) for ref in files}
    if as_json:
        document = {
            "ok": all(result.ok for result in results.values()),
            "files": [
                {
                    "file": ref,
                    "ok": result.ok,
                    "errors": [problem.to_json() for problem in result.errors],
                    "warnings": [problem.to_json() for problem in result.warnings],
                }
                for ref, result in results.items()
            ],
        }
        typer.echo(json_safe(json.dumps(document, indent=2, ensure_ascii=False)))
    else:
        for ref, result in results.items():
            typer.echo("\n".join(_report(ref, result)))
    if not all(result.ok for result in results.values()):
        raise typer.Exit(EXIT_BAD_INPUT)


def _parse_week(text: str | None, today: date) -> date:
    if text is None:
        return week_start(today)
    try:
        day = date.fromisoformat(text.strip())
        why = out_of_bounds(day)
        if why:
            raise InputError(f"--week {text!r}: {why}", hint=f"give {BOUNDS}")
        return week_start(day)
    except ValueError:
        raise InputError(
            f'--week: "{text}" is not a date', hint="give any day of the week as YYYY-MM-DD"
        ) from None


def _schedule_for(profile: Profile) -> tuple[Schedule, str]:
    """The schedule and a line saying which timezone it uses and why."""
    if profile.work_hours.timezone != "device":
        schedule = profile.schedule(None)
        return schedule, f"Timezone: {schedule.timezone_name}"
    laptop = local_timezone_name()
    schedule = profile.schedule(laptop or "UTC")
    if laptop:
        why = 'this computer\'s timezone, since the profile says "device" and no phone is read'
    else:
        why = (
            'UTC: the profile says "device", no phone is read, and this computer\'s zone is unknown'
        )
    return schedule, f"Timezone: {schedule.timezone_name} ({why})"


def _can_print_blocks() -> bool:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        (UNICODE_GLYPHS.working + UNICODE_GLYPHS.off).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def show(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A profile file or a bundled name.")],
    week: Annotated[
        str | None,
        typer.Option(
            "--week", metavar="DATE", help="Any day of the week to draw (default: this week)."
        ),
    ] = None,
    count: Annotated[
        int, typer.Option("--count", min=1, max=100, help="How many transitions to list.")
    ] = 8,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="Draw with ASCII characters only.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print windows and transitions as JSON.")
    ] = False,
) -> None:
    """Draw a week of work hours and list the next transitions, in the profile's timezone.

    Examples:

      hardener profile show china-workplace

      hardener profile show my.toml --json
    """
    profile = load_profile_told(file)
    schedule, zone_line = _schedule_for(profile)
    now = datetime.now(UTC).astimezone(schedule.tz)
    first_day = _parse_week(week, now.date())
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=schedule.tz)
    end = datetime.combine(first_day + timedelta(days=7), datetime.min.time(), tzinfo=schedule.tz)
    # List transitions from now when the week shown holds it, else from the week's start.
    reference = now if start <= now < end else start
    transitions: list[Transition] = []
    moment = reference
    while len(transitions) < count:
        transition = schedule.next_transition(moment)
        if transition is None:
            break
        transitions.append(transition)
        moment = transition.at
    public_section = _public_holidays(profile, first_day.year)
    if as_json:
        document = {
            "profile": profile.name,
            "timezone": schedule.timezone_name,
            "timezone_source": "laptop" if schedule.timezone_from_device else "profile",
            "week_start": first_day.isoformat(),
            "reference": reference.isoformat(),
            "working_at_reference": schedule.is_working(reference),
            "windows": [
                {"start": a.isoformat(), "end": b.isoformat()}
                for a, b in schedule.windows(start, end)
            ],
            "transitions": [{"at": t.at.isoformat(), "working": t.working} for t in transitions],
            "public_holidays": public_section[0],
        }
        typer.echo(json_safe(json.dumps(document, indent=2, ensure_ascii=False)))
        return
    glyphs = ASCII_GLYPHS if ascii_only or not _can_print_blocks() else UNICODE_GLYPHS
    title = f"{visible(profile.name)}: week of {first_day.isoformat()}"
    if profile.description:
        title += f"\n{visible(profile.description)}"
    state = "inside" if schedule.is_working(reference) else "outside"
    label = "Now" if reference is now else "At the week's start"
    lines = [
        title,
        zone_line,
        "",
        render_week(schedule, first_day, glyphs),
        *special_days(schedule, first_day),
        "",
        f"{label} ({reference.strftime('%a %Y-%m-%d %H:%M')}): {state} work hours.",
        "Next transitions:" if transitions else "No transitions: the state never changes again.",
        *(f"  {describe_transition(schedule, t)}" for t in transitions),
        *public_section[1],
    ]
    typer.echo("\n".join(lines))
    for year in public_section[0]["missing_years"] if public_section[0] else ():
        typer.echo(
            f"hardener: warning: no public holidays known for {year}: that year counts only "
            "the holidays listed in the profile",
            err=True,
        )


def _public_holidays(profile: Profile, year: int) -> tuple[dict[str, Any] | None, list[str]]:
    """The public holidays of `year` the profile uses (JSON, lines), and the years missing."""
    source = profile.work_hours.public_holidays
    if source is None:
        return None, []
    dates = sorted(
        (day, name) for day, name in profile.work_hours.public_dates.items() if day.year == year
    )
    loaded = {day.year for day in profile.work_hours.public_dates}
    missing = sorted(
        set(profile.work_hours.public_missing) | ({year} if year not in loaded else set())
    )
    document = {
        "source": source.describe(),
        "country": source.country,
        "subdivision": source.subdivision,
        "year": year,
        "dates": [{"date": day.isoformat(), "name": name} for day, name in dates],
        "missing_years": missing,
    }
    lines = ["", f"Public holidays {year}, {source.describe()}:"]
    lines += [f"  {day.isoformat()} {day:%a} {name}" for day, name in dates]
    if not dates:
        lines.append("  none known for this year")
    return document, lines


def register(app: typer.Typer) -> None:
    profile_app = typer.Typer(
        name="profile",
        help="Check, show, sign and verify profiles (no phone needed).",
        no_args_is_help=True,
    )
    profile_app.command("check")(check)
    profile_app.command("show")(show)
    profile_app.command("sign")(sign)
    profile_app.command("verify")(verify)
    app.add_typer(profile_app, name="profile")
