"""The incremental build: a new generation from a copy of the current one, with only the changed files' graphs
loaded, derived and merged again.

The fast build records in each generation what it was built from (:mod:`.manifest`). When the ontology, the
shapes and the rules are as they were and only some data files were added, edited or removed,
:func:`plan` finds the graphs they touch, and :func:`fill_incremental` makes the new generation:

1. a RocksDB checkpoint of the current generation (``Store.backup``: hard links, near free);
2. the changed files are loaded into a scratch store in memory (with the ontology and the registry graph),
   where the build rules that stay inside one graph run (:func:`.scoping.local_operation`: a rule whose
   pattern reads only the graph it writes and the ontology);
3. in the copy, each touched graph is rewritten as the difference between what it held and what the scratch
   store holds; what the rules that read across graphs derived for the touched subjects is removed, and those
   rules run again for what changed only
   (:func:`.scoping.derive_scoped`: the rebuilt graphs, the subjects of their triples);
4. the default graph (the union) loses each removed triple that no named graph still holds, and gains the
   new ones; the reifiers of the claims a quad that differs names (its graph or subject) are written again where
   they differ;
5. the checks of the fast build run on what changed (:func:`.scoping.checks_on`: the same queries with a
   ``VALUES`` list, so a bad edit fails with the same words; why that finds every new problem:
   :class:`.scoping.Changed`), the supersession cycle check on every link;
6. the claims' status is computed again for what changed (:func:`.scoping.status_scope`), merged with the
   previous records, and the records that differ are written (the status graphs stay in the copy till then);
   the quads and named graphs are counted as the copy changes (:class:`_Tally`, from the manifest's counts);
   the generation is published as any build's. With :data:`.scoping.compare_scopes` every check and the status
   are computed on the whole store too, and the build fails if the two differ.

The scoped forms and the proofs that they are enough live in :mod:`.scoping`; this module holds the plan and
the steps of the fill.

What it cannot do this way it leaves to the full build, and says why (:class:`Plan`'s ``reason``): no
manifest in the current generation, a changed ontology, shapes or rules, a changed entity registry (every
graph's IRIs are checked against it), input without the build rules, files with blank nodes moved in the
build order (their labels are scoped by it), or most of the data changed. When a blank node is among the
changed quads (``VALUES`` cannot name it), the cross-graph rules and the checks run on the whole store.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse
from pyoxigraph import Store as OxStore

from ..errors import DataError, ValidationError
from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, RDF, STATUS_GRAPH, WG
from .derive import Operation
from .fast import Filled
from .manifest import FileEntry, Manifest, file_digest, ontology_digest, read_asserted, read_manifest, scan_file
from .parse import display_path
from .scoping import Changed, checks_on, cross_graph_rules, derive_scoped, local_operation, registry_derived

__all__ = ["Plan", "fill_incremental", "plan"]

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


@dataclass(frozen=True, slots=True)
class _Input:
    """What the steps of :func:`fill_incremental` share: the new build's data files and where they are."""

    ontology: Path
    data: Path
    files: list[Path]
    workdir: Path
    progress: Callable[[str], None]
    names: list[str]
    """The data files relative to ``data``, in build order."""
    index: dict[str, int]
    """Each data file's place in the build order (its blank node labels are scoped by it)."""

    def name(self, path: Path) -> str:
        return str(path.relative_to(self.data))

    def load(self, store: OxStore, path: Path) -> None:
        """Load the data file ``path`` into ``store`` as the fast build does (a parse error in its words)."""
        from .loading import load_file

        load_file(store, path, False, scope=f"f{self.index[self.name(path)]}")


