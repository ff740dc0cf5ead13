"""Rules select apps and say what each may do; several matching rules combine by precedence.

Precedence, per capability or lever name (not per rule): a rule that names the package
exactly beats one that matches it by a glob, which beats one that matches it by category;
between rules of the same kind, the later one wins (so a profile's own rules beat the rules
of the profile it extends). Inside one rule, `never` beats `off_hours` beats `allowed`.
A name no matching rule mentions is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from hardener.android.catalog.catalog import is_package_name
from hardener.profile.locate import KeyPath

Decision = Literal["never", "off_hours", "allowed"]

# Match strengths, weakest first.
BY_CATEGORY = 1
BY_GLOB = 2
BY_PACKAGE = 3

_GLOB_CHARS = re.compile(r"[A-Za-z0-9_.*?\[\]!-]+")


def is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def glob_problem(pattern: str) -> str | None:
    """Why `pattern` is not a usable package name or glob, or None when it is."""
    if not pattern:
        return "an empty pattern selects nothing"
    if not is_glob(pattern):
        return None if is_package_name(pattern) else f'"{pattern}" is not a package name'
    if not _GLOB_CHARS.fullmatch(pattern):
        bad = sorted({char for char in pattern if not _GLOB_CHARS.fullmatch(char)})
        return f'"{pattern}" has characters no package name holds: {" ".join(bad)}'
    depth = 0
    for char in pattern:
        if char == "[":
            if depth:
                return f'"{pattern}" opens "[" twice'
            depth = 1
        elif char == "]" and depth:
            depth = 0
    if depth:
        return f'"{pattern}" has a "[" without its "]"'
    return None


@dataclass(frozen=True)
class Rule:
    """One `[[rules]]` entry after validation."""

    name: str
    categories: frozenset[str] = frozenset()
    packages: tuple[str, ...] = ()  # exact names and globs
    exclude: tuple[str, ...] = ()
    off_hours: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()
    dont_ask_again: bool | None = None  # None: this rule does not say
    file: str = ""  # where the rule was written, for problems and reports
    key_path: KeyPath = ()

    def strength(self, package: str, category: str) -> int:
        """How specifically this rule selects the app: 0 not at all, else BY_*."""
        if self.exclude and any(fnmatchcase(package, pattern) for pattern in self.exclude):
            return 0
        exact, globs = _split_patterns(self.packages)
        if package in exact:
            return BY_PACKAGE
        if globs and any(fnmatchcase(package, p) for p in globs):
            return BY_GLOB
        if category in self.categories:
            return BY_CATEGORY
        return 0

    def decisions(self) -> dict[str, Decision]:
        """Names this rule decides, with `never` > `off_hours` > `allowed` inside the rule."""
        decided: dict[str, Decision] = {}
        for decision, names in (
            ("allowed", self.allowed),
            ("off_hours", self.off_hours),
            ("never", self.never),
        ):
            for name in names:
                decided[name] = decision  # type: ignore[assignment]
        return decided


@lru_cache(maxsize=65536)
def _split_patterns(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Exact names and globs of a rule's `packages` (computed once per tuple)."""
    return frozenset(p for p in patterns if not is_glob(p)), tuple(
        p for p in patterns if is_glob(p)
    )


@dataclass(frozen=True)
class AppPolicy:
    """What one app may do under a profile; each name is in at most one of the three sets."""

    off_hours: frozenset[str]  # must be off outside work hours
    never: frozenset[str]  # must be off at all times
    allowed: frozenset[str]  # stays as the user has it, even if a weaker rule says otherwise
    dont_ask_again: bool  # revokes also set user-set + user-fixed
    rule_names: tuple[str, ...]  # every matching rule, weakest first
    decided_by: Mapping[str, str] = field(default_factory=dict)  # name -> deciding rule


def resolve_policy(rules: Sequence[Rule], package: str, category: str) -> AppPolicy | None:
    """Combine the rules that select the app; None when no rule selects it."""
    matched = sorted(
        (strength, order, rule)
        for order, rule in enumerate(rules)
        if (strength := rule.strength(package, category))
    )
    if not matched:
        return None
    decided: dict[str, Decision] = {}
    decided_by: dict[str, str] = {}
    dont_ask_again = False
    for _, _, rule in matched:
        for name, decision in rule.decisions().items():
            decided[name] = decision
            decided_by[name] = rule.name
        if rule.dont_ask_again is not None:
            dont_ask_again = rule.dont_ask_again

    def having(decision: Decision) -> frozenset[str]:
        return frozenset(name for name, value in decided.items() if value == decision)

    return AppPolicy(
        off_hours=having("off_hours"),
        never=having("never"),
        allowed=having("allowed"),
        dont_ask_again=dont_ask_again,
        rule_names=tuple(rule.name for _, _, rule in matched),
        decided_by=MappingProxyType(decided_by),
    )
