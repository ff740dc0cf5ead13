"""Issue 6, cron: entries in a real crontab, quiet logged runs, a catch-up that converges."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hardener.schedule.cron import LOG_NAME, log_run, recent_runs
from hardener.state.journal import device_lock

EVENING = "2026-11-24T18:00"


@pytest.fixture
def crontab_user(monkeypatch):
    """A throwaway system user whose crontab the test may rewrite (needs root and cron)."""
    if shutil.which("crontab") is None:
        pytest.skip("no crontab program (scripts/install-test-tools.sh installs Debian's cron)")
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("making a throwaway user for a real crontab needs root and useradd")
    name = f"hz{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", name], check=True)
    monkeypatch.setenv("HARDENER_CRONTAB", f"crontab -u {name}")
    try:
        yield name
    finally:
        subprocess.run(["crontab", "-u", name, "-r"], capture_output=True, check=False)
        subprocess.run(["userdel", name], capture_output=True, check=False)


def crontab_of(user: str) -> str:
    done = subprocess.run(
        ["crontab", "-u", user, "-l"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def test_install_and_remove_in_a_real_crontab(crontab_user, cli, virtual_phone, tmp_path):
    own = "17 3 * * * /usr/bin/backup-my-photos\n"
    subprocess.run(["crontab", "-u", crontab_user, "-"], input=own, text=True, check=True)
    phone = virtual_phone()
    state = tmp_path / "cron-state"
    installed = cli(
        "schedule", "install", "-p", "default", "--device", phone.spec, "--state-dir", str(state)
    )
    assert installed.exit_code == 0, installed.stderr
    text = crontab_of(crontab_user)
    assert own.strip() in text
    lines = [line for line in text.splitlines() if "schedule run" in line]
    # work starts and ends Monday to Friday (09:00 and 18:00 Berlin: on this UTC computer
    # 08:00/17:00 in winter and 07:00/16:00 in summer), and a catch-up every 10 minutes
    assert len(lines) == 5
    assert lines[-1].startswith("*/10 * * * * ")
    assert all(line.split()[4] == "1,2,3,4,5" for line in lines[:4])
    assert all(f"{sys.executable} -m hardener schedule run" in line for line in lines)
    assert all(Path(line.split()[5]).is_absolute() for line in lines)
    assert f"--state-dir {state.resolve()}" in lines[0]
    assert installed.stdout.count("schedule run") == 5  # and printed

    again = cli("schedule", "install", "-p", "default", "--device", phone.spec, "--every", "5",
                "--state-dir", str(state))  # fmt: skip
    assert again.exit_code == 0
    text = crontab_of(crontab_user)
    assert text.count("# BEGIN hardener") == 1 and "*/5 * * * *" in text  # replaced, not added

    status = cli("schedule", "status", "--state-dir", str(state))
    assert "*/5 * * * *" in status.stdout

    removed = cli("schedule", "remove")
    assert removed.exit_code == 0 and "removed" in removed.stdout
    assert crontab_of(crontab_user).strip() == own.strip()  # the user's own entry stays
    assert "no hardener entries" in cli("schedule", "remove").stdout


def test_a_catch_up_run_converges_a_phone_that_was_away_at_the_transition(
    cli, virtual_phone, tmp_path
):
    state = tmp_path / "cron-state"
    phone = virtual_phone()
    away = cli("schedule", "run", "-p", "default", "--device", "127.0.0.1:9", "--state-dir",
               str(state), "--at", EVENING)  # fmt: skip
    assert away.exit_code == 3
    assert away.stdout == "" and away.stderr == ""  # no noise for cron to mail
    assert "not reachable" in recent_runs(state)[-1]

    audit = cli("audit", "-p", "default", "--device", phone.spec, "--at", "2026-11-24T18:10")
    assert audit.exit_code == 1  # the phone missed the 18:00 transition

    caught_up = cli("schedule", "run", "-p", "default", "--device", phone.spec, "--state-dir",
                    str(state), "--at", "2026-11-24T18:10")  # fmt: skip
    assert caught_up.exit_code == 0, recent_runs(state)
    assert caught_up.stdout == "" and caught_up.stderr == ""  # quiet on success
    assert "off hours" in recent_runs(state)[-1] and "applied" in recent_runs(state)[-1]
    assert (
        cli("audit", "-p", "default", "--device", phone.spec, "--at", "2026-11-24T18:20").exit_code
        == 0
    )

    quiet = cli("schedule", "run", "-p", "default", "--device", phone.spec, "--state-dir",
                str(state), "--at", "2026-11-24T18:20")  # fmt: skip
    assert quiet.exit_code == 0 and "already as wanted" in recent_runs(state)[-1]


def test_a_cron_run_never_waits_for_the_allow_prompt(cli, virtual_phone, tmp_path):
    phone = virtual_phone(auth="reject")
    state = tmp_path / "cron-state"
    result = cli(
        "schedule", "run", "-p", "default", "--device", phone.spec, "--state-dir", str(state)
    )
    assert result.exit_code == 3 and result.stderr == ""
    assert "not reachable" in recent_runs(state)[-1]


def test_a_cron_run_holds_the_per_phone_lock(cli, virtual_phone, tmp_path):
    phone = virtual_phone()
    state = tmp_path / "cron-state"
    assert cli("scan", "--device", phone.spec).exit_code == 0  # the phone trusts this key now
    with device_lock(state, phone.android.serial(), timeout=1):  # keyed by the phone's serial
        started = time.monotonic()
        result = cli("schedule", "run", "-p", "default", "--device", phone.spec, "--state-dir",
                     str(state), "--lock-timeout", "0.2")  # fmt: skip
        waited = time.monotonic() - started
    assert result.exit_code == 3
    assert "another hardener run" in recent_runs(state)[-1]
    assert "waited 0.2 s" in recent_runs(state)[-1]
    assert waited < 20  # the option is honoured: it used to wait a hard-coded 30 s


def test_bad_input_is_logged_and_told(cli, tmp_path):
    state = tmp_path / "cron-state"
    result = cli("schedule", "run", "-p", str(tmp_path / "missing.toml"), "--state-dir", str(state))
    assert result.exit_code == 2 and "missing.toml" in result.stderr
    assert "exit 2" in recent_runs(state)[-1]


def test_the_run_log_is_bounded(tmp_path):
    state = tmp_path / "cron-state"
    for i in range(400):
        log_run(state, f"run {i:04d} " + "x" * 40, max_bytes=4096)
    sizes = [p.stat().st_size for p in state.iterdir()]
    assert sorted(p.name for p in state.iterdir()) == [LOG_NAME, LOG_NAME + ".1"]
    assert max(sizes) <= 4096 + 60
    assert recent_runs(state, 1) == ["run 0399 " + "x" * 40]
    assert oct((state / LOG_NAME).stat().st_mode & 0o777) == "0o600"
