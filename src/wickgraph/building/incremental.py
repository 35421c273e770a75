"""The incremental build: a new generation from a copy of the current one, with only the changed files' graphs
loaded, derived and merged again.

The fast build records in each generation what it was built from (:mod:`.manifest`). When the ontology, the
shapes and the rules are as they were and only some data files were added, edited or removed,
:func:`plan` finds the graphs they touch, and :func:`fill_incremental` makes the new generation:

1. a RocksDB checkpoint of the current generation (``Store.backup``: hard links, near free);
2. the changed files are loaded into a scratch store in memory (with the ontology and the registry graph),
   where the build rules that stay inside one graph run (:func:`local_operation`: a rule whose pattern reads
   only the graph it writes and the ontology);
3. in the copy, the touched graphs, the status graphs, the touched claims' reifiers and what the rules that
   read across graphs derived for the touched subjects are removed, and what the scratch store derived is
   added; those rules run again for what changed only (:func:`derive_scoped`: the rebuilt graphs, the subjects
   of their triples);
4. the default graph (the union) loses each removed triple that no named graph still holds, and gains the
   new ones; the reifiers of the touched claims are written again;
5. the checks of the fast build run on what changed (:func:`checks_on`: the same queries with a ``VALUES``
   list, so a bad edit fails with the same words; why that finds every new problem: :class:`Changed`), the
   supersession checks and the claims' status on the whole store; the generation is published as any build's.
   With :data:`compare_scopes` every check runs on the whole store too, and the build fails if the two differ.

What it cannot do this way it leaves to the full build, and says why (:class:`Plan`'s ``reason``): no
manifest in the current generation, a changed ontology, shapes or rules, a changed entity registry (every
graph's IRIs are checked against it), input without the build rules, files with blank nodes moved in the
build order (their labels are scoped by it), or most of the data changed. When a blank node is among the
changed quads (``VALUES`` cannot name it), the cross-graph rules and the checks run on the whole store.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, RdfFormat, Triple, parse
from pyoxigraph import Store as OxStore

from ..errors import DataError, ValidationError
from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, RDF, STATUS_GRAPH, WG
from ..sparql_templates import VAR
from .checks import Check
from .derive import Operation
from .fast import Filled
from .manifest import FileEntry, Manifest, file_digest, ontology_digest, read_asserted, read_manifest, scan_file
from .parse import display_path

__all__ = ["Plan", "fill_incremental", "local_operation", "plan"]

MOST = 0.8
"""Above this share of the input's bytes to load again, the full build is used instead."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What an incremental build would do, or why it cannot (``reason``)."""

    reason: str | None
    """Why the full build is needed; ``None`` when the incremental build can run."""
    manifest: Manifest | None = None
    reload: tuple[Path, ...] = ()
    """The data files to load again: the changed ones and those sharing a graph with them."""
    graphs: frozenset[str] = frozenset()
    """The named graphs to remove and build again (the registry graph aside)."""
    changed: tuple[str, ...] = ()
    """The files added, edited or removed (relative to the data directory)."""


def plan(current: Path, ontology: Path, data: Path, files: list[Path]) -> Plan:
    """Compare ``files`` (the data directory's, in build order) and ``ontology`` with the manifest of the
    generation ``current``."""
    manifest = read_manifest(current)
    if manifest is None:
        return Plan("the current generation has no manifest (it was not made by the fast build)")
    if manifest.ontology != ontology_digest(ontology):
        return Plan("the ontology, the shapes or the rules changed")
    old = {entry.path: (index, entry) for index, entry in enumerate(manifest.files)}
    names = [str(path.relative_to(data)) for path in files]
    digests = {name: file_digest(path) for name, path in zip(names, files, strict=True)}
    changed = sorted(
        {n for n in names if n not in old or old[n][1].sha256 != digests[n]} | {n for n in old if n not in digests}
    )
    graphs: set[str] = set()
    for name in changed:
        if name in old:
            graphs |= set(old[name][1].graphs)
    reload = {n for n in changed if n in digests}
    # New graphs of the changed files are known once they are loaded; a graph they share with an unchanged
    # file is found then too (fill_incremental re-plans with them: :class:`_Reload`).
    return _closed(Plan(None, manifest, (), frozenset(graphs), tuple(changed)), names, files, reload)


