"""Huge or hostile lines must not make any parser hang (no quadratic regex backtracking).

A phone's output is not under hardener's control; one odd app name or a corrupted capture
must cost milliseconds, not minutes.
"""

from __future__ import annotations

import pytest
from parsers_support import PARSERS

N = 20_000
CASES = {
    "dotted run": "a." * N,
    "repeated user info": "UserInfo{1:" * N,
    "colons": ":" * N,
    "error with dotted class": "Error: " + "a." * N + "b",
    "open service list": "Enabled services:{" + "a." * N,
    "blanks": " " * N + "x",
    "brackets": "[" * N,
    "pairs": "a=b " * N,
    "permission words": "Permission " * N,
    "neither user": "Neither user 2000 nor current process has " + "a" * N + " x",
    "package line": "package:" + "a=b" * N + " uid:1" * N,
    "slashes": "a/" * N,
    "component runs": "installed services: {\n" + ("a." * N + "/b ") * 3,
    "uid mode runs": "Uid mode: " + "A_" * N + ": allow\n" + "B: ignore\n" * N,
    "package headers": "  Package [" * N,
}


@pytest.mark.timeout(120)  # catastrophic backtracking would take hours, not seconds
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_lines_parse_without_blowing_up(name: str) -> None:
    """Lines built to make a regex backtrack parse at all (the timeout is the guard; speed is
    measured by scripts/bench.py, never asserted here: timed asserts fail on busy machines)."""
    text = CASES[name]
    for parser in PARSERS:
        parser(text)
