"""The functional core loads no I/O: importing any pure module in a fresh interpreter must
not bring in sockets, file locks, subprocesses, the ADB library or hardener's own I/O
layers (device/, state/). One subprocess checks every module, so a new module is covered
the day it is added."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("hardener/core", "hardener/android", "hardener/profile")
FORBIDDEN = (
    *("socket", "fcntl", "subprocess", "adb_shell", "usb1"),
    *("hardener.device", "hardener.state"),
)

CHECK = """
import importlib, json, sys
forbidden = tuple(sys.argv[2].split(","))
forbidden_parents = tuple(f + "." for f in forbidden)
report = {}
for name in sys.argv[1].split(","):
    before = set(sys.modules)
    importlib.import_module(name)
    new = sorted(set(sys.modules) - before)
    bad = [m for m in new if m in forbidden or m.startswith(forbidden_parents)]
    if bad:
        report[name] = bad
print(json.dumps(report))
"""


def pure_modules(root: Path = ROOT) -> list[str]:
    names = []
    for package in PURE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            names.append(".".join(parts))
    return names


def loaded_io(modules: list[str], path: Path = ROOT) -> dict[str, list[str]]:
    """Import `modules` in turn in one fresh interpreter: for each, the forbidden modules its
    import brought in (a forbidden module shows under the first pure module that loads it,
    so any at all is a failure)."""
    run = subprocess.run(
        [sys.executable, "-c", CHECK, ",".join(modules), ",".join(FORBIDDEN)],
        capture_output=True, text=True, cwd=path, check=True,
        env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return dict(json.loads(run.stdout))


def test_every_pure_module_imports_no_io() -> None:
    modules = pure_modules()
    assert "hardener.core.plan" in modules and "hardener.android.parsers" in modules
    assert loaded_io(modules) == {}


def test_the_check_catches_a_core_module_that_imports_the_transport(tmp_path: Path) -> None:
    """The same check on a copy of the tree in which one core module imports the transport."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "hardener", copy / "hardener")
    plan = copy / "hardener" / "core" / "plan.py"
    plan.write_text(plan.read_text() + "\nfrom hardener.device.transport import base  # noqa\n")
    found = loaded_io(["hardener.core.plan"], copy)
    assert "hardener.core.plan" in found
    assert "hardener.device.transport" in found["hardener.core.plan"]


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_forbidden_names_are_real_modules_or_hardener_layers(forbidden: str) -> None:
    if forbidden.startswith("hardener."):
        assert (ROOT / forbidden.replace(".", "/")).is_dir()
    else:
        assert forbidden in sys.stdlib_module_names or forbidden in ("adb_shell", "usb1")
