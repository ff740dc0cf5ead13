"""Java collection orders, so listings come out in the order a real phone prints them.

Android prints many lists straight from Java collections: `pm list packages` (Android 12+)
from a `HashMap` of output lines, `dumpsys deviceidle` and the package dump from `ArrayMap`s
(sorted by `String.hashCode`), `pm list packages` on older releases from the package
`ArrayMap`. Reproducing those orders makes the virtual phone's output byte-identical in
shape to a real one (checked against the real captures in the tests).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=65536)
def string_hash(text: str) -> int:
    """`java.lang.String.hashCode()` as an unsigned 32-bit value (UTF-16 code units)."""
    h = 0
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        unit = data[i] | (data[i + 1] << 8)
        h = (31 * h + unit) & 0xFFFFFFFF
    return h


def signed32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def hashmap_order(keys: Iterable[str]) -> list[str]:
    """Iteration order of a `java.util.HashMap` filled with `keys` in this order.

    Models the table (power of two, load factor 0.75, resize splits keeping relative
    order) and the hash spreading `h ^ (h >>> 16)`. Buckets are lists in insertion order;
    treeified buckets (8+ collisions) do not occur at these sizes.
    """
    size = 0
    capacity = 16
    buckets: list[list[tuple[str, int]]] = [[] for _ in range(capacity)]
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            continue
        seen.add(key)
        h = string_hash(key)
        h ^= h >> 16
        buckets[h & (capacity - 1)].append((key, h))
        size += 1
        if size > capacity * 0.75:
            capacity *= 2
            grown: list[list[tuple[str, int]]] = [[] for _ in range(capacity)]
            for bucket in buckets:
                for entry in bucket:
                    grown[entry[1] & (capacity - 1)].append(entry)
            buckets = grown
    return [key for bucket in buckets for key, _ in bucket]


def arraymap_order(keys: Iterable[str]) -> list[str]:
    """Iteration order of an `android.util.ArrayMap`/`ArraySet` of strings: by signed hash."""
    unique = list(dict.fromkeys(keys))
    return sorted(unique, key=lambda k: signed32(string_hash(k)))


def identity_hash(*parts: object) -> str:
    """A stable stand-in for `Integer.toHexString(System.identityHashCode(obj))`."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=4).digest()
    value = int.from_bytes(digest, "big") & 0x0FFFFFFF
    return f"{value:x}"
