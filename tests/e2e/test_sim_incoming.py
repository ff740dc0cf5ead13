"""`hardener sim --incoming KIND:NUMBER:AFTER_S`: the network delivers a call or an SMS to
the virtual phone, which says whether it rang or Do Not Disturb silenced it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hardener.cli.cmd_sim import parse_incoming
from hardener.errors import InputError


def test_parse_incoming() -> None:
    assert parse_incoming("call:+86 138-0000-0000:60") == ("call", "+8613800000000", 60.0)
    assert parse_incoming("sms:10086:0.5") == ("sms", "10086", 0.5)
    for bad in ("fax:+861:1", "call:+861", "call::1", "call:+861:soon", "call:$(reboot):1",
                "call:+861:-1", "call:+861:100000"):  # fmt: skip
        with pytest.raises(InputError):
            parse_incoming(bad)


def test_sim_reports_what_rang_and_what_was_silenced(cli) -> None:
    bad = cli("sim", "--port", "0", "--incoming", "fax:1:1")
    assert bad.exit_code == 2
    assert "KIND:NUMBER:AFTER_S" in bad.stderr
    hardener = Path(sys.executable).with_name("hardener")
    if not hardener.is_file():
        pytest.skip("the hardener console script is not installed next to this Python")
    # Samsung persona: DND on (priority), calls from contacts; +821012345678 is a contact.
    process = subprocess.Popen(
        [str(hardener), "sim", "--persona", "samsung-oneui-work", "--port", "0",
         "--incoming", "call:+8613800000000:0", "--incoming", "call:+821012345678:0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    lines: list[str] = []
    try:
        assert process.stdout is not None
        while len([line for line in lines if line.startswith("incoming ")]) < 2:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
    finally:
        process.terminate()
        process.wait(timeout=10)
    events = [line for line in lines if line.startswith("incoming ")]
    assert events == [
        "incoming call from +8613800000000: silenced by Do Not Disturb "
        "(ZEN_MODE_IMPORTANT_INTERRUPTIONS, !audienceMatches:contact)",
        "incoming call from +821012345678: rang (ZEN_MODE_IMPORTANT_INTERRUPTIONS, "
        "audienceMatches)",
    ], lines
