"""A small `sh -c` (mksh, /system/bin/sh) for the virtual phone.

What adb clients, people and a detached job left on the phone send:

* lists (`;`, newlines, `&&`, `||`, `&`), pipelines, `!`, quoting (single, double, backslash;
  the official client single-quotes every `exec-out` argument), comments;
* expansions: `$VAR`, `${VAR}`, `${VAR:-w}` `${VAR-w}` `${VAR:=w}` `${VAR:+w}` `${VAR:?w}`
  `${#VAR}` `${VAR#p}` `${VAR##p}` `${VAR%p}` `${VAR%%p}`, `$? $$ $! $# $0 $1.. $@ $*`,
  `$(...)` and backticks, `$((...))` (32-bit wraparound, as mksh), field splitting on IFS
  of unquoted expansions, pathname expansion against the phone's writable files;
* compound commands: `if/elif/else`, `while`, `until`, `for`, `case`, `{ }`, `( )`, function
  definitions (`f() {}` and `function f {}`), each with redirections;
* redirections `>`, `>>`, `>|`, `<`, `n>&m`, `n>&-`, here-documents (`<<`, `<<-`, quoted
  delimiters), `exec` with only redirections;
* builtins as mksh has them (no new process): `:`, `.`, `break`, `continue`, `eval`, `exec`,
  `exit`, `export`, `readonly`, `return`, `set`, `shift`, `trap`, `unset`, `local`, `cd`,
  `pwd`, `read`, `test`/`[`, `printf`, `kill`, `wait`, `echo`, `true`, `false`.

Processes (what ps and /proc show, signals, background jobs, `sleep`) belong to the device:
the shell asks its `System` for them. mksh facts relied on, from MirBSD/mksh @3417528:
a `-c` string that is one simple command is exec'd in place (main.c `shell()`: SF_MAYEXEC
and TCOM -> DOTCOMEXEC), so `adb shell ps` is one process; the last element of a pipeline
runs in the current shell; `$$` in a subshell is the parent's pid; signals ignored on entry
cannot be trapped (POSIX, so `nohup sh job.sh` keeps ignoring HUP); a trapped signal's action
runs after the foreground command ends (POSIX 2.11); an asynchronous list's stdin is
/dev/null when job control is off.

Unknown commands answer as mksh does: `/system/bin/sh: X: inaccessible or not found`, exit 127.
Not implemented (a syntax error or a plain word, never something subtly different): `select`,
`[[ ]]`, arrays, `${x/a/b}`, `time`, job control, aliases, `set -e/-u/-x` (accepted, ignored).

Never raises on any input except `ConnectionDropped` (the link fault, by design) and `Killed`
(the device ending the process).
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from hardener.sim.android import shbuiltins

SH = "/system/bin/sh"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")
_DIGITS = re.compile(r"[0-9]+")
_ASSIGN_START = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
RESERVED = {
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "while",
    "until",
    "do",
    "done",
    "case",
    "esac",
    "function",
    "select",
    "time",
    "{",
    "}",
    "[[",
    "]]",
}
SIGNALS = {
    "HUP": 1,
    "INT": 2,
    "QUIT": 3,
    "ILL": 4,
    "TRAP": 5,
    "ABRT": 6,
    "BUS": 7,
    "FPE": 8,
    "KILL": 9,
    "USR1": 10,
    "SEGV": 11,
    "USR2": 12,
    "PIPE": 13,
    "ALRM": 14,
    "TERM": 15,
    "CHLD": 17,
    "CONT": 18,
    "STOP": 19,
    "TSTP": 20,
}
SIGNAL_NAMES = {number: name for name, number in SIGNALS.items()}
MAX_DEPTH = 100  # nested function calls / evals / sourced files before "too deep"


class ShellSyntaxError(Exception):
    pass


class Killed(BaseException):
    """A signal's default action (or SIGKILL) ends the process now; no trap runs."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal


