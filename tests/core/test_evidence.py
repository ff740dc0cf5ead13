"""The pure evidence computation and its HTML page, on hand-made records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from hardener.android.parsers.appops_history import parse_appops_history
from hardener.core.evidence import (
    DeviceFacts,
    EvidenceInput,
    compute,
    first_enforced,
    held_spans,
    limits_for,
)
from hardener.core.evidence_html import render
from hardener.profile import load_profile

BERLIN = ZoneInfo("Europe/Berlin")
SCHEDULE = load_profile("default").schedule("Europe/Berlin")  # weekdays 09:00-18:00
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=BERLIN)  # Friday noon


def enforce_record(at: str, before: bool, after: bool, status: str = "applied") -> dict:
    return {
        "command": "enforce",
        "at": at,
        "time": "2026-12-01T00:00:00+00:00",
        "counts": {status: 1},
        "outcomes": [
            {
                "package": "com.alibaba.android.rimet",
                "user": 0,
                "setting": "permission",
                "name": "android.permission.ACCESS_BACKGROUND_LOCATION",
                "status": status,
                "before": {"granted": before, "flags": []},
                "after": {"granted": after, "flags": []},
            }
        ],
    }


def test_first_enforced_is_the_earliest_applied_enforce():
    records = [
        enforce_record("2026-11-19T18:00:00+01:00", True, False),
        enforce_record("2026-11-18T18:00:00+01:00", True, False, status="already"),
        {"command": "enforce", "at": "2026-11-17T18:00:00+01:00", "interrupted": "cable"},
        {"command": "restore", "time": "2026-11-16T10:00:00+00:00", "counts": {"applied": 3}},
        {"garbage": True},
    ]
    assert first_enforced(records) == datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
    assert first_enforced([]) is None


def test_held_spans_follow_the_before_and_after_values():
    records = [
        enforce_record("2026-11-19T18:00:00+01:00", True, False),
        enforce_record("2026-11-20T09:00:00+01:00", False, True),
    ]
    start = datetime(2026, 11, 19, 0, 0, tzinfo=BERLIN)
    spans = held_spans(records, 34, start, NOW)
    assert spans == {
        ("com.alibaba.android.rimet", 0, "background_location"): [
            (start, datetime(2026, 11, 19, 18, 0, tzinfo=BERLIN)),
            (datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN), NOW),
        ]
    }


def test_limits_name_the_release_and_source():
    assert "Android 14 keeps each location" in limits_for(34, "14", "device")["discrete"]
    assert "stores them in SQLite" in limits_for(36, "16", "device")["discrete"]
    assert "no per-access history" in limits_for(29, "10", "device")["discrete"]
    assert "no access history" in limits_for(28, "9", "device")["aggregated"]
    assert "bugreport" in limits_for(34, "14", "bugreport")["source"]


HISTORY = """\
  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE

    snapshot:
      begin = 2026-11-20 11:45:00.000  (-15m0s0ms)
      end = 2026-11-20 12:00:00.000  (0)

      Uid u0a100:
        Package com.alibaba.android.rimet:
          Attribution null:
            READ_CONTACTS:
              [bg-tpd] = access=2
            FINE_LOCATION:
              [bg-s] = access=9

    snapshot:
      begin = 2026-11-19 21:45:00.000  (-14h15m0s0ms)
      end = 2026-11-20 00:15:00.000  (-11h45m0s0ms)

      Uid u0a100:
        Package com.alibaba.android.rimet:
          Attribution null:
            READ_CONTACTS:
              [bg-tpd] = reject=3

    snapshot:
      begin = 2026-11-19 06:45:00.000  (-29h15m0s0ms)
      end = 2026-11-19 09:15:00.000  (-26h45m0s0ms)

      Uid u0a100:
        Package com.alibaba.android.rimet:
          Attribution null:
            READ_CONTACTS:
              [top-s] = access=1
Discrete accesses: 
  Uid: 10100
    Package: com.alibaba.android.rimet
      FINE_LOCATION
        Attribution: null
          Access [bg-s] at 2026-11-19 23:00:00.000
          Access [top-s] at 2026-11-20 10:00:00.000
          Access [bg-s] at 2026-11-01 10:00:00.000
    Package: org.example.unlisted
      FINE_LOCATION
        Attribution: null
          Access [bg-s] at 2026-11-19 23:00:00.000
