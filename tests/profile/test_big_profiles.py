"""`profile check` on thousands of rules grows linearly (it was quadratic: 81 s for 20,000).

Work is measured by counting the lines of hardener's own code that run (line events, which
also fire on every loop iteration), never by timing: twice the rules must cost about twice
the work, where a quadratic merge or check costs four times. Timings: scripts/bench.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

from hardener.profile import check_profile, load_profile

HARDENER = str(Path(__file__).resolve().parents[2] / "hardener")


def big_profile(path: Path, rules: int) -> Path:
    lines = ["schema = 1", "[work_hours]", 'weekdays = ["09:00-18:00"]']
    for i in range(rules):
        lines += [
            "[[rules]]",
            f'name = "rule {i}"',
            f'packages = ["com.example.app{i}"]',
            'off_hours = ["contacts"]',
        ]
        if i % 50 == 0:
            lines.append(f'exclude = ["com.example.app{i}x*"]')
    listed = ", ".join(f'"com.example.app{i}"' for i in range(rules))
    lines += ["[catalog]", f"workplace = [{listed}]"]
    path.write_text("\n".join(lines) + "\n")
    return path


def lines_run(action: Any) -> int:
    count = 0

    def tracer(frame: FrameType, event: str, _arg: object) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(HARDENER):
            return None
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        action()
    finally:
        sys.settrace(previous)
    return count


def test_twice_the_rules_cost_about_twice_the_work(tmp_path):
    small = big_profile(tmp_path / "small.toml", 300)
    large = big_profile(tmp_path / "large.toml", 600)
    assert check_profile(small).ok and check_profile(large).ok
    ratio = lines_run(lambda: check_profile(large)) / lines_run(lambda: check_profile(small))
    assert ratio < 2.4, f"600 rules cost {ratio:.2f}x the work of 300: not linear"


def test_later_rules_still_replace_earlier_ones_by_name(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text(
        'schema = 1\n[work_hours]\nweekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "a"\ncategories = ["workplace"]\noff_hours = ["contacts"]\n'
        '[[rules]]\nname = "b"\ncategories = ["social"]\nnever = ["background_location"]\n'
        '[[rules]]\nname = "c"\ncategories = ["workplace"]\noff_hours = ["camera"]\n'
    )
    child = tmp_path / "child.toml"
    child.write_text(
        'schema = 1\nextends = "base.toml"\n'
        '[[rules]]\nname = "a"\ncategories = ["workplace"]\noff_hours = ["location"]\n'
        '[[rules]]\nname = "c"\nenabled = false\n'
    )
    rules = load_profile(child).rules
    assert [r.name for r in rules] == ["b", "a"]
    assert rules[1].off_hours == frozenset({"location"})
