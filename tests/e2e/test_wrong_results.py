"""Issue 11, wrong results on the virtual phone: dates out of range, a shadowed bundled
profile, a user the phone does not have, a system app the profile selects. Every former
exit 70 here is exit 2 with a message."""

from __future__ import annotations

import pytest

EVENING = "2026-11-24T20:00"
MEET = "com.google.android.apps.tachyon"

FAR_OVERRIDE = """schema = 1
[work_hours]
timezone = "Europe/Berlin"
weekdays = ["09:00-17:00"]
[[work_hours.overrides]]
until = {until}
working = true
[[rules]]
name = "w"
categories = ["workplace"]
off_hours = ["contacts"]
"""


def test_an_override_open_to_9999_is_refused_by_check_and_every_command(cli, tmp_path):
    path = tmp_path / "far.toml"
    path.write_text(FAR_OVERRIDE.format(until="9999-12-31T00:00:00"))
    for args in (("profile", "check", str(path)), ("profile", "show", str(path)),
                 ("audit", "-p", str(path)), ("enforce", "-p", str(path)),
                 ("schedule", "run", "-p", str(path))):  # fmt: skip
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "after 2999-12-31, the latest date hardener handles" in result.stdout + result.stderr


def test_the_latest_date_itself_works(cli, tmp_path):
    path = tmp_path / "far.toml"
    path.write_text(FAR_OVERRIDE.format(until="2999-12-31T00:00:00"))
    assert cli("profile", "check", str(path)).exit_code == 0
    shown = cli("profile", "show", str(path), "--week", "2999-12-30")
    assert shown.exit_code == 0, shown.stderr


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", "1969-12-31T12:00"])
def test_at_outside_the_bounds_is_exit_2_not_an_overflow(cli, at):
    for command in ("audit", "plan", "enforce"):
        result = cli(command, "-p", "default", "--at", at, "--device", "127.0.0.1:9")
        assert result.exit_code == 2, result.stderr
        assert "hardener handles" in result.stderr and "internal error" not in result.stderr
    shown = cli("profile", "show", "default", "--week", at[:10])
    assert shown.exit_code == 2 and "hardener handles" in shown.stderr


def test_a_file_named_like_a_bundled_profile_is_said(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default").write_text(FAR_OVERRIDE.format(until="2026-01-01T00:00:00"))
    shown = cli("profile", "show", "default")
    assert shown.exit_code == 0
    assert f"using the file {tmp_path / 'default'}" in shown.stderr
    assert "bundled:default" in shown.stderr
    bundled = cli("profile", "show", "bundled:default")
    assert bundled.exit_code == 0 and "Right to disconnect" in bundled.stdout
    assert "using the file" not in bundled.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert "using the file" not in cli("profile", "show", "default").stderr


def test_scan_for_a_user_the_phone_does_not_have_is_exit_2(virtual_phone, cli):
    phone = virtual_phone("samsung-oneui-work")
    assert cli("scan", "--device", phone.spec, "--user", "0").exit_code == 0
    missing = cli("scan", "--device", phone.spec, "--user", "99")
    assert missing.exit_code == 2
    assert "no user 99" in missing.stderr and "its users are 0" in missing.stderr


def test_google_meet_a_system_app_is_never_changed(virtual_phone, cli):
    phone = virtual_phone("pixel-14")
    scan = cli("scan", "--device", phone.spec, "--json").json()
    meet = [a for a in scan["apps"] if a["package"] == MEET]
    assert meet and all(a["system"] for a in meet)
    plan = cli("plan", "-p", "default", "--device", phone.spec, "--at", EVENING, "--json").json()
    assert plan["actions"]  # other apps are hardened ...
    assert not [a for a in plan["actions"] if a["package"] == MEET]  # ... Meet is not
    assert not [c for c in plan["trailer"] if MEET in c]  # no force-stop either
