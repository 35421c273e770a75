"""Reading ontology and data files into a staging store, remembering which file said what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolution, QuerySolutions, RdfFormat, parse
from pyoxigraph import Store as OxStore

from ..errors import ParseError
from ..namespaces import ONTOLOGY_GRAPH

__all__ = ["FORMATS", "Staged", "data_files", "display_path", "ontology_files", "ox_select", "stage"]

FORMATS = {".ttl": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS}


@dataclass
class Staged:
    """The parsed dataset in memory, and where each subject and graph came from."""

    store: OxStore
    files: list[Path]
    origins: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """IRI of a subject or graph name -> the files (as given) that mention it as such."""
    default_graph_files: set[str] = field(default_factory=set)
    """Data files that put triples in the default graph (they belong in a named graph)."""

    def graph_files(self, graph: str) -> set[str]:
        """The files that state triples in a named graph (or mention the IRI as a subject)."""
        return self.origins.get(graph, set())

    def files_of(self, iri: str) -> str:
        """The files an IRI comes from, comma-separated, or ``"(derived)"``."""
        return ", ".join(sorted(self.origins.get(iri, ()))) or "(derived by the build rules)"


def ontology_files(ontology_dir: Path) -> list[Path]:
    """The vocabulary files (every ``*.ttl`` except the SHACL shapes)."""
    return sorted(p for p in ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")


def data_files(data_dir: Path) -> list[Path]:
    """Every RDF file under the data directory, in sorted order.

    A symbolic link that leads out of the data directory is refused (:class:`ParseError` naming the link, never
    reading its target): the build reads what ``data/`` holds and nothing else. Links inside it are followed
    for files, not for directories.
    """
    root = data_dir.resolve()
    found = []
    for path in data_dir.rglob("*"):
        if path.is_symlink():
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # a loop of links
                target = Path("/")
            if target != root and root not in target.parents:
                raise ParseError(
                    "is a symbolic link to a place outside the data directory; the build does not follow it "
                    "(copy the file into the data directory, or remove the link)",
                    path=display_path(path),
                )
        if path.suffix in FORMATS and path.is_file():
            found.append(path)
    return sorted(found)


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_quads(path: Path, *, to_graph: str | None = None) -> list[Quad]:
    """Parse one file; a syntax error becomes a :class:`ParseError` naming file, line and column."""
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise ParseError(
            f"unknown RDF file type {path.suffix!r} (use .ttl, .trig, .nt or .nq)", path=display_path(path)
        )
    try:
        quads = list(parse(path=str(path), format=fmt, base_iri=None))
    except SyntaxError as exc:
        # pyoxigraph: SyntaxError(msg, (filename, line, column, text, end_line, end_column))
        line, column = exc.lineno, exc.offset
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        message = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
        raise ParseError(message, path=display_path(path), line=line, column=column) from None
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", path=display_path(path)) from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text: {exc.reason}", path=display_path(path)) from None
    if to_graph is not None:
        graph = NamedNode(to_graph)
        quads = [Quad(q.subject, q.predicate, q.object, graph) for q in quads]
    return quads


def stage(ontology_dir: Path, data_dir: Path) -> Staged:
    """Parse the ontology (into the ontology graph) and every data file into an in-memory store."""
    if not ontology_dir.is_dir():
        raise ParseError("ontology directory not found", path=str(ontology_dir))
    if not data_dir.is_dir():
        raise ParseError("data directory not found", path=str(data_dir))
    store = OxStore()
    files = ontology_files(ontology_dir) + data_files(data_dir)
    staged = Staged(store=store, files=files)
    for path in ontology_files(ontology_dir):
        store.extend(read_quads(path, to_graph=ONTOLOGY_GRAPH))
    for path in data_files(data_dir):
        shown = display_path(path)
        quads = read_quads(path)
        for q in quads:
            if isinstance(q.graph_name, DefaultGraph):
                staged.default_graph_files.add(shown)
            elif isinstance(q.graph_name, NamedNode):
                staged.origins[q.graph_name.value].add(shown)
            if isinstance(q.subject, (NamedNode, BlankNode)):
                staged.origins[q.subject.value].add(shown)
        store.extend(quads)
    return staged


def ox_select(store: OxStore, sparql: str) -> list[QuerySolution]:
    """The rows of a SELECT query on a pyoxigraph store (with the project prefixes declared)."""
    from ..namespaces import sparql_prologue

    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, QuerySolutions), "ox_select() takes a SELECT query"
    return list(result)
