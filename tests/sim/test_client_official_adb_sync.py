"""`adb push`, `adb pull` and `adb shell ls` by the official client against the virtual
phone's `sync:` service: files pushed are the shell's files, and APKs can be pulled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hardener.sim.adbd import SimServer, read_log
from hardener.sim.android import AndroidDevice, load_persona


@pytest.fixture
def android_and_adb(
    adb_server, tmp_path: Path
) -> Iterator[tuple[AndroidDevice, SimServer, object]]:
    android = load_persona("pixel-14")
    server = SimServer(android, log_path=tmp_path / "streams.log")
    server.start()
    try:
        adb_server.connect(server.serial)
        yield android, server, adb_server
    finally:
        server.stop()


def test_the_banner_offers_the_sync_features_without_compression(android_and_adb):
    _, server, adb = android_and_adb
    features = adb.run("-s", server.serial, "features").stdout.split()
    assert {"stat_v2", "ls_v2", "sendrecv_v2", "fixed_push_mkdir", "shell_v2"} <= set(features)
    assert not [f for f in features if f.startswith("sendrecv_v2_")]


def test_push_lands_in_data_local_tmp_and_the_shell_sees_it(android_and_adb, tmp_path):
    android, server, adb = android_and_adb
    payload = bytes(range(256)) * 1000 + b"tail\n"  # 256 KB: several DATA messages
    local = tmp_path / "blob.bin"
    local.write_bytes(payload)
    pushed = adb.run("-s", server.serial, "push", str(local), "/data/local/tmp/sub/blob.bin")
    assert pushed.returncode == 0, pushed.stderr
    assert "1 file pushed" in pushed.stdout + pushed.stderr
    assert android.files.read("/data/local/tmp/sub/blob.bin") == payload
    note = tmp_path / "note.txt"
    note.write_text("hello from the laptop\n")
    assert adb.run("-s", server.serial, "push", str(note), "/sdcard/Download/").returncode == 0
    shown = adb.run(
        "-s", server.serial, "shell", "ls /data/local/tmp/sub; cat /sdcard/Download/note.txt"
    )
    assert shown.stdout == "blob.bin\nhello from the laptop\n"
    assert android.files.stat("/data/local/tmp/sub/blob.bin").size == len(payload)


def test_pull_brings_back_what_the_shell_wrote(android_and_adb, tmp_path):
    _, server, adb = android_and_adb
    wrote = adb.run(
        "-s", server.serial, "shell", "echo written on the phone > /data/local/tmp/out.txt"
    )
    assert wrote.returncode == 0
    target = tmp_path / "out.txt"
    pulled = adb.run("-s", server.serial, "pull", "/data/local/tmp/out.txt", str(target))
    assert pulled.returncode == 0, pulled.stderr
    assert target.read_text() == "written on the phone\n"


def test_round_trip_of_a_large_file_is_byte_exact(android_and_adb, tmp_path):
    _, server, adb = android_and_adb
    payload = bytes((i * 7919) % 251 for i in range(3_000_000))
    source, back = tmp_path / "big", tmp_path / "big.back"
    source.write_bytes(payload)
    assert adb.run("-s", server.serial, "push", str(source), "/data/local/tmp/big").returncode == 0
    assert adb.run("-s", server.serial, "pull", "/data/local/tmp/big", str(back)).returncode == 0
    assert back.read_bytes() == payload


def test_an_apk_is_pulled_from_the_path_pm_gives(android_and_adb, tmp_path):
    android, server, adb = android_and_adb
    line = adb.run("-s", server.serial, "shell", "pm path com.alibaba.android.rimet").stdout
    path = line.strip().removeprefix("package:")
    assert path.startswith("/data/app/") and path.endswith("/base.apk")
    target = tmp_path / "rimet.apk"
    pulled = adb.run("-s", server.serial, "pull", path, str(target))
    assert pulled.returncode == 0, pulled.stderr
    assert target.read_bytes() == android.files.read(path)
    assert target.read_bytes()[:2] == b"PK"


def test_refusals_read_as_on_a_phone(android_and_adb, tmp_path):
    _, server, adb = android_and_adb
    missing = adb.run("-s", server.serial, "pull", "/data/local/tmp/nothing", str(tmp_path / "x"))
    assert missing.returncode == 1
    assert "No such file or directory" in missing.stderr
    local = tmp_path / "f"
    local.write_text("x")
    refused = adb.run("-s", server.serial, "push", str(local), "/system/f")
    assert refused.returncode == 1
    assert "Read-only file system" in refused.stderr
    denied = adb.run("-s", server.serial, "shell", "ls /data/app")
    assert "Permission denied" in denied.stderr


def test_a_folder_is_pulled_whole(android_and_adb, tmp_path):
    android, server, adb = android_and_adb
    android.files.write("/data/local/tmp/d/a.txt", b"a\n")
    android.files.write("/data/local/tmp/d/e/b.txt", b"b\n")
    pulled = adb.run("-s", server.serial, "pull", "/data/local/tmp/d", str(tmp_path))
    assert pulled.returncode == 0, pulled.stderr
    assert (tmp_path / "d" / "a.txt").read_text() == "a\n"
    assert (tmp_path / "d" / "e" / "b.txt").read_text() == "b\n"


def test_the_log_names_sync_streams(android_and_adb, tmp_path):
    _, server, adb = android_and_adb
    local = tmp_path / "f"
    local.write_text("x")
    adb.run("-s", server.serial, "push", str(local), "/data/local/tmp/f")
    services = [entry.service for entry in read_log(tmp_path / "streams.log")]
    assert "sync" in services


@pytest.mark.parametrize(
    "features",
    [("shell_v2", "cmd"), ("shell_v2", "cmd", "fixed_push_mkdir")],
    ids=["v1-requests", "v1-with-fixed-mkdir"],
)
def test_without_the_v2_features_the_client_falls_back_to_v1(adb_server, tmp_path, features):
    """STAT/LIST/SEND/RECV: what adb sends to a phone that offers no stat_v2/ls_v2/sendrecv_v2."""
    android = load_persona("pixel-14")
    with SimServer(android, features=features) as server:
        adb_server.connect(server.serial)
        source, back = tmp_path / "src", tmp_path / "back"
        source.write_bytes(b"v1 payload\n" * 10_000)
        pushed = adb_server.run("-s", server.serial, "push", str(source), "/data/local/tmp/v1/f")
        assert pushed.returncode == 0, pushed.stderr
        pulled = adb_server.run("-s", server.serial, "pull", "/data/local/tmp/v1", str(back))
        assert pulled.returncode == 0, pulled.stderr
        assert (back / "f").read_bytes() == source.read_bytes()


def test_the_official_client_sends_the_v2_requests(adb_server, tmp_path, monkeypatch):
    """With stat_v2, ls_v2 and sendrecv_v2 offered, adb 36 uses STA2/LST2, LIS2, SND2, RCV2."""
    from hardener.sim import sync

    sessions: list[sync.SyncSession] = []
    original = sync.SyncSession.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        sessions.append(self)

    monkeypatch.setattr(sync.SyncSession, "__init__", remember)
    android = load_persona("pixel-14")
    android.files.write("/data/local/tmp/d/a", b"a")
    with SimServer(android) as server:
        adb_server.connect(server.serial)
        small, large = tmp_path / "small", tmp_path / "large"
        small.write_text("x")
        small.chmod(0o644)
        large.write_bytes(b"y" * 100_000)
        for local in (small, large):
            pushed = adb_server.run("-s", server.serial, "push", str(local), "/data/local/tmp/")
            assert pushed.returncode == 0, pushed.stderr
        pulled = adb_server.run("-s", server.serial, "pull", "/data/local/tmp/d", str(tmp_path))
        assert pulled.returncode == 0, pulled.stderr
    requests = [request for session in sessions for request in session.requests]
    ids = {ident for ident, _ in requests}
    # Files under 64 KiB go in one SEND v1 even to a v2 phone (SendSmallFile); larger: SND2.
    assert ("SEND", "/data/local/tmp/small,33188") in requests
    assert ("SND2", "/data/local/tmp/large") in requests
    assert {"RCV2", "LIS2"} <= ids and ids & {"STA2", "LST2"}
    assert not ids & {"RECV", "LIST", "STAT"}
