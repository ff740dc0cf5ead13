"""The fleet summary an admin can forward: Markdown or HTML, per host and group. Pure.

What it answers, in this order: how many phones converged, were refused (with the phone's
own reason), could not be reached, or were skipped, per host and group; which phones need
someone to act, and what to do (for an OEM lock, the setting to turn on). Everything that
came from a phone, an inventory or a report (names, serials, reasons) is escaped: HTML-escaped
in HTML, and in Markdown made literal text (no markup, no raw HTML, no line breaks).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hardener.fleet.rollout import DeviceResult, PhoneStatus

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
COLUMNS = ("phones", "converged", "refused", "unreachable", "skipped", "findings")
_LABEL = {
    PhoneStatus.OK: "converged",
    PhoneStatus.FAILED: "refused",
    PhoneStatus.UNREACHABLE: "unreachable",
    PhoneStatus.SKIPPED: "skipped",
    PhoneStatus.FINDINGS: "findings",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
MAX_REASONS = 5


def plain(text: object) -> str:
    """One line of text: control characters shown as escapes, whitespace runs as one space."""
    raw = str(text)
    shown = "".join(c if c.isprintable() or c in "\t\n\r" else repr(c)[1:-1] for c in raw)
    return " ".join(shown.split())


def md(text: object) -> str:
    """`text` as literal Markdown: no markup, no raw HTML, one line, safe in a table cell."""
    escaped = plain(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def esc(text: object) -> str:
    return html.escape(plain(text), quote=True)


@dataclass(frozen=True)
class Row:
    host: str
    group: str
    counts: dict[str, int]


def overview(results: Sequence[DeviceResult]) -> list[Row]:
    """One row per (host, group), in the order they first appear."""
    rows: dict[tuple[str, str], Counter[str]] = {}
    for result in results:
        counts = rows.setdefault((result.host, result.group), Counter())
        counts["phones"] += 1
        counts[_LABEL.get(result.status, result.status)] += 1
    return [Row(host, group, dict(counts)) for (host, group), counts in rows.items()]


def attention(results: Iterable[DeviceResult]) -> list[DeviceResult]:
    return [r for r in results if r.status != PhoneStatus.OK]


def reasons(result: DeviceResult) -> list[str]:
    found = [result.error] if result.error else []
    found += list(result.refusals[:MAX_REASONS])
    if len(result.refusals) > MAX_REASONS:
        found.append(f"... and {len(result.refusals) - MAX_REASONS} more refusals")
    if not found and result.status == PhoneStatus.FINDINGS:
        found.append(f"{result.counts.get('findings', 0)} findings: run fleet apply")
    return found


def oem_locks(results: Iterable[DeviceResult]) -> dict[str, list[DeviceResult]]:
    """Phones whose maker blocks changes, by the setting to turn on."""
    locks: dict[str, list[DeviceResult]] = {}
    for result in results:
        if result.advice:
            locks.setdefault(result.advice, []).append(result)
    return locks


def _phone(result: DeviceResult) -> str:
    name = result.serial or result.spec
    return f"{name} ({result.model})" if result.model else name


def _totals(results: Sequence[DeviceResult]) -> str:
    counts = Counter(_LABEL.get(r.status, r.status) for r in results)
    return ", ".join(f"{counts[k]} {k}" for k in COLUMNS[1:] if counts.get(k)) or "no phones"


def markdown(results: Sequence[DeviceResult], meta: dict[str, Any]) -> str:
    lines = [
        f"# hardener fleet {md(meta.get('mode', ''))} report",
        "",
        f"{len(results)} phones: {md(_totals(results))}.  ",
        f"Generated {md(meta.get('finished', ''))}"
        + (f" from {md(', '.join(meta['merged']))}" if meta.get("merged") else "")
        + ".",
        "",
        "## By host and group",
        "",
        "| host | group | " + " | ".join(COLUMNS) + " |",
        "|---|---|" + "---:|" * len(COLUMNS),
    ]
    for row in overview(results):
        cells = [str(row.counts.get(c, 0)) for c in COLUMNS]
        lines.append(f"| {md(row.host)} | {md(row.group)} | " + " | ".join(cells) + " |")
    problems = attention(results)
    lines += ["", "## Needs attention", ""]
    if not problems:
        lines.append("Nothing: every phone converged.")
    for result in problems:
        lines.append(
            f"- **{md(_LABEL.get(result.status, result.status))}**: {md(_phone(result))} "
            f"on {md(result.host)}, group {md(result.group)}, profile {md(result.profile)}"
        )
        lines += [f"  - {md(reason)}" for reason in reasons(result)]
        if result.advice:
            lines.append(f"  - setting to change: {md(result.advice)}")
    locks = oem_locks(results)
    if locks:
        lines += ["", "## Phones whose maker blocks changes", ""]
        for advice, phones in locks.items():
            lines.append(f"- {md(advice)}")
            lines += [f"  - {md(_phone(p))} on {md(p.host)}" for p in phones]
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
    "td.n{text-align:right}.refused,.unreachable{color:#a00}.skipped{color:#a60}"
)


def html_report(results: Sequence[DeviceResult], meta: dict[str, Any]) -> str:
    title = f"hardener fleet {plain(meta.get('mode', ''))} report"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{len(results)} phones: {esc(_totals(results))}. Generated "
        f"{esc(meta.get('finished', ''))}"
        + (f" from {esc(', '.join(meta['merged']))}" if meta.get("merged") else "")
        + ".</p>",
        "<h2>By host and group</h2>",
        "<table><thead><tr><th>host</th><th>group</th>"
        + "".join(f"<th>{c}</th>" for c in COLUMNS)
        + "</tr></thead><tbody>",
    ]
    for row in overview(results):
        cells = "".join(f'<td class="n">{row.counts.get(c, 0)}</td>' for c in COLUMNS)
        out.append(f"<tr><td>{esc(row.host)}</td><td>{esc(row.group)}</td>{cells}</tr>")
    out += ["</tbody></table>", "<h2>Needs attention</h2>"]
    problems = attention(results)
    if not problems:
        out.append("<p>Nothing: every phone converged.</p>")
    else:
        out.append("<ul>")
        for result in problems:
            label = _LABEL.get(result.status, result.status)
            out.append(
                f'<li><strong class="{esc(label)}">{esc(label)}</strong>: '
                f"{esc(_phone(result))} on {esc(result.host)}, group {esc(result.group)}, "
                f"profile {esc(result.profile)}<ul>"
            )
            out += [f"<li>{esc(reason)}</li>" for reason in reasons(result)]
            if result.advice:
                out.append(f"<li>setting to change: {esc(result.advice)}</li>")
            out.append("</ul></li>")
        out.append("</ul>")
    locks = oem_locks(results)
    if locks:
        out += ["<h2>Phones whose maker blocks changes</h2>", "<ul>"]
        for advice, phones in locks.items():
            items = "".join(f"<li>{esc(_phone(p))} on {esc(p.host)}</li>" for p in phones)
            out.append(f"<li>{esc(advice)}<ul>{items}</ul></li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(kind: str, results: Sequence[DeviceResult], meta: dict[str, Any]) -> str:
    return markdown(results, meta) if kind == "markdown" else html_report(results, meta)
