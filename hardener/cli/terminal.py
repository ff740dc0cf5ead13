"""The last guard between outside text and the terminal: every CLI write goes through it.

Each command already shows outside fields with `textsafe.visible` (so a newline in an app
label cannot forge a table row); this wrapper around stdout and stderr makes sure that
whatever slipped through still reaches the terminal harmless: control characters other than
newline and tab are written as escapes. JSON output is unaffected (`print_json` escapes
those characters as JSON escapes first).
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from hardener.textsafe import visible_lines


class VisibleWriter(io.TextIOBase):
    """A text stream that writes `visible_lines(text)` to the stream it wraps."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    @property
    # io.TextIOBase declares encoding/errors as plain attributes; a read-only property that
    # follows the wrapped stream is the point of this class, so mypy's override check is
    # silenced here only.
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw, "errors", None)

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            raise TypeError("VisibleWriter writes text only")  # click probes with b""
        self.raw.write(visible_lines(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under the guard, for hardener's own control output (a progress bar's \\r)."""
    return stream.raw if isinstance(stream, VisibleWriter) else stream


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """stdout and stderr guarded for the duration (restored after, for in-process callers)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = VisibleWriter(raw_stream(sys.stdout))
    sys.stderr = VisibleWriter(raw_stream(sys.stderr))
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        sys.stdout, sys.stderr = saved
