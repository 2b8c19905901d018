"""Tests of diplograph.ingest.evaluation against the dev gold."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pytest

from diplograph.errors import ValidationError
from diplograph.ingest.evaluation import (
    EvalReport,
    GoldArticle,
    GoldMeeting,
    GoldSet,
    GoldStance,
    Score,
    evaluate,
    load_gold,
    normalise,
)
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)

DEV = Path(__file__).resolve().parents[1] / "data" / "dev"


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return load_gold(DEV / "gold.jsonl")


# --------------------------------------------------------------------------- a perfect predictor
# It maps gold facts into our record shapes with our own canonical keys: ISO3 for states,
# ISO3-GOV for governments, org:<slug> with a different label for the rest.


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _other_alias(name: str, actors: dict) -> str:
    """The first actors.json alias that differs from the gold name and no other actor uses."""
    taken = {
        normalise(a)
        for other, entry in actors.items()
        if other != name
        for a in entry["aliases"]
    }
    for alias in actors.get(name, {}).get("aliases", ()):
        if normalise(alias) != normalise(name) and normalise(alias) not in taken:
            return alias
    return name


def _our_actor(name: str, actors: dict, mentions: tuple[str, ...]) -> Actor:
    entry = actors.get(name, {})
    iso3, kind = entry.get("iso3"), entry.get("kind")
    if iso3 and kind == "state":
        return Actor(key=iso3, label=f"state {iso3}", kind="state", country=iso3)
    if iso3 and kind == "government":
        return Actor(key=f"{iso3}-GOV", label=f"government {iso3}", kind="government",
                     country=iso3, sector="GOV")
    if iso3 and kind == "legislature":
        return Actor(key=f"{iso3}-LEG", label=f"legislature {iso3}", kind="legislature",
                     country=iso3, sector="LEG")
    return Actor(key=f"org:{_slug(name)}", label=_other_alias(name, actors),
                 kind="organisation", mentions=mentions)


def _label(aliases: tuple[str, ...], fallback: str) -> str:
    """An alias with a proper name in it, else the first alias, else ``fallback``."""
    for alias in aliases:
        if any(w[:1].isupper() for w in alias.split()[1:]) or alias[:1].isupper():
            return alias
    return aliases[0] if aliases else fallback


def perfect(article: GoldArticle, actors: dict) -> ArticleExtraction:
    mentions: dict[str, tuple[str, ...]] = {}
    for s in article.stances:
        mentions[s.holder] = tuple(dict.fromkeys((*mentions.get(s.holder, ()),
                                                  *s.holder_aliases)))
    names = list(dict.fromkeys(
        [s.holder for s in article.stances]
        + [a for m in article.meetings for a in (*m.participants, *m.hosts_or_mediators)]
    ))
    our = {n: _our_actor(n, actors, mentions.get(n, ())) for n in names}
    initiatives = {}
    for s in article.stances:
        initiatives[s.target] = Initiative(key=f"init:{_slug(s.target)}",
                                           label=_label(s.target_aliases, s.target),
                                           kind="initiative", aliases=s.target_aliases)
    stances = tuple(
        Stance(holder=our[s.holder].key, holder_text=s.holder_aliases[0],
               polarity=s.polarity, target=initiatives[s.target].key,
               target_text=s.target_aliases[0],
               evidence=Evidence(article.id, s.sentence, 0, len(s.sentence)),
               conditional=s.conditional)
        for s in article.stances
    )
    meetings = tuple(
        Meeting(key=f"init:{_slug(m.name)}", label=_label(m.aliases, m.name),
                text=m.aliases[0] if m.aliases else m.name, type="meeting", status=m.status,
                participants=tuple(our[a].key for a in m.participants),
                hosts=tuple(our[a].key for a in m.hosts_or_mediators),
                location=m.location, start_date=m.date)
        for m in article.meetings
    )
    return ArticleExtraction(article=Article(id=article.id, text=""), actors=tuple(our.values()),
                             initiatives=tuple(initiatives.values()), meetings=meetings,
                             stances=stances)


def perfect_all(gold: GoldSet) -> list[ArticleExtraction]:
    return [perfect(a, gold.actors) for a in gold.values()]


def _evidence(article: str = "x") -> Evidence:
    return Evidence(article, "A sentence.", 0, 11)


# --------------------------------------------------------------------------- gold loading


def test_load_gold_reads_articles_and_side_files(gold: GoldSet) -> None:
    assert len(gold) == 30
    assert sum(len(a.stances) for a in gold.values()) == 162
    assert sum(len(a.meetings) for a in gold.values()) == 53
    assert gold.actors["Government of Syria"]["iso3"] == "SYR"
    assert "Syrian National Dialogue Congress" in gold.initiatives


def test_load_gold_rejects_malformed_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a1", "stances": [], "meetings": []}\n{"id": "a2"}\n')
    with pytest.raises(ValidationError, match=r"gold.jsonl:2"):
        load_gold(path)


# --------------------------------------------------------------------------- whole dev gold


def test_perfect_predictor_scores_one_on_whole_dev_gold(gold: GoldSet) -> None:
    report = evaluate(gold, perfect_all(gold))
    assert report.stances == Score(162, 0, 0)
    assert report.meetings == Score(53, 0, 0)
    assert report.participants.f1 == 1.0
    assert report.stances.f1 == report.meetings.f1 == 1.0
    assert report.location_accuracy == 1.0
    assert report.start_date_accuracy == report.start_month_accuracy == 1.0
    assert report.status_accuracy == 1.0
    assert report.conditional_accuracy == report.conditional_agreement == 1.0
    assert report.errors == ()
    assert report.warnings == ()


def test_evaluate_accepts_a_gold_path(gold: GoldSet) -> None:
    report = evaluate(DEV / "gold.jsonl", perfect_all(gold))
    assert report.stances.f1 == 1.0


def test_removing_one_stance_drops_recall_by_one_over_n(gold: GoldSet) -> None:
    preds = perfect_all(gold)
    first = preds[0]
    removed = first.stances[0]
    preds[0] = dataclasses.replace(first, stances=first.stances[1:])
    report = evaluate(gold, preds)
    assert report.stances == Score(161, 0, 1)
    assert report.stances.recall == pytest.approx(1 - 1 / 162)
    assert report.stances.precision == 1.0
    (error,) = [e for e in report.errors if e.kind == "stance-fn"]
    assert error.article == first.article.id
    assert error.sentence == removed.evidence.sentence


def test_stance_with_wrong_polarity_is_a_false_positive(gold: GoldSet) -> None:
    preds = perfect_all(gold)
    first = preds[0]
    flipped = dataclasses.replace(
        first.stances[0],
        polarity="support" if first.stances[0].polarity == "reject" else "reject",
    )
    preds[0] = dataclasses.replace(first, stances=(*first.stances, flipped))
    report = evaluate(gold, preds)
    assert report.stances == Score(162, 1, 0)
    assert [e.kind for e in report.errors] == ["stance-fp"]


def test_duplicate_predicted_stances_count_once(gold: GoldSet) -> None:
    preds = [dataclasses.replace(p, stances=p.stances + p.stances) for p in perfect_all(gold)]
    report = evaluate(gold, preds)
    assert report.stances == Score(162, 0, 0)


def test_flipped_conditional_flag_lowers_flag_recall_not_stance_f1(gold: GoldSet) -> None:
    preds = perfect_all(gold)
    n_flagged = sum(s.conditional for a in gold.values() for s in a.stances)
    index = next(i for i, p in enumerate(preds) if any(s.conditional for s in p.stances))
    extraction = preds[index]
    stances = list(extraction.stances)
    k = next(i for i, s in enumerate(stances) if s.conditional)
    stances[k] = dataclasses.replace(stances[k], conditional=False)
    preds[index] = dataclasses.replace(extraction, stances=tuple(stances))
    report = evaluate(gold, preds)
    assert report.stances.f1 == 1.0
    assert report.conditional_accuracy == pytest.approx((n_flagged - 1) / n_flagged)
    assert report.conditional_agreement == pytest.approx(161 / 162)
    assert [e.kind for e in report.errors] == ["stance-conditional"]


def test_missing_article_is_all_false_negatives_and_extra_article_is_warned(
    gold: GoldSet,
) -> None:
    preds = [p for p in perfect_all(gold) if p.article.id != "d01"]
    preds.append(ArticleExtraction(article=Article(id="zz99", text="")))
    report = evaluate(gold, preds)
    d01 = gold["d01"]
    assert report.stances == Score(162 - len(d01.stances), 0, len(d01.stances))
    assert report.meetings.fn == len(d01.meetings)
    assert report.per_article["d01"]["predicted"] is False
    assert any(e.kind == "article-missing" and e.article == "d01" for e in report.errors)
    assert any("zz99" in w for w in report.warnings)
    assert "zz99" not in report.per_article


def test_report_as_dict_is_json_and_table_lists_measures(gold: GoldSet) -> None:
    report = evaluate(gold, perfect_all(gold))
    data = json.loads(json.dumps(report.as_dict()))
    assert data["stances"]["f1"] == 1.0
    assert data["per_article"]["d12"]["stances"]["tp"] == 0
    rows = dict(report.table())
    assert rows["stances F1"] == "1.000"
    assert rows["meeting status accuracy"] == "1.000"


# --------------------------------------------------------------------------- actor matching


def _one_stance_gold(gold: GoldSet, article: str, holder: str) -> GoldSet:
    stance = next(s for s in gold[article].stances if s.holder == holder)
    return GoldSet(
        {article: GoldArticle(article, None, stances=(stance,))},
        actors=gold.actors,
        initiatives=gold.initiatives,
    )


def _holder_prediction(article: str, stance: GoldStance, actor: Actor,
                       holder_text: str = "officials") -> ArticleExtraction:
    return ArticleExtraction(
        article=Article(id=article, text=""),
        actors=(actor,),
        stances=(Stance(holder=actor.key, holder_text=holder_text, polarity=stance.polarity,
                        target="init:x", target_text=stance.target,
                        evidence=_evidence(article)),),
    )


def test_sector_opposition_does_not_match_named_coalition_by_country(gold: GoldSet) -> None:
    small = _one_stance_gold(gold, "d01", "Syrian Negotiation Commission")
    stance = small["d01"].stances[0]
    opp = Actor(key="SYR-OPP", label="Syrian opposition", kind="opposition", country="SYR",
                sector="OPP", mentions=("the Syrian opposition",))
    report = evaluate(small, [_holder_prediction("d01", stance, opp)])
    assert report.stances == Score(0, 1, 1)


def test_sector_opposition_matches_coalition_when_a_mention_is_its_alias(
    gold: GoldSet,
) -> None:
    small = _one_stance_gold(gold, "d01", "Syrian Negotiation Commission")
    stance = small["d01"].stances[0]
    opp = Actor(key="SYR-OPP", label="Syrian opposition", kind="opposition", country="SYR",
                sector="OPP", mentions=("the Syrian opposition",
                                        "The Syrian Negotiation Commission"))
    report = evaluate(small, [_holder_prediction("d01", stance, opp)])
    assert report.stances == Score(1, 0, 0)


@pytest.mark.parametrize(
    "actor",
    [
        pytest.param(Actor(key="SYR-GOV", label="Syria/GOV", kind="government", country="SYR",
                           sector="GOV"), id="sector-gov"),
        pytest.param(Actor(key="SYR", label="Syrian Arab Republic", kind="state",
                           country="SYR"), id="state"),
    ],
)
def test_gold_government_matches_our_state_or_gov_sector_by_country(
    gold: GoldSet, actor: Actor
) -> None:
    small = _one_stance_gold(gold, "d01", "Government of Syria")
    stance = small["d01"].stances[0]
    report = evaluate(small, [_holder_prediction("d01", stance, actor)])
    assert report.stances == Score(1, 0, 0)


def test_group_reference_alias_does_not_identify_one_holder(gold: GoldSet) -> None:
    # "the three guarantor countries" is an alias of Russia, Iran and Turkey in d02.
    d02 = GoldSet({"d02": gold["d02"]}, actors=gold.actors, initiatives=gold.initiatives)
    stance = next(s for s in gold["d02"].stances if s.holder == "Iran")
    group = Actor(key="org:guarantors", label="guarantor countries", kind="group",
                  mentions=("the three guarantor countries",))
    report = evaluate(d02, [_holder_prediction("d02", stance, group,
                                               "the three guarantor countries")])
    assert report.stances == Score(0, 1, len(gold["d02"].stances))


def test_person_matches_through_affiliation(gold: GoldSet) -> None:
    small = _one_stance_gold(gold, "d02", "Russia")
    stance = small["d02"].stances[0]
    person = Actor(key="person:some-envoy", label="Some Envoy", kind="person",
                   role="envoy", affiliation="RUS")
    report = evaluate(small, [_holder_prediction("d02", stance, person, "Some Envoy")])
    assert report.stances == Score(1, 0, 0)


def test_person_without_matching_affiliation_does_not_match(gold: GoldSet) -> None:
    small = _one_stance_gold(gold, "d02", "Russia")
    stance = small["d02"].stances[0]
    person = Actor(key="person:some-envoy", label="Some Envoy", kind="person",
                   affiliation="IRN")
    report = evaluate(small, [_holder_prediction("d02", stance, person, "Some Envoy")])
    assert report.stances == Score(0, 1, 1)


# --------------------------------------------------------------------------- initiative matching


def _target_prediction(article: str, stance: GoldStance, target_text: str,
                       label: str | None = None) -> ArticleExtraction:
    initiatives = (Initiative(key="init:t", label=label, kind="congress"),) if label else ()
    return ArticleExtraction(
        article=Article(id=article, text=""),
        actors=(Actor(key="SYR-GOV", label="Syria/GOV", kind="government", country="SYR",
                      sector="GOV"),),
        initiatives=initiatives,
        stances=(Stance(holder="SYR-GOV", holder_text="Damascus", polarity=stance.polarity,
                        target="init:t", target_text=target_text,
                        evidence=_evidence(article)),),
    )


@pytest.mark.parametrize(
    ("target_text", "label", "matches"),
    [
        pytest.param("the congress", None, True, id="same-article-definite-description"),
        pytest.param("the event", None, False, id="other-article-definite-description"),
        pytest.param("it", "Syrian National Dialogue Congress in Sochi", True,
                     id="fuzzy-label-contains-distinctive-words"),
        pytest.param("it", None, False, id="bare-pronoun"),
        pytest.param("the Syrian National Coalition", None, False, id="other-name"),
        pytest.param("it", "Syrian National Congress", False,
                     id="missing-distinctive-word"),
        pytest.param("the “Syrian National Dialogue Congress”", None, True,
                     id="quotes-and-article-ignored"),
    ],
)
def test_target_matching_is_alias_aware_but_strict(
    gold: GoldSet, target_text: str, label: str | None, matches: bool
) -> None:
    small = _one_stance_gold(gold, "d01", "Government of Syria")
    stance = small["d01"].stances[0]
    report = evaluate(small, [_target_prediction("d01", stance, target_text, label)])
    assert report.stances == (Score(1, 0, 0) if matches else Score(0, 1, 1))


def test_longer_description_of_other_initiative_does_not_match_meeting_alias(
    gold: GoldSet,
) -> None:
    # d19: "a regional summit over the weekend" is the meeting; "the proposals agreed at a
    # regional summit over the weekend" is the consensus.
    stance = next(s for s in gold["d19"].stances if s.target.startswith("ASEAN Leaders"))
    small = GoldSet({"d19": GoldArticle("d19", None, stances=(stance,))},
                    actors=gold.actors, initiatives=gold.initiatives)
    junta = Actor(key="org:junta", label="Myanmar junta", kind="government",
                  mentions=("The junta",))

    def predict(target_text: str) -> ArticleExtraction:
        return ArticleExtraction(
            article=Article(id="d19", text=""), actors=(junta,),
            stances=(Stance(holder="org:junta", holder_text="The junta",
                            polarity="support", target="init:t", target_text=target_text,
                            evidence=_evidence("d19")),))

    wrong = evaluate(small, [predict("the proposals agreed at a regional summit over the "
                                     "weekend")])
    right = evaluate(small, [predict("a regional summit over the weekend")])
    assert wrong.stances == Score(0, 1, 1)
    assert right.stances == Score(1, 0, 0)


def test_bare_description_among_record_aliases_does_not_decide_the_target(
    gold: GoldSet,
) -> None:
    # d05: "the accord" is the Paris Agreement; a record named JCPOA that also lists
    # "the accord" among its aliases must not count as the Paris Agreement.
    small = _one_stance_gold(gold, "d05", "Germany")
    stance = small["d05"].stances[0]
    jcpoa = Initiative(key="init:jcpoa", label="Joint Comprehensive Plan of Action",
                       kind="agreement", aliases=("the accord",))
    pred = ArticleExtraction(
        article=Article(id="d05", text=""), initiatives=(jcpoa,),
        stances=(Stance(holder="DEU", holder_text="Germany", polarity=stance.polarity,
                        target="init:jcpoa", target_text="the Iran deal",
                        evidence=_evidence("d05")),))
    assert evaluate(small, [pred]).stances == Score(0, 1, 1)


# --------------------------------------------------------------------------- meetings


def _meeting_gold(**changes) -> GoldSet:
    meeting = GoldMeeting(name="Astana talks on Syria (eighth round)", status="held",
                          aliases=("the eighth round of talks",),
                          participants=("Russia", "Iran", "Government of Syria"),
                          hosts_or_mediators=("Kazakhstan",), location="Astana",
                          date="2017-12-21")
    meeting = dataclasses.replace(meeting, **changes)
    actors = json.loads((DEV / "actors.json").read_text(encoding="utf-8"))
    return GoldSet({"m1": GoldArticle("m1", None, meetings=(meeting,))}, actors=actors)


def _meeting_pred(**changes) -> ArticleExtraction:
    meeting = Meeting(key="init:astana-8", label="Astana talks on Syria", type="talks",
                      text="the eighth round of talks", status="held",
                      participants=("RUS", "IRN", "SYR-GOV"), hosts=("KAZ",),
                      location="Astana", start_date="2017-12-21")
    meeting = dataclasses.replace(meeting, **changes)
    return ArticleExtraction(article=Article(id="m1", text=""), meetings=(meeting,))


def test_meeting_matched_by_alias_with_all_attributes_right() -> None:
    report = evaluate(_meeting_gold(), [_meeting_pred()])
    assert report.meetings == Score(1, 0, 0)
    assert report.participants == Score(4, 0, 0)
    assert report.location_accuracy == report.start_date_accuracy == 1.0
    assert report.status_accuracy == 1.0


def test_meeting_location_containing_gold_place_is_correct() -> None:
    report = evaluate(_meeting_gold(), [_meeting_pred(location="Astana, Kazakhstan")])
    assert report.location_accuracy == 1.0


def test_meeting_location_of_other_place_is_wrong() -> None:
    report = evaluate(_meeting_gold(), [_meeting_pred(location="Geneva")])
    assert report.location_accuracy == 0.0
    assert [e.kind for e in report.errors] == ["meeting-location"]


def test_meeting_day_in_gold_month_is_wrong_strictly_and_right_leniently() -> None:
    report = evaluate(_meeting_gold(date="2017-12"), [_meeting_pred(start_date="2017-12-21")])
    assert report.start_date_accuracy == 0.0
    assert report.start_month_accuracy == 1.0


def test_meeting_postponed_counts_as_gold_planned() -> None:
    report = evaluate(_meeting_gold(status="planned"), [_meeting_pred(status="postponed")])
    assert report.status_accuracy == 1.0


def test_meeting_cancelled_does_not_count_as_gold_planned() -> None:
    report = evaluate(_meeting_gold(status="planned"), [_meeting_pred(status="cancelled")])
    assert report.status_accuracy == 0.0


def test_meeting_participants_scored_with_fp_and_fn() -> None:
    report = evaluate(_meeting_gold(),
                      [_meeting_pred(participants=("RUS", "TUR"), mediators=("UN",))])
    # gold: Russia, Iran, Government of Syria, Kazakhstan; pred: RUS, TUR, KAZ, UN
    assert report.participants == Score(2, 2, 2)


def test_meeting_with_unrelated_name_is_fp_and_fn() -> None:
    report = evaluate(_meeting_gold(), [_meeting_pred(label="Geneva talks", text="the talks")])
    assert report.meetings == Score(0, 1, 1)
    assert math.isnan(report.location_accuracy)
    assert {e.kind for e in report.errors} == {"meeting-fp", "meeting-fn"}


def test_eval_report_is_frozen() -> None:
    report = evaluate(_meeting_gold(), [_meeting_pred()])
    assert isinstance(report, EvalReport)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.stances = Score(0, 0, 0)  # type: ignore[misc]
