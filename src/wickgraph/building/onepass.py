"""The per-quad build rules run as one pass over text: no SPARQL join over the whole store.

Some rules map one quad of a claim graph, with what the ontology says about one of its terms, to one new quad:
the inverses (``?s ?p ?o`` with ``?p owl:inverseOf ?inverse`` gives ``?o ?inverse ?s``) and the super-terms
(``?s ?p ?o`` with ``?p rdfs:subPropertyOf+ ?super`` gives ``?s ?super ?o``). As SPARQL the engine joins the
ontology's answer with every quad of every graph; the same rule as a Python pass over the N-Quads text of what
the store holds (the input files and what the rules before it derived) costs a few µs a line. That pays where
the engine plans the join badly (the transitive super-properties) and about evens elsewhere
(``docs/scale.md`` has the figures).

:func:`compile_rule` recognises the form such a rule has, after its whitespace is normalised::

    { GRAPH <ontology graph> { ONTOLOGY PART } GRAPH ?g { S P O [FILTER(!isLiteral(?o))] } FILTER(?g != <ontology graph>) }

where exactly one of the variables among ``S P O`` occurs in the ontology part (the join), the others and
``?g`` do not, and the template is one quad in ``GRAPH ?g``. Anything else gives ``None`` and the rule runs as
SPARQL (:mod:`.derive`): a rule this module does not recognise is never run in a way it might get wrong. The
ontology part is still run as SPARQL on the store (it is small), so its meaning is the engine's; a binding that
is not an IRI makes the rule fall back to SPARQL as well.

The text must be in the regular form (one quad a line, single spaces, ``<iri>`` without escapes, a blank node
only as a whole term): :func:`run_compiled` returns ``None`` at the first line that is not, and the caller runs
the rule as SPARQL instead; nothing has been loaded by then.

>>> from wickgraph.building.derive import operations
>>> op = operations('''PREFIX wgg: <https://w3id.org/wickgraph/graph/>
... PREFIX owl: <http://www.w3.org/2002/07/owl#>
... INSERT { GRAPH ?g { ?o ?inverse ?s } } WHERE { GRAPH wgg:ontology { ?p owl:inverseOf ?inverse }
...   GRAPH ?g { ?s ?p ?o FILTER(!isLiteral(?o)) } FILTER(?g != wgg:ontology) }''')[0]
>>> rule = compile_rule(op)
>>> rule.join, rule.position, rule.template
('p', 1, ('?o', '?inverse', '?s'))
>>> compile_rule(operations('INSERT { GRAPH ?g { ?s <http://e/q> ?o } } WHERE { GRAPH ?g { ?s <http://e/p> ?o } }')[0])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pyoxigraph import NamedNode, QuerySolutions
from pyoxigraph import Store as OxStore

from ..namespaces import ONTOLOGY_GRAPH, RDF
from ..sparql_templates import VAR

if TYPE_CHECKING:
    from .derive import Operation

__all__ = [
    "REGISTRY_CHECKS",
    "Compiled",
    "Source",
    "compile_rule",
    "graph_text",
    "registry_passes",
    "run_compiled",
    "text_pass",
]

_SHAPE = re.compile(
    r"^\{ GRAPH (?P<og>\S+) \{ (?P<onto>.+) \} GRAPH \?(?P<g>\w+) \{ (?P<s>\S+) (?P<p>\S+) (?P<o>\S+)"
    r"(?: FILTER\(!isLiteral\(\?(?P<lit>\w+)\)\))? \} FILTER\(\?(?P<g2>\w+) != (?P<og2>\S+)\) \}$"
)
_VARIABLE = re.compile(r"[?$](\w+)")
_PNAME = re.compile(r"^([A-Za-z][\w.-]*)?:([\w.-]*)$")


@dataclass(frozen=True, slots=True)
class Compiled:
    """A per-quad rule: the ontology SELECT, which data position joins it, the data pattern and the template."""

    ontology_select: str
    join: str
    """The variable shared by the ontology part and the data pattern."""
    position: int
    """Where the join variable is in the data pattern: 0 subject, 1 predicate, 2 object."""
    pattern: tuple[str, str, str]
    """The data pattern's terms: ``?name`` or an IRI in N-Triples syntax."""
    literal_object: bool
    """Whether the rule keeps quads whose object is a literal (no ``FILTER(!isLiteral(?o))``)."""
    template: tuple[str, str, str]
    """The template's subject, predicate and object: ``?name`` or an IRI in N-Triples syntax; its graph is ``?g``."""
    source: str


