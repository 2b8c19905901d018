"""Library entry points that join ingest and graph (the CLI is a thin wrapper over these)."""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from diplograph.graph.iris import article_iri, registry_graph
from diplograph.graph.resolve import Resolver
from diplograph.graph.store import Store
from diplograph.ingest.parallel import DEFAULT_CHUNK_SIZE, chunked, extract_stream
from diplograph.ingest.records import (
    EXTRACTOR_VERSION,
    Article,
    ArticleError,
    ArticleExtraction,
)
from diplograph.ingest.sources import content_hash, iter_articles
from diplograph.ontology.namespace import PREFIXES
from diplograph.settings import settings

__all__ = ["IngestSummary", "extract_paths", "ingest"]

_T = TypeVar("_T")

_DIP = PREFIXES["dip"]
_SCHEMA = PREFIXES["schema"]


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
            "errors": [
                {"item": e.origin, "article": e.article, "reason": e.reason} for e in self.errors
            ],
        }


def extract_paths(
    paths: Iterable[str | Path], *, published: dt.date | None = None, model: str | None = None
) -> Iterator[ArticleExtraction | ArticleError]:
    """Read and extract articles from files and folders, without a store."""
    from diplograph.ingest.extract import extract_articles
    from diplograph.ingest.pipeline import load_pipeline

    nlp = load_pipeline(model)
    yield from extract_articles(iter_articles(paths, published=published), nlp)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    published: dt.date | None = None,
    model: str | None = None,
    batch_size: int = 64,
    workers: int = 1,
    scheduler: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    fail_fast: bool = False,
    merge: bool = True,
    on_item: Callable[[Article | ArticleError | ArticleExtraction], None] | None = None,
) -> IngestSummary:
    """Ingest articles into ``store``: unchanged articles are skipped, changed ones replaced.

    An article is unchanged when the store holds it with the same content hash and
    extractor version; it is then neither parsed nor written (and when nothing needs
    parsing the spaCy model is never loaded). A changed article replaces its named
    graph. Inputs stream through in bounded batches; extractions are written with
    :meth:`Store.add_many`, ``batch_size`` articles per transaction, in input order,
    from a background thread while the next batch is parsed. Once the last article has
    gone to the parser, every ``chunk_size`` extractions are written as they arrive, so
    little is left to write when the parsing ends.

    Args:
        paths: files and folders of articles.
        store: the store to write.
        published: publication date for articles whose source has none.
        model: spaCy model package name (default: the installed small English model).
        batch_size: articles per store transaction (and ``nlp.pipe`` batch in-process);
            the transactions after the last article is read hold ``chunk_size`` or more.
        workers: worker processes; ``1`` parses in this process. With ``scheduler="local"``
            it sizes the local Dask cluster.
        scheduler: ``tcp://HOST:8786`` (a running Dask cluster) or ``local`` (start a
            LocalCluster); the NLP then runs on the Dask workers.
        chunk_size: articles per unit of work sent to a worker process or Dask task.
        fail_fast: stop at the first failed item (what was extracted before it is kept).
        merge: map initiatives and organisations named differently from ones already in
            the store (or earlier in the run) onto them (:mod:`diplograph.graph.resolve`).
        on_item: called with every skipped article, extraction and error, in order.

    Returns:
        The counts of new, changed, skipped and failed articles, and the error records.
        One broken item never aborts the run (unless ``fail_fast``): it becomes an error
        record in the summary.

    Raises:
        DiplographError: the model, the worker processes or the Dask cluster fail as a whole.
    """
    summary = IngestSummary()
    status: dict[str, str] = {}
    # the language screen (langdetect, tens of ms an article) runs in the workers and
    # only on articles that need extraction: an unchanged one passed it the first time
    items = iter_articles(paths, published=published, language="any")
    read_all = threading.Event()  # the last article has gone to the parser
    todo = _then(_todo(items, store, summary, status, on_item), read_all.set)
    stream = extract_stream(
        todo, model=model, workers=workers, scheduler=scheduler, batch_size=batch_size,
        chunk_size=chunk_size, language=settings.language,
    )
    batch: list[ArticleExtraction] = []
    resolver: Resolver | None = None  # read from the store at the first extraction
    writer = _Writer(store)

    def flush() -> None:
        if batch:
            writer.put(list(batch))
            for ex in batch:
                if status.pop(ex.article.id, "new") == "new":
                    summary.new += 1
                else:
                    summary.changed += 1
            batch.clear()

    try:
        for result in stream:
            if isinstance(result, ArticleError):
                summary.failed += 1
                summary.errors.append(result)
                if result.article is not None:
                    status.pop(result.article, None)
            else:
                if merge and resolver is None:  # nothing written yet: the store as it was
                    resolver = Resolver.from_store(store)
                batch.append(resolver.resolve(result) if resolver is not None else result)
                # once everything is read, write what arrives without waiting for a full
                # batch: the last write then overlaps the parsing of the last chunks
                if len(batch) >= batch_size or (read_all.is_set() and len(batch) >= chunk_size):
                    flush()
            if on_item is not None:
                on_item(result)
            if fail_fast and summary.failed:
                break
        flush()
        writer.close()
    finally:
        writer.close(check=False)
        stream.close()
    return summary


