"""How fast the notebook faces are: DataFrame conversion, label lookups, HTML, the magic, whole notebooks.

    .venv/bin/python benchmarks/bench_notebook.py --store /tmp/wick [--rows 100000] [--runs 3] [--notebooks]

Prints medians of ``--runs`` runs. The DataFrame figures use a synthetic SELECT result (an IRI column, a
label-able IRI column, an integer, a date, a string and a mostly unbound column) so the row count can grow
beyond the real graph; the rest use the real graph at ``--store`` (built when missing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import Literal, NamedNode

import wickgraph
from wickgraph.namespaces import WGD, XSD
from wickgraph.notebook import to_dataframe
from wickgraph.notebook.html import select_html

REPO = Path(__file__).resolve().parent.parent


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(rows: int) -> wickgraph.SelectResult:
    integer, date = NamedNode(XSD + "integer"), NamedNode(XSD + "date")
    data = [
        {
            "film": NamedNode(f"{WGD}film-{i % 500}"),
            "person": NamedNode(f"{WGD}person-{i % 5000}"),
            "minutes": Literal(str(90 + i % 60), datatype=integer),
            "released": Literal(f"{2000 + i % 25}-0{1 + i % 9}-1{i % 10}", datatype=date),
            "note": Literal(f"note {i}"),
            "rare": Literal("x") if i % 10 == 0 else None,
        }
        for i in range(rows)
    ]
    return wickgraph.SelectResult(list(data[0]), data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--notebooks", action="store_true", help="Also run each notebook once and time it.")
    args = parser.parse_args()
    try:
        kg = wickgraph.open_graph(args.store)
    except wickgraph.StoreNotFoundError:
        wickgraph.build(args.store)
        kg = wickgraph.open_graph(args.store)

    start = time.perf_counter()
    import pandas  # noqa: F401  (the first conversion pays for it)

    print(f"import pandas: {time.perf_counter() - start:.2f} s")

    labels = {f"{WGD}person-{i}": f"Person {i}" for i in range(5000)}
    for rows in sorted({1_000, 10_000, args.rows}):
        result = synthetic(rows)
        result.rows  # noqa: B018  (read once, outside the timing)
        plain = median_seconds(lambda r=result: to_dataframe(r, labels=False), args.runs)
        labelled = median_seconds(lambda r=result: to_dataframe(r, labels), args.runs)
        print(
            f"to_dataframe, {rows:>7,} rows x 6 columns: {plain * 1000:8.1f} ms without labels "
            f"({rows / plain:,.0f} rows/s), {labelled * 1000:8.1f} ms with label columns ({rows / labelled:,.0f} rows/s)"
        )

    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    result = kg.select(everything)
    iris = {t.value for row in result.rows for t in row.values() if isinstance(t, NamedNode)}
    lookup = median_seconds(lambda: kg.labels(iris), args.runs)
    print(f"kg.labels for {len(iris):,} IRIs (every IRI of the default graph): {lookup * 1000:.1f} ms")
    whole = median_seconds(lambda: kg.select(everything).to_dataframe(), args.runs)
    print(f"the whole default graph ({len(result):,} triples) as a labelled DataFrame: {whole * 1000:.1f} ms")
    lead = median_seconds(lambda: kg.run("lead-of").to_dataframe(), args.runs)
    bare = median_seconds(lambda: kg.run("lead-of").rows, args.runs)
    print(f"lead-of: {bare * 1000:.1f} ms as rows, {lead * 1000:.1f} ms as a labelled DataFrame")
    html = median_seconds(lambda: select_html(kg.select(everything)), args.runs)
    print(f"HTML of a {len(result):,}-row result (first 100 rows shown): {html * 1000:.1f} ms")
    card = median_seconds(lambda: kg.entity("Ana de Armas")._repr_html_(), args.runs)
    print(f"entity card of Ana de Armas as HTML: {card * 1000:.1f} ms")

    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.run_line_magic("load_ext", "wickgraph")
    magic = median_seconds(lambda: shell.run_cell_magic("sparql", f"--store {args.store}", everything), args.runs)
    print(f"%%sparql of the same query (store opened once per session): {magic * 1000:.1f} ms")

    if args.notebooks:
        from wickgraph.notebook.execute import execute_notebook

        total = 0.0
        for path in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
            seconds = median_seconds(lambda p=path: execute_notebook(p, env={"WICKGRAPH_STORE": str(args.store)}), 1)
            total += seconds
            print(f"notebook {path.stem}: {seconds:.1f} s (kernel start included)")
        print(f"all notebooks: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
