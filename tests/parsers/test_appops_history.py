"""`dumpsys appops --history [--include-discrete N]`: aggregated history (Android 10 without,
11+ with attribution tags) and discrete history (12; 13/14 with chain ids; 16 with devices;
16 with SQLite: DiscreteOpsSqlRegistry's pipe table; the unified SQLite history's tables).

No real capture of these forms exists: every sample here is DERIVED from the AOSP dump code
cited in `hardener/android/parsers/appops_history.py` (not seen on a phone), and the virtual
phone's output is read back too."""

# The discrete lines end with a blank after "milliseconds", as DiscreteRegistry prints them.
# ruff: noqa: W291, E501

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hardener.android.parsers.appops_history import DiscreteAccess, parse_appops_history

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


# DERIVED from DiscreteOpsSqlRegistry.dump (aosp-mirror a05b53f6) after AppOpsService's
# `Discrete accesses: ` (Android 16 with enable_sqlite_appops_accesses): raw times and durations,
# -1 for none, `null` tags, flagsToString joining several flags with `|`.
ANDROID_16_SQL = """\
Current AppOps Service state:

  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE
Discrete accesses: 
  Largest chain id: 12
UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID|ACCESS_TIME|DURATION
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|bg|s|0|-1|2026-11-24 21:40:13.250|-1
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|amap|fgsvc|s|tpd|0|-1|2026-11-24 21:50:02.001|61500
1010005|com.tencent.mm|default:0|COARSE_LOCATION|a|b|top|s|9|12|2026-11-24 22:00:00.000|0
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|bg|s|0|-1|2026-02-30 21:40:13.250|-1
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|bg|s|0|-1|2026-11-24 21:40:13.250|soon
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|b g|s|0|-1|2026-11-24 21:40:13.250|-1

"""

# DERIVED from the unified SQLite history (enable_all_sqlite_appops_accesses): AppOpsService.dump
# (yaap/frameworks_base 049dbc20), HistoricalRegistry.dump and AppOpHistoryHelper.dump
# (yaap 3ddcaa00). Each row counts one 1-minute bucket; refusals are kept too.
ANDROID_UNIFIED = """\
AppOps Historical Service State:

History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE
SHORT_INTERVAL(Aggregation Bucket)=1 Minute, LONG_INTERVAL(Aggregation Bucket)=15 Minutes
Database size(bytes): SHORT_INTERVAL=12288, LONG_INTERVAL=8192
Database Total records: SHORT_INTERVAL=3, LONG_INTERVAL=0
------------Discrete App Ops-------------

UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|ACCESS_TIME|ACCESS_COUNTS|REJECT_COUNTS|DURATION|UID_STATE|OP_FLAGS|ATTRIBUTION_CHAIN_ID|ATTRIBUTION_FLAGS
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|2026-11-24 21:40:00.000|2|0|-1|bg|s|-1|0
10120|com.alibaba.android.rimet|default:0|FINE_LOCATION|null|2026-11-24 23:40:00.000|0|3|-1|bg|s|-1|0
10120|com.alibaba.android.rimet|default:0|CAMERA|null|2026-11-24 23:41:00.000|0|0|120000|top|s|-1|0

"""

