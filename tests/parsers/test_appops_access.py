"""Last access / last reject lines of `dumpsys appops`: Android 10 (real capture), 11-12 and
14 (AOSP grammar, `AppOpsService.dumpStatesLocked`)."""

# Android prints op lines with a trailing blank on 14; the samples keep them so.
# ruff: noqa: W291, E501

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsers_support import FIXTURES, FIXTURES_MISSING, encodings, fixture_bytes

from hardener.android.parsers.appops_access import parse_last_access

ANDROID_10 = "dumpsys-appops__10__samsung-galaxy-a40-mvt.txt"

# Android 11/12: per-attribution wrapper, a switch op in the mode, proxy and duration.
ANDROID_12 = """\
Current AppOps Service state:
  Settings:
    top_state_settle_time=+30s0ms

  Uid u0a120:
    state=top
    capability=LCMN
    appWidgetVisible=false
      COARSE_LOCATION: mode=foreground
    Package com.alibaba.android.rimet:
      FINE_LOCATION (allow / switch COARSE_LOCATION=foreground):
        null=[
          Access: [top-s] 2026-11-24 08:50:00.000 (-3h10m0s0ms) duration=+2s0ms
          Reject: [bg-s]2026-11-24 11:40:00.000 (-20m0s0ms)
        ]
        location=[
          Access: [fgsvc-tpd] 2026-11-24 09:00:00.000 (-3h0m0s0ms) proxy[uid=1000, pkg=android, attributionTag=null]
          Running start at: +1m0s0ms
          startNesting=2
        ]
      READ_CONTACTS (ignore):
        null=[
          Reject: [cch-tpd]2026-11-24 02:00:00.000 (-10h0m0s0ms)
        ]
  Uid 1000:
    state=pers
    Package android:
      WAKE_LOCK (allow):
"""

# Android 14: a trailing blank after the op line.
ANDROID_14 = """\
  Uid u10a5:
    state=cch
    capability=------
    appWidgetVisible=false
    Package com.tencent.mm:
      FINE_LOCATION (allow): 
        null=[
          Access: [top-s] 2026-11-23 20:15:00.000 (-15h45m0s0ms)
        ]
"""


@pytest.mark.skipif(not (FIXTURES / ANDROID_10).exists(), reason=FIXTURES_MISSING)
def test_android_10_capture_reads_every_access_and_reject():
    events = parse_last_access(fixture_bytes(ANDROID_10))
    katana = [e for e in events if e.package == "com.facebook.katana"]
    contacts = [e for e in katana if e.op == "READ_CONTACTS"]
    assert [(e.kind, e.uid_state, e.flags) for e in contacts] == [("access", "bg", "tpd")]
    assert contacts[0].when == datetime(2022, 3, 7, 18, 5, 34, 325000)
    assert contacts[0].ago_ms == -(22 * 86_400_000 + 4 * 3_600_000 + 22 * 60_000 + 19_762)
    assert contacts[0].attribution is None  # Android 10: no attribution tags
    assert contacts[0].uid == 10103 and contacts[0].mode == "allow"
    sms = [(e.kind, e.uid_state) for e in katana if e.op == "WRITE_SMS"]
    assert sms == [("reject", "fg"), ("reject", "bg"), ("reject", "cch")]
    wake = [e for e in katana if e.op == "WAKE_LOCK" and e.uid_state == "bg"]
    assert wake[0].duration_ms == 33
    camera = [e for e in events if e.package == "com.sec.factory.camera"]
    assert [(e.op, e.uid_state, e.flags) for e in camera] == [("RUN_IN_BACKGROUND", "pers", "s")]


@pytest.mark.skipif(not (FIXTURES / ANDROID_10).exists(), reason=FIXTURES_MISSING)
def test_every_encoding_of_the_capture_reads_the_same():
    raw = fixture_bytes(ANDROID_10)
    expected = parse_last_access(raw)
    assert expected
    for name, data in encodings(raw).items():
        assert parse_last_access(data) == expected, name


def test_android_12_attribution_tags_switch_ops_proxies_and_running_lines():
    events = parse_last_access(ANDROID_12)
    fine = [e for e in events if e.op == "FINE_LOCATION"]
    assert [(e.attribution, e.kind, e.uid_state, e.flags) for e in fine] == [
        ("null", "access", "top", "s"),
        ("null", "reject", "bg", "s"),
        ("location", "access", "fgsvc", "tpd"),
    ]
    assert fine[0].mode == "allow" and fine[0].duration_ms == 2000
    assert fine[2].proxy == "uid=1000, pkg=android, attributionTag=null"
    contacts = [e for e in events if e.op == "READ_CONTACTS"]
    assert [(e.kind, e.uid_state, e.mode) for e in contacts] == [("reject", "cch", "ignore")]
    assert all(e.uid == 10120 for e in events)


def test_android_14_trailing_blank_and_secondary_user():
    (event,) = parse_last_access(ANDROID_14)
    assert (event.uid, event.package, event.op, event.uid_state) == (
        1_010_005,
        "com.tencent.mm",
        "FINE_LOCATION",
        "top",
    )
    assert event.when == datetime(2026, 11, 23, 20, 15)


def test_lines_outside_uid_blocks_are_not_events():
    text = "Access: [fg-s] 2026-11-24 08:50:00.000 (-1h)\n  Op mode watchers:\n"
    assert parse_last_access(text) == ()


@given(st.text())
def test_never_raises_on_any_text(text):
    parse_last_access(text)


@given(
    st.lists(
        st.sampled_from(
            [
                "  Uid u0a1:\n",
                "    Package a.b:\n",
                "      FINE_LOCATION (allow):\n",
                "        null=[\n",
                "        ]\n",
                "          Access: [bg-s] 2026-01-01 00:00:00.000 (-1h)\n",
                "          Reject: [fg-s]2026-13-41 99:00:00.000 (-1h)\n",
                "          Access: [bg-] 2026-01-01 00:00:00.000 () duration=x proxy[\n",
                "x=[\n",
                "]\n",
            ]
        )
    )
)
def test_never_raises_on_shuffled_grammar(parts):
    for event in parse_last_access("".join(parts)):
        assert event.package == "a.b"
