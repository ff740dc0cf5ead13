"""Public holidays from the `holidays` package: `[work_hours] public_holidays = {country, ...}`.

    [work_hours]
    public_holidays = { country = "FR", subdivision = "57" }   # Moselle: 26 December too

Any country (ISO 3166-1 alpha-2) and subdivision the package knows, for the years around
the day the profile is loaded (the year before it to five years on: a timer reloads the
profile at every run). The dates join the profile's own `holidays`; a date the profile lists
in `extra_workdays` stays a workday. China's make-up workdays are in no library: the bundled
`china-workplace` profile keeps them in TOML. A year the package has no holidays for (past
its calendar's range, or unpublished) is reported as a warning, never guessed. Pure: the
package computes dates, it reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

YEARS_BEFORE = 1
YEARS_AFTER = 5
KEYS = ("country", "subdivision", "language")


@dataclass(frozen=True)
class PublicHolidays:
    """Where the profile's public holidays come from."""

    country: str
    subdivision: str | None = None
    language: str | None = None

    def describe(self) -> str:
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"{where} (holidays package {package_version()})"


def package_version() -> str:
    import holidays

    return str(getattr(holidays, "__version__", "?"))


@lru_cache(maxsize=1)
def supported() -> dict[str, tuple[str, ...]]:
    """Country code -> its subdivision codes, as the installed package knows them."""
    import holidays

    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


@lru_cache(maxsize=256)
def aliases(country: str) -> dict[str, str]:
    """Subdivision names the package accepts for a code (e.g. "Moselle" -> "57")."""
    import holidays

    calendar = holidays.country_holidays(country, years=[])
    return dict(getattr(calendar, "subdivisions_aliases", {}) or {})


def problem(source: PublicHolidays) -> tuple[str, str, str] | None:
    """(key, message, expected) when the package cannot give these holidays; else None."""
    known = supported()
    if source.country not in known:
        close = sorted(c for c in known if c[:1] == source.country[:1])[:12]
        return (
            "country",
            f'"{source.country}" is not a country the holidays package knows',
            "an ISO 3166-1 alpha-2 code such as "
            + ", ".join(f'"{c}"' for c in (close or ["FR", "DE", "US"])),
        )
    if source.subdivision is not None:
        subdivisions = known[source.country]
        if source.subdivision not in subdivisions and source.subdivision not in aliases(
            source.country
        ):
            listed = ", ".join(f'"{s}"' for s in subdivisions[:40]) or "none for this country"
            return (
                "subdivision",
                f'"{source.subdivision}" is not a subdivision of {source.country}',
                f"one of {listed}",
            )
    if source.language is not None:
        import holidays

        calendar = holidays.country_holidays(source.country, years=[])
        languages = tuple(getattr(calendar, "supported_languages", ()) or ())
        if source.language not in languages:
            return (
                "language",
                f'"{source.language}" is not a language of {source.country}\'s calendar',
                "one of " + (", ".join(f'"{x}"' for x in languages) or "(none: leave it out)"),
            )
    return None


def window(today: date) -> range:
    return range(today.year - YEARS_BEFORE, today.year + YEARS_AFTER + 1)


def dates(source: PublicHolidays, years: Iterable[int]) -> tuple[dict[date, str], list[int]]:
    """The holidays of `years` (date -> name), and the years the package has none for."""
    import holidays

    wanted = sorted(set(years))
    calendar = holidays.country_holidays(
        source.country, subdiv=source.subdivision, years=wanted, language=source.language
    )
    start = int(getattr(calendar, "start_year", wanted[0] if wanted else 0))
    end = int(getattr(calendar, "end_year", wanted[-1] if wanted else 0))
    found = {day: str(name) for day, name in calendar.items() if day.year in wanted}
    missing = [
        year
        for year in wanted
        if not start <= year <= end or not any(day.year == year for day in found)
    ]
    return found, missing
