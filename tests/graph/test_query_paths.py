"""The index-driven query paths give exactly the rows of the one-query scan they replaced.

``Legacy`` below is the previous implementation of ``stances`` and ``meetings``: one
SPARQL query over every stance (meeting) of every graph with all optional patterns,
joined with a substring filter over every label, alias, mention and key in every graph.
It is the oracle: the new path (name index, bound entities, per-stance lookups) must give
the same rows, in the same order, on a real ingested store, on hand-built stores that
are changed and pruned, and through a real Oxigraph server.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from diplograph.errors import StoreError
from diplograph.graph import Store, actors, meetings, stances
from diplograph.graph.build import name_iri
from diplograph.graph.endpoint import Endpoint
from diplograph.graph.iris import registry_graph
from diplograph.graph.push import push
from diplograph.graph.queries import (
    _PROLOGUE,
    _ROLE_FIELD,
    MeetingRow,
    Source,
    StanceRow,
    _local,
    _row_key,
    _s,
    _v,
    _values,
    run,
)
from diplograph.ontology.namespace import MEETING_TYPE, POLARITY, PREFIXES, SECTOR, STATUS
from tests.interop.conftest import free_port, oxigraph_binary, start, stop, wait_until

# ---------------------------------------------------------------- the oracle

_LEGACY_STANCES = """
SELECT ?g ?stance ?articleId ?holder ?holderKey ?hReg ?hLoc ?holderText ?pol ?cond ?target
       ?targetKey ?tReg ?tLoc ?targetText ?sentence ?start ?date ?dateText ?conf ?rule ?country
       ?sector
WHERE {{
  GRAPH ?g {{
    ?stance a dip:Stance ; dip:holder ?holder ; dip:target ?target ; dip:polarity ?pol ;
            prov:wasDerivedFrom ?art .
    OPTIONAL {{ ?stance dip:conditional ?cond }}
    OPTIONAL {{ ?stance dip:holderText ?holderText }}
    OPTIONAL {{ ?stance dip:targetText ?targetText }}
    OPTIONAL {{ ?stance sem:hasTimeStamp ?date }}
    OPTIONAL {{ ?stance dip:dateText ?dateText }}
    OPTIONAL {{ ?stance dip:confidence ?conf }}
    OPTIONAL {{ ?stance dip:rule ?rule }}
    OPTIONAL {{ ?stance dip:evidence/oa:hasTarget/oa:hasSelector ?qs .
               ?qs a oa:TextQuoteSelector ; oa:exact ?sentence }}
    OPTIONAL {{ ?stance dip:evidence/oa:hasTarget/oa:hasSelector ?ps .
               ?ps a oa:TextPositionSelector ; oa:start ?start }}
    OPTIONAL {{ ?holder rdfs:label ?hLoc }}
    OPTIONAL {{ ?target rdfs:label ?tLoc }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?art schema:identifier ?articleId }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder rdfs:label ?hReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:key ?hKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?holder dip:key ?hKeyLoc }} }}
  BIND(COALESCE(?hKeyReg, ?hKeyLoc) AS ?holderKey)
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:country ?country }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:sector ?sector }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?target rdfs:label ?tReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?target dip:key ?tKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?target dip:key ?tKeyLoc }} }}
  BIND(COALESCE(?tKeyReg, ?tKeyLoc) AS ?targetKey)
  {filters}
}}"""

_LEGACY_MATCH = """
  {{ SELECT DISTINCT {subject} WHERE {{
      {values}
      GRAPH ?lg {{ {subject} {path} ?l }}
      FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?needle))))
  }} }}"""

_LEGACY_MEETINGS = """
SELECT ?g ?m ?articleId ?mReg ?mLoc ?key ?text ?etype ?typeText ?place ?status ?begin ?end
       ?round ?sentence ?start ?conf ?partKey
