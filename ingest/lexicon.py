"""Lexicons shipped as data: stance cues, initiative nouns."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

__all__ = ["Lexicon", "load_lexicon"]


def _read(name: str) -> dict[str, Any]:
    return json.loads(files("diplograph.ingest.data").joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cue words, read once from ``ingest/data/*.json``."""

    verbs: dict[str, dict[str, dict[str, Any]]]
    adjectives: dict[str, dict[str, dict[str, Any]]]
    nouns: dict[str, frozenset[str]]
    light_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    announce_verbs: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_modals: frozenset[str]
    condition_markers: tuple[str, ...]
    statement_nouns: frozenset[str]
    initiative_kinds: dict[str, dict[str, Any]]
    generic_anaphors: frozenset[str]
    generic_compat: dict[str, tuple[str, ...]]
    attempt_nouns: frozenset[str]
    agent_nouns: dict[str, str]
    characterisation_verbs: frozenset[str]
    characterisations: dict[str, str]
    prep_nouns: dict[str, dict[str, str]]
    carrier_verbs: frozenset[str]
    #: First words of the verb cues ('pull' of 'pull out'): a verb whose lemma is none of
    #: them cues nothing, however it combines with its particles.
    verb_heads: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        heads = frozenset(key.split(" ")[0] for cues in self.verbs.values() for key in cues)
        object.__setattr__(self, "verb_heads", heads)

    def verb_cues(self, lemma: str) -> list[tuple[str, dict[str, Any]]]:
        """Every (polarity, options) entry for a verb lemma (one may cue both, by preposition)."""
        return [(pol, cues[lemma]) for pol, cues in self.verbs.items() if lemma in cues]

    def adjective_cues(self, lemma: str) -> list[tuple[str, dict[str, Any]]]:
        """(polarity, options) entries for a predicative adjective ('committed', 'opposed')."""
        return [(pol, cues[lemma]) for pol, cues in self.adjectives.items() if lemma in cues]

    def noun_polarity(self, lemma: str) -> str | None:
        for pol, words in self.nouns.items():
            if lemma in words:
                return pol
        return None


@functools.cache
def load_lexicon() -> Lexicon:
    """Load the shipped lexicons (cached).

    >>> load_lexicon().noun_polarity("rejection")
    'reject'
    """
    cues = _read("stance_cues.json")
    ini = _read("initiatives.json")
    return Lexicon(
        verbs=cues["verbs"],
        adjectives=cues["adjectives"],
        nouns={pol: frozenset(words) for pol, words in cues["nouns"].items()},
        light_verbs=frozenset(cues["light_verbs"]),
        refusal_verbs=frozenset(cues["refusal_verbs"]),
        announce_verbs=frozenset(cues["announce_verbs"]),
        hedge_verbs=frozenset(cues["hedge_verbs"]),
        hedge_modals=frozenset(cues["hedge_modals"]),
        condition_markers=tuple(cues["condition_markers"]),
        statement_nouns=frozenset(cues["statement_nouns"]),
        initiative_kinds=ini["kinds"],
        generic_anaphors=frozenset(ini["generic_anaphors"]),
        generic_compat={k: tuple(v) for k, v in ini["generic_compat"].items()},
        attempt_nouns=frozenset(ini["attempt_nouns"]),
        agent_nouns={w: pol for pol, words in cues["agent_nouns"].items() for w in words},
        characterisation_verbs=frozenset(cues["characterisation_verbs"]),
        characterisations={
            w: pol for pol, words in cues["characterisations"].items() for w in words
        },
        prep_nouns=cues["prep_nouns"],
        carrier_verbs=frozenset(cues["carrier_verbs"]),
    )
