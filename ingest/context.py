"""Per-article reading context: mentions by token, and the coreference the rules share."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from diplograph.ingest._tokens import pos_ids, with_pos
from diplograph.ingest.actors import ActorMention, ActorRecogniser, entry_actor
from diplograph.ingest.initiatives import InitiativeEntity, InitiativeMention, find_initiatives
from diplograph.ingest.lexicon import Lexicon
from diplograph.ingest.records import Actor
from diplograph.ontology.actors import Gazetteer

__all__ = ["ArticleContext", "quote_speaker"]

PLURAL_PRONOUNS = {"they", "them", "their", "we", "our", "us", "both"}
SINGULAR_PRONOUNS = {"it", "its"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
FIRST_PERSON = {"we", "our", "us", "i", "my"}
SPOKESPEOPLE = frozenset(
    "representative delegation delegate envoy member leader leaders side camp president "
    "presidents minister ministers government governments head heads official officials "
    "foreign_minister spokesman spokeswoman spokesperson chief secretary ambassador negotiator "
    "adviser advisor ministry office envoy".split()
)
SELF_NOUNS = frozenset({"country", "government", "nation", "administration", "state"})
POSSESSIVES = frozenset({"their", "its", "his", "her", "our"})
ANY_PRONOUN = frozenset(PLURAL_PRONOUNS | SINGULAR_PRONOUNS | PERSON_PRONOUNS)
ORG_ANAPHORS = frozenset(
    {"alliance", "bloc", "body", "organisation", "organization", "union", "league", "grouping"}
)


@dataclass(slots=True)
class ArticleContext:
    """Everything the rules need about one parsed article."""

    doc: Doc
    lexicon: Lexicon
    gazetteer: Gazetteer
    actor_mentions: list[ActorMention]
    initiative_mentions: list[InitiativeMention]
    places: dict[int, str]
    actor_at: dict[int, ActorMention] = field(default_factory=dict)
    initiative_at: dict[int, InitiativeMention] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    sents: list[Span] = field(default_factory=list)
    _sent_starts: list[int] = field(default_factory=list)
    #: ``doc.text`` and ``doc.ents``, read once: spaCy rebuilds both on every access.
    text: str = ""
    ents: tuple[Span, ...] = ()

    @classmethod
    def build(cls, doc: Doc, recogniser: ActorRecogniser, lexicon: Lexicon) -> ArticleContext:
        ents = doc.ents
        mentions = _named_by_apposition(doc, recogniser(doc, ents=ents))
        places, states = _places(doc, recogniser.gazetteer, ents)
        bodies = {i: (m.actor.key, _short_name(m.actor)) for m in mentions
                  if m.actor.kind == "igo" for i in range(m.start, m.end)}
        inits = find_initiatives(doc, lexicon, places, states, bodies, ents=ents)
        ctx = cls(doc, lexicon, recogniser.gazetteer, mentions, inits, places)
        ctx.text = doc.text
        ctx.ents = ents
        ctx.sents = list(doc.sents)
        ctx._sent_starts = [s.start for s in ctx.sents]
        for m in mentions:
            for i in range(m.start, m.end):
                ctx.actor_at[i] = m
            ctx._register(m.actor, doc[m.start : m.end].text)
            if m.person is not None:
                ctx._register(m.person, m.person.label)
            for member in m.extra.get("members", ()):
                ctx._register(member, doc[m.start : m.end].text)
        for im in inits:
            ctx.initiative_at[im.head] = im
        return ctx

    def _register(self, actor: Actor, text: str) -> None:
        old = self.actors.get(actor.key)
        if old is None:
            self.actors[actor.key] = actor
        elif text not in old.mentions:
            from dataclasses import replace

            self.actors[actor.key] = replace(old, mentions=(*old.mentions, text))

    def sentence_index(self, tok: Token) -> int:
        """Position in :attr:`sents` of the sentence holding ``tok``."""
        return self._sentence_of(tok.i)

    def sentence_at(self, i: int) -> Span:
        """The sentence holding the token at index ``i`` (``tok.sent``, without building it)."""
        return self.sents[self._sentence_of(i)]

    def _sentence_of(self, i: int) -> int:
        return bisect.bisect_right(self._sent_starts, i) - 1

    def span_text(self, span: Span) -> str:
        """``span.text``, sliced from the article text rather than joined from its tokens."""
        return self.text[span.start_char : span.end_char]

    # -- initiatives -----------------------------------------------------------------------
    def initiative_for(
        self, tok: Token, *, meeting: bool | None = None
    ) -> tuple[InitiativeEntity, str] | None:
        """The initiative a target token refers to, with the mention text.

        ``meeting`` narrows what a pronoun may point back to (one attends meetings and
        ratifies documents).
        """
        m = self.initiative_at.get(tok.i)
        if m is not None and m.entity is not None:
            return m.entity, m.text(self.doc)
        if tok.lower_ in {"it", "this", "them", "these"}:
            # the previous sentence first, then a little further back
            hit = self.implicit_initiative(tok, meeting=meeting, window=1, fallback=False) or (
                self.implicit_initiative(tok, meeting=meeting, window=2, fallback=False))
            if hit is not None:
                return hit[0], tok.text
        return None

    def implicit_initiative(
        self, tok: Token, *, meeting: bool | None = None, window: int = 3, fallback: bool = True
    ) -> tuple[InitiativeEntity, str] | None:
        """The initiative a clause without an object is about: of those mentioned in this or
        the three previous sentences, the most salient (most mentioned so far, then the
        latest); else the article's most-mentioned one so far."""
        sents = self.sents
        idx = self.sentence_index(tok)
        window_start = sents[max(0, idx - window)].start
        counts: dict[int, int] = {}
        last: dict[int, int] = {}
        entities: dict[int, InitiativeEntity] = {}
        in_window: set[int] = set()
        subject: set[int] = set()
        for m in self.initiative_mentions:
            e = m.entity
            if e is None or m.head >= tok.i or (meeting is not None and e.meeting != meeting):
                continue
            counts[id(e)] = counts.get(id(e), 0) + 1
            last[id(e)] = m.head
            entities[id(e)] = e
            if m.head >= window_start:
                in_window.add(id(e))
                if self.doc[m.head].dep_ in {"nsubj", "nsubjpass"}:
                    subject.add(id(e))  # the topic of a recent clause
        pool = in_window or (set(entities) if fallback else set())
        if not pool:
            return None
        best = max(pool, key=lambda k: (counts[k] + (k in subject), last[k]))
        return entities[best], ""

    # -- actors ----------------------------------------------------------------------------
    def actors_for(self, tok: Token) -> list[tuple[str, str]]:
        """Holder (key, text) pairs a subject/agent token refers to; [] when none."""
        m = self.actor_at.get(tok.i)
        implicit = m is not None and (
            m.actor.key.startswith("group:") or m.extra.get("explicit") is False
        )
        if implicit or (m is None and tok.lemma_.lower() in SELF_NOUNS):
            # 'their governments', 'his country': the actor the possessive points back to
            poss = [c for c in tok.children if c.dep_ == "poss" and c.lower_ in POSSESSIVES]
            if poss:
                text = self.doc[poss[0].i : tok.i + 1].text
                return [(_speaks_for(a), text) for a in self._resolve_pronoun(poss[0])]
        if m is not None and (m.actor.key.startswith("group:") or m.how == "sector"):
            # 'the main Kurdish party in northern Syria, the PYD': the name in apposition
            for t in tok.subtree:
                named = self.actor_at.get(t.i)
                if t.dep_ == "appos" and named is not None and named.how == "name" and (
                        ":" not in named.actor.key):
                    m = named
                    break
        if m is not None:
            text = self.doc[m.start : m.end].text
            members = m.extra.get("members")
            if members:
                return [(a.key, text) for a in members]
            return [(m.actor.key, text)]
        low = tok.lower_
        if low in FIRST_PERSON and _in_quote(tok):
            speaker = quote_speaker(tok)
            if speaker is not None:
                return self.actors_for(speaker)
        if low in SINGULAR_PRONOUNS | PLURAL_PRONOUNS | PERSON_PRONOUNS | FIRST_PERSON:
            return [(a.key, tok.text) for a in self._resolve_pronoun(tok)]
        if tok.lemma_.lower() in self.lexicon.statement_nouns:
            return self._issuer(tok)
        # 'the three guarantors', 'both sides', 'the four leaders': the last group of that size
        size = _group_size(tok)
        if size is not None:
            group = self._recent_group(tok, size)
            if group:
                return [(a.key, tok.text) for a in group]
        # 'the leaders of France, Britain and Germany', 'representatives of X'
        if tok.pos_ == "NOUN" and tok.lemma_ in SPOKESPEOPLE:
            out: list[tuple[str, str]] = []
            for c in tok.children:
                if c.dep_ in {"poss", "compound", "amod"}:
                    heads = [c]
                elif c.dep_ == "prep" and c.lower_ in {"of", "from", "for"}:
                    heads = [x for x in c.children if x.dep_ == "pobj"]
                else:
                    continue
                for h in heads:
                    for t in [h, *h.conjuncts]:
                        if (t.i in self.actor_at or _group_size(t) is not None
                                or t.lower_ in ANY_PRONOUN):
                            # 'the four countries' leaders': the group's members
                            out += [p for p in self.actors_for(t) if p not in out]
                        elif listed := self._listed(t):
                            # 'delegates from … the remaining parties, namely Britain, China'
                            out += [p for p in listed if p not in out]
                        elif (hit := self.gazetteer.lookup(t.text)) is not None and hit[1] in {
                                "demonym", "name"}:  # 'Turkish and UN officials'
                            pair = (hit[0].key, t.text)
                            if pair not in out:
                                out.append(pair)
                        else:  # 'leaders of the two republics in Donetsk and Luhansk'
                            out += [p for p in self._described_groups(t) if p not in out]
            return out
        # 'the Islamic movement Hamas': the name in apposition or compound
        for c in tok.children:
            if c.dep_ in {"appos", "compound", "nmod"} and c.i in self.actor_at and c.i > tok.i:
                return self.actors_for(c)
        # 'the alliance', 'the bloc', 'the world body': the organisation last named
        if tok.lower_ in ORG_ANAPHORS and any(c.lower_ == "the" for c in tok.children):
            return self._recent_igo(tok)
        # 'the remaining signatories: Britain, China, France, Germany and Russia'
        return self._listed(tok) if tok.tag_ in {"NNS", "NNPS"} else []

    def _listed(self, tok: Token) -> list[tuple[str, str]]:
        """The actors an apposition lists for a plural noun: 'the remaining parties,
        namely Britain, China, France, Germany and Russia'."""
        out: list[tuple[str, str]] = []
        after = tok.doc[tok.right_edge.i + 1 : tok.right_edge.i + 3]
        if len(after) == 2 and after[0].text == ":" and after[1].i in self.actor_at:
            # 'the remaining signatories: Britain, China, …', however the list was parsed:
            # names, commas and 'and' up to the first other word
            i = after[1].i
            while i < len(self.doc):
                m = self.actor_at.get(i)
                if m is not None:
                    out += [p for p in self.actors_for(self.doc[i]) if p not in out]
                    i = m.end
                elif self.doc[i].text == "," or self.doc[i].lower_ in {"and", "or"}:
                    i += 1
                else:
                    break
            return out
        # 'namely' marks the list even when the parser hung it on a noun further in
        listed = [c for c in tok.children if c.dep_ == "appos"] + [
            c for c in tok.subtree if c.dep_ == "appos" and c.head.i != tok.i
            and any(x.lower_ == "namely" for x in c.children)]
        for c in listed:
            if c.i in self.actor_at:
                for t in [c, *c.conjuncts]:
                    if t.i in self.actor_at:
                        out += [p for p in self.actors_for(t) if p not in out]
        return out

    def _group_topic(self, tok: Token) -> list[Actor]:
        """The group a numbered subject in this or the previous sentence stands for."""
        sents = self.sents
        idx = self.sentence_index(tok)
        for s in reversed(sents[max(0, idx - 1) : idx + 1]):
            for t in s:
                if t.i >= tok.i:
                    break
                if t.dep_ in {"nsubj", "nsubjpass"} and (size := _group_size(t)) is not None:
                    return self._recent_group(t, size)
                if (t.dep_ in {"nsubj", "nsubjpass"} and t.lower_ in {"they", "we"}
                        and s.start < sents[idx].start):
                    # 'the two countries said … They also agreed … Their ministers': a chain
                    return self._group_topic(t)
        return []

    def _recent_group(self, tok: Token, size: int) -> list[Actor]:
        """The latest coordination of exactly ``size`` actors before ``tok`` (this and the
        previous five sentences)."""
        sents = self.sents
        idx = self.sentence_index(tok)
        start = sents[max(0, idx - 5)].start
        best: list[Actor] = []
        for m in self.actor_mentions:
            if not (start <= m.start < tok.i):
                continue
            root = self.doc[m.start : m.end].root
            if root.dep_ == "conj":
                continue
            group = list(m.extra.get("members") or [m.actor])
            for c in root.conjuncts:
                cm = self.actor_at.get(c.i)
                if cm is not None and cm.actor not in group:
                    group.append(cm.actor)
            keys = {a.key for a in group}
            if len(keys) == size:
                best = group
        if best:
            return best
        # 'Clinton, who had hosted Barak and Arafat … the three leaders': the last N distinct
        # persons (for leaders) or states and governments (for sides, countries …) named
        people = tok.lemma_.lower() in PERSON_GROUP_NOUNS
        if people and tok.lemma_.lower() in LEADER_TITLES:
            # 'the two leaders': the last two heads of state or government the article named,
            # however far back, not the envoys named since
            leaders: dict[str, Actor] = {}
            for m in reversed(self.actor_mentions):
                role = (m.person.role or "").lower().split() if m.person is not None else []
                if m.start < tok.i and LEADER_TITLES & set(role):
                    leaders.setdefault(m.actor.key, m.actor)
                    if len(leaders) == size:
                        return list(leaders.values())[::-1]
        seen: dict[str, Actor] = {}
        far = sents[max(0, idx - 10)].start
        for m in reversed(self.actor_mentions):
            if not (far <= m.start < tok.i):
                continue
            if (m.person is not None) if people else m.actor.kind in {"state", "government"}:
                seen.setdefault(m.actor.key, m.actor)
                if len(seen) == size:
                    return list(seen.values())[::-1]
        return []

    def _described_groups(self, tok: Token) -> list[tuple[str, str]]:
        """Named groups a description points at by head word and place: 'the separatist
        republics in Donetsk and Luhansk' -> the Donetsk and Luhansk People's Republics."""
        if tok.pos_ != "NOUN":
            return []
        places = [x for c in tok.children if c.dep_ == "prep" and c.lower_ in {"in", "of"}
                  for p in c.children if p.dep_ == "pobj" for x in [p, *p.conjuncts]]
        out = []
        for place in places:
            entry = _group_named(self.gazetteer, tok.lemma_.lower(), place.text)
            if entry is not None:
                text = self.doc[tok.left_edge.i : tok.right_edge.i + 1].text
                self._register(entry_actor(entry, text), text)
                out.append((entry.key, text))
        return out

    def _recent_igo(self, tok: Token) -> list[tuple[str, str]]:
        start = max(0, tok.sent.start - 80)
        best = None
        for m in self.actor_mentions:
            if start <= m.start < tok.i and m.actor.kind in {"igo", "coalition"}:
                best = m
        return [(best.actor.key, tok.text)] if best is not None else []

    def _resolve_pronoun(self, tok: Token) -> list[Actor]:
        low = tok.lower_
        if low in PLURAL_PRONOUNS:
            # 'the two countries said … They also agreed': a numbered group as the topic
            group = self._group_topic(tok)
            if group:
                return group
        candidates: list[list[Actor]] = []
        spoken: set[str] = set()  # actors a named person speaks for ('President Rouhani')
        sents = self.sents
        idx = self.sentence_index(tok)
        for s in reversed(sents[max(0, idx - 2) : idx + 1]):
            subjects = []
            others = []
            for t in s:
                if t.i >= tok.i:
                    break
                m = self.actor_at.get(t.i)
                if m is None or t.i != m.start:
                    continue
                group = list(m.extra.get("members") or [m.actor])
                if m.person is not None:
                    spoken.add(m.actor.key)
                root = self.doc[m.start : m.end].root
                if root.dep_ == "conj":
                    continue
                for c in root.conjuncts:
                    cm = self.actor_at.get(c.i)
                    if cm is not None and cm.actor not in group:
                        group.append(cm.actor)
                # 'the leaders of France, Germany and Italy … their commitment'
                speaker = root.head.head if root.dep_ == "pobj" and root.head.lower_ in {
                    "of", "from"} else root
                if root.dep_ in {"nsubj", "nsubjpass"} or (
                    speaker.dep_ in {"nsubj", "nsubjpass"} and speaker.lemma_ in SPOKESPEOPLE
                ):
                    subjects.append(group)
                else:
                    others.append(group)
            ranked = list(reversed(subjects)) + list(reversed(others))
            candidates.extend(ranked)
            if candidates:
                break
        for group in candidates:
            if low in PERSON_PRONOUNS:
                if any(a.kind == "person" or a.key.startswith("person:") or a.key in spoken
                       for a in group):
                    return group
                continue
            if low in SINGULAR_PRONOUNS and len(group) > 1:
                continue
            if low in PLURAL_PRONOUNS and len(group) == 1 and not _plural_actor(group[0], self):
                continue
            return group
        return []

    def _issuer(self, tok: Token) -> list[tuple[str, str]]:
        """'the statement said' -> the actor that issued the statement."""
        for c in tok.children:
            if c.dep_ in {"poss", "compound"} or (
                c.dep_ == "prep" and c.lower_ in {"of", "from", "by", "for"}
            ):
                for x in c.subtree:
                    if x.i in self.actor_at:
                        return self.actors_for(x)
        sents = self.sents
        idx = self.sentence_index(tok)
        for s in reversed(sents[max(0, idx - 3) : idx]):
            for t in s:
                if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT":
                    pairs = self.actors_for(t) if t.lower_ not in SINGULAR_PRONOUNS else []
                    if pairs:
                        return pairs
        return []