@dataclass(slots=True)
class _Rebuild:
    """The files to load again and the graphs to build again, grown by the steps that read the changed files."""

    reload: list[Path]
    graphs: set[str]
    scanned: dict[str, FileEntry]
    """The manifest entries of the files read so far (by name)."""


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
    from .generation import pause_for_tests
    from .report import dataset_counts, refuse_empty

    assert planned.manifest is not None
    names = [str(path.relative_to(data)) for path in files]
    given = _Input(ontology, data, files, workdir, progress, names, {name: n for n, name in enumerate(names)})
    old_entries = {entry.path: entry for entry in planned.manifest.files}

    # 2. The changed files read, the graphs they touch found, the scratch store made.
    rebuild = _read_changed(given, planned)
    if isinstance(rebuild, str):
        return rebuild
    source = OxStore.read_only(str(current))
    reason = _add_inferring(given, planned, source, rebuild, old_entries)
    if reason is not None:
        return reason
    reload, graphs = rebuild.reload, rebuild.graphs
    entries = [rebuild.scanned[n] if n in rebuild.scanned else old_entries[n] for n in names]
    files_of = _Files(data, entries)
    progress(
        f"incremental build: {len(planned.changed)} changed file(s), {len(reload)} to load again, "
        f"{len(graphs)} graph(s) to rebuild"
    )
    scratch, asserted = _scratch_store(given, source, reload, graphs, entries, files_of)
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
    tally = _Tally(disk, planned.manifest.quads, planned.manifest.graphs)
    swapped = _swap_graphs(tally, scratch, graphs, rules_across is not None, progress)
    if swapped.scoped and rules_across is not None:
        progress("applying the build rules that read across graphs (to the changed graphs and their subjects)")
        across = derive_scoped(disk, rules_across, graphs, {t.value for t in swapped.subjects}, tally.add)
        derived = local_derived + len(across)
        swapped.added |= {Triple(q.subject, q.predicate, q.object) for q in across}
        swapped.after |= set(across)
    else:
        whole, triples = _derive_across_whole(given, disk)
        tally.unknown()
        derived = local_derived + whole
        swapped.added |= triples

    # 4. The default graph: removed triples no named graph still holds out, the new ones in.
    _update_union(tally, swapped, progress)

    # 5. The checks, on what changed (or the whole store), then the status.
    changed = Changed.of(disk, swapped.before ^ swapped.after) if swapped.scoped else None
    _check(disk, changed, ontology, files_of, progress)
    in_links = _write_status(given, tally, current, swapped, graphs, asserted, entries, files_of)
    progress("counting the entities, sources, claims, graphs and quads")
    counts = dataset_counts(disk)
    refuse_empty(counts, data, len(files))
    quads = len(disk) if tally.quads is None else tally.quads
    named = sum(1 for _ in disk.named_graphs()) if tally.graphs is None else tally.graphs
    filled = Filled(quads, derived, named, counts, in_links)
    progress("writing the new generation to disk")
    disk.flush()
    del disk
    return filled, entries


def _read_changed(given: _Input, planned: Plan) -> _Rebuild | str:
    """Each file to load again parsed in a store of its own (a parse error, as the full build's) and scanned for
    its graphs; a graph it states that an unchanged file states too adds that file (:func:`_closed`), until
    nothing is added. Returns the files and graphs, or the reason to build in full."""
    assert planned.manifest is not None
    rebuild = _Rebuild(list(planned.reload), set(planned.graphs), {})
    while True:
        for path in rebuild.reload:
            name = given.name(path)
            if name not in rebuild.scanned:
                given.progress(f"loading {path}")
                given.load(OxStore(), path)
                rebuild.scanned[name] = scan_file(path, given.data)
        scanned = rebuild.scanned
        new_graphs = set().union(*(set(scanned[n].graphs) for n in scanned)) if scanned else set()
        if new_graphs <= rebuild.graphs:
            return rebuild
        rebuild.graphs |= new_graphs
        replanned = _closed(
            Plan(None, planned.manifest, (), frozenset(rebuild.graphs), planned.changed),
            given.names,
            given.files,
            {given.name(p) for p in rebuild.reload},
        )
        if replanned.reason is not None:
            return replanned.reason
        rebuild.reload, rebuild.graphs = list(replanned.reload), set(replanned.graphs)


