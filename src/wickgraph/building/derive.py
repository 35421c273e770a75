"""The build rules, run at scale: each ``INSERT { … } WHERE { … }`` of ``ontology/rules/*.ru`` as a streamed SELECT.

SPARQL Update on pyoxigraph's on-disk store runs each operation in one transaction, which at a million triples
takes minutes and holds every insertion in memory. The same rules give the same quads when each operation's
``WHERE`` part is run as a ``SELECT`` (results stream from the store), its template is filled in for every
solution and written to an N-Quads file, and that file is bulk-loaded into the store before the next operation
runs (an operation may read what the one before it wrote, as in SPARQL Update).

The rule files are the single source of truth: :func:`operations` reads them. It accepts the subset of SPARQL
Update the rules use: ``PREFIX`` lines, and operations ``INSERT { GRAPH g { triples } … } WHERE { pattern }``
separated by ``;``.

>>> ops = operations('''PREFIX ex: <http://e/>
... INSERT { GRAPH ?g { ?o ex:back ?s } } WHERE { GRAPH ?g { ?s ex:to ?o } }''')
>>> [str(q) for q in ops[0].template]
['<urn:wickgraph:var:o> <http://e/back> <urn:wickgraph:var:s> <urn:wickgraph:var:g>']
>>> ops[0].select
'PREFIX ex: <http://e/>\\nSELECT DISTINCT ?g ?o ?s WHERE { GRAPH ?g { ?s ex:to ?o } }'
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolutions, RdfFormat
from pyoxigraph import Store as OxStore

from ..errors import DataError
from ..sparql_lexer import Token, closing_brace, strip_comments, tokens
from ..sparql_templates import VAR, template_quads, template_variables
from ..store.construct import fill_template
from .generation import pause_for_tests
from .loading import load_lines
from .rules import rule_files

if TYPE_CHECKING:
    from .onepass import Source

__all__ = ["Operation", "derive", "operations"]


@dataclass(frozen=True, slots=True)
class Operation:
    """One rule operation: the quads it inserts (variables as ``urn:wickgraph:var:`` IRIs) and its SELECT."""

    template: tuple[Quad, ...]
    select: str
    source: str
    """``file.ru #n``, for messages."""
    prologue: str = ""
    """The ``PREFIX`` lines."""
    where: str = ""
    """The ``WHERE`` group, braces included."""


def operations(text: str, name: str = "rule") -> list[Operation]:
    """The operations of a rule file, in order (read with the project's SPARQL tokenizer)."""
    body = strip_comments(text)
    significant = [t for t in tokens(body) if t.kind not in ("ws", "comment")]
    prefixes: dict[str, str] = {}
    rest: list[Token] = []
    i = 0
    while i < len(significant):
        token = significant[i]
        declared = significant[i + 1 : i + 3]
        if (
            _is_word(token, "PREFIX")
            and len(declared) == 2
            and declared[0].kind == "pname"
            and declared[0].text.endswith(":")
            and declared[1].kind == "iri"
        ):
            prefixes[declared[0].text[:-1]] = declared[1].text[1:-1]
            i += 3
            continue
        rest.append(token)
        i += 1
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    found: list[Operation] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.text == ";":
            i += 1
            continue
        if not _is_word(token, "INSERT") or i + 1 >= len(rest) or rest[i + 1].text != "{":
            if any(_is_word(t, "INSERT") for t in rest[i:]):
                raise ValueError(f"{name}: only INSERT … WHERE … operations are supported")
            raise ValueError(f"{name}: cannot read {body[token.start :].strip()[:60]!r} (expected INSERT … WHERE …)")
        template_end = closing_brace(body, rest[i + 1].end)
        template = body[rest[i + 1].end : template_end - 1]
        j = _next_at(rest, template_end)
        if j + 1 >= len(rest) or not _is_word(rest[j], "WHERE") or rest[j + 1].text != "{":
            raise ValueError(f"{name}: INSERT without WHERE")
        pattern_end = closing_brace(body, rest[j + 1].end)
        pattern = body[rest[j + 1].start : pattern_end]
        try:
            quads = template_quads(template, prologue)
        except SyntaxError as exc:
            raise ValueError(f"{name} #{len(found) + 1}: cannot read the INSERT template: {exc}") from None
        variables = template_variables(quads)
        select = prologue + "SELECT DISTINCT " + " ".join(f"?{v}" for v in variables) + " WHERE " + pattern
        found.append(Operation(tuple(quads), select, f"{name} #{len(found) + 1}", prologue, pattern))
        i = _next_at(rest, pattern_end)
    return found


