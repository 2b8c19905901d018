"""diplograph: a knowledge graph of diplomatic actors, meetings, initiatives and stances."""

from __future__ import annotations

from diplograph.errors import (
    DiplographError,
    ExtractionError,
    ModelNotFoundError,
    SourceError,
    StoreError,
    ValidationError,
)

__version__ = "0.1.0"

__all__ = [
    "DiplographError",
    "ExtractionError",
    "ModelNotFoundError",
    "SourceError",
    "StoreError",
    "ValidationError",
    "__version__",
]