def _add_inferring(
    given: _Input, planned: Plan, source: OxStore, rebuild: _Rebuild, old_entries: dict[str, FileEntry]
) -> str | None:
    """Add to ``rebuild`` the graphs whose claims are inferred from a claim in a rebuilt graph, with the files
    that state them (an inferred claim's date follows its premises': :func:`.scoping.derive_scoped` relies on
    its graph being rebuilt). Returns the reason to build in full, if adding them gives one."""
    assert planned.manifest is not None
    premises = rebuild.graphs | _claims_recorded_in(source, rebuild.graphs)
    inferring = _inferring_graphs(source, premises) - rebuild.graphs
    if not inferring:
        return None
    loaded = {given.name(p) for p in rebuild.reload}
    extra = {n for n in given.names if n not in loaded and set(old_entries[n].graphs) & inferring}
    replanned = _closed(
        Plan(None, planned.manifest, (), frozenset(rebuild.graphs | inferring), planned.changed),
        given.names,
        given.files,
        loaded | extra,
    )
    if replanned.reason is not None:
        return replanned.reason
    for path in replanned.reload:
        name = given.name(path)
        if name not in rebuild.scanned:
            given.load(OxStore(), path)
            rebuild.scanned[name] = scan_file(path, given.data)
    rebuild.reload, rebuild.graphs = list(replanned.reload), set(replanned.graphs)
    return None


def _scratch_store(
    given: _Input,
    source: OxStore,
    reload: list[Path],
    graphs: set[str],
    entries: list[FileEntry],
    files_of: _Files,
) -> tuple[OxStore, dict[str, set[Triple]]]:
    """The scratch store in memory: the ontology, the registry as the data state it, the files to load again;
    refused as the fast build refuses (drafts, triples outside a named graph). Returns it with the triples each
    rebuilt graph states."""
    from .drafts import refuse_drafts
    from .provenance import outside_named_graphs

    scratch = OxStore()
    scratch.extend(list(source.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_GRAPH))))
    registry_files = [n for n in given.names if ENTITIES_GRAPH in set(_graphs_of_entry(entries, n))]
    for name in registry_files:
        if _graphs_of_entry(entries, name) == (ENTITIES_GRAPH,):  # the registry alone: straight in
            given.load(scratch, given.data / name)
            continue
        alone = OxStore()
        given.load(alone, given.data / name)
        scratch.extend(list(alone.quads_for_pattern(None, None, None, NamedNode(ENTITIES_GRAPH))))
    for path in reload:
        given.load(scratch, path)
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
    return scratch, asserted


class _Tally:
    """The copy, with its quads and named graphs counted as they change: counting a store of millions of quads
    again takes seconds (4.7 s at 6.2M here), so the previous generation's counts come from its manifest and
    every change is counted as it is written (``None``: not known, counted at the end)."""

    def __init__(self, store: OxStore, quads: int | None, graphs: int | None) -> None:
        self.store = store
        self.quads = quads
        self.graphs = graphs

    def remove(self, quads: Iterable[Quad]) -> None:
        for quad in quads:
            if quad in self.store:
                self.store.remove(quad)
                if self.quads is not None:
                    self.quads -= 1

    def add(self, quads: Iterable[Quad]) -> None:
        new = [q for q in set(quads) if q not in self.store]
        named = {q.graph_name for q in new if not isinstance(q.graph_name, DefaultGraph)}
        if self.graphs is not None:
            self.graphs += sum(1 for g in named if not self.store.contains_named_graph(g))
        if self.quads is not None:
            self.quads += len(new)
        self.store.extend(new)

    def drop_graph(self, graph: NamedNode) -> None:
        """Remove ``graph``, its name and its quads."""
        if not self.store.contains_named_graph(graph):
            return
        if self.quads is not None:
            self.quads -= sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
        if self.graphs is not None:
            self.graphs -= 1
        self.store.remove_graph(graph)

    def unknown(self) -> None:
        """Something wrote to the store past the tally: count at the end."""
        self.quads = self.graphs = None


