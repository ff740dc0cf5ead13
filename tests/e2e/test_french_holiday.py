"""Issue 14: on 14 July a French profile treats a Tuesday morning as off hours on the phone."""

from __future__ import annotations

FRENCH = """\
schema = 1
[work_hours]
timezone = "Europe/Paris"
weekdays = ["09:00-18:00"]
public_holidays = { country = "FR" }
[[rules]]
categories = ["workplace", "social"]
off_hours = ["contacts", "location"]
"""


def test_14_july_is_off_on_the_phone(virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    profile = tmp_path / "fr.toml"
    profile.write_text(FRENCH)
    workday = cli("plan", "-p", str(profile), "--device", phone.spec,
                  "--at", "2026-07-15T10:00", "--json")  # fmt: skip
    assert workday.exit_code == 0 and workday.json()["working"] is True
    assert workday.json()["actions"] == []
    holiday = cli("enforce", "-p", str(profile), "--device", phone.spec,
                  "--at", "2026-07-14T10:00", "--json")  # fmt: skip
    document = holiday.json()
    assert holiday.exit_code == 0 and document["working"] is False
    assert document["next_transition"]["at"].startswith("2026-07-15T09:00")
    assert any(o["status"] == "applied" for o in document["outcomes"])


def test_a_moment_outside_the_loaded_years_is_warned_about(virtual_phone, cli, tmp_path):
    phone = virtual_phone()
    profile = tmp_path / "fr.toml"
    profile.write_text(FRENCH)
    far = cli("plan", "-p", str(profile), "--device", phone.spec, "--at", "2045-07-14T10:00")
    assert far.exit_code == 0 and "no public holidays of FR" in far.stderr and "2045" in far.stderr
    near = cli("plan", "-p", str(profile), "--device", phone.spec, "--at", "2026-07-14T10:00")
    assert "no public holidays" not in near.stderr
