"""Exceptions raised by diplograph; the CLI turns them into messages and exit codes."""

from __future__ import annotations

__all__ = [
    "DiplographError",
    "ExtractionError",
    "ModelNotFoundError",
    "SourceError",
    "StoreError",
    "ValidationError",
]


class DiplographError(Exception):
    """Root of every error diplograph raises on purpose."""


class SourceError(DiplographError):
    """An input item could not be read as an article (names the item and the reason)."""


class ModelNotFoundError(DiplographError):
    """The requested spaCy model is not installed."""


class ExtractionError(DiplographError):
    """The pipeline failed on an article."""


class StoreError(DiplographError):
    """The store could not be opened, read or written."""


class ValidationError(DiplographError):
    """Data does not conform to the diplograph shapes or a documented format."""
