"""Streaming RDF files into an on-disk store without a Python object per triple (the fast build's loader).

pyoxigraph's bulk loader reads a file in Rust; line-based files (N-Triples, N-Quads) are given to it in pieces
of about 32 MB, so its memory does not grow with the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse
from pyoxigraph import Store as OxStore

from ..errors import ParseError
from ..progress import ProgressBar, ProgressReader
from .parse import FORMATS

__all__ = ["load_file", "load_lines"]

_LINE_BASED = {RdfFormat.N_TRIPLES, RdfFormat.N_QUADS}

_CHUNK_BYTES = 32 * 1024 * 1024
"""How much line-based input one call of pyoxigraph's bulk loader is given: its memory grows with its input
(about 1 GB for a 1M-quad file), so line-based files are loaded in pieces of this size."""


def load_lines(store: OxStore, source: IO[bytes], fmt: RdfFormat, *, scope: str = "", first_line: int = 1) -> int:
    """Load N-Quads or N-Triples from ``source`` in pieces of about 32 MB (memory that does not grow with the
    file); return the number of lines read.

    pyoxigraph's bulk loader gives the blank nodes of each call new names, so the lines that mention a blank
    node are parsed and added with their labels kept instead, prefixed with ``scope`` (blank node labels belong
    to their file: give each file its own scope; ``""`` keeps a dump's labels, the store's own). A syntax error
    is raised with its line in the whole file.
    """
    reader = source if isinstance(source, io.BufferedIOBase) else io.BufferedReader(cast(io.RawIOBase, source))
    line = first_line
    while True:
        lines = reader.readlines(_CHUNK_BYTES)
        if not lines:
            return line - first_line
        plain = [text for text in lines if b"_:" not in text]
        try:
            if plain:
                store.bulk_load(io.BytesIO(b"".join(plain)), fmt)
            if len(plain) < len(lines):
                blank = parse(b"".join(text for text in lines if b"_:" in text), fmt)
                store.extend(_scoped(blank, scope) if scope else blank)
        except SyntaxError:
            # Where in the file: the piece parsed again in its own order.
            try:
                for _ in parse(b"".join(lines), fmt):
                    pass
            except SyntaxError as exc:
                where = (exc.lineno or 1) + line - 1
                message = re.sub(r"\bline \d+", f"line {where}", exc.msg, count=1)
                raise SyntaxError(message, (exc.filename, where, exc.offset, "")) from None
            raise
        line += len(lines)


def _scoped(quads: Iterable[Quad], scope: str) -> Iterator[Quad]:
    def term(t: Any) -> Any:
        return BlankNode(scope + t.value) if isinstance(t, BlankNode) else t

    for q in quads:
        yield Quad(term(q.subject), q.predicate, term(q.object), q.graph_name)


def load_file(store: OxStore, path: Path, bar: bool, to_graph: str | None = None, *, scope: str = "") -> int | None:
    """Load one file (a :class:`ParseError` names file and line); return its number of triples when the
    format is line-based."""
    fmt = FORMATS[path.suffix]
    progress = ProgressBar(path.stat().st_size, f"loading {path.name}", enabled=None if bar else False)
    counted = fmt in _LINE_BASED
    try:
        with path.open("rb") as raw:
            reader = ProgressReader(raw, lambda r: progress.update(r.bytes, r.lines if counted else None))
            if counted and to_graph is None:
                load_lines(store, cast(IO[bytes], reader), fmt, scope=scope)
            else:
                graph = NamedNode(to_graph) if to_graph else None
                store.bulk_load(cast(IO[bytes], reader), fmt, to_graph=graph)
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        raise ParseError(message, path=str(path), line=exc.lineno, column=exc.offset) from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text: {exc.reason}", path=str(path)) from None
    progress.finish(reader.bytes, reader.lines if counted else None)
    return reader.lines if counted else None