class ExitShell(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class _Break(Exception):
    def __init__(self, levels: int, again: bool) -> None:
        self.levels = levels
        self.again = again  # continue rather than break


class _Return(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class BrokenPipe(Exception):
    """A write to a pipe whose reader is gone (the adb session ended): SIGPIPE."""


@dataclass
class Result:
    out: str = ""
    err: str = ""
    status: int = 0
    merged: str | None = None  # stdout and stderr in write order (one pipe for raw shell:)


class _Tee(list[str]):
    """A stream's chunks that also go, in order, to the merged stream."""

    def __init__(self, merged: list[str]) -> None:
        super().__init__()
        self.merged = merged

    def append(self, text: str) -> None:
        super().append(text)
        self.merged.append(text)


# ------------------------------------------------------------------------- file descriptors


class Sink:
    def write(self, text: str) -> None:
        raise NotImplementedError


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


NULL = NullSink()


class StreamSink(Sink):
    """One of the adb session's pipes; after the session ends, writing is SIGPIPE."""

    def __init__(self, chunks: list[str]) -> None:
        self.chunks = chunks
        self.closed = False

    def write(self, text: str) -> None:
        if self.closed:
            raise BrokenPipe()
        self.chunks.append(text)


class CaptureSink(Sink):
    def __init__(self) -> None:
        self.chunks: list[str] = []

    def write(self, text: str) -> None:
        self.chunks.append(text)

    def text(self) -> str:
        return "".join(self.chunks)


class FileSink(Sink):
    def __init__(self, system: System, path: str) -> None:
        self.system = system
        self.path = path

    def write(self, text: str) -> None:
        self.system.write_file(self.path, text, append=True)


class Input:
    """A readable fd: text with a read position (so `while read` walks a file)."""

    __slots__ = ("pos", "text")

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.pos = 0

    def read_all(self) -> str:
        rest = self.text[self.pos :]
        self.pos = len(self.text)
        return rest

    def read_line(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end + 1
        line = self.text[self.pos : end]
        self.pos = end
        return line


EMPTY_INPUT_TEXT = ""


# ---------------------------------------------------------------------------------- AST


@dataclass
class Word:
    """A word as parts (value, kind): kind is 'lit', or an expansion: 'var', 'cmd', 'arith',
    'param', each with a 'q' prefix when inside double quotes (not field-split)."""

    parts: list[tuple[Any, str]] = field(default_factory=list)
    quoted: bool = False
    assign: bool = False  # starts with an unquoted NAME=

    def literal(self) -> str | None:
        if len(self.parts) == 1:
            text, kind = self.parts[0]
            return text if kind in _LITERAL else None
        if all(kind in _LITERAL for _, kind in self.parts):
            return "".join(text for text, _ in self.parts)
        return None


@dataclass
class Redir:
    fd: int
    op: str  # '>', '>>', '<', '>&', '<&', '<<' (body in target), '<>'
    target: Word


@dataclass
class Simple:
    words: list[Word]
    redirs: list[Redir]


@dataclass
class Pipeline:
    commands: list[Any]
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]]
    background: bool = False


@dataclass
class If:
    branches: list[tuple[list[AndOr], list[AndOr]]]
    orelse: list[AndOr] | None
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class Loop:
    cond: list[AndOr]
    body: list[AndOr]
    until: bool
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class For:
    name: str
    items: list[Word] | None
    body: list[AndOr]
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class Case:
    word: Word
    items: list[tuple[list[Word], list[AndOr]]]
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class Group:
    body: list[AndOr]
    subshell: bool
    redirs: list[Redir] = field(default_factory=list)


@dataclass
class FuncDef:
    name: str
    body: Any


# ---------------------------------------------------------------------------- lexer


# A redirection to fd 1/2 or /dev/null, followed by a blank, `;`, `|`, `&` or the end.
_COMMON_REDIRECT = re.compile(r"(>&|>)([12]|/dev/null)(?=[ \t\n;&|)]|$)")
# Characters with no special meaning outside quotes, and inside double quotes.
_PLAIN_RUN = re.compile(r"[^ \t\n;&|()<>'\"\\$`#]+")
_QUOTED_RUN = re.compile(r'[^"\\$`]+')


def _skip_quoted(src: str, i: int) -> int:
    """src[i] is a quote: the index just past its closing quote."""
    quote = src[i]
    j = i + 1
    while j < len(src):
        ch = src[j]
        if ch == quote:
            return j + 1
        if ch == "\\" and quote == '"':
            j += 2
            continue
        if quote == '"' and ch == "$" and src.startswith("$(", j):
            j = _match_paren(src, j + 1) + 1
            continue
        j += 1
    raise ShellSyntaxError("no closing quote")


def _match_paren(src: str, i: int) -> int:
    """src[i] == '(': the index of its matching ')', skipping quotes and nesting."""
    depth = 0
    j = i
    n = len(src)
    while j < n:
        ch = src[j]
        if ch in "'\"":
            j = _skip_quoted(src, j)
            continue
        if ch == "\\":
            j += 2
            continue
        if ch == "`":
            end = src.find("`", j + 1)
            if end < 0:
                raise ShellSyntaxError("no closing quote")
            j = end + 1
            continue
        if ch == "#" and (j == 0 or src[j - 1] in " \t\n;"):
            while j < n and src[j] != "\n":
                j += 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ShellSyntaxError("syntax error: unmatched '('")


def _match_brace(src: str, i: int) -> int:
    """src[i] == '{' of `${`: the index of the matching '}'."""
    depth = 0
    j = i
    while j < len(src):
        ch = src[j]
        if ch in "'\"":
            j = _skip_quoted(src, j)
            continue
        if ch == "\\":
            j += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ShellSyntaxError("no closing quote")


_PARAM_OPS = (":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%")


def _read_expansion(src: str, j: int) -> tuple[tuple[Any, str] | None, int]:
    """src[j] == '$': ((value, kind), end) or (None, j + 1) for a lone '$'."""
    n = len(src)
    if j + 1 >= n:
        return None, j + 1
    c = src[j + 1]
    if c in "?$#!0123456789-*@":
        return (c, "var"), j + 2
    if c == "{":
        end = _match_brace(src, j + 1)
        inner = src[j + 2 : end]
        if inner.startswith("#") and len(inner) > 1:
            name = inner[1:]
            if name in "?$#!@*" or _NAME.fullmatch(name) or name.isdigit():
                return ((name, "#len", ""), "param"), end + 1
            raise ShellSyntaxError(f"{src[j : end + 1]}: bad substitution")
        match = re.match(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-]", inner)
        if match is None:
            raise ShellSyntaxError(f"{src[j : end + 1]}: bad substitution")
        name = match.group()
        rest = inner[match.end() :]
        if not rest:
            return (name, "var"), end + 1
        for op in _PARAM_OPS:
            if rest.startswith(op):
                return ((name, op, rest[len(op) :]), "param"), end + 1
        raise ShellSyntaxError(f"{src[j : end + 1]}: bad substitution")
    if _NAME.match(c):
        k = j + 1
        while k < n and _NAME_CHAR.match(src[k]):
            k += 1
        return (src[j + 1 : k], "var"), k
    if c == "(":
        if src.startswith("((", j + 1):
            end = _match_paren(src, j + 1)
            inner = src[j + 2 : end]
            if inner.startswith("(") and inner.endswith(")"):
                return (inner[1:-1], "arith"), end + 1
        end = _match_paren(src, j + 1)
        return (src[j + 2 : end], "cmd"), end + 1
    return None, j + 1


def _backtick(src: str, i: int) -> tuple[str, int]:
    """src[i] == '`': (the inner command, with \\` \\\\ \\$ unescaped, index after)."""
    out: list[str] = []
    j = i + 1
    while j < len(src):
        ch = src[j]
        if ch == "`":
            return "".join(out), j + 1
        if ch == "\\" and j + 1 < len(src) and src[j + 1] in "`\\$":
            out.append(src[j + 1])
            j += 2
            continue
        out.append(ch)
        j += 1
    raise ShellSyntaxError("no closing quote")


def _dq_parts(text: str, add: Callable[[Any, str], None], *, heredoc: bool = False) -> None:
    """The parts of double-quoted text (or of an unquoted here-document body)."""
    j = 0
    n = len(text)
    lit = "lit" if heredoc else "qlit"  # text quoted in the script: never a pattern
    specials = '$`"\\\n' if not heredoc else "$`\\\n"
    while j < n:
        ch = text[j]
        if ch == "\\" and j + 1 < n and text[j + 1] in specials:
            if text[j + 1] != "\n":
                add(text[j + 1], lit)
            j += 2
        elif ch == "$":
            part, j2 = _read_expansion(text, j)
            if part is None:
                add("$", lit)
                j += 1
            else:
                add(part[0], "q" + part[1])
                j = j2
        elif ch == "`":
            inner, j = _backtick(text, j)
            add(inner, "qcmd")
        else:
            end = j + 1
            while end < n and text[end] not in "\\$`":
                end += 1
            add(text[j:end], lit)
            j = end


def _read_heredocs(src: str, i: int, heredocs: list[tuple[Redir, str, bool, bool]]) -> int:
    """Here-document bodies after a newline: each up to its delimiter line."""
    n = len(src)
    for redir, delimiter, quoted, strip in heredocs:
        lines = []
        while True:
            if i >= n:
                break  # mksh: here document ends at EOF (with a warning)
            end = src.find("\n", i)
            line = src[i:] if end < 0 else src[i:end]
            i = n if end < 0 else end + 1
            check = line.lstrip("\t") if strip else line
            if check == delimiter:
                break
            lines.append(check + "\n")
        body = "".join(lines)
        target = Word(quoted=True)
        if quoted:
            target.parts.append((body, "lit"))
        else:

            def add_part(value: Any, kind: str, target: Word = target) -> None:
                if kind == "lit" and target.parts and target.parts[-1][1] == "lit":
                    target.parts[-1] = (target.parts[-1][0] + value, "lit")
                else:
                    target.parts.append((value, kind))

            _dq_parts(body, add_part, heredoc=True)
            if not target.parts:
                target.parts.append(("", "lit"))
        redir.target = target
    heredocs.clear()
    return i


def _lex(src: str) -> list[object]:
    tokens: list[object] = []
    i = 0
    n = len(src)
    word: Word | None = None
    heredocs: list[tuple[Redir, str, bool, bool]] = []  # redir, delimiter, quoted, strip tabs

    def flush() -> None:
        nonlocal word
        if word is not None:
            tokens.append(word)
            word = None

    def cur() -> Word:
        nonlocal word
        if word is None:
            word = Word()
        return word

    def add(text: Any, kind: str = "lit") -> None:
        w = cur()
        if kind in _LITERAL and w.parts and w.parts[-1][1] == kind:
            w.parts[-1] = (w.parts[-1][0] + text, kind)
        else:
            w.parts.append((text, kind))

    while i < n:
        plain = _PLAIN_RUN.match(src, i)
        if plain is not None:  # most of any script: ordinary characters, at once
            text = plain.group()
            if word is None:
                word = Word([(text, "lit")])
                if "=" in text and _ASSIGN_START.match(text):
                    word.assign = True
            elif word.parts and word.parts[-1][1] == "lit":
                word.parts[-1] = (word.parts[-1][0] + text, "lit")
            else:
                word.parts.append((text, "lit"))
            i = plain.end()
            continue
        c = src[i]
        if c in " \t":
            flush()
            i += 1
        elif c == "\n":
            flush()
            tokens.append(("op", "\n"))
            i += 1
            if heredocs:
                i = _read_heredocs(src, i, heredocs)
        elif c == "#" and word is None:
            while i < n and src[i] != "\n":
                i += 1
        elif c in ";&|":
            flush()
            two = src[i : i + 2]
            if two in ("&&", "||", ";;"):
                tokens.append(("op", two))
                i += 2
            else:
                tokens.append(("op", c))
                i += 1
        elif c in "()":
            flush()
            tokens.append(("op", c))
            i += 1
        elif c in "<>":
            fd = 0 if c == "<" else 1
            if (
                word is not None
                and not word.quoted
                and (lit := word.literal())
                and _DIGITS.fullmatch(lit)
            ):
                fd = int(lit)
                word = None
            flush()
            common = _COMMON_REDIRECT.match(src, i)
            if common is not None:  # `2>&1`, `>/dev/null`: what nearly every script says
                target = Word([(common.group(2), "lit")])
                tokens.append(Redir(fd, common.group(1), target))
                i = common.end()
                continue
            if src.startswith("<<", i):
                strip = src.startswith("<<-", i)
                i += 3 if strip else 2
                while i < n and src[i] in " \t":
                    i += 1
                start = i
                while i < n and src[i] not in " \t\n;&|<>()":
                    if src[i] in "'\"":
                        i = _skip_quoted(src, i)
                    else:
                        i += 1
                raw = src[start:i]
                if not raw:
                    raise ShellSyntaxError("syntax error: unexpected EOF")
                quoted = any(q in raw for q in "'\"\\")
                delimiter = raw.replace("'", "").replace('"', "").replace("\\", "")
                redir = Redir(fd, "<<", Word([("", "lit")]))
                tokens.append(redir)
                heredocs.append((redir, delimiter, quoted, strip))
                continue
            if src.startswith(">>", i):
                op, i = ">>", i + 2
            elif src.startswith(">&", i) or src.startswith("<&", i):
                op, i = src[i : i + 2], i + 2
            elif src.startswith(">|", i):
                op, i = ">", i + 2
            elif src.startswith("<>", i):
                op, i = "<>", i + 2
            else:
                op, i = c, i + 1
            while i < n and src[i] in " \t":
                i += 1
            # Read the target word with the same rules, up to the next blank/operator.
            sub_end = i
            while sub_end < n:
                ch = src[sub_end]
                if ch in "'\"":
                    sub_end = _skip_quoted(src, sub_end)
                    continue
                if ch == "\\":
                    sub_end += 2
                    continue
                if ch == "$" and src.startswith("$(", sub_end):
                    sub_end = _match_paren(src, sub_end + 1) + 1
                    continue
                if ch == "$" and src.startswith("${", sub_end):
                    sub_end = _match_brace(src, sub_end + 1) + 1
                    continue
                if ch == "`":
                    _, sub_end = _backtick(src, sub_end)
                    continue
                if ch in " \t\n;&|<>()":
                    break
                sub_end += 1
            sub_end = min(sub_end, n)
            target_tokens = _lex(src[i:sub_end]) if sub_end > i else []
            if len(target_tokens) != 1 or not isinstance(target_tokens[0], Word):
                raise ShellSyntaxError(
                    "syntax error: unexpected " + ("EOF" if sub_end >= n else f"'{src[sub_end]}'")
                )
            tokens.append(Redir(fd, op, target_tokens[0]))
            i = sub_end
        elif c == "'":
            end = src.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("no closing quote")
            cur().quoted = True
            add(src[i + 1 : end], "qlit")
            i = end + 1
        elif c == '"':
            cur().quoted = True
            end = _skip_quoted(src, i)
            if end - i == 2:
                add("", "qlit")
            else:
                _dq_parts(src[i + 1 : end - 1], add)
            i = end
        elif c == "\\":
            if i + 1 < n:
                if src[i + 1] != "\n":
                    cur().quoted = True
                    add(src[i + 1], "qlit")
                i += 2
            else:
                add("\\")
                i += 1
        elif c == "$":
            part, j = _read_expansion(src, i)
            if part is None:
                add("$")
                i += 1
            else:
                add(part[0], part[1])
                i = j
        elif c == "`":
            inner, i = _backtick(src, i)
            add(inner, "cmd")
        else:
            add(c)
            i += 1
    flush()
    if heredocs:
        _read_heredocs(src, n, heredocs)
    return tokens


# --------------------------------------------------------------------------- parser

_SEPARATORS = (("op", ";"), ("op", "\n"), ("op", "&"))


def _parse_plain(tokens: list[object]) -> list[AndOr] | None:
    """The fast path for what nearly every script is: simple commands joined by `|`, `&&`,
    `||`, `;`, `&` and newlines. None when anything else appears (the full parser then
    parses it, and reports errors)."""
    items: list[AndOr] = []
    chain: list[Pipeline] = []
    ops: list[str] = []
    commands: list[Any] = []
    words: list[Word] = []
    redirs: list[Redir] = []
    for tok in tokens:
        kind = type(tok)
        if kind is Word:
            if not words and not tok.quoted:  # type: ignore[attr-defined]
                parts = tok.parts  # type: ignore[attr-defined]
                if (
                    len(parts) == 1
                    and parts[0][1] == "lit"
                    and (parts[0][0] in RESERVED or parts[0][0] == "!")
                ):
                    return None
            words.append(tok)  # type: ignore[arg-type]
            continue
        if kind is Redir:
            redirs.append(tok)  # type: ignore[arg-type]
            continue
        op = tok[1]  # type: ignore[index]
        if not words and not redirs:
            if op == "\n" and not commands and not chain:
                continue  # a blank line
            return None
        if op in ("(", ")", ";;"):
            return None
        commands.append(Simple(words, redirs))
        words, redirs = [], []
        if op == "|":
            continue
        chain.append(Pipeline(commands))
        commands = []
        if op in ("&&", "||"):
            ops.append(op)
            continue
        items.append(AndOr(chain[0], list(zip(ops, chain[1:], strict=True)), op == "&"))
        chain, ops = [], []
    if words or redirs:
        commands.append(Simple(words, redirs))
        chain.append(Pipeline(commands))
        commands = []
    if commands or len(chain) != len(ops) + (1 if chain else 0):
        return None  # a dangling `|`, `&&` or `||`
    if chain:
        items.append(AndOr(chain[0], list(zip(ops, chain[1:], strict=True))))
    return items


def parse(src: str) -> list[AndOr]:
    tokens = _lex(src)
    plain = _parse_plain(tokens)
    if plain is not None:
        return plain
    pos = 0

    def peek() -> object | None:
        return tokens[pos] if pos < len(tokens) else None

    def reserved(tok: object | None) -> str | None:
        if isinstance(tok, Word) and not tok.quoted and len(tok.parts) == 1:
            text, kind = tok.parts[0]
            if kind == "lit" and text in RESERVED:
                return str(text)
        return None

    def describe(tok: object | None) -> str:
        """mksh's words for a token it did not expect (syn.c syntaxerr, R55 and later)."""
        if tok is None:
            return "EOF"
        if tok == ("op", "\n"):
            return "newline"
        if isinstance(tok, tuple):
            return f"'{tok[1]}'"
        if isinstance(tok, Word):
            return f"'{tok.literal() or 'word'}'"
        return "redirection"

    def unexpected(tok: object | None) -> ShellSyntaxError:
        return ShellSyntaxError(f"syntax error: unexpected {describe(tok)}")

    def unmatched(opener: str) -> ShellSyntaxError:
        return ShellSyntaxError(f"syntax error: unmatched '{opener}'")

    def linebreak() -> None:
        nonlocal pos
        while peek() == ("op", "\n"):
            pos += 1

    def expect(word: str, opener: str) -> None:
        nonlocal pos
        linebreak()
        tok = peek()
        if tok is None:
            raise unmatched(opener)
        if reserved(tok) != word:
            raise unexpected(tok)
        pos += 1

    def compound_list(stops: set[str], opener: str) -> list[AndOr]:
        """and-or lists up to (not including) a reserved word in `stops` (or `)`/`;;`)."""
        nonlocal pos
        items: list[AndOr] = []
        while True:
            linebreak()
            tok = peek()
            if tok is None:
                raise unmatched(opener)
            if reserved(tok) in stops or tok in (("op", ")"), ("op", ";;")):
                return items
            item = and_or()
            items.append(item)
            tok = peek()
            if tok in _SEPARATORS:
                item.background = tok == ("op", "&")
                pos += 1
            elif tok is None:
                raise unmatched(opener)
            elif not (reserved(tok) in stops or tok in (("op", ")"), ("op", ";;"))):
                raise unexpected(tok)

    def redirs() -> list[Redir]:
        nonlocal pos
        found = []
        while isinstance(peek(), Redir):
            found.append(peek())
            pos += 1
        return found  # type: ignore[return-value]

    def name_word() -> str:
        nonlocal pos
        tok = peek()
        text = tok.literal() if isinstance(tok, Word) and not tok.quoted else None
        if text is None or not _NAME.fullmatch(text):
            raise unexpected(tok)
        pos += 1
        return text

    def command() -> Any:
        nonlocal pos
        tok = peek()
        word = reserved(tok)
        if word == "if":
            pos += 1
            branches = []
            cond = compound_list({"then"}, "if")
            expect("then", "if")
            body = compound_list({"elif", "else", "fi"}, "if")
            branches.append((cond, body))
            orelse = None
            while True:
                word = reserved(peek())
                pos += 1
                if word == "elif":
                    cond = compound_list({"then"}, "if")
                    expect("then", "if")
                    body = compound_list({"elif", "else", "fi"}, "if")
                    branches.append((cond, body))
                elif word == "else":
                    orelse = compound_list({"fi"}, "if")
                    expect("fi", "if")
                    break
                else:
                    break
            return If(branches, orelse, redirs())
        if word in ("while", "until"):
            pos += 1
            cond = compound_list({"do"}, word)
            expect("do", word)
            body = compound_list({"done"}, word)
            expect("done", word)
            return Loop(cond, body, word == "until", redirs())
        if word == "for":
            pos += 1
            name = name_word()
            linebreak()
            items: list[Word] | None = None
            following = peek()
            if reserved(following) == "in" or (
                isinstance(following, Word) and following.literal() == "in"
            ):
                pos += 1
                items = []
                while isinstance(peek(), Word):
                    items.append(peek())  # type: ignore[arg-type]
                    pos += 1
                if peek() not in (("op", ";"), ("op", "\n")):
                    raise unexpected(peek())
                pos += 1
            elif peek() == ("op", ";"):
                pos += 1
            expect("do", "for")
            body = compound_list({"done"}, "for")
            expect("done", "for")
            return For(name, items, body, redirs())
        if word == "case":
            pos += 1
            subject = peek()
            if not isinstance(subject, Word):
                raise unexpected(subject)
            pos += 1
            linebreak()
            tok = peek()
            if not (isinstance(tok, Word) and tok.literal() == "in"):
                raise unexpected(tok)
            pos += 1
            case_items = []
            while True:
                linebreak()
                if reserved(peek()) == "esac":
                    pos += 1
                    break
                if peek() is None:
                    raise unmatched("case")
                if peek() == ("op", "("):
                    pos += 1
                patterns = []
                while True:
                    tok = peek()
                    if not isinstance(tok, Word):
                        raise unexpected(tok)
                    patterns.append(tok)
                    pos += 1
                    if peek() == ("op", "|"):
                        pos += 1
                        continue
                    if peek() == ("op", ")"):
                        pos += 1
                        break
                    raise unexpected(peek())
                body = compound_list({"esac"}, "case")
                case_items.append((patterns, body))
                if peek() == ("op", ";;"):
                    pos += 1
            return Case(subject, case_items, redirs())
        if word == "{":
            pos += 1
            body = compound_list({"}"}, "{")
            expect("}", "{")
            return Group(body, False, redirs())
        if tok == ("op", "("):
            pos += 1
            body = compound_list(set(), "(")
            if peek() != ("op", ")"):
                raise unmatched("(")
            pos += 1
            return Group(body, True, redirs())
        if word == "function":
            pos += 1
            name = name_word()
            if peek() == ("op", "("):
                pos += 1
                if peek() != ("op", ")"):
                    raise unexpected(peek())
                pos += 1
            linebreak()
            return FuncDef(name, command())
        if word is not None:
            raise unexpected(tok)
        # a function definition: NAME ( )
        if (
            isinstance(tok, Word)
            and pos + 2 < len(tokens) + 1
            and pos + 1 < len(tokens)
            and tokens[pos + 1] == ("op", "(")
        ):
            fname = tok.literal()
            if fname is None or tok.quoted or not _NAME.fullmatch(fname):
                raise unexpected(("op", "("))
            pos += 2
            if peek() != ("op", ")"):
                raise unexpected(peek())
            pos += 1
            linebreak()
            return FuncDef(fname, command())
        return simple()

    def simple() -> Simple:
        nonlocal pos
        words: list[Word] = []
        found: list[Redir] = []
        while True:
            tok = peek()
            if isinstance(tok, Word):
                words.append(tok)
                pos += 1
            elif isinstance(tok, Redir):
                found.append(tok)
                pos += 1
            else:
                break
        if not words and not found:
            raise unexpected(peek())
        return Simple(words, found)

    def pipeline() -> Pipeline:
        nonlocal pos
        negate = False
        tok = peek()
        if isinstance(tok, Word) and not tok.quoted and tok.literal() == "!":
            negate = True
            pos += 1
        commands = [command()]
        while peek() == ("op", "|"):
            pos += 1
            linebreak()
            commands.append(command())
        return Pipeline(commands, negate)

    def and_or() -> AndOr:
        nonlocal pos
        first = pipeline()
        rest: list[tuple[str, Pipeline]] = []
        while peek() in (("op", "&&"), ("op", "||")):
            op = peek()[1]  # type: ignore[index]
            pos += 1
            linebreak()
            rest.append((op, pipeline()))
        return AndOr(first, rest)

    lists: list[AndOr] = []
    while pos < len(tokens):
        tok = peek()
        if tok == ("op", "\n"):
            pos += 1
            continue
        item = and_or()
        lists.append(item)
        tok = peek()
        if tok is None:
            break
        if tok in _SEPARATORS:
            item.background = tok == ("op", "&")
            pos += 1
            continue
        raise unexpected(tok)
    return lists


# ------------------------------------------------------------------------- processes

CommandFn = Callable[[list[str], str], Result]


@dataclass
class Proc:
    """One shell process's state (the device keeps the process-table entry by `pid`)."""

    pid: int
    args: list[str]
    vars: dict[str, str]
    exported: set[str]
    fds: dict[int, Any]
    funcs: dict[str, Any] = field(default_factory=dict)
    params: list[str] = field(default_factory=list)
    argv0: str = SH
    traps: dict[int, str] = field(default_factory=dict)  # 0 = EXIT
    ignored_on_entry: set[int] = field(default_factory=set)
    status: int = 0
    last_bg: int | None = None
    cwd: str = "/"
    exec_last: bool = False  # the next external command replaces this process (exec)
    depth: int = 0
    locals: list[dict[str, str | None]] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)  # trapped signals not yet handled
    session: bool = False  # the adb session's own sh -c (not a job)

    def ignores(self, signal: int) -> bool:
        return signal in self.ignored_on_entry or self.traps.get(signal) == ""


