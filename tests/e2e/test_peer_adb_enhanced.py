"""A real peer tool end to end: adb-enhanced (`adbe`, PyPI) over the official adb client and
server against the virtual phone, every result checked against `hardener scan --json`.

adb-enhanced is the per-command peer in ../shared/research/peers.md. What it sends is its
own (docopt CLI -> `adb -s SERIAL shell ...`, one adb process per command); these tests only
check that the virtual phone answers it as a phone would and that what it changes is what
hardener then reads. Operations covered: list dangerous permissions (by group), revoke and
grant a capability group, restrict background, standby bucket get/set, app info, list apps,
and notifications (adbe has no listener command: `adbe notifications list` reads
`dumpsys notification`, whose listener section is compared with hardener's scan).
Needs neither `ps` nor `sync:` for these operations.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hardener.sim.android import platform as pf

P = pf.P

# Per persona: a workplace/social app of the catalog with contacts and location granted,
# not on the battery allow-list (an exempt app's bucket cannot change).
TARGET = {
    "pixel-14": "com.tencent.mobileqq",
    "samsung-oneui-work": "com.microsoft.teams",
    "xiaomi-hyperos-14": "com.tencent.mobileqq",
    "android9-legacy": "com.tencent.mm",
}
PERSONAS = tuple(TARGET)


def adbe_executable() -> Path | None:
    beside = Path(sys.executable).with_name("adbe")
    if beside.is_file():
        return beside
    found = shutil.which("adbe")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def adbe() -> Path:
    found = adbe_executable()
    if found is None:
        pytest.skip("adb-enhanced is not installed (scripts/bootstrap.sh dev installs it)")
    return found


class Peer:
    """`adbe -s SERIAL ...` with the isolated adb server's environment and its adb on PATH."""

    def __init__(self, adbe: Path, adb_server, serial: str) -> None:
        self.adbe = adbe
        self.serial = serial
        self.env = dict(adb_server.env)
        self.env["PATH"] = f"{adb_server.adb.parent}{os.pathsep}{self.env.get('PATH', '')}"
        self.adb_server = adb_server

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.adbe), "-s", self.serial, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def shell(self, command: str) -> str:
        return self.adb_server.run("-s", self.serial, "shell", command).stdout


@pytest.fixture
def peer_on(virtual_phone, adb_server, adbe) -> Callable[[str], tuple[object, Peer]]:
    def start(persona: str):
        phone = virtual_phone(persona)
        adb_server.connect(phone.spec)
        return phone, Peer(adbe, adb_server, phone.spec)

    return start


def scan_app(cli, phone, package: str) -> dict:
    result = cli("scan", "--device", phone.spec, "--json")
    assert result.exit_code in (0, 1), result.stderr
    apps = [a for a in result.json()["apps"] if a["package"] == package and a["user"] == 0]
    assert apps, f"{package} not in hardener's scan"
    return apps[0]


