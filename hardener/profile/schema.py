"""The profile schema: one TOML file in, one validated `Layer` (plus located problems) out.

A layer holds only what its file says; `merge` stacks layers along `extends`. Every key is
checked here, so a typo is reported with the closest known key instead of being ignored.
See docs/profiles.md for the schema in prose.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hardener.android.catalog.capabilities import CAPABILITIES, LEVERS, PROFILE_NAMES
from hardener.android.catalog.catalog import CATEGORIES, CatalogApp, is_package_name
from hardener.profile import public
from hardener.profile.hints import (
    capability_hint,
    invisible_note,
    is_invisible,
    meant_note,
    plain,
    timezone_hint,
    visible,
)
from hardener.profile.locate import KeyLocator, KeyPath, format_key_path
from hardener.profile.problems import Problems, one_of, suggest
from hardener.profile.public import PublicHolidays
from hardener.profile.rules import Rule, glob_problem
from hardener.profile.schedule import Override
from hardener.profile.times import (
    DATE_RANGE_EXAMPLE,
    DATETIME_EXAMPLE,
    RANGE_EXAMPLE,
    WEEKDAYS,
    TimeRange,
    days_of,
    parse_date_span,
    parse_datetime,
    parse_range,
    timezone_names,
    type_name,
)

SCHEMA_VERSION = 1
TOP_KEYS = (
    *("schema", "extends", "description", "quiet_calls", "arm", "work_hours", "off_hours"),
    *("rules", "catalog"),
)
OFF_HOURS_KEYS = ("force_stop",)
DAY_GROUPS: dict[str, tuple[int, ...]] = {"weekdays": (0, 1, 2, 3, 4), "weekend": (5, 6)}
WORK_HOURS_KEYS = (
    "timezone",
    "weekdays",
    "weekend",
    *WEEKDAYS,
    "holidays",
    "public_holidays",
    "extra_workdays",
    "overrides",
)
RULE_KEYS = (
    "name",
    "enabled",
    "categories",
    "packages",
    "exclude",
    "off_hours",
    "never",
    "allowed",
    "dont_ask_again",
)
HOLIDAY_KEYS = ("date", "from", "until", "name")
EXTRA_WORKDAY_KEYS = ("date", "from", "until", "as", "name")
OVERRIDE_KEYS = ("from", "until", "working", "note")
CATALOG_ENTRY_KEYS = ("package", "name", "region")
NAME_EXPECTED = "capabilities: " + ", ".join(CAPABILITIES) + "; levers: " + ", ".join(LEVERS)

# TOML 1.0 (Python's tomllib before 3.14) needs seconds in date-times: a common slip.
_MINUTE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?![:\d])")
_TOML_ERROR_AT = re.compile(r"^(.*?)\s*\(at line (\d+), column (\d+)\)\s*$", re.DOTALL)


@dataclass
class RuleEntry:
    """A rule as written, with what merging needs to know about it."""

    rule: Rule
    explicit_name: bool
    enabled: bool


@dataclass
class Layer:
    """What one profile file sets; absent keys stay None/empty so a base can fill them."""

    path: Path
    file: str  # the name problems use for this file
    extends: str | None = None
    description: str | None = None
    quiet_calls: bool | None = None  # Do Not Disturb (priority) outside work hours
    arm: bool | None = None  # leave a job on the phone at each contact (hardener.arm)
    timezone: str | None = None
    days: dict[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    day_paths: dict[int, KeyPath] = field(default_factory=dict)
    holidays: dict[date, str] = field(default_factory=dict)
    holiday_paths: dict[date, KeyPath] = field(default_factory=dict)
    extra_workdays: dict[date, int | None] = field(default_factory=dict)
    extra_paths: dict[date, KeyPath] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    override_paths: list[KeyPath] = field(default_factory=list)
    public_holidays: PublicHolidays | None = None
    rules: list[RuleEntry] = field(default_factory=list)
    catalog: list[CatalogApp] = field(default_factory=list)
    force_stop: bool | None = None  # [off_hours] force_stop; None: not set in this file


def _odd_characters(line: str) -> str:
    """Why a TOML line that looks right is not: characters you cannot see, or full-width
    letters in a bare key (TOML bare keys are ASCII)."""
    note = invisible_note(line)
    key = line.split("=", 1)[0].strip()
    folded = plain(key)
    if folded != key and folded.isascii() and not any(is_invisible(c) for c in key):
        note += f'; "{visible(key)}" is written in full-width characters: type it as "{folded}"'
    elif note:
        note += f' (the line reads "{visible(line.strip())}")'
    return note


def read_layer(path: Path, file: str) -> tuple[Layer | None, Problems]:
    """Read and validate one file; None when it cannot be read or parsed at all."""
    problems = Problems(file)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.error((), "no such file", "a path to a profile .toml file, or a bundled name")
        return None, problems
    except OSError as error:
        problems.error((), f"cannot read the file: {error.strerror or error}")
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.error(
            (),
            "the file is not UTF-8 text",
            "a UTF-8 encoded TOML file",
            line=raw.count(b"\n", 0, error.start) + 1,
        )
        return None, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_ERROR_AT.match(str(error))
        message, line = (match.group(1), int(match.group(2))) if match else (str(error), None)
        expected = "TOML syntax (https://toml.io)"
        lines = text.splitlines()
        if line is not None and line <= len(lines) and _MINUTE_DATETIME.search(lines[line - 1]):
            expected = "TOML date-times with seconds (2026-06-08T09:00:00), or a quoted string"
        if line is not None and line <= len(lines):
            message += _odd_characters(lines[line - 1])
        problems.error((), f"not valid TOML: {message}", expected, line=line)
        return None, problems
    problems.locator = KeyLocator(text)
    layer = Layer(path=path, file=file)
    _Parser(layer, problems).top(data)
    return layer, problems


@dataclass
class _Parser:
    layer: Layer
    problems: Problems

    # -- helpers ----------------------------------------------------------------------------

    def unknown_keys(self, table: dict[str, Any], known: tuple[str, ...], path: KeyPath) -> None:
        for key in table:
            if key in known:
                continue
            if path and key in TOP_KEYS:
                # TOML puts every key after a [table] header into that table.
                self.problems.error(
                    (*path, key),
                    f'"{key}" is a top-level key but sits inside [{format_key_path(path)}]',
                    f'"{key}" above the first [table] header of the file',
                )
                continue
            note = meant_note(key, known) or suggest(key, known)
            self.problems.error(
                (*path, key),
                f'unknown key "{visible(key)}"{note}{invisible_note(key)}',
                one_of(known),
            )

    def table(self, value: object, path: KeyPath) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problems.error(path, f"must be a table, not {type_name(value)}", "a TOML table")
        return None

    def string(self, value: object, path: KeyPath) -> str | None:
        if isinstance(value, str):
            return value
        self.problems.error(path, f"must be a string, not {type_name(value)}", "a quoted string")
        return None

    def boolean(self, value: object, path: KeyPath) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problems.error(path, f"must be true or false, not {type_name(value)}", "true or false")
        return None

    def string_list(self, value: object, path: KeyPath, expected: str) -> list[tuple[str, KeyPath]]:
        """A list of strings (a single string counts as a list of one), with element paths."""
        if isinstance(value, str):
            return [(value, path)]
        if not isinstance(value, list):
            self.problems.error(path, f"must be a list, not {type_name(value)}", expected)
            return []
        items: list[tuple[str, KeyPath]] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                items.append((item, (*path, index)))
            else:
                self.problems.error(
                    (*path, index), f"must be a string, not {type_name(item)}", expected
                )
        return items

    def items(self, value: object, path: KeyPath, expected: str) -> list[tuple[Any, KeyPath]]:
        if not isinstance(value, list):
            self.problems.error(path, f"must be a list, not {type_name(value)}", expected)
            return []
        return [(item, (*path, index)) for index, item in enumerate(value)]

    # -- top level --------------------------------------------------------------------------

    def top(self, data: dict[str, Any]) -> None:
        self.unknown_keys(data, TOP_KEYS, ())
        schema = data.get("schema", SCHEMA_VERSION)
        if isinstance(schema, str) and plain(schema) == str(SCHEMA_VERSION):
            self.problems.error(
                ("schema",),
                f'schema must be the integer {SCHEMA_VERSION}, not the string "{visible(schema)}"',
                f"schema = {SCHEMA_VERSION} (no quotes), or leave it out",
            )
        elif type(schema) is not int or schema != SCHEMA_VERSION:
            self.problems.error(
                ("schema",),
                f"schema version {visible(repr(schema))} is not supported",
                f"schema = {SCHEMA_VERSION} (or leave it out)",
            )
        if "extends" in data:
            extends = self.string(data["extends"], ("extends",))
            if extends is not None and not extends.strip():
                self.problems.error(
                    ("extends",), "is empty", 'a bundled name like "default" or a path'
                )
            elif extends is not None:
                self.layer.extends = extends.strip()
        if "description" in data:
            self.layer.description = self.string(data["description"], ("description",))
        if "quiet_calls" in data:
            self.layer.quiet_calls = self.boolean(data["quiet_calls"], ("quiet_calls",))
        if "arm" in data:
            self.layer.arm = self.boolean(data["arm"], ("arm",))
        if "work_hours" in data:
            work_hours = self.table(data["work_hours"], ("work_hours",))
            if work_hours is not None:
                self.work_hours(work_hours)
        if "off_hours" in data:
            self.off_hours(data["off_hours"])
        if "rules" in data:
            for item, path in self.items(data["rules"], ("rules",), "[[rules]] tables"):
                rule = self.table(item, path)
                if rule is not None:
                    self.rule(rule, path)
            self.duplicate_rule_names()
        if "catalog" in data:
            catalog = self.table(data["catalog"], ("catalog",))
            if catalog is not None:
                self.catalog(catalog)

    # -- off hours --------------------------------------------------------------------------

    def off_hours(self, value: object) -> None:
        if isinstance(value, list):
            self.problems.error(
                ("off_hours",),
                "a list of names belongs in a [[rules]] table, not at the top of the file",
                "[off_hours] with force_stop = true or false; names go in a rule's off_hours",
            )
            return
        table = self.table(value, ("off_hours",))
        if table is None:
            return
        self.unknown_keys(table, OFF_HOURS_KEYS, ("off_hours",))
        if "force_stop" in table:
            self.layer.force_stop = self.boolean(table["force_stop"], ("off_hours", "force_stop"))

    # -- work hours -------------------------------------------------------------------------

    def work_hours(self, table: dict[str, Any]) -> None:
        self.unknown_keys(table, WORK_HOURS_KEYS, ("work_hours",))
        if "timezone" in table:
            self.timezone(table["timezone"], ("work_hours", "timezone"))
        # Groups first, so a named day in the same file replaces its group's ranges.
        for key in ("weekdays", "weekend", *WEEKDAYS):
            if key in table:
                path: KeyPath = ("work_hours", key)
                ranges = self.day(table[key], path)
                if ranges is None:
                    continue
                for weekday in DAY_GROUPS.get(key) or (WEEKDAYS.index(key),):
                    self.layer.days[weekday] = ranges
                    self.layer.day_paths[weekday] = path
        if "holidays" in table:
            self.holidays(table["holidays"], ("work_hours", "holidays"))
        if "public_holidays" in table:
            self.public_holidays(table["public_holidays"], ("work_hours", "public_holidays"))
        if "extra_workdays" in table:
            self.extra_workdays(table["extra_workdays"], ("work_hours", "extra_workdays"))
        if "overrides" in table:
            self.overrides(table["overrides"], ("work_hours", "overrides"))

    def timezone(self, value: object, path: KeyPath) -> None:
        name = self.string(value, path)
        if name is None:
            return
        if name == "device" or name in timezone_names():
            self.layer.timezone = name
            return
        zones = timezone_names()
        hint = timezone_hint(name, zones) or suggest(name, sorted(zones))
        self.problems.error(
            path,
            f'unknown timezone "{visible(name)}"{hint}',
            'an IANA name such as "Europe/Berlin" or "Asia/Shanghai", or "device"',
        )

    def day(self, value: object, path: KeyPath) -> tuple[TimeRange, ...] | None:
        parsed: list[tuple[TimeRange, KeyPath]] = []
        failed = False
        for text, item_path in self.string_list(value, path, f"a list of ranges {RANGE_EXAMPLE}"):
            result = parse_range(text)
            if isinstance(result, str):
                self.problems.error(item_path, result, RANGE_EXAMPLE)
                failed = True
            else:
                parsed.append((result, item_path))
        if not isinstance(value, str | list):
            return None
        parsed.sort(key=lambda pair: pair[0])
        for (before, _), (after, after_path) in itertools.pairwise(parsed):
            if after.start < before.end:
                self.problems.error(
                    after_path,
                    f"{after} overlaps {before}",
                    'ranges of one day that do not overlap, e.g. ["09:00-12:00", "13:00-18:00"]',
                )
                failed = True
            elif after.start == before.end:
                self.problems.warning(
                    after_path,
                    f"{after} starts when {before} ends: they form one window",
                    f'one range "{TimeRange(before.start, after.end)}"',
                )
        return None if failed else tuple(pair[0] for pair in parsed)

    def date_entries(
        self,
        value: object,
        path: KeyPath,
        keys: tuple[str, ...],
        on_entry: Callable[[list[date], dict[str, Any], KeyPath], None],
    ) -> None:
        """Dates, "A..B" ranges, or tables {date | from + until, ...}, each to `on_entry`."""
        for item, item_path in self.items(
            value, path, f"a list of dates; each {DATE_RANGE_EXAMPLE}"
        ):
            extra: dict[str, Any] = {}
            if isinstance(item, dict):
                self.unknown_keys(item, keys, item_path)
                extra = item
                if "date" in item and ("from" in item or "until" in item):
                    self.problems.error(
                        item_path,
                        'give either "date" or "from" and "until", not both',
                        "{ date = 2026-10-01 } or { from = 2026-10-01, until = 2026-10-07 }",
                    )
                    continue
                if "date" in item:
                    span = parse_date_span(item["date"])
                    span_path: KeyPath = (*item_path, "date")
                elif "from" in item and "until" in item:
                    first, last = parse_date_span(item["from"]), parse_date_span(item["until"])
                    span_path = (*item_path, "from")
                    if isinstance(first, str) or isinstance(last, str):
                        span = first if isinstance(first, str) else last
                    elif last[1] < first[0]:
                        span = f"until {last[1]} is before from {first[0]}"
                        span_path = (*item_path, "until")
                    else:
                        span = (first[0], last[1])
                else:
                    self.problems.error(
                        item_path, 'needs "date", or "from" and "until"', DATE_RANGE_EXAMPLE
                    )
                    continue
            else:
                span = parse_date_span(item)
                span_path = item_path
            if isinstance(span, str):
                self.problems.error(span_path, span, DATE_RANGE_EXAMPLE)
                continue
            on_entry(days_of(span), extra, item_path)

    def holidays(self, value: object, path: KeyPath) -> None:
        def add(days: list[date], extra: dict[str, Any], item_path: KeyPath) -> None:
            name = self.string(extra["name"], (*item_path, "name")) if "name" in extra else ""
            for day in days:
                if day in self.layer.holidays:
                    self.problems.warning(item_path, f"{day} is already a holiday above")
                self.layer.holidays[day] = name or ""
                self.layer.holiday_paths[day] = item_path

        self.date_entries(value, path, HOLIDAY_KEYS, add)

    def public_holidays(self, value: object, path: KeyPath) -> None:
        table = self.table(value, path)
        if table is None:
            return
        self.unknown_keys(table, public.KEYS, path)
        if "country" not in table:
            self.problems.error(path, 'needs "country"', '{ country = "FR" }, a two-letter code')
            return
        values: dict[str, str] = {}
        for key in public.KEYS:
            if key in table:
                text = self.string(table[key], (*path, key))
                if text is None:
                    return
                values[key] = text.strip()
        source = public.PublicHolidays(
            values["country"].upper(), values.get("subdivision"), values.get("language")
        )
        found = public.problem(source)
        if found is not None:
            key, message, expected = found
            self.problems.error((*path, key), message, expected)
            return
        self.layer.public_holidays = source

    def extra_workdays(self, value: object, path: KeyPath) -> None:
        def add(days: list[date], extra: dict[str, Any], item_path: KeyPath) -> None:
            weekday: int | None = None
            if "as" in extra:
                name = self.string(extra["as"], (*item_path, "as"))
                if name is None:
                    return
                if name not in WEEKDAYS:
                    self.problems.error(
                        (*item_path, "as"),
                        f'"{name}" is not a weekday{suggest(name, WEEKDAYS)}',
                        one_of(WEEKDAYS),
                    )
                    return
                weekday = WEEKDAYS.index(name)
            for day in days:
                if day in self.layer.holidays:
                    self.problems.error(
                        item_path,
                        f"{day} is both a holiday and an extra workday",
                        "each date in only one of holidays and extra_workdays",
                    )
                    continue
                self.layer.extra_workdays[day] = weekday
                self.layer.extra_paths[day] = item_path

        self.date_entries(value, path, EXTRA_WORKDAY_KEYS, add)

    def overrides(self, value: object, path: KeyPath) -> None:
        for item, item_path in self.items(value, path, "a list of {until, working} tables"):
            table = self.table(item, item_path)
            if table is None:
                continue
            self.unknown_keys(table, OVERRIDE_KEYS, item_path)
            moments: dict[str, datetime] = {}
            for key in ("from", "until"):
                if key in table:
                    parsed = parse_datetime(table[key])
                    if isinstance(parsed, str):
                        self.problems.error((*item_path, key), parsed, DATETIME_EXAMPLE)
                    else:
                        moments[key] = parsed
            if "until" not in table:
                self.problems.error(
                    item_path, 'needs "until": when the override ends', DATETIME_EXAMPLE
                )
            if "working" not in table:
                self.problems.error(
                    item_path,
                    'needs "working": true (work, e.g. on call) or false (time off)',
                    "working = true or working = false",
                )
                working = None
            else:
                working = self.boolean(table["working"], (*item_path, "working"))
            note = ""
            if "note" in table:
                note = self.string(table["note"], (*item_path, "note")) or ""
            start, end = moments.get("from"), moments.get("until")
            if end is None or working is None:
                continue
            comparable = start is not None and (start.tzinfo is None) == (end.tzinfo is None)
            if comparable and start is not None and end <= start:
                self.problems.error(
                    (*item_path, "until"),
                    f"ends ({end.isoformat()}) at or before it starts ({start.isoformat()})",
                    "until later than from",
                )
                continue
            self.layer.overrides.append(Override(end=end, working=working, start=start, note=note))
            self.layer.override_paths.append(item_path)

    # -- rules ------------------------------------------------------------------------------

    def names(self, value: object, path: KeyPath) -> frozenset[str]:
        names: set[str] = set()
        for name, item_path in self.string_list(value, path, f"a list of names; {NAME_EXPECTED}"):
            if name in PROFILE_NAMES:
                names.add(name)
            else:
                hint = (
                    capability_hint(name)
                    or meant_note(name, PROFILE_NAMES)
                    or suggest(name, PROFILE_NAMES)
                )
                self.problems.error(
                    item_path,
                    f'unknown capability or lever "{visible(name)}"{hint}',
                    NAME_EXPECTED,
                )
        return frozenset(names)

    def patterns(self, value: object, path: KeyPath) -> tuple[str, ...]:
        patterns: list[str] = []
        expected = 'package names or globs, e.g. "com.tencent.mm" or "com.tencent.*"'
        for pattern, item_path in self.string_list(value, path, expected):
            problem = glob_problem(pattern)
            if problem:
                self.problems.error(item_path, problem, expected)
            else:
                patterns.append(pattern)
        return tuple(patterns)

    def rule(self, table: dict[str, Any], path: KeyPath) -> None:
        self.unknown_keys(table, RULE_KEYS, path)
        index = path[-1]
        name = f"{self.layer.path.stem}#{int(index) + 1}"
        explicit = False
        if "name" in table:
            given = self.string(table["name"], (*path, "name"))
            if given is not None and given.strip():
                name, explicit = given.strip(), True
            elif given is not None:
                self.problems.error((*path, "name"), "is empty", "a short name for the rule")
        enabled = True
        if "enabled" in table:
            enabled = self.boolean(table["enabled"], (*path, "enabled")) is not False
        categories: set[str] = set()
        if "categories" in table:
            for category, item_path in self.string_list(
                table["categories"], (*path, "categories"), one_of(CATEGORIES)
            ):
                if category in CATEGORIES:
                    categories.add(category)
                else:
                    self.problems.error(
                        item_path,
                        f'unknown category "{category}"{suggest(category, CATEGORIES)}',
                        one_of(CATEGORIES),
                    )
        packages = (
            self.patterns(table["packages"], (*path, "packages")) if "packages" in table else ()
        )
        exclude = self.patterns(table["exclude"], (*path, "exclude")) if "exclude" in table else ()
        decided = {
            key: self.names(table[key], (*path, key)) if key in table else frozenset()
            for key in ("off_hours", "never", "allowed")
        }
        dont_ask_again = None
        if "dont_ask_again" in table:
            dont_ask_again = self.boolean(table["dont_ask_again"], (*path, "dont_ask_again"))
        if enabled and "categories" not in table and "packages" not in table:
            self.problems.error(
                path,
                "selects no apps",
                'categories = ["workplace"] and/or packages = ["com.example.app"]',
            )
        self.shadowed_names(decided, path)
        self.layer.rules.append(
            RuleEntry(
                Rule(
                    name=name,
                    categories=frozenset(categories),
                    packages=packages,
                    exclude=exclude,
                    off_hours=decided["off_hours"],
                    never=decided["never"],
                    allowed=decided["allowed"],
                    dont_ask_again=dont_ask_again,
                    file=self.layer.file,
                    key_path=path,
                ),
                explicit_name=explicit,
                enabled=enabled,
            )
        )

    def shadowed_names(self, decided: dict[str, frozenset[str]], path: KeyPath) -> None:
        """Warn about a name listed twice in one rule: the stronger list makes the other moot."""
        order = ("never", "off_hours", "allowed")
        for strong_index, strong in enumerate(order):
            for weak in order[strong_index + 1 :]:
                for name in sorted(decided[strong] & decided[weak]):
                    self.problems.warning(
                        (*path, weak),
                        f'"{name}" is also in {strong}, which wins: '
                        f"listing it in {weak} has no effect",
                        "each name in one of never, off_hours, allowed",
                    )

    def duplicate_rule_names(self) -> None:
        seen: dict[str, KeyPath] = {}
        for entry in self.layer.rules:
            if not entry.explicit_name:
                continue
            if entry.rule.name in seen:
                self.problems.error(
                    (*entry.rule.key_path, "name"),
                    f'rule name "{entry.rule.name}" is used twice in this file',
                    "a different name for each rule",
                )
            seen[entry.rule.name] = entry.rule.key_path

    # -- catalog ----------------------------------------------------------------------------

    def catalog(self, table: dict[str, Any]) -> None:
        self.unknown_keys(table, CATEGORIES, ("catalog",))
        for category in CATEGORIES:
            if category not in table:
                continue
            path: KeyPath = ("catalog", category)
            expected = 'package names, or tables {package = "com.example.app", name = "App"}'
            for item, item_path in self.items(table[category], path, expected):
                if isinstance(item, dict):
                    self.unknown_keys(item, CATALOG_ENTRY_KEYS, item_path)
                    package = self.string(item.get("package"), (*item_path, "package"))
                    name = self.string(item.get("name", ""), (*item_path, "name")) or ""
                    region = tuple(
                        text
                        for text, _ in self.string_list(
                            item.get("region", []), (*item_path, "region"), "a list of regions"
                        )
                    )
                elif isinstance(item, str):
                    package, name, region = item, "", ()
                else:
                    self.problems.error(
                        item_path, f"must be a string, not {type_name(item)}", expected
                    )
                    continue
                if package is None:
                    continue
                if not is_package_name(package):
                    self.problems.error(
                        item_path, f'"{package}" is not a package name', 'e.g. "com.example.app"'
                    )
                    continue
                self.layer.catalog.append(CatalogApp(package, name, category, region))
