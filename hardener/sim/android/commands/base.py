"""What every command gets: the model, Java-style argument parsing, exception rendering."""

from __future__ import annotations

from dataclasses import dataclass

from hardener.sim.android import javaexc
from hardener.sim.android.model import AndroidException, Model, illegal_argument
from hardener.sim.android.shell import Result


@dataclass
class Ctx:
    model: Model

    @property
    def sdk(self) -> int:
        return self.model.sdk

    def fail(self, exc: AndroidException, verb: str) -> Result:
        return Result("", javaexc.render(exc, self.sdk, verb), 255)


class Args:
    """`android.os.ShellCommand`'s cursor: getNextOption / getNextArg / getNextArgRequired."""

    def __init__(self, argv: list[str], site: str = "pmargs") -> None:
        self.args = argv
        self.pos = 0
        self.cur_data: str | None = None
        self.site = site

    def next_option(self) -> str | None:
        if self.cur_data is not None:
            prev = self.args[self.pos - 1]
            raise illegal_argument(f'No argument expected after "{prev}"', self.site)
        if self.pos >= len(self.args):
            return None
        arg = self.args[self.pos]
        if not arg.startswith("-"):
            return None
        self.pos += 1
        if arg == "--":
            return None
        if len(arg) > 1 and arg[1] != "-":
            if len(arg) > 2:
                self.cur_data = arg[2:]
                return arg[:2]
            self.cur_data = None
            return arg
        self.cur_data = None
        return arg

    def next_arg(self) -> str | None:
        if self.cur_data is not None:
            arg = self.cur_data
            self.cur_data = None
            return arg
        if self.pos < len(self.args):
            arg = self.args[self.pos]
            self.pos += 1
            return arg
        return None

    def peek(self) -> str | None:
        if self.cur_data is not None:
            return self.cur_data
        return self.args[self.pos] if self.pos < len(self.args) else None

    def next_required(self) -> str:
        arg = self.next_arg()
        if arg is None:
            prev = self.args[self.pos - 1] if self.pos > 0 else ""
            raise illegal_argument(f'Argument expected after "{prev}"', self.site)
        return arg

    def remaining(self) -> list[str]:
        out = []
        while (arg := self.next_arg()) is not None:
            out.append(arg)
        return out


def parse_user(text: str, site: str) -> int:
    """`UserHandle.parseUserArg`: all=-1, current/cur=-2, else a number."""
    if text == "all":
        return -1
    if text in ("current", "cur"):
        return -2
    try:
        return int(text)
    except ValueError:
        raise illegal_argument(f"Bad user number: {text}", site) from None


def java_bool(value: bool) -> str:
    return "true" if value else "false"
