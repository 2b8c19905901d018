"""diplograph: a knowledge graph of diplomatic actors, meetings, initiatives and stances."""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

from diplograph.errors import (
    DiplographError,
    ExtractionError,
    ModelNotFoundError,
    SourceError,
    StoreError,
    ValidationError,
)

if TYPE_CHECKING:
    from diplograph.notebook import KnowledgeGraph

__version__ = "0.1.0"


def open(path: str | PathLike[str] | None = None, *, read_only: bool = False) -> KnowledgeGraph:
    """Open a store for analysis in a notebook: ``kg = diplograph.open("store")``.

    Returns a :class:`diplograph.notebook.KnowledgeGraph` (pandas tables, networkx
    graphs, pictures, widgets); needs the ``notebook`` extra.
    """
    from diplograph.notebook import open as open_store

    return open_store(path, read_only=read_only)


__all__ = [
    "DiplographError",
    "ExtractionError",
    "ModelNotFoundError",
    "SourceError",
    "StoreError",
    "ValidationError",
    "__version__",
    "open",
]
