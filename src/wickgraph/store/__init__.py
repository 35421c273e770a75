"""Store backends behind one interface (:class:`Store`)."""

from .base import GraphView as GraphView
from .base import Store as Store
from .embedded import EmbeddedStore as EmbeddedStore

__all__ = ["EmbeddedStore", "GraphView", "Store"]
