"""Load and check profiles: read the `extends` chain, merge it, run the cross-file checks.

`check_profile` never raises on bad input (it reports); `load_profile` raises ProfileError
with every error when the profile cannot be used.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hardener.android.catalog.catalog import OTHER
from hardener.profile import public
from hardener.profile.bundled import bundled_profiles
from hardener.profile.calendar_gaps import calendar_gaps
from hardener.profile.merge import Merged, Origin, merge_layers, read_chain
from hardener.profile.model import Profile, WorkHours
from hardener.profile.problems import CheckResult, Problem, Problems, ProfileError
from hardener.profile.rules import Rule, is_glob
from hardener.profile.schedule import wall_to_instant
from hardener.profile.times import MINUTES_PER_DAY, WEEKDAYS, zone

_UTC = UTC


@dataclass(frozen=True)
class _Located:
    path: Path
    name: str
    file: str


def _locate(ref: str | Path) -> _Located | Problem:
    """A profile file for a path or a bundled name, or the problem saying there is none."""
    if isinstance(ref, Path):
        return _Located(ref, ref.stem, str(ref))
    bundled = bundled_profiles()
    if ref.startswith(BUNDLED_PREFIX) and ref[len(BUNDLED_PREFIX) :] in bundled:
        name = ref[len(BUNDLED_PREFIX) :]  # the bundled one even when a file shadows the name
        return _Located(bundled[name], name, str(bundled[name]))
    path = Path(ref)
    if path.is_file():
        return _Located(path, path.stem, ref)
    if ref in bundled:
        return _Located(bundled[ref], ref, str(bundled[ref]))
    if ref.endswith(".toml") or "/" in ref or "\\" in ref:
        return _Located(path, path.stem, ref)  # reading it reports "no such file"
    return Problem(
        ref,
        "",
        None,
        "no such profile file, and no bundled profile by that name",
        f"a path to a .toml file, or one of the bundled profiles: {', '.join(bundled)}",
    )


BUNDLED_PREFIX = "bundled:"


def resolution_note(ref: str | Path) -> str | None:
    """Words saying which file a bare name means when a file in the working folder has the
    name of a bundled profile (the file wins; `bundled:NAME` picks the bundled one)."""
    if isinstance(ref, Path) or ref not in bundled_profiles() or not Path(ref).is_file():
        return None
    return (
        f'profile "{ref}": using the file {Path(ref).resolve()} from the working folder, '
        f'not the bundled profile "{ref}" (give {BUNDLED_PREFIX}{ref} for that one)'
    )


def _evaluate(ref: str | Path, now: datetime | None) -> tuple[Profile | None, CheckResult]:
    located = _locate(ref)
    if isinstance(located, Problem):
        return None, CheckResult(errors=(located,))
    layers, found = read_chain(located.path, located.file)
    by_file = {problems.file: problems for problems in found}
    merged = merge_layers(layers, by_file) if layers else None
    profile = None
    if merged is not None and len(layers) == len(found):
        moment = now or datetime.now(_UTC)
        _Checks(merged, by_file, moment).run()
        profile = _build(located, merged, [layer.path for layer in layers], moment.date())
    errors = tuple(problem for problems in found for problem in problems.errors)
    warnings = tuple(
        problem
        for problems in found
        for problem in problems.warnings
        if not _follows_an_error(problem, errors)
    )
    result = CheckResult(errors=errors, warnings=warnings)
    return (profile if result.ok else None), result


def _follows_an_error(warning: Problem, errors: tuple[Problem, ...]) -> bool:
    """A warning about a key that holds an error (a rule whose names were all rejected
    "changes nothing"; work hours whose keys were misspelt are "not set") only repeats
    that error: leave it out."""
    here = warning.key_path
    for error in errors:
        if error.file != warning.file:
            continue
        there = error.key_path
        if not here or there == here or there.startswith((here + ".", here + "[")):
            return True
    return False


def check_profile(ref: str | Path, *, now: datetime | None = None) -> CheckResult:
    """Every error and warning of a profile and the profiles it extends."""
    return _evaluate(ref, now)[1]


def load_profile(ref: str | Path) -> Profile:
    """A usable profile from a path or a bundled name; ProfileError lists what is wrong."""
    profile, result = _evaluate(ref, None)
    if profile is None:
        raise ProfileError(result.errors)
    return profile


def _public(merged: Merged, today: date) -> tuple[dict[date, str], tuple[int, ...]]:
    """The public holidays of the years around `today`, less the profile's extra workdays."""
    if merged.public_holidays is None:
        return {}, ()
    found, missing = public.dates(merged.public_holidays, public.window(today))
    dates = {day: name for day, name in found.items() if day not in merged.extra_workdays}
    return dates, tuple(missing)


