"""Issue 11: a gallery of hostile input. Escape sequences and newlines in every printed field
that comes from a profile, the catalog or the phone, and in paths: nothing raw reaches a
terminal, a crontab line or a shell line, while JSON keeps the exact values."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from hardener.sim.adbd import read_log
from hardener.sim.android.persona import _resolve

EVENING = "2026-11-24T20:00"
MORNING = "2026-11-25T10:00"
# OSC 52 writes the clipboard, OSC 0 sets the title, CSI 2J clears the screen, a C1 CSI,
# a right-to-left override, and a newline that would forge a line of its own.
OSC52 = "\x1b]52;c;cHduZWQ=\x07"
TITLE = "\x1b]0;pwned\x07"
HOSTILE = f"{OSC52}{TITLE}\x1b[2J\x9b31m\u202e\x00\x7f"
UNSAFE = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)}
UNSAFE |= {"\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"}


def assert_harmless(text: str, where: str) -> None:
    raw = sorted({f"{ord(c):#x}" for c in text if c in UNSAFE})
    assert raw == [], f"{where}: raw control characters {raw} reach the terminal"
    forged = [line for line in text.splitlines() if line.lstrip().startswith("FORGED")]
    assert forged == [], f"{where}: a newline from outside data forged lines {forged}"


def toml_string(text: str) -> str:
    return json.dumps(text)  # JSON string escapes (\uXXXX, \n, \") are TOML basic-string escapes


@pytest.fixture
def hostile_phone(virtual_phone, tmp_path):
    """The Android 9 persona with escape sequences in its model, maker, user name and ROM."""
    text = _resolve("android9-legacy").read_text(encoding="utf-8")
    text = text.replace(
        'manufacturer = "HMD Global"', f"manufacturer = {toml_string('HMD' + HOSTILE)}"
    )
    text = text.replace('model = "Nokia 7 plus"', f"model = {toml_string('Nokia' + OSC52)}")
    text = text.replace('name = "Owner"', f"name = {toml_string('Owner' + TITLE + chr(0x9B))}")
    text += f'\n[props]\n"ro.vivo.os.version" = {toml_string("13" + HOSTILE)}\n'
    persona = tmp_path / "hostile-persona.toml"
    persona.write_text(text, encoding="utf-8")
    return virtual_phone(str(persona))


@pytest.fixture
def hostile_profile(tmp_path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(
        "schema = 1\n"
        f"description = {toml_string('desc ' + HOSTILE + chr(10) + 'FORGED description')}\n"
        '[work_hours]\ntimezone = "device"\nweekdays = ["09:00-18:00"]\n'
        "[[rules]]\n"
        f"name = {toml_string('evil ' + HOSTILE + chr(10) + 'FORGED rule')}\n"
        'categories = ["workplace", "social"]\n'
        'off_hours = ["contacts", "location", "camera", "background_run"]\n'
        "[catalog]\n"
        f'social = [{{ package = "com.tencent.mm", name = {toml_string("WeChat" + HOSTILE + chr(10) + "FORGED name")} }}]\n',  # noqa: E501
        encoding="utf-8",
    )
    return path


def test_nothing_raw_reaches_the_terminal(hostile_phone, hostile_profile, cli, tmp_path):
    spec = hostile_phone.spec
    profile = str(hostile_profile)
    runs = {
        "scan": cli("scan", "--device", spec, "--all"),
        "doctor": cli("doctor", "--device", spec),
        "audit": cli("audit", "-p", profile, "--device", spec, "--at", EVENING),
        "plan": cli("plan", "-p", profile, "--device", spec, "--at", EVENING),
        "enforce": cli("enforce", "-p", profile, "--device", spec, "--at", EVENING),
        "history": cli("history", "-v"),
        "enforce at work": cli("enforce", "-p", profile, "--device", spec, "--at", MORNING),
        "restore": cli("restore", "--device", spec),
        "profile show": cli("profile", "show", profile),
        "profile check": cli("profile", "check", profile),
        "devices": cli("devices", "--device", spec),
    }
    assert runs["enforce"].exit_code == 0, runs["enforce"].stderr
    for name, result in runs.items():
        assert_harmless(result.stdout, f"{name} stdout")
        assert_harmless(result.stderr, f"{name} stderr")
    # what was escaped is still shown, visibly
    assert "Nokia\\x1b]52;c;cHduZWQ=\\x07" in runs["scan"].stdout
    assert "WeChat\\x1b]52" in runs["audit"].stdout
    assert "evil \\x1b" in runs["history"].stdout and "\\nFORGED rule" in runs["history"].stdout
    assert "\\x9b31m\\u202e" in runs["doctor"].stdout
    # no hostile value ever reached a shell line on the phone
    sent = "\n".join(entry.command for entry in read_log(hostile_phone.log))
    assert not {c for c in sent if c in UNSAFE - {"\r"}}


def test_json_keeps_the_exact_values_and_is_still_harmless(hostile_phone, hostile_profile, cli):
    scan = cli("scan", "--device", hostile_phone.spec, "--json")
    assert_harmless(scan.stdout, "scan --json")
    device = scan.json()["device"]
    assert device["model"] == "Nokia" + OSC52 and device["manufacturer"] == "HMD" + HOSTILE.replace(
        "\x00", ""
    )  # no NUL over adb
    audit = cli("audit", "-p", str(hostile_profile), "--device", hostile_phone.spec,
                "--at", EVENING, "--json")  # fmt: skip
    assert_harmless(audit.stdout, "audit --json")
    names = {f["app"] for f in audit.json()["findings"]}
    assert "WeChat" + HOSTILE + "\nFORGED name" in names


def test_profile_errors_show_hostile_keys_visibly(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        f"schema = 1\n{toml_string('evil' + HOSTILE + chr(10) + 'FORGED key')} = 1\n"
        '[work_hours]\ntimezone = "UTC"\nweekdays = ["09:00-18:00"]\n',
        encoding="utf-8",
    )
    for args in (("profile", "check", str(path)), ("plan", "-p", str(path))):
        result = cli(*args)
        assert result.exit_code == 2
        assert_harmless(result.stdout + result.stderr, " ".join(args))
        assert "evil\\x1b]52" in result.stdout + result.stderr


# -- crontab lines -------------------------------------------------------------------------------

FAKE_CRONTAB = """
import sys
from pathlib import Path
store = Path(sys.argv[1])
if sys.argv[2] == "-l":
    if not store.exists():
        sys.stderr.write("no crontab for tester\\n")
        sys.exit(1)
    sys.stdout.write(store.read_text())