def _is_word(token: Token, keyword: str) -> bool:
    return token.kind == "word" and token.text.upper() == keyword


def _next_at(tokens_: list[Token], position: int) -> int:
    """The index of the first token that starts at or after ``position``."""
    return next((k for k, t in enumerate(tokens_) if t.start >= position), len(tokens_))


def _run(store: OxStore, op: Operation, sink: Path, triples: IO[str] | None = None) -> int:
    """Write the quads ``op`` inserts to ``sink`` (N-Quads), and each as a triple to ``triples`` when given;
    return how many lines were written."""
    result = store.query(op.select)
    assert isinstance(result, QuerySolutions)
    variables = [v.value for v in result.variables]
    written = 0
    with sink.open("w", encoding="utf-8", buffering=1 << 20) as out:
        for s, p, o, g in fill_template(op.template, variables, result):
            triple = f"{s} {p} {o} .\n"
            out.write(triple if isinstance(g, DefaultGraph) else f"{s} {p} {o} {g} .\n")
            if triples is not None:
                triples.write(triple)
            written += 1
    return written


_ABBREVIATED = re.compile(rb"\t(true|false|[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?=[\t\n])")
"""A number or boolean the SPARQL TSV results format writes in Turtle's short form (not valid N-Quads)."""
_XSD = b"http://www.w3.org/2001/XMLSchema#"


def _spelled_out(match: re.Match[bytes]) -> bytes:
    token = match.group(1)
    if token in (b"true", b"false"):
        kind = b"boolean"
    else:
        kind = b"double" if b"e" in token.lower() else b"decimal" if b"." in token else b"integer"
    return b'\t"' + token + b'"^^<' + _XSD + kind + b">"


def spell_out_short_terms(rows: bytes) -> bytes:
    """SPARQL TSV rows with every number or boolean in Turtle's short form (any column but the first) spelled
    out as a typed literal, so that each term is in N-Triples syntax."""
    return _ABBREVIATED.sub(_spelled_out, rows)


def _quad_selects(op: Operation) -> list[tuple[str, bool]] | None:
    """For each quad of ``op``'s template, a SELECT whose rows are that quad's terms in order (subject,
    predicate, object and, unless it goes to the default graph, graph name), only rows that make a valid quad,
    each once; with whether it has a graph column. ``None`` when the template has a blank node (each solution
    needs its own)."""
    selects: list[tuple[str, bool]] = []
    for quad in op.template:
        terms: list[object] = [quad.subject, quad.predicate, quad.object]
        named = not isinstance(quad.graph_name, DefaultGraph)
        if named:
            terms.append(quad.graph_name)
        head: list[str] = []
        filters: list[str] = []
        seen: set[str] = set()
        for position, term in enumerate(terms):
            if isinstance(term, BlankNode):
                return None
            if isinstance(term, NamedNode) and term.value.startswith(VAR):
                name = "?" + term.value[len(VAR) :]
                head.append(name if name not in seen else f"({name} AS ?_t{position})")
                seen.add(name)
                if position == 2:
                    filters.append(f"FILTER(BOUND({name}))")
                elif position == 1:
                    filters.append(f"FILTER(isIRI({name}))")
                else:  # a subject or graph name: not a literal, nor a triple term (SPARQL Update leaves it out)
                    filters.append(f"FILTER(isIRI({name}) || isBLANK({name}))")
            else:
                head.append(f"({term} AS ?_t{position})")
        body = f"{{ {op.where} {' '.join(filters)} }}"
        selects.append((f"{op.prologue}SELECT DISTINCT {' '.join(head)} WHERE {body}", named))
    return selects


