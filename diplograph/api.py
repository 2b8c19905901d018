"""Library entry points that join ingest and graph (the CLI is a thin wrapper over these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from diplograph.graph.store import Store
from diplograph.ingest.extract import EXTRACTOR_VERSION, extract_articles
from diplograph.ingest.pipeline import load_pipeline
from diplograph.ingest.records import Article, ArticleError, ArticleExtraction
from diplograph.ingest.sources import content_hash, iter_articles

__all__ = ["IngestSummary", "extract_paths", "ingest"]


@dataclass(slots=True)
class IngestSummary:
    """What an ingest run did: counts and one error record per failed item."""

    new: int = 0
    changed: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[ArticleError] = field(default_factory=list)

    @property
    def ingested(self) -> int:
        return self.new + self.changed

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "changed": self.changed,
            "skipped": self.skipped,
            "failed": self.failed,
            "errors": [{"item": e.origin, "article": e.article, "reason": e.reason} for e in self.errors],
        }


def extract_paths(
    paths: Iterable[str | Path], *, published: dt.date | None = None, model: str | None = None
) -> Iterator[ArticleExtraction | ArticleError]:
    """Read and extract articles from files and folders, without a store."""
    nlp = load_pipeline(model)
    yield from extract_articles(iter_articles(paths, published=published), nlp)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    published: dt.date | None = None,
    model: str | None = None,
    batch_size: int = 64,
    on_item: Callable[[Article | ArticleError | ArticleExtraction], None] | None = None,
) -> IngestSummary:
    """Ingest articles into ``store``: unchanged articles are skipped, changed ones replaced.

    One broken item never aborts the run: it becomes an error record in the summary.
    """
    summary = IngestSummary()
    status: dict[str, str] = {}

    def todo() -> Iterator[Article | ArticleError]:
        for item in iter_articles(paths, published=published):
            if isinstance(item, ArticleError):
                yield item
                continue
            known = store.article_hash(item.id)
            if known == (content_hash(item.text), EXTRACTOR_VERSION):
                summary.skipped += 1
                if on_item is not None:
                    on_item(item)
                continue
            status[item.id] = "new" if known is None else "changed"
            yield item

    nlp = load_pipeline(model)
    batch: list[ArticleExtraction] = []

    def flush() -> None:
        if batch:
            store.add_many(batch)
            for ex in batch:
                if status.pop(ex.article.id, "new") == "new":
                    summary.new += 1
                else:
                    summary.changed += 1
            batch.clear()

    for result in extract_articles(todo(), nlp, batch_size=batch_size):
        if isinstance(result, ArticleError):
            summary.failed += 1
            summary.errors.append(result)
        else:
            batch.append(result)
            if len(batch) >= batch_size:
                flush()
        if on_item is not None:
            on_item(result)
    flush()
    return summary
