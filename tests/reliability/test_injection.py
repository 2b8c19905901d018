"""Injection: user-supplied filter terms reach SPARQL only as bound literals, never as code."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph.queries import StanceRow, meetings, stances
from diplograph.graph.store import Store

# Each tries to close the string literal or the FILTER and widen the query.
PAYLOADS = [
    '") } UNION { GRAPH ?g { ?s ?p ?o } } #',
    '")) } } UNION { ?stance ?p ?o } #',
    "x' || true || '",
    '" || true || "',
    '}}} ; DROP ALL ; #',
    '\\" ) ) } #',
    '"""\n} UNION {\n"""',
    "' OR '1'='1",
    "?target",
    "<https://w3id.org/diplograph/id/actor/RUS>",
    "\u0000",
    "%00\\u0022",
]

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX dip: <https://w3id.org/diplograph/ns#>
SELECT ?key ?label WHERE {
  GRAPH ?kg { ?s dip:key ?key }
  GRAPH ?lg { ?s rdfs:label|skos:altLabel|schema:name|dip:mentionText|dip:key ?label }
}"""
_ALL_LABELS = """
SELECT DISTINCT ?label WHERE { GRAPH ?g { ?s ?p ?label FILTER(isLiteral(?label)) } }"""


@pytest.fixture(scope="module")
def store(seed_store: Path) -> Iterator[Store]:
    with Store(seed_store, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def labels(store: Store) -> dict[str, set[str]]:
    """Every label, alias, name, mention and key of each keyed entity, by key."""
    found: dict[str, set[str]] = defaultdict(set)
    for sol in store.ox.query(_LABELS, use_default_graph_as_union=False):
        found[sol["key"].value].add(sol["label"].value)
    return dict(found)


@pytest.fixture(scope="module")
def all_stances(store: Store) -> list[StanceRow]:
    rows = stances(store)
    assert len(rows) >= 4  # the seed: the opposition rejects, Russia, Iran, Turkey support
    return rows


def _matches(needle: str | None, names: set[str]) -> bool:
    return not needle or any(needle.lower() in name.lower() for name in names)


def _expected(
    rows: list[StanceRow], labels: dict[str, set[str]], initiative: str | None,
    holder: str | None,
) -> list[StanceRow]:
    """The stances a filter should keep, computed in Python from the unfiltered rows."""
    return [
        row for row in rows
        if _matches(initiative, labels.get(row.target_key or "", set()))
        and _matches(holder, labels.get(row.holder_key or "", set()))
    ]


def _needles() -> st.SearchStrategy[str]:
    """Arbitrary text, label fragments (so some filters match) and injection payloads."""
    fragments = st.sampled_from(
        ["Russia", "russ", "IRAN", "Turkey", "opposition", "Sochi", "congress", "National",
         "RUS", "SYR", "dialogue", "Kurdish"]
    )
    metachars = st.text(alphabet='"\'{}()<>#?\\\n\t;|.*+^$[] %\u2028\u00e9\U0001f600', max_size=12)
    mixed = st.tuples(fragments, metachars).map(lambda pair: "".join(pair))
    return st.one_of(st.text(max_size=40), fragments, metachars, mixed, st.sampled_from(PAYLOADS))


HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYPOTHESIS
@given(initiative=st.one_of(st.none(), _needles()), holder=st.one_of(st.none(), _needles()))
def test_stance_filters_return_exactly_the_matching_rows(
    store: Store, labels, all_stances, initiative: str | None, holder: str | None
) -> None:
    got = stances(store, initiative=initiative, holder=holder)
    assert got == _expected(all_stances, labels, initiative, holder)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_match_nothing_and_change_nothing(store: Store, payload: str) -> None:
    size = len(store)
    assert stances(store, initiative=payload) == []
    assert stances(store, holder=payload) == []
    assert meetings(store, actor=payload) == []
    assert len(store) == size


@HYPOTHESIS
@given(actor=_needles())
def test_meeting_actor_filter_never_widens_the_result(store: Store, actor: str) -> None:
    everything = meetings(store)
    got = meetings(store, actor=actor)
    assert all(row in everything for row in got)
    known = [sol["label"].value for sol in store.ox.query(_ALL_LABELS)]
    if actor and not any(actor.lower() in label.lower() for label in known):
        assert got == []


@settings(max_examples=25, deadline=None)
@given(initiative=_needles(), holder=_needles())
def test_cli_stances_with_arbitrary_terms_succeeds_and_agrees_with_the_library(
    seed_store: Path, initiative: str, holder: str
) -> None:
    args = ["stances", "--store", str(seed_store), "--format", "json", f"--holder={holder}",
            "--", initiative]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with Store(seed_store, read_only=True) as opened:
        rows = stances(opened, initiative=initiative or None, holder=holder or None)
    expected = json.loads(json.dumps([r.as_dict() for r in rows], ensure_ascii=False))
    assert json.loads(result.stdout) == expected


def test_cli_sparql_cannot_modify_the_store(seed_store: Path) -> None:
    with Store(seed_store, read_only=True) as opened:
        before = len(opened)
    for update in ("DROP ALL", "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
                   "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"):
        result = CliRunner().invoke(app, ["sparql", "--store", str(seed_store), update])
        assert result.exit_code == 1, result.output
    with Store(seed_store, read_only=True) as opened:
        assert len(opened) == before