def _closed(draft: Plan, names: list[str], files: list[Path], reload: set[str]) -> Plan:
    """``draft`` with every unchanged file that states one of its graphs added to the files to load again
    (and its graphs to the graphs), until nothing more is added; or the reason it cannot run."""
    assert draft.manifest is not None
    old = {entry.path: (index, entry) for index, entry in enumerate(draft.manifest.files)}
    graphs = set(draft.graphs)
    grown = True
    while grown:
        grown = False
        for name in names:
            if name in reload or name not in old:
                continue
            if graphs & set(old[name][1].graphs):
                reload.add(name)
                graphs |= set(old[name][1].graphs)
                grown = True
    if ENTITIES_GRAPH in graphs:
        registry = sorted(n for n in reload if n in old and ENTITIES_GRAPH in old[n][1].graphs) or sorted(reload)
        return Plan(f"the entity registry changed ({', '.join(registry)}): every graph's IRIs are checked against it")
    if ONTOLOGY_GRAPH in graphs or any(g.startswith(STATUS_GRAPH) for g in graphs):
        return Plan("a data file states the ontology graph or a status graph")
    for index, name in enumerate(names):
        if name not in reload and old[name][1].blank and old[name][0] != index:
            return Plan(f"{name} has blank nodes and moved in the build order (their labels would change)")
    by_name = dict(zip(names, files, strict=True))
    total = sum(p.stat().st_size for p in files) or 1
    again = sum(by_name[n].stat().st_size for n in reload)
    if again > MOST * total and len(reload) > 1:
        return Plan(f"most of the data changed ({again / total:.0%} of it to load again)")
    return Plan(None, draft.manifest, tuple(by_name[n] for n in sorted(reload)), frozenset(graphs), draft.changed)


_GRAPH_CLAUSE = re.compile(r"\bGRAPH\s+(\S+)", re.IGNORECASE)


def local_operation(op: Operation) -> bool:
    """Whether a rule operation stays inside one graph: it writes into one graph variable and its pattern reads
    only that graph and the ontology graph. Such a rule gives the same quads on any store that holds the graph
    and the ontology; the others (the registry's performance labels and name keys, an inferred claim's date)
    run on the whole store."""
    written = {q.graph_name for q in op.template}
    if len(written) != 1:
        return False
    graph = next(iter(written))
    if not isinstance(graph, NamedNode) or not graph.value.startswith(VAR):
        return False
    variable = "?" + graph.value[len(VAR) :]
    ontology = {f"<{ONTOLOGY_GRAPH}>", "wgg:ontology", variable}
    read = _GRAPH_CLAUSE.findall(op.where)
    return bool(read) and all(term in ontology for term in read) and "SELECT" not in op.where.upper()


class _Files:
    """Which data files state a named graph, from the manifest entries of the new build (for the messages)."""

    def __init__(self, data: Path, entries: Iterable[FileEntry]) -> None:
        self._of: dict[str, set[str]] = {}
        for entry in entries:
            shown = display_path(data / entry.path)
            for graph in entry.graphs:
                self._of.setdefault(graph, set()).add(shown)

    def __call__(self, graph: str) -> set[str]:
        return self._of.get(graph, set())


def _claims_recorded_in(store: OxStore, graphs: Iterable[str]) -> set[str]:
    """The claims whose records sit in ``graphs``."""
    found: set[str] = set()
    claim, a = NamedNode(WG + "Claim"), NamedNode(RDF + "type")
    for graph in graphs:
        for quad in store.quads_for_pattern(None, a, claim, NamedNode(graph)):
            if isinstance(quad.subject, NamedNode):
                found.add(quad.subject.value)
    return found


def _inferring_graphs(store: OxStore, premises: set[str]) -> set[str]:
    """The graphs whose claims are derived from (``wg:derivedFrom``) one of ``premises``: their dates follow."""
    found: set[str] = set()
    derived_from = NamedNode(WG + "derivedFrom")
    for premise in premises:
        for quad in store.quads_for_pattern(None, derived_from, NamedNode(premise), None):
            if isinstance(quad.graph_name, NamedNode):
                found.add(quad.graph_name.value)
    return found


