"""Terminal habits: tables and cards fit COLUMNS, piped output is plain TSV, rows differing only in their
sources are grouped, local names work wherever a name does, and every "not found" names the nearest names.

The `wickgraph` command runs for real, in a subprocess, with COLUMNS set (80 and 200), on a pseudo-terminal
of 80 columns, and in a shell pipeline into `cut`.
"""

from __future__ import annotations

import csv
import fcntl
import io
import itertools
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wickgraph.output import MAX_CELL, fit_widths
from wickgraph.terminal import fit_line

# Every command that prints a table or a card, with output wider than 80 columns when nothing is fitted.
WIDE_COMMANDS: list[tuple[str, ...]] = [
    ("query", "lead-of", "--format", "table"),
    ("query", "fact-provenance", "--format", "table"),
    ("query", "release-history", "--format", "table"),
    ("show", "Ballerina"),
    ("analyze", "path", "Len Wiseman", "Chad Stahelski"),
    ("analyze", "communities"),
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "WICKGRAPH_ENDPOINT")}
    env.update(extra)
    return env


def _wickgraph(store: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wickgraph", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=180,
        env=_env(**env),
    )


def _longest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


# ---- fitting, on its own -------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=14), st.integers(20, 240))
def test_fitted_columns_fit_and_the_widest_give_way_first(natural: list[int], width: int) -> None:
    fitted = fit_widths(natural, width)
    room = width - 2 * (len(natural) - 1)
    if room >= len(natural):  # one character a column is always possible
        assert sum(fitted) <= room
    capped = [min(n, MAX_CELL) for n in natural]
    for i, w in enumerate(fitted):
        assert 1 <= w <= capped[i]
        # A column is cut only where every wider column was cut at least as far.
        if w < capped[i]:
            assert all(fitted[j] <= w + 1 for j in range(len(natural)) if capped[j] >= capped[i])
    if sum(capped) + 2 * (len(natural) - 1) <= width:
        assert fitted == capped  # nothing cut when it fits


def test_fit_line_wraps_with_a_hanging_indent() -> None:
    line = "      Cinemark article, 2024-01-03, stated; chars 1189-1244 of cinemark-2024.txt and more words here"
    parts = fit_line(line, 40)
    assert len(parts) > 1 and all(len(p) <= 40 for p in parts)
    assert parts[0].startswith("      Cinemark") and all(p.startswith("          ") for p in parts[1:])
    assert " ".join(p.strip() for p in parts) == line.strip()
    assert fit_line(line, None) == [line]
    unbroken = "x" * 100
    assert (
        all(len(p) <= 30 for p in fit_line(unbroken, 30))
        and "".join(p.strip() for p in fit_line(unbroken, 30)) == unbroken
    )


# ---- the real command at 80 and 200 columns ------------------------------------------------------------