ANDROID_UNIFIED_AGGREGATED = """\
AppOps Historical Service State:

History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE
SHORT_INTERVAL(Aggregation Bucket)=1 Minute, LONG_INTERVAL(Aggregation Bucket)=15 Minutes
------------Aggregated App Ops-------------

UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|ACCESS_TIME|ACCESS_COUNTS|REJECT_COUNTS|DURATION|UID_STATE|OP_FLAGS|ATTRIBUTION_CHAIN_ID|ATTRIBUTION_FLAGS
10120|com.alibaba.android.rimet|default:0|READ_CONTACTS|null|2026-11-24 02:00:00.000|0|4|-1|bg|s|-1|0

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


def test_android_16_sqlite_rows():
    history = parse_appops_history(ANDROID_16_SQL)
    assert history.discrete_seen and history.counts == ()
    assert history.discrete == (
        DiscreteAccess(
            10120, "com.alibaba.android.rimet", "FINE_LOCATION", "null", "bg", "s",
            "2026-11-24 21:40:13.250", None, "default:0",
        ),
        DiscreteAccess(
            10120, "com.alibaba.android.rimet", "FINE_LOCATION", "amap", "fgsvc", "s|tpd",
            "2026-11-24 21:50:02.001", 61_500, "default:0",
        ),
        # A `|` inside the tag: the uid state is the field the flags follow.
        DiscreteAccess(
            1_010_005, "com.tencent.mm", "COARSE_LOCATION", "a|b", "top", "s",
            "2026-11-24 22:00:00.000", 0, "default:0",
        ),
    )  # fmt: skip
    assert history.discrete[0].when == datetime(2026, 11, 24, 21, 40, 13, 250_000)


def test_android_16_sqlite_table_with_nothing_recorded():
    text = (
        "Discrete accesses: \n  Largest chain id: 0\n"
        "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|"
        "CHAIN_ID|ACCESS_TIME|DURATION\n\n"
    )
    history = parse_appops_history(text)
    assert history.discrete_seen and history.discrete == ()


def test_unified_sqlite_discrete_rows_are_accesses_and_counts():
    history = parse_appops_history(ANDROID_UNIFIED)
    assert history.mode == "HISTORICAL_MODE_ENABLED_ACTIVE" and history.discrete_seen
    assert [(d.op, d.when, d.duration_ms) for d in history.discrete] == [
        ("FINE_LOCATION", datetime(2026, 11, 24, 21, 40), None),
        ("CAMERA", datetime(2026, 11, 24, 23, 41), 120_000),
    ]
    assert [
        (c.op, c.snapshot.begin, c.snapshot.end, c.access, c.reject, c.duration_ms)
        for c in history.counts
    ] == [
        ("FINE_LOCATION", datetime(2026, 11, 24, 21, 40), datetime(2026, 11, 24, 21, 41), 2, 0, 0),
        ("FINE_LOCATION", datetime(2026, 11, 24, 23, 40), datetime(2026, 11, 24, 23, 41), 0, 3, 0),
        ("CAMERA", datetime(2026, 11, 24, 23, 41), datetime(2026, 11, 24, 23, 42), 0, 0, 120_000),
    ]


def test_unified_sqlite_aggregated_rows_are_counts_of_the_long_bucket():
    history = parse_appops_history(ANDROID_UNIFIED_AGGREGATED)
    assert not history.discrete_seen and history.discrete == ()
    (count,) = history.counts
    assert (count.op, count.uid, count.reject, count.attribution) == (
        "READ_CONTACTS",
        10120,
        4,
        "null",
    )
    assert count.snapshot.end - count.snapshot.begin == timedelta(minutes=15)


def test_unified_last_hour_table_of_a_plain_dump_is_not_the_discrete_history():
    text = ANDROID_UNIFIED.replace(
        "------------Discrete App Ops-------------",
        "----Location, Microphone, and Camera App Ops (Last 1 Hour)----",
    )
    history = parse_appops_history(text)
    assert not history.discrete_seen and history.discrete == ()
    assert [c.reject for c in history.counts] == [0, 3, 0]


DERIVED = Path(__file__).parent / "derived"


def test_derived_android_16_sqlite_file():
    """Whole output, derived (derived/SOURCES.md): the aggregated section as before, then the
    discrete table; a timed access appears twice (start note, then with its duration)."""
    text = (DERIVED / "dumpsys-appops-history-discrete__16__derived-sqlite.txt").read_text()
    history = parse_appops_history(text)
    assert [(c.uid_state, c.flags, c.access, c.reject) for c in history.counts] == [
        ("bg", "s", 2, 0),
        ("bg", "tpd", 0, 1),
    ]
    assert [
        (d.package, d.when_text[11:], d.duration_ms, d.attribution) for d in history.discrete
    ] == [
        ("com.alibaba.android.rimet", "21:50:00.412", None, "null"),
        ("com.alibaba.android.rimet", "21:50:00.412", 20_000, "null"),
        ("com.alibaba.android.rimet", "21:51:30.007", None, "null"),
        ("com.example.scanner", "21:55:12.950", None, "barcode"),
    ]
    assert history.now == datetime(2026, 11, 24, 22, 0)


def test_derived_unified_sqlite_file():
    text = (DERIVED / "dumpsys-appops-history-discrete__16__derived-unified-sqlite.txt").read_text()
    history = parse_appops_history(text)
    assert history.discrete_seen and len(history.discrete) == 1
    assert [(c.access, c.reject, c.duration_ms) for c in history.counts] == [
        (2, 0, 20_000),
        (0, 1, 0),
        (0, 1, 0),
    ]


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
    "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID|ACCESS_TIME|DURATION\n",
    "UID|PACKAGE_NAME|OP_NAME|UID_STATE|OP_FLAGS|ACCESS_TIME|ACCESS_COUNTS|REJECT_COUNTS|DURATION\n",
    "UID|PACKAGE_NAME|UID|OP_NAME\n",
    "1|p|d|OP|null|bg|s|0|-1|2026-11-24 21:40:13.250|-1\n",
    "1|p|d|OP|null|bg|s|up|tp|tpd|upd|s|s|s|s|0|-1|2026-11-24 21:40:13.250|99999999999999999999\n",
    "x|p|OP|bg|s|0001-01-01 00:00:00.000|1|-1|5\n",
    "1|p|OP|bg|s|9999-12-31 23:59:59.999|1|2|5\n",
    "|||||||||||\n",
    "SHORT_INTERVAL(Aggregation Bucket)=0 Minute, LONG_INTERVAL(Aggregation Bucket)=999999999 Minutes\n",
    "------------Discrete App Ops-------------\n",
    "------------Aggregated App Ops-------------\n",
    "----Location, Microphone, and Camera App Ops (Last 1 Hour)----\n",
]


@given(st.lists(st.sampled_from(FRAGMENTS)))
def test_never_raises_on_shuffled_grammar(parts):
    history = parse_appops_history("".join(parts))
    assert all(c.access >= 0 and c.reject >= 0 for c in history.counts)


# ---- round trip: records rendered as Android 16 prints them are read back equal ---------

_NAME = st.from_regex(r"[a-z][a-z0-9_.]{0,20}", fullmatch=True)
_FLAGS = st.lists(
    st.sampled_from(["s", "tp", "up", "tpd", "upd"]), min_size=1, max_size=5, unique=True
)
_STATES = st.sampled_from(["pers", "top", "fgsvcl", "fgsvc", "fg", "bg", "cch"])
_WHEN = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
_TAG = st.one_of(st.just("null"), st.from_regex(r"[A-Za-z0-9_.|]{1,12}", fullmatch=True))

_SQL_HEADER = (
    "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS|CHAIN_ID"
    "|ACCESS_TIME|DURATION"
)

_ACCESS = st.builds(
    DiscreteAccess,
    uid=st.integers(0, 2**31 - 1),
    package=_NAME,
    op=st.from_regex(r"[A-Z][A-Z_]{0,30}", fullmatch=True),
    attribution=_TAG,
    uid_state=_STATES,
    flags=_FLAGS.map("|".join),
    when_text=_WHEN.map(
        lambda w: w.strftime("%Y-%m-%d %H:%M:%S.") + f"{w.microsecond // 1000:03d}"
    ),
    duration_ms=st.one_of(st.none(), st.integers(0, 2**62)),
    device=st.sampled_from(["default:0", "virtual:com.example:1"]),
)


def render_sql16(accesses: list[DiscreteAccess]) -> str:
    """As DiscreteOpsSqlRegistry.dump prints them, after AppOpsService's header line."""
    out = ["Discrete accesses: ", "  Largest chain id: 0", _SQL_HEADER]
    for a in accesses:
        duration = -1 if a.duration_ms is None else a.duration_ms
        out.append(
            f"{a.uid}|{a.package}|{a.device}|{a.op}|{a.attribution}|{a.uid_state}|{a.flags}"
            f"|0|-1|{a.when_text}|{duration}"
        )
    return "\n".join(out) + "\n\n"


