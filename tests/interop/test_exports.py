"""Every export of the seed store parses back; PLOVER JSONL validates; CSV edges read back."""

from __future__ import annotations

import copy
import csv
import io
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import Store, meetings, stances
from diplograph.graph.export import (
    EDGE_COLUMNS,
    edge_rows,
    export,
    jsonld_context,
    plover_records,
    plover_schema,
    union_triples,
)


def _plain(graph: rdflib.Graph) -> rdflib.Graph:
    """Drop explicit ``xsd:string`` datatypes (rdflib parsers leave them implicit)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.string:
            o = rdflib.Literal(str(o))
        out.add((s, p, o))
    return out


def _rdflib_graphs(text: str, fmt: str) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(data=text, format=fmt)
    return {str(g.identifier): _plain(g) for g in ds.graphs() if len(g)}


def _expected_graphs(store: Store) -> dict[str, rdflib.Graph]:
    return _rdflib_graphs(store.ox.dump(format=ox.RdfFormat.N_QUADS).decode(), "nquads")


@pytest.mark.parametrize(("fmt", "ox_format", "rdflib_format"), [
    ("trig", ox.RdfFormat.TRIG, "trig"),
    ("nquads", ox.RdfFormat.N_QUADS, "nquads"),
    ("jsonld", ox.RdfFormat.JSON_LD, "json-ld"),
])
def test_seed_dataset_exports_round_trip_in_both_libraries(
    seed: Store, fmt: str, ox_format: ox.RdfFormat, rdflib_format: str
) -> None:
    text = export(seed, fmt)
    assert set(ox.parse(text, format=ox_format)) == set(seed)
    back = _rdflib_graphs(text, rdflib_format)
    expected = _expected_graphs(seed)
    assert set(back) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(back[name], graph), name


def test_seed_turtle_export_is_the_union_in_both_libraries(seed: Store) -> None:
    text = export(seed, "turtle")
    union = {ox.Triple(t.subject, t.predicate, t.object) for t in union_triples(seed)}
    parsed = ox.parse(text, format=ox.RdfFormat.TURTLE)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == union
    back = rdflib.Graph()
    back.parse(data=text, format="turtle")
    expected = rdflib.Graph()
    expected.parse(data=ox.serialize(union, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(_plain(back), _plain(expected))


def test_jsonld_export_uses_the_shipped_context(seed: Store) -> None:
    shipped = json.loads(
        files("diplograph.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    )["@context"]
    doc = json.loads(export(seed, "jsonld"))
    assert doc["@context"] == jsonld_context()
    assert shipped.items() <= doc["@context"].items()
    assert shipped["holder"] == {"@id": "dip:holder", "@type": "@id"}
    # compact terms from the context are used, not full IRIs
    text = json.dumps(doc)
    assert '"holder"' in text and "https://w3id.org/diplograph/ns#holder" not in text


def test_shipped_context_expands_a_document_in_both_libraries() -> None:
    context = json.loads(
        files("diplograph.ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    )["@context"]
    doc = json.dumps({
        "@context": context, "@id": "stance:x", "@type": "Stance",
        "holder": "actor:RUS", "label": "x",
    })
    expected = {
        ("https://w3id.org/diplograph/id/stance/x",
         "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
         "https://w3id.org/diplograph/ns#Stance"),
        ("https://w3id.org/diplograph/id/stance/x", "https://w3id.org/diplograph/ns#holder",
         "https://w3id.org/diplograph/id/actor/RUS"),
        ("https://w3id.org/diplograph/id/stance/x", "http://www.w3.org/2000/01/rdf-schema#label",
         "x"),
    }
    parsed = {(t.subject.value, t.predicate.value, t.object.value)
              for t in ox.parse(doc, format=ox.RdfFormat.JSON_LD)}
    assert parsed == expected
    graph = rdflib.Graph()
    graph.parse(data=doc, format="json-ld")
    assert {tuple(str(x) for x in t) for t in graph} == expected


# ---------------------------------------------------------------- PLOVER


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_plover_jsonl_validates_against_the_shipped_schema(seed: Store) -> None:
    schema = plover_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    records = _lines(export(seed, "plover"))
    assert records
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["id"], errors)
    assert len(records) == len(stances(seed)) + len(meetings(seed))
    assert len({r["id"] for r in records}) == len(records)


def test_plover_schema_rejects_broken_records(seed: Store) -> None:
    validator = jsonschema.Draft202012Validator(plover_schema())
    good = plover_records(seed)[0]
    for change in (
        {"event_type": "PRAISE"},
        {"mode": "visit"},  # stances carry no mode
        {"actor": [{**good["actor"][0], "country": "Syria"}]},
        {"article": ""},
    ):
        assert not validator.is_valid({**copy.deepcopy(good), **change}), change
    missing = copy.deepcopy(good)
    del missing["text"]
    assert not validator.is_valid(missing)


def test_plover_records_carry_the_seed_facts(seed: Store) -> None:
    records = plover_records(seed)
    reject = next(r for r in records if r["event_type"] == "REJECT")
    assert reject["actor"][0] | {"text": None} == {
        "name": "Syrian opposition", "text": None, "country": "SYR", "sector": "OPP",
        "wikidata": None, "key": "SYR-OPP",
        "iri": "https://w3id.org/diplograph/id/actor/SYR-OPP",
    }
    assert reject["target"]["name"] == "Congress of National Dialogue"
    assert "rejected" in reject["text"]
    assert reject["article"] == "presstv-sochi-rejection"
    assert reject["diplograph"]["iri"] == reject["id"]
    # the initiative's hosts are the recipients, with their Wikidata QIDs
    hosts = {a["key"]: a["wikidata"] for a in reject["recipient"]}
    assert hosts.get("RUS") == "Q159"
    supporters = {r["actor"][0]["key"] for r in records if r["event_type"] == "SUPPORT"}
    assert {"RUS", "IRN", "TUR"} <= supporters
    consults = [r for r in records if r["event_type"] == "CONSULT"]
    sochi = next(r for r in consults if r["target"]["name"] == "Congress of National Dialogue")
    assert "future" in sochi["context"] and sochi["status"] == "planned"
    assert sochi["location"]["name"] == "Sochi"
    assert {a["key"] for a in sochi["recipient"]} >= {"RUS", "IRN", "TUR"}  # the hosts
    mediated = [r for r in consults if r["mode"] == "mediate"]
    assert mediated and all(r["actor"] for r in mediated)


def test_cli_export_plover_to_a_file(seed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(
        app, ["export", "--store", str(seed_store), "-f", "plover", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with Store(seed_store, read_only=True) as st:
        assert _lines(out.read_text(encoding="utf-8")) == plover_records(st)


# ---------------------------------------------------------------- CSV edges


def test_edges_csv_reads_back_with_csv_and_pandas(seed: Store) -> None:
    text = export(seed, "edges-csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == EDGE_COLUMNS
    assert EDGE_COLUMNS[:4] == ("actor", "relation", "target", "article")
    assert rows == [{k: str(v) for k, v in r.items()} for r in edge_rows(seed)]
    stance_edges = {(r["actor"], r["relation"], r["target"]) for r in rows
                    if r["relation"] in ("supports", "rejects")}
    assert stance_edges == {
        (s.holder, "supports" if s.polarity == "support" else "rejects", s.target)
        for s in stances(seed)
    }
    assert ("Syrian opposition", "rejects", "Congress of National Dialogue") in stance_edges
    assert {r["relation"] for r in rows} >= {"supports", "rejects", "mediates"}
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == list(EDGE_COLUMNS)
    assert len(frame) == len(rows)
