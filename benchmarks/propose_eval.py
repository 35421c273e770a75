"""Evaluation: precision and recall of `wickgraph propose` against the hand-made claims, per relation.

For each held text that has hand-made claims (the founding article, and the two dated articles), the proposer
runs on the text alone (nothing is written) with the registry *minus the entities only that article
introduces* (every ``wgd:`` entity its claims use that no other data file uses), so that it has to find those
names itself. Each claim, hand-made or proposed, is reduced to *facts* of the relations the proposer knows:

    performance (actor, work)      directs (work, person)     writes (work, person; a script maps to its work)
    rewrites (person, script)      produces (work, who)       distributes (work, company)
    release (work, date or season as written)   story-order (work, set before/after/between, work)
    leads (character, organisation)  member-of (who, organisation)  died (person)

A proposed claim *matches* a hand-made claim when they share a fact and their spans overlap. Per relation:
precision = proposed claims of the relation that match a hand-made claim through a fact of that relation /
proposed claims of the relation; recall = hand-made claims with a fact of the relation matched that way /
hand-made claims with a fact of the relation. Hand-made claims with no fact of these relations (remarks,
genres, booleans other than death) are counted apart: the proposer does not try them.

    python benchmarks/propose_eval.py
    python benchmarks/propose_eval.py --sources ../shared/sources
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

WG = "https://w3id.org/wickgraph/ontology#"
WGD = "https://w3id.org/wickgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ARTICLES = [
    ("cinemark-2024.trig", "cinemark-ballerina-what-we-know.txt"),
    ("gonetrending-2022.trig", "gonetrending-2022-04-29-de-armas-to-star.txt"),
    ("thedigitalfix-2023.trig", "thedigitalfix-2023-04-04-release-date.txt"),
]
Fact = tuple[str, str, str]


def facts(triples: list[tuple[str, str, str]], script_work: dict[str, str]) -> set[Fact]:
    """The relation facts of one claim's triples (IRIs and literal lexical forms as strings)."""
    by_subject: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[s][p].append(o)
    out: set[Fact] = set()
    release_of = {s: props[WG + "releaseOf"][0] for s, props in by_subject.items() if props.get(WG + "releaseOf")}
    for s, props in by_subject.items():
        if WG + "Performance" in props.get(RDF_TYPE, []):
            for actor in props.get(WG + "actor", []):
                for work in props.get(WG + "work", []):
                    out.add(("performance", actor, work))
        for p, o in ((p, o) for p, values in props.items() for o in values):
            local = p[len(WG) :] if p.startswith(WG) else ""
            if local == "director":
                out.add(("directs", s, o))
            elif local == "screenwriter":
                out.add(("writes", s, o))
            elif local == "wroteScript":
                out.add(("writes", script_work.get(o, o), s))
            elif local == "rewrote":
                out.add(("rewrites", s, o))
            elif local in ("producer", "productionCompany"):
                out.add(("produces", s, o))
            elif local == "distributor":
                out.add(("distributes", s, o))
            elif local == "releasedBy" and s in release_of:
                out.add(("distributes", release_of[s], o))
            elif local == "releaseDate":
                out.add(("release", s, o))
            elif local in ("date", "dateText") and s in release_of:
                out.add(("release", release_of[s], o))
            elif local in ("setBetween", "setAfter", "setBefore"):
                out.add(("story-order", s, f"{local} {o}"))
            elif local == "leads":
                out.add(("leads", s, o))
            elif local == "memberOf":
                out.add(("member-of", s, o))
            elif local == "deceased" and o == "true":
                out.add(("died", s, "true"))
    return out


def _quads(path: Path) -> list[Any]:
    from pyoxigraph import RdfFormat, parse

    return list(parse(path=str(path), format=RdfFormat.TRIG))


def _text(term: Any) -> str:
    return str(term.value)


def gold_claims(path: Path, script_work: dict[str, str]) -> list[tuple[str, int, int, set[Fact]]]:
    """(claim, start, end, facts) of every claim with a character span in a hand-made file."""
    from pyoxigraph import NamedNode

    quads = _quads(path)
    spans: dict[str, dict[str, int]] = defaultdict(dict)
    triples: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for q in quads:
        if q.predicate.value in (WG + "spanStart", WG + "spanEnd"):
            spans[q.subject.value][q.predicate.value[len(WG) :]] = int(q.object.value)
        if isinstance(q.graph_name, NamedNode):
            triples[q.graph_name.value].append((q.subject.value, q.predicate.value, _text(q.object)))
    return [
        (claim, span["spanStart"], span["spanEnd"], facts(triples.get(claim, []), script_work))
        for claim, span in spans.items()
        if "/claim/" in claim and "spanStart" in span
    ]


