"""A small `sh -c` (mksh, /system/bin/sh) for the virtual phone.

What adb clients and people send: command lists (`;`, newlines, `&&`, `||`), pipelines,
`!`, quoting (single, double, backslash; the official client single-quotes every
`exec-out` argument), `$?`/`$VAR` expansion, `VAR=value` assignments, comments,
redirections (`>/dev/null`, `2>&1`, `>&2`, `>`/`>>` into a small in-memory /data/local/tmp
and /sdcard). Unknown commands answer as mksh does: `/system/bin/sh: X: inaccessible or
not found`, exit 127. Compound commands (`if`, `for`, `while`, `case`, subshells, command
substitution) are not implemented: they answer with a syntax error instead of doing
something subtly different from a phone.

Never raises on any input except `ConnectionDropped` (the link fault, by design).
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Literal

SH = "/system/bin/sh"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")
_DIGITS = re.compile(r"[0-9]+")
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


class ShellSyntaxError(Exception):
    pass


@dataclass
class Result:
    out: str = ""
    err: str = ""
    status: int = 0
    merged: str | None = None  # stdout and stderr in write order (one pipe for raw shell:)


# Where a command's stream goes: our stdout or stderr, nowhere, or (file path, append).
Sink = Literal["out", "err", "null"] | tuple[str, bool]


class _Tee(list[str]):
    """A stream's chunks that also go, in order, to the merged stream."""

    def __init__(self, merged: list[str]) -> None:
        super().__init__()
        self.merged = merged

    def append(self, text: str) -> None:
        super().append(text)
        self.merged.append(text)


