"""Signed profiles: run only what the admin approved, checked with SSH signatures like git's.

An admin signs each profile file with an SSH key (`ssh-keygen -Y sign -n hardener-profile
FILE`, or `hardener profile sign`), which writes `FILE.sig` beside it. A host or a person's
timer verifies with an allowed-signers file (the format of ssh-keygen(1) "ALLOWED SIGNERS",
the one git's `gpg.ssh.allowedSignersFile` uses):

    admin@example.com namespaces="hardener-profile" ssh-ed25519 AAAAC3Nz...

Every file of the profile's `extends` chain must carry a good signature from a listed
signer. Profiles bundled with hardener are part of the installed program (the same trust as
the code doing the check) and need none. The verifying engine is the real `ssh-keygen`; the
file's bytes are hashed when verified and again after loading, so a file swapped between the
check and its use is refused too.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hardener.errors import InputError
from hardener.profile import Profile, load_profile
from hardener.profile.bundled import bundled_profiles

NAMESPACE = "hardener-profile"
SIG_SUFFIX = ".sig"
SSH_KEYGEN = "ssh-keygen"
_TIMEOUT = 30.0


class SignatureError(InputError):
    """A profile is unsigned, tampered with, or signed by someone not allowed (exit 2)."""


@dataclass(frozen=True)
class Verified:
    """One file of a profile's chain and why it is trusted."""

    path: Path
    principal: str  # the allowed signer; "" for a bundled profile
    bundled: bool
    digest: str  # sha256 of the bytes that were verified

    def describe(self) -> str:
        if self.bundled:
            return f"{self.path}: bundled with hardener (trusted as part of the program)"
        return f"{self.path}: signed by {printable(self.principal)}"


def printable(text: str) -> str:
    """`text` with control characters shown as escapes: safe for a terminal or a log line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def signature_path(path: Path) -> Path:
    return path.with_name(path.name + SIG_SUFFIX)


def _ssh_keygen() -> str:
    found = shutil.which(SSH_KEYGEN)
    if found is None:
        raise InputError(
            "ssh-keygen is not installed: signed profiles are checked with it",
            hint="install OpenSSH's client (Debian/Ubuntu: apt install openssh-client)",
        )
    return found


def _run(args: Sequence[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [_ssh_keygen(), *args], input=data, capture_output=True, timeout=_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(f"ssh-keygen did not answer within {_TIMEOUT:.0f} s") from None


def _allowed(allowed_signers: Path) -> Path:
    path = Path(allowed_signers).expanduser()
    if not path.is_file():
        raise InputError(
            f"{path}: no such allowed-signers file",
            hint='one line per signer: PRINCIPAL namespaces="hardener-profile" KEYTYPE KEY '
            "(the format of ssh-keygen(1), ALLOWED SIGNERS)",
        )
    return path


def _bundled_paths() -> set[Path]:
    return {path.resolve() for path in bundled_profiles().values()}


def verify_file(path: Path, allowed_signers: Path) -> Verified:
    """Check one file's signature; SignatureError says which of unsigned/unknown/tampered."""
    path = Path(path)
    if path.resolve() in _bundled_paths():
        data = path.read_bytes()
        return Verified(path, "", True, hashlib.sha256(data).hexdigest())
    allowed = _allowed(allowed_signers)
    signature = signature_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SignatureError(f"{path}: cannot read the profile: {error.strerror}") from None
    if not signature.is_file():
        raise SignatureError(
            f"{path}: the profile is not signed (no {signature.name} beside it)",
            hint=f"have the admin sign it: ssh-keygen -Y sign -f KEY -n {NAMESPACE} {path} "
            "(or hardener profile sign)",
        )
    found = _run(["-Y", "find-principals", "-s", str(signature), "-f", str(allowed)])
    principals = [
        line.strip()
        for line in found.stdout.decode("utf-8", "replace").splitlines()
        if line.strip()
    ]
    if found.returncode != 0 or not principals:
        raise SignatureError(
            f"{path}: signed by a key that is not in {allowed}",
            hint="sign it with an allowed key, or add the signer's public key to the "
            "allowed-signers file (only if you trust them)",
        )
    problems: list[str] = []
    for principal in principals:
        if any(not c.isprintable() for c in principal):
            continue  # never handed to another program, never printed raw
        done = _run(
            ["-Y", "verify", "-f", str(allowed), "-I", principal, "-n", NAMESPACE,
             "-s", str(signature)],
            data,
        )  # fmt: skip
        if done.returncode == 0:
            return Verified(path, principal, False, hashlib.sha256(data).hexdigest())
        problems.append(done.stderr.decode("utf-8", "replace").strip())
    detail = printable(problems[-1].splitlines()[-1]) if problems and problems[-1] else ""
    raise SignatureError(
        f"{path}: the signature does not match the file (changed since it was signed, or "
        f"signed for another purpose than {NAMESPACE})" + (f": {detail}" if detail else ""),
        hint="get the approved profile again, or have the admin sign the new version",
    )


