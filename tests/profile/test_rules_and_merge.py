"""Which rule decides when several match one app, and how `extends` layers merge."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hardener.profile import ProfileError, Rule, load_profile
from hardener.profile.rules import BY_CATEGORY, BY_GLOB, BY_PACKAGE, glob_problem, resolve_policy

WH = '[work_hours]\ntimezone = "Europe/Berlin"\nweekdays = ["09:00-17:00"]\n'


def test_package_rules_beat_glob_rules_beat_category_rules():
    rules = [
        Rule("exact", packages=("com.tencent.wework",), allowed=frozenset({"camera"})),
        Rule("glob", packages=("com.tencent.*",), never=frozenset({"camera", "location"})),
        Rule(
            "category",
            categories=frozenset({"workplace"}),
            off_hours=frozenset({"camera", "location", "contacts"}),
        ),
    ]
    policy = resolve_policy(rules, "com.tencent.wework", "workplace")
    assert policy is not None
    assert policy.allowed == {"camera"}
    assert policy.never == {"location"}
    assert policy.off_hours == {"contacts"}
    assert policy.rule_names == ("category", "glob", "exact")
    assert policy.decided_by == {"camera": "exact", "location": "glob", "contacts": "category"}
    # Order in the list does not matter across kinds.
    assert resolve_policy(list(reversed(rules)), "com.tencent.wework", "workplace") == policy


def test_later_rule_of_the_same_kind_wins():
    rules = [
        Rule("first", categories=frozenset({"social"}), never=frozenset({"location"})),
        Rule("second", categories=frozenset({"social"}), allowed=frozenset({"location"})),
    ]
    policy = resolve_policy(rules, "com.tencent.mm", "social")
    assert policy.allowed == {"location"} and not policy.never
    policy = resolve_policy(list(reversed(rules)), "com.tencent.mm", "social")
    assert policy.never == {"location"} and not policy.allowed


def test_inside_one_rule_never_beats_off_hours_beats_allowed():
    rule = Rule(
        "r",
        categories=frozenset({"social"}),
        never=frozenset({"location"}),
        off_hours=frozenset({"location", "camera"}),
        allowed=frozenset({"camera", "contacts"}),
    )
    policy = resolve_policy([rule], "com.whatsapp", "social")
    assert policy.never == {"location"}
    assert policy.off_hours == {"camera"}
    assert policy.allowed == {"contacts"}


def test_exclusions_unselected_apps_and_dont_ask_again():
    rules = [
        Rule(
            "tencent",
            packages=("com.tencent.*",),
            exclude=("com.tencent.mm",),
            off_hours=frozenset({"contacts"}),
            dont_ask_again=True,
        ),
        Rule("wework", packages=("com.tencent.wework",), dont_ask_again=False),
    ]
    assert resolve_policy(rules, "com.tencent.mm", "social") is None
    assert resolve_policy(rules, "org.example", "other") is None
    assert resolve_policy(rules, "com.tencent.mobileqq", "social").dont_ask_again is True
    assert resolve_policy(rules, "com.tencent.wework", "workplace").dont_ask_again is False


def test_match_strengths_and_case_sensitivity():
    rule = Rule("r", categories=frozenset({"workplace"}), packages=("com.Slack", "com.micro*"))
    assert rule.strength("com.Slack", "workplace") == BY_PACKAGE
    assert rule.strength("com.microsoft.teams", "workplace") == BY_GLOB
    assert rule.strength("com.tencent.wework", "workplace") == BY_CATEGORY
    assert rule.strength("com.slack", "other") == 0


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("com.tencent.*", None),
        ("com.tencent.[mw]*", None),
        ("com.[!x]ency.mm", None),
        ("com.tencent.mm", None),
        ("", "empty"),
        ("com.tencent.[mw", "without"),
        ("com.[[a]].mm", "twice"),
        ("com tencent *", "characters"),
        ("com.tencent.*;reboot", "characters"),
        ("tencent", "not a package name"),
        ("com.tencent.mm; reboot", "not a package name"),
    ],
)
def test_glob_problems(pattern, problem):
    found = glob_problem(pattern)
    assert (found is None) if problem is None else (problem in found)


def test_profile_policy_uses_its_catalog_additions(write):
    path = write(
        "p.toml",
        WH
        + '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contacts"]\n'
        + '[catalog]\nworkplace = ["com.example.timesheet", { package = "com.tencent.mm" }]\n',
    )
    profile = load_profile(path)
    assert profile.category_of("com.example.timesheet") == "workplace"
    assert profile.category_of("com.tencent.mm") == "workplace"
    assert profile.catalog.name_of("com.tencent.mm") == "WeChat 微信"
    assert profile.policy_for("com.tencent.mm").off_hours == {"contacts"}
    assert profile.policy_for("com.tencent.mm", "social") is None  # caller's category wins


def test_extends_merges_layers(write):
    write(
        "company.toml",
        """
