"""Mint stable, always-valid IRIs for instances from keys of arbitrary Unicode text."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

from diplograph.settings import settings

__all__ = [
    "REGISTRY_GRAPH",
    "actor_iri",
    "article_graph_iri",
    "article_iri",
    "base_iri",
    "encode_key",
    "evidence_iri",
    "initiative_iri",
    "instance_prefixes",
    "meeting_iri",
    "place_iri",
    "publisher_iri",
    "registry_graph",
    "stance_iri",
]

_MAX_SEGMENT = 96
_SAFE = "-._~"


def base_iri() -> str:
    """Return the configured instance base IRI, always ending with ``/``."""
    base = settings.base_iri
    return base if base.endswith(("/", "#")) else base + "/"


def _digest(text: str, n: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


# Pure, and called for every IRI an article's quads mention: the same keys (actors,
# initiatives, the article id) recur within and across articles, and ``quote`` is slow.
@lru_cache(maxsize=4096)
def encode_key(key: str) -> str:
    """Encode a key as one IRI path segment: stable, injective for short keys, never invalid.

    Unreserved ASCII stays as it is, everything else is percent-encoded as UTF-8.
    A final ``.`` is encoded too (``%2E``): a Turtle local name cannot end with one
    (rdflib rejects even the escaped form) and ``.``/``..`` segments would be dot
    segments that IRI resolution removes. Long keys keep a readable prefix followed by
    a hash of the whole key; the empty key becomes ``_`` plus a hash.

    >>> encode_key("SYR-GOV")
    'SYR-GOV'
    >>> encode_key("org:Free Syrian Army")
    'org%3AFree%20Syrian%20Army'
    >>> encode_key("U.S.")
    'U.S%2E'
    """
    if not key:
        return "_" + _digest(key)
    encoded = quote(key, safe=_SAFE, errors="surrogatepass")
    if encoded.endswith("."):
        encoded = encoded[:-1] + "%2E"
    if len(encoded) <= _MAX_SEGMENT:
        return encoded
    head = encoded[:60]
    # never cut a %XX escape in half
    cut = head.rfind("%")
    if cut >= len(head) - 2:
        head = head[:cut]
    return f"{head}~{_digest(key, 16)}"


def _iri(kind: str, key: str) -> NamedNode:
    return _instance_node(base_iri(), kind, key)


# An article's quads name the same actors and initiatives many times, and so do articles
# after articles; one node per IRI also makes comparing quads that share it cheap.
@lru_cache(maxsize=4096)
def _instance_node(base: str, kind: str, key: str) -> NamedNode:
    return NamedNode(f"{base}id/{kind}/{encode_key(key)}")


def actor_iri(key: str) -> NamedNode:
    """IRI of the canonical actor ``key`` (``RUS``, ``SYR-GOV``, ``person:…``)."""
    return _iri("actor", key)


def initiative_iri(key: str) -> NamedNode:
    """IRI of the initiative ``key``.

    Meetings live in the initiative key space, so a meeting and an initiative with
    the same key are one resource (typed both ``dip:Initiative`` and ``dip:Meeting``).
    """
    return _iri("initiative", key)


def meeting_iri(key: str) -> NamedNode:
    """IRI of the meeting ``key``: the same resource as :func:`initiative_iri`.

    A stance on "the Sochi congress" in one article and the meeting of that name in
    another must meet in one node, so meetings are not given a separate IRI space.
    """
    return initiative_iri(key)


def article_iri(article_id: str) -> NamedNode:
    """IRI of the source article ``article_id``."""
    return _iri("article", article_id)


def article_graph_iri(article_id: str) -> NamedNode:
    """IRI of the named graph holding what article ``article_id`` says."""
    return NamedNode(f"{base_iri()}graph/article/{encode_key(article_id)}")


def registry_graph() -> NamedNode:
    """IRI of the registry graph (canonical entities and article metadata)."""
    return _registry_node(base_iri())


# One node for every registry quad of every article (see ``_instance_node``).
@lru_cache(maxsize=4)
def _registry_node(base: str) -> NamedNode:
    return NamedNode(f"{base}graph/registry")


REGISTRY_GRAPH = registry_graph()
"""The registry graph under the base IRI configured at import time."""


def stance_iri(article_id: str, *parts: object) -> NamedNode:
    """IRI of a stance in ``article_id``, stable for the same ``parts``.

    ``parts`` are the facts that identify the stance within its article (holder,
    polarity, target, offsets …); they are hashed.
    """
    fingerprint = "\x1f".join(str(p) for p in (article_id, *parts))
    return NamedNode(f"{base_iri()}id/stance/{encode_key(article_id)}-{_digest(fingerprint)}")


def evidence_iri(article_id: str, start: int, end: int, sentence: str = "") -> NamedNode:
    """IRI of the evidence annotation for characters ``start:end`` of an article."""
    tail = f"{start}-{end}-{_digest(sentence, 6)}"
    return NamedNode(f"{base_iri()}id/evidence/{encode_key(article_id)}-{tail}")


def place_iri(name: str, country: str | None = None) -> NamedNode:
    """IRI of a place named ``name`` (in ``country`` when known)."""
    return _iri("place", f"{name}|{country}" if country else name)


def publisher_iri(name: str) -> NamedNode:
    """IRI of a publisher (news source) named ``name``."""
    return _iri("publisher", name)


def instance_prefixes() -> dict[str, str]:
    """Prefix → namespace for instance IRIs (local names never contain ``/``)."""
    base = base_iri()
    return {
        "actor": f"{base}id/actor/",
        "initiative": f"{base}id/initiative/",
        "stance": f"{base}id/stance/",
        "evidence": f"{base}id/evidence/",
        "article": f"{base}id/article/",
        "place": f"{base}id/place/",
        "publisher": f"{base}id/publisher/",
        "graph": f"{base}graph/",
        "agraph": f"{base}graph/article/",
    }