GROUP_NOUNS = SPOKESPEOPLE | frozenset(
    "side sides guarantor guarantors country countries party parties power powers state states "
    "nation nations sponsor sponsors mediator mediators signatory signatories".split()
)
PERSON_GROUP_NOUNS = frozenset("leader president minister head premier".split())
#: Titles of heads of state or government ('President Donald Trump', 'leader Kim Jong Un').
LEADER_TITLES = frozenset(
    "leader president premier prime chancellor king emir monarch sultan".split())
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10}


def _group_size(tok: Token) -> int | None:
    """2 for 'both sides', 3 for 'the three guarantors'; None for other phrases."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in GROUP_NOUNS or tok.tag_ != "NNS":
        return None
    for c in tok.children:
        if c.dep_ in {"nummod", "det", "predet", "amod"}:
            if c.lower_ in NUMBER_WORDS:
                return NUMBER_WORDS[c.lower_]
            if c.lower_ == "both":
                return 2
            if c.like_num and c.text.isdigit():
                return int(c.text)
    return None


@functools.lru_cache(maxsize=4096)
def _group_named(gazetteer: Gazetteer, head: str, place: str):
    """The one non-state gazetteer entry whose name holds both ``head`` and ``place``."""
    place = place.lower()
    found = [
        e for e in gazetteer if e.kind != "state" and any(
            place in n.lower().split() and head in {w.rstrip("s") for w in n.lower().split()}
            for n in e.names)
    ]
    return found[0] if len(found) == 1 else None


def _named_by_apposition(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """'The main Kurdish party in northern Syria, the PYD': a description whose phrase holds
    the actor's name in apposition is that named actor."""
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        if m.how == "sector" or m.actor.key.startswith("group:"):
            root = doc[m.start : m.end].root
            named = next((at[t.i] for t in root.subtree if t.dep_ == "appos" and t.i in at
                          and at[t.i].how == "name" and ":" not in at[t.i].actor.key
                          and not t.conjuncts), None)  # a list names no single actor
            if named is not None and named is not m:
                m = ActorMention(m.start, m.end, named.actor, "name", extra=m.extra)
        out.append(m)
    return out