description = "company base"
[work_hours]
timezone = "Europe/Berlin"
weekdays = ["09:00-17:00"]
holidays = [2026-12-24, 2026-12-31]
extra_workdays = [2026-12-19]
[[work_hours.overrides]]
from = 2026-12-01T00:00:00
until = 2026-12-02T00:00:00
working = false

[[rules]]
name = "workplace"
categories = ["workplace"]
off_hours = ["contacts", "location"]

[[rules]]
name = "social"
categories = ["social"]
never = ["background_location"]

[[rules]]
name = "teams"
packages = ["com.microsoft.teams"]
allowed = ["camera"]
""",
    )
    path = write(
        "me.toml",
        """
extends = "./company.toml"
[work_hours]
friday = ["09:00-13:00"]
holidays = [2026-12-19]
extra_workdays = [2026-12-31]
[[work_hours.overrides]]
from = 2026-12-01T12:00:00
until = 2026-12-01T13:00:00
working = true

[[rules]]
name = "workplace"
categories = ["workplace"]
off_hours = ["camera"]

[[rules]]
name = "social"
enabled = false
""",
    )
    profile = load_profile(path)
    assert profile.description == "company base"
    assert profile.work_hours.timezone == "Europe/Berlin"
    days = profile.work_hours.days
    assert [str(r) for r in days[0]] == ["09:00-17:00"]
    assert [str(r) for r in days[4]] == ["09:00-13:00"]
    assert set(profile.work_hours.holidays) == {date(2026, 12, 24), date(2026, 12, 19)}
    assert set(profile.work_hours.extra_workdays) == {date(2026, 12, 31)}
    assert len(profile.work_hours.overrides) == 2
    assert [rule.name for rule in profile.rules] == ["teams", "workplace"]
    teams = profile.policy_for("com.microsoft.teams")
    assert teams.off_hours == set()  # the package rule allows camera
    assert teams.allowed == {"camera"}
    assert profile.policy_for("com.Slack").off_hours == {"camera"}  # replaced, not merged
    assert profile.policy_for("com.whatsapp") is None  # rule disabled
    assert [p.name for p in profile.files] == ["company.toml", "me.toml"]
    schedule = profile.schedule(None)
    berlin = ZoneInfo("Europe/Berlin")
    assert schedule.is_working(datetime(2026, 12, 1, 12, 30, tzinfo=berlin))  # child override
    assert not schedule.is_working(datetime(2026, 12, 1, 10, 0, tzinfo=berlin))  # base override


def test_extends_bundled_by_name_and_timezone_device(write):
    path = write("p.toml", 'extends = "default"\n')
    profile = load_profile(path)
    assert profile.work_hours.timezone == "device"
    with pytest.raises(ProfileError, match="phone's timezone is unknown"):
        profile.schedule(None)
    with pytest.raises(ProfileError, match="not an IANA name"):
        profile.schedule("Mars/Olympus")
    schedule = profile.schedule("Asia/Tokyo")
    assert schedule.timezone_name == "Asia/Tokyo" and schedule.timezone_from_device


def test_extra_workday_defaults_to_the_first_weekday_with_hours(write):
    path = write(
        "p.toml",
        '[work_hours]\ntimezone = "UTC"\ntuesday = ["10:00-11:00"]\nfriday = ["14:00-15:00"]\n'
        'extra_workdays = [2026-11-28, { date = 2026-11-29, as = "friday" }]\n'
        '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contacts"]\n',
    )
    profile = load_profile(path)
    assert profile.work_hours.extra_workdays == {date(2026, 11, 28): 1, date(2026, 11, 29): 4}


def test_load_profile_raises_with_every_error(write):
    path = write(
        "p.toml",
        '[work_hours]\ntimezone = "Nowhere/Land"\nmonday = ["25:00-26:00"]\n'
        '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contact"]\n',
    )
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    assert raised.value.exit_code == 2
    assert len(raised.value.problems) == 3
    text = str(raised.value)
    assert "3 errors" in text and "Nowhere/Land" in text and "25:00" in text
    assert "hint: run `hardener profile check FILE`" in text
