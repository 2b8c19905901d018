"""Serialise a store: RDF (Turtle, TriG, N-Quads, JSON-LD), PLOVER-style JSONL, CSV edges."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from functools import cache
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import IO, Any, Literal

import pyoxigraph as ox

from diplograph.errors import DiplographError
from diplograph.graph.iris import (
    actor_iri,
    article_graph_iri,
    encode_key,
    initiative_iri,
    instance_prefixes,
    registry_graph,
)
from diplograph.graph.queries import (
    ActorRow,
    MeetingRow,
    Source,
    StanceRow,
    actors,
    meetings,
    run,
    stances,
)
from diplograph.graph.store import Store
from diplograph.ontology.namespace import PREFIXES

__all__ = [
    "CONTEXT_URL",
    "EDGE_COLUMNS",
    "FORMATS",
    "Format",
    "edge_rows",
    "edge_rows_csv",
    "export",
    "jsonld_context",
    "plover_jsonl",
    "plover_records",
    "plover_schema",
    "prefixes",
    "union_triples",
]

Format = Literal["turtle", "trig", "nquads", "jsonld", "plover", "edges-csv"]
FORMATS: tuple[str, ...] = ("turtle", "trig", "nquads", "jsonld", "plover", "edges-csv")

CONTEXT_URL = "https://w3id.org/diplograph/context.jsonld"
"""Where the JSON-LD context shipped as ``ontology/context.jsonld`` is published."""

EDGE_COLUMNS: tuple[str, ...] = (
    "actor", "relation", "target", "article", "actor_key", "target_key", "date",
)
"""Columns of the ``edges-csv`` export (the first four are the contract)."""


def prefixes() -> dict[str, str]:
    """Prefixes bound in exports: vocabularies, then instance namespaces."""
    return {**PREFIXES, **instance_prefixes()}


def union_triples(store: Store) -> list[ox.Triple]:
    """All triples of all graphs, deduplicated, in a stable order."""
    seen: dict[ox.Triple, None] = {}
    for q in store.ox:
        seen[ox.Triple(q.subject, q.predicate, q.object)] = None
    return list(seen)


@cache
def _shipped_context() -> dict[str, Any]:
    text = files("diplograph.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD ``@context`` of exports: the shipped context (published at
    :data:`CONTEXT_URL`), with the instance prefixes of the configured base IRI.
    """
    return {**_shipped_context(), **instance_prefixes()}


def _jsonld(store: Store) -> bytes:
    from rdflib import Dataset, URIRef

    ds = Dataset()
    data = store.ox.dump(format=ox.RdfFormat.N_QUADS)
    if data:
        ds.parse(data=data, format="ox-nquads")
    for prefix, ns in prefixes().items():
        ds.bind(prefix, URIRef(ns), replace=True)
    text = ds.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
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
    if fmt == "plover":
        return plover_jsonl(store).encode("utf-8")
    if fmt == "edges-csv":
        return edge_rows_csv(store).encode("utf-8")
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
            kept), ``jsonld`` (named graphs kept, the shipped ``@context``),
            ``plover`` (one PLOVER-style JSON record per line, see
            :func:`plover_records`) or ``edges-csv`` (see :func:`edge_rows`).
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


# ---------------------------------------------------------------- PLOVER-style events

_PARTIES = """
SELECT DISTINCT ?g ?m ?rel ?key WHERE {{
  GRAPH ?g {{
    ?m a dip:Meeting .
    VALUES ?rel {{ sem:hasActor dip:host dip:mediator }}
    ?m ?rel ?a .
  }}
  GRAPH ?kg {{ ?a dip:key ?key }}
}}"""

_PLACES = """
SELECT DISTINCT ?g ?m ?country WHERE {{
  GRAPH ?g {{ ?m a dip:Meeting ; sem:hasPlace ?pl . ?pl dip:country ?country }}
}}"""

_ARTICLES = """
SELECT ?id ?art ?published WHERE {{
  GRAPH {reg} {{
    ?art a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL {{ ?art schema:datePublished ?published }}
  }}
}}"""

_ROLE = {
    PREFIXES["sem"] + "hasActor": "participants",
    PREFIXES["dip"] + "host": "hosts",
    PREFIXES["dip"] + "mediator": "mediators",
}

