"""Issue 13: a simulated week on the pixel persona, lived on the phone's own clock. Three
nights without hardener (DingTalk's off-hours location reads counted), then four with it
(refused and counted as blocked): the evidence report's numbers equal the model's own record,
in JSON and in the HTML.

The week passes as a person's would: the phone's clock is moved only through its control
socket (`hardener sim-control advance-to` / `suspend`, the path `hardener sim --control`
serves), its apps behave on that clock (hardener/sim/android/behaviour.py), and `hardener
enforce` does each work-hours transition when the phone's clock reaches it."""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.profile import load_profile
from hardener.sim.android.access_log import ACCESSED, REFUSED
from hardener.sim.control import ControlServer

BERLIN = ZoneInfo("Europe/Berlin")
DINGTALK = "com.alibaba.android.rimet"
START = datetime(2026, 11, 16, tzinfo=BERLIN)  # a Monday
FIRST_ENFORCED = datetime(2026, 11, 19, 18, 0, tzinfo=BERLIN)  # Thursday evening
END = START + timedelta(days=7)
TRANSITIONS = [
    FIRST_ENFORCED,
    datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN),
    datetime(2026, 11, 20, 18, 0, tzinfo=BERLIN),
]
# Saturday: the phone lies unplugged on a table from 10:00 to 18:00 (Doze); every night it
# charges, so it never dozes then (Doze needs the phone unplugged).
NAP = (datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN), "8h")


def week_profile(tmp_path: Path) -> Path:
    path = tmp_path / "week.toml"
    path.write_text(
        "schema = 1\n"
        'description = "test: workplace apps lose background location and contacts off hours"\n'
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "workplace"\ncategories = ["workplace"]\n'
        'off_hours = ["background_location", "contacts"]\n'
    )
    return path


class _Figures(HTMLParser):
    """Every `data-key`/`data-value` pair, and the SVG elements drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.tags: Counter[str] = Counter()
        self.classes: Counter[str] = Counter()
        self.access_marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = dict(attrs)
        self.classes[str(found.get("class"))] += 1
        if found.get("class") == "mark access" and found.get("data-count"):
            self.access_marks += int(str(found["data-count"]))
        if "data-key" in found:
            self.values[str(found["data-key"])] = str(found["data-value"])


def lived_week(virtual_phone, cli, tmp_path):
    """The week, on the phone's own clock: hardener enforces from Thursday 18:00."""
    phone = virtual_phone("pixel-14", clock=START, real_time=False)
    profile = str(week_profile(tmp_path))
    control = ControlServer(phone.android, tmp_path / "phone.ctl")
    control.start()

    def sim_control(*args: str) -> dict:
        result = cli("sim-control", "--socket", str(control.path), *args, "--json")
        assert result.exit_code == 0, result.stdout + result.stderr
        return result.json()

    try:
        for transition in TRANSITIONS:
            sim_control("advance-to", transition.isoformat())
            at = transition.strftime("%Y-%m-%dT%H:%M")
            result = cli("enforce", "-p", profile, "--device", phone.spec, "--at", at)
            assert result.exit_code == 0, result.stdout + result.stderr
        sim_control("advance-to", NAP[0].isoformat())
        sim_control("suspend", NAP[1])
        reply = sim_control("advance-to", END.isoformat())
    finally:
        control.stop()
    assert reply["time"] == END.isoformat()  # the phone says it is next Monday, 00:00
    return phone, profile