def _then(items: Iterable[_T], done: Callable[[], None]) -> Iterator[_T]:
    """Pass ``items`` through, then call ``done`` (when the consumer asks past the last)."""
    yield from items
    done()


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


_MALLOC_TRIM = _load_malloc_trim() if sys.platform.startswith("linux") else None


def _trim_heap() -> None:
    """Hand memory freed by the last batch (update text, RocksDB write batch) back to the OS.

    glibc keeps freed memory of a thread's arena mapped; without this the writer
    thread's and RocksDB's arenas ratchet the resident size up over a long run.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class _Writer:
    """Writes batches to the store from a background thread, one transaction each, in order.

    Parsing goes on while a batch is written: Oxigraph releases the GIL while it applies
    an update and flushes, so on a machine with a core to spare the writes cost no wall
    time. At most one batch waits while another is written (memory stays bounded). A
    write failure is raised in the ingesting thread at the next :meth:`put` or at
    :meth:`close`; later batches are then not written.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: queue.Queue[list[ArticleExtraction] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._reported = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="diplograph-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the run is failing
            try:
                # the store flushes its memtables every FLUSH_AFTER_QUADS quads
                self._store.add_many(batch, batch_size=len(batch))
                _trim_heap()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the ingesting thread
                self._error = exc

    def _check(self) -> None:
        if self._error is not None and not self._reported:
            self._reported = True
            raise self._error

    def put(self, batch: list[ArticleExtraction]) -> None:
        """Queue ``batch`` for writing (waits while another batch is already waiting)."""
        self._check()
        self._queue.put(batch)

    def close(self, *, check: bool = True) -> None:
        """Write what is queued, stop the thread; raise a write failure when ``check``."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()
        if check:
            self._check()


def _todo(
    items: Iterator[Article | ArticleError],
    store: Store,
    summary: IngestSummary,
    status: dict[str, str],
    on_item: Callable[[Article | ArticleError | ArticleExtraction], None] | None,
    *,
    lookup: int = 256,
) -> Iterator[Article | ArticleError]:
    """Articles that need extraction (new or changed) and read errors; skips the rest.

    Stored hashes are looked up ``lookup`` articles at a time (one query each).
    """
    for chunk in chunked(items, lookup):
        known = _stored_hashes(store, [a.id for a in chunk if isinstance(a, Article)])
        for item in chunk:
            if isinstance(item, ArticleError):
                yield item
                continue
            stored = known.get(item.id)
            if stored == (content_hash(item.text), EXTRACTOR_VERSION):
                summary.skipped += 1
                if on_item is not None:
                    on_item(item)
                continue
            status[item.id] = "new" if stored is None else "changed"
            yield item


def _stored_hashes(store: Store, ids: list[str]) -> dict[str, tuple[str, str]]:
    """``{article id: (content hash, extractor version)}`` for the ids the store holds."""
    if not ids:
        return {}
    by_iri = {article_iri(i).value: i for i in ids}
    values = " ".join(str(article_iri(i)) for i in ids)
    query = (
        f"PREFIX schema: <{_SCHEMA}> PREFIX dip: <{_DIP}> SELECT ?a ?h ?v WHERE {{ "
        f"VALUES ?a {{ {values} }} GRAPH {registry_graph()} {{ ?a a schema:NewsArticle . "
        f"OPTIONAL {{ ?a dip:contentHash ?h }} OPTIONAL {{ ?a dip:extractorVersion ?v }} }} }}"
    )
    out: dict[str, tuple[str, str]] = {}
    for sol in store.ox.query(query):
        h, v = sol["h"], sol["v"]
        out[by_iri[sol["a"].value]] = ("" if h is None else h.value, "" if v is None else v.value)
    return out
