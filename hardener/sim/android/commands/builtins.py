"""Shell builtins and the few toybox tools scripts pipe through (echo, grep, head, wc...)."""

from __future__ import annotations

import re
from collections.abc import Mapping

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


_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def sleep(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    """toybox `sleep DURATION...` (decimal, suffix s/m/h/d). Its error text is not from a
    capture: hardener only ever sends `sleep 1`."""
    if len(argv) < 2:
        return Result("", "sleep: Need 1 argument\n", 1)
    total = 0.0
    for arg in argv[1:]:
        match = _DURATION.fullmatch(arg)
        if match is None:
            return Result("", f"sleep: bad duration '{arg}'\n", 1)
        total += float(match.group(1)) * _UNIT[match.group(2)]
    ctx.model.wait(total)
    return Result()


def true(_argv: list[str], _stdin: str) -> Result:
    return Result()


def false(_argv: list[str], _stdin: str) -> Result:
    return Result(status=1)


def cat(argv: list[str], stdin: str, files: Mapping[str, str]) -> Result:
    if len(argv) == 1:
        return Result(stdin)
    out, err, status = [], [], 0
    for name in argv[1:]:
        if name == "-":
            out.append(stdin)
        elif name in files:
            out.append(files[name])
        else:
            err.append(f"cat: {name}: No such file or directory\n")
            status = 1
    return Result("".join(out), "".join(err), status)


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


def pidof(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    pids = []
    for name in argv[1:]:
        pkg = ctx.model.packages.get(name)
        if pkg is None:
            continue
        for state in pkg.users.values():
            if state.running and state.pid:
                pids.append(str(state.pid))
    if not pids:
        return Result(status=1)
    return Result(" ".join(pids) + "\n")


def getprop(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    props = ctx.model.props
    if len(argv) == 1:
        return Result("".join(f"[{k}]: [{props[k]}]\n" for k in sorted(props)))
    if len(argv) > 1 and argv[1].startswith("-"):
        return Result("", f"getprop: Unknown option '{argv[1][1:2]}'\n", 1)
    value = props.get(argv[1])
    if value is None or value == "":
        value = argv[2] if len(argv) > 2 else ""
    return Result(value + "\n")
