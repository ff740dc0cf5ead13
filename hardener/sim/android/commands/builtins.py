"""Shell builtins and the few toybox tools scripts pipe through (echo, grep, head, wc...)."""

from __future__ import annotations

import re

from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.shell import Result

_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def _unescape(text: str) -> tuple[str, bool]:
    """mksh `echo`/`print` escapes; returns (text, stop) where stop means `\\c` was seen."""
    if "\\" not in text:  # every marker echo of a phase script: nothing to do
        return text, False
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "c":
            return "".join(out), True
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "0":
            j = i + 2
            digits = ""
            while j < len(text) and len(digits) < 3 and text[j] in "01234567":
                digits += text[j]
                j += 1
            out.append(chr(int(digits or "0", 8)))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out), False


def echo(argv: list[str], _stdin: str) -> Result:
    args = argv[1:]
    newline = True
    escapes = True
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        for flag in args[0][1:]:
            if flag == "n":
                newline = False
            elif flag == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = _unescape(text)
        if stop:
            return Result(text)
    return Result(text + ("\n" if newline else ""))


def true(argv: list[str], stdin: str) -> Result:
    return Result()


def false(_argv: list[str], _stdin: str) -> Result:
    return Result(status=1)


def grep(argv: list[str], stdin: str) -> Result:
    count = quiet = invert = ignore = fixed = False
    patterns: list[str] = []
    args = argv[1:]
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-e" and i + 1 < len(args):
            patterns.append(args[i + 1])
            i += 2
            continue
        if arg.startswith("-") and len(arg) > 1 and not rest:
            for flag in arg[1:]:
                if flag == "c":
                    count = True
                elif flag == "q":
                    quiet = True
                elif flag == "v":
                    invert = True
                elif flag == "i":
                    ignore = True
                elif flag == "F":
                    fixed = True
                elif flag == "E":
                    pass
                else:
                    return Result("", f"grep: Unknown option '{flag}'\n", 2)
        else:
            rest.append(arg)
        i += 1
    if not patterns:
        if not rest:
            return Result(
                "",
                "usage: grep [-EFHIabcdhilnoqrsvwxZz] [-ABC NUM] [-m MAX] "
                "[-e REGEX]... [-MS PATTERN]... [-f REGFILE] [FILE]...\n",
                2,
            )
        patterns.append(rest.pop(0))
    if rest:
        return Result("", f"grep: {rest[0]}: No such file or directory\n", 2)
    try:
        regexes = [
            re.compile(re.escape(p) if fixed else p, re.I if ignore else 0) for p in patterns
        ]
    except re.error:
        return Result("", f"grep: bad regex '{patterns[0]}'\n", 2)
    lines = stdin.splitlines(keepends=True)
    hits = [line for line in lines if any(r.search(line.rstrip("\n")) for r in regexes) != invert]
    status = 0 if hits else 1
    if quiet:
        return Result(status=status)
    if count:
        return Result(f"{len(hits)}\n", status=status)
    return Result(
        "".join(line if line.endswith("\n") else line + "\n" for line in hits), status=status
    )


def head(argv: list[str], stdin: str) -> Result:
    n = 10
    args = argv[1:]
    if len(args) >= 2 and args[0] == "-n" and re.fullmatch(r"[0-9]+", args[1]):
        n = int(args[1])
    elif args and re.fullmatch(r"-[0-9]+", args[0]):
        n = int(args[0][1:])
    lines = stdin.splitlines(keepends=True)[:n]
    return Result("".join(lines))


def wc(argv: list[str], stdin: str) -> Result:
    if "-l" in argv[1:]:
        return Result(f"{stdin.count(chr(10))}\n")
    words = len(stdin.split())
    return Result(f"{stdin.count(chr(10)):>7} {words:>7} {len(stdin.encode()):>7}\n")


def getprop(ctx: Ctx, argv: list[str], stdin: str) -> Result:
    props = ctx.model.props
    if len(argv) == 1:
        return Result("".join(f"[{k}]: [{props[k]}]\n" for k in sorted(props)))
    if len(argv) > 1 and argv[1].startswith("-"):
        return Result("", f"getprop: Unknown option '{argv[1][1:2]}'\n", 1)
    value = props.get(argv[1])
    if value is None or value == "":
        value = argv[2] if len(argv) > 2 else ""
    return Result(value + "\n")


def tail(argv: list[str], stdin: str) -> Result:
    """toybox `tail [-n N|-N]` on stdin."""
    n = 10
    args = argv[1:]
    if len(args) >= 2 and args[0] == "-n" and re.fullmatch(r"\+?[0-9]+", args[1]):
        if args[1].startswith("+"):
            return Result("".join(stdin.splitlines(keepends=True)[int(args[1]) - 1 :]))
        n = int(args[1])
    elif args and re.fullmatch(r"-[0-9]+", args[0]):
        n = int(args[0][1:])
    lines = stdin.splitlines(keepends=True)
    return Result("".join(lines[-n:] if n else []))


def _tr_set(text: str) -> str:
    text, _ = _unescape(text)
    out: list[str] = []
    i = 0
    while i < len(text):
        if i + 2 < len(text) and text[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(text[i]), ord(text[i + 2]) + 1))
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def tr(argv: list[str], stdin: str) -> Result:
    """toybox `tr [-d] SET1 [SET2]` (ranges and backslash escapes such as \\0 and \\n)."""
    args = argv[1:]
    delete = bool(args) and args[0] == "-d"
    if delete:
        args = args[1:]
    if not args or (not delete and len(args) < 2):
        return Result("", "tr: Needs 1-2 arguments\n", 1)
    first = _tr_set(args[0])
    if delete:
        return Result(stdin.translate({ord(c): None for c in first}))
    second = _tr_set(args[1])
    if not second:
        return Result(stdin)
    second = second + second[-1] * max(0, len(first) - len(second))
    return Result(stdin.translate({ord(a): b for a, b in zip(first, second, strict=False)}))


def cut(argv: list[str], stdin: str) -> Result:
    """toybox `cut -d C -f LIST` (fields joined by the delimiter)."""
    delim, fields = "\t", ""
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-d"):
            delim = arg[2:] or (args[i + 1] if i + 1 < len(args) else "\t")
            i += 1 if arg[2:] else 2
            continue
        if arg.startswith("-f"):
            fields = arg[2:] or (args[i + 1] if i + 1 < len(args) else "")
            i += 1 if arg[2:] else 2
            continue
        i += 1
    wanted: set[int] = set()
    open_end: int | None = None
    for part in fields.split(","):
        if re.fullmatch(r"[0-9]+", part):
            wanted.add(int(part))
        elif re.fullmatch(r"[0-9]+-[0-9]+", part):
            low, high = part.split("-")
            wanted.update(range(int(low), int(high) + 1))
        elif re.fullmatch(r"[0-9]+-", part):
            open_end = int(part[:-1])
        else:
            return Result("", "cut: usage: cut -d DELIM -f LIST\n", 1)
    out = []
    for line in stdin.splitlines():
        pieces = line.split(delim[:1])
        if len(pieces) == 1:
            out.append(line)
            continue
        picked = [
            p
            for number, p in enumerate(pieces, 1)
            if number in wanted or (open_end is not None and number >= open_end)
        ]
        out.append(delim[:1].join(picked))
    return Result("".join(line + "\n" for line in out))