@pytest.fixture
def week(virtual_phone, cli, tmp_path):
    phone, profile = lived_week(virtual_phone, cli, tmp_path)
    report = tmp_path / "evidence.html"
    trips = phone.round_trips()
    result = cli(
        "evidence", "-p", profile, "--device", phone.spec, "--since", "7d", "--json",
        "--html", str(report),
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    assert phone.round_trips() - trips == 1  # every read in one batched round trip
    return phone, profile, result.json(), report


def model_counts(phone, profile_path: str) -> dict[str, int]:
    """The model's own record of DingTalk's location attempts, split as the report splits."""
    schedule = load_profile(profile_path).schedule("Europe/Berlin")
    start_ms, end_ms = int(START.timestamp() * 1000), int(END.timestamp() * 1000)
    counts: Counter[str] = Counter()
    for event in phone.android.model.access.events:
        if event.package != DINGTALK or event.op != "FINE_LOCATION":
            continue
        if not start_ms < event.when_ms <= end_ms:
            continue
        when = datetime.fromtimestamp(event.when_ms / 1000, BERLIN)
        hours = "work_hours" if schedule.is_working(when) else "off_hours"
        phase = "before" if when < FIRST_ENFORCED else "after"
        if event.outcome == ACCESSED:
            use = "in_use" if event.uid_state == "top" else "background"
            counts[f"{hours}.{use}"] += 1
            counts[f"{phase}.accesses"] += 1
            counts[f"{phase}.off_hours_accesses"] += hours == "off_hours"
        elif event.outcome == REFUSED:
            counts["refused"] += 1
            counts[f"refused.{hours}"] += 1
            counts[f"{phase}.refused"] += 1
    return counts


def test_the_week_in_json_equals_the_model_record(week):
    phone, profile, document, _ = week
    expected = model_counts(phone, profile)
    # Three nights without hardener: DingTalk read location all night in the background.
    assert expected["before.off_hours_accesses"] > 3 * 80
    # With it: background reads refused (blocked), from the 21:30 DING answer to morning.
    assert expected["refused"] > 3 * 60 and expected["refused.work_hours"] == 0
    # Saturday's nap in Doze: reads as usual for the first hour, then deferred to the
    # maintenance windows (12:00, 14:05, 14:10), all refused in the background.
    nap_start = NAP[0].timestamp() * 1000
    nap = [
        e
        for e in phone.android.model.access.events
        if e.package == DINGTALK and nap_start <= e.when_ms < nap_start + 8 * 3_600_000
    ]
    assert [datetime.fromtimestamp(e.when_ms / 1000, BERLIN).strftime("%H:%M") for e in nap] == [
        *(f"10:{m}0" for m in range(6)),
        "12:00",
        "14:05",
        "14:10",
    ]
    assert {(e.uid_state, e.outcome) for e in nap} == {("bg", REFUSED)}
    (app,) = [a for a in document["apps"] if a["package"] == DINGTALK]
    location = app["capabilities"]["location"]
    accesses = location["accesses"]
    for hours in ("work_hours", "off_hours"):
        for use in ("in_use", "background"):
            assert accesses[hours][use] == expected[f"{hours}.{use}"], (hours, use)
    assert accesses["not_attributable"] == 0  # the discrete history has every access
    for phase in ("before", "after"):
        figures = location[f"{phase}_enforcement"]
        assert figures["accesses"] == expected[f"{phase}.accesses"]
        assert figures["off_hours_accesses"] == expected[f"{phase}.off_hours_accesses"]
    refused = location["refused"]
    assert refused["total"] == expected["refused"]
    assert refused["work_hours"] == 0
    assert refused["off_hours"] + refused["not_attributable"] == expected["refused"]
    assert location["before_enforcement"]["refused"] == 0
    assert (
        location["after_enforcement"]["refused"] + location["spanning_enforcement"]["refused"]
        == expected["refused"]
    )
    # Held off hours, from hardener's history: Monday 00:00 to Thursday 09:00 off-hours
    # time (9 + 3 x 15 hours), nothing after Thursday 18:00.
    held = app["capabilities"]["background_location"]
    assert held["held_off_hours_h"] == 54.0
    assert held["before_enforcement"]["held_off_hours_h"] == 54.0
    assert held["after_enforcement"]["held_off_hours_h"] == 0.0
    assert app["capabilities"]["contacts"]["held_off_hours_h"] == 54.0
    assert document["first_enforced"].startswith("2026-11-19T18:00")
    assert document["device"]["release"] == "14" and document["source"] == "device"
    assert any("7 days" in note for note in location["limits"])
    totals = document["totals"]["location"]
    assert totals["before"]["off_hours_accesses"] == expected["before.off_hours_accesses"]
    assert totals["after"]["refused"] == location["after_enforcement"]["refused"]


def test_the_week_in_html_equals_the_json(week):
    _, _, document, report = week
    page = report.read_text(encoding="utf-8")
    assert report.stat().st_mode & 0o777 == 0o600
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page
    assert "Pixel 8" in page and "Android 14 (SDK 34)" in page  # the phone and its release
    assert "The profile&#x27;s week" in page or "The profile's week" in page
    figures = _Figures()
    figures.feed(page)
    (app,) = [a for a in document["apps"] if a["package"] == DINGTALK]
    key = f"{DINGTALK}|0|location"
    location = app["capabilities"]["location"]
    assert figures.values[f"{key}|accesses.off_hours.background"] == str(
        location["accesses"]["off_hours"]["background"]
    )
    assert figures.values[f"{key}|refused.off_hours"] == str(location["refused"]["off_hours"])
    assert figures.values[f"{key}|after_enforcement.refused"] == str(
        location["after_enforcement"]["refused"]
    )
    checked = 0
    for app in document["apps"]:
        for capability, values in app["capabilities"].items():
            prefix = f"{app['package']}|{app['user']}|{capability}"
            for path, value in _leaves(values):
                name = f"{prefix}|{path}"
                if name in figures.values:
                    shown = figures.values[name]
                    assert shown == ("–" if value is None else str(value)), name
                    checked += 1
    assert checked >= 20
    assert figures.tags["svg"] >= 3
    # The grid's hour cells add up to every access Android kept one by one.
    assert figures.access_marks == sum(
        a["capabilities"]["location"]["accesses"]["total"]
        for a in document["apps"]
        if "location" in a["capabilities"]
    )


def _leaves(values, prefix=""):
    for name, value in values.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _leaves(value, path + ".")
            if prefix == "" and name.endswith("_enforcement"):
                for inner, leaf in value.items():
                    yield f"{name}.{inner}", leaf
        elif not isinstance(value, list):
            yield path, value


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.mark.skipif(
    _chromium() is None, reason="chromium is not installed (scripts/install-test-tools.sh)"
)
def test_the_report_in_headless_chromium(week, tmp_path):
    import subprocess

    _, _, document, report = week
    browser = _chromium()
    assert browser is not None
    url = report.resolve().as_uri()
    shot = tmp_path / "evidence.png"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        profile_dir = tmp_path / f"chromium-{len(list(tmp_path.glob('chromium-*')))}"
        return subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *args, url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    taken = run("--window-size=1200,2600", f"--screenshot={shot}", "--hide-scrollbars")
    assert shot.exists(), taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dumped = run("--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    figures = _Figures()
    figures.feed(dumped.stdout)  # the DOM after Chromium parsed and laid it out
    assert figures.classes["week"] == 1 and figures.classes["bars"] >= 1
    assert figures.classes["grid"] == sum(1 for app in document["apps"] if app["marks"]) >= 1
    assert figures.classes["mark access"] > 90  # hours with discrete accesses
    assert figures.classes["band refused"] > 3  # refusals: aggregated intervals
    assert figures.classes["bar"] >= 4 and figures.classes["off"] >= 7
    (app,) = [a for a in document["apps"] if a["package"] == DINGTALK]
    location = app["capabilities"]["location"]
    key = f"{DINGTALK}|0|location"
    assert figures.values[f"{key}|accesses.off_hours.background"] == str(
        location["accesses"]["off_hours"]["background"]
    )
    assert figures.values[f"{key}|before_enforcement.off_hours_accesses"] == str(
        location["before_enforcement"]["off_hours_accesses"]
    )
    assert figures.values[f"{key}|refused.not_attributable"] == str(
        location["refused"]["not_attributable"]
    )
    keep = os.environ.get("HARDENER_KEEP_SCREENSHOT")
    if keep:  # for a person to look at
        Path(keep).write_bytes(shot.read_bytes())