def introduced_only_by(data_dir: Path, name: str) -> set[str]:
    """The ``wgd:`` entities the claims of ``data/name`` use and no other data file (the registry aside) does."""
    used: dict[str, set[str]] = defaultdict(set)
    for path in sorted(data_dir.rglob("*.trig")):
        if path.name == "entities.trig":
            continue
        for q in _quads(path):
            for term in (q.subject, q.object):
                value = getattr(term, "value", "")
                if isinstance(value, str) and value.startswith(WGD):
                    used[value].add(str(path.relative_to(data_dir)))
    return {iri for iri, files in used.items() if files == {name}}


def evaluate(data_dir: Path, sources: Path, name: str, text_name: str) -> dict[str, Any]:
    from wickgraph.propose import propose_text
    from wickgraph.propose.registry import load_registry

    script_work: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.trig")):
        for q in _quads(path):
            if q.predicate.value == WG + "script":
                script_work[_text(q.object)] = q.subject.value
    removed = introduced_only_by(data_dir, name)
    registry = load_registry(data_dir).without(removed)
    text = (sources / text_name).read_text(encoding="utf-8")
    started = time.perf_counter()
    _, mentions, candidates, about = propose_text(text, registry)
    seconds = time.perf_counter() - started
    gold = gold_claims(data_dir / name, script_work)
    proposed = []
    for c in candidates:
        triples = [(s.value, p.value, o.value) for s, p, o in c.triples]
        proposed.append((c.relation, c.start, c.end, facts(triples, script_work)))
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for relation, start, end, found in proposed:
        table[relation]["proposed"] += 1
        if any(
            start < g_end and g_start < end and {f for f in found if f[0] == relation} & g_facts
            for _, g_start, g_end, g_facts in gold
        ):
            table[relation]["correct"] += 1
    out_of_scope = 0
    for _, g_start, g_end, g_facts in gold:
        if not g_facts:
            out_of_scope += 1
        for relation in {f[0] for f in g_facts}:
            table[relation]["gold"] += 1
            mine = {f for f in g_facts if f[0] == relation}
            if any(start < g_end and g_start < end and found & mine for _, start, end, found in proposed):
                table[relation]["found"] += 1
    return {
        "name": name,
        "removed": sorted(r[len(WGD) :] for r in removed),
        "gold": len(gold),
        "out_of_scope": out_of_scope,
        "table": table,
        "seconds": seconds,
        "mentions": len(mentions),
        "unknown": sum(1 for m in mentions if m.match == "unknown"),
        "about": about,
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    - "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=Path, default=None, help="held source texts (default: ../shared/sources)")
    parser.add_argument("--data", type=Path, default=None, help="data directory (default: the project's data/)")
    args = parser.parse_args()
    from wickgraph.locations import default_data_dir, default_sources_dir

    data_dir = args.data or default_data_dir()
    sources = args.sources or default_sources_dir()
    if sources is None:
        raise SystemExit("no held source texts: pass --sources DIR")
    for name, text_name in ARTICLES:
        r = evaluate(data_dir, sources, name, text_name)
        print(f"\n## {name} ({text_name})")
        print(
            f"{r['gold']} hand-made claims ({r['out_of_scope']} with no fact of these relations); registry without "
            f"{len(r['removed'])} entities only this article introduces: {', '.join(r['removed']) or '-'}"
        )
        print(
            f"{r['mentions']} mentions, {r['unknown']} unknown names; about: {r['about']}; "
            f"proposed in {r['seconds']:.2f} s"
        )
        print(
            f"{'relation':<13} {'proposed':>8} {'correct':>8} {'precision':>10} {'gold':>5} {'found':>6} {'recall':>8}"
        )
        totals = defaultdict(int)
        for relation in sorted(r["table"]):
            row = r["table"][relation]
            for k in ("proposed", "correct", "gold", "found"):
                totals[k] += row[k]
            print(
                f"{relation:<13} {row['proposed']:>8} {row['correct']:>8} {_pct(row['correct'], row['proposed']):>10} "
                f"{row['gold']:>5} {row['found']:>6} {_pct(row['found'], row['gold']):>8}"
            )
        print(
            f"{'all':<13} {totals['proposed']:>8} {totals['correct']:>8} "
            f"{_pct(totals['correct'], totals['proposed']):>10} {totals['gold']:>5} {totals['found']:>6} "
            f"{_pct(totals['found'], totals['gold']):>8}"
        )


if __name__ == "__main__":
    main()