def _term(text: str, prefixes: dict[str, str]) -> str | None:
    """A pattern term as ``?name`` or ``<iri>``; ``None`` for anything else (a literal, a blank node, a path)."""
    if text == "a":
        return f"<{RDF}type>"
    if _VARIABLE.fullmatch(text):
        return "?" + text[1:]
    if text.startswith("<") and text.endswith(">") and "\\" not in text and len(text) > 2:
        return text
    named = _PNAME.match(text)
    if named and (named.group(1) or "") in prefixes:
        return f"<{prefixes[named.group(1) or '']}{named.group(2)}>"
    return None


def _prefixes(prologue: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"PREFIX (\w*): <([^>]*)>", prologue)}


def compile_rule(op: Operation) -> Compiled | None:
    """The per-quad form of a rule operation (:class:`~wickgraph.building.derive.Operation`), or ``None`` when it
    does not have that form (see the module docstring)."""
    match = _SHAPE.match(" ".join(op.where.split()))
    if match is None or len(op.template) != 1:
        return None
    prefixes = _prefixes(op.prologue)
    ontology = f"<{ONTOLOGY_GRAPH}>"
    onto = match.group("onto")
    if _term(match.group("og"), prefixes) != ontology or _term(match.group("og2"), prefixes) != ontology:
        return None
    if "GRAPH" in onto.upper() or onto.count("{") != onto.count("}") or match.group("g") != match.group("g2"):
        return None
    pattern = tuple(_term(match.group(k), prefixes) for k in ("s", "p", "o"))
    if any(t is None for t in pattern):
        return None
    terms: tuple[str, str, str] = pattern  # type: ignore[assignment]
    graph = match.group("g")
    onto_vars = set(_VARIABLE.findall(onto))
    data_vars = [t[1:] for t in terms if t.startswith("?")]
    joined = [(i, t[1:]) for i, t in enumerate(terms) if t.startswith("?") and t[1:] in onto_vars]
    if len(set(data_vars)) != len(data_vars) or graph in data_vars or graph in onto_vars or len(joined) != 1:
        return None
    position, join = joined[0]
    literal = match.group("lit")
    if literal is not None and (position == 2 or terms[2] != f"?{literal}"):
        return None
    quad = op.template[0]
    if not isinstance(quad.graph_name, NamedNode) or quad.graph_name.value != VAR + graph:
        return None
    template: list[str] = []
    for term in (quad.subject, quad.predicate, quad.object):
        if not isinstance(term, NamedNode):
            return None
        if term.value.startswith(VAR):
            name = term.value[len(VAR) :]
            if name not in onto_vars and name not in data_vars:
                return None
            template.append("?" + name)
        else:
            template.append(f"<{term.value}>")
    wanted = [join, *sorted({t[1:] for t in template if t.startswith("?") and t[1:] in onto_vars} - {join})]
    select = (
        f"{op.prologue}SELECT DISTINCT {' '.join('?' + v for v in wanted)} WHERE {{ GRAPH {ontology} {{ {onto} }} }}"
    )
    return Compiled(select, join, position, terms, literal is None, (template[0], template[1], template[2]), op.source)


@dataclass(frozen=True, slots=True)
class Source:
    """N-Quads text of what the store holds: a file, whether its fields are tab-separated (SPARQL TSV rows, as
    :mod:`.derive` writes them), and the blank node scope its labels were loaded with."""

    path: Path
    tabs: bool = False
    scope: str = ""


_IRREGULAR: tuple[bytes, bytes, bytes, bytes] = (b"", b"", b"", b"")
"""What :func:`_parse` gives for a line not in the regular form (the rule then runs as SPARQL instead)."""


def _node(term: bytes) -> bool:
    """Whether a term without spaces is an IRI (no escapes) or a blank node: cheap tests, for text that the
    store's parser has already read (it is valid N-Quads) and that has no backslash."""
    if term[:1] == b"<":
        return term.find(b">") == len(term) - 1
    return term[:2] == b"_:" and term[2:].replace(b"_", b"").replace(b"-", b"").replace(b".", b"").isalnum()