def fill_incremental(
    generation: Path,
    *,
    current: Path,
    workdir: Path,
    ontology: Path,
    data: Path,
    files: list[Path],
    planned: Plan,
    progress: Callable[[str], None],
) -> tuple[Filled, list[FileEntry]] | str:
    """Make ``generation`` from the current one and the changed files (see the module docstring). Returns what
    was written and the new manifest's entries, or the reason to build in full instead (found once the changed
    files are read: a new graph they share with the registry or an unchanged file that made the load too big).
    Raises the fast build's errors, in its words, for bad data."""
    from .derive import derive
    from .drafts import refuse_drafts
    from .generation import pause_for_tests
    from .loading import load_file
    from .provenance import (
        claim_files,
        outside_named_graphs,
        provenance_checks,
        supersession_links,
        supersession_problems,
    )
    from .report import dataset_counts, refuse_empty
    from .shapes import compile_shapes
    from .supersession import drop_status_graphs, status_quads, write_status

    assert planned.manifest is not None
    names = [str(path.relative_to(data)) for path in files]
    index = {name: number for number, name in enumerate(names)}
    old_entries = {entry.path: entry for entry in planned.manifest.files}

    # 2. The changed files, each in a store of its own first (its graphs, for the manifest and the plan).
    reload = list(planned.reload)
    graphs = set(planned.graphs)
    scanned: dict[str, FileEntry] = {}
    while True:
        for path in reload:
            name = str(path.relative_to(data))
            if name not in scanned:
                progress(f"loading {path}")
                load_file(OxStore(), path, False, scope=f"f{index[name]}")  # a parse error, as the full build's
                scanned[name] = scan_file(path, data)
        new_graphs = set().union(*(set(scanned[n].graphs) for n in scanned)) if scanned else set()
        if new_graphs <= graphs:
            break
        graphs |= new_graphs
        replanned = _closed(
            Plan(None, planned.manifest, (), frozenset(graphs), planned.changed),
            names,
            files,
            {str(p.relative_to(data)) for p in reload},
        )
        if replanned.reason is not None:
            return replanned.reason
        reload, graphs = list(replanned.reload), set(replanned.graphs)

    source = OxStore.read_only(str(current))
    premises = graphs | _claims_recorded_in(source, graphs)
    inferring = _inferring_graphs(source, premises) - graphs
    if inferring:
        extra = {n for n in names if n not in {str(p.relative_to(data)) for p in reload}}
        extra = {n for n in extra if set(old_entries[n].graphs) & inferring}
        replanned = _closed(
            Plan(None, planned.manifest, (), frozenset(graphs | inferring), planned.changed),
            names,
            files,
            {str(p.relative_to(data)) for p in reload} | extra,
        )
        if replanned.reason is not None:
            return replanned.reason
        for path in replanned.reload:
            name = str(path.relative_to(data))
            if name not in scanned:
                load_file(OxStore(), path, False, scope=f"f{index[name]}")
                scanned[name] = scan_file(path, data)
        reload, graphs = list(replanned.reload), set(replanned.graphs)
    entries = [scanned[n] if n in scanned else old_entries[n] for n in names]
    files_of = _Files(data, entries)
    progress(
        f"incremental build: {len(planned.changed)} changed file(s), {len(reload)} to load again, "
        f"{len(graphs)} graph(s) to rebuild"
    )

    # The scratch store: the ontology, the registry as the data state it, the files to load again.
    scratch = OxStore()
    scratch.extend(list(source.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_GRAPH))))
    registry_files = [n for n in names if ENTITIES_GRAPH in set(_graphs_of_entry(entries, n))]
    for name in registry_files:
        alone = OxStore()
        load_file(alone, data / name, False, scope=f"f{index[name]}")
        scratch.extend(list(alone.quads_for_pattern(None, None, None, NamedNode(ENTITIES_GRAPH))))
    for path in reload:
        load_file(scratch, path, False, scope=f"f{index[str(path.relative_to(data))]}")
    refuse_drafts(scratch, files_of)
    if scratch.query("ASK { ?s ?p ?o }"):
        outside = {
            display_path(p) for p in reload if any(isinstance(q.graph_name, DefaultGraph) for q in _quads_of_file(p))
        }
        raise ValidationError(outside_named_graphs(outside))
    asserted = {
        g: {Triple(q.subject, q.predicate, q.object) for q in scratch.quads_for_pattern(None, None, None, NamedNode(g))}
        for g in graphs
    }
    progress("applying the build rules that stay in one graph (to the changed graphs)")
    stated = len(scratch)
    derive(scratch, ontology, workdir=workdir, progress=progress, only=local_operation)
    local_derived = len(scratch) - stated
    pause_for_tests("incremental", progress)

    rules_across = cross_graph_rules(ontology)  # None: the rules run on the whole store, as they do for blank nodes
    # 1 and 3. The copy of the current generation, the old graphs out, the new ones in.
    progress("copying the current generation (a RocksDB checkpoint)")
    generation.rmdir()
    source.backup(str(generation))
    del source
    disk = OxStore(str(generation))
    progress("removing the changed graphs and what the rules derived from them")
    removed: set[Triple] = set()
    for g in graphs:
        removed |= {
            Triple(q.subject, q.predicate, q.object) for q in disk.quads_for_pattern(None, None, None, NamedNode(g))
        }
    added_quads = [q for g in graphs for q in scratch.quads_for_pattern(None, None, None, NamedNode(g))]
    touched = {t.subject for t in removed} | {q.subject for q in added_quads}
    # VALUES lists IRIs: a blank node (or triple term) that changed makes the rules and checks run on everything.
    subjects = {t for t in touched if isinstance(t, NamedNode)}
    scoped = len(subjects) == len(touched) and rules_across is not None
    registry_dropped = _registry_derived(disk, scratch, subjects if scoped else None)
    removed |= {Triple(q.subject, q.predicate, q.object) for q in registry_dropped}
    claims = graphs | _claims_recorded_in(disk, graphs) | _claims_recorded_in(scratch, graphs)
    reifies = NamedNode(RDF + "reifies")
    for claim in claims:
        for quad in list(disk.quads_for_pattern(NamedNode(claim), reifies, None, DefaultGraph())):
            disk.remove(quad)
    for g in graphs:
        disk.remove_graph(NamedNode(g))
    for quad in registry_dropped:
        disk.remove(quad)
    # The status records are in the default graph too (written anew below, after the checks, which never see them).
    records: set[Triple] = set()
    for old_status in [g for g in disk.named_graphs() if isinstance(g, NamedNode) and g.value.startswith(STATUS_GRAPH)]:
        records |= {
            Triple(q.subject, q.predicate, q.object) for q in disk.quads_for_pattern(None, None, None, old_status)
        }
    drop_status_graphs(disk)
    disk.extend(added_quads)
    added = {Triple(q.subject, q.predicate, q.object) for q in added_quads}
    if scoped and rules_across is not None:
        progress("applying the build rules that read across graphs (to the changed graphs and their subjects)")
        across = derive_scoped(disk, rules_across, graphs, {t.value for t in subjects})
        disk.extend(across)
        derived = local_derived + len(across)
        added |= {Triple(q.subject, q.predicate, q.object) for q in across}
    else:
        with tempfile.TemporaryDirectory(prefix="wickgraph-derived-", dir=workdir) as tmp:
            derived_triples = Path(tmp) / "derived.nt"
            progress("applying the build rules that read across graphs (to the whole store)")
            with derived_triples.open("w", encoding="utf-8", buffering=1 << 20) as triples:
                derived = local_derived + derive(
                    disk, ontology, workdir=workdir, progress=progress, triples=triples, only=_global
                )
            added |= {
                Triple(q.subject, q.predicate, q.object)
                for q in parse(path=str(derived_triples), format=RdfFormat.N_TRIPLES)
            }

    # 4. The default graph: removed triples no named graph still holds out, the new ones in.
    progress("updating the default graph (the union view) and the reifiers")
    default = DefaultGraph()
    for t in (removed | records) - added:
        if not any(
            isinstance(q.graph_name, NamedNode) for q in disk.quads_for_pattern(t.subject, t.predicate, t.object)
        ):
            disk.remove(Quad(t.subject, t.predicate, t.object, default))
    disk.extend([Quad(t.subject, t.predicate, t.object, default) for t in added - removed - records])
    claim_type, a = NamedNode(WG + "Claim"), NamedNode(RDF + "type")
    for claim in sorted(claims):
        node = NamedNode(claim)
        if any(isinstance(q.graph_name, NamedNode) for q in disk.quads_for_pattern(node, a, claim_type)):
            disk.extend(
                [
                    Quad(node, reifies, Triple(q.subject, q.predicate, q.object), default)
                    for q in disk.quads_for_pattern(None, None, None, node)
                ]
            )

    # 5. The checks, on what changed (or the whole store), then the status.
    changed = Changed.of(disk, removed, added, graphs | claims) if scoped else None
    if changed is not None:
        progress(f"checking what changed: {len(changed.terms):,} IRIs, {len(changed.focus):,} focus nodes")
    problems = checks_on(disk, changed, provenance_checks(), files_of, progress, "the provenance rules")
    problems += checks_on(disk, changed, compile_shapes(ontology / "shapes.ttl"), files_of, progress, "the shapes")
    progress("checking the supersession links")
    problems += supersession_problems(disk, functools.partial(claim_files, disk, files_of))
    if problems:
        raise ValidationError(problems)
    progress("computing the status of every claim's triples (supersession per triple)")
    kept = read_asserted(current)
    for g in graphs:
        kept.pop(g, None)
    linked = {c for link in supersession_links(disk) for c in link}
    # A claim of an unchanged file that a changed one now supersedes (or that supersedes one): its triples as
    # the data state them (the manifest keeps only those of the claims in a supersession) read from its file.
    missing = linked - kept.keys() - asserted.keys()
    for name in sorted({e.path for e in entries if set(e.graphs) & missing}):
        alone = OxStore()
        load_file(alone, data / name, False, scope=f"f{index[name]}")
        for claim in missing & set(_graphs_of_entry(entries, name)):
            kept.setdefault(claim, set()).update(
                Triple(q.subject, q.predicate, q.object)
                for q in alone.quads_for_pattern(None, None, None, NamedNode(claim))
            )
    status, problems = status_quads(
        disk, {**kept, **asserted}, ontology, functools.partial(claim_files, disk, files_of)
    )
    if problems:
        raise ValidationError(problems)
    write_status(disk, status)
    counts = dataset_counts(disk)
    refuse_empty(counts, data, len(files))
    in_links = {c: ts for c, ts in {**kept, **asserted}.items() if c in linked}
    filled = Filled(len(disk), derived, sum(1 for _ in disk.named_graphs()), counts, in_links)
    disk.flush()
    del disk
    return filled, entries


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def scoped_query(query: str, variable: str, iris: Iterable[str]) -> str:
    """``query`` with ``VALUES ?variable { <iri> … }`` first in its last ``WHERE`` group: a subquery's when it
    has one (the innermost, where the engine binds it before grouping), else the query's own.

    >>> scoped_query("SELECT ?f WHERE { ?f ?p ?o }", "f", ["http://e/a"])
    'SELECT ?f WHERE { VALUES ?f { <http://e/a> } ?f ?p ?o }'
    """
    found = list(_WHERE.finditer(query))
    if not found:
        raise DataError(f"internal: no WHERE group to scope: {query[:80]}")
    at = found[-1].end()
    listed = " ".join(f"<{iri}>" for iri in sorted(iris))
    return f"{query[:at]} VALUES ?{variable} {{ {listed} }}{query[at:]}"


