"""Actor mentions: gazetteer names, metonyms, country+sector phrases, persons with roles."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from diplograph.ingest._tokens import pos_ids, with_pos
from diplograph.ingest.lexicon import load_lexicon
from diplograph.ingest.records import Actor
from diplograph.ontology.actors import Gazetteer, GazetteerEntry

__all__ = ["ActorMention", "ActorRecogniser", "entry_actor", "slug"]

SECTOR_NAMES = {
    "GOV": "government",
    "OPP": "opposition",
    "REB": "rebels",
    "MIL": "military",
    "PTY": "parties",
    "LEG": "parliament",
}
# Heads that make a sector phrase name an actor ("Syrian opposition groups").
GROUP_HEADS = frozenset(
    "group faction bloc coalition alliance movement camp side force forces fighter "
    "delegation party parties council commission committee body front".split()
)
_NOMINAL = pos_ids("NOUN", "PROPN")
PLACE_PREPS = frozenset("in at to near outside inside from into across around within".split())
#: People sent by a state: 'delegates from Iran' are Iran's, not people in Iran.
SENT_PEOPLE = frozenset(
    "delegate delegation official representative leader diplomat minister negotiator envoy "
    "emissary team".split())
TITLE_WORDS = frozenset(
    "president prime minister foreign defence defense secretary chancellor king queen prince "
    "emir sheikh sultan crown envoy ambassador spokesman spokeswoman spokesperson leader chief "
    "general commander senator deputy vice premier counterpart negotiator representative "
    "secretary-general official diplomat mediator chairman chair head".split()
)


def slug(text: str) -> str:
    """A stable ASCII slug for keys of actors unknown to the gazetteer.

    >>> slug("Ahrar al-Sham")
    'ahrar-al-sham'
    """
    return _slug(text)


@functools.lru_cache(maxsize=8192)  # keys and labels are slugged again and again
def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


@dataclass(slots=True)
class ActorMention:
    """A span of the doc that names an actor (``start``/``end`` are token indices)."""

    start: int
    end: int
    actor: Actor
    how: str
    person: Actor | None = None
    extra: dict = field(default_factory=dict)

    @property
    def holder(self) -> Actor:
        """The actor a stance by this mention belongs to (a person speaks for their affiliation)."""
        return self.actor


def entry_actor(entry: GazetteerEntry, mention: str) -> Actor:
    return Actor(
        key=entry.key,
        label=entry.label,
        kind=entry.kind,
        country=entry.iso3,
        sector=entry.sector,
        wikidata=entry.wikidata,
        mentions=(mention,),
    )


#: A gazetteer match: the span, its entry, and how it names it ('name', 'demonym', 'metonym').
GazetteerSpan = tuple[Span, GazetteerEntry, str]


class ActorRecogniser:
    """Finds actor mentions in a parsed doc and canonicalises them against the gazetteer."""

    def __init__(self, nlp, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._sectors: dict[tuple[int, int], tuple[str | None, bool]] = {}
        self.initiative_words = frozenset(load_lexicon().initiative_kinds)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, list[tuple[str, str]]] = {}
        for pat in gazetteer.ruler_patterns():
            text = pat["pattern"]
            variants = {text}
            if text.startswith("the "):
                variants.add("The " + text[4:])
            for v in variants:
                by_label.setdefault(pat["label"], []).append((v, pat["id"]))
        for pat in gazetteer.blocker_patterns():
            by_label.setdefault("NOT_ACTOR", []).append((pat["pattern"], "-"))
        for label, items in by_label.items():
            for text, key in items:
                match_id = f"{label}|{key}"
                self.matcher.add(match_id, [nlp.make_doc(text)])

    # -- public -----------------------------------------------------------------
    def __call__(self, doc: Doc, *, ents: tuple[Span, ...] | None = None) -> list[ActorMention]:
        """Actor mentions in document order; ``ents`` is ``doc.ents`` when the caller has it
        (spaCy rebuilds the spans on every access)."""
        if ents is None:
            ents = doc.ents
        mentions: dict[int, ActorMention] = {}
        taken: set[int] = set()

        def put(m: ActorMention) -> None:
            for i in range(m.start, m.end):
                taken.add(i)
            mentions[m.start] = m

        gaz_spans = self._gazetteer_spans(doc)
        spans_at = {i: s for s in gaz_spans for i in range(s[0].start, s[0].end)}
        dominant = self._dominant_country(doc, gaz_spans)
        # 1. country + sector phrases, persons with roles (they contain gazetteer words)
        for i in with_pos(doc, _NOMINAL):  # a sector phrase is headed by a noun
            if i in taken:
                continue
            m = self._sector_phrase(doc, doc[i], spans_at, dominant)
            if m is not None:
                for sub in m:
                    put(sub)
        for ent in ents:
            if ent.label_ == "PERSON" and not any(i in taken for i in range(ent.start, ent.end)):
                m = self._person(doc, ent, spans_at)
                if m is not None:
                    put(m)
        # 2. gazetteer names and metonyms not part of something larger
        org_ents = [e for e in ents if e.label_ == "ORG" and len(e) >= 3]
        for span, entry, how in gaz_spans:
            if any(i in taken for i in range(span.start, span.end)):
                continue
            if any(e.start <= span.start and span.end <= e.end and e.root.i not in range(
                    span.start, span.end) and self.gazetteer.lookup(e.text) is None
                   for e in org_ents):
                continue  # 'Palestine' in 'Popular Front for the Liberation of Palestine'
            if how == "demonym" and not self._demonym_is_actor(span):
                continue
            if self._is_place_use(span):
                continue
            put(ActorMention(span.start, span.end, entry_actor(entry, span.text), how))
        # 3. organisations the gazetteer does not know: kept as their own actors
        for ent in ents:
            if ent.label_ != "ORG" or any(i in taken for i in range(ent.start, ent.end)):
                continue
            name = _strip_det(ent)
            if name is not None and self.gazetteer.person(name.text) is not None:
                m = self._person(doc, ent, spans_at)  # the tagger took 'Ghani' for an org
                if m is not None:
                    put(m)
                continue
            if name is None or not _looks_like_org(name):
                continue
            if (name[-1].lower_ in self.initiative_words
                    or name.root.lower_ in self.initiative_words):
                continue  # 'Abraham Accords', 'Congress of National Dialogue' are initiatives
            actor = Actor(
                key=f"org:{slug(name.text)}",
                label=name.text,
                kind="organisation",
                mentions=(name.text,),
            )
            put(ActorMention(name.start, name.end, actor, "ner"))
        ordered = [mentions[k] for k in sorted(mentions)]
        return _link_surnames(ordered, doc, ents)

    # -- gazetteer ---------------------------------------------------------------
    def _gazetteer_spans(self, doc: Doc) -> list[GazetteerSpan]:
        found = []
        for match_id, start, end in self.matcher(doc):
            label, key = doc.vocab.strings[match_id].split("|", 1)
            found.append((end - start, start, end, label, key))
        found.sort(key=lambda x: (-x[0], x[1]))
        used: set[int] = set()
        spans = []
        for _, start, end, label, key in found:
            if any(i in used for i in range(start, end)):
                continue
            used.update(range(start, end))  # 'Northern Ireland', 'Latin American' block
            if label == "NOT_ACTOR" or key not in self.gazetteer:
                continue
            how = {"DEMONYM": "demonym", "METONYM": "metonym"}.get(label, "name")
            spans.append((doc[start:end], self.gazetteer[key], how))
        spans.sort(key=lambda s: s[0].start)
        return spans

    def _dominant_country(self, doc: Doc, spans) -> str | None:
        counts: Counter[str] = Counter()
        for span, entry, _how in spans:
            # 'talks in Havana' says where, not whose country the story is about
            if entry.kind == "state" and entry.iso3 and not self._is_place_use(span):
                counts[entry.iso3] += 1
        if not counts:
            return None
        (iso, n), *rest = counts.most_common(2) + [(None, 0)]
        return iso if n > rest[0][1] else None

    def _demonym_is_actor(self, span: Span) -> bool:
        # "the Russians said": a demonym used as a noun, with "the"; bare "Colombians" are people
        head = span.root
        definite = span.start > 0 and span.doc[span.start - 1].lower_ == "the"
        return definite and head.pos_ in {"NOUN", "PROPN"} and head.dep_ in {
            "nsubj", "nsubjpass", "pobj", "dobj", "conj"
        }

    def _is_place_use(self, span: Span) -> bool:
        """'in Moscow', 'a Damascus-based group', 'Moscow's streets' are places, not actors."""
        doc = span.doc
        if span.end < len(doc) - 1 and doc[span.end].text == "-" and doc[span.end + 1].lower_ in {
            "based", "born", "headquartered",
        }:
            return True
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ == "from" and (
                root.head.head.lemma_.lower() in SENT_PEOPLE):
            return False  # 'delegates from Iran', 'officials from Russia' speak for it
        if root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS:
            return True
        return root.dep_ == "compound" and root.head.lower_ in {
            "resort", "city", "capital", "region"
        }

    # -- country + sector ----------------------------------------------------------
    def _country_of(self, tok: Token, spans_at: dict[int, GazetteerSpan]):
        """The state a modifier of ``tok`` names: 'Syrian', "Syria's", 'of Syria'."""
        for child in tok.children:
            if child.dep_ in {"amod", "compound", "poss", "nmod", "npadvmod"}:
                hit = spans_at.get(child.i)
                if hit is not None and hit[1].kind == "state":
                    return hit[1], child
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    hit = spans_at.get(pobj.i)
                    if pobj.dep_ == "pobj" and hit is not None and hit[1].kind == "state":
                        return hit[1], pobj
        return None, None

    def _sector_cue(self, tok: Token) -> tuple[str | None, bool]:
        """The sector ``tok`` names (by lemma, else text) and whether it is a group head.

        Memoised by the integer ids of lemma and text: it runs on every noun, and reading
        ``tok.lemma_`` or ``tok.text`` is a StringStore lookup each time.
        """
        key = (tok.lemma, tok.orth)
        cue = self._sectors.get(key)
        if cue is None:
            if len(self._sectors) > 100_000:  # bounded: a long ingest meets many words
                self._sectors.clear()
            lemma = tok.lemma_
            sector = self.gazetteer.sector_of(lemma) or self.gazetteer.sector_of(tok.text)
            cue = self._sectors[key] = (sector, lemma.lower() in GROUP_HEADS)
        return cue

    def _sector_of(self, tok: Token) -> str | None:
        return self._sector_cue(tok)[0]

    def _sector_phrase(
        self, doc: Doc, tok: Token, spans_at: dict[int, GazetteerSpan], dominant: str | None
    ) -> list[ActorMention] | None:
        """A country + sector phrase headed by ``tok``, a noun or proper noun."""
        sector, group_head = self._sector_cue(tok)
        if sector is None and not group_head:
            return None  # most nouns: no sector cue in the noun and no group head
        modifiers = [c for c in tok.children if c.dep_ in {"compound", "nmod", "amod"}]
        if sector is None:  # a group head: 'Syrian opposition groups'
            for c in modifiers:
                sector = self._sector_of(c)
                if sector:
                    break
        elif sector == "GOV":
            # 'the rebel leadership', 'the opposition leadership': whose leadership it is
            for c in modifiers:
                other = self._sector_of(c)
                if other and other not in {"GOV", "IGO"}:
                    sector = other
                    break
        if sector is None or sector == "IGO":
            return None
        if tok.lower_ == "opposition" and any(
            c.dep_ == "prep" and c.lower_ in {"to", "from"} for c in tok.children
        ):
            return None  # 'its opposition to the deal' is a stance, not the opposition
        if tok.lemma_.lower() == "party" and any(
            c.dep_ == "prep" and c.lower_ == "to" for c in tok.children
        ):
            return None  # 'the parties to the agreement' are its signatories, not parties
        if tok.ent_type_ in {"ORG", "PERSON"} and tok.pos_ == "PROPN":
            return None
        for c in tok.children:
            # 'the UN special envoy', 'the EU's foreign policy chief': the organisation speaks
            hit = spans_at.get(c.i) if c.dep_ in {"compound", "nmod", "poss", "amod"} else None
            if hit is not None and hit[1].kind != "state" and tok.lower_ not in {"opposition"}:
                span = _np_span(tok)
                return [ActorMention(span.start, span.end, entry_actor(hit[1], span.text),
                                     "sector", extra={"explicit": True})]
        entry, country_tok = self._country_of(tok, spans_at)
        explicit = entry is not None
        if entry is None:
            # 'the country's opposition', 'the opposition': the article's own country
            det = [c for c in tok.children if c.dep_ in {"det", "poss"}]
            definite = any(
                c.lower_ in {"the", "its", "their"} or c.lemma_ == "country" for c in det
            )
            if not definite:
                return None
            if dominant is None or dominant not in self.gazetteer:
                # no country to anchor it: kept as an actor of its own, never dropped
                span = _np_span(tok)
                name = _strip_det(span)
                if name is None or tok.lower_ in {"government", "authorities", "regime"}:
                    return None
                actor = Actor(key=f"group:{slug(name.text)}", label=name.text,
                              kind=_sector_kind(sector), sector=sector, mentions=(span.text,))
                return [ActorMention(span.start, span.end, actor, "sector",
                                     extra={"explicit": False})]
            entry = self.gazetteer[dominant]
        if entry.kind != "state":
            return None
        span = _np_span(tok)
        # 'the British and Irish governments': one actor per coordinated country
        countries = [entry]
        bodies = []  # 'Turkish and UN officials': an organisation coordinated with the state
        if country_tok is not None:
            for cc in country_tok.conjuncts:
                hit = spans_at.get(cc.i)
                if hit is not None and hit[1].kind == "state" and hit[1] not in countries:
                    countries.append(hit[1])
                elif hit is not None and hit[1].kind != "state":
                    bodies.append(ActorMention(span.start, span.end,
                                               entry_actor(hit[1], span.text),
                                               "sector", extra={"explicit": True}))
        if len(countries) > 1:
            out = []
            for e in countries:
                key = f"{e.iso3}-{sector}"
                label = f"Government of {e.label}" if sector == "GOV" else (
                    f"{_demonym(e)} {SECTOR_NAMES.get(sector, sector.lower())}")
                out.append(ActorMention(span.start, span.end, Actor(
                    key=key, label=label, kind=_sector_kind(sector), country=e.iso3, sector=sector,
                    mentions=(span.text,)), "sector", extra={"explicit": True}))
            return _split_same_span(out + bodies)
        # qualifiers: 'Syrian Kurdish and Christian parties' -> two actors
        quals = []
        for c in tok.children:
            if c.dep_ == "amod" and self.gazetteer.ethnic_religious(c.text) is not None:
                quals.append(c.text)
                quals.extend(cc.text for cc in c.conjuncts
                             if self.gazetteer.ethnic_religious(cc.text) is not None)
        iso = entry.iso3
        out = []
        for q in quals or [None]:
            key = f"{iso}-{sector}" + (f"-{slug(q).upper()}" if q else "")
            if q:
                label = f"{_demonym(entry)} {q} {SECTOR_NAMES.get(sector, sector.lower())}"
            elif sector == "GOV":
                label = f"Government of {entry.label}"
            else:
                label = f"{_demonym(entry)} {SECTOR_NAMES.get(sector, sector.lower())}"
            actor = Actor(
                key=key, label=label, kind=_sector_kind(sector), country=iso, sector=sector,
                mentions=(span.text,),
            )
            out.append(ActorMention(span.start, span.end, actor, "sector",
                                    extra={"explicit": explicit}))
        out += bodies
        return out[:1] if len(out) == 1 else _split_same_span(out)

    # -- persons -------------------------------------------------------------------
    def _known_person(self, name: str, mention: str, *, former: bool = False) -> Actor | None:
        """The actor a person in the persons gazetteer speaks for ('Putin' -> RUS-GOV);
        a former office holder no longer speaks for the government."""
        known = self.gazetteer.person(name)
        if known is None:
            return None
        if known.affiliation is not None and known.affiliation in self.gazetteer:
            return entry_actor(self.gazetteer[known.affiliation], mention)
        if known.country is None or known.country not in self.gazetteer:
            return None
        sector = known.sector or "GOV"
        if former and sector == "GOV":
            return None
        return _sector_actor(self.gazetteer[known.country], sector, mention)

    def _person(
        self, doc: Doc, ent: Span, spans_at: dict[int, GazetteerSpan]
    ) -> ActorMention | None:
        head = ent.root
        # the tagger often takes titles and 'of X' into the name: 'Crown Prince Abdullah of
        # Saudi Arabia' is Abdullah, a crown prince, of Saudi Arabia
        inner_of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                    and ent.start <= c.i < ent.end]
        first = ent.start
        while first < head.i and doc[first].lower_ in TITLE_WORDS:
            first += 1
        last = inner_of[0].i if inner_of else ent.end
        name = doc[first:last] if first < last else ent
        inner_titles = list(doc[ent.start:first])
        role_tokens = [t for t in head.lefts
                       if t.dep_ in {"compound", "amod", "nmod", "poss"} and t.i < ent.start]
        # appositions: 'Sergei Lavrov, Russia's foreign minister' /
        # 'the UN envoy, Staffan de Mistura'
        appos = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            appos.append(head.head)
        role_words: list[Token] = list(inner_titles)
        for t in role_tokens:
            role_words.extend(x for x in t.subtree if x.i < ent.start)
        for a in appos:
            if a.i < ent.start or a.i >= ent.end:
                # 'a former ambassador to Spain', 'envoy for Syria': where a person is sent
                # or what they handle is not whom they speak for
                role_words.extend(x for x in a.subtree if not (ent.start <= x.i < ent.end)
                                  and not _under_prep(x, a, ASSIGNMENT_PREPS))
        for c in head.children:
            # 'Crown Prince Abdullah of Saudi Arabia', 'King Abdullah II of Jordan'
            if c.dep_ == "prep" and c.lower_ == "of" and (c.i >= ent.end or c in inner_of):
                role_words.extend(x for x in c.subtree if x.dep_ in {"pobj", "compound"})
        # never reach into another person or past a coordination ('Trump and … leader Kim')
        barrier = max((t.i for t in role_words if t.i < ent.start and (
            t.dep_ == "cc" or (t.ent_type_ == "PERSON" and not ent.start <= t.i < ent.end))),
            default=-1)
        role_words = sorted({t for t in role_words if t.i > barrier or t.i >= ent.end},
                            key=lambda t: t.i)
        role = " ".join(t.text for t in role_words
                        if t.lower_ in TITLE_WORDS or t.lower_ in {"of", "general"})
        role = role.strip() or None
        affiliation = None
        for t in role_words:
            hit = spans_at.get(t.i)
            if hit is not None:
                entry = hit[1]
                if entry.kind == "state":
                    sector = (self.gazetteer.role_sector(role) if role else None) or "GOV"
                    affiliation = _sector_actor(entry, sector, ent.text)
                else:
                    affiliation = entry_actor(entry, ent.text)
                break
        if affiliation is None:
            former = any(t.lower_ in {"former", "ex", "late"} for t in role_words)
            affiliation = self._known_person(name.text, ent.text, former=former)
        if role is None and affiliation is None:
            return None
        person = Actor(
            key=f"person:{slug(name.text)}", label=name.text, kind="person", role=role,
            affiliation=affiliation.key if affiliation else None, mentions=(name.text,),
        )
        start = min([ent.start] + [t.i for t in role_words if t.i < ent.start])
        return ActorMention(start, ent.end, affiliation or person, "person", person=person)