def _build(located: _Located, merged: Merged, layers_paths: list[Path], today: date) -> Profile:
    default_weekday = next((i for i, ranges in enumerate(merged.days) if ranges), 0)
    public_dates, public_missing = _public(merged, today)
    return Profile(
        name=located.name,
        path=located.path,
        description=merged.description,
        arm=merged.arm,
        work_hours=WorkHours(
            timezone=merged.timezone,
            days=tuple(merged.days),
            holidays={**public_dates, **merged.holidays},  # the profile's own names win
            extra_workdays={
                day: default_weekday if weekday is None else weekday
                for day, weekday in merged.extra_workdays.items()
            },
            overrides=tuple(merged.overrides),
            public_holidays=merged.public_holidays,
            public_dates=public_dates,
            public_missing=public_missing,
        ),
        rules=tuple(merged.rules),
        catalog=merged.catalog,
        files=tuple(layers_paths),
        force_stop=merged.force_stop,
        quiet_calls=merged.quiet_calls,
    )


@dataclass
class _Checks:
    """Checks that need the merged profile: they can involve several files."""

    merged: Merged
    problems: dict[str, Problems]
    now: datetime

    def at(self, origin: Origin) -> Problems:
        return self.problems[origin.file]

    def run(self) -> None:
        self.overnight_overlaps()
        self.special_days()
        self.no_hours()
        self.rules()
        self.ended_overrides()
        self.calendar()
        self.public_years()

    def calendar(self) -> None:
        merged = self.merged
        origins = {**merged.holiday_origins, **merged.extra_origins}
        if not origins:
            return
        last = origins[max(origins)]
        for gap in calendar_gaps(origins, self.now.date()):
            self.at(last).warning(
                ("work_hours", "holidays"), gap, "dates for every year the profile is used in"
            )

    def overnight_overlaps(self) -> None:
        days = self.merged.days
        for weekday in range(7):
            previous = (weekday - 1) % 7
            spill = max((r.end - MINUTES_PER_DAY for r in days[previous] if r.overnight), default=0)
            first = min((r.start for r in days[weekday]), default=None)
            origin = self.merged.day_origins[weekday]
            if first is not None and spill > first and origin is not None:
                self.at(origin).error(
                    origin.path,
                    f"{WEEKDAYS[weekday]} starts at {first // 60:02d}:{first % 60:02d}, before "
                    f"{WEEKDAYS[previous]}'s overnight range ends "
                    f"({spill // 60:02d}:{spill % 60:02d})",
                    "an overnight range that ends before the next day's first range",
                )

    def special_days(self) -> None:
        days = self.merged.days
        # One warning per entry: a range like the Spring Festival week spans weekends.
        entries: dict[Origin, list[date]] = {}
        for day, origin in self.merged.holiday_origins.items():
            entries.setdefault(origin, []).append(day)
        for origin, dates in entries.items():
            if not any(days[day.weekday()] for day in dates):
                what = (
                    f"holiday {dates[0]} is a {WEEKDAYS[dates[0].weekday()]}, which has"
                    if len(dates) == 1
                    else f"holidays {min(dates)}..{max(dates)} fall on days that have"
                )
                self.at(origin).warning(
                    origin.path,
                    f"{what} no work hours: no effect",
                    "holidays on days that have work hours",
                )
        default = next((i for i, ranges in enumerate(days) if ranges), None)
        for day, weekday in self.merged.extra_workdays.items():
            origin = self.merged.extra_origins[day]
            used = default if weekday is None else weekday
            if used is None or not days[used]:
                source = "no weekday's hours" if used is None else f"{WEEKDAYS[used]}'s hours"
                self.at(origin).warning(
                    origin.path,
                    f"extra workday {day} uses {source}, which are empty: no effect",
                    'as = "<a weekday that has work hours>"',
                )
            elif days[day.weekday()] == days[used]:
                self.at(origin).warning(
                    origin.path,
                    f"extra workday {day} is a {WEEKDAYS[day.weekday()]}, which already has "
                    "these work hours: no effect",
                    "extra workdays on days off, e.g. a weekend make-up day",
                )

    def no_hours(self) -> None:
        merged = self.merged
        if any(merged.days) or any(o.working for o in merged.overrides):
            return
        file = next(iter(self.problems))
        self.problems[file].warning(
            ("work_hours",),
            "no work hours are set: every moment counts as outside work hours",
            'e.g. weekdays = ["09:00-18:00"] under [work_hours]',
        )

    def rules(self) -> None:
        """Each rule selects something, its globs and excludes match something. Indexed by
        category and name so that many rules over a big catalog stay linear: only globs are
        matched against the whole catalog."""
        catalog = self.merged.catalog
        known = catalog.packages()
        known_set = frozenset(known)
        by_category: dict[str, list[str]] = {}
        for package in known:
            by_category.setdefault(catalog.category_of(package), []).append(package)
        glob_matches: dict[str, list[str]] = {}

        def matching(pattern: str) -> list[str]:
            if not is_glob(pattern):
                return [pattern] if pattern in known_set else []
            if pattern not in glob_matches:
                match = re.compile(fnmatch.translate(pattern)).match  # case-sensitive
                glob_matches[pattern] = [p for p in known if match(p)]
            return glob_matches[pattern]

        def selects(rule: Rule) -> Iterator[str]:
            """Known packages the rule selects (lazily: callers stop at the first)."""
            for pattern in rule.packages:
                for package in matching(pattern):
                    if rule.strength(package, catalog.category_of(package)):
                        yield package
            for category in sorted(rule.categories):
                for package in by_category.get(category, ()):
                    if rule.strength(package, category):
                        yield package

        for rule in self.merged.rules:
            here = self.problems[rule.file]
            selects_other = OTHER in rule.categories
            if next(selects(rule), None) is None and not selects_other:
                here.error(
                    rule.key_path,
                    f'rule "{rule.name}" selects no known app',
                    "a category, or packages listed in the catalog; add your own packages under "
                    '[catalog], e.g. workplace = ["com.example.app"]',
                )
                continue
            if not selects_other:
                for index, pattern in enumerate(rule.packages):
                    if is_glob(pattern) and not matching(pattern):
                        here.warning(
                            (*rule.key_path, "packages", index),
                            f'"{pattern}" matches no known package',
                            "a glob matching packages in the catalog, or add them under [catalog]",
                        )
            unexcluded = replace(rule, exclude=())
            for index, pattern in enumerate(rule.exclude):
                if not selects_other and not any(
                    unexcluded.strength(p, catalog.category_of(p)) for p in matching(pattern)
                ):
                    here.warning(
                        (*rule.key_path, "exclude", index),
                        f'"{pattern}" excludes nothing this rule selects',
                        "a package or glob among the apps the rule selects",
                    )
            if not (rule.off_hours or rule.never or rule.allowed):
                here.warning(
                    rule.key_path,
                    f'rule "{rule.name}" has no off_hours, never or allowed: it changes nothing',
                    'e.g. off_hours = ["contacts", "location"]',
                )
            elif rule.dont_ask_again and not (rule.off_hours or rule.never):
                here.warning(
                    (*rule.key_path, "dont_ask_again"),
                    "the rule revokes nothing (no off_hours or never): no effect",
                    "dont_ask_again on a rule with off_hours or never",
                )

    def public_years(self) -> None:
        source, origin = self.merged.public_holidays, self.merged.public_origin
        if source is None or origin is None:
            return
        _, missing = public.dates(source, public.window(self.now.date()))
        if missing:
            years = ", ".join(str(year) for year in missing)
            self.at(origin).warning(
                origin.path,
                f"the holidays package has no public holidays of {source.describe()} for "
                f"{years}: those years count only the holidays listed in this profile",
                "list that year's holidays under holidays, or update the holidays package",
            )

    def ended_overrides(self) -> None:
        tz = zone(self.merged.timezone)
        for override, origin in zip(
            self.merged.overrides, self.merged.override_origins, strict=True
        ):
            end = override.end
            if end.tzinfo is None:
                # Without a zone ("device"), allow for the furthest zone from UTC.
                end = (
                    wall_to_instant(end, tz)
                    if tz
                    else end.replace(tzinfo=_UTC) + timedelta(hours=14)
                )
            if end <= self.now:
                self.at(origin).warning(
                    (*origin.path, "until"),
                    f"this override ended ({override.end.isoformat()}): no effect",
                    "remove it, or give a later until",
                )