def _registry_derived(disk: OxStore, scratch: OxStore, subjects: set[NamedNode] | None) -> list[Quad]:
    """The quads of the registry graph in ``disk`` that the rules reading across graphs derived (a performance's
    label, the name keys), of ``subjects`` (``None``: of every subject). The registry file is unchanged (else the
    build is a full one), and the scratch store holds it with what the rules that stay in one graph derive from
    it: what ``disk`` holds beyond that, the cross-graph rules wrote, and they run again for these subjects."""
    entities = NamedNode(ENTITIES_GRAPH)
    if subjects is None:
        base = set(scratch.quads_for_pattern(None, None, None, entities))
        return [q for q in disk.quads_for_pattern(None, None, None, entities) if q not in base]
    found: list[Quad] = []
    for subject in subjects:
        base = set(scratch.quads_for_pattern(subject, None, None, entities))
        found += [q for q in disk.quads_for_pattern(subject, None, None, entities) if q not in base]
    return found


def cross_graph_rules(ontology: Path) -> list[tuple[Operation, str, bool]] | None:
    """The rules that read across graphs (those :func:`local_operation` refuses), in their order, each with the
    variable :func:`derive_scoped` binds and whether it is the graph written (else the subject written); or
    ``None`` when one has neither form (a template with more than one graph or subject, or constants there):
    a new kind of rule needs its own proof first, and the build is a full one till then."""
    from .derive import operations
    from .rules import rule_files

    found: list[tuple[Operation, str, bool]] = []
    for path in rule_files(ontology):
        for op in operations(path.read_text(encoding="utf-8"), path.name):
            if local_operation(op):
                continue
            written = {q.graph_name for q in op.template}
            subjects = {q.subject for q in op.template}
            graph = next(iter(written)) if len(written) == 1 else None
            subject = next(iter(subjects)) if len(subjects) == 1 else None
            if not isinstance(graph, NamedNode):
                return None
            if graph.value.startswith(VAR):
                found.append((op, graph.value[len(VAR) :], True))
            elif isinstance(subject, NamedNode) and subject.value.startswith(VAR):
                found.append((op, subject.value[len(VAR) :], False))
            else:
                return None
    return found


