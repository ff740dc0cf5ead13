"""Issue 14, Ansible: the deploy/ansible role run by the real ansible-playbook against three
hosts on this machine (ansible_connection=local), each with its own hardener venv, state
folder and virtual phones: check mode changes nothing, apply converges every phone, a second
apply changes nothing, and a host whose phone refuses shows in the merged report."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]
REPO = Path(__file__).resolve().parents[2]
PLAYBOOK = REPO / "deploy" / "ansible" / "site.yml"
EVENING = "2026-11-24T20:00"  # a Tuesday, off hours for the bundled default profile
RECAP = re.compile(
    r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE
)


def ansible_playbook() -> Path:
    path = Path(sys.executable).parent / "ansible-playbook"
    if not path.exists():
        pytest.skip("ansible-playbook is missing: scripts/bootstrap.sh dev installs ansible-core")
    return path


def recap(output: str) -> dict[str, dict[str, int]]:
    return {
        m[1]: {"ok": int(m[2]), "changed": int(m[3]), "unreachable": int(m[4]), "failed": int(m[5])}
        for m in RECAP.finditer(output)
    }


@pytest.fixture
def wheel(tmp_path) -> Path:
    """hardener built as a wheel, as a release would ship it."""
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (found,) = out.glob("hardener-*.whl")
    return found


def phone_apps(cli, spec: str) -> dict:
    scanned = cli("scan", "--device", spec, "--json")
    assert scanned.exit_code == 0, scanned.stderr
    return {(a["package"], a["user"]): (a["permissions"], a["app_ops"]) for a in
            scanned.json()["apps"]}  # fmt: skip


def test_three_hosts_check_apply_again_and_a_refusing_phone(virtual_phone, cli, tmp_path, wheel):
    playbook = ansible_playbook()
    phones = {
        "desk-a": [virtual_phone("pixel-14", serial="DESKA001")],
        "lab-b": [virtual_phone("samsung-oneui-work", serial="LABB0001")],
        "bench-c": [virtual_phone("pixel-14", serial="BENCHC01"),
                    virtual_phone("xiaomi-hyperos-14", serial="BENCHC02")],
    }  # fmt: skip
    before = {p.spec: phone_apps(cli, p.spec) for ps in phones.values() for p in ps}
    reports = tmp_path / "reports"
    # the admin's profile, signed: hosts run it only with a good signature
    company = tmp_path / "company.toml"
    company.write_text('schema = 1\nextends = "default"\ndescription = "company"\n')
    signing = {}
    if shutil.which("ssh-keygen"):
        key = tmp_path / "admin-key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                       check=True)  # fmt: skip
        allowed = tmp_path / "allowed_signers"
        allowed.write_text(f"it@example.com {key.with_suffix('.pub').read_text()}")
        subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", "hardener-profile",
                        str(company)], check=True, capture_output=True)  # fmt: skip
        signing = {"hardener_allowed_signers": str(allowed)}
    hosts = {
        name: {
            "hardener_root": str(tmp_path / "hosts" / name),
            "hardener_devices": [p.spec for p in ps],
            "hardener_facts_dir": str(tmp_path / "hosts" / name / "facts.d"),
        }
        for name, ps in phones.items()
    }
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(json.dumps({"phone_hosts": {"hosts": hosts, "vars": {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "hardener_python": sys.executable,
        "hardener_wheel": str(wheel),
        "hardener_constraints": str(REPO / "constraints.txt"),
        "hardener_at": EVENING,
        "hardener_auth_timeout": 5,
        "hardener_report_dir": str(reports),
        "hardener_controller_hardener": str(Path(sys.executable).parent / "hardener"),
        "hardener_profiles": [str(company)],
        "hardener_profile": "company.toml",
        **signing,
    }}}))  # fmt: skip
    real_home = pwd.getpwuid(os.getuid()).pw_dir
    env = {
        **os.environ,
        "LC_ALL": "C.UTF-8",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible-remote"),
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", f"{real_home}/.cache/pip"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("ANSIBLE_CONFIG", None)

    def play(*extra: str, hosts: set[str] | None = None) -> tuple[str, dict[str, dict[str, int]]]:
        log = tmp_path / f"ansible-{len(list(tmp_path.glob('ansible-*.log')))}.log"
        with log.open("w") as out:  # a file, to follow a long run while it goes
            subprocess.run(
                [str(playbook), "-i", str(inventory), str(PLAYBOOK), *extra],
                env=env, stdout=out, stderr=subprocess.STDOUT, timeout=900, check=False,
            )  # fmt: skip
        output = log.read_text()
        counts = recap(output)
        assert set(counts) == (hosts or set(phones)), output
        return output, counts

    def merged() -> dict[str, dict]:
        document = json.loads((reports / "merged.json").read_text())
        return {d["serial"] or d["spec"]: d for d in document["devices"]}

    # 1. check mode: fleet plan on every host; no phone changes
    output, counts = play("--check")
    assert all(c["failed"] == 0 and c["unreachable"] == 0 for c in counts.values()), output
    assert all(c["changed"] > 0 for c in counts.values()), output  # "would change"
    after = {p.spec: phone_apps(cli, p.spec) for ps in phones.values() for p in ps}
    assert after == before
    planned = merged()
    assert len(planned) == 4 and all(d["status"] == "ok" for d in planned.values())
    assert all(d["counts"]["planned"] > 0 for d in planned.values())
    assert {d["host"] for d in planned.values()} == set(phones)
    # the local fact: which phones sit on which host
    for ps in phones.values():
        for p in ps:
            assert f"{p.spec} device {p.spec} " in output, output  # spec, state, serial, model
    assert "SM-S921B" in output and "23127PN0CC" in output
    # each host has its own venv, at the pinned version, and its own state folder
    for name in phones:
        root = tmp_path / "hosts" / name
        assert (root / "venv" / "bin" / "hardener").exists()
        assert oct(root.stat().st_mode & 0o777) == "0o700"
        assert (root / "etc" / "company.toml").exists()
        if signing:
            assert (root / "etc" / "company.toml.sig").exists()

    # 2. apply: every phone converges but the Xiaomi, whose host is failed and reported
    output, counts = play()
    assert counts["desk-a"]["failed"] == 0 and counts["desk-a"]["changed"] > 0, output
    assert counts["lab-b"]["failed"] == 0 and counts["lab-b"]["changed"] > 0, output
    assert counts["bench-c"]["failed"] == 1, output
    assert "1 phone(s) on bench-c did not converge" in output
    assert "USB debugging (Security settings)" in output
    applied = merged()
    assert {s: d["status"] for s, d in applied.items()} == {
        "DESKA001": "ok", "LABB0001": "ok", "BENCHC01": "ok", "BENCHC02": "failed",
    }  # fmt: skip
    assert all(applied[s]["counts"]["applied"] > 0 for s in ("DESKA001", "LABB0001", "BENCHC01"))
    xiaomi = applied["BENCHC02"]
    assert xiaomi["host"] == "bench-c" and xiaomi["exit_code"] == 4
    assert any("Neither user 2000" in r for r in xiaomi["refusals"])
    assert "USB debugging (Security settings)" in xiaomi["advice"]
    for ps in phones.values():
        for p in ps:
            if p.android.serial() != "BENCHC02":
                audit = cli("audit", "--device", p.spec, "-p", str(company), "--at", EVENING)
                assert audit.exit_code == 0, audit.stdout  # converged
    # each host kept its own journal
    for name in phones:
        assert list((tmp_path / "hosts" / name / "state").rglob("*")), name

    # 3. a second apply changes nothing; the refusing phone is still reported
    output, counts = play()
    assert counts["desk-a"] == {**counts["desk-a"], "changed": 0, "failed": 0}, output
    assert counts["lab-b"] == {**counts["lab-b"], "changed": 0, "failed": 0}, output
    assert counts["bench-c"]["changed"] == 0 and counts["bench-c"]["failed"] == 1, output
    again = merged()
    assert all(again[s]["counts"].get("applied", 0) == 0 for s in again)
    assert again["BENCHC02"]["status"] == "failed"
    # the summaries to forward say the same, per host and group
    summary = (reports / "merged.md").read_text()
    assert "| bench\\-c | bench\\-c | 2 | 1 | 1 | 0 | 0 | 0 |" in summary
    assert "BENCHC02" in summary and "Neither user 2000" in summary
    assert "USB debugging \\(Security settings\\)" in summary
    page = (reports / "merged.html").read_text()
    assert "<td>bench-c</td>" in page and "USB debugging (Security settings)" in page

    # 4. canary and halt across hosts: bench-c alone first; it fails, so the others never run
    untouched = {p.spec: p.round_trips() for name in ("desk-a", "lab-b") for p in phones[name]}
    output, counts = play(
        "-e", json.dumps({"hardener_serial": [1, "100%"], "hardener_max_fail_percentage": 0,
                          "hardener_order": "reverse_inventory"}),
        hosts={"bench-c"},
    )  # fmt: skip
    assert counts["bench-c"]["failed"] == 1, output
    assert {p.spec: p.round_trips() for name in ("desk-a", "lab-b") for p in phones[name]} == (
        untouched
    )
    assert {d["host"] for d in merged().values()} == {"bench-c"}  # the batch that ran

    # 5. a profile changed after it was signed is refused on every host, before any phone
    if signing:
        company.write_text(company.read_text().replace("company", "changed"))
        before = {p.spec: p.round_trips() for ps in phones.values() for p in ps}
        # (the local fact is skipped here: listing the phones reads them)
        output, counts = play("--check", "--skip-tags", "hardener_facts")
        assert all(c["failed"] == 1 for c in counts.values()), output
        assert "the signature does not match" in output
        assert {p.spec: p.round_trips() for ps in phones.values() for p in ps} == before
