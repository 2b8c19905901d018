"""The embedded on-disk Oxigraph store: one named graph per article plus a registry graph."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from diplograph.errors import StoreError
from diplograph.graph.build import NAME_PREDICATES, build_article
from diplograph.graph.iris import article_graph_iri, article_iri, instance_prefixes, registry_graph
from diplograph.ingest.records import ArticleExtraction
from diplograph.ontology.namespace import PREFIXES

__all__ = ["FLUSH_AFTER_QUADS", "SparqlResult", "Store"]

SparqlResult = list[dict[str, Any]] | bool | list[tuple[Any, Any, Any]]

_DIP = PREFIXES["dip"]
_SCHEMA = PREFIXES["schema"]
_SKOS = PREFIXES["skos"]

FLUSH_AFTER_QUADS = 200_000
"""Quads an on-disk store writes before it flushes RocksDB's memtables to disk.

Oxigraph gives each of its column families a 128 MB write buffer, so a long ingest that
never flushes grows by about 1 GB per million quads. Flushing after every batch instead
writes a small level-0 file per batch, and RocksDB compacts every two of them into the
whole first level (the keys are hashes, so every file overlaps all others): on a
2,000-article ingest that compaction cost 7.5 ms of CPU per article on the other core,
a quarter of diplograph's own work. This budget bounds the write buffers to a few tens
of MB and makes a flush (and a compaction) every few hundred articles.
"""

# One read-write pyoxigraph store per directory per process: RocksDB locks the directory.
_OPEN: dict[Path, list[Any]] = {}
_OPEN_LOCK = threading.Lock()


def _is_lock_error(err: Exception) -> bool:
    """Whether ``err`` is RocksDB failing to take the directory lock another process holds."""
    text = str(err).lower()
    return "lock" in text and (
        "temporarily unavailable" in text or "resource busy" in text or "lock file" in text
    )


def _open_writable(path: Path) -> ox.Store:
    """Open ``path`` read-write; a directory another process writes to fails at once.

    Raises:
        StoreError: "in use by another process" for a held lock, else the OS reason.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except (OSError, RuntimeError) as err:
        if isinstance(err, OSError) and _is_lock_error(err):
            raise StoreError(
                f"store {str(path)!r} is in use by another process (one writer at a time; "
                f"readers may open it read-only meanwhile)"
            ) from err
        raise StoreError(f"cannot open store {str(path)!r}: {err}") from err


def _open_read_only(path: Path, attempts: int = 3) -> ox.Store:
    """Open ``path`` read-only: a snapshot that a writer in another process does not block.

    A writer creating the store or compacting at the same moment can leave it briefly
    unreadable (a column family not yet created, a file just deleted); the open is then
    retried.

    Raises:
        StoreError: the directory is missing or cannot be opened.
    """
    if not path.exists():
        raise StoreError(f"store {str(path)!r} does not exist")
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            if attempt + 1 == attempts or not path.exists():
                raise StoreError(f"cannot open store {str(path)!r} read-only: {err}") from err
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _acquire(path: Path) -> ox.Store:
    with _OPEN_LOCK:
        entry = _OPEN.get(path)
        if entry is None:
            entry = [_open_writable(path), 0]
            _OPEN[path] = entry
        entry[1] += 1
        return entry[0]


def _release(path: Path) -> None:
    with _OPEN_LOCK:
        entry = _OPEN.get(path)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] <= 0:
            entry[0].flush()
            del _OPEN[path]


def _insert_data(blocks: Mapping[ox.NamedNode, list[ox.Quad]]) -> str:
    parts = [_quad_block(graph, quads) for graph, quads in blocks.items() if quads]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""