def derive_scoped(
    store: OxStore, rules: list[tuple[Operation, str, bool]], graphs: set[str], subjects: set[str]
) -> list[Quad]:
    """The quads the rules that read across graphs (:func:`cross_graph_rules`) derive for what changed, each
    rule scoped with ``VALUES``, in their order (each sees what the ones before wrote):

    - a rule that writes into the graph it reads (``GRAPH ?src``: an inferred claim's date) runs for the rebuilt
      ``graphs`` only. Its quads for another graph are in the copy already and still right: a claim whose
      premise sits in a rebuilt graph has its own graph rebuilt too (:func:`fill_incremental` adds it);
    - a rule that writes a fixed graph (the registry: a performance's label, the name keys) runs for the
      ``subjects`` of the rebuilt graphs' triples, before and after (whose derived registry quads were removed).
      Its quads for another subject are still right: a performance's label reads only the performance's own
      ``wg:actor`` and ``wg:work`` triples (in graphs not rebuilt, so unchanged) and the registry's labels (the
      registry file is unchanged); a name key reads only its subject's labels in the registry."""
    from ..store.construct import fill_template

    found: list[Quad] = []
    for op, variable, by_graph in rules:
        values = graphs if by_graph else subjects
        if not values:
            continue
        result = store.query(scoped_query(op.select, variable, values))
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        quads = [Quad(s, p, o, g) for s, p, o, g in fill_template(op.template, names, result)]
        store.extend(quads)
        found += quads
    return found