def _parse(line: bytes, tabs: bool) -> tuple[bytes, bytes, bytes, bytes] | None:
    """A regular line's subject, predicate, object and graph name (one each, separated by single spaces, or by
    tabs in SPARQL TSV rows, then `` .``); ``None`` for an empty or comment line; :data:`_IRREGULAR` for
    anything else (a triple in the default graph among it: no build gets to its rules with one)."""
    sep = b"\t" if tabs else b" "
    body = line.rstrip(b"\r\n")
    if not body.endswith(b" .") or body.startswith(b"#") or (not tabs and b"\t" in body):
        if not body.strip() or body.lstrip().startswith(b"#"):
            return None
        return _IRREGULAR
    head = body[:-2].split(sep, 2)
    if len(head) != 3:
        return _IRREGULAR
    s, p, rest = head
    cut = rest.rfind(sep)
    o, g = rest[:cut], rest[cut + 1 :]
    if cut <= 0 or p[:1] != b"<" or p.find(b">") != len(p) - 1 or not _node(s) or not _node(g):
        return _IRREGULAR
    if o[:1] in (b" ", b"\t") or o[-1:] in (b" ", b"\t"):
        return _IRREGULAR
    if b"\\" in body and (b"\\" in s or b"\\" in p or b"\\" in g or (o[:1] == b"<" and b"\\" in o)):
        return _IRREGULAR  # an escaped IRI: its text is not the store's
    if o[:1] == b"<" and not tabs and b"_:" in o:
        return _IRREGULAR  # a blank node in a triple term: its label would need its scope
    if o[:2] == b"_:" and not _node(o):
        return _IRREGULAR
    return s, p, o, g


def _scoped(term: bytes, scope: bytes) -> bytes:
    return b"_:" + scope + term[2:] if scope and term.startswith(b"_:") else term


_IRI = rb'<[^<>"{}|^`\\\x00-\x20]*>'
_LITERAL = rb'"[^"\\\r\n\t]*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^' + _IRI + rb")?"
_STRICT = re.compile(rb"(?:%s %s (?:%s|%s) %s \.\r?\n)*" % (_IRI, _IRI, _IRI, _LITERAL, _IRI))
_STRICT_TABS = re.compile(rb"(?:%s\t%s\t(?:%s|%s)\t%s \.\r?\n)*" % (_IRI, _IRI, _IRI, _LITERAL, _IRI))
"""Pieces of text whose every line is a quad of IRIs and simple literals, one space (a tab in SPARQL TSV rows)
between terms: a subset of the regular form :func:`_parse` accepts (with no blank node and no backslash in the
piece, also tested), so such a piece is split without testing each line in Python."""
_PIECE = 1 << 20

_STARTS = (b"<", b"_")
"""How a line of a regular file that holds a quad starts."""


def _quads(
    source: Source, verified: set[Path], keys: dict[int, set[bytes]]
) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """The quads of ``source`` that may match (their terms at the positions of ``keys`` among those given). A
    file read to its end once is verified regular: later passes split a line only as far as they need to,
    without testing it again."""
    if source.path not in verified:
        strict = _STRICT_TABS if source.tabs else _STRICT
        with source.path.open("rb") as text:
            while lines := text.readlines(_PIECE):
                piece = b"".join(lines)
                if b"_:" not in piece and b"\\" not in piece and strict.fullmatch(piece):
                    # Every line in the strictest form (one regular expression over the piece, in C): regular.
                    yield from _split(lines, source.tabs, {})
                    continue
                for line in lines:
                    quad = _parse(line, source.tabs)
                    if quad is not None:
                        yield quad
                        if quad is _IRREGULAR:
                            return
        verified.add(source.path)
        return
    with source.path.open("rb") as text:
        yield from _split(text, source.tabs, keys)


def _split(
    lines: Iterable[bytes], tabs: bool, keys: dict[int, set[bytes]]
) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """The quads of lines known to be regular (see :func:`_quads`), split only as far as ``keys`` need."""
    sep = b"\t" if tabs else b" "
    tests = list(keys.items())
    (first, wanted), more = (tests[0], tests[1:]) if tests else ((0, None), [])
    for line in lines:
        if line[:1] not in _STARTS:
            continue  # an empty or comment line: the file is regular
        head = line.split(sep, 2)
        if len(head) < 3 or (
            wanted is not None and (head[first] not in wanted or any(head[i] not in w for i, w in more))
        ):
            continue  # a quad that cannot match
        rest = head[2].rstrip(b"\r\n")[:-2]
        cut = rest.rfind(sep)
        yield head[0], head[1], rest[:cut], rest[cut + 1 :]


