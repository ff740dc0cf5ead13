"""`hardener evidence --from-bugreport`: the appops section of a bugreport (zip or text),
and the CLI's answers to bad input."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from hardener.sim.android import load_persona

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 16, tzinfo=BERLIN).timestamp()
DINGTALK = "com.alibaba.android.rimet"


def bugreport_bytes(zipped: bool) -> bytes:
    """A bugreport in dumpstate's layout, its sections answered by a simulated phone."""
    phone = load_persona("pixel-14", clock=datetime.fromtimestamp(MONDAY, BERLIN), real_time=False)
    phone.advance(2 * 86_400)  # two days on the phone's own clock: its apps behave
    props = phone.run("getprop").stdout.decode()
    appops = phone.run("dumpsys appops").stdout.decode()
    rule = "-" * 79
    text = (
        "========================================================\n"
        "== dumpstate: 2026-11-18 00:00:00\n"
        "========================================================\n\n"
        f"------ SYSTEM PROPERTIES (getprop) ------\n{props}"
        "------ 0.011s was the duration of 'SYSTEM PROPERTIES' ------\n\n"
        "------ DUMPSYS (/system/bin/dumpsys) ------\n"
        f"{rule}\nDUMP OF SERVICE appops:\n{appops}"
        "--------- 0.004s was the duration of dumpsys appops, ending at: 2026-11-18 00:00:00\n"
        f"{rule}\nDUMP OF SERVICE package:\nPackages:\n"
        "--------- 0.004s was the duration of dumpsys package, ending at: 2026-11-18 00:00:00\n"
    )
    if not zipped:
        return text.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("main_entry.txt", "bugreport-shiba-AP2A-2026-11-18-00-00-00.txt")
        archive.writestr("version.txt", "2.0")
        archive.writestr("bugreport-shiba-AP2A-2026-11-18-00-00-00.txt", text)
    return buffer.getvalue()


def test_evidence_from_a_bugreport_zip_and_its_text(cli, tmp_path):
    documents = []
    for zipped in (True, False):
        path = tmp_path / ("bugreport.zip" if zipped else "bugreport.txt")
        path.write_bytes(bugreport_bytes(zipped))
        result = cli("evidence", "-p", "default", "--from-bugreport", str(path), "--json")
        assert result.exit_code == 0, result.stdout + result.stderr
        documents.append(result.json())
    zipped, text = documents
    assert zipped == text
    assert zipped["source"] == "bugreport"
    assert zipped["device"]["model"] == "Pixel 8" and zipped["device"]["sdk"] == 34
    assert "bugreport carries only" in zipped["limits"]["source"]
    (app,) = [a for a in zipped["apps"] if a["package"] == DINGTALK]
    location = app["capabilities"]["location"]
    # Only the latest access per state survives: 21:30 in front, 23:50 in the background.
    assert location["accesses"]["off_hours"] == {"in_use": 1, "background": 1}
    assert location["sources"] == ["last access"]


def test_bad_input_is_named(cli, tmp_path):
    result = cli("evidence", "-p", "default", "--since", "soon", "--from-bugreport", "x")
    assert result.exit_code == 2
    assert "--since 'soon' is not a duration" in result.stderr
    junk = tmp_path / "notes.txt"
    junk.write_text("nothing to see\n")
    both = cli("evidence", "-p", "default", "--device", "127.0.0.1:5999", "--from-bugreport",
               str(junk))  # fmt: skip
    assert both.exit_code == 2 and "--device" in both.stderr, both.stderr
    result = cli("evidence", "-p", "default", "--from-bugreport", str(junk))
    assert result.exit_code == 2 and "does not look like a bugreport" in result.stderr
    result = cli("evidence", "-p", "default", "--from-bugreport", str(tmp_path / "missing.zip"))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    result = cli("evidence", "-p", "default", "--from-bugreport", str(broken))
    assert result.exit_code == 2 and "damaged or cut short" in result.stderr
    # the same reader, the same words, as scan and audit
    assert "damaged or cut short" in cli("scan", "--from-bugreport", str(broken)).stderr