PROVENANCE_SCOPE: dict[str, tuple[str, ...]] = {
    "graphs have a role": ("f",),
    "records in source graphs": ("f",),
    "one record per claim": ("f",),
    "records have graphs": ("f",),
    "subjects registered": ("f",),
    "objects registered": ("f",),
    "supersedes earlier claims": ("f", "v"),
    "date windows": ("f",),
    "supersedes claims": ("f", "v"),
}
"""For each provenance rule (:func:`~.provenance.provenance_checks`, by label), variables that meet every
pattern of its query: each pattern holds one of them, or sits in the same ``GRAPH ?g`` as a pattern that does
(a rebuilt graph is rebuilt whole, so when one of its quads changed, every quad of it did). A rule not listed
runs on the whole store."""

_PATTERN_SUBJECT = re.compile(r"[{.]\s*(\?\w+)\s+(\S+)")


def shape_scope(query: str) -> frozenset[str] | None:
    """Whether a compiled shape query (:mod:`.shapes`) can be scoped to focus nodes: every triple pattern in it
    has the focus ``?f`` for subject, but ``?v a C`` (``sh:class``), where ``?v`` is a value of ``?f`` by a
    property ``<p>``. Returns those properties (their values' types are read), or ``None`` when it cannot be.

    >>> sorted(shape_scope("SELECT ?f WHERE { ?f <http://e/p> ?v . FILTER NOT EXISTS { ?v a <http://e/C> } }"))
    ['http://e/p']
    >>> shape_scope("SELECT ?f WHERE { ?f <http://e/p> ?x . ?x <http://e/q> ?v }") is None
    True
    """
    if "?f" not in query:
        return None
    paths: set[str] = set()
    for variable, predicate in _PATTERN_SUBJECT.findall(query):
        if variable == "?f":
            continue
        reached = re.findall(r"\?f\s+<([^>]*)>\s+\?v\b", query)
        if variable == "?v" and predicate == "a" and reached:
            paths |= set(reached)
            continue
        return None
    return frozenset(paths)


