"""Reading the evidence: one batched round trip to the phone, or a bugreport file's bytes.

The phone is asked, in one phase (`hardener.device.phase.run_phase`), for its identity and, per op
the evidence counts, `dumpsys appops --history --include-discrete 0 --op OP` (aggregated and
discrete history; a filtered dump stays small where an unfiltered one runs to megabytes) and
`dumpsys appops --op OP` (last access and last refusal). Ops a release does not know only
print an error line, which the parsers skip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hardener.android.bugreport_appops import bugreport_text, service_section, system_properties
from hardener.android.parsers.appops_access import LastOpEvent, parse_last_access
from hardener.android.parsers.appops_history import AppOpsHistory, parse_appops_history
from hardener.android.parsers.getprop import parse_getprop_value
from hardener.android.parsers.text import to_int
from hardener.core.evidence import DeviceFacts, EvidenceInput, evidence_ops
from hardener.device.phase import run_phase

if TYPE_CHECKING:
    from hardener.device.transport.base import Transport

PROPS = (
    "ro.serialno",
    "ro.product.model",
    "ro.build.version.sdk",
    "ro.build.version.release",
    "persist.sys.timezone",
)


def commands() -> list[str]:
    """Every command of the evidence phase, in order."""
    result = [f"getprop {prop}" for prop in PROPS]
    for op in evidence_ops():
        result.append(f"dumpsys appops --history --include-discrete 0 --op {op}")
        result.append(f"dumpsys appops --op {op}")
    return result


def merge(histories: list[AppOpsHistory]) -> AppOpsHistory:
    return AppOpsHistory(
        mode=next((h.mode for h in histories if h.mode), None),
        counts=tuple(c for h in histories for c in h.counts),
        discrete=tuple(d for h in histories for d in h.discrete),
        discrete_seen=any(h.discrete_seen for h in histories),
        now=next((h.now for h in histories if h.now is not None), None),
    )


def facts(props: dict[str, str]) -> DeviceFacts:
    return DeviceFacts(
        serial=props.get("ro.serialno", ""),
        model=props.get("ro.product.model", ""),
        sdk=to_int(props.get("ro.build.version.sdk")) or 0,
        release=props.get("ro.build.version.release", ""),
        timezone=props.get("persist.sys.timezone", "") or "UTC",
    )


def read_device(transport: Transport, *, timeout: float) -> tuple[EvidenceInput, int]:
    """The evidence input from a live phone, and the round trips it took."""
    batch = commands()
    phase = run_phase(transport, batch, timeout=timeout)
    outputs = [result.output for result in phase.results]
    props = {prop: parse_getprop_value(outputs[i]) for i, prop in enumerate(PROPS)}
    histories: list[AppOpsHistory] = []
    last: list[LastOpEvent] = []
    for index in range(len(PROPS), len(batch), 2):
        histories.append(parse_appops_history(outputs[index]))
        last.extend(parse_last_access(outputs[index + 1]))
    data = EvidenceInput(facts(props), merge(histories), tuple(last), "device")
    return data, phase.round_trips


def read_bugreport(data: bytes) -> EvidenceInput:
    """The evidence input from a bugreport (zip or text). Raises NotABugreport."""
    text = bugreport_text(data)
    appops = service_section(text, "appops") or ""
    return EvidenceInput(
        facts(system_properties(text)),
        parse_appops_history(appops),
        parse_last_access(appops),
        "bugreport",
    )
