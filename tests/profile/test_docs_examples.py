"""Every TOML example in docs/profiles.md passes `profile check`, so the docs cannot rot."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hardener.profile import check_profile

DOC = Path(__file__).resolve().parents[2] / "docs" / "profiles.md"
BLOCKS = re.findall(r"```toml\n(.*?)```", DOC.read_text("utf-8"), re.DOTALL)


def test_the_document_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example_passes_check(index, write):
    block = BLOCKS[index]
    if block.lstrip().startswith(("holidays", "extra_workdays")):
        block = "[work_hours]\n" + block  # a fragment of [work_hours]
    if "extends" not in block:
        block = 'extends = "default"\n' + block  # fragments rely on the default's rules
    path = write(f"example{index}.toml", block)
    # before October: a calendar listing 2026 only is not yet short of 2027 (calendar_gaps)
    result = check_profile(path, now=datetime(2026, 9, 1, tzinfo=UTC))
    assert result.errors == () and result.warnings == (), [str(p) for p in result.errors]