class System(Protocol):
    """What a shell needs from the phone's kernel: processes, time, files."""

    def new_pid(self) -> int: ...

    def enter(self, proc: Proc, parent: Proc | None, args: list[str], *, reuse: bool) -> None: ...

    def leave(self, proc: Proc) -> None: ...

    def set_session(self, proc: Proc) -> None: ...

    def sleep(self, proc: Proc, seconds: float, argv: list[str]) -> int: ...

    def spawn(
        self, parent: Proc, child: Proc, args: list[str], run: Callable[[], None]
    ) -> None: ...

    def kill(self, sender: Proc, pid: int, signal: int) -> str | None: ...

    def wait(self, proc: Proc, pid: int | None) -> int: ...

    def read_file(self, path: str) -> str | None: ...

    def write_file(self, path: str, text: str, *, append: bool) -> None: ...

    def open_write(self, path: str, *, append: bool) -> str | None: ...

    def file_test(self, op: str, path: str) -> bool: ...

    def glob(self, pattern: str) -> list[str]: ...

    def external(self, proc: Proc, argv: list[str], stdin: str) -> Result | None: ...


def _signal_number(text: str) -> int | None:
    name = text.upper()
    if name.startswith("SIG"):
        name = name[3:]
    if name == "EXIT":
        return 0
    if name in SIGNALS:
        return SIGNALS[name]
    if text.isdigit() and int(text) < 65:
        return int(text)
    return None


