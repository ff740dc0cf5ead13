"""Reading a bugreport file (zip or text) into sections and a snapshot, without a network."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hardener.core.bugreport import CANNOT_SHOW
from hardener.device.bugreport import bugreport_sections, read_offline, section_texts
from hardener.errors import InputError
from hardener.sim.android import load_persona
from hardener.sim.android.dumpstate import bugreport_zip


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, object]:
    when = datetime(2026, 11, 24, 21, 5, 13, tzinfo=UTC)
    # frozen at the bugreport's moment: its apps behave only when the test moves the clock,
    # so the live dumps below are those of that moment
    phone = load_persona("pixel-14", clock=when, real_time=False)
    commands = phone._shell.commands
    path = tmp_path_factory.mktemp("br") / "report.zip"
    path.write_bytes(bugreport_zip(phone.model, commands, when))
    return path, phone


def test_section_texts_are_the_live_outputs(report):
    path, phone = report
    texts = section_texts(path)
    assert texts["appops"] == phone.run("dumpsys appops").stdout.decode()
    assert texts["SYSTEM PROPERTIES"] == phone.run("getprop").stdout.decode()
    assert bugreport_sections(path).taken_at == "2026-11-24 21:05:13"


def test_the_text_alone_reads_the_same(report, tmp_path):
    path, _ = report
    with zipfile.ZipFile(path) as archive:
        main = archive.read("main_entry.txt").decode()
        (tmp_path / "x.txt").write_bytes(archive.read(main))
    assert section_texts(tmp_path / "x.txt") == section_texts(path)


def without_main_entry(path: Path, copy_path: Path, **more: str) -> Path:
    """A copy of the zip without `main_entry.txt`, with `more` entries added."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy_path, "w") as copy:
        for name in source.namelist():
            if name != "main_entry.txt":
                copy.writestr(name, source.read(name))
        for name, text in more.items():
            copy.writestr(name, text)
    return copy_path


def test_a_zip_without_main_entry_finds_its_one_bugreport_text(report, tmp_path):
    path, _ = report
    assert section_texts(without_main_entry(path, tmp_path / "y.zip")) == section_texts(path)


def test_a_missing_section_is_a_problem_not_a_crash(report, tmp_path):
    path, _ = report
    text = section_texts(path)
    full = bugreport_sections(path)
    cut = Path(tmp_path / "cut.txt")
    with zipfile.ZipFile(path) as archive:
        body = archive.read(archive.read("main_entry.txt").decode()).decode()
    cut.write_text(body.replace("DUMP OF SERVICE usagestats:", "DUMP OF SERVICE other:"))
    offline = read_offline(cut, lambda _discovery: ["com.ss.android.lark"])
    assert any("DUMP OF SERVICE usagestats" in p for p in offline.snapshot.problems)
    assert offline.snapshot.apps and offline.snapshot.apps[0].standby_bucket is None
    assert offline.cannot_show == CANNOT_SHOW
    assert full.services["usagestats"] == text["usagestats"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"PK\x03\x04 not really a zip", "cannot read"), (b"hello\n", "does not look like")],
)
def test_bad_files_are_input_errors(tmp_path, content, message):
    bad = tmp_path / "bad"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message):
        section_texts(bad)


def test_a_zip_without_a_bugreport_is_an_input_error(tmp_path):
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as archive:
        archive.writestr("a.txt", "a")
        archive.writestr("b.txt", "b")
    with pytest.raises(InputError, match="without a bugreport text"):
        section_texts(tmp_path / "z.zip")


def test_a_zip_without_main_entry_and_two_texts_reads_the_largest(report, tmp_path):
    path, _ = report
    log = {"bugreport-dumpstate_log.txt": "a short log\n"}
    assert section_texts(without_main_entry(path, tmp_path / "w.zip", **log)) == section_texts(path)


def test_the_evidence_reads_a_bugreport_through_the_same_reader(report):
    """`evidence --from-bugreport` and `scan|audit --from-bugreport` share one sectioner:
    the evidence's app-ops records are those of the section the audits read."""
    from hardener.android.parsers.appops_access import parse_last_access
    from hardener.device.evidence_read import read_bugreport

    path, phone = report
    data = read_bugreport(path)
    assert data.source == "bugreport"
    assert data.device.serial == phone.serial()
    assert data.device.sdk == 34 and data.device.timezone
    assert data.last == tuple(parse_last_access(section_texts(path)["appops"]))
