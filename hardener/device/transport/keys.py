"""The laptop's ADB identity: the same RSA key the official adb uses, created if absent.

Reusing `~/.android/adbkey` is what keeps a phone that already trusts this laptop (from
`adb` or Android Studio) trusting hardener: no new "Allow USB debugging?" prompt. The
location is measured, not assumed: adb 36.0.0 keeps the key in `$HOME/.android` even when
`$ANDROID_USER_HOME` is set, so that is where the primary key lives; a key found in
`$ANDROID_USER_HOME/adbkey` and those named by `$ADB_VENDOR_KEYS` (files, or folders of
`*.adb_key`, as adb reads them) are offered too.

Files are written like adb writes them (PKCS#8 PEM, and `adbkey.pub` holding
`base64(Android RSAPublicKey struct) user@host` with no newline), but mode 0600 from the
first byte, and published with a hard link so a concurrent hardener never reads half a key.
"""

from __future__ import annotations

import base64
import contextlib
import getpass
import os
import pwd
import secrets
import socket
import struct
import threading
from collections.abc import Mapping
from pathlib import Path

from adb_shell.auth.sign_cryptography import CryptographySigner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from hardener.errors import InputError

KEY_BITS = 2048
_WORDS = KEY_BITS // 32
_STRUCT = struct.Struct(f"<II{KEY_BITS // 8}s{KEY_BITS // 8}sI")


def android_key_blob(key: rsa.RSAPublicKey) -> bytes:
    """The 524-byte `RSAPublicKey` struct adbd stores in `adb_keys` (AOSP android_pubkey)."""
    numbers = key.public_numbers()
    n, e = numbers.n, numbers.e
    if n.bit_length() != KEY_BITS:
        raise ValueError(f"ADB keys are {KEY_BITS}-bit RSA, this one has {n.bit_length()} bits")
    n0inv = (-pow(n, -1, 1 << 32)) % (1 << 32)
    rr = pow(2, 2 * KEY_BITS, n)
    size = KEY_BITS // 8
    return _STRUCT.pack(_WORDS, n0inv, n.to_bytes(size, "little"), rr.to_bytes(size, "little"), e)


def _user_at_host(env: Mapping[str, str]) -> str:
    user = env.get("LOGNAME") or ""
    if not user:
        with contextlib.suppress(Exception):
            user = getpass.getuser()
    host = env.get("HOSTNAME") or socket.gethostname() or "unknown"
    return f"{user or 'unknown'}@{host}"


def public_key_text(key: rsa.RSAPublicKey, env: Mapping[str, str] | None = None) -> bytes:
    """`adbkey.pub` content: what the phone shows a fingerprint of in its prompt."""
    env = os.environ if env is None else env
    return base64.b64encode(android_key_blob(key)) + b" " + _user_at_host(env).encode()


def home_dir(env: Mapping[str, str] | None = None) -> Path:
    """`$HOME`, else the password database, exactly as adb's `adb_get_homedir_path`."""
    env = os.environ if env is None else env
    if env.get("HOME"):
        return Path(env["HOME"])
    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def default_key_path(env: Mapping[str, str] | None = None) -> Path:
    """Where adb keeps (and creates) its key: `$HOME/.android/adbkey`."""
    return home_dir(env) / ".android" / "adbkey"


def key_warning(env: Mapping[str, str] | None = None) -> str | None:
    """Words for the user when the private key can be read by other users of this computer:
    whoever reads it is, to every phone that trusts it, this computer."""
    path = default_key_path(env)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & 0o077 == 0:
        return None
    return (
        f"warning: the ADB key {path} can be read by other users of this computer (mode "
        f"{mode & 0o777:04o}); anyone who reads it can use every phone that trusts it. "
        f"Fix: chmod 600 {path}"
    )


