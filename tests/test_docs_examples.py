"""Every ``console`` and ``pycon`` block of README.md and docs/*.md runs, and prints what the page shows.

A console block is a session: each ``$ wickgraph …`` line runs (``echo TEXT | wickgraph …`` gives TEXT on stdin),
against the session's built graph as the default store (``$WICKGRAPH_STORE``); ``wickgraph build`` writes a
fresh store of its own, and ``/tmp/`` in a command is a directory of the test's own. The lines shown after a
command are its output, compared line by line, numbers included. Only what differs from run to run is masked:
how long something took (``in 3.85 s``) and the test's own paths. ``...`` on a line of its own stands for lines
left out, and ``…`` in a line for a part left out (the end of a wide table's line, a path). A pycon block is a
doctest, with ``wickgraph``, ``kg`` (the built graph, opened) and ``sources`` (the held texts' directory) in its
namespace. Test ids are ``page:line``.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import wickgraph
from _readme import ROOT, Block, all_blocks, blocks, pages, read
from wickgraph.cli import cli

BLOCKS = [block for block in all_blocks() if block.not_run is None]
NOT_RUN = [block for block in all_blocks() if block.not_run is not None]
DEFAULT_STORE = "/root/.local/share/wickgraph/store"
"""The default store as the pages show it (the session's store stands in for it)."""

_TIMING = re.compile(r"\bin \d+(?:\.\d+)? s\b(?: \([\d,.]+ \w+/s\))?")
"""How long something took, and the rate that follows from it (``in 0.12 s (83,426 quads/s)``)."""


def _session(text: str) -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for each ``$ `` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip():
            raise AssertionError(f"a console block must start with a `$ ` command, not {line!r}")
    return steps


def compare(shown: list[str], printed: list[str], where: str) -> None:
    """The shown lines are the printed ones: chunks between ``...`` lines each match a run of consecutive
    printed lines, in order; the first chunk starts the output and the last ends it unless a ``...`` stands
    before or after them. A shown line with ``…`` matches a printed line that starts with what precedes it and ends with what follows it
    (a line cut at the end, or a path left out in the middle)."""
    while shown and not shown[-1].strip():
        shown = shown[:-1]
    while printed and not printed[-1].strip():
        printed = printed[:-1]

    def same(want: str, got: str) -> bool:
        want, got = want.rstrip(), got.rstrip()
        if want == got or "…" not in want:
            return want == got
        head, tail = want.split("…", 1)
        if not tail:
            head = head.rstrip()
        return got.startswith(head) and got.endswith(tail) and len(got) >= len(head) + len(tail)

    chunks: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    anchored_start = bool(shown) and shown[0].strip() != "..."
    anchored_end = bool(shown) and shown[-1].strip() != "..."
    position = 0
    report = f"{where}: the page shows\n" + "\n".join(shown) + "\n\nthe command printed\n" + "\n".join(printed)
    for n, chunk in enumerate(chunks):
        if not chunk:
            continue
        starts = [
            j
            for j in range(position, len(printed) - len(chunk) + 1)
            if all(same(w, g) for w, g in zip(chunk, printed[j : j + len(chunk)], strict=True))
        ]
        if n == 0 and anchored_start:
            starts = [j for j in starts if j == 0]
        if n == len(chunks) - 1 and anchored_end:
            starts = [j for j in starts if j + len(chunk) == len(printed)]
        assert starts, report
        position = starts[0] + len(chunk)
    if not shown:
        assert not printed, report


def _mask(line: str, paths: dict[str, str]) -> str:
    for real, shown in paths.items():
        line = line.replace(real, shown)
    return _TIMING.sub("in # s", line)


def run_console(block: Block, built_store: Path, sources_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    steps = _session(block.text)
    assert steps, f"{block.id}: a console block without a `$ ` command"
    for number, (command, shown) in enumerate(steps, start=1):
        where = f"{block.id}, command {number}: {command}"
        stdin = None
        if command.startswith("echo ") and " | wickgraph " in command:
            echoed, command = command.split(" | ", 1)
            stdin = shlex.split(echoed)[1] + "\n"
        words = shlex.split(command)
        assert words[0] == "wickgraph", f"{where}: only `wickgraph` commands run here; mark the block not-run"
        # /tmp/ is the test's own directory; a relative path names a file of the repository (tests run elsewhere).
        args = [
            str(ROOT / a) if not a.startswith(("-", "/")) and "/" in a and (ROOT / a).exists() else a
            for a in (w.replace("/tmp/", f"{tmp_path}/") for w in words[1:])
        ]
        store = built_store
        if args and args[0] == "build":
            store = tmp_path / "default-store"
            if "--fast" not in args and "--sources" not in args:
                args += ["--sources", str(sources_dir)]
        env: dict[str, str | None] = {"WICKGRAPH_STORE": str(store), "WICKGRAPH_ENDPOINT": None}
        result = runner.invoke(cli, args, input=stdin, env=env, prog_name="wickgraph")
        assert result.exit_code == 0, f"{where}: exit status {result.exit_code}\n{result.output}"
        paths = {str(store): DEFAULT_STORE, f"{tmp_path}/": "/tmp/"}
        printed = [_mask(line, paths) for line in result.stdout.replace("\r\n", "\n").splitlines()]
        compare([_mask(line, {}) for line in shown], printed, where)


def run_pycon(block: Block, kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    namespace = {"wickgraph": wickgraph, "kg": kg, "sources": sources_dir}
    test = doctest.DocTestParser().get_doctest(block.text, namespace, block.id, block.page, block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert test.examples, f"{block.id}: a pycon block without a `>>> ` line"
    assert runner.failures == 0, "".join(output)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_example(
    block: Block,
    built_store: Path,
    sources_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("WICKGRAPH_STORE", str(built_store))
    monkeypatch.delenv("WICKGRAPH_ENDPOINT", raising=False)
    monkeypatch.chdir(tmp_path)
    if block.fence == "console":
        run_console(block, built_store, sources_dir, tmp_path)
    else:
        run_pycon(block, request.getfixturevalue("kg"), sources_dir)


# ---- the pages as a whole ---------------------------------------------------------------------------------------


def test_every_page_with_examples_has_them_run() -> None:
    ran = {b.page for b in BLOCKS}
    assert "README.md" in ran
    for page in ("data-model", "networkx", "html-view", "python-api", "scale", "sources", "jupyter"):
        assert f"docs/{page}.md" in ran, page
    assert len(BLOCKS) >= 20


def test_blocks_not_run_are_few_and_say_why() -> None:
    """The blocks the tests cannot run (a long benchmark, a server on a fixed port) are listed with the reason the
    page gives; there are few of them."""
    for block in NOT_RUN:
        assert len(block.not_run or "") >= 10, f"{block.id}: say why the block does not run"
        print(f"not run: {block.id} ({block.fence}): {block.not_run}")
    assert len(NOT_RUN) <= 4, [b.id for b in NOT_RUN]


def test_a_wrong_number_or_a_missing_line_fails() -> None:
    printed = ["Loaded 9 triples", "  in # s", "a", "b"]
    compare(["Loaded 9 triples", "...", "b"], printed, "ok")
    for shown in (["Loaded 8 triples", "..."], ["...", "a"], ["a", "..."], ["Loaded 9 triples", "a", "..."]):
        with pytest.raises(AssertionError):
            compare(shown, printed, "bad")
    compare(["Loaded 9 tri…", "..."], printed, "cut")
    compare(["...", "a", "…b"], ["a", "the b"], "cut in front")
    with pytest.raises(AssertionError):
        compare(["Loaded … triples", "..."], ["Loaded 9 quads"], "bad tail")
    assert _mask("  in 3.85 s", {}) == "  in # s" and _mask("in 12 shots", {}) == "in 12 shots"
    assert _mask("  in 0.12 s (83,426 quads/s)", {}) == "  in # s"
    assert _mask("Wrote 10,045 quads in 2 files", {}) == "Wrote 10,045 quads in 2 files"


def test_the_two_commands_are_what_ci_and_the_makefile_run() -> None:
    readme = read()
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "make demo" in first_screen and "make test" in first_screen
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")


def test_the_first_screen_says_what_it_is_and_where_to_read_next() -> None:
    first_screen = "\n".join(read().splitlines()[:40])
    assert "source" in first_screen and "as known on" in first_screen
    assert "docs/" in first_screen


def _anchors(page: str) -> set[str]:
    """The anchors GitHub gives the headings of a page (lower case, punctuation dropped, spaces as hyphens)."""
    titles = re.findall(r"^#{1,6} (.+)$", re.sub(r"^```.*?^```", "", read(page), flags=re.M | re.S), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") for title in titles}


def test_every_docs_page_is_linked_from_the_readme_and_every_link_resolves() -> None:
    readme = read()
    for page in pages()[1:]:
        assert f"]({page})" in readme, f"README.md does not link {page}"
    for page in pages():
        base = (ROOT / page).parent
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", read(page)):
            if "://" in target or target.startswith("mailto:"):
                continue
            path = base / target if target else ROOT / page
            assert path.exists(), f"{page}: broken link {target}"
            if anchor and path.suffix == ".md":
                linked = str(path.resolve().relative_to(ROOT))
                assert anchor in _anchors(linked), f"{page}: no heading #{anchor} in {linked}"


def test_the_reader_finds_indented_blocks_and_markers() -> None:
    indented = [b for b in blocks("docs/data-model.md") if "<< wgd:ballerina wg:director ?d >>" in b.text]
    assert len(indented) == 1 and indented[0].text.startswith("$ wickgraph query")  # inside a list item
    assert os.path.basename(indented[0].page) == "data-model.md"
    (serve,) = [b for b in blocks("README.md") if b.text.startswith("$ wickgraph serve")]
    assert serve.not_run is not None and "Ctrl-C" in serve.not_run
    assert serve not in BLOCKS and serve in NOT_RUN


def _block(page: str, starts: str) -> Block:
    (found,) = [b for b in BLOCKS if b.page == page and b.text.startswith(starts)]
    return found


def test_a_page_that_drifted_from_the_command_fails(built_store: Path, sources_dir: Path, tmp_path: Path) -> None:
    """The runner itself, given a real block with one number changed, a line dropped from the middle, or a
    command that is not wickgraph's, fails and says where."""
    block = _block("README.md", "$ wickgraph queries")
    run_console(block, built_store, sources_dir, tmp_path)  # as written, it passes
    drifted = [
        block.text.replace("Parabellum: release, 17 May 2019", "Parabellum: release, 18 May 2019"),
        block.text.replace("Parabellum: New York premiere, 9 May 2019  wg:ReleaseEvent\n", ""),
        block.text.replace("$ wickgraph search parabellum", "$ wickgraph search ruska"),
    ]
    for text in drifted:
        assert text != block.text
        with pytest.raises(AssertionError, match=r"README\.md:\d+, command 2"):
            run_console(Block(block.page, block.line, "console", text), built_store, sources_dir, tmp_path)
    with pytest.raises(AssertionError, match="mark the block not-run"):
        run_console(Block("x.md", 1, "console", "$ make notebooks\n"), built_store, sources_dir, tmp_path)


def test_a_pycon_block_with_a_wrong_answer_fails(kg: wickgraph.KnowledgeGraph, sources_dir: Path) -> None:
    block = _block("README.md", ">>> import wickgraph")
    wrong = block.text.replace("['no date yet', 'planned', 'postponed']", "['planned', 'postponed']")
    assert wrong != block.text
    with pytest.raises(AssertionError, match="Expected:"):
        run_pycon(Block(block.page, block.line, "pycon", wrong), kg, sources_dir)


def test_the_api_page_lists_every_public_name_once() -> None:
    """docs/python-api.md has one list entry per name of ``wickgraph.__all__``, and none for a name that is not
    public."""
    text = read("docs/python-api.md")
    entries = re.findall(r"^\s*- `([A-Za-z_][A-Za-z0-9_]*)[`(]", text, flags=re.M)
    public = set(wickgraph.__all__)
    assert len(entries) == len(set(entries)), sorted({n for n in entries if entries.count(n) > 1})
    assert not sorted(public - set(entries)), f"docs/python-api.md has no entry for {sorted(public - set(entries))}"
    assert not sorted(set(entries) - public), f"listed but not in wickgraph.__all__: {sorted(set(entries) - public)}"


def _commands(page: str) -> list[str]:
    return [command for block in blocks(page, ("console",)) for command, _ in _session(block.text)]


def test_the_pages_show_what_they_are_about() -> None:
    """The examples the old README sections had stay on their pages: supersession and date windows in the data
    model, the synthetic universe and the fast build at scale, the NetworkX and HTML view commands."""
    model = _commands("docs/data-model.md")
    assert any(c.startswith("wickgraph show") for c in model) and any("--as-of" in c for c in model)
    assert len(model) >= 4
    assert [shlex.split(c)[1] for c in _commands("docs/scale.md")] == ["generate", "build", "query"]
    assert "--fast" in _commands("docs/scale.md")[1]
    assert {shlex.split(c)[1] for c in _commands("docs/networkx.md")} == {"analyze", "export"}
    assert len([c for c in _commands("docs/html-view.md") if c.startswith("wickgraph viz")]) >= 4
    for page in ("docs/networkx.md", "docs/html-view.md", "docs/jupyter.md"):
        assert blocks(page, ("pycon",)), page
    tour = [shlex.split(c.split(" | ")[-1])[1] for c in _commands("README.md")]
    assert {"build", "query", "show", "viz", "serve"} <= set(tour)
    assert any(c.startswith("wickgraph query lead-of") for c in _commands("README.md"))
    assert blocks("README.md", ("pycon",))
