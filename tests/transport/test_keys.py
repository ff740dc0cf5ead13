"""The ADB key: adb's location and format, created 0600, reused, cross-checked with adb."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from adb_shell.auth.keygen import keygen
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from cryptography.hazmat.primitives.hashes import SHA1

from hardener.device.transport.keys import (
    android_key_blob,
    create_key,
    default_key_path,
    load_signers,
)
from hardener.errors import InputError
from hardener.sim import adbkeys


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_key_is_created_where_adb_keeps_it_mode_0600(isolated: Path) -> None:
    signers = load_signers()
    key = isolated / ".android" / "adbkey"
    assert default_key_path() == key
    assert key.is_file() and mode(key) == 0o600
    assert mode(key.with_name("adbkey.pub")) == 0o600
    assert mode(key.parent) == 0o700
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")  # PKCS#8, as adb
    assert [s.path for s in signers] == [key]
    assert not [p.name for p in key.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_pub_file_is_androids_format_and_matches_the_private_key(isolated: Path) -> None:
    signer = load_signers()[0]
    pub = (isolated / ".android" / "adbkey.pub").read_bytes()
    assert not pub.endswith(b"\n")  # adb writes no newline
    b64, _, comment = pub.partition(b" ")
    assert b"@" in comment
    blob = base64.b64decode(b64, validate=True)
    assert len(blob) == 524
    # The sim's independent decoder (the phone side) reads back the same RSA key.
    phone_view = adbkeys.decode_key_blob(blob)
    assert phone_view.public_numbers() == signer.rsa_key.public_key().public_numbers()
    assert signer.GetPublicKey() == pub


def test_signature_is_what_a_phone_verifies() -> None:
    signer = load_signers()[0]
    token = os.urandom(20)
    signature = signer.Sign(token)
    # adbd: RSA_verify(NID_sha1, token...) - PKCS#1 v1.5 over the token as a SHA-1 digest.
    signer.rsa_key.public_key().verify(
        signature, token, padding.PKCS1v15(), utils.Prehashed(SHA1())
    )


def test_existing_key_is_reused_not_replaced(isolated: Path) -> None:
    first = load_signers()[0].GetPublicKey()
    key = isolated / ".android" / "adbkey"
    before = key.read_bytes()
    assert load_signers()[0].GetPublicKey() == first
    assert key.read_bytes() == before


def test_missing_pub_file_is_recomputed_from_the_private_key(isolated: Path) -> None:
    blob = android_key_blob(load_signers()[0].rsa_key.public_key())
    (isolated / ".android" / "adbkey.pub").unlink()
    again = load_signers()[0].GetPublicKey()
    assert base64.b64decode(again.split(b" ")[0]) == blob


def test_blob_matches_adb_shells_independent_encoder(tmp_path: Path) -> None:
    path = tmp_path / "k"
    keygen(str(path))  # adb-shell writes its own .pub with its own encoder
    key = serialization.load_pem_private_key(path.read_bytes(), None)
    theirs = base64.b64decode(path.with_name("k.pub").read_bytes().split(b" ")[0])
    assert android_key_blob(key.public_key()) == theirs


def test_a_key_made_by_the_official_adb_is_used_unchanged(
    official_adb: Path, isolated: Path
) -> None:
    key = isolated / ".android" / "adbkey"
    key.parent.mkdir()
    subprocess.run([str(official_adb), "keygen", str(key)], check=True, capture_output=True)
    adb_pub = key.with_name("adbkey.pub").read_bytes()
    signer = load_signers()[0]
    assert signer.path == key
    # Byte-identical public key: the phone sees the same key whether adb or hardener asks.
    assert base64.b64decode(signer.GetPublicKey().split(b" ")[0]) == base64.b64decode(
        adb_pub.split(b" ")[0]
    )


def test_adb_and_hardener_agree_on_a_key_hardener_created(
    official_adb: Path, isolated: Path
) -> None:
    """adb must accept our file as its own: `adb pubkey` derives the same public key."""
    load_signers()
    key = isolated / ".android" / "adbkey"
    done = subprocess.run([str(official_adb), "pubkey", str(key)], capture_output=True, check=False)
    if done.returncode != 0 and b"unknown command" in (done.stdout + done.stderr):
        pytest.skip("this adb has no `pubkey` command")
    assert done.returncode == 0, done.stderr
    theirs = base64.b64decode(done.stdout.split(b" ")[0])
    assert theirs == base64.b64decode(key.with_name("adbkey.pub").read_bytes().split(b" ")[0])


def test_android_user_home_and_vendor_keys_are_offered_after_the_primary(
    monkeypatch: pytest.MonkeyPatch, isolated: Path, tmp_path: Path
) -> None:
    user_home = tmp_path / "android-user-home"
    create_key(user_home / "adbkey")
    vendor_dir = tmp_path / "vendor"
    create_key(vendor_dir / "corp.adb_key")
    create_key(vendor_dir / "ignored.txt")  # adb reads only *.adb_key in folders
    single = tmp_path / "single-key"
    create_key(single)
    monkeypatch.setenv("ANDROID_USER_HOME", str(user_home))
    monkeypatch.setenv("ADB_VENDOR_KEYS", f"{vendor_dir}{os.pathsep}{single}")
    paths = [s.path for s in load_signers()]
    assert paths == [
        isolated / ".android" / "adbkey",
        user_home / "adbkey",
        vendor_dir / "corp.adb_key",
        single,
    ]


def test_the_same_key_twice_is_offered_once(
    monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    load_signers()
    monkeypatch.setenv("ADB_VENDOR_KEYS", str(isolated / ".android" / "adbkey"))
    assert len(load_signers()) == 1


def test_concurrent_creation_yields_one_consistent_key(isolated: Path) -> None:
    results: list[bytes] = []
    errors: list[BaseException] = []

    def make() -> None:
        try:
            results.append(load_signers()[0].GetPublicKey())
        except BaseException as error:  # noqa: BLE001 (a thread's failure goes to the assert)
            errors.append(error)

    threads = [threading.Thread(target=make) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    pub = (isolated / ".android" / "adbkey.pub").read_bytes()
    assert results[0] == pub


def test_unreadable_key_is_an_input_error_with_a_way_out(isolated: Path) -> None:
    key = isolated / ".android" / "adbkey"
    key.parent.mkdir()
    key.write_text("not a key")
    with pytest.raises(InputError) as caught:
        load_signers()
    assert str(key) in caught.value.message
    assert caught.value.hint and "move" in caught.value.hint


def test_no_key_is_created_when_not_asked(isolated: Path) -> None:
    assert load_signers(create=False) == []
    assert not (isolated / ".android").exists()