"""  # noqa: W291


def document(records=()):
    data = EvidenceInput(
        DeviceFacts("SER1", "Pixel 8", 34, "14", "Europe/Berlin"),
        parse_appops_history(HISTORY),
    )
    return compute(
        data,
        schedule=SCHEDULE,
        selects=lambda package: package.startswith("com.alibaba"),
        name_of=lambda package: {"com.alibaba.android.rimet": "DingTalk"}.get(package, package),
        records=list(records),
        since=timedelta(days=7),
        fallback_now=NOW,
        profile_name="default",
    )


def test_discrete_accesses_are_exact_and_intervals_split_only_when_whole():
    doc = document([enforce_record("2026-11-19T18:00:00+01:00", True, False)])
    assert doc["window"]["until"] == NOW.isoformat()
    (app,) = doc["apps"]
    assert app["name"] == "DingTalk"
    location = app["capabilities"]["location"]
    # Discrete: 23:00 Thursday (off, background), 10:00 Friday (work, in use); the access
    # on 1 November is outside the window; the 9 in the aggregated interval are the
    # discrete ones already counted (younger than 7 days), so not counted twice.
    assert location["accesses"]["off_hours"] == {"in_use": 0, "background": 1}
    assert location["accesses"]["work_hours"] == {"in_use": 1, "background": 0}
    assert location["accesses"]["not_attributable"] == 0
    contacts = app["capabilities"]["contacts"]
    # 11:45-12:00 Friday is work time; 21:45-00:15 is off hours; 06:45-09:15 spans both.
    assert contacts["accesses"]["work_hours"]["background"] == 2
    assert contacts["accesses"]["not_attributable"] == 1
    assert contacts["refused"] == {
        "work_hours": 0,
        "off_hours": 3,
        "not_attributable": 0,
        "total": 3,
    }
    assert contacts["after_enforcement"]["refused"] == 3
    assert contacts["before_enforcement"]["accesses"] == 1
    assert doc["first_enforced"] == "2026-11-19T18:00:00+01:00"
    assert app["capabilities"]["background_location"]["held_off_hours_h"] is not None
    assert len(doc["work_week"]) == 7 and doc["work_week"][5] == []
    assert doc["work_week"][0] == [[9.0, 18.0]]


def test_an_op_the_discrete_history_keeps_is_not_counted_twice():
    """Android 16 with record_all_runtime_appops_sqlite (or GrapheneOS) keeps contacts per
    access too: those accesses come from the discrete rows, not again from the intervals.
    Sample DERIVED from DiscreteOpsSqlRegistry.dump (see parsers/appops_history.py)."""
    sql = (
        "Discrete accesses: \n  Largest chain id: 0\n"
        "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS"
        "|CHAIN_ID|ACCESS_TIME|DURATION\n"
        "10100|com.alibaba.android.rimet|default:0|READ_CONTACTS|null|bg|tpd|0|-1"
        "|2026-11-20 11:50:00.000|-1\n\n"
    )
    data = EvidenceInput(
        DeviceFacts("SER1", "Pixel 8", 36, "16", "Europe/Berlin"),
        parse_appops_history(HISTORY.split("Discrete accesses")[0] + sql),
    )
    doc = compute(
        data,
        schedule=SCHEDULE,
        selects=lambda package: package.startswith("com.alibaba"),
        name_of=str,
        records=[],
        since=timedelta(days=7),
        fallback_now=NOW,
        profile_name="default",
    )
    (app,) = doc["apps"]
    contacts = app["capabilities"]["contacts"]["accesses"]
    # One access, from the row (not the interval's 2); the interval across 09:00 Thursday
    # is younger than 7 days too, so its access is the discrete history's as well; the
    # refusals are only in the intervals and still counted.
    assert contacts["work_hours"]["background"] == 1
    assert contacts["not_attributable"] == 0
    assert app["capabilities"]["contacts"]["refused"]["total"] == 3


def test_a_timed_access_is_one_access_though_android_notes_it_twice():
    """A startOp..finishOp access is in the discrete history twice at its start time: without
    a duration (noted at the start) and with it (at the finish). DERIVED sample (XML form)."""
    text = HISTORY.replace(
        "          Access [top-s] at 2026-11-20 10:00:00.000\n",
        "          Access [top-s] at 2026-11-20 10:00:00.000\n"
        "          Access [top-s] at 2026-11-20 10:00:00.000 for 120000 milliseconds \n"
        "          Access [bg-s] at 2026-11-20 10:00:00.000\n",
    )
    data = EvidenceInput(
        DeviceFacts("SER1", "Pixel 8", 34, "14", "Europe/Berlin"), parse_appops_history(text)
    )
    assert len(data.history.discrete) == 6
    doc = compute(
        data,
        schedule=SCHEDULE,
        selects=lambda package: package.startswith("com.alibaba"),
        name_of=str,
        records=[],
        since=timedelta(days=7),
        fallback_now=NOW,
        profile_name="default",
    )
    (app,) = doc["apps"]
    # 10:00 in use: one access (the note without a duration is its start); the background
    # note at 10:00 has no timed twin in its state, so it is an access of its own.
    accesses = app["capabilities"]["location"]["accesses"]["work_hours"]
    assert accesses == {"in_use": 1, "background": 1}


def test_the_page_escapes_everything_the_phone_and_profile_said():
    doc = document()
    doc["device"]["model"] = "<img src=x onerror=alert(1)>"
    doc["profile"] = "</title><script>alert(2)</script>"
    doc["apps"][0]["name"] = "Ding<b>Talk</b> & co"
    doc["apps"][0]["marks"][0]["capability"] = "<svg onload=alert(3)>"
    page = render(doc)
    assert "<script" not in page and "<img" not in page and "onload=alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Ding&lt;b&gt;Talk&lt;/b&gt; &amp; co" in page
    assert 'data-key="com.alibaba.android.rimet|0|location|accesses.off_hours.background"' in page


@given(st.text(max_size=40), st.text(max_size=40))
def test_render_never_leaks_markup(model, name):
    doc = document()
    doc["device"]["model"] = f"ZQ{model}QZ"
    doc["apps"][0]["name"] = f"ZQ{name}QZ"
    page = render(doc)
    for text in (f"ZQ{model}QZ", f"ZQ{name}QZ"):
        assert escape(text) in page
        if any(c in text for c in "<>&\"'"):
            assert text not in page


STAMPS = ["2026-11-20 11:45:00.000", "0001-01-01 00:00:00.000", "9999-12-31 23:59:59.999"]
STAMPS += ["2026-03-29 02:30:00.000", "2026-10-25 02:30:00.000"]  # Berlin's DST gap and fold
PIECES = [
    "  History:  mode=X\n",
    "    snapshot:\n",
    "      Uid u0a100:\n",
    "      Uid 1000:\n",
    "        Package com.alibaba.android.rimet:\n",
    "          Attribution null:\n",
    "            FINE_LOCATION:\n",
    "            READ_CONTACTS:\n",
    "              [bg-s] = access=2, reject=1\n",
    "              [top-tpd] = access=99999999999\n",
    "Discrete accesses: \n",
    "  Uid: 10100\n",
    "    Package: com.alibaba.android.rimet\n",
    "      FINE_LOCATION\n",
    "        Attribution: null\n",
]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.builds(
                lambda kind, stamp, ago: f"      {kind} = {stamp}  ({ago})\n",
                st.sampled_from(["begin", "end"]),
                st.sampled_from(STAMPS),
                st.sampled_from(["-15m0s0ms", "0", "+24855d3h14m7s648ms", "-1ms"]),
            ),
            st.builds(
                lambda state, stamp: f"          Access [{state}-s] at {stamp}\n",
                st.sampled_from(["bg", "top", "x"]),
                st.sampled_from(STAMPS),
            ),
        ),
        max_size=40,
    ),
    st.sampled_from(["Europe/Berlin", "Asia/Shanghai", "Not/AZone", ""]),
    st.sampled_from([0, 28, 29, 31, 34]),
)
def test_any_dump_gives_a_document_and_a_page(pieces, zone, sdk):
    data = EvidenceInput(
        DeviceFacts("S", "M", sdk, "", zone), parse_appops_history("".join(pieces))
    )
    doc = compute(
        data,
        schedule=SCHEDULE,
        selects=lambda _package: True,
        name_of=lambda package: package,
        records=[enforce_record("2026-11-19T18:00:00+01:00", True, False)],
        since=timedelta(days=7),
        fallback_now=NOW,
    )
    assert render(doc).endswith("</html>\n")


def test_dates_at_the_ends_of_the_calendar_do_not_overflow():
    for stamp in ("9999-12-31 23:00:00.000", "0001-01-01 00:00:00.000", "0001-01-03 00:00:00.000"):
        text = (
            f"  History:  mode=X\n    snapshot:\n      begin = {stamp}  (0)\n"
            f"      end = {stamp}  (0)\n      Uid u0a100:\n        Package p:\n"
            "            FINE_LOCATION:\n              [bg-s] = access=1\n"
            f"Discrete accesses: \n  Uid: 10100\n    Package: p\n      FINE_LOCATION\n"
            f"          Access [bg-s] at {stamp}\n"
        )
        data = EvidenceInput(DeviceFacts(timezone="Europe/Berlin"), parse_appops_history(text))
        doc = compute(
            data,
            schedule=SCHEDULE,
            selects=lambda _package: True,
            name_of=str,
            records=[],
            since=timedelta(days=7),
            fallback_now=NOW,
        )
        assert doc["window"]["until"] == NOW.isoformat() and doc["apps"] == []
