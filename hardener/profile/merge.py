"""`extends`: follow the chain of profiles and stack their layers, base first.

Merge rules (docs/profiles.md, "Extending a profile"):
* scalars (`description`, `quiet_calls`, `work_hours.timezone`): the last layer that sets one
  wins;
* days: a layer that sets a day (by name or through `weekdays`/`weekend`) replaces that
  day's ranges; days it does not mention keep the base's;
* holidays and extra_workdays: united; a later layer listing a date in one list removes it
  from the other;
* public_holidays (a country's calendar): the last layer that sets it wins; its dates join
  the holidays, except dates listed in extra_workdays;
* overrides: concatenated, base first (a later one wins where they overlap);
* rules: concatenated, base first; a rule whose `name` matches an earlier rule replaces it
  (and moves to this layer's position); `enabled = false` removes the earlier rule;
* catalog additions: applied in order, so the last layer decides a package's category;
* `[off_hours] force_stop`: the last layer that sets it wins.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hardener.android.catalog.catalog import Catalog, load_catalog
from hardener.profile.bundled import bundled_profiles
from hardener.profile.locate import KeyPath
from hardener.profile.problems import Problems
from hardener.profile.public import PublicHolidays
from hardener.profile.rules import Rule
from hardener.profile.schedule import Override
from hardener.profile.schema import Layer, read_layer
from hardener.profile.times import TimeRange


@dataclass(frozen=True)
class Origin:
    """Where a merged value was written: which file, which key."""

    file: str
    path: KeyPath


@dataclass
class Merged:
    """The merged values plus where each came from, for cross-file checks."""

    description: str = ""
    quiet_calls: bool = False
    arm: bool = False
    timezone: str = "device"
    timezone_origin: Origin | None = None
    days: list[tuple[TimeRange, ...]] = field(default_factory=lambda: [()] * 7)
    day_origins: list[Origin | None] = field(default_factory=lambda: [None] * 7)
    holidays: dict[date, str] = field(default_factory=dict)
    holiday_origins: dict[date, Origin] = field(default_factory=dict)
    extra_workdays: dict[date, int | None] = field(default_factory=dict)
    extra_origins: dict[date, Origin] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    override_origins: list[Origin] = field(default_factory=list)
    public_holidays: PublicHolidays | None = None
    public_origin: Origin | None = None
    rules: list[Rule] = field(default_factory=list)
    catalog: Catalog = field(default_factory=load_catalog)
    force_stop: bool | None = None


def resolve_extends(value: str, base_dir: Path) -> Path | str:
    """The file `extends` names, or a message saying why there is none.

    A value ending in `.toml` or holding a path separator is a file relative to the profile;
    anything else is a bundled profile's name.
    """
    if value.endswith(".toml") or "/" in value or "\\" in value:
        target = (base_dir / value).expanduser()
        return target if target.is_file() else f'"{value}": no such file ({target})'
    bundled = bundled_profiles()
    if value in bundled:
        return bundled[value]
    return (
        f'"{value}" is not a bundled profile (bundled: {", ".join(bundled)}); '
        f'for a file next to this profile write "./{value}.toml"'
    )


def read_chain(path: Path, file: str) -> tuple[list[Layer], list[Problems]]:
    """Layers from the deepest base to `path`, and every file's problems (`path` first)."""
    layers: list[Layer] = []
    problems: list[Problems] = []
    visited: list[Path] = []
    while True:
        layer, found = read_layer(path, file)
        problems.append(found)
        visited.append(path.resolve())
        if layer is None:
            break
        layers.insert(0, layer)
        if layer.extends is None:
            break
        target = resolve_extends(layer.extends, path.parent)
        if isinstance(target, str):
            found.error(
                ("extends",), target, 'a bundled name like "default", or a path ending in .toml'
            )
            break
        if target.resolve() in visited:
            chain = " -> ".join(str(p) for p in [*visited, target.resolve()])
            found.error(
                ("extends",), f"extends cycle: {chain}", "a chain of profiles that ends in a base"
            )
            break
        path, file = target, str(target)
    return layers, problems


def merge_layers(layers: list[Layer], problems: dict[str, Problems]) -> Merged:
    """Stack layers (base first) by the merge rules above."""
    merged = Merged()
    # Rules by insertion number (a dict keeps order and removes in O(1)), and the numbers of
    # the rules of each name: a replacement by name never scans the rules before it.
    rules: dict[int, Rule] = {}
    numbers: dict[str, list[int]] = {}
    counter = itertools.count()
    for layer in layers:
        here = problems[layer.file]
        if layer.description is not None:
            merged.description = layer.description
        if layer.force_stop is not None:
            merged.force_stop = layer.force_stop
        if layer.quiet_calls is not None:
            merged.quiet_calls = layer.quiet_calls
        if layer.arm is not None:
            merged.arm = layer.arm
        if layer.timezone is not None:
            merged.timezone = layer.timezone
            merged.timezone_origin = Origin(layer.file, ("work_hours", "timezone"))
        for weekday, ranges in layer.days.items():
            merged.days[weekday] = ranges
            merged.day_origins[weekday] = Origin(layer.file, layer.day_paths[weekday])
        for day, name in layer.holidays.items():
            merged.extra_workdays.pop(day, None)
            merged.extra_origins.pop(day, None)
            merged.holidays[day] = name
            merged.holiday_origins[day] = Origin(layer.file, layer.holiday_paths[day])
        for day, works_as in layer.extra_workdays.items():
            merged.holidays.pop(day, None)
            merged.holiday_origins.pop(day, None)
            merged.extra_workdays[day] = works_as
            merged.extra_origins[day] = Origin(layer.file, layer.extra_paths[day])
        if layer.public_holidays is not None:
            merged.public_holidays = layer.public_holidays
            merged.public_origin = Origin(layer.file, ("work_hours", "public_holidays"))
        merged.overrides.extend(layer.overrides)
        merged.override_origins.extend(Origin(layer.file, p) for p in layer.override_paths)
        for entry in layer.rules:
            name = entry.rule.name
            earlier = numbers.get(name, [])
            if entry.explicit_name and earlier:
                for number in earlier:
                    del rules[number]
                numbers[name] = []
            if not entry.enabled:
                if not (entry.explicit_name and earlier):
                    here.warning(
                        (*entry.rule.key_path, "enabled"),
                        f'no earlier rule is named "{entry.rule.name}": '
                        "enabled = false has no effect",
                        "the name of a rule in a profile this one extends",
                    )
                continue
            number = next(counter)
            rules[number] = entry.rule
            numbers.setdefault(name, []).append(number)
        merged.catalog = merged.catalog.with_additions(layer.catalog)
    merged.rules = list(rules.values())
    return merged
