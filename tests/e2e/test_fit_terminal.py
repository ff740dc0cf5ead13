"""scan, audit and doctor fit an 80-column terminal (a compact layout, wrapping, an ellipsis
where text is cut); a wide terminal keeps the full tables. Widths count CJK as two columns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.core.textfit import ELLIPSIS, cut, table, width

EVENING = "2026-11-24T20:00"


def widest(text: str) -> int:
    return max((width(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("persona", ["pixel-14", "xiaomi-hyperos-14", "samsung-oneui-work"])
def test_scan_audit_and_doctor_fit_80_columns(cli, virtual_phone, monkeypatch, tmp_path, persona):
    monkeypatch.setenv("COLUMNS", "80")
    phone = virtual_phone(persona)
    scan = cli("scan", "--device", phone.spec)
    assert scan.exit_code == 0, scan.stderr
    assert widest(scan.stdout) <= 80
    assert "capabilities, in order: cont loc" in scan.stdout
    audit = cli("audit", "-p", "default", "--device", phone.spec, "--at", EVENING,
                "--state-dir", str(tmp_path))  # fmt: skip
    assert audit.exit_code in (0, 1), audit.stderr
    assert widest(audit.stdout) <= 80
    assert "enforce would:" in audit.stdout
    doctor = cli("doctor", "--device", phone.spec)
    assert doctor.exit_code in (0, 1, 4), doctor.stderr
    assert widest(doctor.stdout) <= 80


def test_a_wide_terminal_keeps_the_full_table(cli, virtual_phone, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    phone = virtual_phone()
    scan = cli("scan", "--device", phone.spec)
    header = next(line for line in scan.stdout.splitlines() if line.startswith("app "))
    assert "cont" in header and "package" in header and "capabilities" not in header


@given(st.text(), st.integers(min_value=0, max_value=40))
def test_cut_fits_and_says_so(text, limit):
    shown = cut(text, limit)
    assert width(shown) <= max(limit, 0)
    if shown != text:
        assert shown.endswith(ELLIPSIS) or limit == 0


def test_a_table_gives_way_widest_first_and_counts_cjk_as_two():
    rows = [["钉钉 DingTalk workplace app", "com.alibaba.android.rimet", "●●○"]]
    text = table(["app", "package", "caps"], rows, 40, keep=(2,))
    assert widest(text) <= 40
    assert "●●○" in text and ELLIPSIS in text
