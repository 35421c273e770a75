"""Run notebooks from start to end on this Python, and keep the saved ones free of outputs.

The tests and ``make notebooks`` use this; so can anyone who keeps notebooks beside a wickgraph project::

    python -m wickgraph.notebook.execute notebooks/*.ipynb --out notebooks/executed   # run, save executed copies
    python -m wickgraph.notebook.execute notebooks/*.ipynb --strip                    # clear outputs in place
    python -m wickgraph.notebook.execute notebooks/*.ipynb --check                    # fail if any has outputs

A notebook runs in a fresh IPython kernel on the running interpreter (``sys.executable``, whatever kernels are
installed elsewhere), with the notebook's folder as its working directory. Every notebook of one command sees
the same graph: ``$WICKGRAPH_STORE`` when set, else one built for the run in a temporary directory (removed
afterwards). A cell that raises stops the notebook with :class:`NotebookError`, naming the notebook and cell.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MissingExtraError, NotebookError, WickgraphError

if TYPE_CHECKING:  # pragma: no cover
    from nbformat import NotebookNode

__all__ = ["NotebookError", "execute_notebook", "main", "shared_store", "strip_notebook", "unclean"]

KERNEL_METADATA = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
"""The kernel every saved notebook names (the one the ``notebooks`` extra installs)."""


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _nbformat() -> Any:
    try:
        import nbformat
    except ImportError:
        raise MissingExtraError("running notebooks needs nbformat: pip install 'wickgraph[notebooks]'") from None
    return nbformat


def _kernel_manager() -> Any:
    """A kernel manager that starts IPython on ``sys.executable``: the native ``python3`` kernel, looked up in no
    kernel directory, so no installed kernel spec can send the notebook to another Python."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager
    except ImportError:
        raise MissingExtraError("running notebooks needs ipykernel: pip install 'wickgraph[notebooks]'") from None
    return KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))


def execute_notebook(
    path: str | os.PathLike[str],
    *,
    timeout: float = 300,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> NotebookNode:
    """Run the notebook at ``path`` (``timeout`` seconds per cell) and return it with its outputs.

    ``env`` adds to the kernel's environment; ``cwd`` defaults to the notebook's folder. Raises
    :class:`NotebookError` when a cell fails, with the cell's source and the error.
    """
    nbformat = _nbformat()
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    path = Path(path)
    nb: NotebookNode = nbformat.read(path, as_version=4)
    km = _kernel_manager()
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    try:
        # cleanup_kc: stop the client's channels and the kernel, which nbclient leaves to a caller that passes km
        client.execute(env={**os.environ, **(env or {})}, cleanup_kc=True)
    except (CellExecutionError, CellTimeoutError) as exc:
        raise NotebookError(f"{path}: {_ANSI.sub('', str(exc))}") from None
    finally:
        if km.has_kernel:  # a kernel that failed to start
            km.shutdown_kernel(now=True)
    return nb


def strip_notebook(nb: NotebookNode) -> NotebookNode:
    """The notebook without outputs, execution counts, or metadata beyond its kernel and language (in place)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nb.metadata = {"kernelspec": dict(KERNEL_METADATA), "language_info": {"name": "python"}}
    return nb


def unclean(nb: NotebookNode) -> list[str]:
    """What a saved notebook must not carry: outputs, execution counts, metadata other than the kernel's."""
    problems = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code" and cell.get("outputs"):
            problems.append(f"cell {number} has outputs")
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            problems.append(f"cell {number} has an execution count")
        if cell.cell_type == "markdown" and cell.get("attachments"):
            problems.append(f"cell {number} has attachments")
        extra = sorted(set(cell.metadata) - {"tags"})
        if extra:
            problems.append(f"cell {number} has metadata {', '.join(extra)}")
    extra = sorted(set(nb.metadata) - {"kernelspec", "language_info"})
    if extra:
        problems.append(f"notebook metadata has {', '.join(extra)}")
    return problems


@contextmanager
def shared_store() -> Iterator[Path]:
    """The store the notebooks of one run share: ``$WICKGRAPH_STORE`` when set (built there if empty), else a
    graph built into a temporary directory that is removed on exit."""
    from ..building.builder import build
    from ..errors import StoreNotFoundError
    from ..store.embedded import current_generation

    given = os.environ.get("WICKGRAPH_STORE")
    if given:
        try:
            current_generation(given)
        except StoreNotFoundError:
            build(given)
        yield Path(given)
        return
    tmp = Path(tempfile.mkdtemp(prefix="wickgraph-notebooks-"))
    try:
        build(tmp / "store")
        yield tmp / "store"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module docstring); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m wickgraph.notebook.execute", description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="Notebook files (.ipynb).")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--out", type=Path, help="Run each notebook and save the executed copy in this folder.")
    action.add_argument("--strip", action="store_true", help="Clear outputs and metadata in place; run nothing.")
    action.add_argument("--check", action="store_true", help="Fail if a notebook carries outputs; run nothing.")
    parser.add_argument("--timeout", type=float, default=300, help="Seconds per cell (default 300).")
    args = parser.parse_args(argv)
    nbformat = _nbformat()
    if args.strip or args.check:
        status = 0
        for path in args.notebooks:
            nb = nbformat.read(path, as_version=4)
            if args.check:
                for problem in unclean(nb):
                    print(f"{path}: {problem}", file=sys.stderr)
                    status = 1
            else:
                nbformat.write(strip_notebook(nb), path)
        return status
    try:
        with shared_store() as store:
            for path in args.notebooks:
                start = time.monotonic()
                nb = execute_notebook(path, timeout=args.timeout, env={"WICKGRAPH_STORE": str(store)})
                if args.out is not None:
                    args.out.mkdir(parents=True, exist_ok=True)
                    nbformat.write(nb, args.out / path.name)
                print(f"ran {path} in {time.monotonic() - start:.1f} s", file=sys.stderr)
    except WickgraphError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
