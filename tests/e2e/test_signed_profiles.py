"""Issue 14: --require-signed refuses unsigned, tampered or unknown-signer profiles before any
phone is touched (enforce, plan, audit, fleet, schedule run), and runs signed ones."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from hardener.host.signing import NAMESPACE

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None,
    reason="no ssh-keygen (scripts/install-test-tools.sh installs Debian's openssh-client)",
)
EVENING = "2026-11-24T20:00"
BASE = """\
schema = 1
[work_hours]
timezone = "Europe/Berlin"
weekdays = ["09:00-18:00"]
[[rules]]
categories = ["workplace", "social"]
off_hours = ["contacts", "location"]
"""


@pytest.fixture
def signed(tmp_path):
    """(key, allowed-signers, team.toml extending base.toml), both signed by the admin."""
    key = tmp_path / "admin"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed_signers"
    public = key.with_suffix(".pub").read_text().strip()
    allowed.write_text(f'it@example.com namespaces="{NAMESPACE}" {public}\n')
    (tmp_path / "base.toml").write_text(BASE)
    team = tmp_path / "team.toml"
    team.write_text('schema = 1\nextends = "./base.toml"\n')
    for path in (tmp_path / "base.toml", team):
        subprocess.run(
            ["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(path)],
            check=True, capture_output=True,
        )  # fmt: skip
    return key, allowed, team


def test_enforce_refuses_before_touching_the_phone(signed, virtual_phone, cli, tmp_path):
    _, allowed, team = signed
    phone = virtual_phone()
    base = tmp_path / "base.toml"
    base.write_text(BASE.replace('"contacts", ', ""))  # tampered after signing
    for command in ("enforce", "plan", "audit"):
        result = cli(command, "-p", str(team), "--device", phone.spec, "--at", EVENING,
                     "--require-signed", str(allowed))  # fmt: skip
        assert result.exit_code == 2, result.stderr
        assert "base.toml: the signature does not match" in result.stderr
    assert phone.round_trips() == 0  # refused before any connection
    base.write_text(BASE)
    done = cli("enforce", "-p", str(team), "--device", phone.spec, "--at", EVENING,
               "--require-signed", str(allowed), "--json")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert any(o["status"] == "applied" for o in done.json()["outcomes"])


def test_fleet_and_schedule_run_refuse_an_unsigned_profile(signed, virtual_phone, cli, tmp_path):
    _, allowed, _ = signed
    phone = virtual_phone()
    unsigned = tmp_path / "unsigned.toml"
    unsigned.write_text(BASE)
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(
        f'[[groups]]\nname = "a"\nprofile = "team.toml"\ndevices = ["{phone.spec}"]\n'
        f'[overrides."{phone.spec}"]\nprofile = "unsigned.toml"\n'
    )
    result = cli("fleet", "apply", "-i", str(inventory), "--at", EVENING,
                 "--require-signed", str(allowed))  # fmt: skip
    assert result.exit_code == 2 and "unsigned.toml: the profile is not signed" in result.stderr
    run = cli("schedule", "run", "-p", str(unsigned), "--device", phone.spec,
              "--state-dir", str(tmp_path / "s"), "--require-signed", str(allowed))  # fmt: skip
    assert run.exit_code == 2 and "not signed" in run.stderr
    assert "not signed" in (tmp_path / "s" / "cron.log").read_text()
    assert phone.round_trips() == 0
    inventory.write_text(
        f'[[groups]]\nname = "a"\nprofile = "team.toml"\ndevices = ["{phone.spec}"]\n'
    )
    ok = cli("fleet", "apply", "-i", str(inventory), "--at", EVENING, "--json",
             "--require-signed", str(allowed))  # fmt: skip
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["summary"] == {"ok": 1}


def test_schedule_install_requires_the_signature_and_passes_it_on(signed, cli, tmp_path,
                                                                  monkeypatch):  # fmt: skip
    _, allowed, team = signed
    monkeypatch.setenv("HARDENER_SYSTEMCTL", "true")
    units = tmp_path / "units"
    args = ("schedule", "install", "-p", str(team), "--device", "127.0.0.1:5999", "--via",
            "systemd", "--units-dir", str(units), "--require-signed", str(allowed))  # fmt: skip
    done = cli(*args)
    assert done.exit_code == 0, done.stderr
    (service,) = units.glob("*.service")
    assert f'"--require-signed" "{allowed}"' in service.read_text()
    team.with_name("team.toml.sig").unlink()
    refused = cli(*args[:-1], str(allowed))
    assert refused.exit_code == 2 and "team.toml: the profile is not signed" in refused.stderr


def test_fleet_runs_the_profiles_it_verified_never_a_second_read(
    signed, virtual_phone, cli, tmp_path, monkeypatch
):
    """With --require-signed the rollout uses the profile objects the check verified: the
    file is not read again afterwards (it could have changed in between)."""
    from hardener.cli import cmd_fleet

    _, allowed, team = signed
    phone = virtual_phone()

    def no_second_read(inventory):  # type: ignore[no-untyped-def]
        raise AssertionError("the profiles were read again after their check")

    monkeypatch.setattr(cmd_fleet, "_load_profiles", no_second_read)
    inventory = tmp_path / "inventory.toml"
    inventory.write_text(
        f'[[groups]]\nname = "a"\nprofile = "{team}"\ndevices = ["{phone.spec}"]\n'
    )
    ok = cli("fleet", "apply", "-i", str(inventory), "--at", EVENING, "--json",
             "--require-signed", str(allowed))  # fmt: skip
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["summary"] == {"ok": 1}
