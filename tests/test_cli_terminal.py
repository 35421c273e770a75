"""Data cannot drive the terminal: control characters in labels reach `show`, tables and errors as escapes.

A copy of data/ where Len Wiseman's label carries a clear-screen sequence, an OSC window title ended by BEL, a
carriage return and a right-to-left override; the graph is built from it for real, then read by the
`wickgraph` command in a subprocess, with its output on a pipe and on a pseudo-terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from wickgraph.terminal import safe_text

HOSTILE_TTL = r"Len Wiseman\u001B[2J\u001B]0;pwned\u0007\rX\u202Eevil\u009B31m"
HOSTILE = "Len Wiseman\x1b[2J\x1b]0;pwned\x07\rX\u202eevil\x9b31m"
SHOWN = r"Len Wiseman\x1b[2J\x1b]0;pwned\x07\rX\u202eevil\x9b31m"
RAW_CONTROLS = ["\x1b", "\x07", "\r", "\u202e", "\x9b"]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from wickgraph.locations import default_data_dir

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(default_data_dir(), data)
    entities = data / "entities.trig"
    text = entities.read_text(encoding="utf-8")
    assert 'rdfs:label "Len Wiseman"' in text
    entities.write_text(text.replace('rdfs:label "Len Wiseman"', f'rdfs:label "{HOSTILE_TTL}"'), encoding="utf-8")
    store = root / "store"
    result = _wickgraph("build", "--fast", "-q", "--store", str(store), "--data", str(data))
    assert result.returncode == 0, result.stderr
    return store


def _wickgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wickgraph", *args], capture_output=True, text=True, timeout=120)


def _on_a_terminal(*args: str) -> str:
    """Run `wickgraph ARGS` with its standard output on a pseudo-terminal; what it wrote there."""
    leader, follower = pty.openpty()
    attributes = termios.tcgetattr(follower)
    attributes[1] &= ~termios.OPOST  # no output processing: read back exactly the bytes written
    termios.tcsetattr(follower, termios.TCSANOW, attributes)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "wickgraph", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
        assert process.stderr is not None
        process.stderr.close()
        assert process.returncode == 0
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    return b"".join(chunks).decode("utf-8")


def _no_raw_controls(text: str) -> None:
    for char in RAW_CONTROLS:
        assert char not in text, f"{char!r} reached the terminal raw"


def test_the_hostile_label_is_in_the_graph_as_written(hostile_store: Path) -> None:
    # The data is kept exactly: the escaping happens on the way to a terminal, not in the graph.
    result = _wickgraph(
        "query", "--store", str(hostile_store), "--format", "json", "SELECT ?l WHERE { wgd:len-wiseman rdfs:label ?l }"
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["results"]["bindings"][0]["l"]["value"] == HOSTILE


def test_show_prints_the_label_escaped(hostile_store: Path) -> None:
    result = _wickgraph("show", "Wiseman", "--store", str(hostile_store))
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout)
    assert result.stdout.splitlines()[0] == f"{SHOWN}  (wgd:len-wiseman)"


def test_a_table_prints_the_label_escaped(hostile_store: Path) -> None:
    query = "SELECT ?director WHERE { wgd:ballerina wg:director ?d . ?d rdfs:label ?director } ORDER BY ?director"
    result = _wickgraph("query", "--store", str(hostile_store), "--format", "table", query)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout)
    assert SHOWN in result.stdout.splitlines()[2:-1]


def test_search_prints_the_label_escaped(hostile_store: Path) -> None:
    result = _wickgraph("search", "Wiseman", "--store", str(hostile_store))
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stdout)
    assert result.stdout.startswith(SHOWN)


def test_an_error_that_echoes_user_input_escapes_it(hostile_store: Path) -> None:
    result = _wickgraph("show", "Nobody\x1b[2J\x07", "--store", str(hostile_store))
    assert result.returncode == 1
    _no_raw_controls(result.stderr)
    assert "Nobody\\x1b[2J\\x07" in result.stderr


def test_csv_is_exact_in_a_pipe_and_escaped_on_a_terminal(hostile_store: Path) -> None:
    query = "SELECT ?l WHERE { wgd:len-wiseman rdfs:label ?l }"
    piped = subprocess.run(
        [sys.executable, "-m", "wickgraph", "query", "--store", str(hostile_store), "--format", "csv", query],
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0
    assert list(csv.reader(io.StringIO(piped.stdout.decode("utf-8"), newline=""))) == [["l"], [HOSTILE]]
    on_terminal = _on_a_terminal("query", "--store", str(hostile_store), "--format", "csv", query)
    _no_raw_controls(on_terminal.replace("\r\n", "\n"))  # CSV's own CRLF line ends are kept
    assert on_terminal == f'l\r\n"{SHOWN}"\r\n'


def test_show_on_a_terminal(hostile_store: Path) -> None:
    shown = _on_a_terminal("show", "Wiseman", "--store", str(hostile_store))
    _no_raw_controls(shown)
    assert "\n  type: schema:Person, wg:Person\n" in shown
    assert shown.splitlines()[0] == f"{SHOWN}  (wgd:len-wiseman)"


@pytest.mark.parametrize(
    ("text", "one_line", "expected"),
    [
        ("tab\tand\nnewline", False, "tab\tand\nnewline"),
        ("tab\tand\nnewline", True, "tab\\tand\\nnewline"),
        ("\x00\x08\x0b\x0c\x1f\x7f", False, "\\x00\\x08\\x0b\\x0c\\x1f\\x7f"),
        ("\x80\x9f\u200f\u2066", False, "\\x80\\x9f\\u200f\\u2066"),
        ("Ана де Армас, 安娜·德·阿玛斯, é", True, "Ана де Армас, 安娜·德·阿玛斯, é"),
    ],
)
def test_safe_text(text: str, one_line: bool, expected: str) -> None:
    assert safe_text(text, one_line=one_line) == expected
