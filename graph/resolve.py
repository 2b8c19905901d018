"""Cross-article merging: the same initiative or unknown organisation named differently.

Canonical keys already merge most nodes (``RUS``, ``SYR-OPP``, ``astana-talks-round-8``).
What they miss are initiatives and organisations whose names differ between articles: the
"Congress of National Dialogue" in one article is the "Syrian National Dialogue Congress"
in the next. :class:`Resolver` keeps an index of the names already in the store and maps a
new extraction's keys onto known ones when the names match under a conservative test:

* both are of the same family (a meeting never merges with a document);
* rapidfuzz ``token_set_ratio`` of the names ≥ :data:`THRESHOLD`, and
* every distinctive word (not a stop word, not a generic head like "agreement", "talks")
  of the shorter name has a counterpart in the longer one, and the two share at least one;
* rounds and years never disagree ("eighth round" ≠ "ninth round", "2015" ≠ "2022").

Unnamed, article-local initiatives (``d07:agreement``) and keyed rounds are left alone:
their keys are already as specific as the text allows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from diplograph.graph.iris import registry_graph
from diplograph.ingest.records import Actor, ArticleExtraction
from diplograph.ontology.actors import normalise

__all__ = ["THRESHOLD", "Known", "Resolver"]

#: Minimum rapidfuzz ``token_set_ratio`` for two names to be one entity.
THRESHOLD = 90
#: Minimum per-word ``ratio`` for a distinctive word to count as present (plurals, spelling).
WORD_THRESHOLD = 88

_STOP = frozenset(
    "a an the of on for in at to and or with between by from over about its their his her new "
    "so called so-called".split()
)
_GENERIC = frozenset(
    "agreement agreements accord accords deal deals treaty pact protocol memorandum "
    "understanding declaration communique communiqué statement plan plans proposal proposals "
    "initiative initiatives process talks negotiations negotiation meeting meetings summit "
    "conference congress forum round rounds session ceasefire truce programme program "
    "framework roadmap resolution peace party group organisation organization movement front "
    "council committee".split()
)
_MARKERS = re.compile(r"\b(?:1[89]\d\d|20\d\d|first|second|third|fourth|fifth|sixth|seventh|"
                      r"eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b")
_ARTICLE_LOCAL = re.compile(r"^[^:]+:[a-z-]+$")  # 'd07:agreement'
_ROUND_KEY = re.compile(r"-round-\d+$|-\d+$")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", normalise(text))


@functools.lru_cache(maxsize=1 << 14)
def _distinctive(text: str) -> frozenset[str]:
    """The name-bearing words: capitalised (or coded, 'II', 'P5+1') and not generic.

    Descriptions ('a brief joint statement') have none, so they never merge anything.
    Memoised (bounded): the same names come back article after article.
    """
    words = re.findall(r"[\w-]+", text)
    out = set()
    for w in words[1:] + words[:1]:
        if not (w[:1].isupper() or any(ch.isdigit() for ch in w)):
            continue
        n = normalise(w)
        if n not in _STOP and n not in _GENERIC and not _MARKERS.fullmatch(n):
            out.add(n)
    return frozenset(out)


def _covered(words: Iterable[str], others: Iterable[str]) -> bool:
    others = list(others)
    return all(any(fuzz.ratio(w, o) >= WORD_THRESHOLD for o in others) for w in words)


def same_name(a: str, b: str) -> bool:
    """Whether two names denote the same entity under the conservative test above.

    >>> same_name("Syrian National Dialogue Congress", "Congress of National Dialogue")
    True
    >>> same_name("Minsk II agreement", "Minsk agreement")
    False
    >>> same_name("eighth round of Astana talks", "ninth round of Astana talks")
    False
    """
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return True
    if set(_MARKERS.findall(na)) != set(_MARKERS.findall(nb)):
        return False
    da, db = _distinctive(a), _distinctive(b)
    if not da or not db:
        return False
    short, long_ = (da, db) if len(da) <= len(db) else (db, da)
    if not _covered(short, long_) or not (da & db):
        return False
    # 'Minsk II' vs 'Minsk': a numeral or letter code on one side only is a different thing
    if {w for w in da ^ db if len(w) <= 3}:
        return False
    return fuzz.token_set_ratio(na, nb) >= THRESHOLD


@dataclass(slots=True)
class Known:
    """A canonical initiative or organisation and the names it is known by."""

    key: str
    family: str  # "meeting", "initiative" or "organisation"
    names: list[str] = field(default_factory=list)


class Resolver:
    """Maps the keys of new extractions onto entities already known under another name."""

    def __init__(self, known: Iterable[Known] = ()) -> None:
        self._known: dict[str, Known] = {}
        self._by_word: dict[str, set[str]] = {}  # distinctive word -> keys whose names have it
        for k in known:
            self._add(k)

    def _add(self, k: Known) -> None:
        old = self._known.get(k.key)
        if old is None:
            old = self._known[k.key] = Known(k.key, k.family, [])
        for n in k.names:
            if n in old.names:
                continue
            old.names.append(n)
            for w in _distinctive(n):
                self._by_word.setdefault(w, set()).add(k.key)

    def __len__(self) -> int:
        return len(self._known)

    @classmethod
    def from_store(cls, store) -> Resolver:
        """Index the initiative, meeting and organisation names already in ``store``.

        Two queries, joined here: the registry's keyed entities with their labels, then
        every ``skos:altLabel`` in any graph. (One query with the alternative labels in a
        ``UNION`` branch made Oxigraph read every alternative label once per entity: 38 s
        for a 2,000-article store.)
        """
        rows = store.sparql(
            f"""
            SELECT ?x ?key ?label ?meeting ?org WHERE {{
              GRAPH {registry_graph()} {{
                ?x dip:key ?key ; rdfs:label ?label .
                OPTIONAL {{ ?x a dip:Meeting . BIND(true AS ?meeting) }}
                OPTIONAL {{ ?x a sem:Actor . BIND(true AS ?org) }}
              }}
            }}
            """
        )
        known: dict[str, Known] = {}
        by_node: dict[object, dict[str, Known]] = {}  # one row per label: each key once
        for row in rows:
            key = row["key"].value
            if row.get("org") is not None and not key.startswith("org:"):
                continue  # gazetteer actors are canonical already
            family = "meeting" if row.get("meeting") is not None else (
                "organisation" if row.get("org") is not None else "initiative")
            k = known.setdefault(key, Known(key, family))
            by_node.setdefault(row["x"], {})[key] = k
            if row["label"].value not in k.names:
                k.names.append(row["label"].value)
        if by_node:
            alt_labels = "SELECT ?x ?name WHERE { GRAPH ?g { ?x skos:altLabel ?name } }"
            for row in store.sparql(alt_labels):
                for k in by_node.get(row["x"], {}).values():
                    if row["name"].value not in k.names:
                        k.names.append(row["name"].value)
        return cls(known.values())

    # -------------------------------------------------------------- matching

    def match(self, key: str, family: str, names: Iterable[str]) -> str | None:
        """A known key other than ``key`` that one of ``names`` denotes, if any."""
        if _ARTICLE_LOCAL.match(key) or _ROUND_KEY.search(key):
            return None
        names = [n for n in names if _distinctive(n)]
        # only entities sharing a distinctive word can match: look those up, not all
        keys = {c for n in names for w in _distinctive(n) for c in self._by_word.get(w, ())}
        best: tuple[int, str] | None = None
        for k in (self._known[c] for c in sorted(keys)):
            if k.key == key or k.family != family or _ROUND_KEY.search(k.key):
                continue
            for n in names:
                for m in k.names:
                    if same_name(n, m):
                        score = int(fuzz.token_set_ratio(normalise(n), normalise(m)))
                        if best is None or score > best[0]:
                            best = (score, k.key)
        return best[1] if best else None

    def resolve(self, ex: ArticleExtraction) -> ArticleExtraction:
        """Return ``ex`` with initiative, meeting and organisation keys mapped onto known
        entities, and remember its own names for the extractions that follow."""
        mapping: dict[str, str] = {}
        meetings = {m.key for m in ex.meetings}
        for ini in ex.initiatives:
            if ini.key in self._known or ini.key in mapping:
                continue
            family = "meeting" if ini.key in meetings else "initiative"
            hit = self.match(ini.key, family, [ini.label, *ini.aliases])
            if hit is not None:
                mapping[ini.key] = hit
        for actor in ex.actors:
            if actor.key.startswith("org:") and actor.key not in self._known:
                hit = self.match(actor.key, "organisation", [actor.label, *actor.mentions])
                if hit is not None:
                    mapping[actor.key] = hit
        out = _remap(ex, mapping) if mapping else ex
        meetings = {m.key for m in out.meetings}
        for ini in out.initiatives:
            family = "meeting" if ini.key in meetings else "initiative"
            if not _ARTICLE_LOCAL.match(ini.key):
                self._add(Known(ini.key, family, [ini.label, *ini.aliases]))
        for actor in out.actors:
            if actor.key.startswith("org:"):
                self._add(Known(actor.key, "organisation", [actor.label]))
        return out

    def resolve_all(self, exs: Iterable[ArticleExtraction]) -> Iterator[ArticleExtraction]:
        for ex in exs:
            yield self.resolve(ex)


def _remap(ex: ArticleExtraction, mapping: dict[str, str]) -> ArticleExtraction:
    def k(key: str | None) -> str | None:
        return mapping.get(key, key) if key is not None else None

    def actor(a: Actor) -> Actor:
        return replace(a, key=k(a.key), affiliation=k(a.affiliation))

    return replace(
        ex,
        actors=tuple(actor(a) for a in ex.actors),
        initiatives=tuple(replace(i, key=k(i.key)) for i in ex.initiatives),
        meetings=tuple(
            replace(m, key=k(m.key), part_of=k(m.part_of),
                    participants=tuple(map(k, m.participants)),
                    hosts=tuple(map(k, m.hosts)), mediators=tuple(map(k, m.mediators)))
            for m in ex.meetings
        ),
        stances=tuple(replace(s, holder=k(s.holder), target=k(s.target)) for s in ex.stances),
    )
