"""Tests of the person dictionary ``ontology/gazetteer/persons.json``."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from importlib.resources import files
from typing import Any

import pytest

from diplograph.ontology.actors import normalise

FIELDS = {"name", "aliases", "country", "sector", "affiliation", "roles"}
ROLE_FIELDS = {"role", "from", "to"}
FIRST_YEAR, LAST_YEAR = 1940, 2030
# One-word aliases that are also a word of another listed person's name, kept because in
# news the bare word means this person (the other is called by another name):
SHARED_WORDS = {
    "assad": "Bashar al-Assad (not his father Hafez)",
    "sharaa": "Ahmed al-Sharaa (not Farouk al-Sharaa, foreign minister until 2006)",
    "maliki": "Nouri al-Maliki (the Palestinian foreign minister is 'Riyad al-Maliki')",
    "abbas": "Mahmoud Abbas (Abbas Araghchi is 'Araghchi')",
    "hadi": "Abdrabbuh Mansur Hadi (Hadi al-Bahra is 'al-Bahra')",
    "ghani": "Ashraf Ghani (Abdul Ghani Baradar is 'Baradar')",
    "petro": "Gustavo Petro (Petro Poroshenko is 'Poroshenko')",
    "burhan": "Abdel Fattah al-Burhan (Burhan Ghalioun is 'Ghalioun')",
    "massoud": "Ahmad Shah Massoud (Massoud Barzani is 'Barzani')",
    "anwar": "Anwar Ibrahim (Anwar Gargash is 'Gargash')",
    "najib": "Najib Razak (Najib Mikati is 'Mikati')",
}
_ARTICLE = re.compile(r"^(al|el|ad|as|ash|an|ar)-")
_EXTRA_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o"})


def _json(name: str) -> Any:
    return json.loads(files("diplograph.ontology.gazetteer").joinpath(name).read_text("utf-8"))


def _fold(text: str) -> str:
    """Case-preserving ASCII form: diacritics removed, ``ı``/``ł``/``đ``/``ø`` mapped."""
    text = text.translate(_EXTRA_FOLD)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _words(text: str) -> set[str]:
    """Normalised words of a name without Arabic articles (``al-Assad`` → ``assad``)."""
    return {_ARTICLE.sub("", w) for w in normalise(text).split()}


@pytest.fixture(scope="module")
def persons() -> list[dict[str, Any]]:
    data = _json("persons.json")
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def iso3() -> set[str]:
    return {s["iso3"] for s in _json("states.json")["states"]}


@pytest.fixture(scope="module")
def actor_keys() -> dict[str, dict[str, Any]]:
    orgs = {o["key"]: o for o in _json("organisations.json")["organisations"]}
    groups = {g["key"]: g for g in _json("groups.json")["groups"]}
    return orgs | groups


def _forms(person: dict[str, Any]) -> list[str]:
    return [person["name"], *person["aliases"]]


def test_size_and_schema(persons: list[dict[str, Any]]) -> None:
    assert len(persons) >= 300
    sectors = set(_json("sectors.json")["codes"])
    for p in persons:
        assert set(p) == FIELDS, p["name"]
        assert isinstance(p["name"], str) and p["name"] == p["name"].strip() and p["name"]
        assert isinstance(p["aliases"], list)
        for alias in p["aliases"]:
            assert isinstance(alias, str) and alias == alias.strip() and alias, p["name"]
        assert p["sector"] is None or p["sector"] in sectors, p["name"]
        assert p["country"] is not None or p["affiliation"] is not None, p["name"]
        assert p["roles"], p["name"]
        for role in p["roles"]:
            assert set(role) <= ROLE_FIELDS and isinstance(role["role"], str) and role["role"]
            start, end = role.get("from"), role.get("to")
            assert start is None or (isinstance(start, int) and FIRST_YEAR <= start <= LAST_YEAR)
            assert end is None or (isinstance(end, int) and FIRST_YEAR <= end <= LAST_YEAR)
            if isinstance(start, int) and isinstance(end, int):
                assert start <= end, (p["name"], role)


def test_government_people_have_a_state(persons: list[dict[str, Any]]) -> None:
    for p in persons:
        if p["sector"] == "GOV" and p["affiliation"] is None:
            assert p["country"] is not None, p["name"]


def test_country_codes_exist(persons: list[dict[str, Any]], iso3: set[str]) -> None:
    unknown = {p["name"]: p["country"] for p in persons if p["country"] not in iso3 | {None}}
    assert not unknown


def test_affiliations_exist_and_agree(
    persons: list[dict[str, Any]], actor_keys: dict[str, dict[str, Any]]
) -> None:
    for p in persons:
        key = p["affiliation"]
        if key is None:
            continue
        assert key in actor_keys, (p["name"], key)
        actor = actor_keys[key]
        if "kind" not in actor:  # an international organisation: speaks for no state
            assert p["country"] is None and p["sector"] is None, p["name"]
        elif actor["country"] is not None:
            assert p["country"] == actor["country"], p["name"]


def test_no_duplicate_names(persons: list[dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    for p in persons:
        key = normalise(p["name"])
        assert key not in seen, (p["name"], seen.get(key))
        seen[key] = p["name"]


def test_no_form_shared_by_two_persons(persons: list[dict[str, Any]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in persons:
        for form in _forms(p):
            owners[normalise(form)].add(p["name"])
    shared = {form: names for form, names in owners.items() if len(names) > 1}
    assert not shared


def test_one_word_aliases_are_not_ambiguous(persons: list[dict[str, Any]]) -> None:
    """A bare word alias ("Putin") is no word of another person's names ("Kim", "Abdullah")."""
    owners: dict[str, set[str]] = defaultdict(set)
    for p in persons:
        for form in _forms(p):
            for word in _words(form):
                owners[word].add(p["name"])
    clashes = []
    for p in persons:
        for alias in p["aliases"]:
            words = _words(alias)
            if len(words) != 1 or words & set(SHARED_WORDS):
                continue
            others = owners[next(iter(words))] - {p["name"]}
            if others:
                clashes.append((p["name"], alias, sorted(others)))
    assert not clashes


