"""The per-phone journal: what the person had before hardener changed it, and what happened.

Before the first write of a harden, every setting about to change is recorded with its
baseline (the person's value) and the value hardener will apply, marked *pending*. The
read-back marks it *confirmed*. Restore puts the baseline back and, once the read-back shows
it, drops the entry. Because the journal is written (atomically, fsync'd) before any write
reaches the phone, a crash or an unplugged cable at any point leaves enough to finish the
job by running the command again.

The file layout under the state directory:

    devices/<serial>/journal.json   current baselines (JSON, 0600)
    devices/<serial>/history.jsonl  one line per run: what changed, when, why (0600)
    devices/<serial>/armed-<id>.json  a job armed on the phone: the baselines it may change,
                                    saved before it starts; removed once reconciled (0600)
    locks/<transport serial>.lock   held while a run talks to that phone
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hardener.core.baselines import JournalEntry
from hardener.core.levers import LeverKey
from hardener.errors import DeviceError, InputError
from hardener.state.statedir import append_line, private_dir, read_lines, slug, write_atomic

FORMAT = 1


Entries = Mapping[LeverKey, JournalEntry]


class Journal:
    """Storage of one phone's journal and history. Decisions about entries live in `plan`."""

    def __init__(self, state_dir: Path, serial: str) -> None:
        self.serial = serial
        self.directory = state_dir / "devices" / slug(serial)
        self.path = self.directory / "journal.json"
        self.history_path = self.directory / "history.jsonl"

    def load(self) -> dict[LeverKey, JournalEntry]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            entries = [JournalEntry.from_json(item) for item in data.get("entries", [])]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise InputError(
                f"the journal {self.path} cannot be read: {error}",
                hint="it holds what your phone had before hardener changed it; keep a copy "
                "before editing or moving it",
            ) from error
        return {entry.key: entry for entry in entries}

    def save(self, entries: Entries) -> None:
        # One entry per line: readable, and json's fast C encoder (which `indent` disables).
        lines = ",\n  ".join(
            json.dumps(entries[key].to_json(), sort_keys=True) for key in sorted(entries)
        )
        head = json.dumps({"format": FORMAT, "serial": self.serial})[:-1]
        text = f'{head}, "entries": [\n  {lines}\n]}}\n' if lines else f'{head}, "entries": []}}\n'
        write_atomic(self.path, text.encode())

    def append_history(self, record: Mapping[str, Any]) -> None:
        append_line(self.history_path, json.dumps(dict(record), sort_keys=True))

    def armed(self) -> list[dict[str, Any]]:
        """The records of jobs armed on this phone and not yet reconciled (raw JSON)."""
        records = []
        for path in sorted(self.directory.glob("armed-*.json")):
            try:
                records.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as error:
                raise InputError(
                    f"the armed-job record {path} cannot be read: {error}",
                    hint="it holds what the job on your phone may change; keep a copy before "
                    "removing it (then run `hardener restore`)",
                ) from error
        return records

    def save_armed(self, arm_id: str, record: Mapping[str, Any]) -> None:
        """Saved as durably as the journal, before the job starts."""
        text = json.dumps(dict(record), sort_keys=True) + "\n"
        write_atomic(self.directory / f"armed-{slug(arm_id)}.json", text.encode())

    def drop_armed(self, arm_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.directory / f"armed-{slug(arm_id)}.json").unlink()

    def history(self) -> list[dict[str, Any]]:
        records = []
        for line in read_lines(self.history_path):
            with contextlib.suppress(ValueError):
                records.append(json.loads(line))
        return records


def known_serials(state_dir: Path) -> list[str]:
    """Serials of every phone the state directory holds a journal or a history for."""
    serials: set[str] = set()
    for directory in sorted((state_dir / "devices").glob("*")):
        journal = directory / "journal.json"
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            if journal.exists():
                serials.add(str(json.loads(journal.read_text(encoding="utf-8"))["serial"]))
                continue
            first = next(read_lines(directory / "history.jsonl"), None)
            if first is not None:
                serials.add(str(json.loads(first)["serial"]))
    return sorted(serials)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LockTimeout(DeviceError):
    """Another hardener run holds this phone (exit 3: it cannot be used now)."""


@contextlib.contextmanager
def device_lock(state_dir: Path, serial: str, *, timeout: float) -> Iterator[bool]:
    """Hold the per-phone lock, keyed by the phone's own serial (never the address as typed:
    `127.0.0.1:P` and `localhost:P` are one phone); wait up to `timeout` seconds for another
    run to finish. Yields whether it had to wait (what was read before may be stale)."""
    locks = private_dir(state_dir / "locks")
    path = locks / f"{slug(serial)}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    raise LockTimeout(
                        f"another hardener run is using {serial}{holder}; waited {timeout:g} s",
                        hint="let it finish, or raise --lock-timeout",
                    ) from None
                waited = True
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {now_iso()}\n".encode())
        yield waited
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode(errors="replace").strip()
        if text:
            return f" ({text})"
    return ""
