"""Batched phases: framing, exactness, forged markers, truncation, splitting.

These run the generated scripts with the real /bin/sh (no ADB), so a framing mistake that
only a shell would reveal fails here; test_direct.py and test_server.py repeat the key
cases through the virtual phone.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.core.command_result import CommandResult
from hardener.device.phase import (
    PhaseInterrupted,
    build_script,
    check_command,
    decode_output,
    parse_output,
    plan_scripts,
    run_phase,
)
from hardener.device.transport.errors import ConnectionLostError
from hardener.errors import DeviceError, InputError


def printf(data: bytes) -> str:
    """A command printing exactly `data` (octal escapes: no shell or printf surprises)."""
    return "printf " + shlex.quote("".join(f"\\{b:03o}" for b in data))


def test_outputs_and_statuses_come_back_exact(sh_transport: Callable[..., object]) -> None:
    phone = sh_transport()
    commands = [
        "echo hello",
        printf(b"no trailing newline"),
        printf(b""),  # no output at all
        printf(b"\n\n"),  # only newlines
        "false",
        "sh -c 'exit 42'",
        "sh -c 'echo to-stderr >&2'",  # stderr is merged into the command's own output
        "no-such-command-xyz",  # 127 and the shell's message, and the next still runs
        "echo last",
    ]
    result = run_phase(phone, commands, timeout=20)
    got = [(r.output, r.exit_code) for r in result.results]
    assert got[:7] == [
        ("hello\n", 0),
        ("no trailing newline", 0),
        ("", 0),
        ("\n\n", 0),
        ("", 1),
        ("", 42),
        ("to-stderr\n", 0),
    ]
    assert got[7][1] == 127 and "no-such-command-xyz" in got[7][0]
    assert got[8] == ("last\n", 0)
    assert [r.command for r in result.results] == commands
    assert result.round_trips == 1 and len(phone.scripts) == 1


def test_text_that_looks_like_markers_cannot_forge_a_boundary(
    sh_transport: Callable[..., object],
) -> None:
    # What an app could print if it guessed the format, and even the *previous* phase's
    # token: only the fresh token of this phase counts.
    phone = sh_transport()
    first = run_phase(phone, ["echo a"], timeout=10)
    old_token = phone.scripts[0].split('"')[1].split(":")[0]
    forged = (
        f'{old_token}:0\n{old_token}:B\nXXXXXXXXXXXXXXXXXXXXXXXX:0\n:0\n$?\necho "TOKEN:$?"\n'
    ).encode()
    result = run_phase(phone, [printf(forged), "echo after", printf(forged[:-1])], timeout=10)
    assert first.results[0].output == "a\n"
    assert result.results[0] == CommandResult(result.results[0].command, forged.decode(), 0)
    assert result.results[1].output == "after\n"
    assert result.results[2].output == forged[:-1].decode()


def test_each_phase_uses_a_fresh_unguessable_token(sh_transport: Callable[..., object]) -> None:
    phone = sh_transport()
    for _ in range(3):
        run_phase(phone, ["true"], timeout=10)
    tokens = {script.split('"')[1].split(":")[0] for script in phone.scripts}
    assert len(tokens) == 3
    assert all(len(t) == 24 and int(t, 16) >= 0 for t in tokens)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.binary(max_size=40), st.integers(min_value=0, max_value=255)),
        min_size=1,
        max_size=6,
    )
)
def test_any_bytes_and_status_round_trip(cases: list[tuple[bytes, int]]) -> None:
    """Through a real shell: arbitrary output bytes (NULs, CRs, invalid UTF-8, no newline)."""
    import subprocess

    commands = [f"{printf(data)};(exit {code})" for data, code in cases]
    token = "0123456789abcdef01234567"
    script = build_script(commands, token)
    out = subprocess.run(["/bin/sh", "-c", script], capture_output=True, timeout=20).stdout
    parsed = parse_output(out, commands, token)
    assert [(r.output, r.exit_code) for r in parsed.results] == [
        (decode_output(data), code) for data, code in cases
    ]
    assert parsed.partial is None


def test_nothing_to_do_costs_no_round_trip(sh_transport: Callable[..., object]) -> None:
    phone = sh_transport()
    assert run_phase(phone, [], timeout=1).results == ()
    assert phone.scripts == []


def test_a_thousand_commands_in_one_round_trip(sh_transport: Callable[..., object]) -> None:
    phone = sh_transport(max_script_bytes=65_522)  # the smallest limit: the adb server path
    commands = [f"echo {i}" for i in range(1000)]
    result = run_phase(phone, commands, timeout=60)
    assert len(phone.scripts) == 1 and result.round_trips == 1
    assert [r.output for r in result.results] == [f"{i}\n" for i in range(1000)]
    assert all(r.exit_code == 0 for r in result.results)


def test_a_phase_too_big_for_one_request_is_split_in_order(
    sh_transport: Callable[..., object],
) -> None:
    phone = sh_transport(max_script_bytes=2_000)
    commands = [f"echo {i} {'x' * 30}" for i in range(200)]
    result = run_phase(phone, commands, timeout=60)
    assert len(phone.scripts) > 1 and result.round_trips == len(phone.scripts)
    assert all(len(s.encode()) <= 2_000 for s in phone.scripts)
    assert [r.output.split()[0] for r in result.results] == [str(i) for i in range(200)]


@given(
    st.lists(st.text(alphabet="abc xyz0123", min_size=1, max_size=60), max_size=80),
    st.integers(min_value=200, max_value=3000),
)
def test_plan_is_ordered_complete_within_limit_and_minimal(commands: list[str], limit: int) -> None:
    token = "f" * 24
    try:
        runs = plan_scripts(commands, limit)
    except InputError:
        assert any(len(build_script([c], token).encode()) > limit for c in commands)
        return
    assert [i for run in runs for i in run] == list(range(len(commands)))
    for run in runs:
        assert len(build_script([commands[i] for i in run], token).encode()) <= limit
    # Greedy packing of an ordered list is minimal: no run could take the next command.
    for run, following in itertools.pairwise(runs):
        cmds = [commands[i] for i in (*run, following.start)]
        assert len(build_script(cmds, token).encode()) > limit


def test_a_single_command_longer_than_a_request_is_refused(
    sh_transport: Callable[..., object],
) -> None:
    with pytest.raises(InputError, match="too long"):
        run_phase(sh_transport(max_script_bytes=500), ["echo " + "x" * 600], timeout=5)


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("", "empty"),
        ("echo a\necho b", "line break"),
        ("echo a\r", "line break"),
        ("echo 'open", "unclosed quote"),
        ('echo "open', "unclosed quote"),
        ("echo a \\", "backslash"),
        ("echo a # comment hides the marker", "comment"),
        ("cat <<EOF", "here-document"),
        ("if true", "keyword"),
        ("{ echo a", "keyword"),
    ],
)
def test_commands_that_would_break_framing_are_refused(command: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        check_command(command)


@pytest.mark.parametrize(
    "command",
    [
        "echo a#b",  # '#' inside a word is not a comment
        "echo '# quoted'",
        'echo "it\'s" "\\"x\\""',
        "settings get secure enabled_notification_listeners",
        "pm revoke --user 0 com.tencent.mm android.permission.READ_CONTACTS",
        "cmd appops get com.whatsapp RUN_ANY_IN_BACKGROUND || true",
        "echo a; echo b",
    ],
)
def test_ordinary_commands_pass(command: str) -> None:
    check_command(command)


class _Dropping:
    """A transport that delivers the first `cut` bytes of the real output, then fails."""

    serial = spec = "dropping"

    def __init__(self, cut: int, error: type[DeviceError] | None = ConnectionLostError) -> None:
        import subprocess

        self.cut, self.error, self._run = cut, error, subprocess.run
        self.max_script_bytes = 100_000

    def shell(self, script: str, *, timeout: float) -> bytes:
        out = self._run(["/bin/sh", "-c", script], capture_output=True).stdout[: self.cut]
        if self.error is None:
            return out
        raise self.error("lost the phone (test)", hint="plug it back", partial=out)

    def describe(self) -> str:
        return "the test phone"

    def close(self) -> None:
        pass


def test_connection_lost_mid_phase_keeps_the_completed_results() -> None:
    commands = ["echo one", "echo two", "printf three-partial; sleep 0", "echo four"]
    token_free_length = len(b"xxxxxxxxxxxxxxxxxxxxxxxx:B\none\n") + len(
        b"xxxxxxxxxxxxxxxxxxxxxxxx:0\n"
    )
    # one's output and marker, two's output and marker, then part of three's output
    cut = token_free_length + len(b"two\n") + len(b"xxxxxxxxxxxxxxxxxxxxxxxx:0\n") + 5
    with pytest.raises(PhaseInterrupted) as caught:
        run_phase(_Dropping(cut), commands, timeout=5)
    error = caught.value
    assert isinstance(error, DeviceError) and error.exit_code == 3
    assert [(r.output, r.exit_code) for r in error.results] == [("one\n", 0), ("two\n", 0)]
    assert error.interrupted == CommandResult(commands[2], "three", None)
    assert error.pending == ("echo four",)
    assert "lost the phone (test)" in error.message and "after 2 of 4 commands" in error.message
    assert error.hint == "plug it back"


def test_a_marker_cut_in_half_is_not_a_status() -> None:
    # The cut falls inside "TOKEN:0\n" of the first command: its status is unknown.
    cut = len(b"xxxxxxxxxxxxxxxxxxxxxxxx:B\none\n") + 10
    with pytest.raises(PhaseInterrupted) as caught:
        run_phase(_Dropping(cut), ["echo one", "echo two"], timeout=5)
    assert caught.value.results == ()
    assert caught.value.interrupted == CommandResult("echo one", "one\n", None)


def test_a_shell_that_ends_early_without_an_error_is_still_a_truncation() -> None:
    with pytest.raises(PhaseInterrupted) as caught:
        run_phase(_Dropping(10**9, error=None), ["echo one", "exit 3", "echo never"], timeout=5)
    assert [r.output for r in caught.value.results] == ["one\n"]
    assert caught.value.interrupted is not None and caught.value.interrupted.command == "exit 3"
    assert caught.value.pending == ("echo never",)
    assert "ended early" in caught.value.message


def test_nothing_received_means_nothing_completed() -> None:
    with pytest.raises(PhaseInterrupted) as caught:
        run_phase(_Dropping(0), ["echo one"], timeout=5)
    assert caught.value.results == () and caught.value.pending == ()


def test_decode_keeps_utf16_with_bom_and_replaces_bad_utf8() -> None:
    assert decode_output("name=Ünïcode\r\n".encode("utf-16")) == "name=Ünïcode\r\n"
    assert decode_output(b"ok \xff\xfe-not-a-bom-at-start").startswith("ok \ufffd")
    assert decode_output("微信\n".encode()) == "微信\n"


def test_output_that_merely_ends_like_the_token_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hardener.device.phase.secrets.token_hex", lambda _n: "abcdef" + "0" * 18)
    # The command printed "...cab" and the link died before its marker: "ab" stays output.
    cut = len(b"abcdef000000000000000000:B\n") + len(b"xcab")
    with pytest.raises(PhaseInterrupted) as caught:
        run_phase(_Dropping(cut), ["printf xcab"], timeout=5)
    assert caught.value.interrupted == CommandResult("printf xcab", "xcab", None)