@dataclass
class Word:
    """A word as parts: (text, kind) with kind 'lit' or 'var'; `quoted` marks any quoting."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    quoted: bool = False

    def literal(self) -> str | None:
        if len(self.parts) == 1:
            text, kind = self.parts[0]
            return text if kind == "lit" else None
        if all(kind == "lit" for _, kind in self.parts):
            return "".join(text for text, _ in self.parts)
        return None


@dataclass
class Redir:
    fd: int
    op: str  # '>', '>>', '<', '>&', '<&'
    target: Word


@dataclass
class Simple:
    words: list[Word]
    redirs: list[Redir]


@dataclass
class Pipeline:
    commands: list[Simple]
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]]


# ---------------------------------------------------------------------------- lexer


# Characters with no special meaning outside quotes, and inside double quotes.
# A redirection to fd 1/2 or /dev/null, followed by a blank, `;`, `|`, `&` or the end.
_COMMON_REDIRECT = re.compile(r"(>&|>)([12]|/dev/null)(?=[ \t\n;&|]|$)")
_PLAIN_RUN = re.compile(r"[^ \t\n;&|()<>'\"\\$`#]+")
_QUOTED_RUN = re.compile(r'[^"\\$]+')


def _lex(src: str) -> list[object]:
    tokens: list[object] = []
    i = 0
    n = len(src)
    word: Word | None = None

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

    def add(text: str, kind: str = "lit") -> None:
        w = cur()
        if kind == "lit" and w.parts and w.parts[-1][1] == "lit":
            w.parts[-1] = (w.parts[-1][0] + text, "lit")
        else:
            w.parts.append((text, kind))

    def read_var(j: int) -> tuple[str | None, int]:
        # src[j] == '$'
        if j + 1 >= n:
            return None, j + 1
        c = src[j + 1]
        if c in "?$#!0123456789-*@":
            return c, j + 2
        if c == "{":
            end = src.find("}", j + 2)
            if end < 0:
                raise ShellSyntaxError("${: bad substitution")
            name = src[j + 2 : end]
            if not name or not (name in "?$#!" or _NAME.fullmatch(name)):
                raise ShellSyntaxError(f"{src[j : end + 1]}: bad substitution")
            return name, end + 1
        if _NAME.match(c):
            k = j + 1
            while k < n and _NAME_CHAR.match(src[k]):
                k += 1
            return src[j + 1 : k], k
        if c == "(":
            raise ShellSyntaxError("command substitution is not supported here")
        return None, j + 1

    while i < n:
        plain = _PLAIN_RUN.match(src, i)
        if plain is not None:  # most of any script: ordinary characters, at once
            text = plain.group()
            if word is None:
                word = Word([(text, "lit")])
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
        elif c == "#" and word is None:
            while i < n and src[i] != "\n":
                i += 1
        elif c in ";&|":
            flush()
            two = src[i : i + 2]
            if two in ("&&", "||", ";;"):
                if two == ";;":
                    raise ShellSyntaxError("';;' unexpected")
                tokens.append(("op", two))
                i += 2
            else:
                tokens.append(("op", c))
                i += 1
        elif c in "()":
            raise ShellSyntaxError(f"'{c}' unexpected")
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
            if src.startswith(">>", i):
                op, i = ">>", i + 2
            elif src.startswith(">&", i) or src.startswith("<&", i):
                op, i = src[i : i + 2], i + 2
            elif src.startswith(">|", i):
                op, i = ">", i + 2
            else:
                op, i = c, i + 1
            while i < n and src[i] in " \t":
                i += 1
            start = len(tokens)
            # Read the target word with the same rules, up to the next blank/operator.
            sub_end = i
            depth_quote: str | None = None
            while sub_end < n:
                ch = src[sub_end]
                if depth_quote:
                    if ch == depth_quote:
                        depth_quote = None
                    elif ch == "\\" and depth_quote == '"':
                        sub_end += 1
                elif ch in "'\"":
                    depth_quote = ch
                elif ch == "\\":
                    sub_end += 1
                elif ch in " \t\n;&|<>()":
                    break
                sub_end += 1
            if depth_quote:
                raise ShellSyntaxError("no closing quote")
            target_tokens = _lex(src[i:sub_end]) if sub_end > i else []
            if len(target_tokens) != 1 or not isinstance(target_tokens[0], Word):
                raise ShellSyntaxError(
                    "newline unexpected" if sub_end >= n else f"'{src[sub_end]}' unexpected"
                )
            del tokens[start:]
            tokens.append(Redir(fd, op, target_tokens[0]))
            i = sub_end
        elif c == "'":
            end = src.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("no closing quote")
            cur().quoted = True
            add(src[i + 1 : end])
            i = end + 1
        elif c == '"':
            cur().quoted = True
            j = i + 1
            while True:
                if j >= n:
                    raise ShellSyntaxError("no closing quote")
                ch = src[j]
                if ch == '"':
                    j += 1
                    break
                if ch == "\\" and j + 1 < n and src[j + 1] in '$`"\\\n':
                    if src[j + 1] != "\n":
                        add(src[j + 1])
                    j += 2
                elif ch == "$":
                    name, j2 = read_var(j)
                    if name is None:
                        add("$")
                        j += 1
                    else:
                        add(name, "var")
                        j = j2
                else:
                    quoted = _QUOTED_RUN.match(src, j)
                    end = quoted.end() if quoted else j + 1
                    add(src[j:end])
                    j = end
            i = j
        elif c == "\\":
            if i + 1 < n:
                if src[i + 1] != "\n":
                    cur().quoted = True
                    add(src[i + 1])
                i += 2
            else:
                add("\\")
                i += 1
        elif c == "$":
            name, j = read_var(i)
            if name is None:
                add("$")
                i += 1
            else:
                add(name, "var")
                i = j
        elif c == "`":
            raise ShellSyntaxError("command substitution is not supported here")
        else:
            plain = _PLAIN_RUN.match(src, i)  # a run of ordinary characters at once
            end = plain.end() if plain else i + 1
            add(src[i:end])
            i = end
    flush()
    return tokens


# --------------------------------------------------------------------------- parser


def parse(src: str) -> list[AndOr]:
    tokens = _lex(src)
    pos = 0
    lists: list[AndOr] = []

    def peek() -> object | None:
        return tokens[pos] if pos < len(tokens) else None

    def describe(tok: object | None) -> str:
        if tok is None or tok == ("op", "\n"):
            return "newline"
        return f"'{tok[1]}'" if isinstance(tok, tuple) else "word"

    def parse_command() -> Simple:
        nonlocal pos
        words: list[Word] = []
        redirs: list[Redir] = []
        while True:
            tok = peek()
            if isinstance(tok, Word):
                if not words and not tok.quoted and tok.literal() in RESERVED:
                    raise ShellSyntaxError(f"'{tok.literal()}' unexpected")
                words.append(tok)
                pos += 1
            elif isinstance(tok, Redir):
                redirs.append(tok)
                pos += 1
            else:
                break
        if not words and not redirs:
            raise ShellSyntaxError(f"{describe(peek())} unexpected")
        return Simple(words, redirs)

    def parse_pipeline() -> Pipeline:
        nonlocal pos
        negate = False
        tok = peek()
        if isinstance(tok, Word) and not tok.quoted and tok.literal() == "!":
            negate = True
            pos += 1
        commands = [parse_command()]
        while peek() == ("op", "|"):
            pos += 1
            while peek() == ("op", "\n"):
                pos += 1
            commands.append(parse_command())
        return Pipeline(commands, negate)

    while pos < len(tokens):
        tok = peek()
        if tok == ("op", "\n"):
            pos += 1
            continue
        first = parse_pipeline()
        rest: list[tuple[str, Pipeline]] = []
        while peek() in (("op", "&&"), ("op", "||")):
            op = "&&" if peek() == ("op", "&&") else "||"
            pos += 1
            while peek() == ("op", "\n"):
                pos += 1
            rest.append((op, parse_pipeline()))
        lists.append(AndOr(first, rest))
        tok = peek()
        if tok is None:
            break
        if tok in (("op", ";"), ("op", "&"), ("op", "\n")):
            pos += 1
            continue
        raise ShellSyntaxError(f"{describe(tok)} unexpected")
    return lists


# ------------------------------------------------------------------------- executor

CommandFn = Callable[[list[str], str], Result]


class ExitShell(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


@dataclass
class Shell:
    """Runs parsed command lines against a table of commands (name -> fn(argv, stdin))."""

    commands: dict[str, CommandFn]
    before_command: Callable[[str], None]
    files: MutableMapping[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def run(self, src: str) -> Result:
        merged: list[str] = []
        out: list[str] = _Tee(merged)
        err: list[str] = _Tee(merged)
        status = 0
        vars_: dict[str, str] = dict(self.env)
        try:
            program = parse(src)
        except ShellSyntaxError as exc:
            message = str(exc)
            if message.endswith(" unexpected"):
                message = "syntax error: " + message
            return Result("", f"{SH}: {message}\n", 1)
        try:
            for and_or in program:
                status = self._pipeline(and_or.first, status, vars_, out, err)
                for op, pipeline in and_or.rest:
                    if (op == "&&" and status == 0) or (op == "||" and status != 0):
                        status = self._pipeline(pipeline, status, vars_, out, err)
        except ExitShell as done:
            status = done.status
        return Result("".join(out), "".join(err), status, "".join(merged))

    def _expand(self, word: Word, last: int, vars_: dict[str, str]) -> str:
        pieces = []
        for text, kind in word.parts:
            if kind == "lit":
                pieces.append(text)
            elif text == "?":
                pieces.append(str(last))
            elif text == "$":
                pieces.append("4242")
            elif text == "#":
                pieces.append("0")
            elif text == "0":
                pieces.append(SH)
            else:
                pieces.append(vars_.get(text, ""))
        return "".join(pieces)

    def _pipeline(
        self, pipeline: Pipeline, last: int, vars_: dict[str, str], out: list[str], err: list[str]
    ) -> int:
        stdin = ""
        status = last
        count = len(pipeline.commands)
        for index, command in enumerate(pipeline.commands):
            piped = index < count - 1
            result, sinks = self._simple(command, stdin, last, vars_)
            status = result.status
            stdin = ""
            for text, sink in ((result.out, sinks[1]), (result.err, sinks[2])):
                if not text or sink == "null":
                    continue
                if sink == "out":
                    if piped:
                        stdin += text
                    else:
                        out.append(text)
                elif sink == "err":
                    err.append(text)
                else:
                    name, append = sink
                    self.files[name] = (self.files.get(name, "") if append else "") + text
        if pipeline.negate:
            status = 0 if status else 1
        return status

    def _simple(
        self, command: Simple, stdin: str, last: int, vars_: dict[str, str]
    ) -> tuple[Result, dict[int, Sink]]:
        sinks: dict[int, Sink] = {1: "out", 2: "err"}
        argv = [self._expand(w, last, vars_) for w in command.words]
        assignments: dict[str, str] = {}
        while argv and "=" in argv[0] and not command.words[len(assignments)].quoted:
            name, _, value = argv[0].partition("=")
            if not name or not _NAME.fullmatch(name):
                break
            assignments[name] = value
            argv.pop(0)
        for redir in command.redirs:
            target = self._expand(redir.target, last, vars_)
            if redir.op in (">&", "<&"):
                if target == "-":
                    sinks[redir.fd] = "null"
                elif target in ("1", "2"):
                    sinks[redir.fd] = sinks[int(target)]
                elif _DIGITS.fullmatch(target):
                    return Result("", f"{SH}: {target}: bad file descriptor\n", 1), {
                        1: "out",
                        2: "err",
                    }
                else:
                    file_sink = self._file_sink(target, False)
                    if isinstance(file_sink, Result):
                        return file_sink, {1: "out", 2: "err"}
                    sinks[redir.fd] = file_sink
            elif redir.op in (">", ">>"):
                sink = self._file_sink(target, redir.op == ">>")
                if isinstance(sink, Result):
                    return sink, {1: "out", 2: "err"}
                sinks[redir.fd] = sink
                if sink not in ("null",):
                    self.files.setdefault(target, "") if redir.op == ">>" else None
            elif redir.op == "<":
                if target == "/dev/null":
                    stdin = ""
                elif target in self.files:
                    stdin = self.files[target]
                else:
                    return (
                        Result("", f"{SH}: can't open {target}: No such file or directory\n", 1),
                        {1: "out", 2: "err"},
                    )
        if not argv:
            vars_.update(assignments)
            return Result(), sinks
        self.before_command(argv[0])
        if argv[0] == "exit":
            raise ExitShell(self._exit_status(argv, last))
        fn = self.commands.get(argv[0])
        if fn is None:
            return Result("", f"{SH}: {argv[0]}: inaccessible or not found\n", 127), sinks
        return fn(argv, stdin), sinks

    def _file_sink(self, target: str, append: bool) -> Sink | Result:
        if target == "/dev/null":
            return "null"
        if target.startswith(("/data/local/tmp/", "/sdcard/", "/storage/emulated/0/")):
            if not append:
                self.files[target] = ""
            return (target, True)
        return Result("", f"{SH}: can't create {target}: Read-only file system\n", 1)

    @staticmethod
    def _exit_status(argv: list[str], last: int) -> int:
        if len(argv) < 2:
            return last
        try:
            return int(argv[1]) & 0xFF
        except ValueError:
            return 1