def _write_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`, mode 0600, atomically; keeps an existing file (race lost)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def create_key(path: Path, env: Mapping[str, str] | None = None) -> None:
    """Generate a 2048-bit key at `path` (+ `.pub`) in adb's format, unless one appears first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_new(path, pem)
    pub = path.with_name(path.name + ".pub")
    if not pub.exists():
        # The private key may be another process's (we lost the race): describe that one.
        _write_new(pub, public_key_text(_load_private(path).public_key(), env))


_LOADED: dict[tuple[str, bytes], rsa.RSAPrivateKey] = {}
_LOADED_LOCK = threading.Lock()


def _load_private(path: Path) -> rsa.RSAPrivateKey:
    """The key in `path`. Parsing a PEM RSA key costs ~40 ms of CPU (the library checks the
    key's maths), so a process that opens many phones (a fleet) parses each file once; a
    changed file is read afresh, because the cache is keyed by its content."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the ADB key {path}: {error.strerror}") from None
    with _LOADED_LOCK:
        cached = _LOADED.get((str(path), data))
    if cached is not None:
        return cached
    key = _parse_private(path, data)
    with _LOADED_LOCK:
        _LOADED[(str(path), data)] = key
    return key


def _parse_private(path: Path, data: bytes) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (OSError, ValueError, TypeError) as error:
        raise InputError(
            f"cannot read the ADB key {path}: {error}",
            hint="it must be an unencrypted PEM RSA key as adb writes it; move the file away "
            "to let hardener create a new one (the phone will then ask to allow this computer)",
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size != KEY_BITS:
        raise InputError(
            f"the ADB key {path} is not a {KEY_BITS}-bit RSA key",
            hint="move it away to let hardener create one in adb's format",
        )
    return key


class AdbKeySigner(CryptographySigner):
    """adb-shell's fast `CryptographySigner` (0.24 ms a signature, vs 21 ms pure Python),
    loaded from a key we already parsed. The public key sent to the phone is recomputed
    from the private key, so a missing or stale `.pub` cannot make the prompt show a
    key that will not sign."""

    def __init__(
        self, path: Path, key: rsa.RSAPrivateKey, env: Mapping[str, str] | None = None
    ) -> None:
        # Deliberately not calling super().__init__: it insists on reading `path + ".pub"`.
        self.path = path
        self.rsa_key = key
        self.public_key = _matching_pub_file(path, key) or public_key_text(key.public_key(), env)


def _matching_pub_file(path: Path, key: rsa.RSAPrivateKey) -> bytes | None:
    """The `.pub` file's text (adb sends it as is) when it really describes `key`."""
    try:
        text = path.with_name(path.name + ".pub").read_bytes().strip(b"\0\r\n ")
        blob = base64.b64decode(text.split(b" ", 1)[0], validate=True)
    except (OSError, ValueError):
        return None
    return text if blob == android_key_blob(key.public_key()) else None


def _vendor_key_files(env: Mapping[str, str]) -> list[Path]:
    files: list[Path] = []
    for entry in filter(None, env.get("ADB_VENDOR_KEYS", "").split(os.pathsep)):
        path = Path(entry)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.name.endswith(".adb_key")))
        elif path.is_file():
            files.append(path)
    return files


def load_signers(
    env: Mapping[str, str] | None = None, *, create: bool = True
) -> list[AdbKeySigner]:
    """The keys to offer a phone, primary first (its public key is the one the prompt shows).

    Creates the primary key when it is absent and `create` is true.
    """
    env = os.environ if env is None else env
    primary = default_key_path(env)
    if not primary.exists() and create:
        create_key(primary, env)
    candidates = [primary]
    if env.get("ANDROID_USER_HOME"):
        candidates.append(Path(env["ANDROID_USER_HOME"]) / "adbkey")
    candidates.extend(_vendor_key_files(env))
    signers: list[AdbKeySigner] = []
    seen: set[bytes] = set()
    for path in candidates:
        if path != primary and not path.is_file():
            continue
        if path == primary and not path.exists():
            continue
        key = _load_private(path)
        blob = android_key_blob(key.public_key())
        if blob not in seen:
            seen.add(blob)
            signers.append(AdbKeySigner(path, key, env))
    return signers
