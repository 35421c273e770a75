"""The notebooks in notebooks/: saved without outputs, and each one runs from top to bottom on the real graph.

Each notebook runs in a fresh IPython kernel on this Python (nbclient), against the session's built graph
(WICKGRAPH_STORE), with notebooks/ as its working directory, exactly as ``make notebooks`` runs them. A cell
that raises fails the test. The checks on the outputs come from the sources: the 2024 article names the lead
Rooney, played by Ana de Armas; the fact sheet gives her final name, Eve Macarro, and the director, Len Wiseman.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

import wickgraph
from _pages import external_references, require_chromium, srcdoc
from wickgraph.notebook.execute import NotebookError, execute_notebook, main, strip_notebook, unclean

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
EXPECTED = [
    "01-quickstart",
    "02-what-was-known-when",
    "03-story-order-and-networks",
    "04-remote-endpoint",
    "05-adding-an-article",
]
_SKIP_DIRS = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__", ".hypothesis"}


def saved() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def outputs(nb: Any) -> str:
    """Every text the notebook showed: streams, plain text, HTML and error messages."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type == "error":
                parts.append(f"{out.ename}: {out.evalue}")
            else:
                for kind in ("text/plain", "text/html"):
                    if kind in out.get("data", {}):
                        parts.append(out.data[kind])
    return "\n".join(parts)


def snapshot(root: Path) -> dict[str, int]:
    """Every file of the working tree (caches and the venv aside) with its modification time."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path.stat().st_mtime_ns
    return found


def test_the_notebooks_are_there() -> None:
    assert [p.stem for p in saved()] == EXPECTED


@pytest.mark.parametrize("path", saved(), ids=lambda p: p.stem)
def test_saved_notebooks_carry_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert unclean(nb) == []
    assert nb.metadata.kernelspec.name == "python3"


@pytest.fixture(scope="module")
def executed(built_store: Path) -> dict[str, Any]:
    """Each notebook, run once; the repository's files are compared before and after."""
    before = snapshot(REPO)
    results: dict[str, Any] = {}
    for path in saved():
        try:
            results[path.stem] = execute_notebook(path, timeout=180, env={"WICKGRAPH_STORE": str(built_store)})
        except NotebookError as exc:
            results[path.stem] = exc
    after = snapshot(REPO)
    results["changed files"] = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return results


def run(executed: dict[str, Any], name: str) -> str:
    result = executed[name]
    if isinstance(result, NotebookError):
        pytest.fail(str(result), pytrace=False)
    return outputs(result)


def test_running_the_notebooks_writes_nothing_into_the_repository(executed: dict[str, Any]) -> None:
    assert executed["changed files"] == []


def test_01_quickstart(executed: dict[str, Any]) -> None:
    text = run(executed, "01-quickstart")
    assert "Ana de Armas" in text and "Eve Macarro" in text
    assert "Len Wiseman" in text  # the %%sparql cell's directors
    assert "'John Wick' matches 3 entities" in text
    assert "lead-of" in text  # the list of named queries


def test_02_what_was_known_when(executed: dict[str, Any], sources_dir: Path) -> None:
    text = run(executed, "02-what-was-known-when")
    assert "Ana de Armas" in text and "Rooney" in text and "Eve Macarro" in text
    assert "postponed" in text and "Summer 2024" in text
    # The quoted spans are the held text's own characters.
    article = (sources_dir / "cinemark-ballerina-what-we-know.txt").read_text(encoding="utf-8")
    quotes = re.findall(r"characters (\d+)-(\d+) \(Stated\):\n    (.*)\n", text)
    assert quotes, "the notebook printed no quoted span"
    for start, end, quote in quotes:
        assert article[int(start) : int(end)] == quote
        assert "Rooney" in quote


def images(nb: Any) -> int:
    return sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))


def test_03_story_order_and_networks(executed: dict[str, Any]) -> None:
    text = run(executed, "03-story-order-and-networks")
    # The article and Wikipedia: Ballerina is set between Parabellum and Chapter 4.
    assert "John Wick: Chapter 3 – Parabellum  John Wick: Chapter 4" in text
    assert "Len Wiseman —Ballerina— Chad Stahelski" in text  # the collaboration path
    assert "Len Wiseman —worked with→ Chad Stahelski" in text  # the article's direct fact, with its span
    assert "chars 4342-4462" in text
    assert images(executed["03-story-order-and-networks"]) >= 2  # the order plot and the network drawing


