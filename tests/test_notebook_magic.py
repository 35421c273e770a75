"""The %%sparql cell magic, in a real IPython shell, on the real graph.

Expected answers come from the sources: the 2024 article names the lead character Rooney and says Len Wiseman
directs; the fact sheet (Wikipedia, 2025) gives her final name, Eve Macarro.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import wickgraph
from wickgraph.testing.oxigraph_server import OxigraphServer

LEAD_NAMES = """
SELECT DISTINCT ?character ?name WHERE {
  ?perf wg:work wgd:ballerina ; wg:creditType wg:LeadRole ; wg:character ?character .
  ?character wg:name ?name .
}"""


@pytest.fixture(scope="module")
def shell() -> Iterator[InteractiveShell]:
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    ip.run_line_magic("load_ext", "wickgraph")
    yield ip
    ip.magics_manager.registry["SparqlMagics"].close()


def run(shell: InteractiveShell, line: str, cell: str) -> Any:
    result = shell.run_cell(f"%%sparql {line}\n{cell}")
    if result.error_in_exec is not None:
        raise result.error_in_exec
    return result.result


def test_load_ext_registers_the_cell_magic(shell: InteractiveShell) -> None:
    assert "sparql" in shell.magics_manager.magics["cell"]


def test_a_select_cell_is_a_dataframe_with_labels(shell: InteractiveShell, built_store: Path) -> None:
    df = run(shell, f"--store {built_store}", LEAD_NAMES)
    assert isinstance(df, pd.DataFrame)
    assert df.columns.tolist() == ["character", "characterLabel", "name"]
    assert set(df["name"]) >= {"Rooney", "Eve Macarro"}
    assert set(df["characterLabel"]) == {"Eve Macarro"}


def test_as_of_and_the_variable(shell: InteractiveShell, built_store: Path) -> None:
    df = run(shell, f"--store {built_store} --as-of 2024-01-03 names", LEAD_NAMES)
    assert set(df["name"]) == {"Rooney"}
    assert shell.user_ns["names"] is df


def test_the_store_path_can_come_from_a_variable(shell: InteractiveShell, built_store: Path) -> None:
    shell.user_ns["where"] = str(built_store)
    df = run(shell, "--store $where --no-labels --compact", LEAD_NAMES)
    assert df.columns.tolist() == ["character", "name"]
    assert set(df["character"]) == {"wgd:eve-macarro"}


def test_the_default_store_is_wickgraph_store(
    shell: InteractiveShell, built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WICKGRAPH_STORE", str(built_store))
    assert run(shell, "", "ASK { wgd:ballerina wg:director wgd:len-wiseman }") is True


def test_a_graph_from_the_namespace(shell: InteractiveShell, kg: wickgraph.KnowledgeGraph) -> None:
    shell.user_ns["my_kg"] = kg
    df = run(shell, "--graph my_kg", "CONSTRUCT WHERE { wgd:ballerina wg:director ?d }")
    assert set(df["objectLabel"]) == {"Len Wiseman"}
    shell.user_ns["not_a_graph"] = 42
    with pytest.raises(UsageError, match="not_a_graph: that variable does not hold a KnowledgeGraph"):
        run(shell, "--graph not_a_graph", "ASK {}")


def test_errors_are_one_line_usage_errors(shell: InteractiveShell, built_store: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^QuerySyntaxError: SPARQL syntax error at line 1"):
        run(shell, f"--store {built_store}", "SELEKT ?x WHERE { ?x ?y ?z }")
    with pytest.raises(UsageError, match=r"^StoreNotFoundError: no wickgraph store at"):
        run(shell, f"--store {tmp_path / 'nothing'}", "ASK {}")
    with pytest.raises(UsageError, match="takes one of --store, --endpoint, --graph"):
        run(shell, f"--store {built_store} --graph kg", "ASK {}")
    with pytest.raises(UsageError, match="not a date"):
        run(shell, f"--store {built_store} --as-of yesterday", "ASK {}")


def test_an_endpoint_answers_like_the_local_store(
    shell: InteractiveShell, built_store: Path, oxigraph_union: OxigraphServer
) -> None:
    url = oxigraph_union.endpoint().query
    remote = run(shell, f"--endpoint {url} --as-of 2024-01-03", LEAD_NAMES)
    local = run(shell, f"--store {built_store} --as-of 2024-01-03", LEAD_NAMES)
    assert set(remote["name"]) == {"Rooney"}
    assert remote.sort_values("name").to_dict("records") == local.sort_values("name").to_dict("records")
    later = run(shell, f"--endpoint {url}", LEAD_NAMES)
    assert set(later["name"]) >= {"Rooney", "Eve Macarro"} and set(later["characterLabel"]) == {"Eve Macarro"}


def test_an_endpoint_from_the_environment(
    shell: InteractiveShell, oxigraph_union: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WICKGRAPH_STORE", raising=False)
    monkeypatch.setenv("WICKGRAPH_ENDPOINT", oxigraph_union.endpoint().query)
    assert run(shell, "", "ASK { wgd:ballerina wg:director wgd:len-wiseman }") is True
    monkeypatch.setenv("WICKGRAPH_STORE", "/nowhere")
    with pytest.raises(UsageError, match="WICKGRAPH_STORE and WICKGRAPH_ENDPOINT are both set"):
        run(shell, "", "ASK {}")


def test_a_server_that_is_down_is_one_line(shell: InteractiveShell) -> None:
    from wickgraph.store.local import free_port

    with pytest.raises(UsageError, match=r"^EndpointUnreachableError: "):
        run(shell, f"--endpoint http://127.0.0.1:{free_port()}/query --union none", "ASK {}")


def test_a_bad_line_is_a_usage_error(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="No closing quotation"):
        run(shell, '--store "/tmp/x', "ASK {}")
    with pytest.raises(UsageError, match="unrecognized arguments: --frobnicate"):
        run(shell, "--frobnicate", "ASK {}")
    monkeypatch.setenv("WICKGRAPH_TIMEOUT", "soon")
    with pytest.raises(UsageError, match="WICKGRAPH_TIMEOUT is 'soon': give a number of seconds"):
        run(shell, "--endpoint http://127.0.0.1:9/query", "ASK {}")