def chain_files(ref: str | Path) -> list[Path]:
    """Every file of a profile's `extends` chain, this file first.

    A file that cannot be read or parsed is still in the chain (and stops it): it must be
    refused for its signature, not skipped."""
    from hardener.profile.loader import _locate
    from hardener.profile.merge import resolve_extends
    from hardener.profile.problems import Problem
    from hardener.profile.schema import read_layer

    located = _locate(ref)
    if isinstance(located, Problem):
        raise InputError(f"{ref}: {located.message}", hint=located.expected or None)
    path, file = located.path, located.file
    files: list[Path] = []
    while True:
        files.append(path)
        layer, _ = read_layer(path, file)
        if layer is None or layer.extends is None:
            return files
        target = resolve_extends(layer.extends, path.parent)
        if isinstance(target, str) or target.resolve() in {f.resolve() for f in files}:
            return files  # loading reports the missing file or the cycle
        path, file = target, str(target)


def verify_profile(ref: str | Path, allowed_signers: Path) -> list[Verified]:
    """Verify every file of the chain (this file first); raises on the first that fails."""
    return [verify_file(path, allowed_signers) for path in chain_files(ref)]


def load_signed_profile(ref: str | Path, allowed_signers: Path) -> Profile:
    """`load_profile`, only after every file of its chain verified, and only if unchanged."""
    verified = verify_profile(ref, allowed_signers)
    profile = load_profile(ref)
    digests = {v.path.resolve(): v.digest for v in verified}
    for path in profile.files:
        digest = digests.get(path.resolve())
        try:
            current = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            current = ""
        if digest is None or digest != current:
            raise SignatureError(
                f"{path}: the profile changed while it was being checked",
                hint="run again; if it persists, something is rewriting the profile",
            )
    return profile


def load_profiles(refs: Iterable[str], allowed_signers: Path | None) -> dict[str, Profile]:
    """Each distinct profile, loaded; verified first when `allowed_signers` is given."""
    loaded: dict[str, Profile] = {}
    for ref in refs:
        if ref not in loaded:
            loaded[ref] = (
                load_signed_profile(ref, allowed_signers) if allowed_signers else load_profile(ref)
            )
    return loaded


def sign_file(path: Path, key: Path) -> Path:
    """Sign `path` with the SSH private key `key` (ssh-keygen -Y sign); returns the .sig."""
    path, key = Path(path), Path(key).expanduser()
    if not path.is_file():
        raise InputError(f"{path}: no such profile file")
    if not key.is_file():
        raise InputError(
            f"{key}: no such key file", hint="an SSH private key, e.g. ~/.ssh/id_ed25519"
        )
    signature = signature_path(path)
    if signature.exists():
        signature.unlink()  # ssh-keygen will not overwrite; a new version needs a new signature
    done = _run(["-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(path)])
    if done.returncode != 0 or not signature.is_file():
        message = printable(done.stderr.decode("utf-8", "replace").strip())
        raise InputError(f"{path}: ssh-keygen could not sign it: {message}")
    return signature
