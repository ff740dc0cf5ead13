"""Read a phone in two round trips and assemble a `Snapshot`.

Phase 1 (discovery) learns what the phone is and what is installed: properties, users, every
package with its uid, which are third-party, whether the shell has permission flags. Phase 2
(details) reads, for the packages that matter and every user, the package dump (grants,
flags, per-user state), app-ops, standby buckets, the battery allow-list and the always-on
hook settings. The number of round trips does not grow with the number of apps: every
command of a phase travels in one script.

Building commands and assembling the snapshot are pure functions; only `scan`, `read` and
`read_details` talk to the device. The read-back after an enforcement reuses phase 2 with the
discovery it already has.

A phone read before needs only one round trip: `read` sends phase 2 for the users and apps
it had last time (a `Layout`) in the same script as phase 1, and keeps those outputs when
phase 1 shows the guess still covers what is wanted. When it does not (a new user, a newly
installed app), phase 2 runs again as usual: a wrong guess costs a round trip, never a
wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from hardener.core.command_result import CommandResult
from hardener.core.reads import Read
from hardener.core.records import Snapshot
from hardener.core.snapshot import (
    Choice,
    Discovery,
    Layout,
    PackageFilter,
    assemble,
    detail_request,
    discovery_reads,
    parse_discovery,
    selected,
)
from hardener.device.phase import run_reads
from hardener.device.transport.base import Transport


def scan(
    transport: Transport, select: PackageFilter, *, timeout: float = 120.0
) -> tuple[Discovery, Snapshot]:
    """Two round trips: discover, then read the selected packages in every user."""
    reading = read(transport, lambda discovery: selected(discovery, select), timeout=timeout)
    return reading.discovery, reading.snapshot


def discover(transport: Transport, *, timeout: float = 120.0) -> Discovery:
    """One round trip: phase 1."""
    first = run_reads(transport, discovery_reads(), timeout=timeout)
    return replace(parse_discovery(transport.serial, first.outputs), round_trips=first.round_trips)


def read_details(
    transport: Transport,
    discovery: Discovery,
    packages: Iterable[str],
    *,
    timeout: float = 120.0,
    dnd: bool = True,
) -> tuple[Snapshot, int]:
    """Phase 2 for `packages` (and Do Not Disturb, with `dnd`): the snapshot and the round
    trips it took (one, unless the script had to be split for the path's size limit)."""
    request = detail_request(discovery, packages, dnd=dnd)
    second = run_reads(transport, request.reads, timeout=timeout)
    return assemble(discovery, request, second.outputs), second.round_trips


@dataclass(frozen=True)
class Reading:
    """A phone read: what phase 1 found, the snapshot, and the layout to guess next time."""

    discovery: Discovery
    snapshot: Snapshot
    layout: Layout
    round_trips: int
    extra: tuple[CommandResult, ...] = ()  # the results of `read(extra=...)`, in order


def read(
    transport: Transport,
    choose: Callable[[Discovery], Iterable[str] | Choice],
    *,
    hint: Layout | None = None,
    timeout: float = 120.0,
    extra: Sequence[str] = (),
) -> Reading:
    """Phases 1 and 2, in one round trip when `hint` (the last layout) still holds, else two.

    `choose` picks the packages to read once the phone is known (it may consult the journal,
    which is keyed by the phone's own serial, learnt in phase 1), and with a `Choice`
    whether Do Not Disturb is read too. `extra` commands ride on
    phase 1 (an armed job's files), their results in `Reading.extra`.
    """
    guess = hint.request() if hint is not None else None
    riders = [Read(f"extra:{i}", command) for i, command in enumerate(extra)]
    reads = [*discovery_reads(), *riders, *(guess.reads if guess else ())]
    phase = run_reads(transport, reads, timeout=timeout)
    extras = tuple(phase.outputs[rider.name] for rider in riders)
    discovery = replace(
        parse_discovery(transport.serial, phase.outputs), round_trips=phase.round_trips
    )
    choice = Choice.of(choose(discovery))
    wanted = detail_request(discovery, choice.packages, dnd=choice.dnd)
    if guess is not None and hint is not None and hint.covers(wanted):
        if guess.whole_device:  # the dumps hold every package: assemble exactly those wanted
            guess = replace(guess, packages=wanted.packages)
        snapshot = assemble(discovery, guess, phase.outputs)
        keep = set(wanted.packages)
        snapshot = replace(snapshot, apps=tuple(a for a in snapshot.apps if a.package in keep))
        return Reading(discovery, snapshot, Layout.of(wanted), phase.round_trips, extras)
    snapshot, trips = read_details(
        transport, discovery, wanted.packages, timeout=timeout, dnd=wanted.dnd
    )
    return Reading(discovery, snapshot, Layout.of(wanted), phase.round_trips + trips, extras)


# ---------------------------------------------------------------------------------------------
