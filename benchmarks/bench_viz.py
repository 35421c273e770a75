"""Benchmark: the HTML view, from graph to a stable picture in headless chromium.

For the real graph (whole, and the neighbourhood of Ballerina) and synthetic film universes of growing size
(``wickgraph generate``, then the fast build; the largest is past the view's 1,000-node limit, drawn with the
limit raised to show why it is there), prints: nodes and edges drawn, HTML generation time, file size, and the time from navigation to the first
stable picture in chromium (physics settled and switched off, first frame drawn after it), as the page itself
measures it (``performance.now()`` at that frame).

    python benchmarks/bench_viz.py
    python benchmarks/bench_viz.py --sizes 6 40
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[6, 20, 40, 120], help="films of synthetic universes")
    args = parser.parse_args()
    import wickgraph
    from wickgraph.building.builder import bulk_build
    from wickgraph.networkx_export import Vocabulary
    from wickgraph.synthetic import generate
    from wickgraph.testing.chromium import Chromium
    from wickgraph.viz import neighbourhood, render

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        wickgraph.build(tmp / "store")
        cases = []
        with wickgraph.open_graph(tmp / "store") as kg:
            vocabulary = Vocabulary.load(kg)
            full = wickgraph.to_networkx(kg)
        cases.append(("real: Ballerina, 1 step", neighbourhood(full, "Ballerina", 1), {}))
        cases.append(("real: whole graph", full, {}))
        cases.append(("real: story order", full, {"story": True}))
        for size in args.sizes:
            universe = tmp / f"universe-{size}"
            generate(universe / "universe.nq", films=size, seed=7)
            bulk_build(tmp / f"store-{size}", data_dir=universe)
            with wickgraph.open_graph(tmp / f"store-{size}") as kg:
                graph = wickgraph.to_networkx(kg)
            cases.append((f"synthetic {size}", graph, {"max_nodes": 100_000}))
        print(f"{'view':26} {'nodes':>6} {'edges':>6} {'html s':>7} {'MB':>6} {'stable s':>9}")
        with Chromium(width=1280, height=800) as browser:
            for name, graph, options in cases:
                started = time.perf_counter()
                rendered = render(graph, vocabulary=vocabulary, **options)
                html_seconds = time.perf_counter() - started
                path = tmp / "view.html"
                path.write_text(rendered.html, encoding="utf-8")
                browser.open(path)
                browser.wait_for("window.wickgraph && window.wickgraph.stable === true", timeout=900)
                stable = float(browser.evaluate("window.wickgraph.stableAt")) / 1000
                errors = browser.console_errors()
                size = len(rendered.html.encode("utf-8")) / 2**20
                print(
                    f"{name:26} {rendered.nodes:>6,} {rendered.edges:>6,} {html_seconds:>7.2f} {size:>6.2f} {stable:>9.2f}"
                    + (f"  console errors: {errors}" if errors else ""),
                    flush=True,
                )
    print("\nstable s: from navigation start to the first frame drawn once physics settled (chromium, headless).")


if __name__ == "__main__":
    main()
