"""What a command asks of a phone run (and of a fleet rollout), as frozen records, and their
defaults (once).

The command line builds them from its shared options (`hardener.cli.options`); the runner,
the fleet rollout and the CLI helpers take them instead of loose timeouts and folders, so a
new setting is one field here, not a parameter threaded through every call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

DEFAULT_AUTH_TIMEOUT = 30.0
MAX_AUTH_TIMEOUT = 3600.0  # an hour: longer is a typo, not a wait for a tap on the phone
DEFAULT_LOCK_TIMEOUT = 60.0
DEFAULT_TIMEOUT = 180.0
MIN_TIMEOUT = 0.1  # a round trip always takes some time; 0 would fail every one


def seconds_problem(value: float, *, least: float = 0.0, most: float = math.inf) -> str | None:
    """Why `value` is not a usable number of seconds from `least` to `most`, or None."""
    if not math.isfinite(value):  # nan passes every comparison below: refuse it by name
        return f"{value} is not a number of seconds; give e.g. 30"
    if value < least or value > most:
        upper = "" if math.isinf(most) else f" and at most {most:g}"
        return f"{value:g} seconds is out of range: give at least {least:g}{upper}"
    return None


@dataclass(frozen=True)
class PhoneOptions:
    """Which phone, where its journal lives, and how long to wait: for the tap on Allow
    (`auth_timeout`), for another hardener run on the same phone (`lock_timeout`), and for
    each round trip (`timeout`), all in seconds."""

    device: str | None = None  # a device spec; None: the only phone connected
    state_dir: Path | None = None  # None: $HARDENER_STATE_DIR, else $XDG_STATE_HOME/hardener
    auth_timeout: float = DEFAULT_AUTH_TIMEOUT
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        for name, least, most in (
            ("auth_timeout", 0.0, MAX_AUTH_TIMEOUT),
            ("lock_timeout", 0.0, math.inf),
            ("timeout", MIN_TIMEOUT, math.inf),
        ):
            problem = seconds_problem(getattr(self, name), least=least, most=most)
            if problem:
                raise ValueError(f"{name}: {problem}")


@dataclass(frozen=True)
class ProfileOptions:
    """Which profile, the moment to judge (`at`, ISO 8601 text as given; None: now), and the
    allowed-signers file every profile file must be signed for (`require_signed`)."""

    profile: str | None = None  # a file or bundled name; None: the inventory names them (fleet)
    at: str | None = None
    require_signed: Path | None = None


@dataclass(frozen=True)
class RolloutOptions:
    """How a fleet rollout goes: the inventory, how many phones at once, how many first as a
    canary, after how many failed phones to halt, where the report goes, and the name this
    host's rows carry in it (None: the computer's name)."""

    inventory: Path | None = None
    concurrency: int = 100
    canary: int = 0
    max_failures: int | None = None
    report: Path | None = None
    host: str | None = None