@dataclass(slots=True)
class _Swapped:
    """What :func:`_swap_graphs` took out of the copy and put in (as triples, for the default graph)."""

    removed: set[Triple]
    """The rebuilt graphs' triples and the registry triples the cross-graph rules derived for their subjects."""
    status: list[Quad]
    """The previous generation's status graphs (in the default graph too; what changed is written after the
    checks)."""
    added: set[Triple]
    """The new graphs' triples; the cross-graph rules' add to it."""
    claims: set[str]
    """The touched claims (their reifiers are written again)."""
    subjects: set[NamedNode]
    """The subjects of the rebuilt graphs' triples, before and after."""
    scoped: bool
    """Whether the cross-graph rules and the checks can be scoped (no blank node changed, the rules have a
    scope)."""
    before: set[Quad]
    """The rebuilt graphs' quads and the registry quads derived for their subjects, as they were."""
    after: set[Quad]
    """The rebuilt graphs' quads as they are now; the cross-graph rules' add to it."""


def _swap_graphs(
    tally: _Tally, scratch: OxStore, graphs: set[str], rules_scoped: bool, progress: Callable[[str], None]
) -> _Swapped:
    """In the copy ``disk``: the rebuilt graphs and what the cross-graph rules derived into the registry for the
    touched subjects out; the scratch store's graphs in (the touched claims' reifiers follow in
    :func:`_update_union`). The status graphs
    stay till the new status replaces what changed in them (:func:`_write_status`): every check reads past them
    (the provenance rules skip status graphs, no rule or shape reads a status record's properties but the
    records' own datatypes, which the build writes right)."""
    progress("removing the changed graphs and what the rules derived from them")
    disk = tally.store
    status = _status_of(disk)  # read before the removals below, which slow the scans that follow them
    before = {q for g in graphs for q in disk.quads_for_pattern(None, None, None, NamedNode(g))}
    after = {q for g in graphs for q in scratch.quads_for_pattern(None, None, None, NamedNode(g))}
    removed = {Triple(q.subject, q.predicate, q.object) for q in before}
    touched = {t.subject for t in removed} | {q.subject for q in after}
    # VALUES lists IRIs: a blank node (or triple term) that changed makes the rules and checks run on everything.
    subjects = {t for t in touched if isinstance(t, NamedNode)}
    scoped = len(subjects) == len(touched) and rules_scoped
    registry_dropped = registry_derived(disk, scratch, subjects if scoped else None)
    removed |= {Triple(q.subject, q.predicate, q.object) for q in registry_dropped}
    claims = graphs | _claims_recorded_in(disk, graphs) | _claims_recorded_in(scratch, graphs)
    # Only the quads that differ are written: most of a rebuilt graph comes out as it was.
    tally.remove(before - after)
    stated = {q.graph_name for q in after}
    for g in graphs:
        if NamedNode(g) not in stated:
            tally.drop_graph(NamedNode(g))
    tally.remove(registry_dropped)
    tally.add(after - before)
    added = {Triple(q.subject, q.predicate, q.object) for q in after}
    return _Swapped(removed, status, added, claims, subjects, scoped, before | set(registry_dropped), after)


def _derive_across_whole(given: _Input, disk: OxStore) -> tuple[int, set[Triple]]:
    """The rules that read across graphs, on the whole store (when they cannot be scoped): how many quads they
    derived, and their triples."""
    from .derive import derive

    with tempfile.TemporaryDirectory(prefix="wickgraph-derived-", dir=given.workdir) as tmp:
        derived_triples = Path(tmp) / "derived.nt"
        given.progress("applying the build rules that read across graphs (to the whole store)")
        with derived_triples.open("w", encoding="utf-8", buffering=1 << 20) as triples:
            derived = derive(
                disk, given.ontology, workdir=given.workdir, progress=given.progress, triples=triples, only=_global
            )
        return derived, {
            Triple(q.subject, q.predicate, q.object)
            for q in parse(path=str(derived_triples), format=RdfFormat.N_TRIPLES)
        }