def _speaks_for(actor: Actor) -> str:
    """The key of the actor a person speaks for ('his country'), else the actor's own."""
    return actor.affiliation or actor.key


def _plural_actor(actor: Actor, ctx: ArticleContext) -> bool:
    return (actor.kind in {"opposition", "armed_group", "party", "group"}
            or actor.key.count("-") >= 1)


def _in_quote(tok: Token) -> bool:
    text = tok.sent.text
    return any(q in text for q in ('"', "“", "”"))


def quote_speaker(tok: Token) -> Token | None:
    """The subject of the reporting verb that governs a quoted clause."""
    cur = tok.head
    for _ in range(5):
        if cur.lemma_ in {"say", "state", "add", "note", "tell", "declare", "write", "insist",
                          "stress"}:
            subj = [c for c in cur.children
                    if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ not in FIRST_PERSON]
            if subj:
                return subj[0]
        if cur.head.i == cur.i:
            break
        cur = cur.head
    # reporting verb after the quote: '"…," the statement said.'
    for t in tok.sent:
        if t.dep_ == "ROOT" and t.lemma_ in {"say", "state", "add", "note", "tell", "declare",
                                             "insist"}:
            subj = [c for c in t.children if c.dep_ in {"nsubj"} and c.lower_ not in FIRST_PERSON]
            if subj:
                return subj[0]
    return None


