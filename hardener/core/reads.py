"""Named reads: each command hardener sends to learn something is paired with the parser of
its output, and its result is looked up by name, never by position in a phase.

A `ReadKind` is a family of reads ("appops" for one user and package); `kind.at(*args)` is
one concrete `Read` with a unique name ("appops:10:com.tencent.mm") and its command;
`kind.parsed(outputs, *args)` parses that read's output from a phase's `Outputs`. A phase
that runs reads (`hardener.device.phase.run_reads`) returns its results keyed by name, so
adding, dropping or reordering a read cannot make another read's output land in the wrong
parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from hardener.core.command_result import CommandResult

T = TypeVar("T")

Outputs = Mapping[str, CommandResult]  # read name -> what it printed


@dataclass(frozen=True)
class Read:
    """One command to send, under a name unique in its phase."""

    name: str
    command: str


@dataclass(frozen=True)
class ReadKind(Generic[T]):
    """A read's command builder and its parser, together."""

    name: str
    build: Callable[..., str]
    parse: Callable[[str], T]

    def key(self, *args: object) -> str:
        return ":".join([self.name, *(str(a) for a in args)])

    def at(self, *args: object) -> Read:
        return Read(self.key(*args), self.build(*args))

    def result(self, outputs: Outputs, *args: object) -> CommandResult:
        """The raw result of this read; KeyError names the read if the phase lacked it."""
        key = self.key(*args)
        try:
            return outputs[key]
        except KeyError:
            raise KeyError(f"the phase has no read {key!r}") from None

    def parsed(self, outputs: Outputs, *args: object) -> T:
        return self.parse(self.result(outputs, *args).output)


def by_name(reads: Iterable[Read], results: Iterable[CommandResult]) -> dict[str, CommandResult]:
    """Pair a phase's results with the reads that produced them (the phase runner's order)."""
    reads = list(reads)
    results = list(results)
    if len(reads) != len(results):
        raise ValueError(f"{len(reads)} reads but {len(results)} results")
    names = [read.name for read in reads]
    if len(set(names)) != len(names):
        raise ValueError("two reads of one phase share a name")
    return dict(zip(names, results, strict=True))
