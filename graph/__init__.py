"""Records in, RDF out: build, store, query, export, validate and view diplograph graphs."""

from __future__ import annotations

from diplograph.graph.build import build_article, date_literal, extraction_to_quads
from diplograph.graph.export import Format, export
from diplograph.graph.iris import (
    REGISTRY_GRAPH,
    actor_iri,
    article_graph_iri,
    article_iri,
    initiative_iri,
    meeting_iri,
    registry_graph,
    stance_iri,
)
from diplograph.graph.network import to_networkx
from diplograph.graph.queries import ActorRow, MeetingRow, StanceRow, actors, meetings, stances
from diplograph.graph.store import Store
from diplograph.graph.validate import ValidationReport, validate

__all__ = [
    "REGISTRY_GRAPH",
    "ActorRow",
    "Format",
    "MeetingRow",
    "StanceRow",
    "Store",
    "ValidationReport",
    "actor_iri",
    "actors",
    "article_graph_iri",
    "article_iri",
    "build_article",
    "date_literal",
    "export",
    "extraction_to_quads",
    "initiative_iri",
    "meeting_iri",
    "meetings",
    "registry_graph",
    "stance_iri",
    "stances",
    "to_networkx",
    "validate",
]
