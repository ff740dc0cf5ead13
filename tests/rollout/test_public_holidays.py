"""Issue 14, public holidays: `[work_hours] public_holidays = {country, subdivision}` from the
`holidays` package; a French profile whose 14 July is off."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.cli.app import main
from hardener.profile import check_profile, load_profile

PARIS = ZoneInfo("Europe/Paris")
FRENCH = """\
schema = 1
[work_hours]
timezone = "Europe/Paris"
weekdays = ["09:00-18:00"]
public_holidays = {{ country = "FR"{extra} }}
{more}
[[rules]]
categories = ["workplace"]
off_hours = ["contacts", "location"]
"""


def french(tmp_path, extra: str = "", more: str = "", name: str = "fr.toml"):
    path = tmp_path / name
    path.write_text(FRENCH.format(extra=extra, more=more))
    return path


def working(profile, *moment: int) -> bool:
    return profile.schedule(None).is_working(datetime(*moment, tzinfo=PARIS))


def test_a_french_profile_has_14_july_off(tmp_path):
    profile = load_profile(str(french(tmp_path)))
    assert profile.work_hours.holidays[date(2026, 7, 14)]  # named by the package
    assert not working(profile, 2026, 7, 14, 10, 0)  # a Tuesday, a public holiday
    assert working(profile, 2026, 7, 15, 10, 0)
    assert not working(profile, 2027, 7, 14, 10, 0)  # a Wednesday next year too
    assert not working(profile, 2026, 5, 14, 10, 0)  # Ascension: a moving feast
    assert working(profile, 2026, 12, 26, 10, 0) is False  # a Saturday anyway


def test_a_subdivision_adds_its_own_days(tmp_path):
    plain = load_profile(str(french(tmp_path)))
    moselle = load_profile(str(french(tmp_path, ', subdivision = "57"', name="moselle.toml")))
    # 26 December 2025 is a Friday: a holiday in Moselle (Saint Stephen), not in Paris
    assert working(plain, 2025, 12, 26, 10, 0)
    assert not working(moselle, 2025, 12, 26, 10, 0)


def test_the_profiles_own_lists_win(tmp_path):
    path = french(tmp_path, more='extra_workdays = [2026-07-14]\nholidays = ['
                  '{ date = 2026-07-15, name = "company day" }]')  # fmt: skip
    profile = load_profile(str(path))
    assert working(profile, 2026, 7, 14, 10, 0)  # made a workday by the profile
    assert not working(profile, 2026, 7, 15, 10, 0)
    assert profile.work_hours.holidays[date(2026, 7, 15)] == "company day"


def test_extends_the_last_calendar_wins(tmp_path):
    french(tmp_path, name="base.toml")
    child = tmp_path / "de.toml"
    child.write_text('schema = 1\nextends = "./base.toml"\n[work_hours]\n'
                     'public_holidays = { country = "DE", subdivision = "BY" }\n')  # fmt: skip
    profile = load_profile(str(child))
    assert working(profile, 2026, 7, 14, 10, 0)  # not a German holiday
    assert not working(profile, 2026, 10, 3, 10, 0) or date(2026, 10, 3).weekday() >= 5
    assert not working(profile, 2026, 1, 6, 10, 0)  # Epiphany, in Bavaria


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ("", None, None),
        (', subdivision = "ZZ"', "subdivision", '"ZZ" is not a subdivision of FR'),
        (', language = "xx"', "language", "is not a language"),
    ],
)
def test_bad_calendars_are_errors_that_name_the_key(tmp_path, extra, key, words):
    result = check_profile(french(tmp_path, extra))
    if key is None:
        assert result.ok and not result.warnings
        return
    (error,) = result.errors
    assert error.key_path == f"work_hours.public_holidays.{key}" and words in error.message


def test_unknown_country(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(FRENCH.format(extra="", more="").replace('"FR"', '"XX"'))
    (error,) = check_profile(path).errors
    assert "not a country the holidays package knows" in error.message
    assert error.line == 5


def test_missing_years_are_warned_about(tmp_path):
    # loaded in 2099: the window runs to 2104, and the package's French calendar ends in 2100
    result = check_profile(french(tmp_path), now=datetime(2099, 6, 1, tzinfo=PARIS))
    assert result.ok
    (warning,) = result.warnings
    assert "2101, 2102, 2103, 2104" in warning.message


def test_profile_show_lists_the_holidays_used(tmp_path, capfd):
    path = french(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["profile", "show", str(path), "--week", "2026-07-14", "--json"])
    assert done.value.code in (0, None)
    document = json.loads(capfd.readouterr().out)
    public = document["public_holidays"]
    assert public["country"] == "FR" and public["missing_years"] == []
    assert {"date": "2026-07-14", "name": public["dates"][6]["name"]} in public["dates"]
    assert len(public["dates"]) == 11
    windows = [w["start"][:10] for w in document["windows"]]
    assert "2026-07-14" not in windows and "2026-07-15" in windows
    main_text = []
    with pytest.raises(SystemExit):
        main(["profile", "show", str(path), "--week", "2026-07-14", "--ascii"])
    main_text = capfd.readouterr().out
    assert "Public holidays 2026, FR" in main_text and "2026-07-14 Tue" in main_text
    with pytest.raises(SystemExit):
        main(["profile", "show", str(path), "--week", "2040-07-14"])
    captured = capfd.readouterr()
    assert "no public holidays known for 2040" in captured.err


def test_the_bundled_china_profile_keeps_its_make_up_workdays_in_toml():
    profile = load_profile("china-workplace")
    assert profile.work_hours.public_holidays is None
    assert profile.work_hours.extra_workdays  # no library carries them


@settings(max_examples=60, deadline=None)
@given(
    country=st.one_of(st.sampled_from(["FR", "fr", "DE", "CN", "US"]), st.text(max_size=4)),
    subdivision=st.one_of(st.none(), st.sampled_from(["57", "BY", "Moselle", "CA"]),
                          st.text(max_size=6)),
)  # fmt: skip
def test_any_calendar_input_is_an_error_or_a_profile(tmp_path_factory, country, subdivision):
    extra = "" if subdivision is None else f", subdivision = {json.dumps(subdivision)}"
    path = tmp_path_factory.mktemp("fuzz") / "p.toml"
    path.write_text(FRENCH.format(extra=extra, more="").replace('"FR"', json.dumps(country)))
    result = check_profile(path)  # never raises
    if result.ok:
        profile = load_profile(str(path))
        assert profile.work_hours.public_holidays is not None
        assert profile.work_hours.public_holidays.country == country.strip().upper()
    else:
        assert all(e.key_path.startswith("work_hours.public_holidays") or e.line
                   for e in result.errors)  # fmt: skip