def run_compiled(
    store: OxStore,
    rule: Compiled,
    sources: Sequence[Source],
    sink: Path,
    triples: IO[str] | None,
    skip_graph: bytes | None,
    verified: set[Path] | None = None,
) -> int | None:
    """Write the quads ``rule`` derives from the text of ``sources`` to ``sink`` (N-Quads, blank nodes with their
    store labels) and, as triples, to ``triples``; return how many, or ``None`` (having written nothing to
    ``triples``) when the rule must run as SPARQL: an ontology binding that is not an IRI, a line that is not
    in the regular form. Quads of graphs whose IRI text starts with ``skip_graph`` are not read. ``verified``
    collects the sources found regular (give the same set to the next call)."""
    verified = set() if verified is None else verified
    result = store.query(rule.ontology_select)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    table: dict[bytes, list[dict[str, bytes]]] = {}
    for row in result:
        values = [row[n] for n in names]
        if not all(isinstance(v, NamedNode) for v in values):
            return None
        bound = {n: str(v).encode() for n, v in zip(names, values, strict=True)}
        table.setdefault(bound[rule.join], []).append(bound)
    if not table:  # nothing in the ontology to join with: nothing derived, as the SPARQL join gives nothing
        sink.write_bytes(b"")
        return 0
    ontology = f"<{ONTOLOGY_GRAPH}>".encode()
    position, pattern = rule.position, [t.encode() for t in rule.pattern]
    constants = [(i, t) for i, t in enumerate(pattern) if not t.startswith(b"?")]
    keys = {i: {t} for i, t in constants if i < 2}
    if position < 2:
        keys[position] = set(table)
    data_vars = {t[1:].decode(): i for i, t in enumerate(pattern) if t.startswith(b"?")}
    # Each template term: a constant, the data pattern's term at an index, or an ontology variable's binding.
    plan: list[tuple[bytes | None, int | None, str]] = [
        (None, data_vars[t[1:]], "")
        if t[1:] in data_vars
        else (None, None, t[1:])
        if t.startswith("?")
        else (t.encode(), None, "")
        for t in rule.template
    ]
    side = sink.with_suffix(".nt")
    written = 0
    try:
        with sink.open("wb", buffering=1 << 20) as out, side.open("wb", buffering=1 << 20) as bare:
            for source in sources:
                scope = source.scope.encode()
                for quad in _quads(source, verified, keys):
                    if quad is _IRREGULAR:
                        return None
                    bindings = table.get(quad[position])
                    if bindings is None or quad[3] == ontology:
                        continue
                    if skip_graph is not None and quad[3].startswith(skip_graph):
                        continue
                    if not rule.literal_object and quad[2].startswith(b'"'):
                        continue
                    if any(quad[i] != t for i, t in constants):
                        continue
                    graph = quad[3]  # the loader keeps a blank graph name's label as it is (only terms get the scope)
                    for bound in bindings:
                        terms = [
                            const
                            if const is not None
                            else _scoped(quad[index], scope)
                            if index is not None
                            else bound[var]
                            for const, index, var in plan
                        ]
                        if (
                            terms[0][:1] == b'"'
                            or terms[0][:2] == b"<<"
                            or terms[1][:1] != b"<"
                            or terms[1][:2] == b"<<"
                        ):
                            continue  # not a valid quad (a literal or triple term as subject): SPARQL Update leaves it out
                        triple = b" ".join(terms)
                        out.write(triple + b" " + graph + b" .\n")
                        bare.write(triple + b" .\n")
                        written += 1
        if triples is not None:
            with side.open("r", encoding="utf-8") as done:
                while chunk := done.read(1 << 20):
                    triples.write(chunk)
    finally:
        side.unlink(missing_ok=True)
    return written


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PERFORMANCE = "https://w3id.org/wickgraph/ontology#Performance"
CLAIM = "https://w3id.org/wickgraph/ontology#Claim"
REGISTRY_CHECKS = ("subjects registered", "objects registered")
"""The provenance rules (:func:`~wickgraph.building.provenance.provenance_checks`, by label) that
:func:`registry_passes` decides from the text."""


def registry_passes(
    store: OxStore, sources: Sequence[Source], skip_graph: bytes | None, verified: set[Path] | None = None
) -> set[str]:
    """Which of :data:`REGISTRY_CHECKS` surely pass: :func:`text_pass` without the reifiers."""
    return text_pass(store, sources, skip_graph, verified)[0]


REIFIES = f"<{RDF}reifies>".encode()


def _claims(store: OxStore) -> set[bytes]:
    """Every claim IRI (a subject of ``a wg:Claim`` in some graph) in N-Triples syntax: the claim graphs' names."""
    from pyoxigraph import QueryResultsFormat

    rows = store.query(f"SELECT DISTINCT ?c WHERE {{ GRAPH ?record {{ ?c a <{CLAIM}> }} FILTER(isIRI(?c)) }}")
    assert isinstance(rows, QuerySolutions)
    listed = rows.serialize(format=QueryResultsFormat.TSV)
    assert listed is not None
    return set(listed.splitlines()[1:])


