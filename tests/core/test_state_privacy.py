"""Issue 11: the state folders are private (0700), old open ones are tightened, folders
hardener did not create keep their mode, and an ADB key others can read is warned about."""

from __future__ import annotations

import stat
from pathlib import Path

from hardener.device.transport.keys import key_warning
from hardener.state.journal import Journal
from hardener.state.statedir import prepare_state, write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_state_folder_is_private_all_the_way_down(tmp_path):
    state = tmp_path / "xdg" / "hardener"
    assert prepare_state(state) == []
    Journal(state, "R58M12ABCDE").save({})
    for folder in (tmp_path / "xdg", state, state / "devices", state / "devices" / "R58M12ABCDE"):
        assert mode(folder) == 0o700, folder


def test_folders_an_older_hardener_left_open_are_tightened(tmp_path):
    state = tmp_path / "hardener"
    (state / "devices" / "R58M12ABCDE").mkdir(parents=True)
    (state / "locks").mkdir()
    for folder in (state, state / "devices", state / "devices" / "R58M12ABCDE", state / "locks"):
        folder.chmod(0o755)
    notes = prepare_state(state)
    assert len(notes) == 4 and all("now 0700" in note for note in notes)
    for folder in (state, state / "devices", state / "devices" / "R58M12ABCDE", state / "locks"):
        assert mode(folder) == 0o700, folder


def test_a_state_dir_that_holds_other_things_keeps_its_own_mode(tmp_path):
    state = tmp_path / "shared"
    (state / "devices").mkdir(parents=True)
    (state / "my-photos").mkdir()
    state.chmod(0o755)
    (state / "devices").chmod(0o755)
    prepare_state(state)
    assert mode(state) == 0o755  # not hardener's folder alone: not ours to change
    assert mode(state / "devices") == 0o700


def test_writing_into_a_folder_hardener_did_not_create_never_changes_its_mode(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    write_atomic(shared / "report.json", b"{}")
    assert mode(shared) == 0o1777
    assert mode(shared / "report.json") == 0o600


def test_an_adb_key_others_can_read_is_warned_about(tmp_path):
    env = {"HOME": str(tmp_path)}
    key = tmp_path / ".android" / "adbkey"
    assert key_warning(env) is None  # no key yet
    key.parent.mkdir()
    key.write_text("PRIVATE")
    key.chmod(0o600)
    assert key_warning(env) is None
    key.chmod(0o644)
    warning = key_warning(env)
    assert warning is not None and "can be read by other users" in warning
    assert f"chmod 600 {key}" in warning
