"""A networkx view of a store: actors, initiatives and meetings with stance and role edges."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from diplograph.graph.iris import registry_graph
from diplograph.graph.queries import actors, meetings, stances
from diplograph.graph.store import Store
from diplograph.ontology.namespace import PREFIXES

__all__ = ["article_metadata", "to_networkx"]

_ROLES = (("participants", "participant"), ("hosts", "host"), ("mediators", "mediator"))


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Return the store as a :class:`networkx.MultiDiGraph`.

    Nodes are keyed ``actor:<key>`` and ``initiative:<key>`` (meetings share the
    initiative key space) with attributes ``kind`` (actor, initiative, meeting) and
    ``label`` (plus ``key``; for actors ``actor_kind``, ``country``, ``sector``,
    ``wikidata``; for meetings ``type``, ``status``, ``location``, dates, ``round``).
    ``graph.graph["articles"]`` maps each article id to its ``title``, ``url``,
    ``published`` date and ``source`` (``None`` where unknown).
    Every edge has a ``relation`` attribute:

    - ``supports`` / ``rejects``: holder → target, one per stance, with ``polarity``,
      ``article``, ``sentence``, ``conditional``, ``confidence``, ``date``,
      ``holder_text``, ``target_text``;
    - ``participant`` / ``host`` / ``mediator``: meeting → actor, with ``article``;
    - ``part_of``: meeting → the process it belongs to.

    >>> with Store() as store:
    ...     to_networkx(store).number_of_nodes()
    0
    """
    graph = nx.MultiDiGraph(articles=article_metadata(store))
    by_label: dict[str, str] = {}
    for row in actors(store):
        node = f"actor:{row.key}"
        graph.add_node(node, kind="actor", label=row.label, key=row.key, actor_kind=row.kind,
                       country=row.country, sector=row.sector, wikidata=row.wikidata)
        by_label.setdefault(row.label, node)

    labels = _initiative_labels(store)

    def initiative_node(key: str | None, label: str, kind: str = "initiative") -> str:
        node_key = key or label
        node = f"initiative:{node_key}"
        if kind == "meeting" or node not in graph:
            graph.add_node(node, kind=kind, label=labels.get(node_key, label), key=node_key)
        return node

    for m in meetings(store):
        node = initiative_node(m.key, m.name, "meeting")
        graph.nodes[node].update(type=m.type, status=m.status, location=m.location,
                                 start_date=m.start_date, end_date=m.end_date, round=m.round)
        for field, relation in _ROLES:
            for label in getattr(m, field):
                actor = by_label.get(label) or f"actor:{label}"
                if actor not in graph:
                    graph.add_node(actor, kind="actor", label=label, key=label)
                graph.add_edge(node, actor, relation=relation, article=m.article)
        if m.part_of:
            parent = initiative_node(m.part_of, m.part_of)
            graph.add_edge(node, parent, relation="part_of", article=m.article)
    for s in stances(store):
        holder = f"actor:{s.holder_key}" if s.holder_key else by_label.get(s.holder, s.holder)
        if holder not in graph:
            graph.add_node(holder, kind="actor", label=s.holder, key=s.holder_key)
        target = initiative_node(s.target_key, s.target)
        relation = "supports" if s.polarity == "support" else "rejects"
        graph.add_edge(holder, target, relation=relation, polarity=s.polarity,
                       article=s.article, sentence=s.sentence, conditional=s.conditional,
                       confidence=s.confidence, date=s.date, holder_text=s.holder_text,
                       target_text=s.target_text)
    for key, label in labels.items():
        initiative_node(key, label)
    return graph


_LABELS = f"""
PREFIX dip: <{PREFIXES['dip']}>
PREFIX rdfs: <{PREFIXES['rdfs']}>
SELECT ?g ?key ?label WHERE {{
  GRAPH ?g {{ ?i a dip:Initiative ; dip:key ?key ; rdfs:label ?label }}
}}"""


def _initiative_labels(store: Store) -> dict[str, str]:
    """Initiative key → label: the registry label, else the first article-local one."""
    reg = registry_graph().value
    ranked = sorted(
        (sol["g"].value != reg, sol["key"].value, sol["label"].value)
        for sol in store.ox.query(_LABELS)
    )
    labels: dict[str, str] = {}
    for _, key, label in ranked:
        labels.setdefault(key, label)
    return labels


_ARTICLES = f"""
PREFIX schema: <{PREFIXES['schema']}>
SELECT ?reg ?id ?title ?url ?published ?source WHERE {{
  GRAPH ?reg {{
    ?a a schema:NewsArticle ; schema:identifier ?id .
    OPTIONAL {{ ?a schema:headline ?title }}
    OPTIONAL {{ ?a schema:url ?url }}
    OPTIONAL {{ ?a schema:datePublished ?published }}
    OPTIONAL {{ ?a schema:publisher/schema:name ?source }}
  }}
}}"""


def article_metadata(store: Store) -> dict[str, dict[str, str | None]]:
    """Article id → ``title``, ``url``, ``published``, ``source`` (``None`` where unknown).

    >>> with Store() as store:
    ...     article_metadata(store)
    {}
    """
    substitutions = {ox.Variable("reg"): registry_graph()}
    found: dict[str, dict[str, str | None]] = {}
    for sol in store.ox.query(_ARTICLES, substitutions=substitutions):
        row = {name: None if sol[name] is None else sol[name].value
               for name in ("title", "url", "published", "source")}
        found.setdefault(sol["id"].value, row)
    return dict(sorted(found.items()))