@dataclass(frozen=True, slots=True)
class Changed:
    """What an incremental build changed, as the scoped checks need it (:func:`checks_on`).

    ``terms``: every IRI of every quad that changed: the rebuilt graphs' quads before and after (their graph
    names too), the registry quads derived again. A provenance
    rule's violation that was not one before needs a pattern of its query to match (or stop matching) a changed
    quad, which binds that pattern's variables to changed terms; so ``VALUES`` over :data:`PROVENANCE_SCOPE`'s
    variables finds every new violation. ``focus``: the subjects of every changed triple, and every subject with
    a value whose types changed; a compiled shape's violation for a focus node reads only its own triples and its
    values' types (:func:`shape_scope`), so it is new only for these. Both rest on the previous generation having
    passed every check (it was published by a build that ran them, with the same ontology and shapes)."""

    terms: frozenset[str]
    focus: frozenset[str]

    @staticmethod
    def of(store: OxStore, removed: set[Triple], added: set[Triple], graphs: set[str]) -> Changed:
        terms: set[str] = set(graphs) | {ENTITIES_GRAPH}
        focus: set[str] = set()
        for t in removed | added:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, NamedNode):
                    terms.add(term.value)
            if isinstance(t.subject, NamedNode):
                focus.add(t.subject.value)
        a = NamedNode(RDF + "type")
        for t in removed ^ added:
            if t.predicate == a and isinstance(t.subject, NamedNode):
                for q in store.quads_for_pattern(None, None, t.subject, DefaultGraph()):
                    if isinstance(q.subject, NamedNode):
                        focus.add(q.subject.value)
        return Changed(frozenset(terms), frozenset(focus))


compare_scopes = os.environ.get("WICKGRAPH_COMPARE_SCOPES") == "1"
"""Run every check both scoped and on the whole store, and fail (``DataError``) when they find different
problems: the test of the scopes (set by the tests, or by the environment variable ``WICKGRAPH_COMPARE_SCOPES=1``)."""