_MODES = {"call": "phone", "visit": "visit"}
"""diplograph meeting type → PLOVER CONSULT mode (others meet; mediated ones mediate)."""


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class _Facts:
    """What the PLOVER and edge exports need, read once from a store or an endpoint."""

    def __init__(self, source: Source) -> None:
        self.stances: list[StanceRow] = stances(source)
        self.meetings: list[MeetingRow] = meetings(source)
        self.actors: dict[str, ActorRow] = {a.key: a for a in actors(source)}
        self.parties: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for sol in run(source, _prologue() + _PARTIES.format()):
            role = self.parties[(sol["g"].value, sol["m"].value)][_ROLE[sol["rel"].value]]
            if sol["key"].value not in role:
                role.append(sol["key"].value)
        for roles in self.parties.values():
            for keys in roles.values():
                keys.sort()
        self.places = {
            (sol["g"].value, sol["m"].value): sol["country"].value
            for sol in run(source, _prologue() + _PLACES.format())
        }
        self.articles: dict[str, tuple[str, str | None]] = {}
        for sol in run(source, _prologue() + _ARTICLES.format(reg=registry_graph())):
            published = sol["published"]
            self.articles[sol["id"].value] = (
                sol["art"].value, None if published is None else published.value
            )
        # hosts of each initiative (from any article): the recipients of stances on it
        self.hosts: dict[str, list[str]] = defaultdict(list)
        for row in self.meetings:
            for key in self.roles(row).get("hosts", []):
                if row.key and key not in self.hosts[row.key]:
                    self.hosts[row.key].append(key)

    def roles(self, row: MeetingRow) -> dict[str, list[str]]:
        return self.parties.get((article_graph_iri(row.article).value, row.iri or ""), {})

    def actor(self, key: str, text: str | None = None, name: str | None = None) -> dict[str, Any]:
        known = self.actors.get(key)
        return {
            "name": known.label if known else (name or text or key),
            "text": text,
            "country": known.country if known else None,
            "sector": known.sector if known else None,
            "wikidata": known.wikidata if known else None,
            "key": key,
            "iri": actor_iri(key).value,
        }

    def article(self, article_id: str) -> tuple[str, str | None]:
        return self.articles.get(article_id, ("", None))


def _stance_record(facts: _Facts, row: StanceRow) -> dict[str, Any]:
    holder = row.holder_key or row.holder
    target_key = row.target_key or row.target
    art_iri, published = facts.article(row.article)
    recipients = [k for k in facts.hosts.get(target_key, []) if k != holder]
    return {
        "id": row.iri or "",
        "event_type": "SUPPORT" if row.polarity == "support" else "REJECT",
        "mode": None,
        "context": ["diplomatic", *(["hypothetical"] if row.conditional else [])],
        "date": row.date,
        "actor": [facts.actor(holder, row.holder_text, row.holder)],
        "recipient": [facts.actor(k) for k in recipients],
        "target": {
            "name": row.target,
            "text": row.target_text,
            "key": target_key,
            "iri": initiative_iri(target_key).value,
        },
        "location": None,
        "text": row.sentence,
        "article": row.article,
        "article_iri": art_iri,
        "published": published,
        "confidence": row.confidence,
        "conditional": row.conditional,
        "status": None,
        "diplograph": {
            "kind": "stance",
            "iri": row.iri or "",
            "graph": article_graph_iri(row.article).value,
            "polarity": row.polarity,
            "rule": row.rule,
        },
    }


def _meeting_parties(roles: dict[str, list[str]]) -> tuple[str | None, list[str], list[str]]:
    """``(mode override, actor keys, recipient keys)`` of a meeting, PLOVER style.

    Mediated meetings: the mediators act (mode ``mediate``) towards the participants
    and hosts. Otherwise the participants act towards the hosts; a meeting with hosts
    only has the hosts as actors and no recipient.
    """
    participants = roles.get("participants", [])
    hosts = roles.get("hosts", [])
    mediators = roles.get("mediators", [])
    if mediators:
        others = [k for k in [*participants, *hosts] if k not in mediators]
        return "mediate", list(mediators), list(dict.fromkeys(others))
    if participants:
        return None, list(participants), [k for k in hosts if k not in participants]
    return None, list(hosts), []


