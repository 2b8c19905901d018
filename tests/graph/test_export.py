"""Exports parse back in rdflib and pyoxigraph and round-trip isomorphically."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from diplograph.errors import DiplographError
from diplograph.graph import Store, export
from diplograph.graph.export import union_triples


def _plain(graph: rdflib.Graph) -> rdflib.Graph:
    """Drop explicit ``xsd:string`` datatypes (oxrdflib keeps them, rdflib's parsers do not)."""
    out = rdflib.Graph(identifier=graph.identifier)
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
            o = rdflib.Literal(str(o))
        out.add((s, p, o))
    return out


def _spo(items) -> set[tuple]:
    return {(t.subject, t.predicate, t.object) for t in items}


def _union(store: Store) -> rdflib.Graph:
    graph = rdflib.Graph(identifier=rdflib.URIRef("urn:expected"))
    graph.parse(data=ox.serialize(union_triples(store), format=ox.RdfFormat.N_TRIPLES),
                format="nt")
    return graph


def _rdflib_quads(store: Store) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(data=export(store, "nquads"), format="nquads")
    return _graphs(ds)


def _graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    out = {}
    for graph in ds.graphs():
        if len(graph):
            out[str(graph.identifier)] = _plain(graph)
    return out


@pytest.mark.parametrize("parser", ["turtle", "ox-turtle"])
def test_turtle_export_is_the_union_and_round_trips(loaded: Store, parser: str) -> None:
    text = export(loaded, "turtle")
    assert "@prefix dip: <https://w3id.org/diplograph/ns#>" in text
    assert "GRAPH" not in text
    back = rdflib.Graph(identifier=rdflib.URIRef("urn:back"))
    back.parse(data=text, format=parser)
    assert isomorphic(_plain(back), _union(loaded))


def test_turtle_export_parses_in_pyoxigraph(loaded: Store) -> None:
    triples = _spo(ox.parse(export(loaded, "turtle"), format=ox.RdfFormat.TURTLE))
    assert triples == _spo(union_triples(loaded))


@pytest.mark.parametrize(("fmt", "ox_format", "rdflib_format"), [
    ("trig", ox.RdfFormat.TRIG, "trig"),
    ("nquads", ox.RdfFormat.N_QUADS, "nquads"),
    ("jsonld", ox.RdfFormat.JSON_LD, "json-ld"),
])
def test_dataset_exports_keep_graphs_and_round_trip(
    loaded: Store, fmt: str, ox_format: ox.RdfFormat, rdflib_format: str
) -> None:
    text = export(loaded, fmt)
    # pyoxigraph: exactly the store's quads
    assert set(ox.parse(text, format=ox_format)) == set(loaded)
    # rdflib: same graphs, each isomorphic
    ds = rdflib.Dataset()
    ds.parse(data=text, format=rdflib_format)
    got, expected = _graphs(ds), _rdflib_quads(loaded)
    assert set(got) == set(expected) and len(got) == 3
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), name


def test_jsonld_export_has_a_compact_context(loaded: Store) -> None:
    doc = json.loads(export(loaded, "jsonld"))
    assert doc["@context"]["dip"] == "https://w3id.org/diplograph/ns#"
    assert "@graph" in doc


def test_export_writes_to_paths_and_files(loaded: Store, tmp_path: Path) -> None:
    assert export(loaded, "nquads", tmp_path / "out.nq") is None
    assert (tmp_path / "out.nq").read_text(encoding="utf-8") == export(loaded, "nquads")
    text, binary = io.StringIO(), io.BytesIO()
    export(loaded, "trig", text)
    export(loaded, "trig", binary)
    assert text.getvalue() == binary.getvalue().decode("utf-8") == export(loaded, "trig")


def test_export_unknown_format_raises(loaded: Store) -> None:
    with pytest.raises(DiplographError, match="rdfxml"):
        export(loaded, "rdfxml")  # type: ignore[arg-type]


def test_export_of_nasty_keys_round_trips(store: Store, make_sochi) -> None:
    import dataclasses

    from diplograph.ingest.records import Actor

    ex = make_sochi()
    nasty = 'org:"Free" <Syrian> 100% {Army} 🇸🇾 a/b#c'
    actor = Actor(nasty, 'The "Free" Army\n', "group", mentions=("}) #\n",))
    stance = dataclasses.replace(ex.stances[0], holder=nasty, holder_text='"Free" Army')
    store.add(dataclasses.replace(ex, actors=(*ex.actors, actor), stances=(stance,)))
    for parser in ("turtle", "ox-turtle"):
        back = rdflib.Graph(identifier=rdflib.URIRef("urn:back"))
        back.parse(data=export(store, "turtle"), format=parser)
        assert isomorphic(_plain(back), _union(store))
    assert set(ox.parse(export(store, "trig"), format=ox.RdfFormat.TRIG)) == set(store)
