"""Fleet reports read back by `fleet merge`: statuses are a closed vocabulary, and a record
that does not decode is bad input (exit 2, file and device named), never a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hardener.errors import EXIT_BAD_INPUT, InputError
from hardener.fleet.report import read_report, report_document, write_report
from hardener.fleet.rollout import DeviceResult, PhoneStatus


def results() -> list[DeviceResult]:
    return [
        DeviceResult("127.0.0.1:5601", "sales", "default", PhoneStatus.OK, 0, host="a",
                     counts={"applied": 3}),
        DeviceResult("127.0.0.1:5602", "lab", "strict", PhoneStatus.UNREACHABLE, 3, host="b"),
    ]  # fmt: skip


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_written_report_reads_back_with_typed_statuses(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"host{suffix}"
    write_report(path, report_document("apply", results(), datetime.now(UTC)), results())
    back = read_report(path)
    assert [r.status for r in back] == [PhoneStatus.OK, PhoneStatus.UNREACHABLE]
    assert all(type(r.status) is PhoneStatus for r in back)
    assert back[0].counts["applied"] == 3


def test_the_status_words_are_unchanged() -> None:
    assert [s.value for s in PhoneStatus] == ["ok", "findings", "failed", "unreachable", "skipped"]


def test_an_unknown_status_is_bad_input_naming_file_and_device(tmp_path: Path) -> None:
    path = tmp_path / "host.json"
    write_report(path, report_document("apply", results(), datetime.now(UTC)), results())
    document = json.loads(path.read_text())
    document["devices"][1]["status"] = "exploded"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as caught:
        read_report(path)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert str(path) in caught.value.message and "device 2" in caught.value.message
    assert "'exploded'" in caught.value.message
    assert caught.value.hint and "unreachable" in caught.value.hint


@pytest.mark.parametrize(
    ("field", "value"), [("status", None), ("counts", {"applied": "many"}), ("counts", 3)]
)
def test_a_malformed_record_is_bad_input(tmp_path: Path, field: str, value: object) -> None:
    path = tmp_path / "host.json"
    write_report(path, report_document("apply", results(), datetime.now(UTC)), results())
    document = json.loads(path.read_text())
    document["devices"][0][field] = value
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match="device 1 is not a fleet report record"):
        read_report(path)


def test_a_csv_count_that_is_not_a_number_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "host.csv"
    write_report(path, report_document("apply", results(), datetime.now(UTC)), results())
    path.write_text(path.read_text().replace(",3,", ",three,", 1))
    with pytest.raises(InputError, match="device 1 is not a fleet report record"):
        read_report(path)
