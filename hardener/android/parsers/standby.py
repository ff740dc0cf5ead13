"""`am get-standby-bucket [--user N] [PKG]`: App Standby buckets.

With a package it prints one number; without, one `<pkg>: <bucket>` line per package
(ActivityManagerShellCommand.runGetStandbyBucket). Bucket names are accepted too, since some
tools and OEM builds print them.
"""

from __future__ import annotations

from hardener.android.parsers.text import RawText, lines, to_int
from hardener.core.records import BUCKET_NUMBERS


def _bucket(value: str) -> int | None:
    number = to_int(value)
    if number is not None:
        return number
    return BUCKET_NUMBERS.get(value.strip().lower())


def parse_standby_bucket(text: RawText) -> int | None:
    """The single bucket `am get-standby-bucket PKG` printed, or None."""
    for line in lines(text):
        if line.strip():
            return _bucket(line)
    return None


def parse_standby_buckets(text: RawText) -> dict[str, int]:
    """`<pkg>: <bucket>` lines as a dict; other lines are skipped."""
    buckets: dict[str, int] = {}
    for line in lines(text):
        package, sep, value = line.strip().rpartition(":")
        package = package.strip()
        if not sep or not package or " " in package:
            continue
        bucket = _bucket(value)
        if bucket is not None:
            buckets[package] = bucket
    return buckets
