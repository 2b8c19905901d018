"""Extraction at scale: in-process, in a pool of worker processes, or on a Dask cluster.

Every mode streams: articles are read lazily, grouped into small chunks, and only a
bounded number of chunks is in flight at a time, so memory does not grow with the
corpus. Each worker process loads the spaCy pipeline once and sends back the frozen
records of :mod:`diplograph.ingest.records` (they pickle; spaCy docs with custom
extensions do not travel well). Results come back in input order, so a parallel run
writes the same store as a serial one.

Dask is optional (``pip install 'diplograph[dask]'``) and imported only when a
scheduler is asked for. spaCy is imported only where the parsing runs: the parent of a
pool or cluster never loads it, so it hands out its first chunk a second or more sooner.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from diplograph.errors import DiplographError
from diplograph.ingest.records import Article, ArticleError, ArticleExtraction
from diplograph.ingest.sources import language_error

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Item",
    "Result",
    "chunked",
    "extract_chunk",
    "extract_dask",
    "extract_pool",
    "extract_serial",
    "extract_stream",
    "screen",
]

Item = Article | ArticleError
Result = ArticleExtraction | ArticleError

DEFAULT_CHUNK_SIZE = 16
"""Articles per unit of work sent to a worker process or Dask task."""

PLUGIN_NAME = "diplograph-model"


# ---------------------------------------------------------------- chunks


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Group a stream into lists of at most ``size`` items (the last may be shorter).

    >>> [len(c) for c in chunked(range(5), 2)]
    [2, 2, 1]
    """
    if size < 1:
        raise ValueError(f"chunk size {size!r}: expected at least 1")
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _failed(item: Item, reason: str) -> ArticleError:
    if isinstance(item, ArticleError):
        return item
    return ArticleError(item.origin or item.id, reason, item.id)


def screen(items: Iterable[Item], language: str) -> Iterator[Item]:
    """Turn each article confidently not in ``language`` into an error record.

    ``any`` (or ``""``) keeps everything. The check (langdetect) costs tens of
    milliseconds an article, so it runs where the parsing runs: in the workers.
    """
    for item in items:
        if isinstance(item, Article) and language not in ("", "any"):
            error = language_error(item, language)
            if error is not None:
                yield error
                continue
        yield item


def _load_pipeline(model: str | None) -> Language:
    """:func:`diplograph.ingest.pipeline.load_pipeline`, spaCy imported on the first call."""
    from diplograph.ingest.pipeline import load_pipeline

    return load_pipeline(model)


def extract_chunk(
    chunk: list[Item], model: str | None, batch_size: int, language: str = "any"
) -> list[Result]:
    """Screen and extract one chunk with this process's pipeline (loaded once per process).

    A failure of the whole chunk (the parser raising on one text) is retried article by
    article, so only the bad article becomes an :class:`ArticleError`.
    """
    from diplograph.ingest.extract import extract_articles

    nlp = _load_pipeline(model)
    chunk = list(screen(chunk, language))
    try:
        return list(extract_articles(chunk, nlp, batch_size=batch_size))
    except Exception:  # noqa: BLE001 - isolate the bad article below
        out: list[Result] = []
        for item in chunk:
            try:
                out.extend(extract_articles([item], nlp, batch_size=1))
            except Exception as exc:  # noqa: BLE001 - one article never aborts a run
                out.append(_failed(item, f"extraction failed: {exc!r}"))
        return out


def _lazily(items: Iterable[Item]) -> tuple[list[ArticleError], Iterator[Item] | None]:
    """Split off the leading errors; ``None`` when no article follows (nothing to parse).

    Lets every mode start its model, pool or cluster only when there is work: a
    re-ingest of an unchanged corpus never loads spaCy.
    """
    it = iter(items)
    errors: list[ArticleError] = []
    for item in it:
        if isinstance(item, ArticleError):
            errors.append(item)
            continue
        return errors, itertools.chain([item], it)
    return errors, None


# ---------------------------------------------------------------- serial


def extract_serial(
    items: Iterable[Item],
    *,
    model: str | None = None,
    batch_size: int = 32,
    language: str = "any",
) -> Iterator[Result]:
    """Extract in this process (``nlp.pipe`` batching); the model loads on the first article."""
    errors, rest = _lazily(items)
    yield from errors
    if rest is not None:
        from diplograph.ingest.extract import extract_articles

        nlp = _load_pipeline(model)
        yield from extract_articles(screen(rest, language), nlp, batch_size=batch_size)


# ---------------------------------------------------------------- process pool


def _init_worker(model: str | None) -> None:
    _load_pipeline(model)


def extract_pool(
    items: Iterable[Item],
    *,
    workers: int,
    model: str | None = None,
    batch_size: int = 32,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_pending: int | None = None,
    language: str = "any",
) -> Iterator[Result]:
    """Screen and extract in ``workers`` processes (each loads the pipeline once), in order.

    At most ``max_pending`` chunks (default ``2 × workers``) are in flight. Closing the
    iterator early cancels the queued chunks and stops the pool.

    Raises:
        DiplographError: a worker process died (killed, out of memory).
    """
    if workers < 1:
        raise ValueError(f"workers {workers!r}: expected at least 1")
    errors, rest = _lazily(items)
    yield from errors
    if rest is None:
        return
    pending: deque[Future[list[Result]]] = deque()
    limit = max_pending or 2 * workers
    # spawn: the parent holds an open RocksDB store with threads; forking it is unsafe
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(model,),
    )
    try:
        for chunk in chunked(rest, chunk_size):
            pending.append(pool.submit(extract_chunk, chunk, model, batch_size, language))
            if len(pending) >= limit:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(future: Future[list[Result]]) -> list[Result]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise DiplographError(f"an ingest worker process died: {exc}") from exc


