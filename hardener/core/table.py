"""Text tables for the reports.

tabulate is imported when a table is drawn, not when a report module is: at import it
loads `importlib.metadata`, whose `email` package imports `socket`, and the pure core must
load nothing that talks to the outside world (tests/core/test_import_purity.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str], **options: Any) -> str:
    from tabulate import tabulate

    return tabulate(rows, headers=headers, **options)
