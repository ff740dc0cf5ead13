"""The bugreport sections the evidence reads: found in text and zips; anything else refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.android.bugreport_appops import (
    NotABugreport,
    bugreport_text,
    service_section,
    system_properties,
)

TEXT = (
    "== dumpstate: 2026-11-23 09:00:00\n"
    "------ SYSTEM PROPERTIES (getprop) ------\n"
    "[ro.build.version.sdk]: [34]\n[persist.sys.timezone]: [Europe/Berlin]\n"
    "------ 0.011s was the duration of 'SYSTEM PROPERTIES' ------\n"
    + "-"
    * 79
    + "\nDUMP OF SERVICE appops:\nCurrent AppOps Service state:\n  Uid u0a1:\n"
    "--------- 0.004s was the duration of dumpsys appops, ending at: 2026-11-23\n"
    + "-" * 79
    + "\nDUMP OF SERVICE package:\nPackages:\n"
)


def zipped(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_sections_of_the_text():
    assert service_section(TEXT, "appops") == "Current AppOps Service state:\n  Uid u0a1:\n"
    assert service_section(TEXT, "package") == "Packages:\n"
    assert service_section(TEXT, "usagestats") is None
    assert system_properties(TEXT) == {
        "ro.build.version.sdk": "34",
        "persist.sys.timezone": "Europe/Berlin",
    }


def test_the_main_entry_of_a_zip_or_its_largest_bugreport_text():
    named = zipped({"main_entry.txt": "bugreport-a.txt", "bugreport-a.txt": TEXT, "x.txt": "y"})
    assert bugreport_text(named) == TEXT
    unnamed = zipped({"bugreport-a.txt": TEXT, "bugreport-b.txt": "short", "version.txt": "2.0"})
    assert bugreport_text(unnamed) == TEXT
    with pytest.raises(NotABugreport, match="no bugreport"):
        bugreport_text(zipped({"photo.txt": "hello"}))
    with pytest.raises(NotABugreport, match="not a bugreport"):
        bugreport_text(b"just some notes\n")


@given(st.binary(max_size=300))
def test_any_bytes_are_a_bugreport_or_refused(data):
    try:
        text = bugreport_text(data)
    except NotABugreport:
        return
    service_section(text, "appops")
    system_properties(text)


@given(st.text(max_size=300))
def test_sections_never_raise(text):
    service_section(text, "appops")
    system_properties(text)
