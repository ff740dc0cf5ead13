"""mksh's arithmetic, `test`/`[` and `printf`, as pure functions for the virtual phone's sh.

* Arithmetic (`$((...))`, `test -lt` operands): mksh computes "using an exactly 32-bit wide,
  signed (two's complement) ... type with silent wraparound on integer overflow" (mksh.1,
  Arithmetic expressions); C operators and precedence; `base#number` constants; a leading 0
  is decimal (mksh, not POSIX mode). A variable's value is itself evaluated; unset or empty
  is 0. Division truncates toward zero (C).
* `test`: POSIX test(1) argument-count rules, then mksh's `-a`/`-o`/`!`/`( )` grammar
  (funcs.c `c_test`, `test_eval`); integer operators evaluate their operands as
  arithmetic expressions (funcs.c TO_INTEQ... calls `evaluate`).
* `printf`: the POSIX utility (toybox printf.c / mksh's builtin): `%s %d %i %u %x %X %o %c
  %b %%`, flags `-+ 0#`, width and precision, `\\` escapes in the format, the format reused
  until the arguments run out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

INT_MIN = -(2**31)


class ArithError(Exception):
    pass


def wrap32(value: int) -> int:
    return ((value - INT_MIN) % 2**32) + INT_MIN


_ARITH_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+#[0-9A-Za-z@_]+|0[xX][0-9A-Fa-f]+|[0-9]+)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><<=|>>=|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|[-+*/%<>&|^!~?:=(),]))"
)

_PLAIN = re.compile(r"\s*-?[1-9][0-9]{0,17}\s*|\s*0\s*")
_NAME = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*")
_BINARY = {
    "||": 1,
    "&&": 2,
    "|": 3,
    "^": 4,
    "&": 5,
    "==": 6,
    "!=": 6,
    "<": 7,
    "<=": 7,
    ">": 7,
    ">=": 7,
    "<<": 8,
    ">>": 8,
    "+": 9,
    "-": 9,
    "*": 10,
    "/": 10,
    "%": 10,
}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="}


def _number(text: str) -> int:
    if "#" in text:
        base_text, digits = text.split("#", 1)
        base = int(base_text)
        if not 2 <= base <= 36:
            raise ArithError(f"{text}: bad number")
        try:
            return int(digits, base)
        except ValueError:
            raise ArithError(f"{text}: bad number") from None
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    return int(text, 10)


def _cdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _apply(op: str, a: int, b: int) -> int:
    if op in ("/", "%"):
        if b == 0:
            raise ArithError("zero divisor")
        q = _cdiv(a, b)
        return wrap32(q if op == "/" else a - q * b)
    result = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "<<": lambda: a << (b & 31),
        ">>": lambda: a >> (b & 31),
        "<": lambda: int(a < b),
        "<=": lambda: int(a <= b),
        ">": lambda: int(a > b),
        ">=": lambda: int(a >= b),
        "==": lambda: int(a == b),
        "!=": lambda: int(a != b),
        "&": lambda: a & b,
        "^": lambda: a ^ b,
        "|": lambda: a | b,
    }[op]()
    return wrap32(result)


def arith(
    expr: str,
    get: Callable[[str], str],
    set_: Callable[[str, str], None],
    depth: int = 0,
) -> int:
    """Evaluate an mksh arithmetic expression (variables through get/set_)."""
    if depth > 16:
        raise ArithError(f"{expr}: expression recurses on itself")
    if _PLAIN.fullmatch(expr):  # most operands: a decimal number, or a variable holding one
        return wrap32(int(expr))
    if _NAME.fullmatch(expr):
        raw = get(expr.strip())
        if _PLAIN.fullmatch(raw):
            return wrap32(int(raw))
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = expr.strip()
    while pos < len(text):
        match = _ARITH_TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ArithError(f"{expr}: unexpected '{text[pos:].strip()[:1]}'")
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    if not tokens:
        return 0
    index = 0

    def peek() -> tuple[str, str] | None:
        return tokens[index] if index < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal index
        if index >= len(tokens):
            raise ArithError(f"{expr}: unexpected end of expression")
        index += 1
        return tokens[index - 1]

    def value_of(name: str) -> int:
        raw = get(name).strip()
        if not raw:
            return 0
        return arith(raw, get, set_, depth + 1)

    def primary(evaluate: bool) -> int:
        kind, tok = take()
        if kind == "num":
            try:
                return wrap32(_number(tok))
            except ValueError:
                raise ArithError(f"{tok}: bad number") from None
        if kind == "name":
            nxt = peek()
            if nxt is not None and nxt[0] == "op" and nxt[1] in _ASSIGN:
                take()
                right = ternary(evaluate)
                if not evaluate:
                    return right
                if nxt[1] != "=":
                    right = _apply(nxt[1][:-1], value_of(tok), right)
                set_(tok, str(right))
                return right
            if nxt is not None and nxt[1] in ("++", "--"):
                take()
                old = value_of(tok) if evaluate else 0
                if evaluate:
                    set_(tok, str(wrap32(old + (1 if nxt[1] == "++" else -1))))
                return old
            return value_of(tok) if evaluate else 0
        if tok == "(":
            inner = ternary(evaluate)
            if take()[1] != ")":
                raise ArithError(f"{expr}: missing ')'")
            return inner
        if tok in ("++", "--"):
            kind2, name = take()
            if kind2 != "name":
                raise ArithError(f"{expr}: {tok} needs a variable")
            new = wrap32((value_of(name) if evaluate else 0) + (1 if tok == "++" else -1))
            if evaluate:
                set_(name, str(new))
            return new
        if tok in ("-", "+", "!", "~"):
            operand = primary(evaluate)
            return wrap32({"-": -operand, "+": operand, "!": int(not operand), "~": ~operand}[tok])
        raise ArithError(f"{expr}: unexpected '{tok}'")

    def binary(level: int, evaluate: bool) -> int:
        left = primary(evaluate)
        while True:
            nxt = peek()
            if nxt is None or nxt[0] != "op" or nxt[1] not in _BINARY:
                return left
            prec = _BINARY[nxt[1]]
            if prec < level:
                return left
            take()
            op = nxt[1]
            if op == "&&":
                right = binary(prec + 1, evaluate and bool(left))
                left = int(bool(left) and bool(right))
            elif op == "||":
                right = binary(prec + 1, evaluate and not left)
                left = int(bool(left) or bool(right))
            else:
                right = binary(prec + 1, evaluate)
                left = _apply(op, left, right) if evaluate else 0

    def ternary(evaluate: bool) -> int:
        cond = binary(1, evaluate)
        nxt = peek()
        if nxt is not None and nxt[1] == "?":
            take()
            yes = ternary(evaluate and bool(cond))
            if take()[1] != ":":
                raise ArithError(f"{expr}: missing ':'")
            no = ternary(evaluate and not cond)
            return yes if cond else no
        return cond

    def comma() -> int:
        result = ternary(True)
        while peek() is not None and peek() == ("op", ","):
            take()
            result = ternary(True)
        return result

    result = comma()
    if index != len(tokens):
        raise ArithError(f"{expr}: unexpected '{tokens[index][1]}'")
    return result


# ------------------------------------------------------------------------------ test


class TestError(Exception):
    pass


_UNARY = set(
    [
        "-e",
        "-f",
        "-d",
        "-r",
        "-w",
        "-x",
        "-s",
        "-n",
        "-z",
        "-L",
        "-h",
        "-p",
        "-S",
        "-b",
        "-c",
        "-t",
        "-g",
        "-u",
        "-k",
        "-O",
        "-G",
    ]
)
_BINOPS = set(
    ["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]
)


def test(
    args: list[str],
    file_test: Callable[[str, str], bool],
    number: Callable[[str], int],
) -> bool:
    """Evaluate `test ARGS` (without the closing `]`); raises TestError on bad syntax."""

    def unary(op: str, operand: str) -> bool:
        if op == "-n":
            return operand != ""
        if op == "-z":
            return operand == ""
        if op == "-t":
            return False  # adb shell without -t: no terminal
        return file_test(op, operand)

    def binop(left: str, op: str, right: str) -> bool:
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op in ("-nt", "-ot", "-ef"):
            return False
        a, b = number(left), number(right)
        return {
            "-eq": a == b,
            "-ne": a != b,
            "-lt": a < b,
            "-le": a <= b,
            "-gt": a > b,
            "-ge": a >= b,
        }[op]

    # POSIX: decide by the number of arguments first.
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if n == 2:
        if args[0] == "!":
            return args[1] == ""
        if args[0] in _UNARY:
            return unary(args[0], args[1])
        raise TestError(f"{args[0]}: unexpected operator")
    if n == 3:
        if args[1] in _BINOPS:
            return binop(args[0], args[1], args[2])
        if args[0] == "!":
            return not test(args[1:], file_test, number)
        if args[0] == "(" and args[2] == ")":
            return args[1] != ""
    if n == 4 and args[0] == "!":
        return not test(args[1:], file_test, number)

    pos = 0

    def peek() -> str | None:
        return args[pos] if pos < len(args) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(args):
            raise TestError("missing argument")
        pos += 1
        return args[pos - 1]

    def expr_or() -> bool:
        result = expr_and()
        while peek() == "-o":
            take()
            right = expr_and()
            result = result or right
        return result

    def expr_and() -> bool:
        result = expr_not()
        while peek() == "-a":
            take()
            right = expr_not()
            result = result and right
        return result

    def expr_not() -> bool:
        if peek() == "!":
            take()
            return not expr_not()
        return primary()

    def primary() -> bool:
        tok = take()
        if tok == "(":
            result = expr_or()
            if take() != ")":
                raise TestError("missing ')'")
            return result
        if tok in _UNARY and peek() is not None:
            return unary(tok, take())
        if peek() in _BINOPS:
            op = take()
            return binop(tok, op, take())
        return tok != ""

    result = expr_or()
    if pos != len(args):
        raise TestError(f"{args[pos]}: unexpected operator/operand")
    return result


# ---------------------------------------------------------------------------- printf

_ESC = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_SPEC = re.compile(r"%([-+ 0#]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([diouxXcsb%])")


def escapes(text: str, *, in_b: bool = False) -> tuple[str, bool]:
    """Backslash escapes of a printf format (or of a %b argument); (text, stop at \\c)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in _ESC:
            out.append(_ESC[nxt])
            i += 2
        elif nxt == "c" and in_b:
            return "".join(out), True
        elif nxt in "01234567":
            j = i + 1
            if in_b and nxt == "0":
                j += 1  # %b: \0NNN
            digits = ""
            while j < len(text) and len(digits) < 3 and text[j] in "01234567":
                digits += text[j]
                j += 1
            out.append(chr(int(digits or "0", 8) & 0xFF))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out), False


