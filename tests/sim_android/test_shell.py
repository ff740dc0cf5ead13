"""The phone's `sh -c`: lists, quoting, `$?`, redirections, errors, and the fault hooks."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.faults import ConnectionDropped, Costs, Faults

PHONE = load_persona("pixel-14")


def sh(command: str, phone: AndroidDevice = PHONE) -> tuple[str, str, int]:
    result = phone.run(command)
    return result.stdout.decode(), result.stderr.decode(), result.exit_code


@pytest.mark.parametrize(
    ("command", "stdout"),
    [
        ("echo 'a  b' \"c  d\" e\\ f", "a  b c  d e f\n"),
        ('echo "it\'s" \'say "hi"\'', 'it\'s say "hi"\n'),
        ("echo a;echo b", "a\nb\n"),
        ("echo a\necho b\n", "a\nb\n"),
        ("false; echo $?", "1\n"),
        ("true && echo yes || echo no", "yes\n"),
        ("false && echo yes || echo no", "no\n"),
        ('nosuch 2>/dev/null; echo "rc=$?"', "rc=127\n"),
        ("echo ${?}", "0\n"),
        ("X=5; echo $X \"$X\" '$X'", "5 5 $X\n"),
        ("echo a # a comment", "a\n"),
        ("# only a comment", ""),
        ("echo -n hi", "hi"),
        ("echo 'a\\tb'", "a\tb\n"),
        ('echo "x\\$y"', "x$y\n"),
        ("'echo' 'exec' 'out'", "exec out\n"),
        ("echo hi >/dev/null", ""),
        ("nosuch 2>&1", "/system/bin/sh: nosuch: inaccessible or not found\n"),
        ("! false && echo negated", "negated\n"),
        ("pm help 2>&1 | grep -c set-permission-flags", "1\n"),
        ("pm list packages -3 --user 0 | grep -q com.whatsapp && echo found", "found\n"),
        (
            "echo one > /data/local/tmp/f; echo two >> /data/local/tmp/f; cat /data/local/tmp/f",
            "one\ntwo\n",
        ),
    ],
)
def test_shell_stdout(command: str, stdout: str) -> None:
    assert sh(command)[0] == stdout


def test_unknown_command_is_127_on_stderr() -> None:
    assert sh("nosuch arg") == ("", "/system/bin/sh: nosuch: inaccessible or not found\n", 127)


def test_exit_stops_the_script_with_its_status() -> None:
    assert sh("echo a; exit 3; echo b") == ("a\n", "", 3)
    assert sh("false; exit")[2] == 1
    assert sh("exit 256")[2] == 0


def test_last_status_is_the_exit_code() -> None:
    assert sh("true; false")[2] == 1
    assert sh("false; true")[2] == 0
    assert sh("pm list users | grep -q NOBODY")[2] == 1


def test_redirection_order_matters() -> None:
    assert sh("nosuch >/dev/null 2>&1") == ("", "", 127)
    assert sh("nosuch 2>&1 >/dev/null") == (
        "/system/bin/sh: nosuch: inaccessible or not found\n",
        "",
        127,
    )
    assert sh("echo to-err >&2") == ("", "to-err\n", 0)
    assert (
        sh("echo x > /system/x")[1]
        == "/system/bin/sh: can't create /system/x: Read-only file system\n"
    )


@pytest.mark.parametrize("redirection", [">&", "2>&"])
def test_duplicating_onto_a_read_only_file_fails_like_creating_it(redirection: str) -> None:
    # It used to raise TypeError inside the virtual phone (a failure stored as a stream).
    assert sh(f"echo x {redirection}/system/x; echo rc=$?") == (
        "rc=1\n",
        "/system/bin/sh: can't create /system/x: Read-only file system\n",
        0,
    )


def test_exception_text_can_be_merged_into_stdout() -> None:
    out, err, code = sh('pm grant com.whatsapp android.permission.INTERNET 2>&1; echo "rc=$?"')
    assert err == "" and code == 0
    assert out.startswith(
        "\nException occurred while executing 'grant':\njava.lang.SecurityException:"
    )
    assert out.endswith("\nrc=255\n")


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("echo 'oops", "/system/bin/sh: no closing quote\n"),
        ('echo "oops', "/system/bin/sh: no closing quote\n"),
        # mksh R55 and later (Android 9+ ship R56-R59): "unexpected 'X'", "unmatched 'X'"
        ("; echo a", "/system/bin/sh: syntax error: unexpected ';'\n"),
        ("echo a &&", "/system/bin/sh: syntax error: unexpected EOF\n"),
        ("if true; then echo a", "/system/bin/sh: syntax error: unmatched 'if'\n"),
        ("fi", "/system/bin/sh: syntax error: unexpected 'fi'\n"),
    ],
)
def test_syntax_errors(command: str, message: str) -> None:
    assert sh(command) == ("", message, 1)


def test_utf8_output() -> None:
    xiaomi = load_persona("xiaomi-hyperos-14")
    assert "\tUserInfo{0:机主:4c13} running" in sh("pm list users", xiaomi)[0]
    assert sh("echo 你好")[0] == "你好\n"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_on_any_input(command: str) -> None:
    result = PHONE.run(command)
    assert 0 <= result.exit_code <= 255
    assert isinstance(result.stdout, bytes) and isinstance(result.stderr, bytes)


WORDS = [
    "echo",
    "'a",
    "b'",
    '"$?"',
    "\\;",
    ";",
    "&&",
    "||",
    "|",
    "2>&1",
    ">/dev/null",
    "#",
    "pm",
    "list",
    "packages",
    "-3",
    "-U",
    "-f",
    "--user",
    "0",
    "10",
    "150",
    "getprop",
    "nosuch",
    "exit",
    "3",
    "'",
    '"',
    "\\",
    "!",
    "grep",
    "-c",
    "x",
    "cmd",
    "appops",
    "get",
    "set",
    "--uid",
    "com.whatsapp",
    "com.tencent.mm",
    "RUN_ANY_IN_BACKGROUND",
    "ignore",
    "allow",
    "dumpsys",
    "package",
    "deviceidle",
    "whitelist",
    "+com.whatsapp",
    "-com.whatsapp",
    "am",
    "set-standby-bucket",
    "get-standby-bucket",
    "restricted",
    "force-stop",
    "suspend",
    "unsuspend",
    "grant",
    "revoke",
    "android.permission.CAMERA",
    "set-permission-flags",
    "user-fixed",
    "settings",
    "put",
    "secure",
    "notification",
    "allow_listener",
    "com.whatsapp/.X",
    "help",
    "-h",
    "--",
    "-",
    "u0a100",
    "MIUIOP(10008)",
    "10008",
    "$X",
    "X=1",
    "${?}",
    "${",
    "$(",
    "`",
    "\n",
]
FUZZ_PHONES = [load_persona(name) for name in ("pixel-14", "android9-legacy", "samsung-oneui-work")]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2), st.lists(st.sampled_from(WORDS), max_size=14))
def test_never_raises_on_shell_like_input(which: int, words: list[str]) -> None:
    result = FUZZ_PHONES[which].run(" ".join(words))
    assert 0 <= result.exit_code <= 255


def test_faults_hook_runs_before_each_simple_command() -> None:
    faults = Faults()
    phone = load_persona("pixel-14", faults=faults)
    faults.arm(drop_after_commands=2)
    with pytest.raises(ConnectionDropped):
        phone.run("echo a; echo b; echo c")
    assert phone.run("echo a; echo b; echo c").stdout == b"a\nb\nc\n", "faults are one-shot"
    faults.arm(drop_after_commands=3)
    assert phone.run("echo a && pm list users | grep -c Owner").stdout == b"a\n1\n"
    with pytest.raises(ConnectionDropped):
        phone.run("echo x")


def test_each_simple_command_costs_and_a_script_sleeps_the_sum_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("hardener.sim.android.device.sleep", slept.append)
    phone = load_persona("pixel-14", costs=Costs(cmd_s=0.01, dumpsys_s=0.05))
    phone.run(
        "echo a; pm list users; dumpsys package com.whatsapp >/dev/null; nosuch; "
        "cmd appops get com.whatsapp"
    )
    assert slept == [pytest.approx(0.07)]  # echo 0, pm 0.01, dumpsys 0.05, nosuch 0, cmd 0.01
    assert phone.commands_run == 5


def test_a_dropped_script_costs_what_ran_before_the_drop(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("hardener.sim.android.device.sleep", slept.append)
    phone = load_persona("pixel-14", costs=Costs(cmd_s=0.01))
    phone.faults.arm(drop_after_commands=2)
    with pytest.raises(ConnectionDropped):
        phone.run("pm list users; pm list users; pm list users")
    assert slept == [pytest.approx(0.02)]


def test_one_lock_many_threads() -> None:
    phone = load_persona("pixel-14")
    expected = phone.run("pm list packages -3 --user 0").stdout
    results: list[bytes] = []

    def worker() -> None:
        for _ in range(5):
            results.append(phone.run("pm list packages -3 --user 0").stdout)
            phone.run(
                "am set-standby-bucket com.whatsapp rare; am set-standby-bucket com.whatsapp active"
            )

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 40
