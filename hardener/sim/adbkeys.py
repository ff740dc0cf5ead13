"""Android's RSA public-key format for ADB, and the AUTH signature check a phone performs.

A host authenticates by signing the phone's 20-byte token with its private key; the phone
checks the signature against the keys the user has allowed (`/data/misc/adb/adb_keys`).
Keys travel and are stored as `base64(RSAPublicKey struct) user@host` (`adbkey.pub`), where
the struct is AOSP `libcrypto_utils/android_pubkey.cpp`:

    u32 modulus_size_words (64)  u32 n0inv  u8 modulus[256] (LE)  u8 rr[256] (LE)  u32 exponent

Keys are handled here as the raw 524-byte struct ("key blob"): it is what the phone
compares, independent of base64 line wrapping or the trailing comment.
"""

from __future__ import annotations

import base64
import binascii
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.hazmat.primitives.hashes import SHA1

from hardener.errors import InputError

MODULUS_BYTES = 2048 // 8
MODULUS_WORDS = MODULUS_BYTES // 4
PUBKEY_STRUCT = struct.Struct(f"<II{MODULUS_BYTES}s{MODULUS_BYTES}sI")
PUBKEY_SIZE = PUBKEY_STRUCT.size  # 524


def decode_key_blob(blob: bytes) -> rsa.RSAPublicKey:
    """The RSA key inside a 524-byte Android key struct; ValueError when it is not one."""
    if len(blob) != PUBKEY_SIZE:
        raise ValueError(f"an Android ADB key is {PUBKEY_SIZE} bytes, got {len(blob)}")
    words, _n0inv, modulus, _rr, exponent = PUBKEY_STRUCT.unpack(blob)
    if words != MODULUS_WORDS:
        raise ValueError(f"modulus size is {words} words, Android ADB keys have {MODULUS_WORDS}")
    n = int.from_bytes(modulus, "little")
    if n.bit_length() != 2048 or exponent not in (3, 65537):
        raise ValueError("not a 2048-bit RSA key with exponent 3 or 65537")
    return rsa.RSAPublicNumbers(exponent, n).public_key()


def encode_key_blob(key: rsa.RSAPublicKey) -> bytes:
    """The 524-byte struct for a 2048-bit RSA key, with the Montgomery values adbd expects."""
    numbers = key.public_numbers()
    n, e = numbers.n, numbers.e
    if n.bit_length() != 2048:
        raise ValueError(f"Android ADB keys are 2048-bit RSA, got {n.bit_length()} bits")
    n0inv = (-pow(n, -1, 1 << 32)) % (1 << 32)
    rr = pow(2, 2 * 2048, n)
    return PUBKEY_STRUCT.pack(
        MODULUS_WORDS,
        n0inv,
        n.to_bytes(MODULUS_BYTES, "little"),
        rr.to_bytes(MODULUS_BYTES, "little"),
        e,
    )


def parse_public_key(data: str | bytes, *, source: str = "public key") -> bytes:
    """A key blob from what users and hosts hold: `adbkey.pub` text (with or without the
    `user@host` comment and the AUTH payload's trailing NUL) or the raw 524-byte struct.

    Raises InputError naming `source` when it is neither.
    """
    if isinstance(data, bytes) and len(data) == PUBKEY_SIZE and data[:4] == b"\x40\0\0\0":
        blob = data
    else:
        text = data.decode("ascii", "replace") if isinstance(data, bytes) else data
        fields = text.replace("\0", " ").split()
        if not fields:
            raise InputError(
                f"{source} is empty",
                hint="use the contents of an adbkey.pub file (`base64 user@host`)",
            )
        try:
            blob = base64.b64decode(fields[0], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InputError(
                f"{source} is not base64: {exc}",
                hint="use the contents of an adbkey.pub file (`base64 user@host`)",
            ) from None
    try:
        decode_key_blob(blob)
    except ValueError as exc:
        raise InputError(
            f"{source} is not an Android ADB public key: {exc}",
            hint="use an adbkey.pub written by `adb keygen` or adb_shell's keygen",
        ) from None
    return blob


def format_public_key(blob: bytes, comment: str = "") -> str:
    """`adbkey.pub` text for a key blob: base64, then the optional `user@host` comment."""
    encoded = base64.b64encode(blob).decode("ascii")
    return f"{encoded} {comment}" if comment else encoded


def signature_matches(key: rsa.RSAPublicKey, token: bytes, signature: bytes) -> bool:
    """Whether `signature` is the host's RSA_sign(NID_sha1) of `token` under `key`.

    The host treats the 20-byte token as an already computed SHA-1 digest (PKCS#1 v1.5
    with the SHA-1 DigestInfo, no hashing of its own), so the check is prehashed.
    """
    if len(token) != SHA1.digest_size:
        return False
    try:
        key.verify(signature, token, padding.PKCS1v15(), utils.Prehashed(SHA1()))
    except (InvalidSignature, ValueError):
        return False
    return True
