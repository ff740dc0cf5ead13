"""Fixtures for the virtual phone's Android model: personas and the real captures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# The line grammars live in a plain module next to the tests (importlib import mode does
# not put test directories on sys.path).
sys.path.insert(0, str(Path(__file__).parent))

from hardener.sim.android import AndroidDevice, load_persona, persona_names

CAPTURES = Path(
    os.environ.get("HARDENER_CAPTURES")
    or Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "android"
)


@pytest.fixture(scope="session")
def captures() -> Path:
    if not CAPTURES.is_dir():
        pytest.skip(f"real captures not found at {CAPTURES}")
    return CAPTURES


@pytest.fixture(params=persona_names())
def phone(request: pytest.FixtureRequest) -> AndroidDevice:
    """A fresh phone of each bundled persona."""
    return load_persona(request.param)


@pytest.fixture
def pixel() -> AndroidDevice:
    return load_persona("pixel-14")


@pytest.fixture
def xiaomi() -> AndroidDevice:
    return load_persona("xiaomi-hyperos-14")


@pytest.fixture
def samsung() -> AndroidDevice:
    return load_persona("samsung-oneui-work")


@pytest.fixture
def legacy9() -> AndroidDevice:
    return load_persona("android9-legacy")
