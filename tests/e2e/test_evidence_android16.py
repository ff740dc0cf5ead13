"""Issue 13 on Android 16: the pixel persona moved to SDK 36 prints its discrete history as
`DiscreteOpsSqlRegistry` does (a pipe table, derived from AOSP; no real capture exists).
`hardener evidence` over the official ADB path reads it and its figures equal the model's
own record, as on Android 14 (tests/e2e/test_evidence_week.py); a timed access, noted twice
by Android, is counted once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hardener.profile import load_profile
from hardener.sim.android.access_log import ACCESSED

BERLIN = ZoneInfo("Europe/Berlin")
DINGTALK = "com.alibaba.android.rimet"
START = datetime(2026, 11, 16, tzinfo=BERLIN)  # a Monday
END = START + timedelta(days=2, hours=7)
PERSONAS = Path(__file__).resolve().parents[2] / "hardener" / "sim" / "android" / "personas"


DINGTALK_READ = '{ op = "FINE_LOCATION", every = "10m" }'


def android16_persona(tmp_path: Path) -> Path:
    """pixel-14 as it would be after the Android 16 update (SDK 36); DingTalk's location
    reads last 20 seconds each (startOp..finishOp), which Android notes twice."""
    text = (PERSONAS / "pixel-14.toml").read_text(encoding="utf-8")
    assert "\nsdk = 34\n" in text and '\nrelease = "14"\n' in text and DINGTALK_READ in text
    text = text.replace("\nsdk = 34\n", "\nsdk = 36\n").replace(
        '\nrelease = "14"\n', '\nrelease = "16"\n'
    )
    text = text.replace(DINGTALK_READ, DINGTALK_READ[:-2] + ', duration = "20s" }')
    path = tmp_path / "pixel-16.toml"
    path.write_text(text, encoding="utf-8")
    return path


def profile(tmp_path: Path) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(
        "schema = 1\n"
        'description = "test: workplace apps lose background location off hours"\n'
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        '[[rules]]\nname = "workplace"\ncategories = ["workplace"]\n'
        'off_hours = ["background_location"]\n'
    )
    return path


def test_evidence_on_android_16_equals_the_model_record(virtual_phone, cli, tmp_path):
    # the phone's clock starts at START and moves only as the test moves it
    phone = virtual_phone(str(android16_persona(tmp_path)), clock=START, real_time=False)
    model = phone.android.model
    assert model.sdk == 36
    phone.android.advance_to(END)
    shown = phone.android.run("dumpsys appops --history --include-discrete 0 --op FINE_LOCATION")
    assert b"\nUID|PACKAGE_NAME|DEVICE_ID|OP_NAME|" in shown.stdout  # the SQLite form
    assert b"|null|bg|s|0|-1|2026-11-16 00:10:00.000|-1\n" in shown.stdout  # start note
    assert b"|null|bg|s|0|-1|2026-11-16 00:10:00.000|20000\n" in shown.stdout  # finish

    path = str(profile(tmp_path))
    result = cli("evidence", "-p", path, "--device", phone.spec, "--since", "7d", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    document = result.json()

    schedule = load_profile(path).schedule("Europe/Berlin")
    expected: Counter[str] = Counter()
    for event in model.access.events:
        if event.package != DINGTALK or event.op != "FINE_LOCATION":
            continue
        assert event.outcome == ACCESSED  # nothing enforced: every read went through
        when = datetime.fromtimestamp(event.when_ms / 1000, BERLIN)
        hours = "work_hours" if schedule.is_working(when) else "off_hours"
        expected[f"{hours}.{'in_use' if event.uid_state == 'top' else 'background'}"] += 1
    assert expected["off_hours.background"] > 2 * 80  # two nights of background reads

    (app,) = [a for a in document["apps"] if a["package"] == DINGTALK]
    location = app["capabilities"]["location"]
    for hours in ("work_hours", "off_hours"):
        for use in ("in_use", "background"):
            assert location["accesses"][hours][use] == expected[f"{hours}.{use}"], (hours, use)
    assert location["accesses"]["not_attributable"] == 0  # every access from the table
    assert location["refused"]["total"] == 0