def _prune_update() -> str:
    """Update dropping registry entities no article mentions any more, orphan publishers,
    and name-index entries whose text no graph holds under a name predicate.

    Full IRIs, no ``PREFIX``: it is appended to other operations of one update request.
    Name entries are never dropped by the first rule (stores written before the entries
    lost their ``dip:key`` and mentions still have keyed ones): the third decides.
    """
    registry = registry_graph()
    key, mentions = f"<{_DIP}key>", f"<{_SCHEMA}mentions>"
    organization, publisher = f"<{_SCHEMA}Organization>", f"<{_SCHEMA}publisher>"
    hidden = f"<{_SKOS}hiddenLabel>"
    names = "|".join(str(p) for p in NAME_PREDICATES)
    return (
        f"DELETE {{ GRAPH {registry} {{ ?s ?p ?o }} }} WHERE {{\n"
        f"  GRAPH {registry} {{ ?s {key} ?k . ?s ?p ?o FILTER NOT EXISTS {{ ?s {hidden} ?h }} }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?art {mentions} ?s }} }}\n"
        f"}} ;\n"
        f"DELETE {{ GRAPH {registry} {{ ?s ?p ?o }} }} WHERE {{\n"
        f"  GRAPH {registry} {{ ?s a {organization} . ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH {registry} {{ ?art {publisher} ?s }} }}\n"
        f"}} ;\n"
        f"DELETE {{ GRAPH {registry} {{ ?s ?p ?o }} }} WHERE {{\n"
        f"  GRAPH {registry} {{ ?s {hidden} ?text . ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?g {{ ?x {names} ?text }} }}\n"
        f"}}"
    )


Built = tuple[ox.NamedNode, list[ox.Quad], list[ox.NamedNode]]
"""What :func:`~diplograph.graph.build.build_article` returns: graph, quads, reset subjects."""


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _batch_update(store: ox.Store, built: list[Built]) -> list[str]:
    """The update operations writing a batch of built articles, as a difference.

    Applying the articles one after the other means, for each: drop its graph, delete
    the registry descriptions of the subjects it resets, insert its quads. The registry
    part is replayed here in memory, starting from the stored descriptions of every
    subject the batch resets, so the update only deletes the registry quads that end up
    gone and inserts the ones that are new; a description an article rewrites unchanged
    (the usual case: the same actors in article after article) costs a read, not a
    delete and an insert. Article graphs are dropped only when stored. The final store
    content is the same as with the one-by-one operations.
    """
    registry = registry_graph()
    subjects = dict.fromkeys(s for _, _, reset in built for s in reset)
    stored = {s: dict.fromkeys(store.quads_for_pattern(s, None, None, registry)) for s in subjects}
    state = {s: dict(quads) for s, quads in stored.items()}
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    extra: dict[ox.Quad, None] = {}  # registry quads of subjects no article here resets
    for graph, quads, reset in built:
        graphs[graph] = []  # a repeated article replaces its earlier graph
        for s in reset:
            state[s] = {}
        for q in quads:
            if q.graph_name == graph:
                graphs[graph].append(q)
            elif q.graph_name != registry:
                raise StoreError(f"quad outside its article graph and the registry: {q}")
            elif q.subject in state:
                state[q.subject][q] = None
            else:
                extra[q] = None
    ops = [f"DROP SILENT GRAPH {g}" for g in graphs if store.contains_named_graph(g)]
    gone: list[ox.Quad] = []
    new: list[ox.Quad] = list(extra)
    for s, final in state.items():
        removed = [q for q in stored[s] if q not in final]
        if any(_has_blank(q) for q in removed):  # DELETE DATA takes ground quads only
            ops.append(f"DELETE WHERE {{ GRAPH {registry} {{ {s} ?p ?o }} }}")
            new.extend(final)
            continue
        gone.extend(removed)
        new.extend(q for q in final if q not in stored[s])
    if gone:
        ops.append("DELETE DATA {\n" + _quad_block(registry, gone) + "\n}")
    insert = _insert_data({**graphs, registry: new})
    if insert:
        ops.append(insert)
    return ops


def _quad_block(graph: ox.NamedNode, quads: list[ox.Quad]) -> str:
    # a quad's N-Quads form ends with its graph: one call per quad, not one per term
    cut = -len(str(graph)) - 1
    body = "\n".join(f"{str(q)[:cut]} ." for q in quads)
    return f"GRAPH {graph} {{\n{body}\n}}"


