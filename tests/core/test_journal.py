import json
import multiprocessing
import os
import stat
import time

import pytest

from hardener.core.baselines import JournalEntry
from hardener.core.levers import PERMISSION, STANDBY_BUCKET, LeverKey, PermissionValue
from hardener.errors import InputError
from hardener.state.journal import Journal, LockTimeout, device_lock, known_serials
from hardener.state.statedir import slug, state_dir, write_atomic


def entry(key, baseline, applied, confirmed=False):
    return JournalEntry(key, baseline, applied, confirmed, "2026-11-24T18:00:00+00:00", "test")


def test_state_dir_precedence(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "xdg")}
    assert state_dir(None, env) == tmp_path / "xdg" / "hardener"
    assert state_dir(None, {"HOME": str(tmp_path)}) == tmp_path / ".local/state/hardener"
    env["HARDENER_STATE_DIR"] = str(tmp_path / "env")
    assert state_dir(None, env) == tmp_path / "env"
    assert state_dir(tmp_path / "flag", env) == tmp_path / "flag"


def test_slug_is_safe_and_distinct():
    assert slug("R58M12ABCDE") == "R58M12ABCDE"
    a, b = slug("127.0.0.1:5555"), slug("127.0.0.1_5555")
    assert "/" not in a and ":" not in a and a != b


def test_round_trip_and_private_files(tmp_path):
    journal = Journal(tmp_path, "127.0.0.1:5555")
    perm = LeverKey(PERMISSION, 10, "com.alibaba.android.rimet", "android.permission.READ_CONTACTS")
    bucket = LeverKey(STANDBY_BUCKET, 0, "com.tencent.mm")
    entries = {
        perm: entry(perm, PermissionValue(True, frozenset({"USER_SET"})), PermissionValue(False)),
        bucket: entry(bucket, 10, 45, confirmed=True),
    }
    journal.save(entries)
    assert Journal(tmp_path, "127.0.0.1:5555").load() == entries
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.directory.stat().st_mode) == 0o700
    assert known_serials(tmp_path) == ["127.0.0.1:5555"]
    journal.append_history({"run": 1})
    journal.append_history({"run": 2})
    assert [r["run"] for r in journal.history()] == [1, 2]
    assert stat.S_IMODE(journal.history_path.stat().st_mode) == 0o600


def test_missing_journal_is_empty(tmp_path):
    assert Journal(tmp_path, "X").load() == {}


def test_corrupt_journal_is_set_aside_not_a_traceback(tmp_path):
    journal = Journal(tmp_path, "X")
    write_atomic(journal.path, b"{not json")
    assert journal.load() == {}
    assert journal.problems and "not JSON" in journal.problems[0]
    assert journal.set_aside is not None and journal.set_aside.read_bytes() == b"{not json"
    write_atomic(journal.path, json.dumps({"format": 99}).encode())
    with pytest.raises(InputError, match="format 99"):  # a newer hardener's: left alone
        journal.load()


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "d" / "f.json"
    for i in range(5):
        write_atomic(target, str(i).encode())
    assert target.read_text() == "4"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.json"]


def _hold_lock(directory, ready):
    with device_lock(directory, "S1", timeout=1):
        ready.set()
        time.sleep(1.5)


def test_second_run_waits_then_gives_a_clear_message(tmp_path):
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(tmp_path, ready))
    holder.start()
    try:
        assert ready.wait(10)
        started = time.monotonic()
        with pytest.raises(LockTimeout) as caught, device_lock(tmp_path, "S1", timeout=0.3):
            pass
        assert time.monotonic() - started >= 0.3
        assert "another hardener run is using S1" in str(caught.value)
        assert f"pid {holder.pid}" in str(caught.value)
        assert caught.value.exit_code == 3
        # once the holder finishes, the lock is free again
        holder.join(10)
        with device_lock(tmp_path, "S1", timeout=1):
            pass
    finally:
        holder.kill()


def test_lock_file_is_private(tmp_path):
    with device_lock(tmp_path, "S2", timeout=1):
        lock = next((tmp_path / "locks").iterdir())
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
        assert str(os.getpid()) in lock.read_text()


def test_a_journal_read_twice_is_checked_once_and_again_when_the_file_changes(
    tmp_path, monkeypatch
):
    """A run loads its journal for its read and again for its apply: the second load of the
    same text reuses what the first one checked; a file changed meanwhile is read afresh."""
    from hardener.core.baselines import JournalEntry
    from hardener.core.levers import PERMISSION, LeverKey, PermissionValue
    from hardener.state import journal as journal_module

    calls: list[str] = []
    real = journal_module.parse_journal

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text)

    monkeypatch.setattr(journal_module, "parse_journal", counting)
    key = LeverKey(PERMISSION, 0, "com.tencent.mm", "android.permission.READ_CONTACTS")
    granted = PermissionValue(True, frozenset())
    entry = JournalEntry(key, granted, PermissionValue(False, frozenset()), True, "t", "test")
    writer = journal_module.Journal(tmp_path, "SERIAL1")
    writer.save({key: entry})
    reader = journal_module.Journal(tmp_path, "SERIAL1")
    first = reader.load()
    first.clear()  # a caller's copy: changing it changes nothing kept
    assert reader.load() == {key: entry} and len(calls) == 1
    writer.save({})  # another run gave it back
    assert reader.load() == {} and len(calls) == 2
