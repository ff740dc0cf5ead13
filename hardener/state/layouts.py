"""Each phone's last `Layout` (users and apps read), so the next run reads it in one round trip.

A cache, not a record: a missing, unreadable or hand-edited file only costs the next run its
second round trip. Keyed by the path's serial (what is known before the phone answers), kept
beside the journal with the same privacy: it names the apps on someone's phone.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hardener.core.snapshot import Layout
from hardener.state.statedir import slug, write_atomic


def layout_path(state_dir: Path, transport_serial: str) -> Path:
    return state_dir / "layouts" / f"{slug(transport_serial)}.json"


def load_layout(state_dir: Path, transport_serial: str) -> Layout | None:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(layout_path(state_dir, transport_serial).read_text(encoding="utf-8"))
        return Layout.from_json(data)
    return None


def save_layout(
    state_dir: Path, transport_serial: str, layout: Layout, *, was: Layout | None
) -> None:
    """Remember `layout`; a cron catch-up that found what it guessed writes nothing. Not
    fsync'd: a layout lost in a power cut costs one round trip."""
    if layout == was:
        return
    text = json.dumps(layout.to_json(), sort_keys=True) + "\n"
    write_atomic(layout_path(state_dir, transport_serial), text.encode(), durable=False)