def checks_on(
    store: OxStore,
    changed: Changed | None,
    checks: list[Check],
    files_of: Callable[[str], Iterable[str]],
    progress: Callable[[str], None],
    what: str,
) -> list[str]:
    """The problems ``checks`` find on ``store``: each scoped to what ``changed`` when it can be (see
    :class:`Changed`), else on the whole store (every check with ``changed=None``)."""
    from .checks import run_checks

    progress(f"checking {what} (SPARQL{', on what changed' if changed is not None else ''})")
    problems: list[str] = []
    around: dict[str, OxStore] = {}
    scopes = [shape_scope(check.query) if check.shape else None for check in checks]
    class_paths: frozenset[str] | None = None
    if all(scope is not None for scope, check in zip(scopes, checks, strict=True) if check.shape):
        class_paths = frozenset().union(*(scope for scope in scopes if scope is not None))
    for check in checks:
        progress(f"checking {check.label}")
        scope: tuple[tuple[str, frozenset[str]], ...] | None = None
        on = store
        if changed is not None and check.shape and class_paths is not None:
            scope = (("f", changed.focus),)
            if "focus" not in around:
                around["focus"] = neighbourhood(store, changed.focus, class_paths)
            on = around["focus"]
        elif changed is not None and check.label in PROVENANCE_SCOPE:
            scope = tuple((n, changed.terms) for n in PROVENANCE_SCOPE[check.label])
            if check.label in GRAPH_NEIGHBOURHOOD:
                if "graphs" not in around:
                    around["graphs"] = neighbourhood(store, changed.terms, frozenset(), graphs=True)
                on = around["graphs"]
        whole = run_checks(store, [check], files_of=files_of) if scope is None or compare_scopes else []
        found = whole
        if scope is not None:
            found = []
            for variable, values in scope:
                if values:
                    narrowed = dataclasses.replace(check, query=scoped_query(check.query, variable, values))
                    found += [p for p in run_checks(on, [narrowed], files_of=files_of) if p not in found]
            if compare_scopes and not _same_problems(check.label, whole, found):
                raise DataError(
                    f"internal: the check {check.label!r} scoped to what changed found {found}, on the whole "
                    f"store {whole}"
                )
        problems += [p for p in found if p not in problems]
    return problems


GRAPH_NEIGHBOURHOOD = frozenset(
    {"graphs have a role", "records in source graphs", "one record per claim", "records have graphs"}
)
"""The provenance rules whose scoped query runs on :func:`neighbourhood` with ``graphs=True`` (on the whole
store the engine joins a long ``VALUES`` list with every claim, one by one): their patterns read only the
``rdf:type`` quads of the focus, those of the graphs they sit in, and whether the graph the focus names is
empty."""


def neighbourhood(
    store: OxStore, nodes: Iterable[str], class_paths: frozenset[str], *, graphs: bool = False
) -> OxStore:
    """A store in memory with what a check scoped to ``nodes`` reads of ``store``. For the shapes: every quad
    with one of them for subject (in every graph) and the ``rdf:type`` quads of their values by the
    ``class_paths`` (``sh:class``); a compiled shape's patterns read only these (:func:`shape_scope`). With
    ``graphs``, for :data:`GRAPH_NEIGHBOURHOOD`: their ``rdf:type`` quads, those of the graphs these sit in, and
    one quad of each graph one of them names. A check gives the same rows for these focus nodes here as on ``store``, and the same words (a
    problem's labels and files are looked up from the focus's quads)."""
    a = NamedNode(RDF + "type")
    found: list[Quad] = []
    for iri in nodes:
        node = NamedNode(iri)
        if graphs:
            found += store.quads_for_pattern(node, a, None, None)
            found += itertools.islice(store.quads_for_pattern(None, None, None, node), 1)
        else:
            found += store.quads_for_pattern(node, None, None, None)
    if graphs:
        named = {q.graph_name.value for q in found if isinstance(q.graph_name, NamedNode)} - set(nodes)
        found += [q for g in named for q in store.quads_for_pattern(NamedNode(g), a, None, None)]
    values = {q.object for q in found if isinstance(q.object, NamedNode) and q.predicate.value in class_paths}
    found += [q for value in values for q in store.quads_for_pattern(value, a, None, None)]
    small = OxStore()
    small.extend(found)
    return small


def _same_problems(label: str, whole: list[str], scoped: list[str]) -> bool:
    """Whether a check found the same problems on the whole store and scoped: the same ones, or (when either
    stopped at :data:`~.checks.LIMIT`) both stopped."""
    from .checks import LIMIT

    more = f"… and possibly more breaking the rule {label!r} (only the first {LIMIT} shown)"
    if more in whole or more in scoped:
        return more in whole and more in scoped
    return set(whole) == set(scoped)


def _global(op: Operation) -> bool:
    return not local_operation(op)


def _graphs_of_entry(entries: list[FileEntry], name: str) -> tuple[str, ...]:
    """The graphs the entry called ``name`` states."""
    return next((e.graphs for e in entries if e.path == name), ())


def _quads_of_file(path: Path) -> Iterable[Quad]:
    from pyoxigraph import parse

    from .parse import FORMATS

    return parse(path=str(path), format=FORMATS[path.suffix])
