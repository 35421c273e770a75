"""``python -m wickgraph``: the command line."""

from .cli import main

main()