@pytest.mark.parametrize("args", WIDE_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_output_fits_columns(built_store: Path, args: tuple[str, ...]) -> None:
    wide = _wickgraph(built_store, *args, "--wide", COLUMNS="80")
    assert wide.returncode == 0, wide.stderr
    assert _longest(wide.stdout) > 80  # there is something to fit: --wide prints it whole
    for columns in (80, 200):
        result = _wickgraph(built_store, *args, COLUMNS=str(columns))
        assert result.returncode == 0, result.stderr
        assert _longest(result.stdout) <= columns, (columns, max(result.stdout.splitlines(), key=len))
        if columns == 200:
            assert _longest(result.stdout) > 80  # the room is used
    if args[0] == "show":  # a card is wrapped, not cut: every word is still there
        fitted = _wickgraph(built_store, *args, COLUMNS="80").stdout
        assert fitted.split() == wide.stdout.split()


@pytest.mark.parametrize(
    "args",
    [
        ("analyze", "centrality"),
        ("analyze", "story-order"),
        ("search", "wick"),
        ("query", "story-order", "--format", "table"),
        ("query", "writing-history", "--format", "table"),
        ("query", "hedged-claims", "--format", "table"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_other_table_fits_80_columns(built_store: Path, args: tuple[str, ...]) -> None:
    result = _wickgraph(built_store, *args, COLUMNS="80")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and _longest(result.stdout) <= 80, max(result.stdout.splitlines(), key=len)


def test_cut_values_end_with_an_ellipsis_and_keep_their_columns(built_store: Path) -> None:
    args = ("query", "who-plays", "--param", "character=Rooney")
    table = _wickgraph(built_store, *args, "--format", "table", COLUMNS="60").stdout.splitlines()
    rows = list(csv.reader(io.StringIO(_wickgraph(built_store, *args, "--format", "tsv").stdout), delimiter="\t"))
    rule = table[1]
    assert set(rule) == {"-", " "} and len(rule) <= 60
    spans = [(m.start(), m.end()) for m in re.finditer("-+", rule)]
    assert [table[0][a:b].strip() for a, b in spans] == [
        _fitted(h, b - a) for h, (a, b) in zip(rows[0], spans, strict=True)
    ]
    assert table[-1] == f"({len(rows) - 1} rows)"
    cut = 0
    for line, row in zip(table[2:-1], rows[1:], strict=True):
        assert len(line) <= 60
        cells = [line[a:b].strip() for a, b in spans]
        assert cells == [_fitted(v, b - a) for v, (a, b) in zip(row, spans, strict=True)]
        cut += sum(1 for c in cells if c.endswith("…"))
    assert cut > 0  # something was cut, with the mark


def _fitted(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def test_on_a_pseudo_terminal_of_80_columns(built_store: Path) -> None:
    """No COLUMNS: the width is the terminal's own (TIOCGWINSZ), and the default format is the table."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    attributes = termios.tcgetattr(follower)
    attributes[1] &= ~termios.OPOST  # read back exactly what was written
    termios.tcsetattr(follower, termios.TCSANOW, attributes)
    process = subprocess.Popen(
        [sys.executable, "-m", "wickgraph", "query", "lead-of", "--store", str(built_store)],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=_env(),
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=180) == 0
    assert process.stderr is not None
    process.stderr.close()
    text = b"".join(chunks).decode("utf-8")
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["actorLabel", "characterLabel"] and lines[1].startswith("    ↳ sourceTitle")
    assert set(lines[2]) <= {"-", " "}
    assert max(len(line) for line in lines) <= 80


# ---- piped: plain TSV -------------------------------------------------------------------------------------


def test_cut_pipeline_gives_the_actor_names(built_store: Path) -> None:
    script = f"{sys.executable} -m wickgraph query who-plays --param character=Rooney --store {built_store} | cut -f1"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=180, env=_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    answer = json.loads(
        _wickgraph(built_store, "query", "who-plays", "--param", "character=Rooney", "--format", "json").stdout
    )
    names = [b["actorLabel"]["value"] for b in answer["results"]["bindings"]]
    assert lines == ["actorLabel", *names]
    assert "Ana de Armas" in lines and not any(line.startswith(('"', "?")) for line in lines)


def test_plain_tsv_has_bare_values_and_sparql_tsv_stays(built_store: Path) -> None:
    plain = _wickgraph(built_store, "query", "release-history").stdout  # piped: the default is plain TSV
    assert plain == _wickgraph(built_store, "query", "release-history", "--format", "tsv").stdout
    header = plain.splitlines()[0].split("\t")
    assert "date" in header and not any(h.startswith("?") for h in header)
    assert "^^" not in plain and "<http" not in plain
    dates = {line.split("\t")[header.index("date")] for line in plain.splitlines()[1:]}
    assert "2025-06-06" in dates
    sparql = _wickgraph(built_store, "query", "release-history", "--format", "sparql-tsv").stdout
    assert sparql.splitlines()[0].split("\t")[0] == "?" + header[0]
    assert '"2025-06-06"^^<http://www.w3.org/2001/XMLSchema#date>' in sparql
    # The same rows, in the same order.
    assert len(sparql.splitlines()) == len(plain.splitlines())


def test_plain_tsv_keeps_one_row_a_line_with_hostile_values(built_store: Path) -> None:
    query = r'SELECT ?a ?b ?c WHERE { BIND("tab\there\nnew line\\back" AS ?a) BIND(wgd:ballerina AS ?b) BIND(3 AS ?c) }'
    out = _wickgraph(built_store, "query", query).stdout
    lines = out.splitlines()
    assert lines[0] == "a\tb\tc"
    assert len(lines) == 2
    assert lines[1].split("\t") == [r"tab\there\nnew line\\back", "wgd:ballerina", "3"]


# ---- grouped rows ----------------------------------------------------------------------------------------


def test_lead_of_groups_rows_that_differ_only_in_their_sources(built_store: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_wickgraph(built_store, "query", "lead-of", "--format", "csv").stdout)))
    values = {(r["actorLabel"], r["characterLabel"], r["name"]) for r in rows}
    assert len(rows) > len(values)  # several sources for one value: the CSV keeps every row
    data = json.loads(_wickgraph(built_store, "query", "lead-of", "--format", "json").stdout)
    assert len(data["results"]["bindings"]) == len(rows)

    table = _wickgraph(built_store, "query", "lead-of", "--format", "table", "--wide").stdout.splitlines()
    assert table[0].split() == ["actorLabel", "characterLabel", "name"]
    assert table[1] == "    ↳ sourceTitle · claimDate · certainty · current · claim"
    body, footer = table[3:-1], table[-1]
    assert footer == f"({len(rows)} rows, {len(values)} values with their sources)"
    shown_values = [tuple(re.split(r"\s{2,}", line.strip())) for line in body if not line.startswith(" ")]
    assert sorted(shown_values) == sorted(values)  # one line per value (Rooney once, not three times) ...
    sources = [line for line in body if line.startswith("    ↳ ")]
    assert len(sources) == len(rows) == len(body) - len(values)  # ... and under it one line per source
    claims = {line.rsplit(" · ", 1)[1] for line in sources}
    assert claims == {"wgc:" + r["claim"].split("/claim/", 1)[1] for r in rows}  # every claim still there
    # Under the Rooney line, exactly the Rooney claims.
    start = next(i for i, line in enumerate(body) if line.rsplit("  ", 1)[-1].strip() == "Rooney")
    under = list(itertools.takewhile(lambda line: line.startswith(" "), body[start + 1 :]))
    assert len(under) == sum(1 for r in rows if r["name"] == "Rooney") >= 2


# ---- names ------------------------------------------------------------------------------------------------


def test_local_names_wherever_a_name_is(built_store: Path) -> None:
    card = _wickgraph(built_store, "show", "john-wick")
    assert card.returncode == 0, card.stderr
    assert "(wgd:john-wick)" in card.stdout.splitlines()[0]
    path = _wickgraph(built_store, "analyze", "path", "len-wiseman", "chad-stahelski")
    assert path.returncode == 0, path.stderr
    assert path.stdout == _wickgraph(built_store, "analyze", "path", "Len Wiseman", "Chad Stahelski").stdout
    by_local = _wickgraph(built_store, "query", "lead-of", "--param", "film=ballerina", "--format", "csv").stdout
    by_label = _wickgraph(built_store, "query", "lead-of", "--param", "film=Ballerina", "--format", "csv").stdout
    assert by_local == by_label and len(by_local.splitlines()) > 1


@pytest.mark.parametrize(
    "args",
    [
        ("show", "Jon Wik"),
        ("analyze", "path", "Len Wisman", "Chad Stahelski"),
        ("analyze", "path", "Len Wiseman", "Chad Stahelsky"),
        ("query", "lead-of", "--param", "film=Balerina"),
    ],
    ids=["show", "path-a", "path-b", "param"],
)
def test_not_found_names_the_nearest_names(built_store: Path, args: tuple[str, ...]) -> None:
    result = _wickgraph(built_store, *args)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("Error: "), result.stderr
    assert "nearest names: " in errors[0]
    expected = {"Jon Wik": "John Wick", "Len Wisman": "Len Wiseman", "Chad Stahelsky": "Chad Stahelski"}
    wanted = next((v for k, v in expected.items() if k in args), "Ballerina")
    assert wanted in errors[0].split("nearest names: ", 1)[1]
