"""Android 16's SQLite discrete registry on the virtual phone: SDK 36 and later print
`DiscreteOpsSqlRegistry.dump`'s pipe table (raw times and durations, oldest first), SDK 31–35
the XML registry's tree; both read back by hardener's parser equal the model's record.

The table's shape is derived from AOSP (DiscreteOpsSqlRegistry.java @ a05b53f6, cited in
hardener/android/parsers/appops_history.py); no real capture of it exists."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hardener.android.parsers.appops_history import parse_appops_history
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android.access_log import ACCESSED, REFUSED, AccessEvent

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 16, tzinfo=BERLIN).timestamp()
DAY = 86_400
TRACK = "com.example.track"
HEADER = (
    "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID"
    "|ACCESS_TIME|DURATION"
)


def sh(phone: AndroidDevice, command: str) -> str:
    return phone.run(command).stdout.decode()


def persona(tmp_path: Path, sdk: int) -> AndroidDevice:
    """One app that may read location in the background, hourly, for 90 seconds a time."""
    path = tmp_path / f"sdk{sdk}.toml"
    path.write_text(
        f'[device]\nsdk = {sdk}\nrelease = "{sdk - 20}"\ntimezone = "Europe/Berlin"\n'
        f'[[apps]]\npackage = "{TRACK}"\ntarget_sdk = 34\n'
        'requested = ["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION",'
        ' "ACCESS_BACKGROUND_LOCATION"]\n'
        "[apps.state.grants]\n"
        'ACCESS_FINE_LOCATION = "granted USER_SET"\nACCESS_COARSE_LOCATION = "granted USER_SET"\n'
        'ACCESS_BACKGROUND_LOCATION = "granted USER_SET"\n'
        f'[[behaviours]]\npackage = "{TRACK}"\n'
        'reads = [{ op = "FINE_LOCATION", every = "1h", duration = "90s" }]\n'
    )
    start = datetime.fromtimestamp(MONDAY, BERLIN)  # its clock moved only by the test
    return load_persona(path, clock=start, real_time=False)


def live_until(phone: AndroidDevice, epoch: float) -> None:
    """The phone lives (awake) until its wall clock reads `epoch`: its app behaves."""
    phone.advance_to(datetime.fromtimestamp(epoch, BERLIN))


def model_accesses(phone: AndroidDevice) -> list[tuple[str, str, str, int, int]]:
    """The model's location accesses as the registry notes them: a timed access twice, at
    its start without a duration (-1) and at its finish with it (AttributedOp)."""
    result = []
    for e in phone.model.access.events:
        if e.outcome != ACCESSED or e.op != "FINE_LOCATION":
            continue
        local = datetime.fromtimestamp(e.when_ms / 1000, BERLIN).replace(tzinfo=None)
        start = (e.package, e.op, e.uid_state, int(local.timestamp()))
        result += [(*start, -1), (*start, e.duration_ms)]
    return result


@pytest.mark.parametrize("sdk", [34, 35, 36])
def test_release_16_prints_the_sqlite_table(tmp_path, sdk):
    phone = persona(tmp_path, sdk)
    live_until(phone, MONDAY + DAY)
    text = sh(phone, "dumpsys appops --history --include-discrete 0 --op FINE_LOCATION")
    assert (HEADER in text) == (sdk >= 36)
    assert ("    Package: " in text) == (sdk < 36)
    history = parse_appops_history(text)
    assert history.discrete_seen
    printed = [
        (d.package, d.op, d.uid_state, int(d.when.timestamp()), d.duration_ms or -1)
        for d in history.discrete
    ]
    expected = model_accesses(phone)
    assert len(expected) == 2 * 24
    if sdk >= 36:
        # Raw durations (90 s), as recorded: the SQLite registry stores them unrounded.
        assert printed == expected
        assert {d.device for d in history.discrete} == {"default:0"}
    else:
        # The XML registry rounds durations up to the minute.
        assert [p[:4] for p in printed] == [e[:4] for e in expected]
        assert [p[4] for p in printed] == [-1, 120_000] * 24


def test_raw_times_order_and_limit(tmp_path):
    """Rows are oldest first with their milliseconds; `--include-discrete N` keeps the oldest
    N (`ORDER BY access_time LIMIT N`); an event equal to one of the same minute is dropped;
    refusals never reach the table."""
    phone = persona(tmp_path, 36)
    live_until(phone, MONDAY + DAY)
    log = phone.model.access
    uid = next(e.uid for e in log.events if e.package == TRACK)
    base = int((MONDAY + 3 * 3600) * 1000)
    extra = [
        AccessEvent(base + 61_234, uid, TRACK, "COARSE_LOCATION", "top", ACCESSED),
        AccessEvent(base + 61_999, uid, TRACK, "COARSE_LOCATION", "top", ACCESSED),  # same min
        AccessEvent(base + 1_500, uid, TRACK, "COARSE_LOCATION", "fg", ACCESSED, "tpd", 5, "a"),
        AccessEvent(base + 2_500, uid, TRACK, "COARSE_LOCATION", "bg", REFUSED),
    ]
    for event in extra:
        log.record(event)
    text = sh(phone, "dumpsys appops --history --include-discrete 0 --op COARSE_LOCATION")
    rows = text.split(HEADER + "\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert rows == [
        # A timed access: noted at its start without a duration, then with it at its finish.
        f"{uid}|{TRACK}|default:0|COARSE_LOCATION|a|fg|tpd|0|-1|2026-11-16 03:00:01.500|-1",
        f"{uid}|{TRACK}|default:0|COARSE_LOCATION|a|fg|tpd|0|-1|2026-11-16 03:00:01.500|5",
        f"{uid}|{TRACK}|default:0|COARSE_LOCATION|null|top|s|0|-1|2026-11-16 03:01:01.234|-1",
    ]
    first = sh(phone, "dumpsys appops --history --include-discrete 2 --op FINE_LOCATION")
    history = parse_appops_history(first)
    assert [(d.when.hour, d.duration_ms) for d in history.discrete] == [(0, None), (0, 90_000)]


def test_rows_older_than_seven_days_are_gone(tmp_path):
    phone = persona(tmp_path, 36)
    live_until(phone, MONDAY + 9 * DAY)
    history = parse_appops_history(
        sh(phone, f"dumpsys appops --history --include-discrete 0 --package {TRACK}")
    )
    now = phone.model.access.now_ms() / 1000
    oldest = min(d.when.replace(tzinfo=BERLIN).timestamp() for d in history.discrete)
    assert now - 7 * DAY <= oldest < now - 7 * DAY + 3600
    assert len(history.discrete) == 2 * 7 * 24
