"""Issue 11, nothing hidden, nothing lost: kept baselines said, a damaged journal recovered,
an unwritable state folder refused before the phone changes, Ctrl-C said and logged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from hardener.sim.adbd import read_log
from hardener.state.journal import Journal, known_serials

EVENING = "2026-11-24T20:00"
DINGTALK = "com.alibaba.android.rimet"


def scan(cli, phone) -> dict:
    result = cli("scan", "--device", phone.spec, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def harden(cli, phone) -> Journal:
    done = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert done.exit_code == 0, done.stdout + done.stderr
    state = Path(os.environ["HARDENER_STATE_DIR"])
    (serial,) = known_serials(state)
    journal = Journal(state, serial)
    assert journal.path.exists()
    return journal


def shell_commands(phone) -> str:
    return "\n".join(entry.command for entry in read_log(phone.log))


def test_restore_says_what_it_keeps_and_why_and_exits_1(virtual_phone, cli):
    phone = virtual_phone()
    journal = harden(cli, phone)
    held = [key for key in journal.load() if key.package == DINGTALK]
    assert held
    del phone.android.model.packages[DINGTALK]  # uninstalled since
    restored = cli("restore", "--device", phone.spec)
    assert restored.exit_code == 1, restored.stdout
    assert f"{len(held)} baselines still held, not given back" in restored.stdout
    assert "not on the phone now (app or user missing)" in restored.stdout
    assert DINGTALK in restored.stdout
    history = cli("history", "--device", phone.spec, "--json").json()["devices"][0]
    assert len(history["held"]) == len(held)


@pytest.mark.parametrize("damage", ["null", "[]", "{not json", '{"format": 1, "entries": 7}'])
def test_a_journal_that_cannot_be_read_is_set_aside_and_rebuilt_from_history(
    damage, virtual_phone, cli
):
    phone = virtual_phone()
    before = scan(cli, phone)
    journal = harden(cli, phone)
    journal.path.write_text(damage)

    history = cli("history")
    assert history.exit_code == 0
    assert "no history yet" not in history.stdout
    assert "is damaged" in history.stdout and "--rebuild-from-history" in history.stdout
    assert journal.path.read_text() == damage  # history changes nothing

    restored = cli("restore", "--device", phone.spec)
    assert restored.exit_code == 1  # nothing readable: the baselines are still to give back
    assert "is damaged" in restored.stderr and "--rebuild-from-history" in restored.stderr
    aside = list(journal.quarantine_dir.iterdir())
    assert [p.read_text() for p in aside] == [damage]  # kept aside as it was
    assert str(aside[0]) in restored.stderr
    again = cli("restore", "--device", phone.spec)
    assert again.exit_code == 1 and "--rebuild-from-history" in again.stderr  # still said
    assert "the phone already is as wanted" not in again.stdout
    assert len(list(journal.quarantine_dir.iterdir())) == 1  # the same file is not copied twice
    # enforce would record what hardener itself set as the person's baselines: it refuses
    refused = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert refused.exit_code == 2 and "--rebuild-from-history" in refused.stderr
    assert "set aside, not rebuilt yet" in cli("history").stdout

    rebuilt = cli("restore", "--device", phone.spec, "--rebuild-from-history")
    assert rebuilt.exit_code == 0, rebuilt.stdout + rebuilt.stderr
    assert scan(cli, phone) == before
    assert [p.read_text() for p in journal.quarantine_dir.iterdir()] == [damage]  # kept
    assert cli("restore", "--device", phone.spec).exit_code == 0
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0


def test_one_tampered_entry_blocks_nothing_else_and_never_reaches_the_shell(virtual_phone, cli):
    phone = virtual_phone()
    before = scan(cli, phone)
    journal = harden(cli, phone)
    document = json.loads(journal.path.read_text())
    count = len(document["entries"])
    assert count > 10
    victim = document["entries"][3]
    kind, user, package, name = victim["key"].split("|", 3)
    victim["key"] = f"{kind}|{user}|{package}; reboot|{name}"
    document["entries"][5]["baseline"] = (
        "allow; reboot"
        if "op" in document["entries"][5]["key"]
        else {"granted": "yes; reboot", "flags": ["$(reboot)"]}
    )
    journal.path.write_text(json.dumps(document))

    restored = cli("restore", "--device", phone.spec)
    assert restored.exit_code == 1
    assert f"entry 4 of {count}" in restored.stderr and f"entry 6 of {count}" in restored.stderr
    assert "reboot" not in shell_commands(phone)
    after = scan(cli, phone)
    assert after != before  # the two unreadable baselines are not back yet ...
    rebuilt = cli("restore", "--device", phone.spec, "--rebuild-from-history")
    assert rebuilt.exit_code == 0, rebuilt.stdout + rebuilt.stderr
    assert scan(cli, phone) == before  # ... and the history gives them back
    assert "reboot" not in shell_commands(phone)


def test_ctrl_c_during_enforce_says_so_logs_it_and_exits_130(virtual_phone, cli, monkeypatch):
    import hardener.device.apply

    phone = virtual_phone()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(hardener.device.apply, "run_reads", interrupted)  # after the journal is saved
        result = cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING)
    assert result.exit_code == 130
    assert "interrupted (Ctrl-C)" in result.stderr
    assert "run the same command again" in result.stderr
    history = cli("history", "--json").json()["devices"][0]["history"]
    assert history[-1]["interrupted"] == "Ctrl-C" and history[-1]["planned"]
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0


# -- a state folder this user cannot write ------------------------------------------------------


def run_as_other_user(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """`hardener ARGS` as a user who does not own the state folder: `nobody` when the tests
    run as root (root may write anywhere), else this very user."""
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "ADB_MDNS": "0",
           "ANDROID_ADB_SERVER_PORT": os.environ.get("ANDROID_ADB_SERVER_PORT", "1")}  # fmt: skip
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("needs setpriv to run as another user")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "hardener", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def shared_tmp():
    """A folder every user can reach (pytest's own tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="hardener-sec11-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("left_by_sudo", ["state folder", "history.jsonl"])
def test_an_unwritable_state_changes_nothing_on_the_phone(
    left_by_sudo, virtual_phone, cli, shared_tmp
):
    phone = virtual_phone()
    before = scan(cli, phone)
    home = shared_tmp / "home"
    home.mkdir()
    state = shared_tmp / "state"
    other = 65534 if os.geteuid() == 0 else os.geteuid()
    os.chown(home, other, other)
    if left_by_sudo == "history.jsonl":
        # an earlier run as this user, then `sudo hardener` left history.jsonl root-owned
        state.mkdir(mode=0o700)
        os.chown(state, other, other)
        first = run_as_other_user(
            ["enforce", "-p", "default", "--device", phone.spec, "--at", EVENING,
             "--state-dir", str(state), "--auth-timeout", "20"], home,
        )  # fmt: skip
        assert first.returncode == 0, first.stderr
        hardened = scan(cli, phone)
        history = next(state.glob("devices/*/history.jsonl"))
        os.chown(history, 0, 0) if os.geteuid() == 0 else None
        history.chmod(0o644 if os.geteuid() == 0 else 0o444)
        args = ["restore"]
    else:
        state.mkdir(mode=0o755)  # owned by root (or read-only for this user)
        if os.geteuid() != 0:
            state.chmod(0o555)
        hardened = before
        args = ["enforce", "-p", "default", "--at", EVENING]
    result = run_as_other_user(
        [*args, "--device", phone.spec, "--state-dir", str(state), "--auth-timeout", "20"], home
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "hardener cannot write" in result.stderr and "nothing was changed" in result.stderr
    assert "sudo chown -R" in result.stderr and str(state) in result.stderr
    assert scan(cli, phone) == hardened  # the phone is as it was
    if left_by_sudo == "history.jsonl":
        assert next(state.glob("devices/*/journal.json")).read_text().count('"key"') > 0


def test_a_real_ctrl_c_while_the_phone_is_changing(virtual_phone, cli, tmp_path):
    """SIGINT to a real `hardener enforce` process once its journal is saved."""
    import signal
    import time

    from hardener.sim.faults import Costs

    phone = virtual_phone(costs=Costs(cmd_s=0.05))
    assert cli("scan", "--device", phone.spec).exit_code == 0  # trusted, layout cached
    state = Path(os.environ["HARDENER_STATE_DIR"])
    process = subprocess.Popen(
        [sys.executable, "-m", "hardener", "enforce", "-p", "default", "--device", phone.spec,
         "--at", EVENING],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(state.glob("devices/*/journal.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "enforce finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted (Ctrl-C)" in err and "Traceback" not in err
    history = cli("history", "--json").json()["devices"][0]["history"]
    assert history[-1]["interrupted"] == "Ctrl-C"
    assert cli("enforce", "-p", "default", "--device", phone.spec, "--at", EVENING).exit_code == 0


def test_history_json_with_no_state_is_still_json(cli):
    assert cli("history", "--json").json() == {"schema": 1, "devices": []}