class Store:
    """An on-disk Oxigraph store holding diplograph graphs.

    Opening a directory that does not exist creates it. Use it as a context manager:
    leaving the block releases the directory (pyoxigraph has no ``close``). Within
    one process, stores opened on the same path share one underlying pyoxigraph
    store. ``path=None`` gives an in-memory store.

    >>> with Store() as store:
    ...     len(store)
    0

    One process at a time may open a directory for writing; a second writer gets a
    :class:`StoreError` saying the store is in use, at once. Read-only stores open
    alongside a writer in another process and see the data as it was when opened.

    Args:
        path: the store directory, or ``None`` for an in-memory store.
        read_only: open an existing directory read-only (many readers may do so).

    Raises:
        StoreError: the directory cannot be opened (in use by another process,
            not an Oxigraph store, missing when ``read_only``).
    """

    def __init__(self, path: str | PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path).resolve() if path is not None else None
        self.read_only = read_only
        self._shared = False
        self._unflushed = 0  # quads written since the last flush (see FLUSH_AFTER_QUADS)
        if self.path is None:
            self._store: ox.Store | None = ox.Store()
        elif read_only:
            self._store = _open_read_only(self.path)
        else:
            self._store = _acquire(self.path)
            self._shared = True

    # ------------------------------------------------------------ lifecycle

    @property
    def ox(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for direct, fast access)."""
        if self._store is None:
            raise StoreError(f"store {str(self.path)!r} is closed")
        return self._store

    def close(self) -> None:
        """Flush and release the store; further use raises :class:`StoreError`."""
        if self._store is None:
            return
        if self._shared and self.path is not None:
            _release(self.path)
        elif not self.read_only:
            self._store.flush()
        self._store = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        state = "closed" if self._store is None else f"{len(self)} quads"
        return f"<diplograph Store {where} ({state})>"

    # ------------------------------------------------------------ writing

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"store {str(self.path)!r} is open read-only")
        return self.ox

    def add(self, ex: ArticleExtraction) -> None:
        """Add one article's extraction, replacing its graph if already present."""
        self.add_many([ex])

    def add_many(self, exs: Iterable[ArticleExtraction], *, batch_size: int = 100) -> int:
        """Add extractions, each replacing its article's graph; return how many were added.

        Each batch is one SPARQL update, applied as one transaction: the old article
        graph is dropped, the registry descriptions of the entities the article defines
        are replaced, and the new quads (article graph and registry entry together)
        inserted; when an article is replaced, registry entities no article mentions
        any more are pruned in the same transaction. A process killed mid-run therefore
        leaves each article either wholly stored, graph and registry entry, or not at
        all. Re-adding an unchanged extraction leaves the store unchanged. The update is
        written as a difference (:func:`_batch_update`): registry descriptions that come
        out unchanged are neither deleted nor re-inserted.
        """
        store = self._writable()
        count = 0
        batch: list[ArticleExtraction] = []
        for ex in exs:
            batch.append(ex)
            count += 1
            if len(batch) >= batch_size:
                self._write_batch(store, batch)
                batch = []
        if batch:
            self._write_batch(store, batch)
        return count

    def _write_batch(self, store: ox.Store, batch: list[ArticleExtraction]) -> None:
        """Write a batch of extractions as one transaction (pruning if any replaces)."""
        ids = [ex.article.id for ex in batch]
        replaced = len(set(ids)) < len(ids) or self._stored_among(ids)
        built = [build_article(ex) for ex in batch]
        ops = _batch_update(store, built)
        if replaced:
            ops.append(_prune_update())
        self._run_update(store, ops)
        self._unflushed += sum(len(quads) for _, quads, _ in built)
        if self.path is not None and self._unflushed >= FLUSH_AFTER_QUADS:
            self.flush()

    def flush(self) -> None:
        """Write RocksDB's memtables out to disk (the data is durable before: its log)."""
        self._unflushed = 0
        if self.path is not None:
            self._writable().flush()

    def _stored_among(self, ids: list[str]) -> bool:
        """Whether any of the article ``ids`` is already in the store."""
        values = " ".join(str(article_iri(i)) for i in ids)
        q = (
            f"PREFIX schema: <{_SCHEMA}> ASK {{ VALUES ?a {{ {values} }} "
            f"GRAPH {registry_graph()} {{ ?a a schema:NewsArticle }} }}"
        )
        return bool(self.ox.query(q))

    @staticmethod
    def _run_update(store: ox.Store, ops: list[str]) -> None:
        try:
            store.update(" ;\n".join(ops))
        except (OSError, SyntaxError) as err:
            raise StoreError(f"store update failed: {err}") from err

    def remove(self, article_id: str) -> bool:
        """Remove an article's graph and metadata; return whether it was present.

        Registry entities that no remaining article mentions are removed too; facts
        of other articles are never touched.
        """
        store = self._writable()
        present = self.article_hash(article_id) is not None or store.contains_named_graph(
            article_graph_iri(article_id)
        )
        registry = registry_graph()
        article = article_iri(article_id)
        self._run_update(
            store,
            [
                f"DROP SILENT GRAPH {article_graph_iri(article_id)}",
                f"DELETE WHERE {{ GRAPH {registry} {{ {article} ?p ?o }} }}",
                _prune_update(),
            ],
        )
        return present

    def clear(self) -> None:
        """Remove everything."""
        self._writable().clear()

    # ------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self.ox)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.ox)

    def graphs(self) -> list[ox.NamedNode]:
        """Names of the named graphs (article graphs and the registry), sorted."""
        return sorted(
            (g for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)),
            key=lambda g: g.value,
        )

    def article_ids(self) -> list[str]:
        """Ids of the articles in the store, sorted."""
        q = (
            f"PREFIX schema: <{_SCHEMA}> SELECT ?id WHERE {{ GRAPH {registry_graph()} "
            f"{{ ?a a schema:NewsArticle ; schema:identifier ?id }} }}"
        )
        return sorted({sol["id"].value for sol in self.ox.query(q)})

    def article_hash(self, article_id: str) -> tuple[str, str] | None:
        """``(content_hash, extractor_version)`` of a stored article, ``None`` if absent.

        Either part is ``""`` when the extraction did not record it.
        """
        q = (
            f"PREFIX schema: <{_SCHEMA}> PREFIX dip: <{_DIP}> SELECT ?a ?h ?v WHERE {{ "
            f"GRAPH {registry_graph()} {{ ?a a schema:NewsArticle . "
            f"OPTIONAL {{ ?a dip:contentHash ?h }} OPTIONAL {{ ?a dip:extractorVersion ?v }} }} }}"
        )
        for sol in self.ox.query(q, substitutions={ox.Variable("a"): article_iri(article_id)}):
            h, v = sol["h"], sol["v"]
            return (h.value if h is not None else "", v.value if v is not None else "")
        return None

    def sparql(
        self, query: str, *, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None
    ) -> SparqlResult:
        """Run a SPARQL query (prefixes ``dip:``, ``sem:``, ``actor:`` … predeclared).

        Graphs must be named (``GRAPH ?g { … }``): the default graph is empty.

        Args:
            query: a SELECT, ASK, CONSTRUCT or DESCRIBE query.
            bindings: values for variables, substituted safely (each must be projected
                by a SELECT).

        Returns:
            SELECT: a list of ``{variable: term or None}``; ASK: a bool;
            CONSTRUCT/DESCRIBE: a list of ``(subject, predicate, object)`` terms.

        Raises:
            StoreError: the query does not parse or fails.
        """
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            result = self.ox.query(
                query,
                prefixes={**PREFIXES, **instance_prefixes()},
                use_default_graph_as_union=False,
                substitutions=subs or None,
            )
        except (SyntaxError, OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"SPARQL query failed: {err}") from err
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: sol[n] for n in names} for sol in result]
        return [(t.subject, t.predicate, t.object) for t in result]

    def rdflib_dataset(self) -> Any:
        """An :class:`rdflib.Dataset` over this store (through oxrdflib), for rdflib users.

        Writes through the dataset go to the same store. Name graphs explicitly.
        """
        from oxrdflib import OxigraphStore
        from rdflib import Dataset, URIRef

        ds = Dataset(
            store=OxigraphStore(store=self.ox),
            default_union=False,
        )
        for prefix, ns in {**PREFIXES, **instance_prefixes()}.items():
            ds.bind(prefix, URIRef(ns), replace=True)
        return ds