#: Prepositions naming where an official is posted or what they handle, not whom they
#: represent: 'ambassador to Spain', 'envoy for Syria'.
ASSIGNMENT_PREPS = frozenset({"to", "for", "in", "at", "on"})


def _under_prep(tok: Token, top: Token, preps: frozenset[str]) -> bool:
    """Whether ``tok`` is inside a prepositional phrase (one of ``preps``) below ``top``."""
    for a in (tok, *tok.ancestors):
        if a.i == top.i:
            return False
        if a.dep_ == "prep" and a.lower_ in preps:
            return True
    return False


def _link_surnames(
    mentions: list[ActorMention], doc: Doc, ents: tuple[Span, ...]
) -> list[ActorMention]:
    """Later bare mentions of a known person ('Lavrov') take that person's actor."""
    persons: dict[str, ActorMention] = {}
    for m in mentions:
        if m.person is not None:
            for part in m.person.label.split():
                persons.setdefault(part, m)
    if not persons:
        return mentions
    # a bare surname resolved on its own ('Arafat') follows the article's fuller mention
    # ('Palestinian leader Yasser Arafat'), which says whom the person speaks for here
    linked = []
    for m in mentions:
        text = doc[m.start : m.end].text
        earlier = persons.get(text) if m.end - m.start == 1 else None
        if (m.person is not None and earlier is not None and earlier.start < m.start
                and earlier.person is not None and earlier.person.label.split()[-1] == text):
            m = ActorMention(m.start, m.end, earlier.actor, "person", person=earlier.person)
        linked.append(m)
    mentions = linked
    covered = {i for m in mentions for i in range(m.start, m.end)}
    extra = []
    for ent in ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE"} or ent.start in covered:
            continue
        last = ent[-1].text
        m = persons.get(last) or persons.get(ent.text)
        if m is not None and m.start < ent.start:
            extra.append(ActorMention(ent.start, ent.end, m.actor, "person", person=m.person))
    return sorted(mentions + extra, key=lambda m: m.start)