def _update_union(tally: _Tally, swapped: _Swapped, progress: Callable[[str], None]) -> None:
    """The default graph: each removed triple that no named graph still holds out, the new ones in; the touched
    claims' reifiers written again."""
    progress("updating the default graph (the union view) and the reifiers")
    disk = tally.store
    default = DefaultGraph()
    removed, added = swapped.removed, swapped.added
    for t in removed - added:
        if not any(
            isinstance(q.graph_name, NamedNode) for q in disk.quads_for_pattern(t.subject, t.predicate, t.object)
        ):
            tally.remove([Quad(t.subject, t.predicate, t.object, default)])
    tally.add([Quad(t.subject, t.predicate, t.object, default) for t in added - removed])
    # A claim's reifiers: one per triple of its graph, while it is a claim; only those that differ are written.
    # They read the quads of the claim's graph and its `a wg:Claim` quads in the named graphs, and the previous
    # generation holds them as they were: a claim none of whose quads differ (no quad that differs sits in its
    # graph or has it for subject) keeps them as they are.
    claim_type, a, reifies = NamedNode(WG + "Claim"), NamedNode(RDF + "type"), NamedNode(RDF + "reifies")
    moved = {n for q in swapped.before ^ swapped.after for n in (q.subject, q.graph_name) if isinstance(n, NamedNode)}
    for claim in sorted(c for c in swapped.claims if NamedNode(c) in moved):
        node = NamedNode(claim)
        old = set(disk.quads_for_pattern(node, reifies, None, default))
        new: set[Quad] = set()
        if any(isinstance(q.graph_name, NamedNode) for q in disk.quads_for_pattern(node, a, claim_type)):
            new = {
                Quad(node, reifies, Triple(q.subject, q.predicate, q.object), default)
                for q in disk.quads_for_pattern(None, None, None, node)
            }
        tally.remove(old - new)
        tally.add(new - old)


def _check(
    disk: OxStore, changed: Changed | None, ontology: Path, files_of: _Files, progress: Callable[[str], None]
) -> None:
    """The fast build's checks: the provenance rules and the shapes on what changed (or the whole store), the
    supersession links on the whole store. Raises ``ValidationError`` with every problem found."""
    from .provenance import claim_files, provenance_checks, supersession_problems
    from .shapes import compile_shapes

    if changed is not None:
        progress(f"checking what changed: {len(changed.terms):,} IRIs, {len(changed.focus):,} focus nodes")
    problems = checks_on(disk, changed, provenance_checks(), files_of, progress, "the provenance rules")
    problems += checks_on(disk, changed, compile_shapes(ontology / "shapes.ttl"), files_of, progress, "the shapes")
    progress("checking the supersession links")
    problems += supersession_problems(disk, functools.partial(claim_files, disk, files_of))
    if problems:
        raise ValidationError(problems)


