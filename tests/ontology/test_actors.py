"""Tests of the actor gazetteer data and its loader."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.resources import files

import pytest
import spacy

from diplograph.ontology.actors import Gazetteer, GazetteerEntry, load_gazetteer, normalise

QID = re.compile(r"^Q\d+$")
ISO3 = re.compile(r"^[A-Z]{3}$")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _data(name: str) -> dict:
    return json.loads(files("diplograph.ontology.gazetteer").joinpath(name).read_text("utf-8"))


def test_states_cover_all_un_members_observers_and_others(gaz: Gazetteer) -> None:
    status = Counter(e.un_status for e in gaz.of_kind("state"))
    assert status["member"] == 193
    assert status["observer"] == 2
    assert {e.key for e in gaz.of_kind("state") if e.un_status == "observer"} == {"VAT", "PSE"}
    assert {e.key for e in gaz.of_kind("state") if e.un_status == "other"} == {"XKX", "TWN"}


def test_state_iso3_codes_are_three_capitals_and_unique() -> None:
    codes = [row["iso3"] for row in _data("states.json")["states"]]
    assert all(ISO3.match(code) for code in codes)
    assert len(codes) == len(set(codes))


def test_keys_are_unique_across_states_organisations_and_groups() -> None:
    keys = [row["iso3"] for row in _data("states.json")["states"]]
    keys += [row["key"] for row in _data("organisations.json")["organisations"]]
    keys += [row["key"] for row in _data("groups.json")["groups"]]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]


def test_wikidata_ids_are_qids_when_present(gaz: Gazetteer) -> None:
    assert all(QID.match(e.wikidata) for e in gaz if e.wikidata is not None)


@pytest.mark.parametrize(
    ("key", "qid"),
    [
        ("RUS", "Q159"),
        ("USA", "Q30"),
        ("SYR", "Q858"),
        ("IRN", "Q794"),
        ("TUR", "Q43"),
        ("CHN", "Q148"),
        ("UKR", "Q212"),
        ("ISR", "Q801"),
        ("GBR", "Q145"),
        ("FRA", "Q142"),
        ("DEU", "Q183"),
        ("UN", "Q1065"),
        ("EU", "Q458"),
        ("NATO", "Q7184"),
    ],
)
def test_known_wikidata_ids(gaz: Gazetteer, key: str, qid: str) -> None:
    assert gaz[key].wikidata == qid


def test_entry_fields_follow_kind(gaz: Gazetteer) -> None:
    for entry in gaz:
        assert isinstance(entry, GazetteerEntry)
        assert entry.names[0] == entry.label
        if entry.kind == "state":
            assert entry.iso3 == entry.key and entry.sector is None
        elif entry.kind == "igo":
            assert entry.iso3 is None and entry.sector == "IGO" and not entry.demonyms
        else:
            assert entry.sector in gaz.sector_codes
            assert entry.iso3 is None or gaz[entry.iso3].kind == "state"
        if entry.parent is not None:
            assert entry.parent in gaz


def test_organisation_bodies_name_their_parent(gaz: Gazetteer) -> None:
    assert gaz["UNSC"].parent == "UN"
    assert gaz["EU-COMMISSION"].parent == "EU"
    assert gaz["EU-PARLIAMENT"].parent == "EU"
    assert gaz["EU-COUNCIL"].parent == "EU"
    assert gaz["NATO"].parent is None


def test_groups_cover_the_named_conflicts(gaz: Gazetteer) -> None:
    groups = gaz.of_kind("armed_group", "party", "government", "de_facto_entity", "coalition")
    assert len(groups) >= 50
    for key in [
        "TALIBAN",
        "HAMAS",
        "HEZBOLLAH",
        "PLO",
        "PA",
        "FARC",
        "SDF",
        "PKK",
        "PYD",
        "HTS",
        "ISIS",
        "HOUTHIS",
        "SNC-SYRIA",
        "DPR",
        "LPR",
        "SINN-FEIN",
        "DUP",
        "UUP",
        "SDLP",
        "LIKUD",
        "NUG-MYANMAR",
        "SAC-MYANMAR",
        "REPUBLIKA-SRPSKA",
        "FSA",
        "AHRAR-AL-SHAM",
        "SNCOM-SYRIA",
        "GNA",
        "LNA",
        "RSF",
        "TPLF",
    ]:
        assert key in gaz, key
    assert gaz["SNC-SYRIA"].iso3 == "SYR" and gaz["SNC-SYRIA"].sector == "OPP"
    assert gaz["DPR"].iso3 == "UKR"


@pytest.mark.parametrize(
    ("text", "key", "how"),
    [
        pytest.param("Moscow", "RUS", "metonym", id="capital"),
        pytest.param("the Kremlin", "RUS", "metonym", id="seat-with-article"),
        pytest.param("The Kremlin", "RUS", "metonym", id="seat-sentence-initial"),
        pytest.param("Syrian", "SYR", "demonym", id="demonym"),
        pytest.param("Syrians", "SYR", "demonym", id="plural-demonym"),
        pytest.param("Türkiye", "TUR", "name", id="diacritics"),
        pytest.param("Turkiye", "TUR", "name", id="diacritics-folded"),
        pytest.param("U.S.", "USA", "name", id="dotted-abbreviation"),
        pytest.param("the United States", "USA", "name", id="the-name"),
        pytest.param("Russia's", "RUS", "name", id="possessive"),
        pytest.param("Brussels", "EU", "metonym", id="brussels-is-eu"),
        pytest.param("UN", "UN", "name", id="un"),
        pytest.param("U.N.", "UN", "name", id="un-dotted"),
        pytest.param("the United Nations", "UN", "name", id="united-nations"),
        pytest.param("the Elysee", "FRA", "metonym", id="elysee-ascii"),
        pytest.param("the Élysée", "FRA", "metonym", id="elysee"),
        pytest.param("Côte d\u2019Ivoire", "CIV", "name", id="curly-apostrophe"),
        pytest.param("Downing Street", "GBR", "metonym", id="downing-street"),
        pytest.param("DPRK", "PRK", "name", id="dprk"),
        pytest.param("South Sudan", "SSD", "name", id="south-sudan"),
        pytest.param("Sudan", "SDN", "name", id="sudan"),
        pytest.param("Niger", "NER", "name", id="niger"),
        pytest.param("Nigerian", "NGA", "demonym", id="nigerian"),
        pytest.param("Dominican Republic", "DOM", "name", id="dominican-republic"),
        pytest.param("Papua New Guinea", "PNG", "name", id="png"),
        pytest.param("Palestinian", "PSE", "demonym", id="palestinian"),
        pytest.param("the Houthis", "HOUTHIS", "name", id="group"),
        pytest.param("Syrian National Coalition", "SNC-SYRIA", "name", id="opposition-body"),
        pytest.param("the UN Security Council", "UNSC", "name", id="un-organ"),
    ],
)
def test_lookup_resolves_mentions(gaz: Gazetteer, text: str, key: str, how: str) -> None:
    hit = gaz.lookup(text)
    assert hit is not None, text
    assert (hit[0].key, hit[1]) == (key, how)


@pytest.mark.parametrize("text", ["Korea", "Korean", "Kurdish", "Arab", "the bloc", "us", "who"])
def test_lookup_refuses_ambiguous_or_non_state_words(gaz: Gazetteer, text: str) -> None:
    assert gaz.lookup(text) is None


def test_abbreviations_match_only_in_capitals(gaz: Gazetteer) -> None:
    assert gaz.lookup("WHO")[0].key == "WHO"
    assert gaz.lookup("US")[0].key == "USA"
    assert gaz.lookup("Nato")[0].key == "NATO"


def test_by_demonym(gaz: Gazetteer) -> None:
    assert gaz.by_demonym("Iranian").key == "IRN"
    assert gaz.by_demonym("Americans").key == "USA"
    assert gaz.by_demonym("British").key == "GBR"
    assert gaz.by_demonym("Russia") is None
    assert gaz.by_demonym("Kurdish") is None


def test_ethnic_and_religious_modifiers_are_not_states(gaz: Gazetteer) -> None:
    assert gaz.ethnic_religious("Kurdish") == ("Kurdish", "ethnic")
    assert gaz.ethnic_religious("Kurds") == ("Kurdish", "ethnic")
    assert gaz.ethnic_religious("Alawite") == ("Alawite", "religious")
    assert gaz.ethnic_religious("Syrian") is None
    rows = _data("sectors.json")["ethnic_religious"]
    assert all(row["country"] is None for row in rows)


def test_ambiguous_names_still_resolve_but_are_flagged(gaz: Gazetteer) -> None:
    assert gaz.lookup("Jordan")[0].key == "JOR"
    assert gaz.lookup("Georgia")[0].key == "GEO"
    assert gaz.is_ambiguous("Jordan")
    assert gaz.is_ambiguous("Congo")
    assert not gaz.is_ambiguous("Syria")


@pytest.mark.parametrize(
    ("word", "sector"),
    [
        ("government", "GOV"),
        ("Government", "GOV"),
        ("governments", "GOV"),
        ("authorities", "GOV"),
        ("regime", "GOV"),
        ("opposition", "OPP"),
        ("opposition groups", "OPP"),
        ("rebels", "REB"),
        ("armed groups", "REB"),
        ("militants", "REB"),
        ("junta", "MIL"),
        ("armed forces", "MIL"),
        ("parties", "PTY"),
        ("lawmakers", "LEG"),
        ("spokesman", "GOV"),
        ("president", "GOV"),
        ("Kurdish", None),
        ("table", None),
    ],
)
def test_sector_of(gaz: Gazetteer, word: str, sector: str | None) -> None:
    assert gaz.sector_of(word) == sector


@pytest.mark.parametrize(
    ("role", "sector"),
    [
        ("foreign minister", "GOV"),
        ("Foreign Minister", "GOV"),
        ("former deputy foreign minister", "GOV"),
        ("opposition leader", "OPP"),
        ("rebel commander", "REB"),
        ("secretary-general", "IGO"),
        ("chef", None),
    ],
)
def test_role_sector(gaz: Gazetteer, role: str, sector: str | None) -> None:
    assert gaz.role_sector(role) == sector


def test_no_two_entries_claim_the_same_name(gaz: Gazetteer) -> None:
    deliberate: dict[str, tuple[str, ...]] = {}  # none at present; add with a reason
    assert gaz.conflicts() == deliberate


def test_ambiguous_strings_belong_to_their_entry(gaz: Gazetteer) -> None:
    for entry in gaz:
        own = {normalise(s) for s in (*entry.names, *entry.demonyms, *entry.metonyms)}
        assert {normalise(a) for a in entry.ambiguous} <= own, entry.key


def test_ruler_patterns_have_known_ids_and_labels(gaz: Gazetteer) -> None:
    patterns = gaz.ruler_patterns()
    assert len(patterns) > 1000
    assert all(p["id"] in gaz for p in patterns)
    assert {p["label"] for p in patterns} == {"ACTOR", "DEMONYM", "METONYM"}
    index = {(p["pattern"], p["id"]): p["label"] for p in patterns}
    assert index[("Moscow", "RUS")] == "METONYM"
    assert index[("The Kremlin", "RUS")] == "METONYM"
    assert index[("the Kremlin", "RUS")] == "METONYM"
    assert index[("Elysee Palace", "FRA")] == "METONYM"
    assert index[("Syrian", "SYR")] == "DEMONYM"
    assert index[("Russians", "RUS")] == "DEMONYM"
    assert index[("Turkiye", "TUR")] == "ACTOR"
    texts = {p["pattern"] for p in patterns}
    for ambiguous in ["Jordan", "Georgia", "Chad", "Congo", "Korea", "the bloc", "Victoria"]:
        assert ambiguous not in texts
    assert not any(
        p["label"] == "METONYM"
        and p["pattern"][:1].islower()
        and not p["pattern"].startswith("the ")
        for p in patterns
    )


def test_ruler_patterns_tag_a_sentence_with_spacy() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(load_gazetteer().ruler_patterns())
    doc = nlp(
        "The Kremlin said Syrian opposition groups met U.S. and Turkish envoys in "
        "Brussels, while the UN Security Council and Papua New Guinea stayed silent."
    )
    found = {(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents}
    assert found == {
        ("The Kremlin", "METONYM", "RUS"),
        ("Syrian", "DEMONYM", "SYR"),
        ("U.S.", "ACTOR", "USA"),
        ("Turkish", "DEMONYM", "TUR"),
        ("Brussels", "METONYM", "EU"),
        ("the UN Security Council", "ACTOR", "UNSC"),
        ("Papua New Guinea", "ACTOR", "PNG"),
    }


def test_load_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_loader_does_not_import_spacy_itself() -> None:
    source = files("diplograph.ontology").joinpath("actors.py").read_text("utf-8")
    assert "import spacy" not in source


def test_blocker_patterns_keep_actor_patterns_out_of_place_names() -> None:
    gaz = load_gazetteer()
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([*gaz.ruler_patterns(), *gaz.blocker_patterns()])
    doc = nlp("Latin American leaders met American officials on the South China Sea.")
    found = {(ent.text, ent.label_) for ent in doc.ents if ent.label_ != "NOT_ACTOR"}
    assert found == {("American", "DEMONYM")}
    assert all(p["label"] == "NOT_ACTOR" for p in gaz.blocker_patterns())
