"""Shared fixtures: the real spaCy pipeline, a one-text reader and a store built from the seed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from diplograph.api import ingest
from diplograph.graph.store import Store
from diplograph.ingest.extract import extract
from diplograph.ingest.pipeline import load_pipeline
from diplograph.ingest.records import ArticleExtraction
from diplograph.ingest.sources import article_from_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED = SEEDS / "presstv-sochi-rejection.md"


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline (spaCy model plus the diplograph components), loaded once."""
    return load_pipeline()


@pytest.fixture(scope="session")
def read(nlp) -> Callable[..., ArticleExtraction]:
    """Extract one text: ``read(text, published=None) -> ArticleExtraction``."""

    def _read(text: str, published: dt.date | str | None = None) -> ArticleExtraction:
        article = article_from_text(text, id="t", published=published)
        return extract(nlp(article.text), article)

    return _read


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The path of a store holding the ingested seed article (the store itself is closed)."""
    path = tmp_path_factory.mktemp("seed") / "store"
    with Store(path) as st:
        summary = ingest([SEED], st)
    assert summary.failed == 0, summary.errors
    assert summary.new == 1
    yield path
