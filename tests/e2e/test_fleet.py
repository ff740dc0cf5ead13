"""Issue 6, fleet: many virtual phones in parallel, failures contained, canary, reports, merge."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

EVENING = "2026-11-24T20:00"


def inventory(
    tmp_path: Path, specs: list[str], *, profile: str = "default", extra: str = ""
) -> Path:
    path = tmp_path / "inventory.toml"
    devices = ", ".join(json.dumps(s) for s in specs)
    path.write_text(
        f'[defaults]\nprofile = "{profile}"\nauth_timeout = 5\n'
        f'[[groups]]\nname = "office"\ndevices = [{devices}]\n{extra}'
    )
    return path


@pytest.fixture
def fleet_of(virtual_phone, cli):
    """`fleet_of(n, xiaomi_at=None, dropping_at=None)`: n trusted phones, some that fail."""

    def make(count: int, *, xiaomi_at: int | None = None, dropping_at: int | None = None):
        phones = []
        for index in range(count):
            persona = "xiaomi-hyperos-14" if index == xiaomi_at else "pixel-14"
            phone = virtual_phone(persona, serial=f"FLEET{index:04d}")
            assert cli("scan", "--device", phone.spec).exit_code == 0  # trusted, like a real fleet
            phones.append(phone)
        if dropping_at is not None:
            phones[dropping_at].faults.arm(drop_after_commands=10)
        return phones

    return make


def test_twenty_phones_two_fail_and_the_report_says_so(fleet_of, cli, tmp_path):
    phones = fleet_of(20, xiaomi_at=5, dropping_at=13)
    path = inventory(tmp_path, [p.spec for p in phones])
    report = tmp_path / "report.json"
    result = cli(
        "fleet", "apply", "-i", str(path), "--at", EVENING, "--report", str(report), "-j", "8"
    )
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "20 phones: 1 failed, 18 ok, 1 unreachable" in result.stdout
    document = json.loads(report.read_text())
    by_spec = {d["spec"]: d for d in document["devices"]}
    refused = by_spec[phones[5].spec]
    assert refused["status"] == "failed" and refused["exit_code"] == 4
    assert any("Neither user 2000" in r for r in refused["refusals"])
    dropped = by_spec[phones[13].spec]
    assert dropped["status"] == "unreachable" and dropped["exit_code"] == 3
    assert "lost" in dropped["error"].lower() or "drop" in dropped["error"].lower()
    ok = [d for d in document["devices"] if d["status"] == "ok"]
    assert len(ok) == 18 and all(d["counts"]["applied"] > 0 for d in ok)
    assert len({d["serial"] for d in ok}) == 18
    # a second run finds the good phones converged; the dropped one is caught up now
    again = cli("fleet", "apply", "-i", str(path), "--at", EVENING, "--json")
    summary = again.json()["summary"]
    assert summary == {"ok": 19, "failed": 1}


def test_a_failing_canary_stops_the_rollout(fleet_of, cli, tmp_path):
    phones = fleet_of(6, xiaomi_at=1)
    path = inventory(tmp_path, [p.spec for p in phones])
    result = cli("fleet", "apply", "-i", str(path), "--at", EVENING, "--canary", "2", "--json")
    assert result.exit_code == 1
    statuses = [d["status"] for d in result.json()["devices"]]
    assert statuses == ["ok", "failed", "skipped", "skipped", "skipped", "skipped"]
    assert "canary" in result.json()["devices"][2]["error"]
    plan = cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--json").json()
    assert [d["counts"].get("planned", 0) > 0 for d in plan["devices"][2:]] == [True] * 4


def test_max_failures_halts_the_rollout(fleet_of, cli, tmp_path):
    phones = fleet_of(4, xiaomi_at=0)
    specs = ["127.0.0.1:9", *[p.spec for p in phones]]  # nothing listens on port 9
    path = inventory(tmp_path, specs)
    result = cli(
        "fleet",
        "apply",
        "-i",
        str(path),
        "--at",
        EVENING,
        "-j",
        "1",
        "--max-failures",
        "2",
        "--json",
    )
    statuses = [d["status"] for d in result.json()["devices"]]
    assert statuses == ["unreachable", "failed", "skipped", "skipped", "skipped"]
    assert "--max-failures 2" in result.json()["devices"][-1]["error"]


def test_audit_restore_and_csv_report(fleet_of, cli, tmp_path):
    phones = fleet_of(3)
    path = inventory(tmp_path, [p.spec for p in phones])
    audit = cli("fleet", "audit", "-i", str(path), "--at", EVENING, "--json")
    assert audit.exit_code == 1 and {d["status"] for d in audit.json()["devices"]} == {"findings"}
    assert cli("fleet", "apply", "-i", str(path), "--at", EVENING).exit_code == 0
    assert cli("fleet", "audit", "-i", str(path), "--at", EVENING).exit_code == 0
    csv_path = tmp_path / "restore.csv"
    restored = cli("fleet", "restore", "-i", str(path), "--report", str(csv_path))
    assert restored.exit_code == 0
    rows = list(csv.DictReader(csv_path.open()))
    assert [r["status"] for r in rows] == ["ok"] * 3 and all(int(r["applied"]) > 0 for r in rows)
    assert oct(csv_path.stat().st_mode & 0o777) == "0o600"


def test_merge_combines_several_hosts_reports(fleet_of, cli, tmp_path):
    phones = fleet_of(4, xiaomi_at=3)
    first, second = tmp_path / "host-a.json", tmp_path / "host-b.csv"
    one = tmp_path / "a"
    one.mkdir()
    two = tmp_path / "b"
    two.mkdir()
    cli("fleet", "apply", "-i", str(inventory(one, [p.spec for p in phones[:2]])), "--at", EVENING,
        "--report", str(first))  # fmt: skip
    cli("fleet", "apply", "-i", str(inventory(two, [p.spec for p in phones[2:]])), "--at", EVENING,
        "--report", str(second))  # fmt: skip
    merged = cli("fleet", "merge", str(first), str(second), "--json")
    assert merged.exit_code == 1
    document = merged.json()
    assert len(document["devices"]) == 4 and document["summary"] == {"ok": 3, "failed": 1}
    text = cli("fleet", "merge", str(first), str(second))
    assert "4 phones: 1 failed, 3 ok" in text.stdout


def test_all_reachable_phones_through_the_adb_server(
    virtual_phone, cli, adb_server, monkeypatch, tmp_path
):
    phones = [virtual_phone(serial=f"SRV{i}") for i in range(2)]
    for phone in phones:
        adb_server.connect(phone.spec)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    path = tmp_path / "all.toml"
    path.write_text('[[groups]]\nname = "lab"\nprofile = "default"\ndevices = "all"\n')
    result = cli("fleet", "plan", "-i", str(path), "--at", EVENING, "--json")
    assert result.exit_code == 0, result.stderr
    assert sorted(d["serial"] for d in result.json()["devices"]) == ["SRV0", "SRV1"]
    assert all(d["spec"].startswith("server:") for d in result.json()["devices"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "groups: no [[groups]]"),
        ('[[groups]]\nname = "x"\ndevices = ["a:1"]\n', "groups[0].profile: no profile"),
        ('[defaults]\nprofile = "default"\n[[groups]]\ndevices = []\n', "groups[0].devices"),
        ('[defaults]\nprofile = "default"\n[[groups]]\ndevices = ["tcp:h:99999"]\n', "port"),
        ('[defaults]\nprofil = "default"\n', "defaults.profil: unknown key"),
        (
            '[defaults]\nprofile = "default"\n'
            '[[groups]]\nname="a"\ndevices=["x"]\n[[groups]]\nname="a"\ndevices=["y"]\n',
            "used twice",
        ),
        ("[[groups]\n", "not valid TOML"),
    ],
)
def test_broken_inventories_are_bad_input(text, message, cli, tmp_path):
    path = tmp_path / "inventory.toml"
    path.write_text(text)
    result = cli("fleet", "apply", "-i", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