def _places(
    doc: Doc, gazetteer: Gazetteer, ents: tuple[Span, ...] | None = None
) -> tuple[dict[int, str], frozenset[int]]:
    """Token index -> place name for every token inside a place mention, and the
    indices of those that name a whole state."""
    out: dict[int, str] = {}
    states: set[int] = set()
    for ent in doc.ents if ents is None else ents:
        if ent.label_ == "NORP" and ent.root.pos_ == "PROPN" and ent.root.dep_ == "compound":
            # the small model often calls a city used as a modifier NORP: 'the Sochi initiative'
            if gazetteer.lookup(ent.text) is None and gazetteer.ethnic_religious(ent.text) is None:
                for i in range(ent.start, ent.end):
                    out[i] = ent.text
            continue
        if ent.label_ in {"GPE", "LOC", "FAC"}:
            hit = gazetteer.lookup(ent.text)
            if hit is not None and (hit[1] == "demonym" or hit[0].kind == "igo"):
                continue  # 'Asian', 'the Asia-Pacific Economic Cooperation' tagged as places
            if hit is not None and hit[1] == "name" and hit[0].kind == "state":
                states.update(range(ent.start, ent.end))
            name = ent.text
            if name.lower().startswith("the "):
                name = name[4:]
            for i in range(ent.start, ent.end):
                out[i] = name
    for i in with_pos(doc, _NOUN):  # both rules below read common nouns only
        tok = doc[i]
        capital = _capital_of(tok, gazetteer)
        if capital is not None and tok.i not in out:
            out[tok.i] = capital
        if tok.lemma_ not in TOWN_NOUNS:
            continue
        if (tok.i - 1 not in out
                and tok.i > 0 and doc[tok.i - 1].dep_ == "compound"
                and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].head.i == tok.i
                and gazetteer.lookup(doc[tok.i - 1].text) is None):
            out[tok.i - 1] = doc[tok.i - 1].text  # 'the Bürgenstock resort'
        # 'the coastal city of Da Nang', however the tagger labelled the name
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN" and pobj.i not in out:
                        span = doc[pobj.left_edge.i : pobj.i + 1]
                        for k in range(span.start, span.end):
                            out[k] = span.text
    return out, frozenset(states)


