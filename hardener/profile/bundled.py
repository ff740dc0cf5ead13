"""The profiles that ship with hardener (top-level `profiles/`, installed as package data)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from hardener.errors import InputError


def bundled_profiles() -> dict[str, Path]:
    """Bundled profile names (file stems) and their paths, sorted by name.

    The files live in `profiles/` in the source tree; `hardener/profile/bundled` links to it
    and setuptools copies the files into the wheel, so this works from an installed package.
    """
    folder = resources.files("hardener.profile").joinpath("bundled")
    if not isinstance(folder, Path):  # pragma: no cover - only for zip imports
        raise InputError(
            "hardener is installed as a zip archive; bundled profiles need a regular install",
            hint="pip install hardener (not a zipapp), or pass a profile file path",
        )
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}