def text_pass(
    store: OxStore,
    sources: Sequence[Source],
    skip_graph: bytes | None,
    verified: set[Path] | None = None,
    *,
    reifiers: IO[bytes] | None = None,
) -> tuple[set[str], bool]:
    """Which of :data:`REGISTRY_CHECKS` surely pass: every ``wgd:`` IRI used as a subject (as an object) in a
    graph other than the registry is registered (labelled in the registry, or a performance in some graph);
    and, with ``reifiers``, the claims' RDF 1.2 reifiers written there as N-Triples lines (what
    :func:`~wickgraph.building.union.write_reifiers` writes from the store): ``claim rdf:reifies <<( s p o )>>``
    for every quad of every claim graph. Returns the checks that pass and whether the reifiers were written
    whole (``False``: the caller writes them from the store).

    One pass over ``sources`` (the text of every quad of the store's named graphs; graphs whose IRI text starts
    with ``skip_graph`` are not in the store) instead of two GROUP BY queries and one scan per claim graph. Only
    a pass is decided here: a check that may fail runs as SPARQL, which words its problems (and picks which 20
    to show) as before. Nothing is decided (an empty set, no reifiers) when a line is not in the regular form.
    ``verified``: the sources already found regular (as :func:`run_compiled` collects them). The claims are
    those of the store as it is: call this when nothing but status graphs (``skip_graph``) will be added to
    its named graphs; a claim whose IRI starts with ``skip_graph`` writes no reifiers here."""
    from pyoxigraph import QueryResultsFormat

    from ..namespaces import ENTITIES_GRAPH, WGD

    rows = store.query(
        f"SELECT DISTINCT ?f WHERE {{ {{ GRAPH <{ENTITIES_GRAPH}> {{ ?f <{RDFS_LABEL}> ?l }} }} "
        f"UNION {{ GRAPH ?h {{ ?f a <{PERFORMANCE}> }} }} "
        f'FILTER(isIRI(?f) && STRSTARTS(STR(?f), "{WGD}")) }}'
    )
    assert isinstance(rows, QuerySolutions)
    listed = rows.serialize(format=QueryResultsFormat.TSV)
    assert listed is not None
    registered = set(listed.splitlines()[1:])
    claims = _claims(store) if reifiers is not None else set()
    if reifiers is not None and skip_graph is not None and any(c.startswith(skip_graph) for c in claims):
        reifiers = None  # a claim graph the status would add to: written from the store
    write = reifiers.write if reifiers is not None else None
    prefix, registry = f"<{WGD}".encode(), f"<{ENTITIES_GRAPH}>".encode()
    subjects_pass = objects_pass = True
    verified = set() if verified is None else verified
    for source in sources:
        scope = source.scope.encode()
        for quad in _quads(source, verified, {}):
            if quad is _IRREGULAR:
                return set(), False
            s, p, o, g = quad
            if write is not None and g in claims:
                if scope:
                    s, o = _scoped(s, scope), _scoped(o, scope)
                write(g + b" " + REIFIES + b" <<( " + s + b" " + p + b" " + o + b" )>> .\n")
            if g == registry or (skip_graph is not None and g.startswith(skip_graph)):
                continue
            if subjects_pass and s.startswith(prefix) and s not in registered:
                subjects_pass = False
            if objects_pass and o.startswith(prefix) and o not in registered:
                objects_pass = False
            if not (subjects_pass or objects_pass) and write is None:
                return set(), False
    passing = {label for label, passes in zip(REGISTRY_CHECKS, (subjects_pass, objects_pass), strict=True) if passes}
    return passing, write is not None


def graph_text(store: OxStore, graph: str, path: Path) -> Source:
    """The quads of one named graph of ``store`` written to ``path`` as a :class:`Source` (SPARQL TSV rows)."""
    from pyoxigraph import QueryResultsFormat

    rows = store.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = <{graph}>) }}")
    assert isinstance(rows, QuerySolutions)
    text = rows.serialize(format=QueryResultsFormat.TSV)
    assert text is not None
    from .derive import spell_out_short_terms

    rows_text = spell_out_short_terms(b"".join(line + b"\n" for line in text.splitlines()[1:]))
    path.write_bytes(rows_text.replace(b"\n", b" .\n"))
    return Source(path, tabs=True)
