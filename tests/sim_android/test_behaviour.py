"""Apps that behave: the model's own record, Android's three records of it, and the dumps
that print them in each release's shape (read back with hardener's parsers)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.android.parsers.appops_access import parse_last_access
from hardener.android.parsers.appops_history import parse_appops_history
from hardener.errors import InputError
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android.access_log import ACCESSED, REFUSED, UNRECORDED

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 16, tzinfo=BERLIN).timestamp()
DAY = 86_400
DINGTALK = "com.alibaba.android.rimet"
WECHAT = "com.tencent.mm"


@pytest.fixture
def pixel() -> AndroidDevice:
    """The pixel persona on Monday 00:00 in Berlin, its clock moved only by the test."""
    return monday("pixel-14")


def monday(persona: str | Path, **options: object) -> AndroidDevice:
    start = datetime.fromtimestamp(MONDAY, BERLIN)
    return load_persona(persona, clock=start, real_time=False, **options)  # type: ignore[arg-type]


def live_until(phone: AndroidDevice, epoch: float) -> None:
    """The phone lives (awake) until its wall clock reads `epoch`: its apps behave."""
    phone.advance_to(datetime.fromtimestamp(epoch, BERLIN))


def sh(phone: AndroidDevice, command: str) -> str:
    return phone.run(command).stdout.decode()


def local_ms(when: datetime) -> int:
    return int(when.replace(tzinfo=BERLIN).timestamp() * 1000)


def test_dingtalk_reads_location_every_ten_minutes_and_contacts_at_night(pixel):
    live_until(pixel, MONDAY + DAY)
    events = [e for e in pixel.model.access.events if e.package == DINGTALK]
    location = [e for e in events if e.op == "FINE_LOCATION"]
    assert len(location) == 144  # every 10 minutes of a day, front or back
    assert Counter(e.uid_state for e in location) == {"bg": 142, "top": 2}  # 08:50, 21:30
    assert all(e.outcome == ACCESSED for e in events)
    contacts = [e for e in events if e.op == "READ_CONTACTS"]
    assert [datetime.fromtimestamp(e.when_ms / 1000, BERLIN).hour for e in contacts] == [2]
    wechat = [e for e in pixel.model.access.events if e.package == WECHAT]
    assert [(e.op, e.uid_state) for e in wechat] == [("FINE_LOCATION", "top")] * 3


def test_what_android_prints_is_what_the_model_recorded(pixel):
    live_until(pixel, MONDAY + 2 * DAY)
    log = pixel.model.access
    now = log.now_ms()
    history = parse_appops_history(sh(pixel, "dumpsys appops --history --include-discrete 0"))
    # Discrete: every location access, to the minute.
    expected = sorted(
        (e.package, e.op, e.uid_state, e.when_ms)
        for e in log.events
        if e.op == "FINE_LOCATION" and e.outcome == ACCESSED
    )
    printed = sorted((d.package, d.op, d.uid_state, local_ms(d.when)) for d in history.discrete)
    assert printed == expected
    # Aggregated: every recorded attempt counted once, whatever the interval.
    assert sum(c.access for c in history.counts) == sum(
        1 for e in log.events if e.outcome == ACCESSED
    )
    assert history.now is not None and local_ms(history.now) == now
    # Last access: the latest per state.
    last = parse_last_access(sh(pixel, f"dumpsys appops --package {DINGTALK}"))
    latest_bg = max(
        e.when_ms for e in log.events if e.package == DINGTALK and e.op == "FINE_LOCATION"
    )
    bg = [e for e in last if e.op == "FINE_LOCATION" and e.uid_state == "bg"]
    assert [(e.kind, local_ms(e.when)) for e in bg] == [("access", latest_bg)]
    assert bg[0].ago_ms == latest_bg - now


def test_background_refusals_are_counted_but_never_discrete(pixel):
    live_until(pixel, MONDAY + 18 * 3600)  # to Monday 18:00
    revoked = sh(pixel, f"pm revoke {DINGTALK} android.permission.ACCESS_BACKGROUND_LOCATION")
    assert revoked == ""
    live_until(pixel, MONDAY + DAY)
    evening = [
        e
        for e in pixel.model.access.events
        if e.package == DINGTALK
        and e.op == "FINE_LOCATION"
        and e.when_ms >= (MONDAY + 18 * 3600) * 1000
    ]
    # Killed by the revoke but not stopped: it keeps trying in the background, refused,
    # and succeeds in front when opened at 21:30.
    assert Counter((e.uid_state, e.outcome) for e in evening) == {
        ("bg", REFUSED): 35,
        ("top", ACCESSED): 1,
    }
    history = parse_appops_history(sh(pixel, "dumpsys appops --history --include-discrete 0"))
    assert sum(c.reject for c in history.counts if c.package == DINGTALK) == 35
    assert not [d for d in history.discrete if d.when.hour >= 18 and d.uid_state == "bg"]
    last = parse_last_access(sh(pixel, f"dumpsys appops --package {DINGTALK} --op FINE_LOCATION"))
    assert {(e.kind, e.uid_state) for e in last} >= {("reject", "bg"), ("access", "top")}
    assert {e.op for e in last} == {"FINE_LOCATION"}


def test_a_revoked_permission_leaves_no_record_in_android(pixel):
    for perm in ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "ACCESS_BACKGROUND_LOCATION"):
        sh(pixel, f"pm revoke {DINGTALK} android.permission.{perm}")
    live_until(pixel, MONDAY + DAY)
    mine = [
        e for e in pixel.model.access.events if e.package == DINGTALK and e.op == "FINE_LOCATION"
    ]
    assert mine and {e.outcome for e in mine} == {UNRECORDED}
    history = parse_appops_history(sh(pixel, "dumpsys appops --history --include-discrete 0"))
    assert not [c for c in history.counts if c.package == DINGTALK and c.op == "FINE_LOCATION"]


def test_a_force_stopped_app_does_nothing_until_opened(pixel):
    sh(pixel, f"am force-stop {DINGTALK}")
    live_until(pixel, MONDAY + 8 * 3600 + 50 * 60)  # until 08:50, when it is opened
    assert not [e for e in pixel.model.access.events if e.package == DINGTALK]
    live_until(pixel, MONDAY + 9 * 3600)
    assert [e.uid_state for e in pixel.model.access.events if e.package == DINGTALK] == ["top"]


def _persona(tmp_path: Path, sdk: int) -> AndroidDevice:
    path = tmp_path / f"sdk{sdk}.toml"
    path.write_text(
        f'[device]\nsdk = {sdk}\nrelease = "{sdk}"\ntimezone = "Europe/Berlin"\n'
        '[[apps]]\npackage = "com.example.track"\ntarget_sdk = 29\n'
        'requested = ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "READ_CONTACTS"]\n'
        "[apps.state.grants]\n"
        'ACCESS_FINE_LOCATION = "granted USER_SET"\nACCESS_COARSE_LOCATION = "granted USER_SET"\n'
        'READ_CONTACTS = "granted USER_SET"\n'
        '[[behaviours]]\npackage = "com.example.track"\n'
        'reads = [{ op = "FINE_LOCATION", every = "1h" },\n'
        '         { op = "READ_CONTACTS", daily = "03:00" }]\n'
    )
    return monday(path)


@pytest.mark.parametrize("sdk", [29, 30, 31, 34])
def test_each_release_prints_its_own_form(tmp_path, sdk):
    phone = _persona(tmp_path, sdk)
    live_until(phone, MONDAY + DAY)
    text = sh(phone, "dumpsys appops --history --include-discrete 0")
    history = parse_appops_history(text)
    attributions = {c.attribution for c in history.counts}
    assert attributions == ({None} if sdk < 30 else {"null"})
    # Foreground-only location (no background permission): refused in the background.
    assert sum(c.reject for c in history.counts if c.op == "FINE_LOCATION") == 24
    assert sum(c.access for c in history.counts if c.op == "READ_CONTACTS") == 1
    assert history.discrete_seen == (sdk >= 31)
    assert history.discrete == ()  # refusals never reach the discrete history
    assert ("Largest chain id:" in text) == (sdk >= 33)
    last = parse_last_access(sh(phone, "dumpsys appops"))
    contacts = [e for e in last if e.op == "READ_CONTACTS"]
    assert [(e.kind, e.when.hour, e.attribution) for e in contacts] == [
        ("access", 3, None if sdk < 30 else "null")
    ]


def test_discrete_history_keeps_seven_days(pixel):
    live_until(pixel, MONDAY + 9 * DAY)
    history = parse_appops_history(
        sh(
            pixel,
            f"dumpsys appops --history --include-discrete 0 --op FINE_LOCATION --package {WECHAT}",
        )
    )
    days = sorted({d.when.date() for d in history.discrete})
    assert len(days) == 7 and days[0] == datetime(2026, 11, 18).date()
    assert {d.package for d in history.discrete} == {WECHAT}
    # The aggregated history keeps it all, coarser further back.
    assert sum(c.access for c in history.counts) == 27
    assert len(sh(pixel, "dumpsys appops --history --include-discrete 2").split("Access [")) > 1


def test_bad_behaviours_are_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[device]\nsdk = 34\n[[behaviours]]\npackage = "a.b"\n'
        'reads = [{ op = "X", every = "soon" }]\n'
    )
    with pytest.raises(InputError, match=r"behaviours\[0\]\.reads\[0\].*'soon'"):
        load_persona(path)


def test_include_discrete_without_history_keeps_the_state_dump(pixel):
    live_until(pixel, MONDAY + 3600)
    text = sh(pixel, f"dumpsys appops --include-discrete 0 --package {DINGTALK}")
    assert "  Uid u0a" in text and "History:" not in text
    history = parse_appops_history(text)
    assert history.discrete_seen and len(history.discrete) == 6
    assert parse_last_access(text)


def test_appops_get_shows_the_latest_access_and_refusal(pixel):
    from hardener.android.parsers import parse_appops_get

    live_until(pixel, MONDAY + 18 * 3600)
    sh(pixel, f"pm revoke {DINGTALK} android.permission.ACCESS_BACKGROUND_LOCATION")
    live_until(pixel, MONDAY + 20 * 3600)  # to 20:00, refused
    entries = parse_appops_get(sh(pixel, f"cmd appops get {DINGTALK} FINE_LOCATION")).entries
    (fine,) = [e for e in entries if e.op == "FINE_LOCATION"]
    assert fine.mode == "allow"
    assert fine.time_ms == 130 * 60_000  # the last access: 17:50, before the revoke
    assert fine.reject_time == "+10m0s0ms"  # the last refusal: 19:50
    assert sh(pixel, f"cmd appops get {DINGTALK} CAMERA").startswith("No operations.")