def _split_same_span(out: list[ActorMention]) -> list[ActorMention]:
    # Several actors over one phrase: keep all, the first owns the span start; others are
    # recorded as coordinated members of the first.
    first = out[0]
    first.extra["members"] = [m.actor for m in out]
    return [first]


def _np_span(tok: Token) -> Span:
    doc = tok.doc
    start = tok.i
    for t in tok.lefts:
        if t.dep_ in {"det", "amod", "compound", "nmod", "nummod", "poss", "quantmod", "advmod",
                      "punct"}:
            start = min(start, t.left_edge.i)
    # 'Press TV - Forty Syrian groups': a dateline or header before a dash is not the phrase
    for i in range(tok.i - 1, start - 1, -1):
        if doc[i].text in {"-", "–", "—", ":"} and doc[i].whitespace_:
            start = i + 1
            break
    while start < tok.i and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return doc[start : tok.i + 1]


def _strip_det(ent: Span) -> Span | None:
    start = ent.start
    while start < ent.end and ent.doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    end = ent.end
    while end > start and ent.doc[end - 1].is_punct:
        end -= 1
    return ent.doc[start:end] if end > start else None


def _looks_like_org(span: Span) -> bool:
    if not any(t.is_title or t.is_upper for t in span):
        return False
    return not (len(span) == 1 and span[0].lower_ in {"congress", "summit", "talks", "conference"})


def _sector_actor(entry: GazetteerEntry, sector: str, mention: str) -> Actor:
    """The country+sector actor of a state: RUS-GOV 'Government of Russia'."""
    return Actor(
        key=f"{entry.iso3}-{sector}",
        label=f"Government of {entry.label}" if sector == "GOV" else
        f"{_demonym(entry)} {SECTOR_NAMES.get(sector, sector.lower())}",
        kind=_sector_kind(sector), country=entry.iso3, sector=sector, mentions=(mention,),
    )


def _demonym(entry: GazetteerEntry) -> str:
    return entry.demonyms[0] if entry.demonyms else entry.label


def _sector_kind(sector: str) -> str:
    return {
        "GOV": "government",
        "OPP": "opposition",
        "REB": "armed_group",
        "MIL": "military",
        "PTY": "party",
        "LEG": "legislature",
    }.get(sector, "group")
