"""The evidence document as one self-contained HTML page: inline CSS and SVG, no script, no
network. Pure: a JSON-ready document in, a string out.

Every text that came from the phone, the profile or the state directory is HTML-escaped.
Each number shown carries `data-key` / `data-value` attributes naming the JSON field it shows,
so a test (or an auditor) can check the page against `--json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:24px;color:#1d2430;
background:#fafbfc;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}
h3{font-size:15px;margin:14px 0 4px}
.meta{color:#4a5568;font-size:13px;margin:2px 0}
.app{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:12px 16px;margin:16px 0}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid #dde3ea;padding:3px 7px;text-align:right}
th{background:#f0f3f7;font-weight:600}td.l,th.l{text-align:left}
.limits{font-size:12px;color:#4a5568;margin:4px 0 0 0;padding-left:18px}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px;
border:1px solid #aab}
svg text{font-family:system-ui,sans-serif}
"""
_OFF = "#e8eaf2"
_WORK = "#ffffff"
_ACCESS_IN_USE = "#2b6cb0"
_ACCESS_BG = "#dd6b20"
_REFUSED = "#c53030"


def _v(key: str, value: object) -> str:
    shown = "–" if value is None else escape(str(value))
    return f'<span data-key="{escape(key)}" data-value="{shown}">{shown}</span>'


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _days(document: Mapping[str, Any]) -> list[date]:
    since = _parse(document["window"]["since"]).date()
    until = _parse(document["window"]["until"]).date()
    days = []
    day = since
    while day <= until:
        days.append(day)
        day += timedelta(days=1)
    return days


