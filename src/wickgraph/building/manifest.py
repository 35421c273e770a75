"""What a published generation was built from: each input file's SHA-256 and the named graphs it states.

The fast build writes it into its generation (``wickgraph-manifest.json``, beside RocksDB's files, which a
backup does not copy), with the triples each claim in a supersession states as the data give them
(``wickgraph-asserted.nq``: the input of the claims' status, which the build rules would otherwise hide). The
incremental build (:mod:`.incremental`) compares the data directory with it to find what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse
from pyoxigraph import Store as OxStore

from .parse import FORMATS

__all__ = [
    "ASSERTED",
    "MANIFEST",
    "FileEntry",
    "Manifest",
    "file_digest",
    "ontology_digest",
    "read_asserted",
    "read_manifest",
    "scan_file",
    "write_manifest",
]

MANIFEST = "wickgraph-manifest.json"
ASSERTED = "wickgraph-asserted.nq"
VERSION = 1


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One data file as the build read it."""

    path: str
    """Relative to the data directory."""
    sha256: str
    graphs: tuple[str, ...]
    """The named graphs it states, sorted."""
    blank: bool
    """Whether it may hold blank nodes (their labels are scoped by the file's place in the build order)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """A generation's inputs."""

    ontology: str
    """SHA-256 over every file of the ontology directory (vocabulary, shapes, rules)."""
    files: tuple[FileEntry, ...]
    """In build order."""
    quads: int | None = None
    """How many quads the generation holds (``None``: not recorded)."""
    graphs: int | None = None
    """How many named graphs it holds (``None``: not recorded)."""


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read in pieces of 4 MB."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while piece := source.read(1 << 22):
            digest.update(piece)
    return digest.hexdigest()


def ontology_digest(ontology: Path) -> str:
    """One SHA-256 over the names and contents of every file under ``ontology`` (a changed rule, shape or
    vocabulary file changes it)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in ontology.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(ontology)).encode() + b"\0" + file_digest(path).encode() + b"\0")
    return digest.hexdigest()


def scan_file(path: Path, data: Path) -> FileEntry:
    """The manifest entry of a data file that parsed (the build loaded it first). N-Quads in the regular form
    (one quad a line, the graph name last) are read as text; anything else is parsed."""
    graphs: set[str] = set()
    blank = False
    regular = FORMATS[path.suffix] == RdfFormat.N_QUADS
    if regular:
        with path.open("rb") as source:
            for line in source:
                body = line.rstrip()
                if not body or body.startswith(b"#"):
                    continue
                if not body.endswith(b" .") or b"\t" in body:
                    regular = False
                    break
                blank = blank or b"_:" in body
                body = body[:-2].rstrip()
                graph = body[body.rfind(b" ") + 1 :]
                if graph.startswith(b"<") and graph.endswith(b">"):
                    graphs.add(graph[1:-1].decode("utf-8"))
                elif graph.startswith(b"_:"):
                    blank = True
                else:
                    regular = False
                    break
    if not regular:
        graphs, blank = set(), False
        for quad in parse(path=str(path), format=FORMATS[path.suffix]):
            if isinstance(quad.graph_name, NamedNode):
                graphs.add(quad.graph_name.value)
            blank = blank or isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)
    return FileEntry(str(path.relative_to(data)), file_digest(path), tuple(sorted(graphs)), blank)


def write_manifest(
    generation: Path,
    ontology: Path,
    entries: list[FileEntry],
    asserted: dict[str, set[Triple]],
    counts: tuple[int, int] | None = None,
) -> None:
    """Write the manifest and the claims' asserted triples into ``generation``; ``counts``: its quads and named
    graphs (the next incremental build counts from them)."""
    document: dict[str, object] = {
        "version": VERSION,
        "ontology": ontology_digest(ontology),
        "files": [{"path": e.path, "sha256": e.sha256, "graphs": list(e.graphs), "blank": e.blank} for e in entries],
    }
    if counts is not None:
        document["quads"], document["graphs"] = counts
    staged = OxStore()
    staged.extend(
        Quad(t.subject, t.predicate, t.object, NamedNode(claim)) for claim, triples in asserted.items() for t in triples
    )
    staged.dump(output=str(generation / ASSERTED), format=RdfFormat.N_QUADS)
    (generation / MANIFEST).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def read_manifest(generation: Path) -> Manifest | None:
    """The manifest of a generation, or ``None`` when it has none (built by the full build, or before
    manifests) or one of another version."""
    try:
        document = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        return None
    files = tuple(FileEntry(f["path"], f["sha256"], tuple(f["graphs"]), bool(f["blank"])) for f in document["files"])
    counted = [document.get(k) for k in ("quads", "graphs")]
    quads, graphs = (c if isinstance(c, int) and not isinstance(c, bool) else None for c in counted)
    return Manifest(str(document["ontology"]), files, quads, graphs)


def read_asserted(generation: Path) -> dict[str, set[Triple]]:
    """The asserted triples of the claims in a supersession, as :func:`write_manifest` stored them."""
    asserted: dict[str, set[Triple]] = {}
    path = generation / ASSERTED
    if not path.exists():
        return asserted
    for quad in parse(path=str(path), format=RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, DefaultGraph):
            asserted.setdefault(quad.graph_name.value, set()).add(Triple(quad.subject, quad.predicate, quad.object))
    return asserted
