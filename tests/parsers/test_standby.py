"""`am get-standby-bucket` in its single and per-package forms."""

from __future__ import annotations

from hardener.android.parsers import parse_standby_bucket, parse_standby_buckets


def test_single_bucket() -> None:
    assert parse_standby_bucket("45\n") == 45
    assert parse_standby_bucket("\n10\n") == 10
    assert parse_standby_bucket("restricted\n") == 45  # a name, as some builds print
    assert parse_standby_bucket("") is None
    assert parse_standby_bucket("Error: bad\n") is None


def test_bucket_per_package() -> None:
    text = "com.whatsapp: 10\ncom.facebook.katana: 45\n  org.telegram.messenger : 50 \nnoise\n"
    assert parse_standby_buckets(text) == {
        "com.whatsapp": 10,
        "com.facebook.katana": 45,
        "org.telegram.messenger": 50,
    }
    assert parse_standby_buckets("com.x: notanumber\n") == {}