def _write_status(
    given: _Input,
    tally: _Tally,
    current: Path,
    swapped: _Swapped,
    graphs: set[str],
    asserted: dict[str, set[Triple]],
    entries: list[FileEntry],
    files_of: _Files,
) -> dict[str, set[Triple]]:
    """The status of the claims' triples: computed again for what changed (:func:`.scoping.status_scope`; the
    whole store when the checks were not scoped), merged with the previous records, and written as the
    difference with them. Returns the triples (as the data state them) of the claims in a supersession, for the
    new manifest."""
    from .provenance import claim_files, supersession_links
    from .scoping import compare_scopes, status_scope
    from .supersession import merge_status, scoped_status_quads, status_quads

    disk = tally.store
    kept = read_asserted(current)
    for g in graphs:
        kept.pop(g, None)
    links = supersession_links(disk)
    linked = {c for link in links for c in link}
    # A claim of an unchanged file that a changed one now supersedes (or that supersedes one): its triples as
    # the data state them (the manifest keeps only those of the claims in a supersession) read from its file.
    missing = linked - kept.keys() - asserted.keys()
    for name in sorted({e.path for e in entries if set(e.graphs) & missing}):
        alone = OxStore()
        given.load(alone, given.data / name)
        for claim in missing & set(_graphs_of_entry(entries, name)):
            kept.setdefault(claim, set()).update(
                Triple(q.subject, q.predicate, q.object)
                for q in alone.quads_for_pattern(None, None, None, NamedNode(claim))
            )
    everything = {**kept, **asserted}
    files = functools.partial(claim_files, disk, files_of)
    if swapped.scoped:
        given.progress("computing the status of the claims' triples (supersession per triple) for what changed")
        scope = status_scope(disk, links, swapped.claims, swapped.removed, swapped.added)
        new, problems, scope = scoped_status_quads(disk, everything, given.ontology, scope, files, links)
        status = merge_status(swapped.status, new, scope)
    else:
        given.progress("computing the status of every claim's triples (supersession per triple)")
        status, problems = status_quads(disk, everything, given.ontology, files)
    if problems:
        raise ValidationError(problems)
    if swapped.scoped and compare_scopes:
        whole, _ = status_quads(disk, everything, given.ontology, files)
        if set(whole) != set(status):
            raise DataError(
                f"internal: the status computed for what changed differs from the whole store's: "
                f"{sorted(map(str, set(status) - set(whole)))[:5]} not on the whole store, "
                f"{sorted(map(str, set(whole) - set(status)))[:5]} only there"
            )
    _replace_status(tally, swapped.status, status)
    return {c: ts for c, ts in everything.items() if c in linked}


def _status_of(store: OxStore) -> list[Quad]:
    """Every quad of the status graphs of ``store`` (each holds its own ``wg:StatusGraph`` type)."""
    a, kind = NamedNode(RDF + "type"), NamedNode(WG + "StatusGraph")
    found: list[Quad] = []
    for header in store.quads_for_pattern(None, a, kind, None):
        g = header.graph_name
        if isinstance(g, NamedNode) and g == header.subject and g.value.startswith(STATUS_GRAPH):
            found += store.quads_for_pattern(None, None, None, g)
    return found


def _replace_status(tally: _Tally, old: list[Quad], new: list[Quad]) -> None:
    """The status graphs and their triples in the default graph changed from ``old`` to ``new``: what only
    ``old`` holds out (a triple of the default graph unless a named graph still holds it), what only ``new``
    holds in."""
    disk, default = tally.store, DefaultGraph()
    before, after = set(old), set(new)
    tally.remove(before - after)
    for g in {q.graph_name for q in before} - {q.graph_name for q in after}:
        if isinstance(g, NamedNode):
            tally.drop_graph(g)  # a status graph left with no record goes, name and all
    tally.add(after - before)
    kept = {Triple(q.subject, q.predicate, q.object) for q in after}
    for t in {Triple(q.subject, q.predicate, q.object) for q in before - after} - kept:
        if not any(
            isinstance(q.graph_name, NamedNode) for q in disk.quads_for_pattern(t.subject, t.predicate, t.object)
        ):
            tally.remove([Quad(t.subject, t.predicate, t.object, default)])
    tally.add([Quad(q.subject, q.predicate, q.object, default) for q in after - before])


def _global(op: Operation) -> bool:
    return not local_operation(op)


def _graphs_of_entry(entries: list[FileEntry], name: str) -> tuple[str, ...]:
    """The graphs the entry called ``name`` states."""
    return next((e.graphs for e in entries if e.path == name), ())


def _quads_of_file(path: Path) -> Iterable[Quad]:
    from pyoxigraph import parse

    from .parse import FORMATS

    return parse(path=str(path), format=FORMATS[path.suffix])
