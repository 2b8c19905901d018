"""Stance, meeting and actor queries: filters, rows, deterministic order, safe bindings."""

from __future__ import annotations

import gc
import json

import pytest

from diplograph.errors import ValidationError
from diplograph.graph import Store, actors, meetings, queries, stances

STANCE_FIELDS = [
    "article", "holder", "holder_text", "polarity", "conditional", "target", "target_text",
    "sentence", "date", "confidence",
]
MEETING_FIELDS = [
    "article", "name", "text", "type", "participants", "hosts", "mediators", "location",
    "start_date", "end_date", "round", "status", "sentence",
]


def test_stance_rows_start_with_the_documented_fields(loaded: Store) -> None:
    row = stances(loaded)[0].as_dict()
    assert list(row)[:10] == STANCE_FIELDS
    assert {"holder_country", "holder_sector", "rule"} <= set(row)
    json.dumps(row)


def test_stances_filter_initiative_by_alias_substring(loaded: Store) -> None:
    rows = stances(loaded, initiative="Sochi")
    assert {(r.holder, r.polarity) for r in rows} == {
        ("Syrian opposition", "reject"), ("Russia", "support"), ("Iran", "support"),
        ("Turkey", "support"),
    }
    assert all(r.target == "Congress of National Dialogue" for r in rows)


def test_stances_filter_initiative_is_case_insensitive(loaded: Store) -> None:
    assert stances(loaded, initiative="sOcHi CONGRESS") == stances(loaded, initiative="Sochi")


def test_stances_filter_by_holder_label_and_mention(loaded: Store) -> None:
    russia = stances(loaded, holder="russia")
    assert {r.holder for r in russia} == {"Russia"}
    assert len(russia) == 2  # plain and conditional
    assert stances(loaded, holder="Moscow") == russia  # mention text


def test_stances_filter_by_polarity(loaded: Store) -> None:
    rejects = stances(loaded, polarity="reject")
    assert [(r.holder, r.target) for r in rejects] == [
        ("Syrian opposition", "Congress of National Dialogue")]
    assert all(r.polarity == "support" for r in stances(loaded, polarity="support"))


def test_stances_filters_combine(loaded: Store) -> None:
    rows = stances(loaded, initiative="sochi", holder="iran", polarity="support")
    assert [(r.holder, r.holder_country) for r in rows] == [("Iran", "IRN")]
    assert stances(loaded, initiative="astana", holder="iran") == []


def test_stance_row_carries_evidence_and_actor_codes(loaded: Store) -> None:
    [row] = stances(loaded, polarity="reject")
    assert row.sentence.startswith("Syrian opposition groups on Tuesday rejected")
    assert row.holder_text == "Syrian opposition groups"
    assert (row.holder_country, row.holder_sector) == ("SYR", "OPP")
    assert row.date == "2018-01-30"
    assert row.confidence == pytest.approx(0.9)
    assert row.rule == "stance.verb"
    assert row.conditional is False


def test_conditional_stance_is_flagged(loaded: Store) -> None:
    conditional = [r for r in stances(loaded) if r.conditional]
    assert [(r.holder, r.holder_text) for r in conditional] == [("Russia", "Moscow")]


def test_stances_order_is_deterministic(loaded: Store) -> None:
    rows = stances(loaded)
    keys = [(r.article, r.sentence) for r in rows]
    assert rows == stances(loaded)
    assert [r.article for r in rows] == sorted(r.article for r in rows)
    assert len(keys) == 6


def test_unknown_polarity_raises(loaded: Store) -> None:
    with pytest.raises(ValidationError, match="supprt"):
        stances(loaded, polarity="supprt")


