"""Behaviour of the stance and meeting extractor on real sentences through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.ingest.extract import extract
from diplograph.ingest.records import ArticleExtraction, Meeting, Stance
from diplograph.ingest.sources import read_path

SEED = Path(__file__).resolve().parents[2] / "seeds" / "presstv-sochi-rejection.md"


def _target_matches(stance: Stance, target: str) -> bool:
    """A stance aims at ``target`` when its key equals it or its text names the word."""
    return stance.target == target or target.lower() in stance.target_text.lower()


def _find(ex: ArticleExtraction, holder: str, polarity: str, target: str) -> list[Stance]:
    return [
        s for s in ex.stances
        if s.holder == holder and s.polarity == polarity and _target_matches(s, target)
    ]


def _show(ex: ArticleExtraction) -> str:
    return "; ".join(
        f"{s.holder}/{s.polarity}/{s.target}/cond={s.conditional} [{s.holder_text} | "
        f"{s.target_text}] {s.rule}"
        for s in ex.stances
    ) or "no stances"


def _assert_offsets(ex: ArticleExtraction) -> None:
    for s in ex.stances:
        ev = s.evidence
        assert ex.article.text[ev.start:ev.end] == ev.sentence, s


# --------------------------------------------------------------- one stance per sentence

ONE_STANCE = [
    pytest.param("Iran rejected the peace plan.", "IRN", "reject", "plan", False,
                 id="active-verb"),
    pytest.param("The agreement was rejected by Hungary.", "HUN", "reject", "agreement", False,
                 id="passive-by-agent"),
    pytest.param("Syrian Kurdish parties voiced support for the Sochi initiative.",
                 "SYR-PTY-KURDISH", "support", "sochi", False, id="nominal-voiced-support"),
    pytest.param("Iran's rejection of the plan.", "IRN", "reject",
                 "plan", False, id="nominal-possessive-rejection"),
    pytest.param("Egypt agreed to attend the summit in Cairo.", "EGY", "support", "summit",
                 False, id="control-agreed-to-attend"),
    pytest.param("Qatar refused to attend the summit.", "QAT", "reject", "summit", True,
                 id="control-refused-to-attend"),
    pytest.param("Syria's government announced that it would attend the conference.",
                 "SYR-GOV", "support", "conference", False, id="announced-attendance"),
    pytest.param("Turkey would back the plan only if Kurdish forces withdraw.", "TUR",
                 "support", "plan", True, id="conditional-only-if"),
    pytest.param("The United States withdrew from the Paris Agreement.", "USA", "reject",
                 "paris", False, id="withdrawal"),
    pytest.param("Russia vetoed the resolution.", "RUS", "reject", "resolution", False,
                 id="veto"),
    pytest.param("Moscow welcomed the ceasefire.", "RUS", "support", "ceasefire", False,
                 id="metonym-capital-for-state"),
]


@pytest.mark.parametrize(("text", "holder", "polarity", "target", "conditional"), ONE_STANCE)
def test_sentence_yields_the_expected_stance(
    read, text: str, holder: str, polarity: str, target: str, conditional: bool
) -> None:
    ex = read(text)
    found = _find(ex, holder, polarity, target)
    assert found, f"no {holder}/{polarity}/{target} in: {_show(ex)}"
    assert all(s.conditional is conditional for s in found), _show(ex)
    _assert_offsets(ex)


def test_stance_holder_is_not_marked_as_its_own_target(read) -> None:
    ex = read("Iran rejected the peace plan.")
    assert [s.holder for s in ex.stances] == ["IRN"], _show(ex)
    assert "peace plan" in ex.stances[0].target_text


def test_coordinated_holders_each_get_a_support_stance(read) -> None:
    ex = read("Russia, Iran and Turkey agreed to hold a congress in Sochi.")
    support = {s.holder for s in ex.stances if s.polarity == "support"
               and s.target == "sochi-congress"}
    assert support == {"RUS", "IRN", "TUR"}, _show(ex)
    assert not [s for s in ex.stances if s.polarity == "reject"], _show(ex)
    _assert_offsets(ex)


def test_boycott_is_a_rejection(read) -> None:
    ex = read("The opposition coalition boycotted the conference in Geneva.")
    found = [s for s in ex.stances if s.polarity == "reject"
             and "opposition" in s.holder_text.lower()
             and _target_matches(s, "conference")]
    assert found, _show(ex)


# --------------------------------------------------------------- no stance at all

NO_STANCE = [
    pytest.param("Japan did not reject the plan.", id="negation"),
    pytest.param("Germany is expected to attend the summit.", id="hedge-expected-to"),
    pytest.param("France could back the deal.", id="hedge-modal-could"),
]


@pytest.mark.parametrize("text", NO_STANCE)
def test_negated_or_hedged_sentence_yields_no_stance(read, text: str) -> None:
    ex = read(text)
    assert ex.stances == (), _show(ex)


def test_city_in_a_based_compound_is_not_its_country(read) -> None:
    ex = read("A Damascus-based group rejected the plan. "
              "A Damascus-based group welcomed the ceasefire.")
    assert not [s for s in ex.stances if s.holder.startswith("SYR")], _show(ex)
    assert not [a for a in ex.actors if a.key == "SYR"], ex.actors


def test_plain_capital_still_resolves_when_not_a_based_compound(read) -> None:
    ex = read("Damascus rejected the plan.")
    assert _find(ex, "SYR", "reject", "plan") or _find(ex, "SYR-GOV", "reject", "plan"), \
        _show(ex)


# --------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed(nlp) -> ArticleExtraction:
    (article,) = list(read_path(SEED))
    return extract(nlp(article.text), article)


def _meeting(seed: ArticleExtraction, **want: object) -> Meeting:
    hits = [m for m in seed.meetings if all(getattr(m, k) == v for k, v in want.items())]
    assert len(hits) == 1, (want, [(m.key, m.round, m.location, m.status) for m in seed.meetings])
    return hits[0]


def test_seed_opposition_rejects_the_sochi_congress(seed: ArticleExtraction) -> None:
    assert _find(seed, "SYR-OPP", "reject", "sochi-congress"), _show(seed)
    assert not _find(seed, "SYR-OPP", "support", "sochi-congress"), _show(seed)


def test_seed_syrian_government_supports_the_sochi_congress(seed: ArticleExtraction) -> None:
    found = _find(seed, "SYR-GOV", "support", "sochi-congress")
    assert found, _show(seed)
    assert "attend" in found[0].evidence.sentence


def test_seed_kurdish_and_christian_parties_support_the_sochi_congress(
    seed: ArticleExtraction,
) -> None:
    parties = {s.holder for s in seed.stances if s.holder.startswith("SYR-PTY")
               and s.polarity == "support" and s.target == "sochi-congress"}
    assert len(parties) >= 2, _show(seed)
    texts = " ".join(s.holder_text for s in seed.stances if s.holder in parties)
    assert "Kurdish" in texts and "Christian" in texts


@pytest.mark.parametrize("state", ["RUS", "IRN", "TUR"])
def test_seed_sponsor_states_support_the_sochi_congress(seed: ArticleExtraction,
                                                        state: str) -> None:
    assert _find(seed, state, "support", "sochi-congress"), _show(seed)


def test_seed_no_holder_both_supports_and_rejects_the_same_target(
    seed: ArticleExtraction,
) -> None:
    pol: dict[tuple[str, str], set[str]] = {}
    for s in seed.stances:
        pol.setdefault((s.holder, s.target), set()).add(s.polarity)
    assert all(len(p) == 1 for p in pol.values()), _show(seed)


def test_seed_stance_evidence_offsets_point_at_the_sentence(seed: ArticleExtraction) -> None:
    assert seed.stances
    _assert_offsets(seed)


def test_seed_sochi_congress_is_planned_in_sochi_on_29_and_30_january(
    seed: ArticleExtraction,
) -> None:
    m = _meeting(seed, key="sochi-congress")
    assert m.status == "planned"
    assert m.location == "Sochi"
    assert (m.start_date, m.end_date) == ("2018-01-29", "2018-01-30")


def test_seed_eighth_astana_round_held_with_three_mediators(seed: ArticleExtraction) -> None:
    m = _meeting(seed, round=8, location="Astana")
    assert m.status == "held"
    assert (m.start_date, m.end_date) == ("2017-12-21", "2017-12-22")
    assert set(m.mediators) == {"IRN", "RUS", "TUR"}


def test_seed_eighth_geneva_round_held_in_geneva(seed: ArticleExtraction) -> None:
    m = _meeting(seed, round=8, location="Geneva")
    assert m.status == "held"


def test_seed_fourth_astana_round_dated_may_2017(seed: ArticleExtraction) -> None:
    m = _meeting(seed, round=4)
    assert m.location == "Astana"
    assert m.start_date == "2017-05"
