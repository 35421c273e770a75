"""``--wide``, and the width the commands that print tables and cards fit their output to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["echo_fitted", "output_width", "wide_option"]

F = TypeVar("F", bound=Callable[..., Any])


def wide_option(func: F) -> F:
    """``--wide``: print lines whole, not fitted to the terminal's width."""
    return click.option(
        "--wide",
        is_flag=True,
        help="Do not fit the output to the terminal's width (COLUMNS): print whole lines, cut nothing.",
    )(func)


def output_width(wide: bool) -> int | None:
    """The width standard output is fitted to: ``None`` with ``--wide`` or when it is no terminal and
    ``COLUMNS`` is unset (see :func:`wickgraph.terminal.terminal_width`)."""
    from ..terminal import terminal_width

    return None if wide else terminal_width()


def echo_fitted(text: str, width: int | None) -> None:
    """Echo each line of ``text`` wrapped to ``width`` (continuation lines indented)."""
    from ..terminal import fit_line

    for line in text.split("\n"):
        for part in fit_line(line, width):
            click.echo(part)
