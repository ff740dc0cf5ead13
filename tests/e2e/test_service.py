"""Every phone command goes through one service: the per-phone lock is keyed by the phone's
own serial, whatever address was typed, and scan, doctor, evidence and the armed job's
disarm and status hold it too."""

from __future__ import annotations

import pytest

from hardener.state.journal import device_lock


@pytest.mark.parametrize(
    "command",
    [
        ("scan",),
        ("doctor",),
        ("audit", "-p", "default"),
        ("enforce", "-p", "default", "--at", "2026-11-24T20:00"),
        ("restore",),
        ("plan", "-p", "default"),
        ("evidence", "-p", "default"),
        ("arm", "-p", "default", "--at", "2026-11-24T20:00"),
        ("disarm",),
        ("status",),
    ],
)
def test_every_command_waits_for_the_phone_lock(command, cli, virtual_phone, tmp_path):
    phone = virtual_phone()
    assert cli("scan", "--device", phone.spec).exit_code == 0  # the phone trusts this key now
    state = tmp_path / "state"
    with device_lock(state, phone.android.serial(), timeout=1):
        result = cli(*command, "--device", phone.spec, "--lock-timeout", "0.2")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "another hardener run is using" in result.stderr


def test_the_lock_follows_the_phone_not_the_address_typed(cli, virtual_phone, tmp_path):
    phone = virtual_phone()
    port = phone.spec.rsplit(":", 1)[1]
    state = tmp_path / "state"
    assert cli("scan", "--device", f"127.0.0.1:{port}").exit_code == 0
    with device_lock(state, phone.android.serial(), timeout=1):
        other = cli("enforce", "-p", "default", "--device", f"localhost:{port}",
                    "--at", "2026-11-24T20:00", "--lock-timeout", "0.2")  # fmt: skip
    assert other.exit_code == 3, other.stdout + other.stderr
    free = cli("enforce", "-p", "default", "--device", f"localhost:{port}", "--at",
               "2026-11-24T20:00")  # fmt: skip
    assert free.exit_code == 0, free.stdout + free.stderr


@pytest.mark.parametrize("command", [("scan",), ("doctor",)])
def test_scan_and_doctor_wait_for_the_lock_of_the_state_folder_given(
    command, cli, virtual_phone, tmp_path
):
    """An `enforce --state-dir X` holds its lock in X: scan and doctor with the same
    --state-dir wait for it too (the default folder's lock would not exclude it)."""
    phone = virtual_phone()
    assert cli("scan", "--device", phone.spec).exit_code == 0  # the phone trusts this key now
    other = tmp_path / "elsewhere"
    with device_lock(other, phone.android.serial(), timeout=1):
        result = cli(*command, "--device", phone.spec, "--state-dir", str(other),
                     "--lock-timeout", "0.2")  # fmt: skip
        free = cli(*command, "--device", phone.spec, "--lock-timeout", "0.2")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "another hardener run is using" in result.stderr
    assert free.exit_code in (0, 1), free.stdout + free.stderr
