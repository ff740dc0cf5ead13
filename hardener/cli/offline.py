"""`--from-bugreport FILE`: scan and audit a phone from its bugreport instead of over ADB."""

from __future__ import annotations

from typing import Annotated

import typer

from hardener.cli.common import chosen_profile
from hardener.core.bugreport import OfflineRead
from hardener.core.evaluate import evaluate
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.core.plan import make_plan
from hardener.core.run import PhoneRun
from hardener.core.snapshot import Discovery, PackageFilter, selected
from hardener.device.bugreport import read_offline
from hardener.device.runner import parse_at, profile_selection, resolve_moment
from hardener.errors import InputError
from hardener.profile import Profile
from hardener.state.journal import Journal, now_iso
from hardener.state.statedir import state_dir as resolve_state_dir

FromBugreportOption = Annotated[
    str | None,
    typer.Option(
        "--from-bugreport",
        metavar="FILE",
        help="Read a bugreport (the .zip `adb bugreport FILE` writes, or its bugreport-*.txt) "
        "instead of a phone: nothing is connected, nothing is changed.",
    ),
]


def printable(text: str, limit: int = 80) -> str:
    """Text from a file, safe for a terminal: control characters (escape sequences) dropped."""
    return "".join(char for char in text if char.isprintable())[:limit]


def check_source(device: str | None, from_bugreport: str | None) -> None:
    if device is not None and from_bugreport is not None:
        raise InputError(
            "--device and --from-bugreport both name what to read",
            hint="give one: --device for a live phone, --from-bugreport for a bugreport file",
        )


def scan_offline(from_bugreport: str, select: PackageFilter) -> OfflineRead:
    return read_offline(from_bugreport, lambda discovery: selected(discovery, select))


def audit_offline(
    phone: PhoneOptions, chosen: ProfileOptions, from_bugreport: str
) -> tuple[Profile, PhoneRun, OfflineRead]:
    """Evaluate and plan as `hardener audit` does live, from a bugreport. The journal of that
    phone in the state directory, if this laptop has one, is read (never written). With
    `--require-signed` the profile is verified first, as for a live audit."""
    loaded = chosen_profile(chosen)
    moment_at = parse_at(chosen.at)
    directory = resolve_state_dir(phone.state_dir)
    journals: dict[str, Journal] = {}

    def choose(discovery: Discovery) -> list[str]:
        journal = journals.setdefault("j", Journal(directory, discovery.device.serial))
        held = {key.package for key in journal.load()}
        return selected(discovery, profile_selection(loaded, held))

    offline = read_offline(from_bugreport, choose)
    entries = journals["j"].load()
    snapshot = offline.snapshot
    schedule = loaded.schedule(snapshot.device.timezone or None)
    moment = resolve_moment(moment_at, schedule.tz)
    evaluation = evaluate(snapshot, loaded, moment, held=set(entries))
    plan = make_plan(snapshot, evaluation.wants, entries, now=now_iso())
    run = PhoneRun("audit", offline.transport, snapshot, plan, evaluation, round_trips=0)
    return loaded, run, offline
