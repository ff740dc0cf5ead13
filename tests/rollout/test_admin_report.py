"""Issue 14, admin reports: `fleet ... --report FILE.md|FILE.html`, a summary to forward, with
everything from phones and inventories escaped."""

from __future__ import annotations

import json
from datetime import UTC
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from hardener.cli.app import main
from hardener.fleet.admin_report import html_report, markdown, md, overview
from hardener.fleet.report import report_document, write_report
from hardener.fleet.rollout import DeviceResult

HOSTILE = "<script>alert(1)</script> | **bold** [x](javascript:alert(1)) `code`\n# head &amp;"
XIAOMI_ADVICE = 'turn on Developer options > "USB debugging (Security settings)"'


def results() -> list[DeviceResult]:
    return [
        DeviceResult("127.0.0.1:5601", "sales", "default", "ok", 0, host="desk-a",
                     serial="A1", model="Pixel 8", counts={"applied": 12}),
        DeviceResult("127.0.0.1:5602", "sales", "default", "ok", 0, host="desk-a",
                     serial="A2", model="Pixel 8", counts={"already": 12}),
        DeviceResult("127.0.0.1:5603", "lab", "strict", "failed", 4, host="bench-c",
                     serial="C1", model="Xiaomi 14",
                     refusals=("WeChat (com.tencent.mm), user 0: contacts: Neither user 2000 "
                               "nor current process has GRANT_RUNTIME_PERMISSIONS",),
                     advice=XIAOMI_ADVICE),
        DeviceResult("127.0.0.1:5604", "lab", "strict", "unreachable", 3, host="bench-c",
                     error="connection lost while reading"),
        DeviceResult("usb:EVIL", HOSTILE, "default", "failed", 1, host=HOSTILE,
                     serial=HOSTILE, model=HOSTILE, refusals=(HOSTILE,), error=HOSTILE),
    ]  # fmt: skip


META = {"mode": "apply", "finished": "2026-11-24T20:01:00+00:00"}


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


SAFE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "table", "br",
             "thead", "tbody", "tr", "th", "td", "ul", "li", "strong", "em", "code"}  # fmt: skip


def test_markdown_summary_per_host_and_group_with_reasons_and_settings():
    text = markdown(results(), META)
    assert "| desk\\-a | sales | 2 | 2 | 0 | 0 | 0 | 0 |" in text
    assert "| bench\\-c | lab | 2 | 0 | 1 | 1 | 0 | 0 |" in text
    assert "Neither user 2000" in text
    assert "setting to change: turn on Developer options &gt; " in text
    assert "## Phones whose maker blocks changes" in text
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    parser = Collect()
    parser.feed(rendered)
    assert parser.tags <= SAFE_TAGS, parser.tags - SAFE_TAGS
    assert not any(name == "href" for name, _ in parser.attrs)  # no link was made
    assert "<script>alert(1)</script> | **bold**" in "".join(parser.text)
    # the hostile row kept its columns: its | did not split the table
    rows = rendered.split("<tr>")[1:]
    assert len(rows) == 4 and all(r.count("<td") + r.count("<th") == 8 for r in rows)


def test_html_summary_escapes_everything():
    text = html_report(results(), META)
    parser = Collect()
    parser.feed(text)
    assert parser.tags <= SAFE_TAGS
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "Xiaomi 14" in text and "USB debugging (Security settings)" in text
    assert "connection lost while reading" in text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_reads_back_literally_from_markdown(text):
    rendered = MarkdownIt("commonmark").enable("table").render(f"| a |\n|---|\n| {md(text)} |\n")
    parser = Collect()
    parser.feed(rendered)
    assert parser.tags <= {"table", "thead", "tbody", "tr", "th", "td"}
    cell = "".join(parser.text).replace("\n", "")
    expected = " ".join(
        "".join(c if c.isprintable() or c in "\t\n\r" else repr(c)[1:-1] for c in text).split()
    )
    assert cell == "a" + expected


def test_overview_counts():
    rows = {(r.host, r.group): r.counts for r in overview(results())}
    assert rows[("bench-c", "lab")] == {"phones": 2, "refused": 1, "unreachable": 1}


def test_fleet_merge_writes_md_and_html_beside_json_and_csv(tmp_path, capfd):
    from datetime import datetime

    source = tmp_path / "host.json"
    write_report(source, report_document("apply", results(), datetime.now(UTC)),
                 results())  # fmt: skip
    for name in ("all.md", "all.html", "all.csv", "all.json"):
        try:
            main(["fleet", "merge", str(source), "--report", str(tmp_path / name)])
        except SystemExit as done:
            assert done.code == 1  # some phones failed
    assert "# hardener fleet merge report" in (tmp_path / "all.md").read_text()
    assert "<h1>hardener fleet merge report</h1>" in (tmp_path / "all.html").read_text()
    assert json.loads((tmp_path / "all.json").read_text())["summary"]["failed"] == 2
    assert oct((tmp_path / "all.md").stat().st_mode & 0o777) == "0o600"
    # a summary is for people: merging one back is refused with a clear message
    try:
        main(["fleet", "merge", str(tmp_path / "all.md")])
    except SystemExit as done:
        assert done.code == 2
    assert "merge reads the JSON or CSV reports" in capfd.readouterr().err