def _tag_is_readable(a: DiscreteAccess) -> bool:
    # A tag whose `|` pieces look like a uid state and flags cannot be told from them.
    return not any(piece in {"s", "tp", "up", "tpd", "upd"} for piece in a.attribution.split("|"))


@given(st.lists(_ACCESS, max_size=8))
def test_android_16_rows_round_trip(accesses):
    accesses = [a for a in accesses if _tag_is_readable(a)]
    assert list(parse_appops_history(render_sql16(accesses)).discrete) == accesses


@given(st.lists(_ACCESS, max_size=8), st.integers(0, 5), st.integers(0, 5))
def test_unified_rows_round_trip(accesses, access, reject):
    accesses = [a for a in accesses if _tag_is_readable(a)]
    header = (
        "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|ACCESS_TIME|ACCESS_COUNTS"
        "|REJECT_COUNTS|DURATION|UID_STATE|OP_FLAGS|ATTRIBUTION_CHAIN_ID|ATTRIBUTION_FLAGS"
    )
    rows = [
        f"{a.uid}|{a.package}|{a.device}|{a.op}|{a.attribution}|{a.when_text}|{access}|{reject}"
        f"|{-1 if a.duration_ms is None else a.duration_ms}|{a.uid_state}|{a.flags}|-1|0"
        for a in accesses
    ]
    text = "------------Discrete App Ops-------------\n\n" + "\n".join([header, *rows]) + "\n"
    history = parse_appops_history(text)
    assert [(c.uid, c.package, c.op, c.access, c.reject) for c in history.counts] == [
        (a.uid, a.package, a.op, access, reject) for a in accesses
    ]
    kept = [a for a in accesses if access > 0 or (a.duration_ms or 0) > 0]
    assert list(history.discrete) == kept