def granted(app: dict, perm: str) -> bool:
    return bool(app["permissions"].get(perm, {}).get("granted"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_targets_are_what_the_tests_assume(persona: str) -> None:
    from hardener.sim.android import load_persona

    model = load_persona(persona).model
    pkg = model.packages[TARGET[persona]]
    state = pkg.users[0]
    assert not pkg.legacy and not model.is_exempt(pkg.name)
    assert state.runtime[P + "READ_CONTACTS"].granted
    assert P + "ACCESS_FINE_LOCATION" in pkg.requested


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_dangerous_permissions_by_group(peer_on, persona: str) -> None:
    phone, peer = peer_on(persona)
    result = peer.run("permissions", "list", "dangerous")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Dangerous Permissions:"
    listed = {line[len("permission:") :] for line in lines if line.startswith("permission:")}
    sdk = phone.android.model.sdk
    assert listed == {p for p, (_, since) in pf.RUNTIME_PERMISSIONS.items() if since <= sdk}
    assert "group:android.permission-group.CONTACTS" in lines
    groups = peer.run("permission-groups", "list", "all")
    assert groups.returncode == 0
    assert "permission group:android.permission-group.LOCATION" in groups.stdout


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoke_contacts_and_grant_location_show_in_hardeners_scan(
    peer_on,
    cli,
    persona: str,
) -> None:
    phone, peer = peer_on(persona)
    package = TARGET[persona]
    if persona == "xiaomi-hyperos-14":
        # HyperOS refuses until the person turns on "USB debugging (Security settings)".
        refused = peer.run("permissions", "revoke", package, "contacts")
        assert "GRANT_RUNTIME_PERMISSIONS" in refused.stderr + refused.stdout or (
            "REVOKE_RUNTIME_PERMISSIONS" in refused.stderr + refused.stdout
        )
        assert granted(scan_app(cli, phone, package), P + "READ_CONTACTS")
        phone.android.set_usb_debugging_security_settings(True)
    revoke = peer.run("permissions", "revoke", package, "contacts")
    assert revoke.returncode == 0, revoke.stderr
    assert f"revoke {P}READ_CONTACTS permission to {package}" in revoke.stdout
    app = scan_app(cli, phone, package)
    assert not granted(app, P + "READ_CONTACTS")
    requested = phone.android.model.packages[package].requested
    if P + "WRITE_CONTACTS" in requested:
        assert not granted(app, P + "WRITE_CONTACTS")
    if phone.android.model.sdk >= 29 and granted(app, P + "GET_ACCOUNTS"):
        # adbe's hard-coded CONTACTS list lacks GET_ACCOUNTS and Android 10+ lists the
        # group empty, so the peer leaves it: hardener reports contacts as partial.
        assert app["capabilities"]["contacts"] == "partial"
    # Location: revoke, then grant it back with the peer.
    peer.run("permissions", "revoke", package, "location")
    assert not granted(scan_app(cli, phone, package), P + "ACCESS_FINE_LOCATION")
    grant = peer.run("permissions", "grant", package, "location")
    assert grant.returncode == 0, grant.stderr
    app = scan_app(cli, phone, package)
    assert granted(app, P + "ACCESS_FINE_LOCATION")
    assert granted(app, P + "ACCESS_COARSE_LOCATION")


def test_legacy_app_revoke_is_a_silent_no_op_hardener_sees(peer_on, cli) -> None:
    """adb-enhanced#1: `pm revoke` does nothing to a targetSdk<23 app; the peer says it did."""
    phone, peer = peer_on("android9-legacy")
    result = peer.run("permissions", "revoke", "com.tencent.tim", "contacts")
    assert f"revoke {P}READ_CONTACTS permission to com.tencent.tim" in result.stdout
    # hardener reads a legacy app's access from its app-ops: still granted.
    assert scan_app(cli, phone, "com.tencent.tim")["capabilities"]["contacts"] == "granted"


@pytest.mark.parametrize("persona", PERSONAS)
def test_restrict_background_and_standby_bucket(peer_on, cli, persona: str) -> None:
    phone, peer = peer_on(persona)
    package = TARGET[persona]
    if persona == "xiaomi-hyperos-14":
        phone.android.set_usb_debugging_security_settings(True)  # appops set needs it too
    assert peer.run("restrict-background", "true", package).returncode == 0
    assert scan_app(cli, phone, package)["background"]["run_any_in_background"] == "ignore"
    assert peer.run("restrict-background", "false", package).returncode == 0
    assert scan_app(cli, phone, package)["background"]["run_any_in_background"] == "allow"
    assert peer.run("standby-bucket", "set", package, "rare").returncode == 0
    got = peer.run("standby-bucket", "get", package)
    assert (got.returncode, got.stdout.strip()) == (0, "rare")
    assert scan_app(cli, phone, package)["background"]["standby_bucket"] == "rare"
    peer.run("standby-bucket", "set", package, "frequent")
    assert scan_app(cli, phone, package)["background"]["standby_bucket"] == "frequent"


@pytest.mark.parametrize("persona", PERSONAS)
def test_app_info_and_app_lists_agree_with_hardener(peer_on, cli, persona: str) -> None:
    phone, peer = peer_on(persona)
    package = TARGET[persona]
    info = peer.run("app", "info", package)
    assert info.returncode == 0, info.stderr
    app = scan_app(cli, phone, package)
    # adbe keeps the version name up to its first "/" (Teams' is "1416/1.0.0.2024143701").
    assert f"Version: {app['version_name'].split('/')[0]}\n" in info.stdout
    assert f"Target SDK version: {app['target_sdk']}" in info.stdout
    scanned = {
        a["package"]
        for a in cli("scan", "--device", phone.spec, "--json").json()["apps"]
        if not a["system"] and a["user"] == 0
    }
    every = peer.run("apps", "list", "all")  # from `dumpsys package`
    assert every.returncode == 0, every.stderr
    assert scanned <= set(every.stdout.split())
    third = peer.run("apps", "list", "third-party")
    if persona == "samsung-oneui-work":
        # `pm list packages -3` (no --user) touches Secure Folder, which refuses the shell:
        # the real SecurityException, so the peer's list fails on such a phone.
        assert third.returncode == 1
        assert "Shell does not have permission to access user 150" in third.stdout
        return
    assert third.returncode == 0
    listed = set(third.stdout.split())
    assert scanned <= listed
    system = set(peer.run("apps", "list", "system").stdout.split())
    assert not system & listed
    assert "android" in system or "com.android.settings" in system


@pytest.mark.parametrize("persona", PERSONAS)
def test_notifications_and_listeners_agree_with_hardener(peer_on, cli, persona: str) -> None:
    phone, peer = peer_on(persona)
    notes = peer.run("notifications", "list")
    assert notes.returncode == 0, notes.stderr
    assert "Can't find service" not in notes.stdout + notes.stderr
    dump = peer.shell("dumpsys notification --noredact")
    section = dump.split("\n  Notification listeners:\n", 1)[1].split("\n\n", 1)[0]
    live = {
        line.strip().split("}", 1)[0][len("ComponentInfo{") :].split("/", 1)[0]
        for line in section.split("Live notification listeners", 1)[1].splitlines()[1:]
        if line.strip().startswith("ComponentInfo{")
    }
    apps = cli("scan", "--device", phone.spec, "--json").json()["apps"]
    hooked = {
        a["package"]
        for a in apps
        if a["user"] == phone.android.model.current_user and a["hooks"]["notification_listener"]
    }
    assert hooked <= live
    if hooked:
        # hardener disables one listener; the service's live list follows at once.
        victim = sorted(hooked)[0]
        component = next(
            c
            for c in phone.android.model.listeners(phone.android.model.current_user)
            if c.startswith(victim + "/")
        )
        peer.shell(f"cmd notification disallow_listener {component}")
        after = peer.shell("dumpsys notification --noredact")
        assert f"ComponentInfo{{{component}}}" not in after.split("Notification listeners:", 1)[1]
