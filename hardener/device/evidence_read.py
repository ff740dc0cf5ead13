"""Reading the evidence: one batched round trip to the phone, or a bugreport file's bytes.

The phone is asked, in one phase of named reads (`hardener.core.reads`), for its properties
and, per op the evidence counts, `dumpsys appops --history --include-discrete 0 --op OP`
(aggregated and discrete history; a filtered dump stays small where an unfiltered one runs
to megabytes) and `dumpsys appops --op OP` (last access and last refusal). Ops a release
does not know only print an error line, which the parsers skip. The service
(`hardener.device.runner.run_evidence`) runs it under the phone's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from hardener.android import commands
from hardener.android.parsers.appops_access import LastOpEvent, parse_last_access
from hardener.android.parsers.appops_history import AppOpsHistory, parse_appops_history
from hardener.android.parsers.getprop import parse_getprop
from hardener.android.parsers.text import to_int
from hardener.core.evidence import DeviceFacts, EvidenceInput, evidence_ops
from hardener.core.reads import Read, ReadKind
from hardener.core.snapshot import PROPS, device_info
from hardener.device.bugreport import bugreport_sections
from hardener.device.phase import run_reads

if TYPE_CHECKING:
    from hardener.device.transport.base import Transport

HISTORY = ReadKind("appops_history", commands.appops_history, parse_appops_history)
LAST_ACCESS = ReadKind("appops_last", commands.appops_last_access, parse_last_access)


def evidence_reads() -> list[Read]:
    """Every read of the evidence phase."""
    reads = [PROPS.at()]
    for op in evidence_ops():
        reads += [HISTORY.at(op), LAST_ACCESS.at(op)]
    return reads


def merge(histories: list[AppOpsHistory]) -> AppOpsHistory:
    return AppOpsHistory(
        mode=next((h.mode for h in histories if h.mode), None),
        counts=tuple(c for h in histories for c in h.counts),
        discrete=tuple(d for h in histories for d in h.discrete),
        discrete_seen=any(h.discrete_seen for h in histories),
        now=next((h.now for h in histories if h.now is not None), None),
    )


def facts(props: Mapping[str, str], transport_serial: str = "") -> DeviceFacts:
    """The phone's facts; its serial as the journal and the lock know it (`device_info`)."""
    return DeviceFacts(
        serial=device_info(props, transport_serial).serial,
        model=props.get("ro.product.model", ""),
        sdk=to_int(props.get("ro.build.version.sdk")) or 0,
        release=props.get("ro.build.version.release", ""),
        timezone=props.get("persist.sys.timezone", "") or "UTC",
    )


def read_device(transport: Transport, *, timeout: float) -> tuple[EvidenceInput, int]:
    """The evidence input from a live phone, and the round trips it took."""
    phase = run_reads(transport, evidence_reads(), timeout=timeout)
    outputs = phase.outputs
    histories = [HISTORY.parsed(outputs, op) for op in evidence_ops()]
    last: list[LastOpEvent] = [e for op in evidence_ops() for e in LAST_ACCESS.parsed(outputs, op)]
    device = facts(PROPS.parsed(outputs), transport.serial)
    data = EvidenceInput(device, merge(histories), tuple(last), "device")
    return data, phase.round_trips


def read_bugreport(path: str | Path) -> EvidenceInput:
    """The evidence input from a bugreport file (the zip or its text), through the one
    bugreport reader (`hardener.device.bugreport`); InputError for anything else."""
    sections = bugreport_sections(path)
    appops = sections.service("appops") or ""
    props = parse_getprop(sections.command("SYSTEM PROPERTIES") or "")
    return EvidenceInput(
        facts(props), parse_appops_history(appops), parse_last_access(appops), "bugreport"
    )
