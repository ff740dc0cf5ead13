"""Android key format and the AUTH signature check, against adb_shell's own implementation."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.auth.sign_pythonrsa import PythonRSASigner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from hardener.errors import InputError
from hardener.sim import adbkeys


def private_key(path: Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def test_our_encoding_equals_the_pub_file_adb_shell_writes(adb_shell_key):
    pub_text = Path(f"{adb_shell_key}.pub").read_text()
    blob = adbkeys.parse_public_key(pub_text)
    assert len(blob) == adbkeys.PUBKEY_SIZE == 524
    # n0inv and rr included: byte for byte what adb_shell (and adb keygen) write.
    assert adbkeys.encode_key_blob(private_key(adb_shell_key).public_key()) == blob


def test_decoding_gives_back_the_key(adb_shell_key):
    public = private_key(adb_shell_key).public_key()
    decoded = adbkeys.decode_key_blob(adbkeys.encode_key_blob(public))
    assert decoded.public_numbers() == public.public_numbers()


@pytest.mark.parametrize("signer_class", [CryptographySigner, PythonRSASigner.FromRSAKeyPath])
def test_signatures_from_adb_shell_signers_verify(adb_shell_key, signer_class):
    signer = signer_class(str(adb_shell_key))
    key = adbkeys.decode_key_blob(adbkeys.parse_public_key(signer.GetPublicKey()))
    token = os.urandom(20)
    signature = signer.Sign(token)
    assert adbkeys.signature_matches(key, token, signature)
    assert not adbkeys.signature_matches(key, os.urandom(20), signature)
    assert not adbkeys.signature_matches(key, token, signature[:-1] + bytes([signature[-1] ^ 1]))
    assert not adbkeys.signature_matches(key, token[:19], signature)


def test_a_signature_from_another_key_does_not_verify(adb_shell_key, tmp_path):
    other_path = tmp_path / "other"
    keygen(str(other_path))
    token = os.urandom(20)
    signature = CryptographySigner(str(other_path)).Sign(token)
    key = private_key(adb_shell_key).public_key()
    assert not adbkeys.signature_matches(key, token, signature)


def test_the_forms_a_key_arrives_in_all_parse_to_the_same_blob(adb_shell_key):
    pub_text = Path(f"{adb_shell_key}.pub").read_text()
    blob = adbkeys.parse_public_key(pub_text)
    encoded = pub_text.split()[0]
    assert adbkeys.parse_public_key(f"{encoded} someone@laptop\0".encode()) == blob  # AUTH
    assert adbkeys.parse_public_key(encoded) == blob  # no comment
    assert adbkeys.parse_public_key(blob) == blob  # the raw struct
    assert adbkeys.format_public_key(blob, "me@host") == f"{encoded} me@host"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("", "empty"),
        ("not base64!", "not base64"),
        (base64.b64encode(b"\x40\0\0\0" + b"\0" * 100).decode(), "524 bytes"),
        (b"\x20\0\0\0" + b"\1" * 520, "not base64"),
    ],
)
def test_what_is_not_a_key_is_refused_with_the_source_named(data, problem):
    with pytest.raises(InputError, match=problem) as caught:
        adbkeys.parse_public_key(data, source="key file k.pub")
    assert "k.pub" in caught.value.message
    assert caught.value.hint


def test_a_key_struct_with_the_wrong_word_count_is_refused(adb_shell_key):
    blob = bytearray(adbkeys.parse_public_key(Path(f"{adb_shell_key}.pub").read_text()))
    blob[0] = 32
    with pytest.raises(InputError, match="64"):
        adbkeys.parse_public_key(base64.b64encode(bytes(blob)).decode())