def _glob_magic(text: str) -> bool:
    """A pattern only when it has `*`, `?` or a bracket expression (`[` alone, as in the
    `[` command, is a plain word)."""
    if "*" in text or "?" in text:
        return True
    start = text.find("[")
    return start >= 0 and "]" in text[start + 2 :]


class Shell:
    """Runs command lines for one phone: a table of commands plus the device's `System`."""

    def __init__(
        self,
        commands: dict[str, CommandFn],
        before_command: Callable[[str], None],
        system: System,
        env: dict[str, str] | None = None,
    ) -> None:
        self.commands = commands
        self.before_command = before_command
        self.system = system
        self.env = dict(env or {})
        self._parsed: dict[str, list[AndOr]] = {}
        self._builtins: dict[str, Callable[[Proc, list[str], Input], Result]] = {
            ":": lambda p, a, i: Result(),
            "true": lambda p, a, i: Result(),
            "false": lambda p, a, i: Result(status=1),
            ".": self._b_dot,
            "source": self._b_dot,
            "break": self._b_break,
            "continue": self._b_continue,
            "eval": self._b_eval,
            "exit": self._b_exit,
            "export": self._b_export,
            "readonly": self._b_export,
            "return": self._b_return,
            "set": self._b_set,
            "shift": self._b_shift,
            "trap": self._b_trap,
            "unset": self._b_unset,
            "local": self._b_local,
            "typeset": self._b_local,
            "cd": self._b_cd,
            "pwd": lambda p, a, i: Result(p.cwd + "\n"),
            "read": self._b_read,
            "test": self._b_test,
            "[": self._b_test,
            "printf": self._b_printf,
            "kill": self._b_kill,
            "wait": self._b_wait,
            "sleep": self._b_sleep,
            "sh": self._b_sh,
            "setsid": self._b_setsid,
            "nohup": self._b_nohup,
        }

    # ---- entry points ----------------------------------------------------------------

    def _parse(self, src: str) -> list[AndOr]:
        program = self._parsed.get(src)
        if program is None:
            program = parse(src)
            if len(self._parsed) > 256:
                self._parsed.clear()
            self._parsed[src] = program
        return program

    def new_proc(self, pid: int, args: list[str], fds: dict[int, Any]) -> Proc:
        return Proc(
            pid=pid,
            args=args,
            vars=dict(self.env),
            exported=set(self.env),
            fds=fds,
        )

    def run(self, src: str) -> Result:
        """`adb shell CMD`: /system/bin/sh -c CMD as a new process, child of adbd."""
        merged: list[str] = []
        out = StreamSink(_Tee(merged))
        err = StreamSink(_Tee(merged))
        proc = self.new_proc(self.system.new_pid(), [SH, "-c", src], {0: Input(), 1: out, 2: err})
        proc.session = True
        self.system.enter(proc, None, proc.args, reuse=False)
        try:
            try:
                program = self._parse(src)
            except ShellSyntaxError as exc:
                return Result("", f"{SH}: {_syntax_message(exc)}\n", 1)
            if (
                len(program) == 1
                and not program[0].background
                and not program[0].rest
                and len(program[0].first.commands) == 1
                and isinstance(program[0].first.commands[0], Simple)
                and not program[0].first.negate
            ):
                proc.exec_last = True  # mksh DOTCOMEXEC: `adb shell ps` is one process
            try:
                status = self.run_program(proc, program)
            except Killed as killed:  # the session itself was killed: what it wrote stays
                status = 128 + killed.signal
        finally:
            out.closed = True
            err.closed = True
            self.system.leave(proc)
        return Result("".join(out.chunks), "".join(err.chunks), status & 0xFF, "".join(merged))

    def run_program(self, proc: Proc, program: list[AndOr]) -> int:
        """Run a whole script as `proc`: its EXIT trap at the end; the exit status."""
        try:
            try:
                self.exec_list(program, proc)
            except ExitShell as done:
                proc.status = done.status
            except (_Break, _Return):
                pass
            except BrokenPipe:
                return self._sigpipe(proc)
            self._exit_trap(proc)
        except ExitShell as done:
            proc.status = done.status
        except BrokenPipe:
            return self._sigpipe(proc)
        return proc.status

    def _sigpipe(self, proc: Proc) -> int:
        if proc.ignores(SIGNALS["PIPE"]):
            return 1
        raise Killed(SIGNALS["PIPE"])

    def _exit_trap(self, proc: Proc) -> None:
        action = proc.traps.pop(0, None)
        if action:
            saved = proc.status
            with contextlib.suppress(_Break, _Return, ShellSyntaxError):
                self.exec_list(self._parse(action), proc)
            proc.status = saved

    # ---- signals -------------------------------------------------------------------

    def deliver_pending(self, proc: Proc) -> None:
        """Run the actions of trapped signals that arrived (after a foreground command)."""
        while proc.pending:
            signal = proc.pending.pop(0)
            action = proc.traps.get(signal)
            if action is None:
                raise Killed(signal)
            if action:
                saved = proc.status
                self.exec_list(self._parse(action), proc)
                proc.status = saved

    # ---- lists -----------------------------------------------------------------------

    def exec_list(self, items: list[AndOr], proc: Proc) -> int:
        for item in items:
            if item.background:
                self._background(item, proc)
                proc.status = 0
            else:
                self.exec_and_or(item, proc)
            if proc.pending:
                self.deliver_pending(proc)
        return proc.status

    def exec_and_or(self, item: AndOr, proc: Proc) -> int:
        status = self.exec_pipeline(item.first, proc)
        for op, pipeline in item.rest:
            if (op == "&&" and status == 0) or (op == "||" and status != 0):
                status = self.exec_pipeline(pipeline, proc)
        return status

    def exec_pipeline(self, pipeline: Pipeline, proc: Proc) -> int:
        commands = pipeline.commands
        if len(commands) == 1:
            status = self.exec_command(commands[0], proc)
        else:
            saved_fds = proc.fds
            stdin: Any = proc.fds.get(0)
            status = 0
            for index, command in enumerate(commands):
                last = index == len(commands) - 1
                fds = dict(saved_fds)
                fds[0] = stdin
                capture = None
                if not last:
                    capture = CaptureSink()
                    fds[1] = capture
                if last:
                    proc.fds = fds
                    try:
                        status = self.exec_command(command, proc)
                    finally:
                        proc.fds = saved_fds
                else:
                    sub = self._subshell(proc)
                    sub.fds = fds
                    sub.exec_last = False
                    with contextlib.suppress(ExitShell):
                        self.exec_command(command, sub)
                    assert capture is not None
                    stdin = Input(capture.text())
        if pipeline.negate:
            status = 0 if status else 1
        proc.status = status
        return status

    def _subshell(self, proc: Proc) -> Proc:
        """A forked copy of the shell (same $$; traps with actions reset)."""
        return Proc(
            pid=proc.pid,
            args=proc.args,
            vars=dict(proc.vars),
            exported=set(proc.exported),
            fds=dict(proc.fds),
            funcs=dict(proc.funcs),
            params=list(proc.params),
            argv0=proc.argv0,
            traps={s: a for s, a in proc.traps.items() if a == "" and s != 0},
            ignored_on_entry=set(proc.ignored_on_entry),
            status=proc.status,
            last_bg=proc.last_bg,
            cwd=proc.cwd,
            depth=proc.depth,
        )

    def _background(self, item: AndOr, proc: Proc) -> None:
        """`item &`: a child process that runs on its own (the device schedules it)."""
        child = self._subshell(proc)
        child.pid = self.system.new_pid()
        child.session = False
        if not any(r.fd == 0 for r in self._first_redirs(item)):
            child.fds[0] = Input()  # job control off: stdin is /dev/null
        args = list(proc.args)
        simple = self._lone_simple(item)
        if simple is not None:
            child.exec_last = True
            literal = [w.literal() for w in simple.words if not w.assign]
            argv = [a for a in literal if a is not None] if None not in literal else []
            while argv and argv[0] in ("setsid", "nohup") and len(argv) > 1:
                argv = argv[1:]
            if argv and argv[0] not in self._builtins and argv[0] not in proc.funcs:
                args = argv
        body = AndOr(item.first, item.rest)

        def run() -> None:
            self.run_program(child, [body])

        proc.last_bg = child.pid
        self.system.spawn(proc, child, args, run)

    @staticmethod
    def _lone_simple(item: AndOr) -> Simple | None:
        if item.rest or len(item.first.commands) != 1 or item.first.negate:
            return None
        command = item.first.commands[0]
        return command if isinstance(command, Simple) else None

    @staticmethod
    def _first_redirs(item: AndOr) -> list[Redir]:
        command = item.first.commands[0]
        return list(getattr(command, "redirs", []))

    # ---- commands ----------------------------------------------------------------

    def exec_command(self, command: Any, proc: Proc) -> int:
        if isinstance(command, Simple):
            return self.exec_simple(command, proc)
        if isinstance(command, FuncDef):
            proc.funcs[command.name] = command.body
            proc.status = 0
            return 0
        proc.exec_last = False
        saved = proc.fds
        if command.redirs:
            fds = dict(saved)
            error = self._redirect(command.redirs, proc, fds)
            if error is not None:
                proc.fds[2].write(error)
                proc.status = 1
                return 1
            proc.fds = fds
        try:
            if isinstance(command, If):
                status = self._exec_if(command, proc)
            elif isinstance(command, Loop):
                status = self._exec_loop(command, proc)
            elif isinstance(command, For):
                status = self._exec_for(command, proc)
            elif isinstance(command, Case):
                status = self._exec_case(command, proc)
            elif command.subshell:
                sub = self._subshell(proc)
                try:
                    status = self.run_program(sub, command.body)
                except _Break:
                    status = sub.status
            else:
                status = self.exec_list(command.body, proc)
        finally:
            proc.fds = saved
        proc.status = status
        return status

    def _exec_if(self, command: If, proc: Proc) -> int:
        for cond, body in command.branches:
            if self.exec_list(cond, proc) == 0:
                return self.exec_list(body, proc)
        if command.orelse is not None:
            return self.exec_list(command.orelse, proc)
        return 0

    def _exec_loop(self, command: Loop, proc: Proc) -> int:
        status = 0
        while True:
            if (self.exec_list(command.cond, proc) == 0) == command.until:
                break
            try:
                status = self.exec_list(command.body, proc)
            except _Break as jump:
                if jump.levels > 1:
                    jump.levels -= 1
                    raise
                if not jump.again:
                    break
        return status

    def _exec_for(self, command: For, proc: Proc) -> int:
        values = list(proc.params) if command.items is None else self._argv(command.items, proc)
        status = 0
        for value in values:
            proc.vars[command.name] = value
            try:
                status = self.exec_list(command.body, proc)
            except _Break as jump:
                if jump.levels > 1:
                    jump.levels -= 1
                    raise
                if not jump.again:
                    break
        return status

    def _exec_case(self, command: Case, proc: Proc) -> int:
        subject = self._expand_string(command.word, proc)
        for patterns, body in command.items:
            for pattern in patterns:
                if _case_match(subject, self._pattern(pattern, proc)):
                    return self.exec_list(body, proc)
        return 0

    def _pattern(self, word: Word, proc: Proc) -> str:
        """A case pattern: what was quoted (text or expansion) matches itself."""
        pieces = []
        for value, kind in word.parts:
            text = value if kind in _LITERAL else self._expand_part(value, kind, proc)
            pieces.append(text if kind == "lit" or kind[0] != "q" else _escape_glob(text))
        return "".join(pieces)

    # ---- simple commands -------------------------------------------------------------

    def exec_simple(self, command: Simple, proc: Proc) -> int:
        words = command.words
        assignments: list[tuple[str, str]] = []
        index = 0
        try:
            while index < len(words) and words[index].assign:
                name, _, _ = words[index].parts[0][0].partition("=")
                value = self._expand_string(words[index], proc)
                assignments.append((name, value[len(name) + 1 :]))
                index += 1
            argv = self._argv(words[index:], proc) if index < len(words) else []
        except _ExpansionError as exc:
            # mksh: an expansion error ends a non-interactive shell
            proc.fds[2].write(f"{SH}: {exc}\n")
            raise ExitShell(1) from None
        fds = proc.fds
        if command.redirs:
            fds = dict(fds)
            error = self._redirect(command.redirs, proc, fds)
            if error is not None:
                proc.fds[2].write(error)
                proc.status = 1
                return 1
        if not argv:
            for name, value in assignments:
                proc.vars[name] = value
            # POSIX: the status of the last command substitution, else 0
            substituted = any(kind in ("cmd", "qcmd") for w in words for _, kind in w.parts)
            if not substituted:
                proc.status = 0
            return proc.status
        name = argv[0]
        self.before_command(name)
        if name == "exec":
            return self._exec_builtin(proc, argv, fds, assignments)
        builtin = self._builtins.get(name)
        func = proc.funcs.get(name) if builtin is None or name in _OVERRIDABLE else None
        if func is not None:
            return self._call_function(func, proc, argv, fds, assignments)
        if builtin is not None:
            saved = proc.fds
            proc.fds = fds
            saved_vars = None
            if assignments:
                saved_vars = {n: proc.vars.get(n) for n, _ in assignments}
                proc.vars.update(assignments)
            try:
                result = builtin(proc, argv, fds.get(0) or Input())
            finally:
                proc.fds = saved
                if saved_vars is not None and name not in _SPECIAL:
                    for var, old in saved_vars.items():
                        if old is None:
                            proc.vars.pop(var, None)
                        else:
                            proc.vars[var] = old
            self._emit(result, fds, proc)
            proc.status = result.status
            return result.status
        stdin_fd = fds.get(0)
        stdin = ""
        # Only a command that reads its stdin consumes it (`echo` in a `while read` loop
        # must leave the next line for the next `read`).
        if stdin_fd is not None and name in _STDIN_READERS and stdin_fd.pos < len(stdin_fd.text):
            stdin = stdin_fd.read_all()
        found = self.system.external(proc, argv, stdin)
        if found is not None:
            result = found
        else:
            fn = self.commands.get(name)
            if fn is None:
                result = Result("", f"{SH}: {name}: inaccessible or not found\n", 127)
            else:
                result = fn(argv, stdin)
        self._emit(result, fds, proc)
        proc.status = result.status
        return result.status

    def _emit(self, result: Result, fds: dict[int, Any], proc: Proc | None = None) -> None:
        try:
            if result.out:
                fds[1].write(result.out)
            if result.err:
                fds[2].write(result.err)
        except BrokenPipe:
            if proc is None or not proc.ignores(SIGNALS["PIPE"]):
                raise Killed(SIGNALS["PIPE"]) from None
            result.status = 1  # EPIPE: the write failed

    def _call_function(
        self,
        body: Any,
        proc: Proc,
        argv: list[str],
        fds: dict[int, Any],
        assignments: list[tuple[str, str]],
    ) -> int:
        if proc.depth >= MAX_DEPTH:
            proc.fds[2].write(f"{SH}: {argv[0]}: too deeply nested\n")
            proc.status = 1
            return 1
        saved_params, saved_fds = proc.params, proc.fds
        proc.params = argv[1:]
        proc.fds = fds
        proc.depth += 1
        proc.locals.append({})
        for name, value in assignments:
            proc.vars[name] = value
        try:
            status = self.exec_command(body, proc)
        except _Return as ret:
            status = ret.status
        finally:
            proc.params, proc.fds = saved_params, saved_fds
            proc.depth -= 1
            for name, old in proc.locals.pop().items():
                if old is None:
                    proc.vars.pop(name, None)
                else:
                    proc.vars[name] = old
        proc.status = status
        return status

    def _exec_builtin(
        self, proc: Proc, argv: list[str], fds: dict[int, Any], assignments: list[tuple[str, str]]
    ) -> int:
        if len(argv) == 1:
            proc.fds = fds  # `exec >>log 2>&1`: the redirections stay
            for name, value in assignments:
                proc.vars[name] = value
            proc.status = 0
            return 0
        proc.exec_last = True
        saved = proc.fds
        proc.fds = fds
        try:
            status = self.exec_simple(
                Simple([Word([(a, "lit")], quoted=True) for a in argv[1:]], []), proc
            )
        finally:
            proc.fds = saved
        raise ExitShell(status)

    # ---- redirections -------------------------------------------------------------

    def _redirect(self, redirs: list[Redir], proc: Proc, fds: dict[int, Any]) -> str | None:
        """Apply redirections to `fds`; an error message (mksh's words) or None."""
        for redir in redirs:
            op = redir.op
            if op == "<<":
                fds[redir.fd] = Input(self._expand_string(redir.target, proc))
                continue
            try:
                target = self._expand_string(redir.target, proc)
            except _ExpansionError as exc:
                return f"{SH}: {exc}\n"
            if op in (">&", "<&"):
                if target == "-":
                    fds[redir.fd] = NULL if op == ">&" else Input()
                elif _DIGITS.fullmatch(target):
                    source = fds.get(int(target))
                    if source is None:
                        return f"{SH}: {target}: bad file descriptor\n"
                    fds[redir.fd] = source
                elif op == ">&":
                    error = self._open_out(target, proc, fds, redir.fd, append=False)
                    if error:
                        return error
                    fds[2] = fds[redir.fd]
                else:
                    return f"{SH}: {target}: bad file descriptor\n"
            elif op in (">", ">>"):
                error = self._open_out(target, proc, fds, redir.fd, append=op == ">>")
                if error:
                    return error
            elif op in ("<", "<>"):
                if target == "/dev/null":
                    fds[redir.fd] = Input()
                    continue
                path = self._path(target, proc)
                text = self.system.read_file(path)
                if text is None:
                    if op == "<>":
                        error = self._open_out(target, proc, fds, redir.fd, append=True)
                        if error:
                            return error
                        continue
                    return f"{SH}: can't open {target}: No such file or directory\n"
                fds[redir.fd] = Input(text)
        return None

    def _open_out(
        self, target: str, proc: Proc, fds: dict[int, Any], fd: int, *, append: bool
    ) -> str | None:
        if target == "/dev/null":
            fds[fd] = NULL
            return None
        path = self._path(target, proc)
        error = self.system.open_write(path, append=append)
        if error is not None:
            return f"{SH}: can't create {target}: {error}\n"
        fds[fd] = FileSink(self.system, path)
        return None

    @staticmethod
    def _path(target: str, proc: Proc) -> str:
        from hardener.sim.android.files import normalize

        return normalize(target, proc.cwd)

    # ---- expansion -----------------------------------------------------------------

    def _argv(self, words: list[Word], proc: Proc) -> list[str]:
        argv: list[str] = []
        for word in words:
            parts = word.parts
            if len(parts) == 1 and parts[0][1] in _LITERAL:
                text = parts[0][0]
                if not word.quoted and _glob_magic(text):
                    argv.extend(self._glob(text, proc))
                else:
                    argv.append(text)
                continue
            fields = self._fields(word, proc)
            if not word.quoted and any(_glob_magic(f) for f in fields):
                for f in fields:
                    argv.extend(self._glob(f, proc) if _glob_magic(f) else [f])
            else:
                argv.extend(fields)
        return argv

    def _glob(self, pattern: str, proc: Proc) -> list[str]:
        absolute = pattern if pattern.startswith("/") else self._path(pattern, proc)
        matches = self.system.glob(absolute)
        if not matches:
            return [pattern]
        if pattern.startswith("/"):
            return matches
        prefix = proc.cwd.rstrip("/") + "/"
        return [m[len(prefix) :] if m.startswith(prefix) else m for m in matches]

    def _fields(self, word: Word, proc: Proc) -> list[str]:
        """Expand a word into fields (field splitting of unquoted expansions on IFS)."""
        fields: list[str] = []
        current: list[str] = []
        started = False  # the current field exists (has text or a quoted part)
        ifs = proc.vars.get("IFS", " \t\n")
        if len(word.parts) == 1 and word.parts[0] == ("@", "qvar"):
            return list(proc.params)  # "$@": one field per parameter, none when there are none
        for value, kind in word.parts:
            if kind in _LITERAL:
                current.append(value)
                started = True
                continue
            if kind == "qvar" and value == "@" and proc.params:  # "$@": one field each
                params = proc.params
                current.append(params[0])
                for extra in params[1:]:
                    fields.append("".join(current))
                    current = [extra]
                started = True
                continue
            text = self._expand_part(value, kind, proc)
            if kind[0] == "q":
                current.append(text)
                started = True
                continue
            if not text:
                continue
            if not ifs:
                current.append(text)
                started = True
                continue
            pieces = _split_ifs(text, ifs)
            # pieces: list of fields; a leading "" means a separator started the text
            for number, piece in enumerate(pieces):
                if number > 0:
                    if started or current:
                        fields.append("".join(current))
                    current = []
                    started = False
                if piece:
                    current.append(piece)
                    started = True
        if started or current:
            fields.append("".join(current))
        if not fields and word.quoted:
            fields.append("")
        return fields

    def _expand_string(self, word: Word, proc: Proc) -> str:
        """Expand without field splitting (assignments, redirection targets, case)."""
        pieces = []
        for value, kind in word.parts:
            if kind in _LITERAL:
                pieces.append(value)
            else:
                pieces.append(self._expand_part(value, kind, proc))
        return "".join(pieces)

    def _expand_part(self, value: Any, kind: str, proc: Proc) -> str:
        base = kind[1:] if kind[0] == "q" else kind
        if base == "var":
            return self._var(value, proc)
        if base == "cmd":
            return self._command_substitution(value, proc)
        if base == "arith":
            inner = self._expand_inline(value, proc)
            try:
                return str(
                    shbuiltins.arith(inner, lambda n: self._var(n, proc), proc.vars.__setitem__)
                )
            except shbuiltins.ArithError as exc:
                raise _ExpansionError(str(exc)) from None
        if base == "param":
            return self._param(value, proc)
        return ""

    def _expand_inline(self, text: str, proc: Proc) -> str:
        """Expand $x, ${x}, $(...) inside an arithmetic expression."""
        if "$" not in text and "`" not in text:
            return text
        pieces: list[str] = []

        def add(value: Any, kind: str) -> None:
            pieces.append(value if kind in _LITERAL else self._expand_part(value, kind, proc))

        try:
            _dq_parts(text, add, heredoc=True)
        except ShellSyntaxError as exc:
            raise _ExpansionError(str(exc)) from None
        return "".join(pieces)

    def _var(self, name: str, proc: Proc) -> str:
        if name == "?":
            return str(proc.status)
        if name == "$":
            return str(proc.pid)
        if name == "!":
            return "" if proc.last_bg is None else str(proc.last_bg)
        if name == "#":
            return str(len(proc.params))
        if name == "0":
            return proc.argv0
        if name in ("@", "*"):
            sep = proc.vars.get("IFS", " ")[:1] if name == "*" else " "
            return sep.join(proc.params)
        if name == "-":
            return ""
        if name.isdigit():
            index = int(name)
            return proc.params[index - 1] if 0 < index <= len(proc.params) else ""
        return proc.vars.get(name, "")

    def _is_set(self, name: str, proc: Proc) -> bool:
        if name in ("?", "$", "#", "0", "-", "@", "*"):
            return True
        if name == "!":
            return proc.last_bg is not None
        if name.isdigit():
            return 0 < int(name) <= len(proc.params)
        return name in proc.vars

    def _param(self, value: tuple[str, str, str], proc: Proc) -> str:
        name, op, word_src = value
        if op == "#len":
            return str(len(self._var(name, proc)))
        current = self._var(name, proc)
        is_set = self._is_set(name, proc)
        null = op.startswith(":")
        present = is_set and (current != "" or not null)
        base_op = op.lstrip(":")
        if base_op in ("-", "=", "+", "?"):
            if base_op == "+":
                return self._expand_inline_word(word_src, proc) if present else ""
            if present:
                return current
            word = self._expand_inline_word(word_src, proc)
            if base_op == "=":
                proc.vars[name] = word
                return word
            if base_op == "?":
                raise _ExpansionError(f"{name}: {word or 'parameter null or not set'}")
            return word
        pattern = self._expand_inline_word(word_src, proc)
        if base_op in ("#", "##"):
            candidates = range(len(current) + 1) if base_op == "#" else range(len(current), -1, -1)
            for end in candidates:
                if _case_match(current[:end], pattern):
                    return current[end:]
            return current
        if base_op in ("%", "%%"):
            candidates = range(len(current), -1, -1) if base_op == "%" else range(len(current) + 1)
            for start in candidates:
                if _case_match(current[start:], pattern):
                    return current[:start]
            return current
        return current

    def _expand_inline_word(self, src: str, proc: Proc) -> str:
        if not src:
            return ""
        try:
            tokens = _lex(src)
        except ShellSyntaxError as exc:
            raise _ExpansionError(str(exc)) from None
        words = [t for t in tokens if isinstance(t, Word)]
        return " ".join(self._expand_string(w, proc) for w in words)

    def _command_substitution(self, src: str, proc: Proc) -> str:
        try:
            program = self._parse(src)
        except ShellSyntaxError as exc:
            raise _ExpansionError(_syntax_message(exc)) from None
        sub = self._subshell(proc)
        capture = CaptureSink()
        sub.fds[1] = capture
        if proc.depth >= MAX_DEPTH:
            raise _ExpansionError("too deeply nested")
        sub.depth = proc.depth + 1
        status = self.run_program(sub, program)
        proc.status = status
        return capture.text().rstrip("\n")

    # ---- builtins ----------------------------------------------------------------

    def _b_dot(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        if len(argv) < 2:
            return Result("", f"{SH}: .: missing argument\n", 1)
        text = self.system.read_file(self._path(argv[1], proc))
        if text is None:
            return Result("", f"{SH}: .: {argv[1]}: not found\n", 1)
        return self._eval_text(proc, text)

    def _b_eval(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        return self._eval_text(proc, " ".join(argv[1:]))

    def _eval_text(self, proc: Proc, text: str) -> Result:
        try:
            program = self._parse(text)
        except ShellSyntaxError as exc:
            return Result("", f"{SH}: {_syntax_message(exc)}\n", 1)
        if proc.depth >= MAX_DEPTH:
            return Result("", f"{SH}: too deeply nested\n", 1)
        proc.depth += 1
        try:
            status = self.exec_list(program, proc)
        finally:
            proc.depth -= 1
        return Result(status=status)

    def _b_break(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        raise _Break(_count(argv), again=False)

    def _b_continue(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        raise _Break(_count(argv), again=True)

    def _b_exit(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        if len(argv) < 2:
            raise ExitShell(proc.status)
        try:
            raise ExitShell(int(argv[1]) & 0xFF)
        except ValueError:
            return Result("", f"{SH}: exit: {argv[1]}: bad number\n", 1)

    def _b_return(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        status = proc.status
        if len(argv) > 1:
            try:
                status = int(argv[1]) & 0xFF
            except ValueError:
                return Result("", f"{SH}: return: {argv[1]}: bad number\n", 1)
        if proc.depth == 0:
            raise ExitShell(status)
        raise _Return(status)

    def _b_export(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        for arg in argv[1:]:
            if arg.startswith("-"):
                continue
            name, eq, value = arg.partition("=")
            if not _NAME.fullmatch(name):
                return Result("", f"{SH}: {argv[0]}: {name}: is not an identifier\n", 1)
            if eq:
                proc.vars[name] = value
            proc.exported.add(name)
        return Result()

    def _b_local(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        for arg in argv[1:]:
            if arg.startswith("-"):
                continue
            name, eq, value = arg.partition("=")
            if not _NAME.fullmatch(name):
                return Result("", f"{SH}: {argv[0]}: {name}: is not an identifier\n", 1)
            if proc.locals and name not in proc.locals[-1]:
                proc.locals[-1][name] = proc.vars.get(name)
            if eq:
                proc.vars[name] = value
            elif proc.locals:
                proc.vars.pop(name, None)
        return Result()

    def _b_set(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        args = argv[1:]
        if not args:
            return Result("".join(f"{k}={_quote(v)}\n" for k, v in sorted(proc.vars.items())))
        while args and args[0][:1] in ("-", "+") and args[0] != "--":
            if args[0] in ("-", "+"):
                args = args[1:]
                proc.params = args
                return Result()
            args = args[2:] if args[0] in ("-o", "+o") and len(args) > 1 else args[1:]
        if args and args[0] == "--":
            args = args[1:]
            proc.params = args
        elif args:
            proc.params = args
        return Result()

    def _b_shift(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        count = 1
        if len(argv) > 1:
            try:
                count = int(argv[1])
            except ValueError:
                return Result("", f"{SH}: shift: {argv[1]}: bad number\n", 1)
        if count > len(proc.params) or count < 0:
            return Result("", f"{SH}: shift: {count}: bad number\n", 1)
        proc.params = proc.params[count:]
        return Result()

    def _b_trap(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        args = argv[1:]
        if args and args[0] == "--":
            args = args[1:]
        if not args:
            lines = []
            for signal, action in sorted(proc.traps.items()):
                name = "EXIT" if signal == 0 else SIGNAL_NAMES.get(signal, str(signal))
                lines.append(f"trap -- {_quote(action)} {name}\n")
            return Result("".join(lines))
        if len(args) == 1 or (_signal_number(args[0]) is not None and args[0].isdigit()):
            action, names = "-", args
        else:
            action, names = args[0], args[1:]
        errors: list[str] = []
        for name in names:
            number = _signal_number(name)
            if number is None:
                errors.append(f"{SH}: trap: bad signal '{name}'\n")
                continue
            signal = number
            if signal in proc.ignored_on_entry:
                continue  # POSIX: a signal ignored on entry stays ignored
            if action == "-":
                proc.traps.pop(signal, None)
            else:
                proc.traps[signal] = action
        return Result("", "".join(errors), 1 if errors else 0)

    def _b_unset(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        functions = "-f" in argv[1:2]
        for name in argv[1:]:
            if name in ("-f", "-v"):
                continue
            if functions:
                proc.funcs.pop(name, None)
            else:
                proc.vars.pop(name, None)
                proc.exported.discard(name)
        return Result()

    def _b_cd(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        target = argv[1] if len(argv) > 1 else proc.vars.get("HOME", "/")
        path = self._path(target, proc)
        if not self.system.file_test("-d", path):
            return Result("", f"{SH}: cd: {path}: No such file or directory\n", 2)
        proc.cwd = path
        proc.vars["PWD"] = path
        return Result()

    def _b_read(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        raw = False
        names: list[str] = []
        args = argv[1:]
        while args and args[0].startswith("-") and len(args[0]) > 1:
            flag = args.pop(0)
            if flag == "-r":
                raw = True
            elif flag in ("-p", "-u", "-t", "-n", "-d"):
                if args:
                    args.pop(0)
            elif flag == "--":
                break
        names = args or ["REPLY"]
        line = stdin.read_line() if stdin is not None else None
        if line is None:
            for name in names:
                proc.vars[name] = ""
            return Result(status=1)
        complete = line.endswith("\n")
        text = line[:-1] if complete else line
        if not raw:
            while text.endswith("\\") and not text.endswith("\\\\"):
                more = stdin.read_line()
                if more is None:
                    text = text[:-1]
                    break
                complete = more.endswith("\n")
                text = text[:-1] + (more[:-1] if complete else more)
            text = re.sub(r"\\(.)", r"\1", text)
        ifs = proc.vars.get("IFS", " \t\n")
        white = "".join(c for c in ifs if c in " \t\n")
        text = text.strip(white) if white else text
        values: list[str] = []
        rest = text
        for number in range(len(names)):
            if number == len(names) - 1:
                values.append(rest.rstrip(white) if white else rest)
                break
            pieces = _split_ifs(rest, ifs, limit=1) if ifs else [rest]
            values.append(pieces[0])
            rest = pieces[1] if len(pieces) > 1 else ""
        for name, value in zip(names, values, strict=False):
            if not _NAME.fullmatch(name):
                return Result("", f"{SH}: read: {name}: is not an identifier\n", 2)
            proc.vars[name] = value
        for name in names[len(values) :]:
            proc.vars[name] = ""
        return Result(status=0 if complete else 1)

    def _b_test(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        args = argv[1:]
        if argv[0] == "[":
            if not args or args[-1] != "]":
                return Result("", f"{SH}: [: missing ]\n", 2)
            args = args[:-1]

        def number(text: str) -> int:
            try:
                return shbuiltins.arith(text, lambda n: self._var(n, proc), proc.vars.__setitem__)
            except shbuiltins.ArithError as exc:
                raise shbuiltins.TestError(str(exc)) from None

        def file_test(op: str, path: str) -> bool:
            return self.system.file_test(op, self._path(path, proc) if path else path)

        try:
            ok = shbuiltins.test(args, file_test, number)
        except shbuiltins.TestError as exc:
            return Result("", f"{SH}: {argv[0]}: {exc}\n", 2)
        return Result(status=0 if ok else 1)

    def _b_printf(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        if len(argv) < 2:
            return Result("", "printf: usage: printf format [arguments]\n", 1)
        out, err, status = shbuiltins.printf(argv[1], argv[2:])
        return Result(out, err, status)

    def _b_kill(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        args = argv[1:]
        signal = SIGNALS["TERM"]
        if args and args[0] == "-l":
            return Result(" ".join(SIGNAL_NAMES[n] for n in sorted(SIGNAL_NAMES)) + "\n")
        if args and args[0] == "-s" and len(args) > 1:
            number = _signal_number(args[1])
            if number is None:
                return Result("", f"{SH}: kill: {args[1]}: unknown signal\n", 1)
            signal, args = number, args[2:]
        elif args and args[0].startswith("-") and args[0] != "--":
            number = _signal_number(args[0][1:])
            if number is None:
                return Result("", f"{SH}: kill: {args[0][1:]}: unknown signal\n", 1)
            signal, args = number, args[1:]
        if args and args[0] == "--":
            args = args[1:]
        if not args:
            return Result(
                "",
                "kill: usage: kill [-s signame | -signum | -signame] { job | pid | pgrp } ...\n",
                1,
            )
        errors = []
        for target in args:
            if not re.fullmatch(r"-?[0-9]+", target):
                errors.append(f"{SH}: kill: {target}: arguments must be jobs or process IDs\n")
                continue
            error = self.system.kill(proc, int(target), signal)
            if error is not None:
                errors.append(f"{SH}: kill: {target}: {error}\n")
        return Result("", "".join(errors), 1 if errors else 0)

    def _b_wait(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        if len(argv) > 1:
            status = 0
            for target in argv[1:]:
                if not target.isdigit():
                    return Result("", f"{SH}: wait: {target}: bad number\n", 1)
                status = self.system.wait(proc, int(target))
            return Result(status=status)
        return Result(status=self.system.wait(proc, None))

    def _b_sleep(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        """toybox `sleep DURATION...` (decimal, suffix s/m/h/d): nanosleep on CLOCK_MONOTONIC.
        A process of its own on a phone; here the device blocks the caller."""
        if len(argv) < 2:
            return Result("", "sleep: Need 1 argument\n", 1)
        total = 0.0
        for arg in argv[1:]:
            match = _DURATION.fullmatch(arg)
            if match is None:
                return Result("", f"sleep: bad duration '{arg}'\n", 1)
            total += float(match.group(1)) * _UNIT[match.group(2)]
        return Result(status=self.system.sleep(proc, total, argv))

    def _b_sh(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        """`sh FILE [ARGS]`, `sh -c CMD [NAME ARGS]`: a child mksh (exec'd in place when last)."""
        args = argv[1:]
        while args and args[0] in ("-e", "-x", "-u", "-eu", "-ex"):
            args = args[1:]
        if not args:
            return Result()  # sh reading an empty stdin
        if args[0] == "-c":
            if len(args) < 2:
                return Result("", f"{SH}: -c: option requires an argument\n", 1)
            src, name, params = args[1], (args[2] if len(args) > 2 else SH), args[3:]
        else:
            path = self._path(args[0], proc)
            text = self.system.read_file(path)
            if text is None:
                return Result("", f"{SH}: {args[0]}: No such file or directory\n", 127)
            src, name, params = text, args[0], args[1:]
        return self._child_shell(proc, argv, src, name, params)

    def _child_shell(
        self, proc: Proc, argv: list[str], src: str, name: str, params: list[str]
    ) -> Result:
        reuse = proc.exec_last
        pid = proc.pid if reuse else self.system.new_pid()
        env = {k: v for k, v in proc.vars.items() if k in proc.exported}
        child = Proc(
            pid=pid,
            args=list(argv),
            vars=dict(env),
            exported=set(env),
            fds=dict(proc.fds),
            params=list(params),
            argv0=name,
            ignored_on_entry={s for s in SIGNALS.values() if proc.ignores(s)},
            cwd=proc.cwd,
            depth=proc.depth + 1,
            session=proc.session,
        )
        self.system.enter(child, proc, list(argv), reuse=reuse)
        try:
            try:
                program = self._parse(src)
            except ShellSyntaxError as exc:
                return Result("", f"{name}: {_syntax_message(exc)}\n", 1)
            status = self.run_program(child, program)
        finally:
            if not reuse:
                self.system.leave(child)
        return Result(status=status)

    def _b_setsid(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        """toybox setsid: setsid() then exec (no fork: a child of a non-interactive mksh is
        never a process-group leader)."""
        if len(argv) < 2:
            return Result("", "usage: setsid [-cdw] command [args...]\n", 1)
        args = argv[1:]
        while args and args[0] in ("-c", "-d", "-w"):
            args = args[1:]
        self.system.set_session(proc)
        return self._exec_argv(proc, args)

    def _b_nohup(self, proc: Proc, argv: list[str], stdin: Input) -> Result:
        """toybox nohup: SIGHUP ignored, then exec (stdout is not a tty: no nohup.out)."""
        if len(argv) < 2:
            return Result("", "usage: nohup COMMAND [ARG...]\n", 125)
        proc.ignored_on_entry.add(SIGNALS["HUP"])
        return self._exec_argv(proc, argv[1:])

    def _exec_argv(self, proc: Proc, argv: list[str]) -> Result:
        """exec of a command from within setsid/nohup (the same process)."""
        saved = proc.exec_last
        proc.exec_last = True
        try:
            words = [Word([(a, "lit")], quoted=True) for a in argv]
            status = self.exec_simple(Simple(words, []), proc)
        finally:
            proc.exec_last = saved
        return Result(status=status)


class _ExpansionError(Exception):
    pass


_LITERAL = ("lit", "qlit")
_STDIN_READERS = {"cat", "grep", "head", "tail", "wc", "tr", "cut", "sh", "sort", "uniq", "xargs"}
_OVERRIDABLE = {
    "sleep",
    "sh",
    "setsid",
    "nohup",
    "kill",
    "printf",
    "test",
    "[",
    "read",
    "cd",
    "pwd",
    "wait",
    "true",
    "false",
}
_SPECIAL = {
    ".",
    ":",
    "break",
    "continue",
    "eval",
    "exec",
    "exit",
    "export",
    "readonly",
    "return",
    "set",
    "shift",
    "trap",
    "unset",
}
_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _count(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1].isdigit() and int(argv[1]) > 0:
        return int(argv[1])
    return 1


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _syntax_message(exc: ShellSyntaxError) -> str:
    return str(exc)


def _split_ifs(text: str, ifs: str, limit: int = 0) -> list[str]:
    """Split on IFS: runs of IFS whitespace, or one non-white IFS char with white around.
    A separator at the start gives a leading "" (the caller ends the current field), one at
    the end a trailing "" (what follows starts a new field)."""
    white = "".join(re.escape(c) for c in ifs if c in " \t\n")
    other = "".join(re.escape(c) for c in ifs if c not in " \t\n")
    if white and other:
        pattern = f"[{white}]*[{other}][{white}]*|[{white}]+"
    elif white:
        pattern = f"[{white}]+"
    else:
        pattern = f"[{other}]"
    return re.split(pattern, text, maxsplit=max(limit, 0))


def _escape_glob(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _case_match(text: str, pattern: str) -> bool:
    try:
        return fnmatch.fnmatchcase(text, pattern)
    except re.error:
        return text == pattern