def inline_views(nb: Any) -> list[str]:
    """The HTML outputs that are inline graph views (``<iframe srcdoc=…>``)."""
    return [
        out.data["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if str(out.get("data", {}).get("text/html", "")).startswith("<iframe srcdoc=")
    ]


def test_the_inline_views_fetch_nothing(executed: dict[str, Any]) -> None:
    views = {name: inline_views(executed[name]) for name in ("01-quickstart", "03-story-order-and-networks")}
    assert {name: len(found) for name, found in views.items()} == {"01-quickstart": 1, "03-story-order-and-networks": 4}
    timeline = srcdoc(views["03-story-order-and-networks"][-1])  # the last: the timeline, every dated release
    assert all(f'data-date="{day}"' in timeline for day in ("2024-06-07", "2025-05-24", "2025-06-06"))
    for found in views.values():
        for frame in found:
            page = srcdoc(frame)
            assert page.startswith("<!DOCTYPE html>") and not external_references(page)


def test_the_inline_views_draw_in_a_browser_offline(executed: dict[str, Any], tmp_path: Path) -> None:
    """Notebook 03's views, as an exported HTML file holds them, drawn by headless chromium with no network."""
    from wickgraph.testing.chromium import Chromium

    require_chromium()
    frames = [f for f in inline_views(executed["03-story-order-and-networks"]) if "<script" in srcdoc(f)]
    host = tmp_path / "03-exported.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>notebook</title></head><body>"
        + "".join(f"<div>{frame}</div>" for frame in frames)
        + "</body></html>",
        encoding="utf-8",
    )
    with Chromium(width=1280, height=2000) as browser:
        browser.open(host)
        deadline = time.monotonic() + 60
        while len(sessions := browser.iframe_sessions()) < len(frames) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(sessions) == len(frames)
        for session in sessions:
            browser.wait_for("window.wickgraph && window.wickgraph.stable === true", timeout=120, session=session)
            counts, drawn = browser.evaluate("[window.wickgraph.counts, window.wickgraph.drawn()]", session=session)
            assert counts == drawn and counts["nodes"] > 0
        assert browser.console_errors() == []
        assert browser.requests() == [host.resolve().as_uri()]  # the host page; the views load from srcdoc


def test_04_remote_endpoint(executed: dict[str, Any]) -> None:
    text = run(executed, "04-remote-endpoint")
    assert re.search(r"query URL: +http://127\.0\.0\.1:\d+/query", text)
    assert "Pushed " in text and "Len Wiseman" in text and "Underworld" in text  # the article: "known for Underworld"
    count = len(wickgraph.named_queries())
    assert f"{count} of {count} named queries answer the same on the server" in text
    assert "server stopped: True" in text


def test_04_stops_its_server_when_a_cell_fails(tmp_path: Path, built_store: Path) -> None:
    """A failing cell ends the kernel, and the kernel's exit stops the server the notebook started."""
    nb = nbformat.read(NOTEBOOKS / "04-remote-endpoint.ipynb", as_version=4)
    start = next(i for i, cell in enumerate(nb.cells) if "OxigraphServer().start()" in cell.source)
    pid_file = tmp_path / "server.pid"
    failing = f"open({str(pid_file)!r}, 'w').write(str(server.process.pid))\nraise RuntimeError('a cell failed')"
    nb.cells.insert(start + 1, nbformat.v4.new_code_cell(failing))
    path = tmp_path / "04-failing.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookError, match="a cell failed"):
        execute_notebook(path, timeout=120, env={"WICKGRAPH_STORE": str(built_store)})
    pid = int(pid_file.read_text())

    def alive() -> bool:
        try:
            return "oxigraph" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")  # empty once a zombie
        except OSError:
            return False

    # The server goes with the kernel's process; that kill and exit may lag the kernel's shutdown on a loaded machine.
    deadline = time.monotonic() + 60
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    if outlived := alive():  # do not leave it behind, then fail
        os.kill(pid, signal.SIGTERM)
    assert not outlived, f"oxigraph serve (pid {pid}) outlived the kernel"


def test_executing_reports_the_failing_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise ValueError('no such film')")]
    )
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(NotebookError, match=r"(?s)broken\.ipynb.*raise ValueError.*ValueError: no such film"):
        execute_notebook(path, timeout=60)


def test_strip_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb.cells[0].execution_count = 1
    nb.metadata["widgets"] = {"state": {}}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    assert main([str(path), "--check"]) == 1
    assert "cell 1 has outputs" in capsys.readouterr().err
    assert main([str(path), "--strip"]) == 0
    stripped = nbformat.read(path, as_version=4)
    assert unclean(stripped) == [] and stripped.cells[0].source == "1 + 1"
    assert main([str(path), "--check"]) == 0
    assert unclean(strip_notebook(stripped)) == []


def test_05_adding_an_article(executed: dict[str, Any]) -> None:
    text = run(executed, "05-adding-an-article")
    assert "an unreviewed draft of `wickgraph propose`" in text  # the build refused the draft
    assert "(2 edited)" in text and "1 sentences marked as stating no fact" in text
    assert "citations checked against the held source texts" in text  # the reviewed claims passed the check
    assert "Donnie Yen as Caine: 'Donnie Yen plays Caine" in text  # the quoted span is the text's own
