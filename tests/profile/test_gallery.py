"""A gallery of broken profiles, each run through the real CLI with its expected message.

Each case is a set of files (the checked one is `p.toml`), a substring of the message, and
where it must point (key path and line) when that is part of the point.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from hardener.profile import check_profile, load_profile

WH = '[work_hours]\ntimezone = "Europe/Berlin"\nweekdays = ["09:00-17:00"]\n'
RULE = '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contacts"]\n'


@dataclass(frozen=True)
class Case:
    id: str
    text: str  # p.toml
    message: str
    key_path: str | None = None
    line: int | None = None
    others: dict[str, str] = field(default_factory=dict)


ERRORS = [
    Case("toml-syntax", "[work_hours\n", "not valid TOML", line=1),
    Case("toml-duplicate-key", WH + 'timezone = "UTC"\n', "not valid TOML", line=4),
    Case(
        "unknown-top-key",
        "work_hour = {}\n" + RULE,
        'unknown key "work_hour" (did you mean "work_hours"?)',
        "work_hour",
        1,
    ),
    Case(
        "unknown-day-key",
        '[work_hours]\nmondays = ["09:00-17:00"]\n' + RULE,
        'did you mean "monday"',
        "work_hours.mondays",
        2,
    ),
    Case(
        "bad-time",
        '[work_hours]\nmonday = ["09:00-12:00", "25:00-26:00"]\n' + RULE,
        '"25:00" is not a time of day',
        "work_hours.monday[1]",
        2,
    ),
    Case(
        "bad-minutes",
        '[work_hours]\nmonday = ["09:60-12:00"]\n' + RULE,
        '"09:60" is not a time of day',
        "work_hours.monday[0]",
    ),
    Case(
        "range-without-dash",
        '[work_hours]\nmonday = ["09:00 to 17:00"]\n' + RULE,
        'is not a range of two times joined by "-"',
        "work_hours.monday[0]",
    ),
    Case(
        "empty-range",
        '[work_hours]\nmonday = ["09:00-09:00"]\n' + RULE,
        'is empty; for a whole day write "00:00-24:00"',
    ),
    Case("starts-at-24", '[work_hours]\nmonday = ["24:00-02:00"]\n' + RULE, "starts at 24:00"),
    Case(
        "range-not-string",
        "[work_hours]\nmonday = [900]\n" + RULE,
        "must be a string, not a number",
        "work_hours.monday[0]",
    ),
    Case(
        "overlap-same-day",
        '[work_hours]\nmonday = [\n  "09:00-12:00",\n  "11:00-13:00",\n]\n' + RULE,
        '"11:00-13:00"'[1:-1] + " overlaps 09:00-12:00",
        "work_hours.monday[1]",
        4,
    ),
    Case(
        "overlap-overnight-into-next-day",
        '[work_hours]\nsunday = ["22:00-06:00"]\nmonday = ["05:00-09:00"]\n' + RULE,
        "monday starts at 05:00, before sunday's overnight range ends (06:00)",
        "work_hours.monday",
        3,
    ),
    Case(
        "unknown-timezone",
        '[work_hours]\ntimezone = "Europe/Berln"\n' + RULE,
        'unknown timezone "Europe/Berln" (did you mean "Europe/Berlin"?)',
        "work_hours.timezone",
        2,
    ),
    Case(
        "timezone-case",
        '[work_hours]\ntimezone = "asia/shanghai"\n' + RULE,
        'did you mean "Asia/Shanghai"',
    ),
    Case(
        "timezone-not-string",
        "[work_hours]\ntimezone = 8\n" + RULE,
        "must be a string, not a number",
    ),
    Case(
        "unknown-capability",
        WH + '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contact"]\n',
        'unknown capability or lever "contact" (did you mean "contacts"?)',
        "rules[0].off_hours[0]",
        6,
    ),
    Case(
        "unknown-lever",
        WH + '[[rules]]\ncategories = ["social"]\nnever = ["location", "wakelock"]\n',
        'unknown capability or lever "wakelock"',
        "rules[0].never[1]",
    ),
    Case(
        "unknown-category",
        WH + '[[rules]]\ncategories = ["work"]\noff_hours = ["contacts"]\n',
        'unknown category "work"',
        "rules[0].categories[0]",
    ),
    Case(
        "glob-unclosed-bracket",
        WH + '[[rules]]\npackages = ["com.tencent.[mw"]\noff_hours = ["contacts"]\n',
        'has a "[" without its "]"',
        "rules[0].packages[0]",
    ),
    Case(
        "glob-bad-characters",
        WH + '[[rules]]\npackages = ["com tencent *"]\noff_hours = ["contacts"]\n',
        "has characters no package name holds",
    ),
    Case(
        "package-not-a-name",
        WH + '[[rules]]\npackages = ["tencent"]\noff_hours = ["contacts"]\n',
        '"tencent" is not a package name',
    ),
    Case(
        "rule-selects-no-apps",
        WH + '[[rules]]\nname = "oops"\noff_hours = ["contacts"]\n',
        "selects no apps",
        "rules[0]",
        4,
    ),
    Case(
        "rule-selects-nothing-known",
        WH + '[[rules]]\npackages = ["com.example.nothing"]\noff_hours = ["contacts"]\n',
        "selects no known app",
        "rules[0]",
    ),
    Case(
        "rule-glob-selects-nothing-known",
        WH + '[[rules]]\npackages = ["org.nothing.*"]\noff_hours = ["contacts"]\n',
        "selects no known app",
    ),
    Case(
        "rule-exclusions-remove-everything",
        WH
        + '[[rules]]\npackages = ["com.tencent.mm"]\n'
        + 'exclude = ["com.tencent.*"]\noff_hours = ["contacts"]\n',
        "selects no known app",
    ),
    Case(
        "rule-unknown-key",
        WH + '[[rules]]\ncategory = ["workplace"]\noff_hours = ["contacts"]\n',
        'unknown key "category" (did you mean "categories"?)',
        "rules[0].category",
    ),
    Case(
        "rules-not-tables", 'rules = "workplace"\n' + WH, "must be a list, not a string", "rules", 1
    ),
    Case(
        "top-level-key-inside-table",
        WH + 'extends = "default"\n',
        '"extends" is a top-level key but sits inside [work_hours]',
        "work_hours.extends",
        4,
    ),
    Case(
        "duplicate-rule-names",
        WH + RULE.replace("[[rules]]\n", '[[rules]]\nname = "a"\n') * 2,
        'rule name "a" is used twice',
        "rules[1].name",
    ),
    Case(
        "dont-ask-again-not-bool",
        WH + RULE + 'dont_ask_again = "yes"\n',
        "must be true or false",
        "rules[0].dont_ask_again",
    ),
    Case(
        "extends-missing-file",
        'extends = "./base.toml"\n' + RULE,
        '"./base.toml": no such file',
        "extends",
        1,
    ),
    Case(
        "extends-unknown-bundled",
        'extends = "defualt"\n' + RULE,
        '"defualt" is not a bundled profile',
    ),
    Case(
        "extends-cycle",
        'extends = "./b.toml"\n' + RULE,
        "extends cycle",
        "extends",
        others={"b.toml": 'extends = "./p.toml"\n'},
    ),
    Case("extends-self", 'extends = "./p.toml"\n' + RULE, "extends cycle"),
    Case(
        "error-in-base",
        'extends = "./b.toml"\n',
        '"25:00" is not a time of day',
        "work_hours.monday[0]",
        others={"b.toml": '[work_hours]\nmonday = ["25:00-26:00"]\n'},
    ),
    Case(
        "holiday-bad-date",
        WH + 'holidays = ["2026-02-30"]\n' + RULE,
        '"2026-02-30" is not a date',
        "work_hours.holidays[0]",
    ),
    Case(
        "holiday-reversed-range",
        WH + 'holidays = ["2026-10-07..2026-10-01"]\n' + RULE,
        "ends before it starts",
    ),
    Case(
        "holiday-date-time",
        WH + "holidays = [2026-01-01T00:00:00]\n" + RULE,
        "is a date-time; a date has no time of day",
    ),
    Case(
        "holiday-table-both",
        WH + "holidays = [{ date = 2026-01-01, until = 2026-01-03 }]\n" + RULE,
        'give either "date" or "from" and "until", not both',
    ),
    Case(
        "holiday-and-extra-workday",
        WH + 'holidays = [2026-10-01]\nextra_workdays = ["2026-10-01"]\n' + RULE,
        "2026-10-01 is both a holiday and an extra workday",
        "work_hours.extra_workdays[0]",
        5,
    ),
    Case(
        "extra-workday-bad-weekday",
        WH + 'extra_workdays = [{ date = 2026-10-10, as = "funday" }]\n' + RULE,
        '"funday" is not a weekday',
        "work_hours.extra_workdays[0].as",
    ),
    Case(
        "override-without-until",
        WH + "[[work_hours.overrides]]\nworking = true\n" + RULE,
        'needs "until"',
        "work_hours.overrides[0]",
        4,
    ),
    Case(
        "override-without-working",
        WH + "[[work_hours.overrides]]\nuntil = 2027-01-01T09:00:00\n" + RULE,
        'needs "working"',
    ),
    Case(
        "override-ends-before-start",
        WH
        + "[[work_hours.overrides]]\nfrom = 2027-01-02T09:00:00\n"
        + "until = 2027-01-01T09:00:00\nworking = false\n"
        + RULE,
        "at or before it starts",
        "work_hours.overrides[0].until",
        6,
    ),
    Case(
        "override-date-only",
        WH + "[[work_hours.overrides]]\nuntil = 2027-06-08\nworking = true\n" + RULE,
        "is a date; give a time too, e.g. 2027-06-08T18:00",
    ),
    Case(
        "override-bad-string",
        WH + '[[work_hours.overrides]]\nuntil = "next friday"\nworking = true\n' + RULE,
        '"next friday" is not a date-time',
    ),
    Case(
        "schema-version",
        "schema = 2\n" + WH + RULE,
        "schema version 2 is not supported",
        "schema",
        1,
    ),
    Case(
        "catalog-bad-package",
        WH + RULE + '[catalog]\nworkplace = ["my timesheet app"]\n',
        '"my timesheet app" is not a package name',
        "catalog.workplace[0]",
    ),
    Case(
        "catalog-unknown-category",
        WH + RULE + '[catalog]\ngames = ["com.example.game"]\n',
        'unknown key "games"',
        "catalog.games",
    ),
    Case(
        "work-hours-not-table",
        'work_hours = "9 to 5"\n' + RULE,
        "must be a table, not a string",
        "work_hours",
        1,
    ),
]


@pytest.mark.parametrize("case", ERRORS, ids=[case.id for case in ERRORS])
def test_broken_profile_is_reported_with_exit_2(case: Case, cli, write):
    path = write("p.toml", case.text)
    for name, text in case.others.items():
        write(name, text)
    result = cli("profile", "check", path)
    assert result.code == 2, result.text
    assert case.message in result.out, result.out
    assert "Traceback" not in result.text
    found = json.loads(cli("profile", "check", "--json", path).out)
    problems = found["files"][0]["errors"]
    matching = [p for p in problems if case.message in p["message"]]
    assert matching, problems
    problem = matching[0]
    assert problem["expected"] or problem["key_path"] == "", problem  # says what is accepted
    if case.key_path is not None:
        assert problem["key_path"] == case.key_path
    if case.line is not None:
        assert problem["line"] == case.line


def test_gallery_is_large_enough():
    assert len(ERRORS) >= 30


def test_file_problems(cli, tmp_path):
    missing = cli("profile", "check", tmp_path / "absent.toml")
    assert missing.code == 2 and "no such file" in missing.out
    unknown = cli("profile", "check", "stirct")
    assert unknown.code == 2
    assert "no bundled profile by that name" in unknown.out
    assert "china-workplace, default, strict" in unknown.out
    binary = tmp_path / "latin1.toml"
    binary.write_bytes(b'description = "caf\xe9"\n')
    not_utf8 = cli("profile", "check", binary)
    assert not_utf8.code == 2 and "not UTF-8" in not_utf8.out


WARNINGS = [
    Case(
        "holiday-on-weekend",
        WH + "holidays = [2026-11-28]\n" + RULE,
        "holiday 2026-11-28 is a saturday, which has no work hours: no effect",
        "work_hours.holidays[0]",
    ),
    Case(
        "holiday-range-all-weekend",
        WH + 'holidays = ["2026-11-28..2026-11-29"]\n' + RULE,
        "holidays 2026-11-28..2026-11-29 fall on days that have no work hours",
    ),
    Case(
        "extra-workday-already-working",
        WH + "extra_workdays = [2026-11-25]\n" + RULE,
        "already has these work hours: no effect",
    ),
    Case(
        "name-in-off-hours-and-allowed",
        WH
        + '[[rules]]\ncategories = ["workplace"]\noff_hours = ["camera"]\nallowed = ["camera"]\n',
        '"camera" is also in off_hours, which wins: listing it in allowed has no effect',
        "rules[0].allowed",
    ),
    Case(
        "name-in-never-and-off-hours",
        WH + '[[rules]]\ncategories = ["social"]\nnever = ["location"]\noff_hours = ["location"]\n',
        "listing it in off_hours has no effect",
    ),
    Case(
        "touching-ranges",
        '[work_hours]\nmonday = ["09:00-12:00", "12:00-13:00"]\n' + RULE,
        "form one window",
        "work_hours.monday[1]",
    ),
    Case(
        "ended-override",
        WH + "[[work_hours.overrides]]\nuntil = 2020-01-01T09:00:00\nworking = true\n" + RULE,
        "this override ended (2020-01-01T09:00:00): no effect",
    ),
    Case(
        "disable-unknown-rule",
        WH + RULE + '[[rules]]\nname = "nope"\nenabled = false\n',
        'no earlier rule is named "nope"',
    ),
    Case("no-work-hours", RULE, "no work hours are set: every moment counts as outside work hours"),
    Case(
        "glob-matches-nothing",
        WH
        + '[[rules]]\ncategories = ["workplace"]\npackages = ["org.nothing.*"]\n'
        + 'off_hours = ["contacts"]\n',
        '"org.nothing.*" matches no known package',
    ),
    Case(
        "exclude-removes-nothing",
        WH
        + '[[rules]]\ncategories = ["workplace"]\nexclude = ["com.tencent.mm"]\n'
        + 'off_hours = ["contacts"]\n',
        '"com.tencent.mm" excludes nothing this rule selects',
    ),
    Case(
        "dont-ask-again-without-revokes",
        WH + '[[rules]]\ncategories = ["workplace"]\nallowed = ["camera"]\ndont_ask_again = true\n',
        "the rule revokes nothing",
    ),
    Case(
        "rule-changes-nothing", WH + '[[rules]]\ncategories = ["workplace"]\n', "it changes nothing"
    ),
    Case(
        "extra-workday-uses-empty-day",
        WH + 'extra_workdays = [{ date = 2026-11-28, as = "sunday" }]\n' + RULE,
        "uses sunday's hours, which are empty",
    ),
]


@pytest.mark.parametrize("case", WARNINGS, ids=[case.id for case in WARNINGS])
def test_settings_without_effect_warn_and_exit_0(case: Case, cli, write):
    path = write("p.toml", case.text)
    result = cli("profile", "check", path)
    assert result.code == 0, result.text
    assert "warning" in result.out
    assert case.message in result.out, result.out
    if case.key_path is not None:
        report = json.loads(cli("profile", "check", "--json", path).out)
        warnings = report["files"][0]["warnings"]
        assert any(
            w["key_path"] == case.key_path and case.message in w["message"] for w in warnings
        )


def test_ended_override_depends_on_now(write):
    path = write(
        "p.toml",
        WH + "[[work_hours.overrides]]\nuntil = 2030-01-01T09:00:00\nworking = true\n" + RULE,
    )
    before = check_profile(path, now=datetime(2029, 12, 31, tzinfo=UTC))
    after = check_profile(path, now=datetime(2030, 1, 2, tzinfo=UTC))
    assert not before.warnings
    assert [w.key_path for w in after.warnings] == ["work_hours.overrides[0].until"]


def test_several_files_one_bad_exits_2_and_reports_both(cli, write):
    good = write("good.toml", WH + RULE)
    bad = write("bad.toml", WH + '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contact"]\n')
    result = cli("profile", "check", good, bad)
    assert result.code == 2
    assert f"{good}: ok" in result.out
    assert f"{bad}: 1 error" in result.out


def test_no_traceback_from_the_console_script(write):
    path = write("p.toml", WH + '[[rules]]\ncategories = ["workplace"]\noff_hours = ["contact"]\n')
    for command in (["check"], ["show"]):
        completed = subprocess.run(
            [sys.executable, "-m", "hardener", "profile", *command, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 2, completed
        output = completed.stdout + completed.stderr
        assert "Traceback" not in output
        assert 'unknown capability or lever "contact"' in output


def test_datetime_without_seconds(write, cli):
    """TOML 1.0 parsers refuse `09:00` without seconds (with a hint); TOML 1.1 ones accept it."""
    path = write(
        "p.toml", WH + "[[work_hours.overrides]]\nuntil = 2030-01-01T09:00\nworking = true\n" + RULE
    )
    try:
        tomllib.loads("moment = 2030-01-01T09:00")
    except tomllib.TOMLDecodeError:
        result = cli("profile", "check", "--json", path)
        assert result.code == 2
        error = json.loads(result.out)["files"][0]["errors"][0]
        assert error["line"] == 5 and "not valid TOML" in error["message"]
        assert "with seconds" in error["expected"]
    else:
        assert cli("profile", "check", path).code == 0
        profile = load_profile(path)
        assert profile.work_hours.overrides[0].end == datetime(2030, 1, 1, 9, 0)
