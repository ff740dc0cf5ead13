"""Reading a bugreport file (the zip `adb bugreport FILE` writes, or its text) for the
offline audits of `hardener.core.bugreport`: the only I/O of `--from-bugreport`."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from hardener.android.parsers.bugreport import BugreportSections, parse_bugreport
from hardener.core.bugreport import OfflineRead, assemble, discover
from hardener.core.snapshot import Discovery
from hardener.errors import InputError

MAX_TEXT_BYTES = 512 * 1024 * 1024  # a real bugreport is 10-100 MB of text


# ------------------------------------------------------------------------- reading the file


def read_text(path: str | Path) -> str:
    """The bugreport text of `path`: the zip `adb bugreport` writes (its `main_entry.txt`, or
    its one `bugreport-*.txt`) or that text itself. Raises `InputError` for anything else."""
    file = Path(path)
    try:
        if zipfile.is_zipfile(file):
            return _from_zip(file)
        with file.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read the bugreport {file}: {exc.strerror or exc}",
            hint="give the .zip that `adb bugreport FILE` wrote, or the bugreport-*.txt in it",
        ) from None
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            f"cannot read the bugreport zip {file}: it is damaged or cut short",
            hint="copy it again, or run `adb bugreport FILE` again",
        )
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{file} is larger than {MAX_TEXT_BYTES // 2**20} MiB of text")
    return data.decode("utf-8", "replace")


def _from_zip(file: Path) -> str:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            entry = ""
            if "main_entry.txt" in names:
                entry = archive.read("main_entry.txt").decode("utf-8", "replace").strip()
            if entry not in names:
                candidates = [
                    info for info in archive.infolist()
                    if re.fullmatch(r"bugreport-[^/]*\.txt", info.filename)
                ]  # fmt: skip
                # no main entry named: the largest text (dumpstate's own logs are small)
                entry = max(candidates, key=lambda i: i.file_size).filename if candidates else ""
            if not entry:
                raise InputError(
                    f"{file} is a zip without a bugreport text in it",
                    hint="it should hold main_entry.txt and bugreport-*.txt, as adb bugreport "
                    "writes",
                )
            if archive.getinfo(entry).file_size > MAX_TEXT_BYTES:
                raise InputError(f"{entry} in {file} is larger than {MAX_TEXT_BYTES} bytes")
            return archive.read(entry).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"cannot read the bugreport zip {file}: {exc}") from None


def bugreport_sections(path: str | Path) -> BugreportSections:
    """Every section of a bugreport file (for other offline readers, e.g. evidence):
    `.services["appops"]`, `.commands["SYSTEM PROPERTIES"]`, `.header`, `.taken_at`."""
    sections = parse_bugreport(read_text(path))
    if not sections.is_bugreport:
        raise InputError(
            f"{path} does not look like a bugreport (no dumpstate header, no sections)",
            hint="give the .zip that `adb bugreport FILE` wrote, or the bugreport-*.txt in it",
        )
    return sections


def read_offline(path: str | Path, choose: Callable[[Discovery], Iterable[str]]) -> OfflineRead:
    """Read a bugreport file like a phone: `choose` picks the packages once it is known."""
    sections = bugreport_sections(path)
    name = Path(path).name
    discovery = discover(sections, name)
    return OfflineRead(name, sections, discovery, assemble(sections, discovery, choose(discovery)))


def section_texts(path: str | Path) -> Mapping[str, str]:
    """Service dumps and command outputs of a bugreport by name (`appops`, `package`, …,
    `SYSTEM PROPERTIES`): the texts other offline readers parse themselves."""
    sections = bugreport_sections(path)
    return {**sections.commands, **sections.services}
