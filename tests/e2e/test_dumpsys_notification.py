"""`dumpsys notification` on the virtual phone follows the listener changes hardener makes
(evening: disallowed; morning: given back), as read through the official adb client."""

from __future__ import annotations

from pathlib import Path

EVENING = "2026-11-24T20:00"
MORNING = "2026-11-25T10:00"


def live_listeners(adb_server, serial: str) -> set[str]:
    text = adb_server.run("-s", serial, "shell", "dumpsys notification --noredact").stdout
    section = text.split("\n  Notification listeners:\n", 1)[1].split("\n\n", 1)[0]
    live = section.split("    Live notification listeners", 1)[1].splitlines()[1:]
    return {
        line.strip()[len("ComponentInfo{") :].split("}", 1)[0]
        for line in live
        if line.startswith("      ComponentInfo{")
    }


def test_listeners_follow_hardeners_evening_and_morning(
    virtual_phone,
    adb_server,
    cli,
    tmp_path: Path,
) -> None:
    phone = virtual_phone("pixel-14")
    adb_server.connect(phone.spec)
    profile = tmp_path / "listeners.toml"
    profile.write_text(
        "schema = 1\n"
        'description = "test: listeners off outside work hours"\n'
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "listeners"\ncategories = ["workplace", "social"]\n'
        'off_hours = ["notification_listener"]\n'
    )
    before = live_listeners(adb_server, phone.spec)
    setting = adb_server.run(
        "-s", phone.spec, "shell", "settings get secure enabled_notification_listeners"
    ).stdout.strip()
    assert before == set(setting.split(":"))
    assert any(c.startswith("com.tencent.wework/") for c in before)

    evening = cli("enforce", "-p", str(profile), "--device", phone.spec, "--at", EVENING)
    assert evening.exit_code == 0, evening.stdout + evening.stderr
    assert live_listeners(adb_server, phone.spec) == set()  # both are workplace/social apps
    scanned = cli("scan", "--device", phone.spec, "--json").json()["apps"]
    assert not any(a["hooks"]["notification_listener"] for a in scanned)

    morning = cli("enforce", "-p", str(profile), "--device", phone.spec, "--at", MORNING)
    assert morning.exit_code == 0, morning.stdout + morning.stderr
    assert live_listeners(adb_server, phone.spec) == before
