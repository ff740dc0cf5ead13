"""Text that fits a terminal: display widths (CJK counts two), cuts with an ellipsis,
tables whose widest columns give way first, and wrapped lines. Pure: the width is given.

Used by scan, audit and doctor when their natural layout is wider than the terminal
(`terminal_width()` in the CLI: the terminal's width, `COLUMNS` when set, else 80).
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence

ELLIPSIS = "…"


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns `text` takes on a terminal."""
    return sum(char_width(char) for char in text)


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` columns; when cut, it ends with an ellipsis."""
    if width(text) <= limit:
        return text
    if limit <= 0:
        return ""
    out, used = [], 0
    for char in text:
        size = char_width(char)
        if used + size > limit - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + ELLIPSIS


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    limit: int | None,
    *,
    minimum: int = 4,
    gap: int = 2,
    keep: Sequence[int] = (),
    floors: Mapping[int, int] | None = None,
) -> str:
    """A plain table in at most `limit` columns (None: as wide as it needs). The widest
    column gives way first, down to `minimum` (or its header, or `floors[i]`); columns in
    `keep` never give way; cut cells end with "…"."""
    cells = [[str(cell) for cell in row] for row in rows]
    count = len(headers)
    widths = [max([width(h), *(width(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    if limit is not None:
        floor = [
            widths[i] if i in keep else max(minimum, min(width(h), minimum * 3))
            for i, h in enumerate(headers)
        ]
        for i, at_least in (floors or {}).items():
            floor[i] = min(widths[i], max(floor[i], at_least))
        while sum(widths) + gap * (count - 1) > limit:
            widest = max(range(count), key=lambda i: (widths[i] - floor[i], widths[i]))
            if widths[widest] <= floor[widest]:
                break  # as narrow as it gets: longer than the terminal, never unreadable
            widths[widest] -= 1
    sep = " " * gap

    def line(values: Sequence[str]) -> str:
        return sep.join(pad(cut(v, w), w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(list(headers)), sep.join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    return "\n".join(out)


def wrap(text: str, limit: int | None, *, indent: str = "", hang: str = "") -> list[str]:
    """`text` wrapped to `limit` columns (None: one line), the first line after `indent`,
    the following ones after `hang`."""
    if limit is None or width(indent + text) <= limit:
        return [indent + text]
    return textwrap.wrap(
        text,
        width=max(20, limit),
        initial_indent=indent,
        subsequent_indent=hang,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [indent]