def test_shared_words_are_still_needed(persons: list[dict[str, Any]]) -> None:
    aliases = {w for p in persons for a in p["aliases"] if len(_words(a)) == 1 for w in _words(a)}
    assert set(SHARED_WORDS) <= aliases


def test_aliases_do_not_shadow_gazetteer_actors(persons: list[dict[str, Any]]) -> None:
    taken: set[str] = set()
    for state in _json("states.json")["states"]:
        taken.update(map(normalise, [state["name"], *state["names"], *state["demonyms"]]))
        taken.update(map(normalise, state["metonyms"]))
    for fname, field in (("organisations.json", "organisations"), ("groups.json", "groups")):
        for actor in _json(fname)[field]:
            taken.update(map(normalise, [actor["name"], *actor["names"]]))
            taken.update(map(normalise, actor.get("metonyms", [])))
    clashes = {(p["name"], f) for p in persons for f in _forms(p) if normalise(f) in taken}
    assert not clashes


def test_accented_forms_have_an_ascii_variant(persons: list[dict[str, Any]]) -> None:
    missing = []
    for p in persons:
        forms = set(_forms(p))
        missing += [(p["name"], f) for f in forms if _fold(f) != f and _fold(f) not in forms]
    assert not missing


@pytest.mark.parametrize(
    ("form", "country", "affiliation"),
    [
        ("Putin", "RUS", None),
        ("Erdogan", "TUR", None),
        ("Erdoğan", "TUR", None),
        ("Zelensky", "UKR", None),
        ("Zelenskyy", "UKR", None),
        ("Kim Jong Un", "PRK", None),
        ("Assad", "SYR", None),
        ("Haniyeh", "PSE", "HAMAS"),
        ("de Mistura", None, "UN"),
        ("Akhundzada", "AFG", "TALIBAN"),
        ("Trimble", "GBR", "UUP"),
        ("Timochenko", "COL", "FARC"),
    ],
)
def test_known_people_resolve(
    persons: list[dict[str, Any]], form: str, country: str | None, affiliation: str | None
) -> None:
    hits = [p for p in persons if normalise(form) in {normalise(f) for f in _forms(p)}]
    assert len(hits) == 1
    assert (hits[0]["country"], hits[0]["affiliation"]) == (country, affiliation)
