"""Issue 14, signed profiles: SSH signatures made and checked by the real ssh-keygen, both ways."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hardener.cli.app import main
from hardener.host.signing import NAMESPACE, SignatureError, load_signed_profile, verify_profile

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None,
    reason="no ssh-keygen (scripts/install-test-tools.sh installs Debian's openssh-client)",
)

BASE = """\
schema = 1
description = "company base"
[work_hours]
timezone = "Europe/Paris"
weekdays = ["09:00-18:00"]
[[rules]]
categories = ["workplace"]
off_hours = ["contacts", "location"]
"""
TEAM = 'schema = 1\nextends = "./base.toml"\ndescription = "team"\n'


def keypair(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key, (folder / f"{name}.pub").read_text().strip()


def ssh_sign(key: Path, path: Path) -> None:
    """Sign the way an admin does by hand (as git does), no hardener involved."""
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(path)],
        check=True, capture_output=True,
    )  # fmt: skip


def ssh_verify(allowed: Path, principal: str, path: Path) -> subprocess.CompletedProcess:
    with path.open("rb") as data:
        return subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", principal, "-n", NAMESPACE,
             "-s", f"{path}.sig"],
            stdin=data, capture_output=True, text=True, check=False,
        )  # fmt: skip


@pytest.fixture
def admin(tmp_path):
    """The admin's key, an allowed-signers file naming it, and a two-file profile chain."""
    keys = tmp_path / "keys"
    keys.mkdir()
    key, public = keypair(keys, "admin")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f'admin@example.com namespaces="{NAMESPACE}" {public}\n')
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "base.toml").write_text(BASE)
    (profiles / "team.toml").write_text(TEAM)
    return key, allowed, profiles


def run(capfd, *args: str) -> tuple[int, str, str]:
    capfd.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capfd.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_signed_by_ssh_keygen_verified_by_hardener(admin, capfd):
    key, allowed, profiles = admin
    for name in ("base.toml", "team.toml"):
        ssh_sign(key, profiles / name)
    verified = verify_profile(str(profiles / "team.toml"), allowed)
    assert [v.path.name for v in verified] == ["team.toml", "base.toml"]
    assert {v.principal for v in verified} == {"admin@example.com"}
    assert load_signed_profile(str(profiles / "team.toml"), allowed).description == "team"
    code, out, _ = run(
        capfd, "profile", "verify", str(profiles / "team.toml"), "--allowed-signers", str(allowed)
    )
    assert code == 0 and "2 files verified" in out and "signed by admin@example.com" in out


def test_signed_by_hardener_verified_by_ssh_keygen(admin, capfd):
    key, allowed, profiles = admin
    code, out, _ = run(
        capfd, "profile", "sign", str(profiles / "base.toml"), str(profiles / "team.toml"),
        "--key", str(key),
    )  # fmt: skip
    assert code == 0, out
    for name in ("base.toml", "team.toml"):
        done = ssh_verify(allowed, "admin@example.com", profiles / name)
        assert done.returncode == 0, done.stderr
        assert "Good" in done.stdout + done.stderr
    # signing again (a new version) replaces the old signature
    (profiles / "team.toml").write_text(TEAM + "# v2\n")
    assert run(capfd, "profile", "sign", str(profiles / "team.toml"), "-k", str(key))[0] == 0
    assert ssh_verify(allowed, "admin@example.com", profiles / "team.toml").returncode == 0


def refusal(capfd, ref: str, allowed: Path) -> str:
    code, _, err = run(capfd, "profile", "verify", ref, "--allowed-signers", str(allowed))
    assert code == 2
    return err


def test_unsigned_tampered_unknown_and_unsigned_base_are_refused(admin, tmp_path, capfd):
    key, allowed, profiles = admin
    team, base = profiles / "team.toml", profiles / "base.toml"
    assert "is not signed" in refusal(capfd, str(team), allowed)
    ssh_sign(key, team)
    # the top file is fine but the file it extends is not signed: refused all the same
    assert "base.toml: the profile is not signed" in refusal(capfd, str(team), allowed)
    ssh_sign(key, base)
    assert refusal_free(team, allowed)
    # tampered: one character changed after signing
    base.write_text(BASE.replace("18:00", "19:00"))
    assert "does not match" in refusal(capfd, str(team), allowed)
    base.write_text(BASE)
    assert refusal_free(team, allowed)
    # tampered so that it no longer parses: still refused for its signature, not skipped
    base.write_text(BASE + "x\n")
    assert "base.toml: the signature does not match" in refusal(capfd, str(team), allowed)
    base.write_text(BASE)
    # signed by a key the allowed-signers file does not list
    other, _ = keypair(tmp_path / "keys", "intruder")
    base.with_name("base.toml.sig").unlink()
    ssh_sign(other, base)
    assert "not in" in refusal(capfd, str(team), allowed)
    # signed by the admin's key for another purpose (namespace)
    base.with_name("base.toml.sig").unlink()
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", "file", str(base)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert "does not match" in refusal(capfd, str(team), allowed)
    # no allowed-signers file
    assert "allowed-signers" in refusal(capfd, str(team), tmp_path / "missing")


def refusal_free(path: Path, allowed: Path) -> bool:
    try:
        verify_profile(str(path), allowed)
    except SignatureError:
        return False
    return True


def test_a_bundled_profile_is_trusted_as_part_of_the_program(admin):
    _, allowed, _ = admin
    verified = verify_profile("default", allowed)
    assert [v.bundled for v in verified] == [True]


def test_a_principal_with_control_characters_is_never_used(admin, tmp_path):
    key, _, profiles = admin
    public = (tmp_path / "keys" / "admin.pub").read_text().strip()
    hostile = tmp_path / "hostile_signers"
    # ssh-keygen would report this principal; hardener neither runs nor prints it raw
    hostile.write_text(f'"evil\x1b[2J" namespaces="{NAMESPACE}" {public}\n')
    ssh_sign(key, profiles / "base.toml")
    with pytest.raises(SignatureError) as error:
        verify_profile(str(profiles / "base.toml"), hostile)
    assert "\x1b" not in str(error.value)
