"""The provenance rules of ``data/README.md``, each defined once, as SPARQL, for both strategies.

Every named graph is the entity registry, a source graph or a claim graph; each claim has one record, in a
source graph, and a graph of triples; every entity used is registered; a claim supersedes only claims, and
none later than itself; a source's date window is not empty; and no triple is outside a named graph. The full
strategy runs these checks on its staging store before the rules' output is merged, the fast one on its
on-disk store; :func:`wickgraph.building.checks.run_checks` words them the same for both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from ..namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, STATUS_GRAPH, WGD, compact
from .checks import DERIVED, LIMIT, Check
from .parse import ox_select

__all__ = ["claim_files", "outside_named_graphs", "provenance_checks", "supersession_links", "supersession_problems"]


def claim_files(store: OxStore, graph_files: Callable[[str], Iterable[str]], claim: str) -> str:
    """The data files of a claim, comma-separated: those of its own graph and of the source graph that holds its
    record (``graph_files(graph)`` gives the files that state a named graph)."""
    found = set(graph_files(claim))
    for quad in store.quads_for_pattern(NamedNode(claim), None, None, None):
        if isinstance(quad.graph_name, NamedNode):
            found |= set(graph_files(quad.graph_name.value))
    return ", ".join(sorted(found)) or DERIVED


def outside_named_graphs(files: Iterable[str]) -> list[str]:
    """The problem of each data file that puts triples in the default graph."""
    return [
        f"{path}: triples outside any named graph; put them in the source's graph or a claim graph"
        for path in sorted(files)
    ]


def provenance_checks() -> list[Check]:
    """The provenance rules as :class:`~wickgraph.building.checks.Check` queries (each message names the
    query's variables in braces)."""
    entities, ontology = f"<{ENTITIES_GRAPH}>", f"<{ONTOLOGY_GRAPH}>"
    # Each IRI once (GROUP BY), then the cheap index lookups, and only then its text (STRSTARTS reads it).
    unregistered = (
        f"FILTER NOT EXISTS {{ GRAPH {entities} {{ ?f rdfs:label ?label }} }} "
        "FILTER NOT EXISTS { GRAPH ?h { ?f a wg:Performance } } "
        f'FILTER(STRSTARTS(STR(?f), "{WGD}"))'
    )
    used_in = (
        "SELECT DISTINCT ?g WHERE { { GRAPH ?g { <{f}> ?p ?o } } UNION { GRAPH ?g { ?s ?p <{f}> } } "
        f"FILTER(?g != {entities}) }} LIMIT 5"
    )
    not_registered = (
        "{f} is used but not in the entity registry (add its type and rdfs:label to the registry graph, wgg:entities)"
    )

    def check(
        head: str, where: str, message: str, label: str, *, locate: str | None = None, graphs: tuple[str, ...] = ("g",)
    ) -> Check:
        query = f"SELECT DISTINCT {head} WHERE {{ {where} }} LIMIT {LIMIT}"
        return Check(query, message, None, label, locate=locate, graphs=graphs)

    return [
        check(
            "?f ?g",
            f"GRAPH ?f {{ }} FILTER(?f NOT IN ({entities}, {ontology})) "
            f'FILTER(!STRSTARTS(STR(?f), "{STATUS_GRAPH}")) '  # a dump's status graphs (read without the rules)
            "FILTER NOT EXISTS { GRAPH ?f { ?f a wg:Source } } FILTER NOT EXISTS { GRAPH ?src { ?f a wg:Claim } } "
            "BIND(?f AS ?g)",
            "graph {f} has no claim record (add `{f} a wg:Claim` with its certainty and span to the source's graph)",
            "graphs have a role",
        ),
        check(
            "?f ?g",
            "GRAPH ?g { ?f a wg:Claim } FILTER NOT EXISTS { GRAPH ?g { ?g a wg:Source } }",
            "claim record {f} is in graph {g}, which is not a source graph (a graph that describes itself as a "
            "wg:Source)",
            "records in source graphs",
        ),
        check(
            "?f ?g ?v",
            "GRAPH ?g { ?f a wg:Claim } GRAPH ?v { ?f a wg:Claim } FILTER(STR(?g) < STR(?v))",
            "claim {f} has records in two source graphs, {g} and {v}",
            "one record per claim",
            graphs=("g", "v"),
        ),
        check(
            "?f ?g",
            "GRAPH ?g { ?f a wg:Claim } FILTER NOT EXISTS { GRAPH ?f { ?s ?p ?o } }",
            "claim {f} has a record but no graph of triples",
            "records have graphs",
        ),
        check(
            "?f",
            # GROUP BY (not DISTINCT): the planner does not push the filters below it, to every quad.
            f"{{ SELECT ?f WHERE {{ GRAPH ?g {{ ?f ?p ?o }} FILTER(?g != {entities} && isIRI(?f)) }} GROUP BY ?f }} "
            + unregistered,
            not_registered,
            "subjects registered",
            locate=used_in,
        ),
        check(
            "?f",
            f"{{ SELECT ?f WHERE {{ GRAPH ?g {{ ?s ?p ?f }} FILTER(?g != {entities} && isIRI(?f)) }} GROUP BY ?f }} "
            + unregistered,
            not_registered,
            "objects registered",
            locate=used_in,
        ),
        check(
            "?f ?v ?new ?old ?g",
            "GRAPH ?g { ?f wg:supersedes ?v ; wg:claimDate ?new } "
            "GRAPH ?t { ?v wg:claimDate ?oldClaimDate OPTIONAL { ?t wg:notBefore ?oldNotBefore } } "
            # An undated source's claim may be as old as its window's lower bound.
            "BIND(IF(BOUND(?oldNotBefore) && ?oldNotBefore < ?oldClaimDate, ?oldNotBefore, ?oldClaimDate) AS ?old) "
            "FILTER(?new < ?old)",
            "claim {f} ({new}) supersedes the later claim {v} ({old})",
            "supersedes earlier claims",
        ),
        check(
            "?f ?v ?hi ?g",
            "GRAPH ?f { ?f a wg:Source . { ?f wg:notBefore ?v ; wg:notAfter ?hi } UNION { ?f wg:notBefore ?v ; "
            "schema:datePublished ?hi } UNION { ?f schema:datePublished ?v ; wg:notAfter ?hi } } FILTER(?v > ?hi) "
            "BIND(?f AS ?g)",
            "source {f}: its date window is empty ({v} is after {hi}); check wg:notBefore, schema:datePublished "
            "and wg:notAfter",
            "date windows",
        ),
        check(
            "?f ?v ?g",
            "GRAPH ?g { ?f wg:supersedes ?v } FILTER NOT EXISTS { GRAPH ?t { ?v a wg:Claim } }",
            "claim {f} supersedes {v}, which is not a claim",
            "supersedes claims",
        ),
    ]


def supersession_links(store: OxStore) -> list[tuple[str, str]]:
    """Every ``(newer, older)`` pair of ``newer wg:supersedes older``, as written in the source graphs."""
    rows = ox_select(store, "SELECT DISTINCT ?new ?old WHERE { GRAPH ?src { ?new wg:supersedes ?old } }")
    return sorted(
        (r["new"].value, r["old"].value)
        for r in rows
        if isinstance(r["new"], NamedNode) and isinstance(r["old"], NamedNode)
    )


def supersession_problems(store: OxStore, files_of: Callable[[str], str]) -> list[str]:
    """A claim that supersedes itself, and every cycle of ``wg:supersedes``: each named with its claims and files
    (``files_of(iri)`` gives the files an IRI comes from)."""
    links = supersession_links(store)
    problems = [
        f"claim {compact(new)} supersedes itself (claim {compact(new)} wg:supersedes {compact(old)}): a claim "
        f"can only supersede another, earlier claim [in {files_of(new)}]"
        for new, old in links
        if new == old
    ]
    edges: dict[str, set[str]] = defaultdict(set)
    for new, old in links:
        if new != old:
            edges[new].add(old)
    for cycle in _cycles(edges):
        path = " -> ".join(compact(c) for c in [*cycle, cycle[0]])
        files = ", ".join(sorted({f for c in cycle for f in files_of(c).split(", ")}))
        pairs = "; ".join(
            f"{compact(a)} supersedes {compact(b)}" for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        )
        problems.append(
            f"supersession cycle {path}: {pairs}, so none of them would be current; remove one of the "
            f"wg:supersedes links [in {files}]"
        )
    return problems


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each strongly connected component with more than one claim (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    cycles = []
    for component in components:
        members = set(component)
        start = min(component)
        # Walk from the smallest claim, always to the smallest next member not yet seen, until back at the start.
        path, seen, node = [start], {start}, start
        while True:
            nexts = sorted(edges[node] & members)
            if start in nexts and len(path) > 1:
                break
            fresh = [n for n in nexts if n not in seen]
            if not fresh:
                break
            node = fresh[0]
            path.append(node)
            seen.add(node)
        cycles.append(path)
    return sorted(cycles)
