"""Fleet reports: JSON (the full record), CSV (for a spreadsheet), Markdown or HTML (a summary
to forward, `admin_report.py`), and merging several.

Several hosts each roll out to the phones plugged into them and write a report; `hardener
fleet merge` reads them all (JSON or CSV) and prints one summary. Every row carries the host
it came from.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tabulate import tabulate

from hardener.errors import InputError
from hardener.fleet.admin_report import FORMATS, render
from hardener.fleet.rollout import DeviceResult, PhoneStatus, summary_counts
from hardener.state.statedir import write_atomic
from hardener.textsafe import visible

KIND = "hardener-fleet-report"
COUNT_FIELDS = ("applied", "already", "refused", "did_not_take", "planned", "findings")
CSV_FIELDS = (
    "host", "group", "spec", "serial", "model", "profile", "status", "exit_code",
    "applied", "already", "refused", "did_not_take", "planned", "findings",
    "actions", "refusals", "error", "seconds", "advice", "mode",
)  # fmt: skip


def report_document(
    mode: str, results: Sequence[DeviceResult], started: datetime, **extra: Any
) -> dict[str, Any]:
    return {
        "schema": 1,
        "kind": KIND,
        "mode": mode,
        "host": socket.gethostname(),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
        "summary": summary_counts(results),
        "devices": [r.to_json() for r in results],
    }


def csv_text(results: Sequence[DeviceResult], mode: str = "") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in results:
        row = r.to_json()
        writer.writerow(
            {
                **{
                    key: row[key]
                    for key in CSV_FIELDS
                    if key in row and key not in ("actions", "refusals")
                },
                **{key: r.counts.get(key, 0) for key in COUNT_FIELDS},
                "actions": len(r.actions),
                "refusals": " | ".join(r.refusals),
                "mode": mode,
            }
        )
    return out.getvalue()


def write_report(path: Path, document: dict[str, Any], results: Sequence[DeviceResult]) -> None:
    """JSON; CSV for .csv; a summary to forward for .md or .html. Written atomically, 0600."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is not None:
        data = render(kind, results, document).encode()
    elif path.suffix.lower() == ".csv":
        data = csv_text(results, str(document.get("mode", ""))).encode()
    else:
        data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    write_atomic(path, data)


def check_report_path(path: Path) -> None:
    """Before any phone is touched: the report can be written there (InputError if not).

    Nothing about the folder is changed: its mode stays what its owner chose."""
    if path.is_dir():
        raise InputError(f"--report {path}: is a folder", hint="give a file name in it")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"--report {path}: this user cannot write in {folder}; no phone was touched",
            hint="choose a folder you can write to (e.g. your home folder)",
        )


def read_report(path: Path) -> list[DeviceResult]:
    """Devices of a report written by `fleet` (JSON or CSV), for `fleet merge`."""
    return read_report_document(path)[1]


def read_report_document(path: Path) -> tuple[str, list[DeviceResult]]:
    """The report's mode (plan, apply, audit, restore; "" when a CSV predates the column)
    and its devices."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read the report: {error.strerror}") from None
    if path.suffix.lower() in FORMATS:
        raise InputError(
            f"{path}: a summary for people; merge reads the JSON or CSV reports",
            hint="merge the .json (or .csv) reports, and ask merge for a .md or .html summary",
        )
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "status" not in rows[0]:
            raise InputError(
                f"{path}: not a hardener fleet CSV report", hint="merge reports written by --report"
            )
        modes = {row.get("mode") or "" for row in rows}
        return (modes.pop() if len(modes) == 1 else "?"), _devices(
            path,
            (
                {
                    **row,
                    "counts": {k: row[k] for k in COUNT_FIELDS if row.get(k)},
                    "refusals": [part for part in (row.get("refusals") or "").split(" | ") if part],
                    "actions": [],
                }
                for row in rows
            ),
        )
    try:
        document = json.loads(text)
    except ValueError as error:
        raise InputError(
            f"{path}: not JSON: {error}", hint="merge reports written by --report"
        ) from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise InputError(
            f"{path}: not a hardener fleet report", hint="merge reports written by --report"
        )
    mode = document.get("merged_mode") or document.get("mode") or ""
    return str(mode), _devices(path, document.get("devices", []))


def _devices(path: Path, items: Iterable[Any]) -> list[DeviceResult]:
    """Each device record decoded; a record that does not decode is bad input, not a bug."""
    devices = []
    for number, item in enumerate(items, 1):
        try:
            devices.append(DeviceResult.from_json(item))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise InputError(
                f"{path}: device {number} is not a fleet report record ({type(error).__name__}: "
                f"{error})",
                hint="merge reports written by --report; statuses are " + ", ".join(PhoneStatus),
            ) from None
    return devices


def summary_table(results: Sequence[DeviceResult]) -> str:
    rows = [
        [
            visible(r.host), visible(r.group), visible(r.spec), visible(r.model or "-"),
            visible(r.status),
            visible(", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(r.counts.items())))
            or "-",
            visible((r.error or "; ".join(r.refusals))[:70]),
        ]
        for r in results
    ]  # fmt: skip
    table = tabulate(
        rows,
        headers=["host", "group", "device", "model", "result", "counts", "problem"],
        disable_numparse=True,
    )
    totals = ", ".join(f"{n} {k}" for k, n in sorted(summary_counts(results).items()))
    return f"{table}\n{len(results)} phones: {totals}"