def _meeting_record(facts: _Facts, row: MeetingRow) -> dict[str, Any]:
    graph = article_graph_iri(row.article).value
    mode, actor_keys, recipient_keys = _meeting_parties(facts.roles(row))
    kind = (row.type or "").lower()
    signing = kind in ("signing", "signing ceremony")
    art_iri, published = facts.article(row.article)
    return {
        "id": f"{row.iri}#{encode_key(row.article)}",
        "event_type": "AGREE" if signing else "CONSULT",
        "mode": None if signing else (mode or _MODES.get(kind, "meet")),
        "context": ["diplomatic", *(["future"] if row.status == "planned" else [])],
        "date": row.start_date,
        "actor": [facts.actor(k) for k in actor_keys],
        "recipient": [facts.actor(k) for k in recipient_keys],
        "target": {
            "name": row.name,
            "text": row.text,
            "key": row.key or row.name,
            "iri": row.iri or "",
        },
        "location": None if not row.location else {
            "name": row.location, "country": facts.places.get((graph, row.iri or "")),
        },
        "text": row.sentence,
        "article": row.article,
        "article_iri": art_iri,
        "published": published,
        "confidence": row.confidence,
        "conditional": False,
        "status": row.status,
        "diplograph": {
            "kind": "meeting",
            "iri": row.iri or "",
            "graph": graph,
            "type": row.type,
            "end_date": row.end_date,
            "round": row.round,
            "part_of": row.part_of,
        },
    }


def plover_records(source: Source) -> list[dict[str, Any]]:
    """PLOVER-style event records: one per stance and one per meeting per article.

    Stances become ``SUPPORT`` / ``REJECT`` events: the holder is the actor, the
    initiative is the ``target`` and its hosts (when a meeting of that initiative
    names them) are the recipients. Meetings become ``CONSULT`` events (``AGREE``
    for signings) with a PLOVER mode: ``phone`` (calls), ``visit``, ``mediate``
    (a third party mediates) or ``meet``. Actors carry name, ISO 3166 country,
    sector and Wikidata QID; every record carries the evidence sentence, the article
    id and the diplograph IRIs it came from. Records validate against
    ``ontology/plover.schema.json`` (:func:`plover_schema`).
    """
    facts = _Facts(source)
    records = [_stance_record(facts, row) for row in facts.stances]
    records += [_meeting_record(facts, row) for row in facts.meetings]
    return records


def plover_schema() -> dict[str, Any]:
    """The JSON Schema of PLOVER-style records (``ontology/plover.schema.json``)."""
    text = files("diplograph.ontology").joinpath("plover.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


# ---------------------------------------------------------------- CSV edge list

_MEETING_RELATIONS = (
    ("participants", "participates_in"), ("hosts", "hosts"), ("mediators", "mediates"),
)


def edge_rows(source: Source) -> list[dict[str, Any]]:
    """Actor → initiative edges for Gephi or pandas, as dicts of :data:`EDGE_COLUMNS`.

    Stances give ``supports`` / ``rejects`` edges; meetings give ``participates_in``,
    ``hosts`` and ``mediates`` edges. Names are canonical labels; keys identify nodes.
    """
    facts = _Facts(source)
    rows: list[dict[str, Any]] = []
    for st in facts.stances:
        rows.append({
            "actor": st.holder, "relation": "supports" if st.polarity == "support" else "rejects",
            "target": st.target, "article": st.article, "actor_key": st.holder_key or "",
            "target_key": st.target_key or "", "date": st.date or "",
        })
    for m in facts.meetings:
        roles = facts.roles(m)
        for field, relation in _MEETING_RELATIONS:
            for key in roles.get(field, []):
                rows.append({
                    "actor": facts.actor(key)["name"], "relation": relation, "target": m.name,
                    "article": m.article, "actor_key": key, "target_key": m.key or "",
                    "date": m.start_date or "",
                })
    return rows


def plover_jsonl(source: Source) -> str:
    """:func:`plover_records` as JSON Lines (one record per line, UTF-8 text)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in plover_records(source))


def edge_rows_csv(source: Source) -> str:
    """:func:`edge_rows` as CSV text with a header row."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EDGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(edge_rows(source))
    return buf.getvalue()
