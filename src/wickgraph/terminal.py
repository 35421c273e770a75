r"""Text on its way to a terminal: control characters made visible, so data cannot drive the terminal.

A label such as ``"Eve\x1b[2J"`` would clear the screen of whoever runs ``wickgraph show`` on it; an OSC
sequence could retitle the window or forge a hyperlink, a carriage return overwrite the start of a line, a
bidirectional override reorder what is shown. Every C0 control (tab and newline kept where they belong),
DEL, every C1 control and the bidirectional embedding, override and isolate characters are written as
escapes instead: ``\x1b``, ``\x9b``, ``\u202e``.

>>> safe_text("Eve\x1b[2J Macarro")
'Eve\\x1b[2J Macarro'
>>> safe_text("two\nlines\tand a tab")
'two\nlines\tand a tab'
>>> safe_text("one\nfield\r", one_line=True)
'one\\nfield\\r'
"""

from __future__ import annotations

import io
import re
from typing import TextIO

__all__ = ["TerminalWriter", "fit_line", "safe_text", "terminal_width"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A stream keeps the CR of a CRLF line end (CSV writes them); a CR alone would overwrite the line.
_CONTROL_STREAM = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str, *, one_line: bool = False) -> str:
    """``text`` with control characters written as escapes; ``one_line`` escapes newlines and tabs too."""
    return (_CONTROL_ONE_LINE if one_line else _CONTROL).sub(_escape, text)


def terminal_width(stream: TextIO | None = None) -> int | None:
    """How wide output to ``stream`` (default: standard output) may be: ``COLUMNS`` when set (on a terminal or
    not, as ``ls`` reads it), else the width of the terminal ``stream`` is; ``None`` when neither (a pipe, a
    file), and output is then not fitted."""
    import os
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.strip().isdigit() and int(columns) > 0:
        return max(int(columns), 20)
    stream = stream if stream is not None else sys.stdout
    try:
        if stream is not None and stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 20)
    except (OSError, ValueError, AttributeError):
        return None
    return None


def fit_line(line: str, width: int | None) -> list[str]:
    """``line`` wrapped at spaces to ``width`` characters, its continuation lines indented four more than it;
    a word longer than a line is cut into pieces. ``None``: the line as it is.

    >>> fit_line("  appears in: Ballerina, John Wick", 20)
    ['  appears in:', '      Ballerina,', '      John Wick']
    """
    if width is None or len(line) <= width:
        return [line]
    import textwrap

    indent = " " * (len(line) - len(line.lstrip(" ")))
    more = indent + "    " if len(indent) + 4 < width // 2 else indent
    return textwrap.wrap(
        line.strip(" "),
        width=width,
        initial_indent=indent,
        subsequent_indent=more,
        break_on_hyphens=False,
        drop_whitespace=True,
    ) or [line[:width]]


class TerminalWriter(io.TextIOBase):
    """A text stream that escapes control characters on their way to the terminal stream it wraps.

    As :func:`safe_text`, except that the CR of a CRLF line end is kept (CSV ends its lines so).

    It has no ``buffer``, so nothing (click included) can write bytes past it.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(_CONTROL_STREAM.sub(_escape, text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()
