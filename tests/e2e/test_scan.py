"""Issue 3, end to end: scan every persona through adb-shell and through an adb server,
in two round trips whatever the number of apps, and every error a user can hit."""

from __future__ import annotations

import pytest

from hardener.android.catalog.capabilities import CAPABILITIES
from hardener.core.records import BUCKET_NAMES

from .conftest import PERSONAS

MODES = {"allow", "ignore", "deny", "default", "foreground"}
STATES = {"granted", "partial", "denied", "not_requested"}


def check_schema(document: dict) -> None:
    """The documented, stable JSON schema of `hardener scan --json`."""
    device = document["device"]
    for key in ("serial", "model", "manufacturer", "sdk", "release", "rom"):
        assert key in device
    assert isinstance(device["sdk"], int) and device["sdk"] >= 23
    assert document["apps"], "a persona with no catalog apps?"
    for app in document["apps"]:
        for key in ("package", "user", "name", "category", "uid", "target_sdk"):
            assert key in app
        assert set(app["capabilities"]) == set(CAPABILITIES)
        assert set(app["capabilities"].values()) <= STATES
        for perm in app["permissions"].values():
            assert isinstance(perm["granted"], bool) and isinstance(perm["flags"], list)
        for mode in app["app_ops"].values():
            assert mode in MODES or mode.isdigit(), mode
        background = app["background"]
        assert background["run_any_in_background"] in MODES
        assert isinstance(background["battery_exempt"], bool)
        assert background["standby_bucket"] in {*BUCKET_NAMES.values(), None}
        assert isinstance(background["suspended"], bool)
        assert set(app["hooks"]) == {"notification_listener", "accessibility"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_scan_every_persona_directly_and_through_an_adb_server(
    persona, virtual_phone, cli, adb_server, monkeypatch
):
    phone = virtual_phone(persona)
    direct = cli("scan", "--device", phone.spec, "--json")
    assert direct.exit_code == 0, direct.stderr
    document = direct.json()
    check_schema(document)
    assert phone.round_trips() == 2

    adb_server.connect(phone.spec)  # the adb server now owns the phone, as it owns USB
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    before = phone.round_trips()
    through = cli("scan", "--device", f"server:{phone.spec}", "--json")
    assert through.exit_code == 0, through.stderr
    assert through.json() == document
    assert phone.round_trips() - before == 2


def test_scan_without_device_uses_the_only_phone_of_the_adb_server(
    virtual_phone, cli, adb_server, monkeypatch
):
    phone = virtual_phone()
    adb_server.connect(phone.spec)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    result = cli("scan", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["device"]["model"] == "Pixel 8"


def test_table_shows_the_workplace_and_social_apps(virtual_phone, cli):
    phone = virtual_phone()
    result = cli("scan", "--device", phone.spec)
    assert result.exit_code == 0
    for name in ("DingTalk", "WeCom", "Feishu", "WeChat", "QQ", "Douyin", "Slack", "Teams",
                 "WhatsApp", "Telegram"):  # fmt: skip
        assert name in result.stdout
    assert "granted" in result.stdout and "not requested" in result.stdout  # the legend


def test_work_profile_apps_are_scanned_per_user(virtual_phone, cli):
    phone = virtual_phone("samsung-oneui-work")
    document = cli("scan", "--device", phone.spec, "--json").json()
    users = {u["id"]: u for u in document["users"]}
    assert users[10]["work_profile"] and users[10]["reachable"]
    assert not users[150]["reachable"]  # Secure Folder: the shell may not touch it
    assert any("150" in p for p in document["problems"])
    dingtalk = [a for a in document["apps"] if a["package"] == "com.alibaba.android.rimet"]
    assert [a["user"] for a in dingtalk] == [10]
    only_10 = cli("scan", "--device", phone.spec, "--json", "--user", "10").json()
    assert {a["user"] for a in only_10["apps"]} == {10}


@pytest.mark.parametrize("apps", [50, 300])
def test_two_round_trips_whatever_the_number_of_apps(apps, virtual_phone, cli):
    phone = virtual_phone(apps=apps)
    result = cli("scan", "--device", phone.spec, "--all", "--json")
    assert result.exit_code == 0
    third_party = [a for a in result.json()["apps"] if not a["system"]]
    assert len(third_party) >= apps
    assert phone.round_trips() == 2


# Errors: a message that says what to do, exit 3, no traceback (the `cli` fixture checks).


def test_nothing_connected(cli):
    result = cli("scan")
    assert result.exit_code == 3
    assert "no phone" in result.stderr.lower()


def test_several_phones_are_listed(virtual_phone, cli, adb_server, monkeypatch):
    for phone in (virtual_phone(), virtual_phone("android9-legacy")):
        adb_server.connect(phone.spec)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    result = cli("scan")
    assert result.exit_code == 3
    assert "--device" in result.stderr


def test_unauthorised_phone(virtual_phone, cli):
    phone = virtual_phone(auth="reject")
    result = cli("scan", "--device", phone.spec, "--auth-timeout", "0.5")
    assert result.exit_code == 3
    assert "allow" in result.stderr.lower()


def test_connection_lost_mid_phase(virtual_phone, cli):
    phone = virtual_phone()
    phone.faults.arm(drop_after_commands=4)
    result = cli("scan", "--device", phone.spec)
    assert result.exit_code == 3
    assert "lost" in result.stderr.lower() or "dropped" in result.stderr.lower()


def test_phone_stops_answering(virtual_phone, cli):
    phone = virtual_phone()
    phone.faults.arm(stall_after_bytes=2000)
    result = cli("scan", "--device", phone.spec, "--timeout", "1")
    assert result.exit_code == 3
    assert "answer" in result.stderr.lower() or "time" in result.stderr.lower()


def test_bad_device_spec_is_bad_input(cli):
    result = cli("scan", "--device", "tcp:host:99999")
    assert result.exit_code == 2
    assert "port '99999'" in result.stderr and "hint" in result.stderr


def test_unknown_host_is_unreachable(cli):
    result = cli("scan", "--device", "tcp:nowhere.invalid")
    assert result.exit_code == 3
    assert "cannot reach" in result.stderr
