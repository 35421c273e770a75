"""The ``%%sparql`` cell magic: a cell of SPARQL, run on the local graph or a SPARQL server, as a DataFrame.

Load it with ``%load_ext wickgraph``, then::

    %%sparql --store /tmp/wick --as-of 2024-01-03 leads
    SELECT ?actor ?character WHERE { ?actor wg:plays ?character }

Options (IPython expands ``$name`` and ``{expression}`` in this line, so ``--store $store`` works):

- ``--store PATH``: the embedded store. With none of ``--store``, ``--endpoint``, ``--graph``: what the
  ``wickgraph`` command would use (:func:`wickgraph.config.resolve_target`: ``$WICKGRAPH_STORE`` or
  ``$WICKGRAPH_ENDPOINT``, else the config file's endpoint, else the default store);
- ``--endpoint URL``: a SPARQL server's query URL instead (credentials and timeout from the environment or the
  config file, as for the ``wickgraph`` command); ``--union server|client|none``: how its default graph is
  the union of the graphs (see :mod:`wickgraph.store.remote`);
- ``--graph NAME``: a :class:`~wickgraph.KnowledgeGraph` you already opened, by its variable name;
- ``--as-of DATE``: answer from the claims published by that date;
- ``--allow-service``: let the cell use SERVICE on the embedded store (refused by default: the engine would
  send requests to other hosts);
- ``--no-labels``: no ``?xLabel`` columns; ``--compact``: IRIs as ``wgd:…``;
- ``VAR``: also store the answer in this variable.

The project prefixes (``wg:``, ``wgd:``, ``schema:``, ``rdfs:`` …) need no declaration. A SELECT (or CONSTRUCT)
answer is a pandas DataFrame with label columns (:func:`wickgraph.notebook.to_dataframe`); an ASK answer is a
``bool``. A wickgraph error (a syntax error, an unknown entity, a server that does not answer) fails the cell
and is shown as IPython shows a bad magic call: ``UsageError: QuerySyntaxError: …``, without a traceback.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING, Any, NoReturn

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class

from ..config import resolve_target
from ..errors import ConflictingTargetsError, WickgraphError
from ..graph import KnowledgeGraph

if TYPE_CHECKING:  # pragma: no cover
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["SparqlMagics", "load_ipython_extension"]


def _brief(exc: WickgraphError) -> UsageError:
    """The error as IPython shows a bad magic call: one message (``UsageError: QuerySyntaxError: …``), no
    traceback through wickgraph's code."""
    return UsageError(f"{type(exc).__name__}: {exc}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"%%sparql: {message}\n{self.format_usage().strip()}")


_PARSER = _Parser(prog="%%sparql", add_help=False, description="Run the cell as SPARQL.")
_PARSER.add_argument("--store", metavar="PATH", help="Embedded store directory (default: $WICKGRAPH_STORE).")
_PARSER.add_argument("--endpoint", metavar="URL", help="Query this SPARQL server instead of the embedded store.")
_PARSER.add_argument(
    "--union", choices=["server", "client", "none"], help="How the server's default graph is the union."
)
_PARSER.add_argument("--graph", metavar="NAME", help="Query the KnowledgeGraph held in this variable.")
_PARSER.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="Answer as known on this date.")
_PARSER.add_argument(
    "--allow-service", dest="allow_service", action="store_true", help="Let SERVICE reach other hosts."
)
_PARSER.add_argument("--no-labels", dest="labels", action="store_false", help="Add no ?xLabel columns.")
_PARSER.add_argument("--compact", action="store_true", help="Write IRIs as wgd:… instead of in full.")
_PARSER.add_argument("var", nargs="?", help="Also store the answer in this variable.")


@magics_class
class SparqlMagics(Magics):
    """The ``%%sparql`` magic. Graphs it opens stay open for the session (one per store or endpoint)."""

    def __init__(self, shell: InteractiveShell | None = None) -> None:
        super().__init__(shell)
        self._graphs: dict[tuple[str, object], KnowledgeGraph] = {}

    def graph_for(
        self,
        store: str | None = None,
        endpoint: str | None = None,
        union: str | None = None,
        *,
        allow_service: bool = False,
    ) -> KnowledgeGraph:
        """The graph to query, as :func:`wickgraph.config.resolve_target` chooses it (the rule of the ``wickgraph``
        command): ``store`` or ``endpoint``, else ``$WICKGRAPH_STORE`` or ``$WICKGRAPH_ENDPOINT``, else the config
        file's endpoint, else the default store. An embedded store is reopened when it has been rebuilt since."""
        target = resolve_target(store, endpoint, union=union)
        if target.endpoint is not None:
            key: tuple[str, object] = ("endpoint", target.endpoint)  # a frozen dataclass: credentials included
        else:
            from ..store.embedded import current_generation

            assert target.store is not None
            key = ("store", (str(current_generation(target.store)), allow_service, target.timeout))
        if key not in self._graphs:
            self._graphs[key] = target.open(allow_service=allow_service)
        return self._graphs[key]

    @cell_magic
    def sparql(self, line: str, cell: str) -> Any:
        """Run the cell as a SPARQL query; a SELECT or CONSTRUCT answer is a DataFrame, an ASK answer a bool.

        ::

            %%sparql [--store PATH | --endpoint URL [--union MODE] | --graph NAME] [--as-of YYYY-MM-DD]
                     [--allow-service] [--no-labels] [--compact] [VAR]
        """
        try:
            words = shlex.split(line)
        except ValueError as exc:  # an unclosed quote
            raise UsageError(f"%%sparql: {exc} in {line!r}") from None
        args = _PARSER.parse_args(words)
        chosen = [f"--{name}" for name in ("store", "endpoint", "graph") if getattr(args, name)]
        if args.graph and len(chosen) > 1:  # a store and an endpoint are the library's to refuse (below)
            raise UsageError(f"%%sparql takes one of --store, --endpoint, --graph (got {', '.join(chosen)})")
        try:
            if args.graph:
                kg = self.shell.user_ns.get(args.graph) if self.shell is not None else None
                if not isinstance(kg, KnowledgeGraph):
                    raise WickgraphError(f"--graph {args.graph}: that variable does not hold a KnowledgeGraph")
            else:
                kg = self.graph_for(args.store, args.endpoint, args.union, allow_service=args.allow_service)
            result = kg.query(cell, as_of=args.as_of)
            answer: Any = result if isinstance(result, bool) else result.to_dataframe(args.labels, compact=args.compact)
        except ConflictingTargetsError as exc:
            if exc.where == "argument":
                raise UsageError(
                    f"%%sparql takes one of --store, --endpoint, --graph (got {', '.join(chosen)})"
                ) from None
            raise _brief(exc) from None
        except WickgraphError as exc:
            raise _brief(exc) from None
        if args.var and self.shell is not None:
            self.shell.user_ns[args.var] = answer
        return answer

    def close(self) -> None:
        """Close every graph the magic opened."""
        for kg in self._graphs.values():
            kg.close()
        self._graphs.clear()


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register ``%%sparql`` (``%load_ext wickgraph`` calls this)."""
    ipython.register_magics(SparqlMagics(ipython))
