"""`adb bugreport` by the official client from a virtual phone, then `hardener scan|audit
--from-bugreport`: the same JSON as a live read, apart from the fields naming the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import PERSONAS

# Fields that name where the reading came from: present or different offline by design.
SOURCE_FIELDS = {"transport", "source", "bugreport", "cannot_show"}


def take_bugreport(adb_server, phone, folder: Path) -> Path:
    adb_server.connect(phone.spec)
    result = adb_server.run("-s", phone.spec, "bugreport", str(folder / "report.zip"), timeout=60)
    assert result.returncode == 0, result.stderr
    return folder / "report.zip"


def without_source(document: dict) -> dict:
    return {key: value for key, value in document.items() if key not in SOURCE_FIELDS}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("at", ["2026-11-24T20:00", "2026-11-25T10:00"])
def test_audit_from_the_bugreport_equals_the_live_audit(
    virtual_phone, adb_server, cli, tmp_path, persona, at
):
    phone = virtual_phone(persona)
    report = take_bugreport(adb_server, phone, tmp_path)
    live = cli("audit", "--profile", "default", "--device", phone.spec, "--at", at, "--json")
    offline = cli("audit", "--profile", "default", "--from-bugreport", str(report), "--at", at,
                  "--json")  # fmt: skip
    assert offline.exit_code == live.exit_code, offline.stderr
    live_doc, offline_doc = live.json(), offline.json()
    assert without_source(offline_doc) == without_source(live_doc)
    assert offline_doc["source"] == "bugreport"
    assert offline_doc["transport"] == "bugreport:report.zip"
    assert offline_doc["cannot_show"] and all(
        isinstance(s, str) for s in offline_doc["cannot_show"]
    )
    assert live_doc["findings"], "the persona should have findings to compare"


def test_scan_from_the_bugreport_equals_the_live_scan(virtual_phone, adb_server, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    # Change the phone first: the report must show today's state, not the persona's.
    phone.android.run("pm revoke com.alibaba.android.rimet android.permission.READ_CONTACTS")
    phone.android.run("cmd notification disallow_listener "
                      "com.tencent.wework/.msg.NotificationListenerService 0")  # fmt: skip
    phone.android.run("am set-standby-bucket com.ss.android.lark rare")
    # Android mirrors a listener change into the setting 250 ms later (the model's clock): let
    # it land before the report, or the report and the live scan may be taken either side of it
    phone.android.run("sleep 1")
    report = take_bugreport(adb_server, phone, tmp_path)
    live = cli("scan", "--device", phone.spec, "--json")
    offline = cli("scan", "--from-bugreport", str(report), "--json")
    assert offline.exit_code == live.exit_code == 0, offline.stderr
    assert without_source(offline.json()) == without_source(live.json())
    apps = {(a["package"], a["user"]): a for a in offline.json()["apps"]}
    assert apps[("com.alibaba.android.rimet", 0)]["capabilities"]["contacts"] != "granted"
    assert apps[("com.tencent.wework", 0)]["hooks"]["notification_listener"] is False
    assert apps[("com.ss.android.lark", 0)]["background"]["standby_bucket"] == "rare"


def test_the_text_inside_the_zip_reads_the_same(virtual_phone, adb_server, cli, tmp_path):
    import zipfile

    phone = virtual_phone("pixel-14")
    report = take_bugreport(adb_server, phone, tmp_path)
    with zipfile.ZipFile(report) as archive:
        main = archive.read("main_entry.txt").decode()
        (tmp_path / main).write_bytes(archive.read(main))
    from_zip = cli("scan", "--from-bugreport", str(report), "--json").json()
    from_text = cli("scan", "--from-bugreport", str(tmp_path / main), "--json").json()
    assert without_source(from_zip) == without_source(from_text)


def test_bad_inputs_are_clear_errors(cli, tmp_path):
    missing = cli("scan", "--from-bugreport", str(tmp_path / "none.zip"))
    assert missing.exit_code == 2 and "cannot read the bugreport" in missing.stderr
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    assert "does not look like a bugreport" in cli("scan", "--from-bugreport", str(junk)).stderr
    both = cli("scan", "--device", "127.0.0.1:1", "--from-bugreport", str(junk))
    assert both.exit_code == 2 and "give one" in both.stderr


@pytest.mark.parametrize("persona", PERSONAS)
def test_scan_of_every_app_differs_only_where_cannot_show_says(
    virtual_phone, adb_server, cli, tmp_path, persona
):
    """A bugreport is taken by the system: it shows a profile the shell may not reach
    (Samsung's Secure Folder), which a live read reports as unreachable. Nothing else differs."""
    phone = virtual_phone(persona)
    report = take_bugreport(adb_server, phone, tmp_path)
    live = without_source(cli("scan", "--all", "--device", phone.spec, "--json").json())
    offline = cli("scan", "--all", "--from-bugreport", str(report), "--json").json()
    assert any("users the shell may not reach" in line for line in offline["cannot_show"])
    offline = without_source(offline)
    unreachable = {user["id"] for user in live["users"] if not user["reachable"]}
    assert unreachable == ({150} if persona == "samsung-oneui-work" else set())
    assert [u for u in offline["users"] if u["id"] not in unreachable] == [
        u for u in live["users"] if u["id"] not in unreachable
    ]
    assert all(u["reachable"] for u in offline["users"])
    assert [p for p in live["problems"] if "user 150" not in p] == offline["problems"]
    # The apps of a profile the shell cannot reach show offline only.
    assert [a for a in offline["apps"] if a["user"] not in unreachable] == live["apps"]
    assert offline["device"] == live["device"]


def test_tables_say_where_the_reading_came_from(virtual_phone, adb_server, cli, tmp_path):
    phone = virtual_phone("pixel-14")
    report = take_bugreport(adb_server, phone, tmp_path)
    scan = cli("scan", "--from-bugreport", str(report))
    assert scan.exit_code == 0 and "DingTalk" in scan.stdout
    assert "a bugreport cannot show:" in scan.stdout
    audit = cli("audit", "--profile", "default", "--from-bugreport", str(report),
                "--at", "2026-11-24T20:00")  # fmt: skip
    assert audit.exit_code == 1  # findings, as live
    assert f"from {report}, taken 20" in audit.stdout
