"""The version of wickgraph (one place: the package facade and the stores read it here)."""

__version__ = "0.1.0"