# ---------------------------------------------------------------- Dask


def _model_plugin_class() -> type:
    """The Dask worker plugin class, built on first use so Dask stays an optional import.

    It is reachable as ``diplograph.ingest.parallel.ModelPlugin`` (module ``__getattr__``),
    so instances pickle by reference and the workers rebuild the same class.
    """
    global _PLUGIN_CLASS
    if _PLUGIN_CLASS is None:
        from distributed import WorkerPlugin

        class ModelPlugin(WorkerPlugin):
            """Load the diplograph pipeline once when a worker starts (or joins later)."""

            name = PLUGIN_NAME

            def __init__(self, model: str | None = None) -> None:
                self.model = model

            def setup(self, worker: Any) -> None:
                _load_pipeline(self.model)

        ModelPlugin.__module__ = __name__
        ModelPlugin.__qualname__ = "ModelPlugin"
        _PLUGIN_CLASS = ModelPlugin
    return _PLUGIN_CLASS


_PLUGIN_CLASS: type | None = None


def __getattr__(name: str) -> Any:
    if name == "ModelPlugin":
        return _model_plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DiplographError(
            "--scheduler needs Dask distributed, which is not installed: "
            "pip install 'diplograph[dask]'"
        ) from exc
    return distributed


def _client(scheduler: str, workers: int | None) -> tuple[Any, Any]:
    """A Dask client for ``scheduler`` (``local`` starts a LocalCluster); ``(client, cluster)``."""
    distributed = _import_distributed()
    cluster = None
    try:
        if scheduler == "local":
            cluster = distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,  # spaCy is CPU-bound: one task per process
                processes=True,
                dashboard_address=None,
            )
            return distributed.Client(cluster), cluster
        return distributed.Client(scheduler, timeout="10s"), None
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise DiplographError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from exc


def extract_dask(
    items: Iterable[Item],
    *,
    scheduler: str,
    model: str | None = None,
    workers: int | None = None,
    batch_size: int = 32,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_pending: int | None = None,
    language: str = "any",
) -> Iterator[Result]:
    """Screen and extract on a Dask cluster; results stream back and are yielded in input order.

    Args:
        items: articles (and read errors, passed through).
        scheduler: ``tcp://HOST:8786`` for a running cluster, or ``local`` to start a
            :class:`distributed.LocalCluster` of ``workers`` processes.
        model: spaCy model name; every worker loads it once through a worker plugin,
            so it must be installed on the workers (as must diplograph).
        workers: LocalCluster size (default: one per core); ignored for a remote cluster.
        batch_size: ``nlp.pipe`` batch size inside a task.
        chunk_size: articles per task.
        max_pending: tasks in flight (default: two per worker thread).
        language: ISO 639-1 code articles must be in (``any``: no check).

    Raises:
        DiplographError: Dask is not installed or the scheduler cannot be reached.
    """
    errors, rest = _lazily(items)
    yield from errors
    if rest is None:
        return
    distributed = _import_distributed()
    client, cluster = _client(scheduler, workers)
    try:
        client.register_plugin(_model_plugin_class()(model), name=PLUGIN_NAME)
        threads = sum(client.nthreads().values()) or 1
        yield from _stream_dask(
            distributed, client, rest, model=model, batch_size=batch_size,
            chunk_size=chunk_size, limit=max_pending or 2 * threads, language=language,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _stream_dask(
    distributed: Any,
    client: Any,
    items: Iterator[Item],
    *,
    model: str | None,
    batch_size: int,
    chunk_size: int,
    limit: int,
    language: str,
) -> Iterator[Result]:
    """Submit chunks with at most ``limit`` in flight; reorder completions to input order."""
    chunks = enumerate(chunked(items, chunk_size))
    sent: dict[Any, tuple[int, list[Item]]] = {}
    done: dict[int, list[Result]] = {}
    running = distributed.as_completed()
    next_out = 0

    def submit() -> bool:
        step = next(chunks, None)
        if step is None:
            return False
        seq, chunk = step
        fut = client.submit(extract_chunk, chunk, model, batch_size, language, pure=False)
        sent[fut.key] = (seq, chunk)
        running.add(fut)
        return True

    while len(sent) < limit and submit():
        pass
    for fut in running:
        seq, chunk = sent.pop(fut.key)
        try:
            done[seq] = fut.result()
        except Exception as exc:  # noqa: BLE001 - a lost task fails its articles only
            done[seq] = [_failed(item, f"Dask task failed: {exc!r}") for item in chunk]
        fut.release()
        while next_out in done:
            yield from done.pop(next_out)
            next_out += 1
        while len(sent) < limit and submit():
            pass


# ---------------------------------------------------------------- dispatch


def extract_stream(
    items: Iterable[Item],
    *,
    model: str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    batch_size: int = 32,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    language: str = "any",
) -> Iterator[Result]:
    """Screen and extract a stream of articles the way asked: Dask, a process pool, in-process.

    ``scheduler`` wins over ``workers`` (which then sizes a ``local`` cluster);
    ``workers=1`` without a scheduler runs in this process. Articles confidently not in
    ``language`` become error records (``any``: no check).
    """
    if scheduler:
        return extract_dask(
            items, scheduler=scheduler, model=model, workers=workers if workers > 1 else None,
            batch_size=batch_size, chunk_size=chunk_size, language=language,
        )
    if workers > 1:
        return extract_pool(
            items, workers=workers, model=model, batch_size=batch_size, chunk_size=chunk_size,
            language=language,
        )
    return extract_serial(items, model=model, batch_size=batch_size, language=language)
