"""Issue 11, fleet: phones by identity not spelling, merge refuses what it cannot add up,
bad profiles and report paths are exit 2 before any phone is touched."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from hardener.fleet.identity import identity

EVENING = "2026-11-24T20:00"


def write_inventory(tmp_path: Path, devices: list[str], extra: str = "", profile: str = "default"):
    path = tmp_path / "inventory.toml"
    path.write_text(
        f'[defaults]\nprofile = "{profile}"\nauth_timeout = 5\n'
        f'[[groups]]\nname = "office"\ndevices = {json.dumps(devices)}\n{extra}'
    )
    return path


@pytest.fixture
def phone(virtual_phone, cli):
    made = virtual_phone()
    assert cli("scan", "--device", made.spec).exit_code == 0  # trusted
    return made


def port_of(phone) -> int:
    return int(phone.spec.rsplit(":", 1)[1])


def test_identity_ignores_spelling():
    same = {"tcp:127.0.0.1:5601", "127.0.0.1:5601", "localhost:5601", "server:127.0.0.1:5601",
            "tcp:[::1]:5601", "tcp:LOCALHOST:5601"}  # fmt: skip
    assert {identity(s) for s in same} == {"tcp:127.0.0.1:5601"}
    assert identity("R58M") == identity("usb:R58M") == identity("server:R58M")
    assert identity("127.0.0.1:5602") != identity("127.0.0.1:5601")


def test_one_phone_in_three_spellings_runs_once(phone, cli, tmp_path):
    port = port_of(phone)
    path = write_inventory(tmp_path, [f"127.0.0.1:{port}", f"tcp:127.0.0.1:{port}",
                                      f"localhost:{port}"])  # fmt: skip
    result = cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--json")
    assert result.exit_code == 0, result.stderr
    assert len(result.json()["devices"]) == 1
    assert result.stderr.count("is listed twice") == 2


def test_an_override_finds_its_phone_whatever_the_spelling(phone, cli, tmp_path):
    port = port_of(phone)
    extra = f'[overrides."tcp:localhost:{port}"]\nskip = true\n'
    path = write_inventory(tmp_path, [f"127.0.0.1:{port}"], extra)
    result = cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--json")
    assert "skipped by its override" in result.stderr
    assert result.exit_code == 3 and "no phone to work on" in result.stderr


def test_an_override_for_a_phone_in_no_group_is_an_error(cli, tmp_path):
    path = write_inventory(
        tmp_path, ["127.0.0.1:5601"], '[overrides."127.0.0.1:5602"]\nskip = true\n'
    )
    result = cli("fleet", "apply", "-i", str(path))
    assert result.exit_code == 2
    assert 'overrides."127.0.0.1:5602": this phone is in no group' in result.stderr
    two = write_inventory(
        tmp_path, ["127.0.0.1:5601"],
        '[overrides."127.0.0.1:5601"]\nskip = true\n[overrides."localhost:5601"]\nskip = false\n',
    )  # fmt: skip
    result = cli("fleet", "apply", "-i", str(two))
    assert result.exit_code == 2 and "the same phone as" in result.stderr


@pytest.mark.parametrize("profile", ["missing.toml", "broken.toml"])
def test_a_missing_or_broken_profile_is_exit_2_before_any_phone(phone, cli, tmp_path, profile):
    (tmp_path / "broken.toml").write_text('schema = 1\n[work_hours]\nweekdays = ["9-5"]\n')
    path = write_inventory(tmp_path, [phone.spec], profile=profile)
    trips = phone.round_trips()
    result = cli("fleet", "apply", "-i", str(path), "--at", EVENING)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "no phone was touched" in result.stderr
    assert phone.round_trips() == trips


def test_a_report_path_that_cannot_be_written_is_exit_2_before_any_phone(phone, cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    path = write_inventory(tmp_path, [phone.spec])
    trips = phone.round_trips()
    result = cli("fleet", "apply", "-i", str(path), "--at", EVENING,
                 "--report", str(blocker / "out.json"))  # fmt: skip
    assert result.exit_code == 2 and "no phone was touched" in result.stderr
    assert phone.round_trips() == trips


def test_the_report_folder_keeps_its_mode(phone, cli, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    path = write_inventory(tmp_path, [phone.spec])
    report = shared / "out.json"
    result = cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--report", str(report))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777  # never chmod'ed to 0700
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    fresh = tmp_path / "new" / "deeper" / "out.csv"
    assert (
        cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--report", str(fresh)).exit_code
        == 0
    )
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700  # made by hardener: private


def test_merge_counts_a_report_once_and_refuses_mixed_kinds(phone, cli, tmp_path):
    path = write_inventory(tmp_path, [phone.spec])
    audit, apply_a, apply_b = tmp_path / "audit.json", tmp_path / "a.json", tmp_path / "b.csv"
    cli("fleet", "audit", "-i", str(path), "--at", EVENING, "--report", str(audit))
    cli("fleet", "apply", "-i", str(path), "--at", EVENING, "--report", str(apply_a))
    cli("fleet", "apply", "-i", str(path), "--at", EVENING, "--report", str(apply_b))
    twice = cli("fleet", "merge", str(apply_a), str(apply_a), "--json")
    assert twice.exit_code == 0, twice.stderr
    assert len(twice.json()["devices"]) == 1 and "counted once" in twice.stderr
    mixed = cli("fleet", "merge", str(audit), str(apply_a))
    assert mixed.exit_code == 2 and "different kinds" in mixed.stderr
    assert "audit report" in mixed.stderr and "apply report" in mixed.stderr
    both = cli("fleet", "merge", str(apply_a), str(apply_b))
    assert both.exit_code == 2 and "is in both" in both.stderr
    merged = tmp_path / "all.json"
    assert cli("fleet", "merge", str(apply_a), "--report", str(merged)).exit_code == 0
    again = cli("fleet", "merge", str(merged), str(audit))  # a merged report keeps its kind
    assert again.exit_code == 2 and "different kinds" in again.stderr