def test_the_garbage_collector_is_paused_only_while_a_query_runs(
    loaded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real_run = queries.run

    def run(source, query):  # the SPARQL calls made while rows are built
        seen.append(gc.isenabled())
        return real_run(source, query)

    monkeypatch.setattr(queries, "run", run)
    assert gc.isenabled()
    assert stances(loaded) and meetings(loaded)
    assert seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(ValidationError):
        stances(loaded, polarity="supprt")
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        assert stances(loaded, initiative="sochi")
        assert not gc.isenabled()
    finally:
        gc.enable()


NASTY = [
    pytest.param("'\"}) #\n", id="quote-brace-comment"),
    pytest.param('" } } ; DROP ALL ; SELECT * { "', id="injection"),
    pytest.param("\\u0022 \\\" \\", id="escapes"),
    pytest.param("?holder", id="variable"),
    pytest.param("<http://x> .", id="iri"),
]


@pytest.mark.parametrize("value", NASTY)
def test_nasty_filter_values_return_no_rows_and_raise_nothing(loaded: Store, value: str) -> None:
    n = len(loaded)
    assert stances(loaded, initiative=value) == []
    assert stances(loaded, holder=value) == []
    assert meetings(loaded, actor=value) == []
    assert len(loaded) == n


def test_meeting_rows_have_the_documented_fields(loaded: Store) -> None:
    row = meetings(loaded)[0].as_dict()
    assert list(row)[:13] == MEETING_FIELDS
    assert isinstance(row["participants"], list)
    json.dumps(row)


def test_meetings_report_the_astana_round(loaded: Store) -> None:
    [row] = meetings(loaded, actor="Kazakh") or [None]  # no such actor
    assert row is None
    [astana] = [m for m in meetings(loaded) if m.article == "astana-8"]
    assert astana.name == "eighth round of Astana talks"
    assert astana.type == "round of talks"
    assert astana.mediators == ("Iran", "Russia", "Turkey")
    assert astana.participants == ("Syrian government",)
    assert (astana.location, astana.start_date, astana.end_date) == (
        "Astana", "2017-12-21", "2017-12-22")
    assert (astana.round, astana.status, astana.part_of) == (8, "held", "astana-talks")
    assert astana.sentence.startswith("The eighth round of Astana talks")


def test_meetings_filter_by_actor(loaded: Store) -> None:
    assert [m.name for m in meetings(loaded, actor="russia")] == [
        "eighth round of Astana talks", "Congress of National Dialogue"]
    assert [m.name for m in meetings(loaded, actor="Syrian government")] == [
        "eighth round of Astana talks"]
    sochi = meetings(loaded, actor="Moscow")  # Russia's mention, Russia hosts Sochi
    assert "Congress of National Dialogue" in [m.name for m in sochi]


def test_planned_meeting_keeps_month_precision(loaded: Store) -> None:
    [sochi] = [m for m in meetings(loaded) if m.article == "presstv-sochi-rejection"]
    assert (sochi.status, sochi.start_date, sochi.hosts) == ("planned", "2018-01", ("Russia",))
    assert sochi.type == "congress"


def test_actors_lists_canonical_actors_with_article_counts(loaded: Store) -> None:
    rows = {r.key: r for r in actors(loaded)}
    assert set(rows) == {"SYR-OPP", "SYR-GOV", "RUS", "IRN", "TUR"}
    assert rows["RUS"].as_dict() == {
        "key": "RUS", "label": "Russia", "kind": "state", "country": "RUS", "sector": None,
        "wikidata": "Q159", "articles": 2,
    }
    assert (rows["SYR-GOV"].sector, rows["SYR-GOV"].articles) == ("GOV", 1)
    labels = [r.label for r in actors(loaded)]
    assert labels == sorted(labels, key=str.casefold)


def test_queries_on_an_empty_store_return_nothing(store: Store) -> None:
    assert stances(store) == [] and meetings(store) == [] and actors(store) == []


def test_unknown_target_and_holder_are_found_by_their_text(store: Store, make_sochi) -> None:
    import dataclasses

    from diplograph.graph import validate
    from diplograph.ingest.records import Stance

    ex = make_sochi()
    ev = ex.stances[0].evidence
    odd = Stance("org:kurdish-council", "the Kurdish National Council", "reject", "geneva-track",
                 "the UN-led Geneva process", ev, conditional=True)
    store.add(dataclasses.replace(ex, stances=(*ex.stances, odd)))
    [row] = stances(store, initiative="geneva PROCESS")
    assert (row.holder, row.target, row.conditional) == (
        "the Kurdish National Council", "the UN-led Geneva process", True)
    assert stances(store, holder="kurdish national") == [row]
    assert validate(store).conforms
