"""Settings: defaults overridable by environment variables (DIPLOGRAPH_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Process-wide defaults; every CLI option overrides its setting."""

    store: Path = Path(os.environ.get("DIPLOGRAPH_STORE", "diplograph-store"))
    model: str | None = os.environ.get("DIPLOGRAPH_MODEL") or None
    base_iri: str = os.environ.get("DIPLOGRAPH_BASE_IRI", "https://w3id.org/diplograph/")
    max_article_bytes: int = int(os.environ.get("DIPLOGRAPH_MAX_ARTICLE_BYTES", 5_000_000))
    """Largest article file (or JSONL line, feed entry text) read; bigger ones are errors."""
    language: str = os.environ.get("DIPLOGRAPH_LANGUAGE", "en")
    """Language articles must be in (ISO 639-1); others are skipped. ``any`` keeps all."""


settings = Settings()
