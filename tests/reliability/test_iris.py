"""Safe identifiers and literals: graphs built from arbitrary names export and round-trip."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyoxigraph as ox
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from diplograph.graph.export import export
from diplograph.graph.iris import (
    actor_iri,
    article_graph_iri,
    article_iri,
    initiative_iri,
    place_iri,
    publisher_iri,
    stance_iri,
)
from diplograph.graph.store import Store
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)

NASTY = [
    'org:"Free" <Syrian> Army', "100% {done} | ^`\\", "a/b#c?d=e&f", "dip:x y", "José Ñúñez",
    "دمشق", "🇸🇾 coalition 🤝", "line\nbreak\r\ttab", "\u0000\u0007\u007f", "\u2028\u2029",
    "%41%", "%", "<>", '"""', "'''", "@prefix x: <urn:x> .", "_:b0", " ", "", "x" * 3000,
    "%E2%82%AC" + "€" * 200, ".", "..", "U.S.", "-", "~", "x" * 59 + "." + "y" * 100,
]
names = st.one_of(
    st.text(max_size=40), st.sampled_from(NASTY), st.text(min_size=200, max_size=600)
)
MINTERS = (actor_iri, initiative_iri, article_iri, article_graph_iri, place_iri, publisher_iri)
ROUND_TRIP = settings(max_examples=60, deadline=None)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _extraction(
    aid: str, actor_key: str, actor_label: str, mention: str, initiative_key: str,
    initiative_label: str, alias: str, place: str, source: str,
) -> ArticleExtraction:
    sentence = f"{mention} backed {alias} in {place}."
    evidence = Evidence(article=aid, sentence=sentence, start=0, end=len(sentence))
    return ArticleExtraction(
        article=Article(aid, sentence, title=actor_label, published=dt.date(2018, 1, 30),
                        source=source),
        actors=(Actor(actor_key, actor_label, "person", role=alias, mentions=(mention,)),),
        initiatives=(Initiative(initiative_key, initiative_label, "plan", aliases=(alias,),
                                evidence=(evidence,)),),
        meetings=(Meeting(initiative_key, initiative_label, alias, "talks", "planned",
                          participants=(actor_key,), location=place, evidence=(evidence,)),),
        stances=(Stance(actor_key, mention, "support", initiative_key, alias, evidence,
                        rule=mention),),
        extractor_version="test", content_hash=source,
    )


def _rdflib_term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _graphs(quads) -> dict[str, rdflib.Graph]:
    """rdflib graphs, one per graph name, built term by term (no parser involved)."""
    graphs: dict[str, rdflib.Graph] = defaultdict(rdflib.Graph)
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs[name].add(tuple(_rdflib_term(t) for t in (q.subject, q.predicate, q.object)))
    return dict(graphs)


def _parsed_dataset(text: str, fmt: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=text, format=fmt)
    graphs = {}
    for graph in dataset.graphs():
        if len(graph) and graph.identifier != DATASET_DEFAULT_GRAPH_ID:
            graphs[str(graph.identifier)] = graph
    return graphs


@ROUND_TRIP
@given(aid=names, actor_key=names, actor_label=names, mention=names, initiative_key=names,
       initiative_label=names, alias=names, place=names, source=names)
def test_graphs_from_arbitrary_names_round_trip_in_every_export_format(**kwargs: str) -> None:
    with Store() as store:
        store.add(_extraction(**kwargs))
        quads = set(store.ox)
        expected = _graphs(quads)

        nquads = export(store, "nquads")
        trig = export(store, "trig")
        turtle = export(store, "turtle")

    for text, fmt, rdflib_fmt in ((nquads, ox.RdfFormat.N_QUADS, "nquads"),
                                  (trig, ox.RdfFormat.TRIG, "trig")):
        assert set(ox.parse(text.encode("utf-8"), format=fmt)) == quads
        parsed = _parsed_dataset(text, rdflib_fmt)
        assert parsed.keys() == expected.keys()
        for name, graph in expected.items():
            assert isomorphic(parsed[name], graph), (fmt, name)

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    parsed_triples = ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert {ox.Triple(t.subject, t.predicate, t.object) for t in parsed_triples} == triples
    union = rdflib.Graph()
    for graph in expected.values():
        union += graph
    parsed_turtle = rdflib.Graph().parse(data=turtle, format="turtle")
    assert isomorphic(parsed_turtle, union)


@ROUND_TRIP
@given(name=names)
def test_iris_from_arbitrary_names_are_valid_bounded_and_stable(name: str) -> None:
    for mint in MINTERS:
        iri = mint(name)
        assert iri == mint(name)
        assert len(iri.value) < 250
        line = f"{iri} <urn:p> <urn:o> .\n"
        assert list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))[0].subject == iri
        graph = rdflib.Graph().parse(data=line, format="nt")
        assert str(next(iter(graph.subjects()))) == iri.value
    assert stance_iri(name, "RUS", 1) == stance_iri(name, "RUS", 1)


@ROUND_TRIP
@given(first=names, second=names)
def test_distinct_names_give_distinct_iris(first: str, second: str) -> None:
    if first != second:
        assert actor_iri(first) != actor_iri(second)
        assert article_graph_iri(first) != article_graph_iri(second)


@settings(max_examples=15, deadline=None)
@given(aid=names, label=names)
def test_same_extraction_exports_the_same_bytes(aid: str, label: str) -> None:
    outputs = []
    for _ in range(2):
        with Store() as store:
            store.add(_extraction(aid, label, label, label, label, label, label, label, label))
            outputs.append(export(store, "nquads"))
    assert outputs[0] == outputs[1]


def test_names_ending_in_a_dot_give_turtle_that_rdflib_reads() -> None:
    # found by the round-trip test: ``publisher:\\.`` is valid Turtle that rdflib rejects
    with Store() as store:
        store.add(_extraction("U.S.", ".", "..", "a", "b.", "c", "d", "e", "Reuters."))
        turtle = export(store, "turtle")
        size = len({(q.subject, q.predicate, q.object) for q in store.ox})
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == size
    assert actor_iri(".").value.endswith("/actor/%2E")
    assert actor_iri("..").value.endswith("/actor/.%2E")
