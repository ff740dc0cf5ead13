"""`hardener profile sign|verify`: SSH signatures on profiles, as git signs commits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hardener.host.signing import NAMESPACE, sign_file, verify_profile


def sign(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Profile files to sign.")],
    key: Annotated[
        Path,
        typer.Option("--key", "-k", metavar="KEY", help="The SSH private key to sign with."),
    ],
) -> None:
    """Sign profile files with an SSH key: writes FILE.sig beside each.

    The same as `ssh-keygen -Y sign -f KEY -n hardener-profile FILE`. Sign
    every file of an `extends` chain.

    Example: hardener profile sign company.toml team.toml -k ~/.ssh/id_ed25519
    """
    for path in files:
        typer.echo(f"signed {path}: {sign_file(path, key)}")


def verify(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A profile file or bundled name.")],
    allowed_signers: Annotated[
        Path,
        typer.Option(
            "--allowed-signers",
            "-s",
            metavar="FILE",
            help="Who may sign: lines of PRINCIPAL [namespaces=...] KEYTYPE KEY.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Check a profile's signatures: this file and every file it extends.

    Exit 0 when all are signed by an allowed signer (namespace
    hardener-profile); 2 when a file is unsigned, changed since it was
    signed, or signed by a key not in the allowed-signers file.

    Example: hardener profile verify team.toml -s /etc/hardener/allowed_signers
    """
    verified = verify_profile(file, allowed_signers)
    if as_json:
        document = {
            "ok": True,
            "namespace": NAMESPACE,
            "files": [
                {"file": str(v.path), "signer": v.principal, "bundled": v.bundled,
                 "sha256": v.digest}
                for v in verified
            ],
        }  # fmt: skip
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for item in verified:
        typer.echo(item.describe())
    typer.echo(f"{file}: ok, {len(verified)} file{'s' * (len(verified) != 1)} verified")