#: Nouns whose 'of' phrase names a place: 'the city of Da Nang', 'the resort of Sochi'.
TOWN_NOUNS = frozenset(
    "city town capital port resort village island region province coast".split())
_NOUN = pos_ids("NOUN")


def _short_name(actor: Actor) -> str:
    """How a meeting of an organisation is named: 'APEC' for Asia-Pacific Economic
    Cooperation, else its label."""
    return actor.key if actor.key.isupper() and len(actor.key) <= 6 else actor.label


def _capital_of(tok: Token, gazetteer: Gazetteer) -> str | None:
    """The city 'the Belarusian capital' or 'Qatar's capital' stands for; ``None`` when the
    phrase names it itself ('the Kazakh capital, Astana', 'the capital of Kazakhstan')."""
    if tok.lower_ != "capital" or tok.pos_ != "NOUN":
        return None
    if any(c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children):
        return None
    for c in tok.children:
        entry = None
        if c.dep_ in {"amod", "compound"}:
            entry = gazetteer.by_demonym(c.text)
        elif c.dep_ == "poss":
            hit = gazetteer.lookup(c.text)
            entry = hit[0] if hit is not None and hit[1] == "name" else None
        if entry is not None and entry.kind == "state" and entry.capital:
            return entry.capital
    return None
