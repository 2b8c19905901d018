"""SHACL validation of diplograph graphs against the shipped shapes (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdflib import Graph, URIRef

from diplograph.graph.store import Store
from diplograph.ontology import shapes_graph

__all__ = ["ValidationReport", "validate"]


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of a SHACL validation."""

    conforms: bool
    text: str
    results: int


def _data_graph(data: Store | Graph) -> Graph:
    if isinstance(data, Store):
        import pyoxigraph as ox

        graph = Graph(identifier=URIRef("urn:x-diplograph:validate"))
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in data.ox}
        if triples:
            graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="ox-nt")
        return graph
    if hasattr(data, "quads") and getattr(data, "context_aware", False):
        graph = Graph(identifier=URIRef("urn:x-diplograph:validate"))
        for s, p, o, _ in data.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return data


def validate(
    data: Store | Graph, *, inference: Literal["none", "rdfs"] = "none"
) -> ValidationReport:
    """Validate the union of all graphs against ``shapes.ttl``.

    Args:
        data: a :class:`~diplograph.graph.store.Store`, an rdflib ``Graph``, or an
            rdflib ``Dataset`` (its graphs are validated as their union).
        inference: ``none`` (fast; built graphs assert every type they need) or
            ``rdfs`` (with the ontology, for hand-written data).

    Returns:
        A report: ``conforms``, the pyshacl text report and the number of results.
    """
    from pyshacl import validate as shacl_validate

    from diplograph.ontology import ontology_graph

    kwargs = {}
    if inference != "none":
        kwargs["ont_graph"] = ontology_graph(with_vocabularies=False)
    conforms, report, text = shacl_validate(
        _data_graph(data),
        shacl_graph=shapes_graph(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
        **kwargs,
    )
    sh_result = URIRef("http://www.w3.org/ns/shacl#result")
    results = len(list(report.objects(None, sh_result)))
    return ValidationReport(conforms=bool(conforms), text=str(text), results=results)