def _week_svg(week: Sequence[Sequence[Sequence[float]]]) -> str:
    """The profile's week: 7 rows, work hours white, off hours shaded."""
    cell, left, top = 24, 44, 18
    width, height = left + 24 * cell + 4, top + 7 * 18 + 4
    parts = [
        f'<svg class="week" role="img" aria-label="the profile\'s work week" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for hour in range(0, 25, 3):
        parts.append(
            f'<text x="{left + hour * cell}" y="12" font-size="10" text-anchor="middle">'
            f"{hour:02d}</text>"
        )
    for row, spans in enumerate(week):
        y = top + row * 18
        parts.append(f'<text x="4" y="{y + 12}" font-size="11">{_DAYS[row]}</text>')
        parts.append(
            f'<rect class="off" x="{left}" y="{y}" width="{24 * cell}" height="16" fill="{_OFF}"/>'
        )
        for begin, end in spans:
            parts.append(
                f'<rect class="work" x="{left + begin * cell:.1f}" y="{y}" '
                f'width="{(end - begin) * cell:.1f}" height="16" fill="{_WORK}" stroke="#9aa"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _grid_svg(document: Mapping[str, Any], marks: Iterable[Mapping[str, Any]], package: str) -> str:
    """Days of the window x 24 hours: off hours shaded, accesses dots, refusals marks."""
    days = _days(document)
    week = document["work_week"]
    cell, left, top, row_h = 24, 84, 18, 20
    width, height = left + 24 * cell + 4, top + len(days) * row_h + 4
    parts = [
        f'<svg class="grid" role="img" aria-label="week grid for {escape(package)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for hour in range(0, 25, 3):
        parts.append(
            f'<text x="{left + hour * cell}" y="12" font-size="10" text-anchor="middle">'
            f"{hour:02d}</text>"
        )
    index = {day: row for row, day in enumerate(days)}
    for row, day in enumerate(days):
        y = top + row * row_h
        label = f"{_DAYS[day.weekday()]} {day.strftime('%d.%m')}"
        parts.append(f'<text x="4" y="{y + 14}" font-size="11">{label}</text>')
        parts.append(
            f'<rect class="off" x="{left}" y="{y}" width="{24 * cell}" height="{row_h - 2}" '
            f'fill="{_OFF}"/>'
        )
        for begin, end in week[day.weekday()]:
            parts.append(
                f'<rect class="work" x="{left + begin * cell:.1f}" y="{y}" '
                f'width="{(end - begin) * cell:.1f}" height="{row_h - 2}" fill="{_WORK}" '
                'stroke="#c8ced6"/>'
            )
        for hour in range(1, 24):
            parts.append(
                f'<line x1="{left + hour * cell}" y1="{y}" x2="{left + hour * cell}" '
                f'y2="{y + row_h - 2}" stroke="#d5dae1" stroke-width="0.5"/>'
            )
    # Single accesses (and last refusals), counted per hour: a cell's upper half shows
    # accesses (blue when the app was in use at least once, orange when only in the
    # background), its lower half refusals; darker means more.
    hourly: dict[tuple[int, int, str], list[int]] = {}
    for mark in marks:
        begin, end = _parse(mark["begin"]), _parse(mark["end"])
        if end != begin:
            continue
        at_row = index.get(begin.date())
        if at_row is None:
            continue
        kind = "access" if mark["kind"] == "access" else "refused"
        slot = hourly.setdefault((at_row, begin.hour, kind), [0, 0])
        slot[0] += int(mark["count"])
        slot[1] += int(bool(mark.get("in_use")))
    for (at_row, hour, kind), (count, in_use) in sorted(hourly.items()):
        x = left + hour * cell + 1
        half = (row_h - 2) / 2
        cell_y = top + at_row * row_h + (0 if kind == "access" else half)
        color = _REFUSED if kind == "refused" else (_ACCESS_IN_USE if in_use else _ACCESS_BG)
        opacity = min(1.0, 0.35 + 0.11 * count)
        what = "access" if count == 1 else "accesses"
        if kind == "refused":
            what = "refused"
        title = escape(
            f"{_DAYS[days[at_row].weekday()]} {days[at_row]:%d.%m} {hour:02d}:00-{hour:02d}:59: "
            f"{count} {what}" + (f", {in_use} with the app in use" if in_use else "")
        )
        parts.append(
            f'<rect class="mark {kind}" data-count="{count}" x="{x}" y="{cell_y:.1f}" '
            f'width="{cell - 2}" height="{half:.1f}" fill="{color}" '
            f'fill-opacity="{opacity:.2f}"><title>{title}</title></rect>'
        )
    for mark in marks:
        begin, end = _parse(mark["begin"]), _parse(mark["end"])
        if end == begin:
            continue
        title = escape(
            f"{mark['capability']}: {mark['count']} {mark['kind'].replace('_', ' ')}"
            f" between {begin:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} (Android counts "
            "this interval as a whole)"
        )
        # An interval from the aggregated history: a band over the hours it covers.
        klass = "refused" if mark["kind"] == "refused" else "access"
        color = _REFUSED if klass == "refused" else _ACCESS_BG
        cursor = begin
        while cursor < end:
            band_row = index.get(cursor.date())
            midnight = datetime(cursor.year, cursor.month, cursor.day, tzinfo=cursor.tzinfo)
            stop = min(end, midnight + timedelta(days=1))
            if band_row is not None:
                x0 = left + (cursor - midnight).total_seconds() / 3600 * cell
                x1 = left + (stop - midnight).total_seconds() / 3600 * cell
                y = top + band_row * row_h + (row_h - 5 if klass == "refused" else 0)
                band = max(x1 - x0, 1)
                parts.append(
                    f'<rect class="band {klass}" x="{x0:.1f}" y="{y}" width="{band:.1f}" '
                    f'height="3" fill="{color}" fill-opacity="0.6" stroke="{color}" '
                    f'stroke-width="0.4" stroke-dasharray="2 2"><title>{title}</title></rect>'
                )
            cursor = stop
    parts.append("</svg>")
    return "".join(parts)


def _bars_svg(package: str, capability: str, figures: Mapping[str, Any]) -> str:
    """Before/after bars: off-hours accesses and refusals before and after hardener."""
    before, after = figures["before_enforcement"], figures["after_enforcement"]
    rows = [
        ("off-hours accesses, before", before["off_hours_accesses"], _ACCESS_BG),
        ("off-hours accesses, after", after["off_hours_accesses"], _ACCESS_BG),
        ("refused, before", before["refused"], _REFUSED),
        ("refused, after", after["refused"], _REFUSED),
    ]
    top = max([value for _, value, _ in rows] + [1])
    left, scale, row_h = 180, 300, 18
    width, height = left + scale + 60, len(rows) * row_h + 6
    parts = [
        f'<svg class="bars" role="img" aria-label="before and after for '
        f'{escape(package)} {escape(capability)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    ]
    for row, (label, value, color) in enumerate(rows):
        y = 3 + row * row_h
        bar = value / top * scale
        parts.append(f'<text x="2" y="{y + 12}" font-size="11">{label}</text>')
        parts.append(
            f'<rect class="bar" x="{left}" y="{y}" width="{bar:.1f}" height="{row_h - 5}" '
            f'fill="{color}"/>'
        )
        parts.append(
            f'<text class="bar-value" x="{left + bar + 4:.1f}" y="{y + 12}" font-size="11">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _figures_table(app: Mapping[str, Any]) -> str:
    key = f"{app['package']}|{app['user']}"
    head = (
        "<tr><th class=l rowspan=2>capability</th><th colspan=2>work hours</th>"
        "<th colspan=2>off hours</th><th rowspan=2>not attributable</th>"
        "<th colspan=3>refused (blocked)</th><th rowspan=2>held off hours (h)</th></tr>"
        "<tr><th>in use</th><th>background</th><th>in use</th><th>background</th>"
        "<th>work</th><th>off</th><th>n/a</th></tr>"
    )
    rows = []
    for capability, figures in app["capabilities"].items():
        k = f"{key}|{capability}"
        accesses, refused = figures["accesses"], figures["refused"]
        work, off = accesses["work_hours"], accesses["off_hours"]
        rows.append(
            "<tr>"
            f"<td class=l>{escape(capability)}</td>"
            f"<td>{_v(k + '|accesses.work_hours.in_use', work['in_use'])}</td>"
            f"<td>{_v(k + '|accesses.work_hours.background', work['background'])}</td>"
            f"<td>{_v(k + '|accesses.off_hours.in_use', off['in_use'])}</td>"
            f"<td>{_v(k + '|accesses.off_hours.background', off['background'])}</td>"
            f"<td>{_v(k + '|accesses.not_attributable', accesses['not_attributable'])}</td>"
            f"<td>{_v(k + '|refused.work_hours', refused['work_hours'])}</td>"
            f"<td>{_v(k + '|refused.off_hours', refused['off_hours'])}</td>"
            f"<td>{_v(k + '|refused.not_attributable', refused['not_attributable'])}</td>"
            f"<td>{_v(k + '|held_off_hours_h', figures['held_off_hours_h'])}</td>"
            "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _phase_table(app: Mapping[str, Any]) -> str:
    key = f"{app['package']}|{app['user']}"
    rows = []
    for capability, figures in app["capabilities"].items():
        for phase in ("before_enforcement", "after_enforcement"):
            values = figures[phase]
            k = f"{key}|{capability}|{phase}"
            rows.append(
                f"<tr><td class=l>{escape(capability)}</td><td class=l>{phase.split('_')[0]}</td>"
                f"<td>{_v(k + '.accesses', values['accesses'])}</td>"
                f"<td>{_v(k + '.off_hours_accesses', values['off_hours_accesses'])}</td>"
                f"<td>{_v(k + '.refused', values['refused'])}</td>"
                f"<td>{_v(k + '.held_off_hours_h', values['held_off_hours_h'])}</td></tr>"
            )
    head = (
        "<tr><th class=l>capability</th><th class=l>hardener</th><th>accesses</th>"
        "<th>off-hours accesses</th><th>refused</th><th>held off hours (h)</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def render(document: Mapping[str, Any]) -> str:
    device = document["device"]
    enforced = document.get("first_enforced")
    window = document["window"]
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        "<title>hardener evidence</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>What the apps did after hours</h1>",
        f'<p class="meta">Phone: {escape(str(device.get("model") or "?"))} '
        f"(serial {escape(str(device.get('serial') or '?'))}), Android "
        f"{escape(str(device.get('release') or '?'))} (SDK {escape(str(device.get('sdk')))}), "
        f"timezone {escape(str(document.get('timezone')))}; read from the "
        f"{escape(str(document.get('source')))}.</p>",
        f'<p class="meta">Profile: {escape(str(document.get("profile") or "?"))}. Window: '
        f"{escape(window['since'][:16])} to {escape(window['until'][:16])}. Hardener first "
        f"enforced: {escape(enforced[:16]) if enforced else 'never on this phone'}.</p>",
        '<p class="legend">'
        f'<span><i class="sw" style="background:{_OFF}"></i>off hours</span>'
        f'<span><i class="sw" style="background:{_WORK}"></i>work hours</span>'
        f'<span><i class="sw" style="background:{_ACCESS_IN_USE}"></i>access, app in use</span>'
        f'<span><i class="sw" style="background:{_ACCESS_BG}"></i>access in the background</span>'
        f'<span><i class="sw" style="background:{_REFUSED}"></i>refused (blocked)</span></p>',
        "<h2>The profile's week</h2>",
        _week_svg(document["work_week"]),
    ]
    if not document["apps"]:
        parts.append("<p>No access by the apps this profile covers is recorded in the window.</p>")
    for app in document["apps"]:
        parts.append('<section class="app">')
        parts.append(
            f"<h2>{escape(str(app['name']))} <small>({escape(app['package'])}, user "
            f"{escape(str(app['user']))})</small></h2>"
        )
        parts.append(_figures_table(app))
        if app["marks"]:
            parts.append(
                '<p class="meta">Each row a day, each column an hour; shaded: off hours. Upper '
                "half of a cell: accesses; lower half: refusals; dashed lines: counts Android "
                "keeps only per interval (hover for the numbers).</p>"
            )
            parts.append(_grid_svg(document, app["marks"], app["package"]))
        else:
            parts.append('<p class="meta">No access or refusal recorded in the window.</p>')
        parts.append(_phase_table(app))
        for capability, figures in app["capabilities"].items():
            before, after = figures["before_enforcement"], figures["after_enforcement"]
            if any(before[k] or after[k] for k in ("off_hours_accesses", "refused")):
                parts.append(f"<h3>{escape(capability)}: before and after hardener</h3>")
                parts.append(_bars_svg(app["package"], capability, figures))
        limits = sorted(
            {note for figures in app["capabilities"].values() for note in figures["limits"]}
        )
        if limits:
            parts.append(
                '<ul class="limits">' + "".join(f"<li>{escape(n)}</li>" for n in limits) + "</ul>"
            )
        parts.append("</section>")
    parts.append("<h2>What Android keeps</h2><ul class=limits>")
    parts.extend(f"<li>{escape(text)}</li>" for text in document["limits"].values())
    parts.append("</ul></body></html>\n")
    return "".join(parts)
