"""`adb bugreport FILE` by the official client against the virtual phone: bugreportz, then
the sync: pull of the zip it names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import load_persona


@pytest.mark.parametrize("persona", ["pixel-14", "android9-legacy"])
def test_adb_bugreport_writes_the_zip_with_the_bugreport_layout(
    adb_server, tmp_path: Path, persona: str
):
    android = load_persona(persona)
    with SimServer(android, log_path=tmp_path / "streams.log") as server:
        adb_server.connect(server.serial)
        result = adb_server.run("-s", server.serial, "bugreport", str(tmp_path / "br"), timeout=60)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "br.zip"  # the client adds .zip
    assert f"Bug report copied to {target}" in result.stdout
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        main = archive.read("main_entry.txt").decode()
        text = archive.read(main).decode()
        assert archive.read("version.txt") == b"2.0"
    assert main in names and main.startswith("bugreport-") and main.endswith(".txt")
    assert text.startswith("=" * 56 + "\n== dumpstate: ")
    assert "------ SYSTEM PROPERTIES (getprop) ------\n[" in text
    for service in ("package", "appops", "deviceidle", "usagestats", "user", "accessibility"):
        assert f"\nDUMP OF SERVICE {service}:\n" in text
    # What the phone answered live is what the report holds.
    live = android.run("dumpsys package").stdout.decode()
    assert live in text
    streams = [(e.service, e.command) for e in read_log(tmp_path / "streams.log")]
    shells = [command for service, command in streams if service.startswith("shell")]
    assert shells == ["bugreportz -v", "bugreportz -p"]
    assert ("sync", "") in streams
    # The zip stays on the phone, as on a real one.
    assert android.run("ls /bugreports").stdout.decode().strip().endswith(".zip")
