"""Huge or hostile lines must not make any parser hang (no quadratic regex backtracking).

A phone's output is not under hardener's control; one odd app name or a corrupted capture
must cost milliseconds, not minutes.
"""

from __future__ import annotations

import time

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


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_lines_parse_quickly(name: str) -> None:
    text = CASES[name]
    for parser in PARSERS:
        started = time.perf_counter()
        parser(text)
        elapsed = time.perf_counter() - started
        assert elapsed < 2.0, f"{parser} took {elapsed:.1f}s on {name}"