WHERE {{
  GRAPH ?g {{
    ?m a dip:Meeting ; prov:wasDerivedFrom ?art .
    OPTIONAL {{ ?m dip:mentionText ?text }}
    OPTIONAL {{ ?m sem:eventType ?etype }}
    OPTIONAL {{ ?m dip:typeText ?typeText }}
    OPTIONAL {{ ?m sem:hasPlace ?pl . ?pl schema:name ?place }}
    OPTIONAL {{ ?m dip:status ?status }}
    OPTIONAL {{ ?m sem:hasBeginTimeStamp ?begin }}
    OPTIONAL {{ ?m sem:hasEndTimeStamp ?end }}
    OPTIONAL {{ ?m dip:round ?round }}
    OPTIONAL {{ ?m dip:confidence ?conf }}
    OPTIONAL {{ ?m rdfs:label ?mLoc }}
    OPTIONAL {{ ?m dip:evidence ?ev . ?ev oa:hasTarget ?et .
               ?et oa:hasSelector ?qs , ?ps .
               ?qs a oa:TextQuoteSelector ; oa:exact ?sentence .
               ?ps a oa:TextPositionSelector ; oa:start ?start }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?art schema:identifier ?articleId }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?m rdfs:label ?mReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?m dip:key ?key }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:subEventOf ?part }}
             OPTIONAL {{ GRAPH {reg} {{ ?part dip:key ?pKeyReg }} }}
             OPTIONAL {{ GRAPH ?g {{ ?part dip:key ?pKeyLoc }} }}
             BIND(COALESCE(?pKeyReg, ?pKeyLoc) AS ?partKey) }}
  {filters}
}}"""

_LEGACY_ROLES = """
SELECT ?g ?m ?rel ?a ?aReg ?aLoc ?aKey WHERE {{
  GRAPH ?g {{
    ?m a dip:Meeting .
    VALUES ?rel {{ sem:hasActor dip:host dip:mediator }}
    ?m ?rel ?a .
    OPTIONAL {{ ?a rdfs:label ?aLoc }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?a rdfs:label ?aReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?a dip:key ?aKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?a dip:key ?aKeyLoc }} }}
  BIND(COALESCE(?aKeyReg, ?aKeyLoc) AS ?aKey)
}}"""

_STANCE_NAMES = "rdfs:label|skos:altLabel|schema:name|dip:mentionText|dip:key"


def _match(subject: str, needle: str | None, path: str = _STANCE_NAMES) -> str:
    if not needle:
        return ""
    values = _values("needle", ox.Literal(needle))
    return _LEGACY_MATCH.format(subject=subject, values=values, path=path)


def _best(best: dict[Any, tuple[Any, Any]], ident: Any, rank: Any, row: Any) -> None:
    if ident not in best or (rank, _row_key(row)) < (best[ident][0], _row_key(best[ident][1])):
        best[ident] = (rank, row)


def _sorted(best: dict[Any, tuple[Any, Any]]) -> list[Any]:
    ordered = sorted(best.values(), key=lambda pair: (pair[1].article, pair[0], _row_key(pair[1])))
    return [row for _, row in ordered]


def legacy_stances(
    store: Source, initiative: str | None = None, holder: str | None = None,
    polarity: str | None = None,
) -> list[StanceRow]:
    """The stance rows as the single scanning query computed them."""
    filters = [_match("?target", initiative), _match("?holder", holder)]
    if polarity:
        filters.append(_values("pol", ox.NamedNode(str(POLARITY[polarity]))))
    query = _PROLOGUE + _LEGACY_STANCES.format(reg=registry_graph(), filters="\n".join(filters))
    best: dict[Any, tuple[Any, StanceRow]] = {}
    for sol in run(store, query):
        start = _v(sol["start"])
        row = StanceRow(
            article=_s(sol["articleId"]) or "",
            holder=_s(sol["hReg"]) or _s(sol["hLoc"]) or _s(sol["holderText"]) or "",
            holder_text=_s(sol["holderText"]),
            polarity=_local(sol["pol"], POLARITY) or "",
            conditional=bool(_v(sol["cond"])),
            target=_s(sol["tReg"]) or _s(sol["tLoc"]) or _s(sol["targetText"]) or "",
            target_text=_s(sol["targetText"]),
            sentence=_s(sol["sentence"]),
            date=_s(sol["date"]) or _s(sol["dateText"]),
            confidence=_v(sol["conf"]),
            holder_country=_s(sol["country"]),
            holder_sector=_local(sol["sector"], SECTOR),
            rule=_s(sol["rule"]),
            holder_key=_s(sol["holderKey"]),
            target_key=_s(sol["targetKey"]),
            iri=sol["stance"].value,
        )
        rank = (start if start is not None else 1 << 62, row.holder, row.target)
        _best(best, (sol["g"].value, sol["stance"].value), rank, row)
    return _sorted(best)


def legacy_meetings(store: Source, actor: str | None = None) -> list[MeetingRow]:
    """The meeting rows as the single scanning query computed them."""
    filters = ""
    if actor:
        filters = _match("?fa", actor, "rdfs:label|dip:mentionText|dip:key") + (
            "\n  GRAPH ?g { ?m sem:hasActor|dip:host|dip:mediator ?fa }"
        )
    reg = registry_graph()
    query = _PROLOGUE + _LEGACY_MEETINGS.format(reg=reg, filters=filters)
    roles: dict[Any, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for sol in run(store, _PROLOGUE + _LEGACY_ROLES.format(reg=reg)):
        label = _s(sol["aReg"]) or _s(sol["aLoc"]) or _s(sol["aKey"]) or sol["a"].value
        roles[(sol["g"].value, sol["m"].value)][_ROLE_FIELD[sol["rel"].value]].add(label)
    best: dict[Any, tuple[Any, MeetingRow]] = {}
    for sol in run(store, query):
        ident = (sol["g"].value, sol["m"].value)
        people = roles.get(ident, {})
        etype = _local(sol["etype"], MEETING_TYPE)
        row = MeetingRow(
            article=_s(sol["articleId"]) or "",
            name=_s(sol["mReg"]) or _s(sol["mLoc"]) or _s(sol["text"]) or "",
            text=_s(sol["text"]),
            type=_s(sol["typeText"]) or (etype.replace("-", " ") if etype else None),
            participants=tuple(sorted(people.get("participants", ()))),
            hosts=tuple(sorted(people.get("hosts", ()))),
            mediators=tuple(sorted(people.get("mediators", ()))),
            location=_s(sol["place"]),
            start_date=_s(sol["begin"]),
            end_date=_s(sol["end"]),
            round=_v(sol["round"]),
            status=_local(sol["status"], STATUS),
            sentence=_s(sol["sentence"]),
            key=_s(sol["key"]),
            part_of=_s(sol["partKey"]),
            confidence=_v(sol["conf"]),
            iri=sol["m"].value,
        )
        start = _v(sol["start"])
        _best(best, ident, start if start is not None else 1 << 62, row)
    return _sorted(best)


# ---------------------------------------------------------------- cases

STANCE_FILTERS: list[dict[str, str]] = [
    {},
    {"initiative": "Sochi"},
    {"initiative": "sOcHi CONGRESS"},
    {"initiative": "congress of national dialogue"},
    {"holder": "russia"},
    {"holder": "Turkey"},
    {"holder": "opposition"},
    {"holder": "SYR"},  # a key
    {"polarity": "reject"},
    {"polarity": "support"},
    {"initiative": "sochi", "holder": "iran", "polarity": "support"},
    {"initiative": "astana", "holder": "iran"},
    {"holder": "no such actor"},
    {"holder": '" } } ; DROP ALL ; SELECT * { "'},
]
ACTOR_FILTERS = [None, "russia", "Iran", "turkey", "Syrian government", "UN", "Kazakh", "o"]


def _mention_only_in_an_article(store: Store, rows: list[StanceRow]) -> str:
    """A holder text of some stance that no registry text contains (case-insensitive)."""
    registry = [
        sol["l"].value.casefold()
        for sol in run(store, _PROLOGUE + f"SELECT ?l WHERE {{ GRAPH {registry_graph()} "
                       f"{{ ?s rdfs:label|schema:name|dip:key|skos:altLabel ?l }} }}")
    ]
    for row in rows:
        text = row.holder_text or ""
        if text and not any(text.casefold() in label for label in registry):
            return text
    pytest.fail("the seed store has no holder text outside the registry: the test is moot")


@pytest.fixture(scope="module")
def seed(seed_store: Path) -> Iterator[Store]:
    """The ingested seed article (real spaCy extraction), read-only."""
    with Store(seed_store, read_only=True) as st:
        yield st


@pytest.mark.parametrize("filters", STANCE_FILTERS, ids=lambda f: repr(f))
def test_stances_match_the_scanning_query_on_the_seed_store(
    seed: Store, filters: dict[str, str]
) -> None:
    assert stances(seed, **filters) == legacy_stances(seed, **filters)


@pytest.mark.parametrize("actor", ACTOR_FILTERS)
def test_meetings_match_the_scanning_query_on_the_seed_store(
    seed: Store, actor: str | None
) -> None:
    assert meetings(seed, actor=actor) == legacy_meetings(seed, actor=actor)


def test_the_seed_store_has_rows_to_compare(seed: Store) -> None:
    assert len(stances(seed)) >= 3
    assert {r.polarity for r in stances(seed)} == {"support", "reject"}
    assert meetings(seed)


def test_a_mention_found_only_in_an_article_graph_filters_holders(seed: Store) -> None:
    text = _mention_only_in_an_article(seed, stances(seed))
    rows = stances(seed, holder=text)
    assert rows, text
    assert rows == legacy_stances(seed, holder=text)
    assert all(r.holder_text == text or r.holder != text for r in rows)
    # the text is reached through the registry's name index
    index = seed.sparql(
        "SELECT ?l WHERE { GRAPH graph:registry { ?n skos:hiddenLabel ?l } }"
    )
    assert text in {r["l"].value for r in index}


def test_an_alias_found_only_in_an_article_graph_filters_targets(loaded: Store) -> None:
    # "the event" is an alias of the Sochi congress written in the article graph only
    rows = stances(loaded, initiative="THE EVENT")
    assert {r.target for r in rows} == {"Congress of National Dialogue"}
    assert rows == legacy_stances(loaded, initiative="THE EVENT")


def test_actors_rows_are_unchanged_by_the_name_index(seed: Store) -> None:
    rows = actors(seed)
    assert rows
    assert all(not r.key.startswith("name:") for r in rows)


# ---------------------------------------------------------------- the index stays exact


def test_a_replaced_mention_stops_matching_and_its_name_is_pruned(
    loaded: Store, make_sochi
) -> None:
    old = make_sochi()
    moscow = name_iri("Moscow")
    assert list(loaded.ox.quads_for_pattern(moscow, None, None, registry_graph()))
    assert stances(loaded, holder="Moscow")
    actors_ = tuple(
        dataclasses.replace(a, mentions=tuple(m for m in a.mentions if m != "Moscow"))
        for a in old.actors
    )
    kept = tuple(s for s in old.stances if s.holder_text != "Moscow")
    loaded.add(dataclasses.replace(old, actors=actors_, stances=kept, content_hash="sha1:dd"))
    assert stances(loaded, holder="Moscow") == [] == legacy_stances(loaded, holder="Moscow")
    assert not list(loaded.ox.quads_for_pattern(moscow, None, None, registry_graph()))
    for filters in STANCE_FILTERS:
        assert stances(loaded, **filters) == legacy_stances(loaded, **filters)


def test_a_name_entry_is_one_registry_quad_that_no_article_graph_points_to(
    loaded: Store,
) -> None:
    moscow = name_iri("Moscow")
    assert [(q.predicate.value, q.object.value)
            for q in loaded.ox.quads_for_pattern(moscow, None, None, None)] == [
        (PREFIXES["skos"] + "hiddenLabel", "Moscow")]
    assert not list(loaded.ox.quads_for_pattern(None, None, moscow, None))


def test_a_keyed_name_entry_of_an_older_store_lives_while_its_text_is_used(
    loaded: Store, make_astana
) -> None:
    # stores written before the entries lost their key had them keyed and mentioned
    moscow = name_iri("Moscow")
    loaded.ox.add(ox.Quad(moscow, ox.NamedNode(PREFIXES["dip"] + "key"),
                          ox.Literal("name:0123456789"), registry_graph()))
    # replacing an article prunes: the entry is keyed and unmentioned, its text still used
    loaded.add(dataclasses.replace(make_astana(), content_hash="sha1:changed"))
    assert stances(loaded, holder="Moscow")
    assert list(loaded.ox.quads_for_pattern(moscow, None, None, registry_graph()))
    _agrees_with_the_oracle(loaded)


def _agrees_with_the_oracle(store: Store) -> None:
    """Every stance and meeting filter gives the rows of the old scanning queries."""
    for filters in STANCE_FILTERS:
        assert stances(store, **filters) == legacy_stances(store, **filters)
    for actor in ACTOR_FILTERS:
        assert meetings(store, actor=actor) == legacy_meetings(store, actor=actor)


def test_removing_an_article_keeps_the_other_articles_names(loaded: Store, sochi) -> None:
    loaded.remove(sochi.article.id)
    _agrees_with_the_oracle(loaded)


def test_a_store_written_without_the_name_index_is_still_answered(loaded: Store) -> None:
    hidden = ox.NamedNode(PREFIXES["skos"] + "hiddenLabel")
    for quad in list(loaded.ox.quads_for_pattern(None, hidden, None, registry_graph())):
        loaded.ox.remove(quad)
    assert stances(loaded, holder="Moscow")
    _agrees_with_the_oracle(loaded)


def _digests(store: Store, cls: str) -> list[ox.Quad]:
    """The ``dip:digest`` quads of the stances or meetings (``cls``) in ``store``."""
    digest = ox.NamedNode(PREFIXES["dip"] + "digest")
    typed = {(q.subject, q.graph_name) for q in store.ox.quads_for_pattern(
        None, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["dip"] + cls))}
    return [q for q in store.ox.quads_for_pattern(None, digest, None, None)
            if (q.subject, q.graph_name) in typed]


@pytest.mark.parametrize("cls", ["Stance", "Meeting"])
def test_facts_without_digests_are_read_lookup_by_lookup(loaded: Store, cls: str) -> None:
    with_digests = {repr(f): stances(loaded, **f) for f in STANCE_FILTERS}
    with_digests |= {a: meetings(loaded, actor=a) for a in ACTOR_FILTERS}
    quads = _digests(loaded, cls)
    assert quads
    for quad in quads:
        loaded.ox.remove(quad)
    for filters in STANCE_FILTERS:
        rows = stances(loaded, **filters)
        assert rows == with_digests[repr(filters)]
        assert rows == legacy_stances(loaded, **filters)
    for actor in ACTOR_FILTERS:
        rows = meetings(loaded, actor=actor)
        assert rows == with_digests[actor]
        assert rows == legacy_meetings(loaded, actor=actor)


@pytest.mark.parametrize("cls", ["Stance", "Meeting"])
def test_an_unreadable_digest_is_an_error_naming_its_node(loaded: Store, cls: str) -> None:
    quad = _digests(loaded, cls)[0]
    loaded.ox.remove(quad)
    loaded.ox.add(ox.Quad(quad.subject, quad.predicate, ox.Literal("{not json"),
                          quad.graph_name))
    with pytest.raises(StoreError, match=f"{re.escape(quad.subject.value)}: unreadable"):
        stances(loaded) if cls == "Stance" else meetings(loaded)


def test_one_meeting_without_a_digest_sends_the_query_down_the_lookups(loaded: Store) -> None:
    """A digest-less meeting among digested ones (a store ingested partly by an older
    version): every row is still the oracle's, the digest-less meeting's included."""
    before = meetings(loaded)
    quad = _digests(loaded, "Meeting")[0]
    loaded.ox.remove(quad)
    assert meetings(loaded) == before == legacy_meetings(loaded)
    assert any(row.iri == quad.subject.value for row in before)


def test_digests_written_before_they_held_the_required_iris_are_not_trusted(
    loaded: Store,
) -> None:
    digest = ox.NamedNode(PREFIXES["dip"] + "digest")
    with_digests = {repr(f): stances(loaded, **f) for f in STANCE_FILTERS}
    for quad in _digests(loaded, "Stance"):
        older = {k: v for k, v in json.loads(quad.object.value).items()
                 if k not in ("holder", "target", "pol", "art")}
        # an older digest naming a wrong article id: the fact-by-fact path must not read it
        older["articleId"] = [["not-this-article", PREFIXES["xsd"] + "string", ""]]
        loaded.ox.remove(quad)
        loaded.ox.add(ox.Quad(quad.subject, digest, ox.Literal(json.dumps(older)),
                              quad.graph_name))
    for filters in STANCE_FILTERS:
        assert stances(loaded, **filters) == with_digests[repr(filters)]


def test_a_digest_holds_its_stance_s_holder_target_polarity_and_article(seed: Store) -> None:
    fields = {"holder": "holder", "target": "target", "pol": "polarity"}
    predicates = {name: ox.NamedNode(PREFIXES["dip"] + local) for name, local in fields.items()}
    predicates["art"] = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
    quads = _digests(seed, "Stance")
    assert quads
    for quad in quads:
        held = json.loads(quad.object.value)
        for name, predicate in predicates.items():
            stored = seed.ox.quads_for_pattern(quad.subject, predicate, None, quad.graph_name)
            assert sorted(value for value, _, _ in held[name]) == sorted(
                q.object.value for q in stored)


def test_every_stance_and_meeting_carries_a_digest_of_its_own_graph(seed: Store) -> None:
    digest = ox.NamedNode(PREFIXES["dip"] + "digest")
    stance = ox.NamedNode(PREFIXES["dip"] + "Stance")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    meeting = ox.NamedNode(PREFIXES["dip"] + "Meeting")
    typed = {(q.subject, q.graph_name) for cls in (stance, meeting)
             for q in seed.ox.quads_for_pattern(None, rdf_type, cls)
             if q.graph_name != registry_graph()}
    digested = {(q.subject, q.graph_name) for q in seed.ox.quads_for_pattern(None, digest, None)}
    assert typed and typed == digested


# ---------------------------------------------------------------- through a real server


@pytest.fixture(scope="module")
def server(seed: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``oxigraph serve`` holding the seed store (pushed with the GSP); its query URL."""
    root = tmp_path_factory.mktemp("paths-oxigraph")
    port, log = free_port(), root / "server.log"
    proc = start(
        [oxigraph_binary(), "serve", "--location", str(root / "data"),
         "--bind", f"127.0.0.1:{port}"],
        log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).ok,
            proc, log, 60, "oxigraph serve",
        )
        assert push(seed, f"{base}/store").ok
        yield f"{base}/query"
    finally:
        stop(proc)


def test_an_endpoint_gives_the_same_rows_as_the_store_and_the_oracle(
    seed: Store, server: str
) -> None:
    with Endpoint(server) as remote:
        for filters in STANCE_FILTERS:
            assert stances(remote, **filters) == stances(seed, **filters)
            assert stances(remote, **filters) == legacy_stances(remote, **filters)
        for actor in ACTOR_FILTERS:
            assert meetings(remote, actor=actor) == meetings(seed, actor=actor)
        assert actors(remote) == actors(seed)
        text = _mention_only_in_an_article(seed, stances(seed))
        assert stances(remote, holder=text) == stances(seed, holder=text) != []