def _run_tsv(store: OxStore, selects: list[tuple[str, bool]], sink: Path, triples: IO[str] | None, tmp: Path) -> int:
    """Write the quads of ``selects`` (see :func:`_quad_selects`) to ``sink`` as N-Quads, and as triples to
    ``triples``: the rows are written by the engine (SPARQL TSV: terms in N-Triples syntax but for short
    numbers and booleans, spelled out here), each line ended with `` .``; no Python object per row."""
    from pyoxigraph import QueryResultsFormat

    written = 0
    rows = tmp / "rows.tsv"
    with sink.open("wb") as out:
        for select, named in selects:
            result = store.query(select)
            assert isinstance(result, QuerySolutions)
            result.serialize(output=str(rows), format=QueryResultsFormat.TSV)
            with rows.open("rb") as source:
                source.readline()  # the header
                while lines := source.readlines(_TSV_CHUNK):
                    chunk = spell_out_short_terms(b"".join(lines))
                    out.write(chunk.replace(b"\n", b" .\n"))
                    if triples is not None:
                        text = chunk.decode("utf-8")
                        triples.write(_LAST_FIELD.sub(" .\n", text) if named else text.replace("\n", " .\n"))
                    written += len(lines)
    rows.unlink(missing_ok=True)
    return written


_TSV_CHUNK = 16 * 1024 * 1024
_LAST_FIELD = re.compile(r"\t[^\t\n]*\n")


def derive(
    store: OxStore,
    ontology_dir: Path,
    *,
    workdir: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] = lambda message: None,
    triples: IO[str] | None = None,
    inputs: Sequence[Source] | None = None,
    skip_graph: bytes | None = None,
    keep: tuple[Path, list[Source], set[Path]] | None = None,
    only: Callable[[Operation], bool] | None = None,
) -> int:
    """Run every rule of ``ontology_dir/rules`` on an on-disk store; return the number of quads written.
    With ``only``, just the operations it accepts (in their order; the incremental build's split).

    The count includes quads that were already there (a rule may re-derive a stated fact); the store keeps one
    copy of each quad. With ``triples``, every derived quad is also written there as an N-Triples line (what the
    default graph needs of it: :func:`~wickgraph.building.union.merge_from_inputs`).

    With ``inputs`` (N-Quads text of everything the store's graphs but the ontology's hold, e.g. the data files
    the store was loaded from, each with its blank node scope; quads of graphs whose IRI text starts with
    ``skip_graph`` left out), the per-quad rules run as a pass over that text and what the rules before them
    derived (:mod:`.onepass`) instead of a SPARQL join; every other rule, and one whose text is not in the
    regular form, runs as SPARQL. With ``keep`` (a directory, a list and a set) and ``inputs``, the derived quads'
    text stays in that directory, the list gets ``inputs`` and it (the text of everything the rules leave in
    the store's graphs but the ontology's), and the set the paths of those found regular.
    """
    from .onepass import Source, compile_rule, run_compiled

    total = 0
    sources: list[Source] | None = list(inputs) if inputs is not None else None
    verified: set[Path] = set()
    step = 0
    with tempfile.TemporaryDirectory(prefix="wickgraph-derive-", dir=workdir) as tmp:
        for path in rule_files(ontology_dir):
            try:
                ops = operations(path.read_text(encoding="utf-8"), path.name)
            except ValueError as exc:
                raise DataError(f"{path}: {exc}") from None
            for op in ops:
                if only is not None and not only(op):
                    continue
                step += 1
                sink = (keep[0] if keep is not None and sources is not None else Path(tmp)) / f"derived-{step}.nq"
                compiled = compile_rule(op) if sources is not None else None
                written: int | None = None
                tabs = False
                try:
                    if compiled is not None and sources is not None:
                        written = run_compiled(store, compiled, sources, sink, triples, skip_graph, verified)
                        how = "one pass"
                    if written is None:
                        how = "SPARQL"
                        selects = _quad_selects(op)
                        if selects is None:
                            written = _run(store, op, sink, triples)
                        else:
                            written = _run_tsv(store, selects, sink, triples, Path(tmp))
                            tabs = True
                except SyntaxError as exc:
                    raise DataError(f"{path}: {op.source}: the rule does not parse: {exc}") from None
                if written:
                    with sink.open("rb") as derived:
                        load_lines(store, derived, RdfFormat.N_QUADS)
                if sources is not None:
                    sources.append(Source(sink, tabs=tabs))
                else:
                    sink.unlink(missing_ok=True)
                progress(f"rule {op.source}: {written:,} quads ({how})")
                total += written
                pause_for_tests("derive", progress)
    if keep is not None and sources is not None:
        keep[1].extend(sources)
        keep[2].update(verified)
    return total