else:
    store.write_text(sys.stdin.read())
"""


@pytest.fixture
def fake_crontab(tmp_path, monkeypatch) -> Path:
    """`crontab -l` / `crontab -` over a file, so no root or cron is needed."""
    script = tmp_path / "fakecrontab.py"
    script.write_text(FAKE_CRONTAB)
    store = tmp_path / "crontab.txt"
    store.write_text("17 3 * * * /usr/bin/backup-my-photos\n")
    monkeypatch.setenv("HARDENER_CRONTAB", f"{sys.executable} {script} {store}")
    return store


@pytest.mark.parametrize(
    "name",
    ["evil\n* * * * * touch PWNED\n.toml", "title\x1b]0;x\x07.toml", "cr\r.toml"],
)
def test_a_path_with_control_characters_never_reaches_the_crontab(
    name, fake_crontab, hostile_profile, cli, tmp_path
):
    path = tmp_path / name
    path.write_text(hostile_profile.read_text().replace('"device"', '"Europe/Berlin"'))
    before = fake_crontab.read_text()
    result = cli("schedule", "install", "-p", str(path), "--state-dir", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert "control characters" in result.stderr
    assert_harmless(result.stderr, "schedule install")
    assert fake_crontab.read_text() == before  # untouched


def test_a_hostile_profile_at_a_plain_path_gives_plain_crontab_lines(
    fake_crontab, hostile_profile, hostile_phone, cli, tmp_path
):
    result = cli("schedule", "install", "-p", str(hostile_profile), "--device",
                 hostile_phone.spec, "--state-dir", str(tmp_path / "s"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = fake_crontab.read_text()
    assert_harmless(text, "crontab")
    assert text.startswith("17 3 * * * /usr/bin/backup-my-photos\n")
    assert all(
        line.startswith(("#", "17 3")) or "schedule run --profile" in line
        for line in text.splitlines()
    )
    assert os.environ["HARDENER_CRONTAB"]


def test_the_cron_log_and_status_stay_harmless(fake_crontab, cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        f"schema = 1\n{toml_string('evil' + HOSTILE + chr(10) + 'FORGED key')} = 1\n",
        encoding="utf-8",
    )
    state = tmp_path / "s"
    run = cli("schedule", "run", "-p", str(path), "--state-dir", str(state))
    assert run.exit_code == 2
    assert_harmless(run.stderr, "schedule run")
    log = (state / "cron.log").read_text(encoding="utf-8")
    assert_harmless(log, "cron.log")
    assert len(log.splitlines()) == 1  # one line per run, whatever the message held
    status = cli("schedule", "status", "--state-dir", str(state))
    assert_harmless(status.stdout, "schedule status")
    assert "evil\\x1b]52" in status.stdout
