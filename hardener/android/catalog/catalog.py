"""The catalog of known workplace and social apps, read from `apps.toml`.

Keeping the list as data (not code) lets a profile add or re-categorise packages without a
release, and lets reviewers check package names against sources line by line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

WORKPLACE = "workplace"
SOCIAL = "social"
OTHER = "other"
# Categories a profile may name; "other" is every package the catalog does not list.
CATEGORIES: tuple[str, ...] = (WORKPLACE, SOCIAL, OTHER)

# Android package names: dot-separated segments, each a letter then letters, digits or "_",
# at least two segments (PackageParser.validateName). Anything else never reaches a shell.
_PACKAGE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+")


def is_package_name(text: str) -> bool:
    """Whether `text` is a syntactically valid Android package name."""
    return _PACKAGE_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class CatalogApp:
    """One known package: what it is called and which category it falls in."""

    package: str
    name: str
    category: str
    region: tuple[str, ...] = ()
    variant_of: str | None = None  # the main package of a lite/business/older build
    note: str = ""


@dataclass(frozen=True)
class Catalog:
    """Known apps by package; lookups of unknown packages answer category `other`."""

    apps: Mapping[str, CatalogApp] = field(default_factory=dict)

    def get(self, package: str) -> CatalogApp | None:
        return self.apps.get(package)

    def category_of(self, package: str) -> str:
        app = self.apps.get(package)
        return app.category if app else OTHER

    def name_of(self, package: str) -> str:
        """Display name, or the package itself when the catalog does not know it."""
        app = self.apps.get(package)
        return app.name if app else package

    def packages(self, category: str | None = None) -> tuple[str, ...]:
        """Known packages, sorted; only those of `category` when given."""
        return tuple(sorted(p for p, app in self.apps.items() if category in (None, app.category)))

    def with_additions(self, additions: Iterable[CatalogApp]) -> Catalog:
        """A new catalog where `additions` add packages or replace their category/name.

        An addition without a name keeps the name the catalog already had, so a profile
        can move WeChat to `workplace` without renaming it.
        """
        apps = dict(self.apps)
        for addition in additions:
            known = apps.get(addition.package)
            if known is not None and addition.name in ("", addition.package):
                addition = replace(
                    addition,
                    name=known.name,
                    region=addition.region or known.region,
                    variant_of=addition.variant_of or known.variant_of,
                    note=addition.note or known.note,
                )
            elif not addition.name:
                addition = replace(addition, name=addition.package)
            apps[addition.package] = addition
        return Catalog(MappingProxyType(apps))

    def __contains__(self, package: object) -> bool:
        return package in self.apps

    def __iter__(self) -> Iterator[CatalogApp]:
        return iter(self.apps[p] for p in sorted(self.apps))

    def __len__(self) -> int:
        return len(self.apps)


def parse_catalog(data: Mapping[str, Any]) -> Catalog:
    """Build a catalog from the TOML tables `[workplace]` and `[social]`.

    Raises ValueError on malformed data: the file ships with hardener and is checked by the
    tests, so a bad entry is a packaging bug, not user input.
    """
    apps: dict[str, CatalogApp] = {}
    for category, table in data.items():
        if category not in (WORKPLACE, SOCIAL):
            raise ValueError(f"apps.toml: unknown category table [{category}]")
        for package, entry in table.items():
            if not is_package_name(package):
                raise ValueError(f"apps.toml: {package!r} is not a package name")
            if package in apps:
                raise ValueError(f"apps.toml: {package} is listed twice")
            unknown = set(entry) - {"name", "region", "variant_of", "note"}
            if unknown:
                raise ValueError(f"apps.toml: {package}: unknown fields {sorted(unknown)}")
            apps[package] = CatalogApp(
                package=package,
                name=str(entry["name"]),
                category=category,
                region=tuple(entry.get("region", ())),
                variant_of=entry.get("variant_of"),
                note=str(entry.get("note", "")),
            )
    for app in apps.values():
        if app.variant_of is not None and app.variant_of not in apps:
            raise ValueError(f"apps.toml: {app.package} is a variant of unknown {app.variant_of}")
    return Catalog(MappingProxyType(apps))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog shipped with hardener (read once per process)."""
    text = resources.files("hardener.android.catalog").joinpath("apps.toml").read_text("utf-8")
    return parse_catalog(tomllib.loads(text))
