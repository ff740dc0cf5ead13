"""The virtual phone's sh against the real mksh: what a detached job relies on.

Android's /system/bin/sh is mksh (R59c from Android 11 on); Debian's `mksh` package is the same
release, so each script below runs through both and stdout and exit status must match. The
few things a desktop mksh cannot show (the phone's files, clock and processes) are checked
against expectations written from the sources cited in hardener/sim/android/.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobkit import START, START_EPOCH

from hardener.sim.android import AndroidDevice, load_persona

MKSH = shutil.which("mksh")
needs_mksh = pytest.mark.skipif(
    MKSH is None, reason="no mksh (Debian package `mksh`, installed by install-test-tools.sh)"
)
PHONE = load_persona("pixel-14", clock=START, real_time=False)


def sim(script: str, phone: AndroidDevice = PHONE) -> tuple[str, int]:
    result = phone.run(script)
    return result.stdout.decode(), result.exit_code


def mksh(script: str) -> tuple[str, int]:
    assert MKSH is not None
    done = subprocess.run(
        [MKSH, "-c", script],
        capture_output=True,
        text=True,
        timeout=10,
        env={"PATH": "/usr/bin:/bin", "HOME": "/"},
        check=False,
    )
    return done.stdout, done.returncode


SCRIPTS = [
    # lists, status, negation
    "true; echo $?; false; echo $?; ! false; echo $?",
    "false || echo or; true && echo and; false && echo no; echo $?",
    # if / elif / else, test and [ ]
    "if [ 1 -lt 2 ]; then echo a; elif true; then echo b; else echo c; fi",
    "if false; then echo a; elif [ x = x ]; then echo b; else echo c; fi",
    "if [ -z '' ] && [ -n x ] && [ ! -n '' ]; then echo ok; fi",
    "[ 5 -ge 5 ]; echo $?; [ 5 -gt 5 ]; echo $?; test abc != abd; echo $?",
    "[ 2 -lt 10 -a 10 -lt 20 ]; echo $?; [ 1 -eq 2 -o a = a ]; echo $?",
    "[ 1+1 -eq 2 ]; echo $?",
    # while / until / for / break / continue
    "i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i -eq 2 ] && continue; echo $i; "
    "[ $i -ge 4 ] && break; done; echo end $i",
    "n=3; until [ $n -eq 0 ]; do echo $n; n=$((n-1)); done",
    "for x in a 'b c' d; do echo \"[$x]\"; done",
    "for i in 1 2; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done",
    "for i in 1 2 3; do for j in a b; do [ $i = 2 ] && break 2; echo $i$j; done; done; echo out",
    "set -- x y; for a; do echo $a; done",
    # case
    "for w in apple b12 x.sh ''; do case $w in a*) echo A;; b[0-9]*) echo B;; "
    "*.sh|*.txt) echo S;; '') echo E;; *) echo O;; esac; done",
    "case abc in (abc) echo paren;; esac",
    "x='*'; case hello in \"$x\") echo lit;; *) echo glob;; esac",
    # functions, local, return, $@ $# $1
    "f() { echo \"$# $1 $2\"; return 3; }; f a 'b c'; echo $?",
    "x=out; f() { local x=in; echo $x; }; f; echo $x",
    "function g { echo g$1; }; g 1",
    'f() { shift; echo "$@"; }; f 1 2 3',
    "f() { for a in \"$@\"; do echo \"<$a>\"; done; }; f 'a b' c ''",
    "f() { echo $#; }; f; f ''; f \"$@\"",
    # arithmetic: 32-bit, C division, operators
    "echo $((2147483647 + 1)) $((-2147483648 - 1)) $((65536 * 65536))",
    "echo $((7 / 2)) $((-7 / 2)) $((7 % -3)) $((-7 % 3))",
    "echo $((1 << 4)) $((255 & 15 | 64 ^ 1)) $((!0)) $((~0)) $((3 > 2 ? 10 : 20))",
    "x=5; y=x; echo $((y + 1)) $((x *= 2)) $x $((x++)) $x",
    "echo $((16#ff)) $((2#101)) $((0x10)) $((010))",
    "a=1796118300; b=$((a + 900)); echo $((b - a)) $(( (b - a) / 60 ))",
    # expansions
    "v=a.b.c; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${#v}",
    "unset u; e=; echo [${u:-d1}] [${e:-d2}] [${e-d3}] [${u+set}] [${e+set}] [${e:+x}]",
    "unset u; echo ${u:=assigned}; echo $u",
    "echo $(echo a $(echo b)) `echo c`",
    "x=$(printf 'l1\\nl2\\n\\n'); echo \"[$x]\"",
    "v='a  b   c'; echo $v; echo \"$v\"; set -- $v; echo $#",
    "IFS=:; v=a:b:c; for p in $v; do echo $p; done",
    'echo "$(echo "inner quotes")"',
    # printf and echo
    "printf '%s|%5s|%-5s|%d|%03d|%x|%o|%c|%%\\n' a b c 42 7 255 8 xyz",
    "printf '%s\\n' one two three",
    "printf '%b' 'a\\tb\\n'",
    "echo -n a; echo b; echo 'x\\ty'",
    # read
    "printf 'one two three\\nfour\\n' | { read a b; echo \"$a|$b\"; read c; echo $c; }",
    "printf 'a\\\\ b c\\n' | { read -r x y; echo \"$x|$y\"; }",
    "printf 'x\\ny\\nz' | while read l; do echo \"<$l>\"; done",
    'read v </dev/null; echo $? "[$v]"',
    # here-documents
    "x=1; cat <<EOF\nval $x\n$(echo sub)\nEOF",
    "cat <<'EOF'\nval $x `nothing`\nEOF",
    "cat <<-EOF\n\tindented\n\tEOF",
    # traps, exit, subshells, $$
    "trap 'echo bye' EXIT; echo hi",
    "trap 'echo bye $?' EXIT; exit 3",
    "( exit 4 ); echo $?; (echo sub; exit 0); echo $?",
    "x=1; (x=2; echo $x); echo $x",
    "trap 'echo one' EXIT; trap - EXIT; echo none",
    "trap '' HUP; trap",
    "[ $$ = $(echo $$) ]; echo $?; (echo $$) | { read p; [ $p = $$ ]; echo $?; }",
    "exit 300",
    # redirections
    "echo out; echo err >&2",
    "{ echo a; echo b >&2; } 2>&1",
    "f() { echo x >&2; }; f 2>/dev/null; echo after",
    "echo $(echo hidden >/dev/null; echo shown)",
    # eval, set --, shift
    "eval 'x=5; echo $x'",
    "set -- a b c; shift 2; echo $# $1",
    "cmd=echo; $cmd dynamic",
    # errors that end a non-interactive shell
    "echo $((1/0)); echo not reached",
    "nosuch_cmd_xyz 2>/dev/null; echo $?",
]


@needs_mksh
@pytest.mark.parametrize("script", SCRIPTS)
def test_the_sim_s_sh_agrees_with_mksh(script: str) -> None:
    assert sim(script) == mksh(script)


def arith_expr() -> st.SearchStrategy[str]:
    number = st.integers(-(2**31), 2**31 - 1).map(str)
    leaf = st.one_of(number, st.sampled_from(["x", "y"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        ops = st.sampled_from(["+", "-", "*", "<", "<=", "==", "!=", "&", "|", "^", "&&", "||"])
        return st.one_of(
            st.tuples(inner, ops, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"-{e}"),
            inner.map(lambda e: f"!{e}"),
        )

    return st.recursive(leaf, extend, max_leaves=6)


@needs_mksh
@settings(max_examples=150, deadline=None)
@given(arith_expr(), st.integers(-(2**31), 2**31 - 1))
def test_arithmetic_wraps_like_mksh(expr: str, x: int) -> None:
    script = f"x={x}; y=-7; echo $(( {expr} ))"
    assert sim(script) == mksh(script)


# ---- what only a phone has -----------------------------------------------------------


def test_date_reads_the_phone_clock() -> None:
    phone = load_persona("xiaomi-hyperos-14", clock=START, real_time=False)
    assert sim("date", phone) == ("Tue Dec  1 17:45:00 CST 2026\n", 0)
    assert sim("date +%s", phone) == (f"{START_EPOCH}\n", 0)
    assert sim("date '+%Y-%m-%d %H:%M:%S %z %Z %a %j %u'", phone) == (
        "2026-12-01 17:45:00 +0800 CST Tue 335 2\n",
        0,
    )
    assert sim("date -u +%H:%M", phone) == ("09:45\n", 0)
    assert sim(f"date -d @{START_EPOCH + 86400} +%F", phone) == ("2026-12-02\n", 0)
    assert phone.run("date 120118002026").stderr == (
        b"date: cannot set date: Operation not permitted\n"
    )
    phone.advance(90)
    assert sim("echo $(( $(date +%s) - " + str(START_EPOCH) + " ))", phone) == ("90\n", 0)


def test_files_in_data_local_tmp() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    d = "/data/local/tmp/hardener"
    script = (
        f"mkdir -p {d}/a/b && echo one > {d}/f && echo two >> {d}/f && cat {d}/f; "
        f"mv {d}/f {d}/g; [ -f {d}/f ] || echo moved; [ -d {d}/a/b ] && echo dir; "
        f'while read line; do echo "<$line>"; done < {d}/g; '
        f"read first < {d}/g; echo $first; ls {d}; rm {d}/g; cat {d}/g; echo rc=$?; "
        f"rm -r {d}/a; ls {d}; touch {d}/t; [ -e {d}/t ] && [ ! -s {d}/t ] && echo empty"
    )
    out, _ = sim(script, phone)
    assert out == ("one\ntwo\nmoved\ndir\n<one>\n<two>\none\na\ng\nrc=1\nempty\n"), out
    err = phone.run(
        "echo x > /system/x; mkdir /data/x; cat /nonexistent; rm /nonexistent; "
        f"mv {d}/nope {d}/x; mkdir {d}; mkdir -p {d}/q; rm {d}/q"
    ).stderr.decode()
    assert err == (  # toybox: perror_msg("'%s'") in mkdir, perror_msg_raw in rm and cat,
        # perror_msg("bad '%s'") in mv (cp.c)
        "/system/bin/sh: can't create /system/x: Read-only file system\n"
        "mkdir: '/data/x': Permission denied\n"
        "cat: /nonexistent: No such file or directory\n"
        "rm: /nonexistent: No such file or directory\n"
        f"mv: bad '{d}/nope': No such file or directory\n"
        f"mkdir: '{d}': File exists\n"
        f"rm: {d}/q: Is a directory\n"
    )


def test_exec_redirects_the_rest_of_the_script() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    out, _ = sim("exec >>/data/local/tmp/log 2>&1; echo hidden; nosuch; exec >&-", phone)
    assert out == ""
    assert phone.read_file("/data/local/tmp/log") == (
        "hidden\n/system/bin/sh: nosuch: inaccessible or not found\n"
    )


def test_globs_match_the_phone_s_files() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    sim("cd /data/local/tmp; touch a.done b.done c.log .hidden", phone)
    assert sim("echo /data/local/tmp/*.done", phone) == (
        "/data/local/tmp/a.done /data/local/tmp/b.done\n",
        0,
    )
    assert sim("cd /data/local/tmp && echo * && echo '*' && echo none*", phone) == (
        "a.done b.done c.log\n*\nnone*\n",
        0,
    )


def test_sh_runs_a_script_file_with_its_own_pid_and_arguments() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    phone.run(
        "printf 'echo $0 $# $1; echo $$ > /data/local/tmp/p; exit 7\\n' > /data/local/tmp/s.sh"
    )
    result = phone.run("sh /data/local/tmp/s.sh arg; echo rc=$? me=$$")
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "/data/local/tmp/s.sh 1 arg"
    child = int(phone.read_file("/data/local/tmp/p"))  # type: ignore[arg-type]
    me = int(lines[1].split("me=")[1])
    assert lines[1].startswith("rc=7") and child != me
    missing = phone.run("sh /data/local/tmp/nope.sh")
    assert missing.exit_code == 127


def test_a_job_that_never_sleeps_cannot_hang_the_phone() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    result = phone.run("(while :; do :; done) </dev/null >/dev/null 2>&1 & echo $!")
    assert result.exit_code == 0
    assert phone.jobs() == [], "stopped after 200,000 commands without a sleep"


def test_a_session_that_never_ends_is_killed_not_hung() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    result = phone.run("echo before; while :; do :; done; echo after")
    assert (result.stdout, result.exit_code) == (b"before\n", 137)


def test_a_frozen_clock_sleeps_without_waiting() -> None:
    phone = load_persona("pixel-14", clock=START, real_time=False)
    result = phone.run("sleep 86400; date +%s")
    assert result.stdout == f"{START_EPOCH + 86400}\n".encode()


COMPOUND_WORDS = [
    "while",
    "until",
    "do",
    "done",
    "if",
    "then",
    "else",
    "fi",
    "for",
    "x",
    "in",
    "case",
    "esac",
    ";;",
    "(",
    ")",
    "{",
    "}",
    "&",
    "&&",
    "||",
    "|",
    ";",
    "\n",
    "$((",
    "))",
    "$(",
    "`",
    "sleep",
    "1",
    "true",
    "false",
    "echo",
    "break",
    "continue",
    "trap",
    "''",
    "HUP",
    "exit",
    "f()",
    "f",
    "read",
    "<",
    ">",
    ">>",
    "/data/local/tmp/f",
    "kill",
    "$!",
    "$$",
    "wait",
    "<<E",
    "E",
    "'",
    '"',
    "${x:-1}",
    "$x",
    "x=1",
    "return",
    "local",
    "set",
    "--",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(COMPOUND_WORDS), max_size=16))
def test_never_raises_or_hangs_on_compound_input(words: list[str]) -> None:
    phone = FUZZ
    result = phone.run(" ".join(words))
    assert 0 <= result.exit_code <= 255
    phone.advance(10)  # whatever it left running runs, and must yield or end


FUZZ = load_persona("pixel-14", clock=START, real_time=False)
