"""`dumpsys appops --history [--include-discrete N]`: aggregated history (Android 10 without,
11+ with attribution tags) and discrete history (12; 13/14 with chain ids; 16 with devices).

No real capture of these forms exists; the samples follow the AOSP dump code cited in
`hardener/parsers/appops_history.py`, and the virtual phone's output is read back too."""

# The discrete lines end with a blank after "milliseconds", as DiscreteRegistry prints them.
# ruff: noqa: W291, E501

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from hardener.android.parsers.appops_history import parse_appops_history

ANDROID_10 = """\
Current AppOps Service state:

  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE

    snapshot:
      begin = 2020-05-01 11:45:00.000  (-15m0s0ms)
      end = 2020-05-01 12:00:00.000  (0)

      Uid u0a57:
        Package com.example.maps:
          COARSE_LOCATION:
            [fg-s] = access=3, duration=+1m0s0ms
            [bg-s] = reject=2
"""

ANDROID_12 = """\
Current AppOps Service state:

  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE

    snapshot:
      begin = 2026-11-24 11:45:00.000  (-15m0s0ms)
      end = 2026-11-24 12:00:00.000  (0)

      Uid u0a120:
        Package com.alibaba.android.rimet:
          Attribution null:
            FINE_LOCATION:
              [top-s] = access=1
              [bg-s] = access=1, reject=1, duration=+2s0ms
          Attribution location:
            FINE_LOCATION:
              [fgsvc-tpd] = access=4

    snapshot:
      begin = 2026-11-23 21:45:00.000  (-14h15m0s0ms)
      end = 2026-11-24 00:15:00.000  (-11h45m0s0ms)

      Uid u0a120:
        Package com.alibaba.android.rimet:
          Attribution null:
            READ_CONTACTS:
              [bg-tpd] = reject=1
Discrete accesses: 
  Uid: 10120
    Package: com.alibaba.android.rimet
      FINE_LOCATION
        Attribution: null
          Access [bg-s] at 2026-11-24 11:50:00.000
          Access [top-s] at 2026-11-24 08:50:00.000 for 120000 milliseconds 
"""

ANDROID_14 = """\
Current AppOps Service state:
Discrete accesses: 
  Largest chain id: 7
  Uid: 1010005
    Package: com.tencent.mm
      COARSE_LOCATION
        Attribution: null
          Access [top-s] at 2026-11-23 20:15:00.000 for 60000 milliseconds  attribution flags=9 with chainId=7
          Access [fg-tpd] at 2026-11-23 20:16:00.000
"""

ANDROID_16 = """\
Discrete accesses: 
  Uid: 10456
    Package: com.example.scanner
      CAMERA
        Device: default:0
          Attribution: barcode
            Access [bg-s] at 2026-07-22 12:14:00.000 for 120000 milliseconds 
"""


def test_android_10_history_has_no_attribution_level():
    history = parse_appops_history(ANDROID_10)
    assert history.mode == "HISTORICAL_MODE_ENABLED_ACTIVE"
    assert history.now == datetime(2020, 5, 1, 12, 0)
    assert [(c.op, c.uid_state, c.access, c.reject, c.duration_ms) for c in history.counts] == [
        ("COARSE_LOCATION", "fg", 3, 0, 60_000),
        ("COARSE_LOCATION", "bg", 0, 2, 0),
    ]
    assert {c.attribution for c in history.counts} == {None}
    assert history.counts[0].uid == 10057
    assert not history.discrete_seen


def test_android_12_history_and_discrete():
    history = parse_appops_history(ANDROID_12)
    assert len(history.snapshots) == 2
    first = [c for c in history.counts if c.snapshot == history.snapshots[0]]
    assert [(c.attribution, c.uid_state, c.flags, c.access, c.reject) for c in first] == [
        ("null", "top", "s", 1, 0),
        ("null", "bg", "s", 1, 1),
        ("location", "fgsvc", "tpd", 4, 0),
    ]
    assert first[1].duration_ms == 2000
    older = [c for c in history.counts if c.snapshot == history.snapshots[1]]
    assert [(c.op, c.reject) for c in older] == [("READ_CONTACTS", 1)]
    assert history.snapshots[1].begin == datetime(2026, 11, 23, 21, 45)
    assert history.discrete_seen
    assert [(d.uid, d.op, d.uid_state, d.when, d.duration_ms) for d in history.discrete] == [
        (10120, "FINE_LOCATION", "bg", datetime(2026, 11, 24, 11, 50), None),
        (10120, "FINE_LOCATION", "top", datetime(2026, 11, 24, 8, 50), 120_000),
    ]
    assert {d.attribution for d in history.discrete} == {"null"}


def test_android_14_chain_ids_and_attribution_flags():
    history = parse_appops_history(ANDROID_14)
    assert history.mode is None and history.counts == ()
    assert [(d.uid, d.package, d.uid_state, d.flags, d.duration_ms) for d in history.discrete] == [
        (1_010_005, "com.tencent.mm", "top", "s", 60_000),
        (1_010_005, "com.tencent.mm", "fg", "tpd", None),
    ]


def test_android_16_device_level():
    (access,) = parse_appops_history(ANDROID_16).discrete
    assert (access.device, access.attribution, access.op) == ("default:0", "barcode", "CAMERA")


def test_accesses_before_any_uid_or_op_are_skipped():
    text = "Discrete accesses: \n  Access [bg-s] at 2026-11-24 11:50:00.000\n"
    assert parse_appops_history(text).discrete == ()


@given(st.text())
def test_never_raises_on_any_text(text):
    parse_appops_history(text)


FRAGMENTS = [
    "  History:  mode=X\n",
    "    snapshot:\n",
    "      begin = 2026-11-24 11:45:00.000  (-15m0s0ms)\n",
    "      end = 9999-12-31 23:59:59.999  (-24855d3h14m7s648ms)\n",
    "      end = 0001-01-01 00:00:00.000  (+24855d3h14m7s648ms)\n",
    "      Uid u0a1:\n",
    "        Package p:\n",
    "          Attribution null:\n",
    "            OP:\n",
    "              [bg-s] = access=99999999999999999999, reject=-1, duration=zz\n",
    "Discrete accesses: \n",
    "  Uid: x\n",
    "    Package: p\n",
    "      OP\n",
    "        Device: d\n",
    "        Attribution: a\n",
    "          Access [bg-s] at 2026-02-30 00:00:00.000 for 1 milliseconds \n",
    "          Access [bg-s] at 2026-01-01 00:00:00.000 attribution flags=1 with chainId=-1\n",
]


@given(st.lists(st.sampled_from(FRAGMENTS)))
def test_never_raises_on_shuffled_grammar(parts):
    history = parse_appops_history("".join(parts))
    assert all(c.access >= 0 and c.reject >= 0 for c in history.counts)