def _int_arg(arg: str) -> tuple[int, str | None]:
    if arg[:1] in ("'", '"') and len(arg) > 1:
        return ord(arg[1]), None
    text = arg.strip()
    try:
        if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", text):
            return int(text, 16), None
        if re.fullmatch(r"[-+]?0[0-7]+", text):
            return int(text, 8), None
        return int(text or "0", 10), None
    except ValueError:
        match = re.match(r"[-+]?[0-9]+", text)
        return (int(match.group()) if match else 0), f"{arg}: invalid number"


def printf(fmt: str, args: list[str]) -> tuple[str, str, int]:
    """(stdout, stderr, status) of `printf FORMAT ARGS...`."""
    fmt, _ = escapes(fmt)
    out: list[str] = []
    errors: list[str] = []
    remaining = list(args)
    consumed_any = False
    while True:
        pos = 0
        for match in _SPEC.finditer(fmt):
            out.append(fmt[pos : match.start()])
            pos = match.end()
            flags, width, precision, conv = match.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = str(_int_arg(remaining.pop(0) if remaining else "0")[0])
            if precision == "*":
                precision = str(_int_arg(remaining.pop(0) if remaining else "0")[0])
            arg = remaining.pop(0) if remaining else None
            consumed_any = consumed_any or arg is not None
            spec = "%" + flags + (width or "") + ("." + precision if precision is not None else "")
            if conv in "diouxX":
                number, error = _int_arg(arg or "0")
                if error:
                    errors.append(f"printf: {error}\n")
                if conv == "u" and number < 0:
                    number += 2**64
                out.append((spec + ("d" if conv in "iu" else conv)) % number)
            elif conv == "c":
                out.append((spec + "s") % (arg or "")[:1])
            elif conv == "b":
                text, stop = escapes(arg or "", in_b=True)
                out.append((spec + "s") % text)
                if stop:
                    return "".join(out), "".join(errors), 1 if errors else 0
            else:
                out.append((spec + "s") % (arg or ""))
        out.append(fmt[pos:])
        if not remaining or not consumed_any:
            break
    return "".join(out), "".join(errors), 1 if errors else 0
