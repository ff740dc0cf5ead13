"""`dumpsys appops`: Android 14's attribution-tag form and uid labels (grammar §3.1)."""

# Android prints these lines long and some with a trailing blank; the samples keep them so.
# ruff: noqa: W291

from __future__ import annotations

import pytest

from hardener.android.parsers import parse_dumpsys_appops, uid_from_label

ANDROID_14 = """\
Current AppOps Service state:
  Settings:
    top_state_settle_time=+5s0ms
  Op mode watchers:
    Op COARSE_LOCATION:
      #0: ModeCallback{b8f1a14 watchinguid=-1 flags=0x1 from uid=1000 pid=1846}
  Package mode watchers:
    Pkg com.whatsapp:
      #0: ModeCallback{1 watchinguid=-1 flags=0x0 from uid=1000 pid=1846}
  Uid u0a199:
    state=cch
    capability=------
    appWidgetVisible=false
      COARSE_LOCATION: mode=foreground
      READ_CONTACTS: mode=ignore
      MIUIOP(10008): mode=ignore
    Package com.whatsapp:
      READ_CONTACTS (allow): 
        null=[
          Access: [fg-s] 2024-05-01 10:00:00.123 (-2d3h) duration=+1s
          Reject: [bg-s]2024-05-02 11:00:00.000 (-1d)
        ]
      RUN_ANY_IN_BACKGROUND (ignore): 
      WAKE_LOCK (allow): 
        com.whatsapp.voip=[
          Access: [fg-s] 2024-05-01 10:00:00.123 (-2d3h)
        ]
      MIUIOP(10021) (ignore): 
  Uid u10a199:
    state=bg
    Package com.whatsapp:
      RUN_ANY_IN_BACKGROUND (allow / switch RUN_ANY_IN_BACKGROUND=allow): 
  Uid 2000:
    state=fgsvc
      MANAGE_APP_OPS_MODES: mode=mode=5
  Audio Restrictions:
    Op VIBRATE:
      Usage 2:
"""


def test_android_14_form() -> None:
    dump = parse_dumpsys_appops(ANDROID_14)
    assert [(u.label, u.uid, u.state) for u in dump.uids] == [
        ("u0a199", 10199, "cch"),
        ("u10a199", 1_010_199, "bg"),
        ("2000", 2000, "fgsvc"),
    ]
    owner = dump.uids[0]
    assert owner.uid_modes == {
        "COARSE_LOCATION": "foreground",
        "READ_CONTACTS": "ignore",
        "MIUIOP(10008)": "ignore",
    }
    assert owner.packages["com.whatsapp"] == {
        "READ_CONTACTS": "allow",
        "RUN_ANY_IN_BACKGROUND": "ignore",
        "WAKE_LOCK": "allow",
        "MIUIOP(10021)": "ignore",
    }
    assert dump.package_modes("com.whatsapp", uid=1_010_199) == {"RUN_ANY_IN_BACKGROUND": "allow"}
    assert dump.package_modes("com.whatsapp")["RUN_ANY_IN_BACKGROUND"] == "allow"  # merged
    assert dump.uids[2].uid_modes == {"MANAGE_APP_OPS_MODES": "mode=5"}
    assert dump.for_uid(424242) is None


@pytest.mark.parametrize(
    ("label", "uid"),
    [
        ("1000", 1000),
        ("u0a103", 10103),
        ("u10a5", 1_010_005),
        ("u0i3", 99003),
        ("u0ai7", 90007),
        ("u11s1000", 1_101_000),
        ("bogus", None),
        ("u0x1", None),
    ],
)
def test_uid_labels(label: str, uid: int | None) -> None:
    assert uid_from_label(label) == uid


def test_empty_and_unrelated_text() -> None:
    assert parse_dumpsys_appops("").uids == ()
    assert parse_dumpsys_appops("Permission Denial: can't dump AppOps\n").uids == ()
