"""Serialise a store: Turtle (union of graphs), TriG and N-Quads (graphs kept), JSON-LD."""

from __future__ import annotations

import io
from os import PathLike
from pathlib import Path
from typing import IO, Literal

import pyoxigraph as ox

from diplograph.errors import DiplographError
from diplograph.graph.iris import instance_prefixes
from diplograph.graph.store import Store
from diplograph.ontology.namespace import PREFIXES

__all__ = ["FORMATS", "Format", "export", "prefixes", "union_triples"]

Format = Literal["turtle", "trig", "nquads", "jsonld"]
FORMATS: tuple[str, ...] = ("turtle", "trig", "nquads", "jsonld")


def prefixes() -> dict[str, str]:
    """Prefixes bound in exports: vocabularies, then instance namespaces."""
    return {**PREFIXES, **instance_prefixes()}


def union_triples(store: Store) -> list[ox.Triple]:
    """All triples of all graphs, deduplicated, in a stable order."""
    seen: dict[ox.Triple, None] = {}
    for q in store.ox:
        seen[ox.Triple(q.subject, q.predicate, q.object)] = None
    return list(seen)


def _jsonld(store: Store) -> bytes:
    from rdflib import Dataset, URIRef

    ds = Dataset()
    data = store.ox.dump(format=ox.RdfFormat.N_QUADS)
    if data:
        ds.parse(data=data, format="ox-nquads")
    used = prefixes()
    for prefix, ns in used.items():
        ds.bind(prefix, URIRef(ns), replace=True)
    text = ds.serialize(format="json-ld", context=used, auto_compact=True)
    return text.encode("utf-8") if isinstance(text, str) else text


def _serialise(store: Store, fmt: str) -> bytes:
    if fmt == "turtle":
        return ox.serialize(union_triples(store), format=ox.RdfFormat.TURTLE, prefixes=prefixes())
    if fmt == "trig":
        return store.ox.dump(format=ox.RdfFormat.TRIG, prefixes=prefixes())
    if fmt == "nquads":
        return store.ox.dump(format=ox.RdfFormat.N_QUADS)
    if fmt == "jsonld":
        return _jsonld(store)
    raise DiplographError(f"export format {fmt!r}: expected one of {', '.join(FORMATS)}")


def export(
    store: Store,
    fmt: Format = "turtle",
    dest: str | PathLike[str] | IO[str] | IO[bytes] | None = None,
) -> str | None:
    """Serialise the whole store.

    Args:
        store: the store to export.
        fmt: ``turtle`` (union of all graphs), ``trig`` or ``nquads`` (named graphs
            kept) or ``jsonld`` (named graphs kept, compact ``@context``).
        dest: a path or an open text/binary file; ``None`` returns the text.

    Returns:
        The serialisation when ``dest`` is ``None``, else ``None``.

    Raises:
        DiplographError: unknown format.
    """
    data = _serialise(store, fmt)
    if dest is None:
        return data.decode("utf-8")
    if isinstance(dest, (str, PathLike)):
        Path(dest).write_bytes(data)
    elif isinstance(dest, io.TextIOBase) or "b" not in getattr(dest, "mode", "b"):
        dest.write(data.decode("utf-8"))  # type: ignore[arg-type]
    else:
        dest.write(data)  # type: ignore[arg-type]
    return None
