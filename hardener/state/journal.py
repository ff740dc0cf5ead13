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
import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hardener.core.baselines import JournalEntry
from hardener.core.levers import LeverKey
from hardener.core.recovery import NewerFormat, parse_journal, rebuild
from hardener.errors import DeviceError, InputError
from hardener.state.statedir import (
    append_line,
    private_dir,
    read_lines,
    require_writable,
    slug,
    write_atomic,
)

FORMAT = 1


Entries = Mapping[LeverKey, JournalEntry]


class Journal:
    """Storage of one phone's journal and history. Decisions about entries live in `plan`.

    A journal that cannot be read whole is not a dead end: `load` returns every entry that
    reads and checks, copies the file aside into `quarantine/` (a new name each time, never
    over anything) and lists the rest in `problems`; `rebuild_from_history` recovers what
    the history says is still held."""

    def __init__(self, state_dir: Path, serial: str) -> None:
        self.serial = serial
        self.state_dir = state_dir
        self.directory = state_dir / "devices" / slug(serial)
        self.path = self.directory / "journal.json"
        self.history_path = self.directory / "history.jsonl"
        self.quarantine_dir = self.directory / "quarantine"
        self.problems: list[str] = []  # what the last load could not read
        self.set_aside: Path | None = None  # where the damaged file was copied
        # The text last read or written and what it parsed to: a run loads its journal more
        # than once (its read, then its apply), and checking every entry is not free.
        self._parsed: tuple[str, dict[LeverKey, JournalEntry], list[str]] | None = None

    def read(self) -> tuple[dict[LeverKey, JournalEntry], list[str]]:
        """The entries that read and check, and what could not be read. Changes nothing."""
        if not self.path.exists():
            return {}, []
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise InputError(
                f"the journal {self.path} cannot be read: {error.strerror}",
                hint="it holds what your phone had before hardener changed it; "
                f"give it back to your user: sudo chown -R {os.getuid()} {self.directory}",
            ) from None
        if self._parsed is not None and self._parsed[0] == text:
            return dict(self._parsed[1]), list(self._parsed[2])
        try:
            parsed, problems, _ = parse_journal(text)
        except NewerFormat as error:
            raise InputError(
                f"the journal {self.path} cannot be read: {error}",
                hint="use the newer hardener that wrote it; this one leaves the file alone",
            ) from None
        entries = {entry.key: entry for entry in parsed}
        self._parsed = (text, dict(entries), list(problems))
        return entries, problems

    def load(self) -> dict[LeverKey, JournalEntry]:
        """The readable entries; a damaged file is copied aside first (see `problems`)."""
        entries, problems = self.read()
        self.problems = problems
        if problems:
            self.set_aside = self._quarantine()
        return entries

    def _quarantine(self) -> Path:
        """Copy the journal as it is into quarantine/ under a name never used before."""
        data = self.path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        private_dir(self.quarantine_dir)
        existing = sorted(self.quarantine_dir.glob(f"journal-*-{digest}.json"))
        if existing:
            return existing[0]  # this very content is already kept aside
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.quarantine_dir / f"journal-{stamp}-{digest}.json"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return target

    def unresolved(self) -> list[Path]:
        """Damaged journals set aside whose baselines have not been rebuilt yet."""
        if not self.quarantine_dir.is_dir():
            return []
        return sorted(self.quarantine_dir.glob("journal-*.json"))

    def mark_rebuilt(self) -> None:
        """After `restore --rebuild-from-history` took: the files set aside stay, renamed."""
        for path in self.unresolved():
            path.rename(path.with_name(path.name + ".rebuilt"))

    @property
    def damaged(self) -> bool:
        return bool(self.problems or self.unresolved())

    def damage_words(self) -> list[str]:
        """What was wrong with the journal and what to do, for people (empty when intact)."""
        if not self.problems:
            left = self.unresolved()
            if not left:
                return []
            return [
                f"a damaged journal of {self.serial} was set aside in {left[-1]} and its "
                "missing baselines are not rebuilt yet: run "
                "`hardener restore --rebuild-from-history`"
            ]
        where = f"; the file as it was is kept in {self.set_aside}" if self.set_aside else ""
        return [
            f"the journal {self.path} is damaged{where}:",
            *(f"  {problem}" for problem in self.problems),
            "  everything else in it is used; `hardener restore --rebuild-from-history` "
            "rebuilds the missing baselines from history.jsonl",
        ]

    def rebuild_from_history(self) -> dict[LeverKey, JournalEntry]:
        """The baselines the history says are still held (see `recovery.rebuild`)."""
        return rebuild(self.history())

    def require_writable(self) -> None:
        """InputError naming the path and the fix unless the journal and history can be
        written: checked before anything changes on the phone."""
        require_writable(self.state_dir, [self.directory, self.path, self.history_path])

    def save(self, entries: Entries) -> None:
        # One entry per line: readable, and json's fast C encoder (which `indent` disables).
        lines = ",\n  ".join(
            json.dumps(entries[key].to_json(), sort_keys=True) for key in sorted(entries)
        )
        head = json.dumps({"format": FORMAT, "serial": self.serial})[:-1]
        text = f'{head}, "entries": [\n  {lines}\n]}}\n' if lines else f'{head}, "entries": []}}\n'
        write_atomic(self.path, text.encode())
        self._parsed = None  # read back from the file, checked, the next time

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
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records


def known_serials(state_dir: Path) -> list[str]:
    """Serials of every phone the state directory holds a journal or a history for."""
    serials: set[str] = set()
    for directory in sorted((state_dir / "devices").glob("*")):
        if directory.is_dir():
            serials.add(_serial_of(directory))
    return sorted(serials)


def _serial_of(directory: Path) -> str:
    """The phone's serial from its journal, else its history, else the folder's name (a
    damaged journal must not hide the phone from `history`)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        data = json.loads((directory / "journal.json").read_text(encoding="utf-8"))
        if isinstance(data.get("serial"), str):
            return str(data["serial"])
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        for line in read_lines(directory / "history.jsonl"):
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
                return str(json.loads(line)["serial"])
    return directory.name


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
