"""Initiative mentions and their in-article coreference ("the congress", "the event", "it")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from diplograph.ingest._tokens import pos_ids, with_pos
from diplograph.ingest.actors import slug
from diplograph.ingest.lexicon import Lexicon

__all__ = ["InitiativeEntity", "InitiativeMention", "find_initiatives", "ORDINALS"]

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_ORD_RE = re.compile(r"^(\d+)(st|nd|rd|th)$")
#: Verbs report meetings, nouns and proper nouns name initiatives; nothing else can.
_CANDIDATE_POS = pos_ids("VERB", "NOUN", "PROPN")
NAME_LABELS = {"ORG", "EVENT", "LAW", "FAC", "WORK_OF_ART", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass(slots=True)
class InitiativeMention:
    """One noun phrase referring to an initiative."""

    head: int
    start: int
    end: int
    kind: str
    meeting: bool
    name: str | None = None
    places: tuple[str, ...] = ()
    round: int | None = None
    definite: bool = False
    of_head: int | None = None  # 'round of X talks' -> token of X talks
    topics: tuple[str, ...] = ()  # states named as modifiers: 'Syria peace talks'
    anaphor: bool = False  # 'the event': links to an entity, never starts one
    entity: InitiativeEntity | None = None
    full_end: int = 0  # end of the whole description: 'a plan to halt the fighting in X'
    body: str | None = None  # actor key of the organisation holding it: 'the NATO summit'

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text

    def description(self, doc: Doc) -> str:
        """The whole noun phrase with its modifiers, as written, from the length of time it
        is measured in ('16 hours of negotiations', 'three weeks of talks')."""
        return doc[self._first(doc) : max(self.end, self.full_end)].text

    def core_description(self, doc: Doc) -> str:
        """:meth:`description` without a clause on the head ('negotiations between X and Y
        that are due to begin' -> 'negotiations between X and Y')."""
        return doc[self._first(doc) : self._core_end(doc)].text

    def placed_description(self, doc: Doc) -> str | None:
        """:meth:`core_description` with the place right after it ('a UN climate conference
        in Montreal'); ``None`` when no place follows."""
        end = self._core_end(doc)
        if end >= len(doc):
            return None
        prep = doc[end]
        pobj = [x for x in prep.children if x.dep_ == "pobj"
                and x.ent_type_ in {"GPE", "LOC", "FAC"}]
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "at"} or not pobj:
            return None
        return doc[self._first(doc) : pobj[0].right_edge.i + 1].text

    def _core_end(self, doc: Doc) -> int:
        end = max(self.end, self.full_end)
        # a relative or participle clause on the head or on a noun of its phrase, never an
        # infinitive ('a plan to halt the fighting' keeps its purpose)
        clauses = [t.left_edge.i for t in doc[self.head + 1 : end]
                   if (t.dep_ == "relcl" or (t.dep_ == "acl" and t.tag_ in {"VBN", "VBG"}))
                   and self.start <= t.head.i < t.i]
        if clauses:
            end = min(clauses)
            while end > self.head + 1 and doc[end - 1].is_punct:
                end -= 1
        return end

    def _first(self, doc: Doc) -> int:
        head = doc[self.head]
        if head.dep_ == "pobj" and head.head.lower_ == "of":
            unit = head.head.head
            counts = [c.i for c in unit.children if c.dep_ == "nummod"]
            if unit.lemma_ in DURATION_UNITS and counts and unit.i < self.start:
                return min(counts)
        return self.start


@dataclass(slots=True, eq=False)
class InitiativeEntity:
    """An initiative within one article, with every mention that refers to it."""

    kind: str
    meeting: bool
    names: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    round: int | None = None
    mentions: list[InitiativeMention] = field(default_factory=list)
    part_of: InitiativeEntity | None = None
    generic_kinds: set[str] = field(default_factory=set)
    description: str | None = None  # how an unnamed initiative is first described

    @property
    def label(self) -> str:
        if self.names:
            name = max(self.names, key=lambda n: (len(n.split()) > 1, len(n)))
            if self.round is not None and self.kind not in {"round of talks", "talks"} and not (
                any(_ordinal_word(self.round) in n.lower() for n in self.names)
            ):
                return f"{_ordinal_word(self.round)} {name}"  # 'second Belt and Road Forum'
            return name
        kind = "talks" if self.kind == "round of talks" else self.kind
        where = self.places or self.topics
        if not where and self.round is None and self.description:
            return self.description
        base = f"{where[0]} {kind}" if where else kind
        if self.round is not None:
            if self.kind in {"round of talks", "talks"}:
                return f"{_ordinal_word(self.round)} round of {base}"
            return f"{_ordinal_word(self.round)} {base}"
        return base

    @property
    def key(self) -> str:
        """Canonical key shared across articles: place + type (+ round), else the name."""
        kind = "talks" if self.kind in {"round of talks", "talks"} else self.kind
        if self.round is not None:
            if self.kind not in {"round of talks", "talks"}:
                where = self.places or self.topics
                base = self.names[0] if self.names else (f"{where[0]} {kind}" if where else kind)
                return slug(base) + f"-{self.round}"  # 'belt-and-road-forum-2
            return f"{self.process_key}-round-{self.round}"
        if self.places and (self.meeting or not self.names):
            return slug(f"{self.places[0]} {kind}")
        if self.topics and not self.names:
            return slug(f"{self.topics[0]} {kind}")
        if self.names:
            return slug(self.label)
        return slug(kind)

    @property
    def process_key(self) -> str:
        """The series a round belongs to: the venue's talks, else the named process."""
        if self.places:
            return slug(f"{self.places[0]} talks")
        if self.part_of is not None:
            return self.part_of.key
        return slug(f"{self.topics[0]} talks") if self.topics else "talks"

    @property
    def named(self) -> bool:
        """Whether the key can be shared across articles: a bare 'first forum' cannot."""
        if self.round is not None and self.kind not in {"round of talks", "talks"}:
            return bool(self.names or self.places or self.topics)
        return bool(self.names or self.places or self.topics or self.round is not None)

    def aliases(self, doc: Doc) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.text(doc), None)
            seen.setdefault(m.description(doc), None)
            seen.setdefault(m.core_description(doc), None)
            placed = m.placed_description(doc) if m.meeting else None
            if placed is not None:
                seen.setdefault(placed, None)
        for n in self.names:
            seen.setdefault(n, None)
        for p in self.places:
            seen.setdefault(f"{p} {self.kind}", None)
        if self.meeting and self.names and self.places and self.places[0] not in self.label:
            seen.setdefault(f"{self.label} in {self.places[0]}", None)
        seen.pop(self.label, None)
        return tuple(seen)


def _format_name(tok: Token, form: str) -> str | None:
    """'the first summit in the so-called Normandy format' -> 'Normandy format summit': a
    meeting of a named diplomatic format takes the format's name."""
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "of", "under"}:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.lemma_ == "format":
                words = [x.text for x in pobj.lefts if x.dep_ == "compound" and x.pos_ == "PROPN"]
                if words:
                    return f"{' '.join(words)} format {form}"
    return None


def _body_name(
    tok: Token, bodies: dict[int, tuple[str, str]]
) -> tuple[str | None, str | None]:
    """'the Asia-Pacific Economic Cooperation summit' -> ('APEC summit', 'APEC'), 'a UN
    climate conference' -> ('UN climate conference', 'UN'): a meeting an organisation holds
    is named by it; (None, None) when no organisation modifies it."""
    mods = [c for c in tok.lefts if c.dep_ in {"compound", "nmod", "amod"}]
    keys = {bodies[c.i][0] for c in mods if c.i in bodies}
    if len(keys) != 1:
        return None, None
    words: list[str] = []
    for i in range(mods[0].left_edge.i, tok.i + 1):
        if i in bodies:
            if not words or words[-1] != bodies[i][1]:
                words.append(bodies[i][1])
        elif not tok.doc[i].is_punct:
            words.append(tok.doc[i].text)
    return " ".join(words), keys.pop()


def _ordinal_word(n: int) -> str:
    for w, v in ORDINALS.items():
        if v == n:
            return w
    return f"{n}th"


def _ordinal(tok: Token) -> int | None:
    low = tok.lower_
    if low in ORDINALS:
        return ORDINALS[low]
    if not low[:1].isdigit():  # cheap pre-check: isdigit() accepts every \d and more
        return None
    m = _ORD_RE.match(low)
    return int(m.group(1)) if m else None


def _kind_of(tok: Token, lex: Lexicon) -> tuple[str, dict] | None:
    for form in (tok.lower_, tok.lemma_.lower()):
        if form in lex.initiative_kinds:
            return form, lex.initiative_kinds[form]
    return None


def find_initiatives(
    doc: Doc, lex: Lexicon, places: dict[int, str], states: frozenset[int] = frozenset(),
    bodies: dict[int, tuple[str, str]] | None = None, *, ents: tuple[Span, ...] | None = None,
) -> list[InitiativeMention]:
    """Initiative mentions in document order, clustered into entities.

    Args:
        doc: the parsed article.
        lex: the shipped lexicon.
        places: token index -> place name for tokens that name a place (from the actor pass).
        states: token indices naming a state: a topic ('Syria peace talks'), not a venue.
        bodies: token index -> key and short name of the international organisation it
            names: 'the Asia-Pacific Economic Cooperation summit' is the APEC summit.
        ents: ``doc.ents``, when the caller has read them already.
    """
    ent_at = {i: e for e in (doc.ents if ents is None else ents) for i in range(e.start, e.end)}
    mentions: list[InitiativeMention] = []
    for i in with_pos(doc, _CANDIDATE_POS):
        tok = doc[i]
        if tok.pos_ == "VERB":
            if tok.lemma_ in MEETING_VERBS:
                m = _verbal_meeting(doc, tok, ent_at, places)
                if m is not None:
                    mentions.append(m)
            continue
        hit = _kind_of(tok, lex)
        if hit is None:
            # 'the event', 'the gathering': anaphors that only ever point back
            if tok.lemma_.lower() in lex.generic_anaphors and any(
                c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.children
            ):
                lemma = tok.lemma_.lower()
                compat = lex.generic_compat.get(lemma, ())
                mentions.append(InitiativeMention(
                    head=tok.i, start=tok.i - 1, end=tok.i + 1, kind=lemma,
                    meeting="meeting" in compat, definite=True, anaphor=True,
                ))
            continue
        form, info = hit
        ent = ent_at.get(tok.i)
        if ent is not None and ent.label_ in {"ORG", "NORP"} and ent.root.i != tok.i and (
                _kind_of(ent.root, lex) is None):
            continue  # 'the Syrian Negotiation Commission': part of an organisation's name
        if (tok.dep_ == "compound" and tok.head.pos_ in {"NOUN", "PROPN"}
                and _kind_of(tok.head, lex)):
            continue  # 'peace deal talks': the head decides
        if tok.dep_ in {"compound", "amod"} and tok.head.pos_ == "NOUN":
            continue  # 'congress banners', 'summit venue'
        if any(c.dep_ in {"compound", "amod"} and c.lower_ in NOT_DIPLOMATIC for c in tok.children):
            continue  # 'a news conference', 'a press conference', 'a donor conference call'
        if form in {"call", "visit", "offer", "bid", "pledge", "round", "session", "understanding",
                    "settlement", "statement"}:
            if not _strict_ok(tok, form):
                continue
        if (tok.pos_ == "PROPN" and form in {"congress"} and tok.i + 1 < len(doc)
                and doc[tok.i + 1].lower_ != "of"):
            # 'Congress' alone as a proper noun is the US legislature
            if (not any(c.dep_ in {"compound", "amod"} for c in tok.children)
                    and tok.text == "Congress"):
                continue
        m = _mention(doc, tok, form, info, ent_at, places, lex, states)
        if m.name is None and m.kind in BODY_KINDS and bodies:
            m.name, m.body = _body_name(tok, bodies)
        if form == "session" and m.name is None and any(
                c.dep_ == "amod" and c.lower_ in PART_SESSIONS for c in tok.children):
            # 'a final session that ran through the night', 'the closing session': a part
            # of the meeting the article is about, never a meeting of its own
            m.anaphor = m.definite = True
        mentions.append(m)
    # 'Congress of National Dialogue' is one mention, not also 'Dialogue'; but the talks in
    # 'the eighth round of Astana talks' are the process the round belongs to
    inner = {
        o.head
        for m in mentions
        if m.kind != "round of talks"
        for o in mentions
        if o is not m and m.start <= o.head < m.end
    }
    mentions = [m for m in mentions if m.head not in inner]
    _cluster(doc, mentions, lex)
    return mentions


#: Verbs that report a meeting of their subject with someone ('Putin and Erdogan met in
#: Sochi', 'Their foreign ministers are to meet', 'Biden will visit Turkey').
MEETING_VERBS = {"meet": "meeting", "visit": "visit"}
#: Verbs of going somewhere to meet ('travel to Havana to meet the rebel leadership').
TRAVEL_VERBS = frozenset("travel fly go head come arrive return".split())
_NOT_MET = frozenset(
    "demand demands target targets deadline criterion criteria need needs expectation "
    "expectations standard standards condition conditions obligation obligations requirement "
    "requirements goal goals threshold cost costs press media reporter reporters".split()
)
_PARTY_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
LEADER_WORDS = frozenset("leader president premier chancellor king emir monarch".split())
_PARTY_NOUNS = frozenset(
    "leader leaders minister ministers president presidents delegation delegations official "
    "officials envoy envoys negotiator negotiators counterpart counterparts representative "
    "representatives head heads diplomat diplomats side sides chancellor premier king "
    "leadership leaderships government governments".split()
)


def _party(tok: Token) -> bool:
    """A token that can stand for a party to a meeting."""
    return tok.ent_type_ in _PARTY_ENTS or tok.lemma_.lower() in _PARTY_NOUNS or (
        tok.pos_ == "PRON" and tok.lower_ in {"they", "we", "he", "she"}
    )


def _verbal_meeting(doc: Doc, tok: Token, ent_at, places) -> InitiativeMention | None:
    """A meeting reported by a verb: its subject meets someone, or visits a place."""
    subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subj:  # 'agreed to meet', 'are to meet': the controller's subject
        head = tok.head if tok.dep_ in {"xcomp", "ccomp", "advcl", "conj"} else None
        subj = [c for c in head.children if c.dep_ == "nsubj"] if head is not None else []
    if not subj or not any(_party(s) for s in subj):
        return None
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if any(o.lemma_.lower() in _NOT_MET or not _party(o) for o in objs):
        return None
    kind = MEETING_VERBS[tok.lemma_]
    if kind == "visit" and not objs:
        return None
    if kind == "meeting" and any(
        x.lemma_.lower() in LEADER_WORDS for s in subj for x in s.subtree
    ):
        kind = "summit"  # a meeting of leaders is a summit
    plural = any(s.tag_ in {"NNS", "NNPS"} or s.conjuncts or s.lower_ in {"they", "we"}
                 for s in subj)
    withs = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"]
    if kind == "meeting" and not (objs or withs or plural):
        return None
    plist: list[str] = []
    # 'would travel to Havana on Monday to meet the rebel leadership': where they go
    trip = [tok.head] if tok.dep_ in {"advcl", "xcomp"} and tok.head.lemma_ in TRAVEL_VERBS else []
    for v in [tok, *trip]:
        for c in v.children:
            if c.dep_ == "prep" and (c.lower_ in {"in", "at"} or (c.lower_ == "to" and v in trip)):
                venue = venue_of(c, places)
                if venue is not None and venue not in plist:
                    plist.append(venue)
    if kind == "visit":
        plist += [places[o.i] for o in objs if o.i in places and places[o.i] not in plist]
    start = min(x.i for s in subj for x in s.subtree)
    if trip:
        start = trip[0].i  # 'travel to Havana on Monday to meet the rebel leadership'
    end = max([tok.i] + [x.i for o in objs for x in o.subtree]) + 1
    if tok.dep_ == "advcl" and any(
            c.dep_ == "mark" or c.tag_ == "WRB" for c in tok.lefts) and (
            tok.right_edge.i - tok.left_edge.i < MAX_DESCRIPTION):
        # 'when Vladimir Putin visits Turkey next month': a subordinate clause names the
        # meeting whole, with its time
        start, end = tok.left_edge.i, tok.right_edge.i + 1
    return InitiativeMention(
        head=tok.i, start=start, end=end, kind=kind, meeting=True, places=tuple(plist),
        full_end=end,
    )


def _first_in_years(tok: Token) -> bool:
    """'the first summit in more than three years', '… since 2016': a gap, not a series."""
    for c in tok.children:
        if c.dep_ == "prep" and (c.lower_ == "since" or (c.lower_ == "in" and any(
                x.lemma_ in {"year", "decade", "month"} for x in c.subtree))):
            return True
    # 'the first round since Iran's new government took office': however the clause hangs
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ == "since"


def _strict_ok(tok: Token, form: str) -> bool:
    kids = {c.lower_ for c in tok.children}
    if form == "call":
        return bool(kids & {"phone", "telephone", "video"}) or any(
            c.lower_ in {"phone", "telephone"} for c in tok.lefts
        )
    if form == "round":
        return any(_ordinal(c) for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ == "of" for c in tok.children
        ) or bool(kids & {"new", "next", "latest", "last", "previous", "another", "final",
                          "further", "fresh"}) or any(
            c.dep_ == "prep" and c.lower_ == "between" for c in tok.children)
    if form in {"offer", "bid", "pledge"}:
        return tok.dep_ in {"dobj", "nsubjpass", "pobj", "nsubj"} and any(
            c.dep_ in {"poss", "det", "amod", "acl", "prep"} for c in tok.children
        )
    if form in {"understanding", "settlement"}:
        return (any(c.dep_ in {"amod", "compound"} for c in tok.children)
                and tok.lower_ != "understanding")
    if form == "statement":
        # a statement is a document of its own only when someone signs, adopts or judges it
        # ('signed a joint statement', 'welcomed the statement'); otherwise it is how
        # something was said ('in a joint statement, the leaders said')
        return tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lemma_ in STATEMENT_VERBS
    if form == "session":
        return True
    return True


STATEMENT_VERBS = frozenset(
    "sign initial adopt endorse welcome reject approve back ratify hail denounce condemn "
    "accept dismiss praise criticise criticize".split()
)


def _mention(doc, tok, form, info, ent_at, places, lex, states) -> InitiativeMention:
    kind = info["type"]
    left = [t for t in tok.lefts if t.dep_ in {"det", "amod", "compound", "nmod", "nummod", "poss",
                                               "punct", "npadvmod", "quantmod"}]
    start = tok.i
    for t in left:
        start = min(start, min(x.i for x in t.subtree))
    end = tok.i + 1
    # 'Congress of National Dialogue', 'round of talks', 'agreement on X' (proper 'of' names only)
    of_head = None
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = [x for x in c.children if x.dep_ == "pobj"]
            if pobj:
                if form == "round":
                    of_head = pobj[0].i
                    end = max(x.i for x in pobj[0].subtree) + 1
                elif pobj[0].pos_ == "PROPN" and tok.text[:1].isupper():
                    end = max(x.i for x in pobj[0].subtree) + 1
    while start < tok.i and doc[start].is_punct:
        start += 1
    name = None
    ent = ent_at.get(tok.i)
    first = start
    while first < tok.i and doc[first].lower_ in {"the", "a", "an", "this", "that"}:
        first += 1
    if ent is not None and ent.label_ in NAME_LABELS | PLACE_LABELS and ent.root.i == tok.i and (
            len(ent) > 1):
        name = _clean_name(ent)  # 'the Black Sea Grain Initiative', even when tagged a place
    elif tok.text[:1].isupper() and tok.i > 0 and not doc[tok.i - 1].is_sent_start and (
            doc[first].text[:1].isupper()):
        # 'the Geneva Conference', 'Congress of National Dialogue'
        name = _clean_name(doc[start:end])
    if name is None and doc[start - 1 : start].text in {'"', "“"} if start > 0 else False:
        name = _clean_name(doc[start:end])
    plist: list[str] = []
    topics: list[str] = []
    rnd = None
    for t in doc[start:end]:
        if t.i in places and places.get(tok.i) == places[t.i]:
            continue  # 'the Black Sea Grain Initiative' tagged as a place: its name, not a venue
        if t.i in places and t.i != tok.i and (of_head is None or t.i < tok.i or form == "round"):
            where = topics if t.i in states else plist
            if places[t.i] not in where:
                where.append(places[t.i])
        r = _ordinal(t)
        if r is not None and t.i < tok.i and info["meeting"] and not _first_in_years(tok):
            rnd = r  # 'the eighth round', 'the second summit'; not 'the first agreement'
    anchors = [tok]
    venue_verbs = VENUE_VERBS if info["meeting"] else SIGNING_VERBS
    if tok.dep_ in {"nsubjpass", "nsubj", "dobj"} and tok.head.lemma_ in venue_verbs:
        anchors.append(tok.head)  # 'the round was held in Astana', 'signed a deal in Doha'
    anchors += [c for c in tok.children if c.dep_ in {"relcl", "acl"} and c.lemma_ in venue_verbs]
    for a in anchors:
        for c in a.children:
            if c.dep_ == "prep" and c.lower_ in {"in", "at"}:
                venue = venue_of(c, places)
                if venue is None and not info["meeting"] and a is not tok:
                    # 'signed at Panmunjom': a proper name the tagger missed names the place
                    venue = next((x.text for x in c.children if x.dep_ == "pobj"
                                  and x.pos_ == "PROPN" and not x.ent_type_
                                  and not any(k.dep_ in {"compound", "det"} for k in x.children)),
                                 None)
                if venue is not None and venue not in plist and venue not in topics:
                    plist.append(venue)
    definite = any(
        t.lower_ in {"the", "this", "that", "these", "those"} for t in doc[start : tok.i]
    )
    if name and name.lower() in {kind, form, f"the {form}"}:
        name = None
    if name is None and info["meeting"]:
        name = _format_name(tok, form)
    return InitiativeMention(
        head=tok.i, start=start, end=end, kind=kind if form not in {"round"} else "round of talks",
        meeting=bool(info["meeting"]), name=name, places=tuple(plist), round=rnd,
        definite=definite, of_head=of_head, topics=tuple(topics), full_end=description_end(tok),
    )


#: Prepositions that introduce what an initiative is about or who it binds ('a declaration
#: of principles', 'an agreement on trade', 'a deal between X and Y'), not where or when.
_CONTENT_PREPS = frozenset("of on for to between with against over among toward towards".split())
_CIRCUMSTANCE_ENTS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
#: Prepositions whose places are parties ('talks between Russia and Ukraine').
_PARTY_PREPS = frozenset({"between", "with", "among", "against"})
MAX_DESCRIPTION = 30


def description_end(tok: Token) -> int:
    """End (exclusive) of the noun phrase ``tok`` heads, with its first restrictive modifier.

    'a plan to halt the fighting in eastern Ukraine', 'a declaration of principles on
    self-rule', 'agreements establishing full relations': one content preposition, participle,
    infinitive or relative clause. Stops at a comma, a coordinated phrase, an apposition and
    at places and dates ('signed a declaration … on the White House lawn'); gives up past
    :data:`MAX_DESCRIPTION` tokens.
    """
    doc = tok.doc
    end = tok.i + 1
    nxt = doc[end] if end < len(doc) else None
    modifier = None
    if nxt is not None and nxt.lower_ == "to" and nxt.head.pos_ in {"VERB", "AUX"} and (
        nxt.head.dep_ in {"acl", "advcl", "xcomp", "relcl"} and nxt.head.i > tok.i
    ):
        modifier = nxt.head  # 'backed a plan to halt …' parsed as the verb's purpose clause
    else:
        right = [c for c in tok.rights if not c.is_punct]
        if right and right[0].i == end:
            c = right[0]
            if c.dep_ in {"acl", "relcl"} or (
                c.dep_ == "prep" and c.lower_ in _CONTENT_PREPS and (
                    c.lower_ in _PARTY_PREPS or not any(
                        x.ent_type_ in _CIRCUMSTANCE_ENTS for x in c.children
                        if x.dep_ == "pobj"))
            ):
                modifier = c
    if modifier is None:
        return end
    last = max(x.i for x in modifier.subtree)
    for t in doc[end : last + 1]:
        if t.is_punct and t.text not in {"-", "'"}:
            named = [a for a in doc[t.i - 1].children if a.dep_ == "appos" and a.ent_type_ in {
                "PERSON", "ORG"}] if t.text == "," else []
            if named:
                # 'a meeting with his Russian counterpart, Sergei Lavrov'
                last = max(x.i for x in named[0].subtree)
            else:
                last = t.i - 1
            break
        if t.dep_ == "prep" and (any(
            x.dep_ == "pobj" and x.ent_type_ in {"FAC", "TIME"} for x in t.children
        ) or (t.i > end + 1 and t.lower_ in {"on", "at"} and any(
            x.ent_type_ in {"FAC", "ORG", "DATE", "TIME"}
            for p in t.children if p.dep_ == "pobj" for x in p.subtree if x.i <= p.i
        ))):
            last = t.i - 1  # 'on the White House lawn', 'on Monday': circumstances
            break
    if last + 1 - tok.i > MAX_DESCRIPTION:
        return end
    return last + 1


VENUE_VERBS = frozenset("hold convene open take stage host begin start end resume conclude".split())
#: Where a document was signed names it ('the Doha agreement', 'the Panmunjom declaration').
SIGNING_VERBS = frozenset("sign initial conclude reach strike seal adopt".split())
_VENUE_PATH = {"poss", "compound", "prep", "pobj", "appos", "amod"}


def venue_of(prep: Token, places: dict[int, str]) -> str | None:
    """The place a locative preposition names: 'in Kazakhstan's capital of Astana' -> Astana.

    Only the object's own noun phrase is searched (possessives, compounds, 'of' phrases,
    appositions), never a clause or another preposition hanging off it.
    """
    found = None
    stack = [x for x in prep.children if x.dep_ == "pobj"]
    while stack:
        t = stack.pop()
        if t.i in places:
            found = t if found is None or t.i > found.i else found
        for c in t.children:
            if c.dep_ in _VENUE_PATH and not (c.dep_ == "prep" and c.lower_ != "of"):
                stack.append(c)
    return places[found.i] if found is not None else None


def _clean_name(span: Span) -> str | None:
    toks = list(span)
    while toks and (toks[0].lower_ in {"the", "a", "an"} or toks[0].is_punct or toks[0].like_num
                    or _ordinal(toks[0]) is not None):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    text = span.doc[toks[0].i : toks[-1].i + 1].text
    text = text.replace('"', "").replace("“", "").replace("”", "").strip()
    caps = [t for t in toks if t.text[:1].isupper()]
    if len(toks) == 1 or not caps:
        return None
    return text


def _compatible(generic: str, ent: InitiativeEntity, lex: Lexicon) -> bool:
    if generic == ent.kind or generic in ent.generic_kinds:
        return True
    allowed = lex.generic_compat.get(generic)
    if allowed is None:
        return False
    if "any" in allowed:
        return True
    if "meeting" in allowed and ent.meeting:
        return True
    return ent.kind in allowed


def _cluster(doc: Doc, mentions: list[InitiativeMention], lex: Lexicon) -> None:
    entities: list[InitiativeEntity] = []
    by_head = {m.head: m for m in mentions}

    def new(m: InitiativeMention) -> InitiativeEntity:
        e = InitiativeEntity(kind=m.kind, meeting=m.meeting, round=m.round)
        entities.append(e)
        return e

    def attach(m: InitiativeMention, e: InitiativeEntity) -> None:
        m.entity = e
        e.mentions.append(m)
        if (e.description is None and not m.anaphor and m.full_end > m.head + 1
                and doc[m.head].pos_ != "VERB"):  # a clause reporting a meeting names none
            words = (m.core_description(doc) if m.meeting else m.description(doc)).split()
            if words[0].lower() in {"a", "an", "the", "this", "that"}:
                words = words[1:]
            e.description = " ".join(words)
        if m.name and m.name not in e.names:
            e.names.append(m.name)
        for p in m.places:
            if p not in e.places:
                e.places.append(p)
        for p in m.topics:
            if p not in e.topics:
                e.topics.append(p)
        if m.round is not None and e.round is None:
            e.round = m.round
        if m.kind != e.kind:
            e.generic_kinds.add(m.kind)
        # a specific meeting kind beats a generic one ('the initiative' then 'the congress')
        if e.kind in {"initiative", "proposal", "plan"} and m.meeting and not m.anaphor:
            e.kind, e.meeting = m.kind, True
        # 'negotiations at Camp David' later called 'the summit': a summit
        elif e.kind in {"talks", "meeting"} and m.kind in FORMAT_KINDS and e.round is None:
            e.kind = m.kind

    for m in mentions:
        if m.entity is not None:  # bound earlier through 'initiative for holding X'
            attach(m, m.entity)
            continue
        target = None
        # 'a Russian initiative for holding a congress': the initiative IS the congress
        head = doc[m.head]
        # 'the Black Sea Grain Initiative, the year-old arrangement': an apposition is the same
        if head.dep_ == "appos" and head.head.i in by_head and by_head[head.head.i].entity:
            target = by_head[head.head.i].entity
        if target is None and head.dep_ == "npadvmod" and m.meeting and not m.name:
            # 'Negotiations resumed in Vienna on Monday, the first round since …': a noun
            # phrase set beside the clause describes its subject
            subj = [by_head[c.i] for c in head.head.children
                    if c.dep_ in {"nsubj", "nsubjpass"} and c.i in by_head]
            if subj and subj[0].entity is not None and subj[0].entity.meeting:
                target = subj[0].entity
        if target is None and head.lemma_ in lex.attempt_nouns:
            inner = _inner_initiative(head, by_head)
            if inner is not None and inner.entity is not None:
                target = inner.entity
        if target is None and m.name:
            target = next((e for e in entities if m.name in e.names), None)
        if target is None and m.round is not None:
            target = next(
                (e for e in reversed(entities) if e.round == m.round and _places_agree(m, e)), None
            )
        if target is None and m.kind == "round of talks" and m.round is None and m.definite:
            # 'the new round of Astana talks', 'the latest round': the last round mentioned
            target = next(
                (e for e in reversed(entities) if e.round is not None and _places_agree(m, e)), None
            )
        if target is None and m.places and m.round is None:
            # 'the two-day meeting in Astana' after 'the eighth round of talks in Astana':
            # a definite meeting there is that round rather than the series of talks
            found = [
                e for e in reversed(entities)
                if (e.round is None or (m.definite and e.meeting and m.meeting))
                and set(m.places) & set(e.places)
                and (_compatible(m.kind, e, lex) or m.kind in ATTEMPT_KINDS)
                and not (m.name and e.names)
            ]
            rounds = [e for e in found if e.round is not None]
            target = (rounds or found or [None])[0]
            if target is None and m.definite and m.meeting and not m.name:
                # 'a regional summit' … 'the meeting in Jakarta'; 'the summit in Paris' …
                # 'the talks at the Elysee Palace': a building is somewhere in its city
                inside = all(_is_building(doc, m, p) for p in m.places)
                target = next(
                    (e for e in reversed(entities)
                     if e.meeting and _compatible(m.kind, e, lex)
                     and (inside if e.places else not e.names)),
                    None,
                )
        if target is None and not m.name and not m.places and m.round is None and m.definite:
            # 'the congress', 'the event', 'the new round': the nearest entity of the same
            # kind, else the nearest compatible one ('the deal' for 'a new plan')
            candidates = [
                e for e in reversed(entities)
                if not (m.kind == "round of talks" and e.round is None)
            ]
            lemma = doc[m.head].lemma_
            compatible = [
                e for e in candidates
                if _compatible(m.kind, e, lex)
                or (lemma in lex.generic_compat and _compatible(lemma, e, lex))
            ]
            # a looser description ('the gathering', 'the closing session') goes to the
            # most salient compatible entity: the most mentioned, then the latest
            same = [e for e in candidates if e.kind == m.kind]
            # 'the deal': an entity already called a deal, else the most mentioned of the
            # same kind, else the most salient compatible one; recency breaks ties
            target = max(same, key=lambda e: (
                any(doc[x.head].lemma_ == lemma for x in e.mentions), len(e.mentions),
                e.mentions[-1].head), default=None) or max(
                compatible, default=None,
                key=lambda e: (len(e.mentions), _prominent(doc, e), e.mentions[-1].head),
            )
        if target is None:
            if m.anaphor:
                continue
            target = new(m)
        attach(m, target)
        # 'will meet in Paris for the first summit': the verb reports that summit
        if head.pos_ == "VERB" and target.mentions == [m]:
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in {"for", "at"}:
                    for x in c.children:
                        inner = by_head.get(x.i)
                        if inner is not None and inner.meeting and inner.entity is None:
                            inner.entity = target
        # 'a Russian initiative for holding a congress' seen first: bind the congress later
        if head.lemma_ in lex.attempt_nouns and target.mentions == [m]:
            inner = _inner_initiative(head, by_head)
            if inner is not None:
                inner.entity = target
    _merge_unnamed(doc, entities, mentions)
    _merge_held_at(doc, entities, by_head)
    _name_series(entities)
    for m in mentions:
        if m.of_head is not None and m.entity is not None:
            inner = by_head.get(m.of_head)
            if inner is not None and inner.entity is not None and inner.entity is not m.entity:
                m.entity.part_of = inner.entity
                for p in inner.entity.places:
                    if p not in m.entity.places:
                        m.entity.places.append(p)


def _prominent(doc: Doc, e: InitiativeEntity) -> bool:
    """Whether an entity was named outside a modifier clause ('the group that represents the
    opposition at United Nations talks' mentions the talks only in passing)."""
    return any(not any(a.dep_ in {"relcl", "acl"} for a in doc[m.head].ancestors)
               for m in e.mentions)


def _name_series(entities: list[InitiativeEntity]) -> None:
    """'the first forum' in an article about 'the second Belt and Road Forum': the first of
    that series."""
    for e in entities:
        if e.round is None or e.names or e.places or e.kind in {"round of talks", "talks"}:
            continue
        series = {n for o in entities if o is not e and o.kind == e.kind and o.round is not None
                  for n in o.names}
        if len(series) == 1:
            e.names.append(f"{_ordinal_word(e.round)} {series.pop()}")


#: Sessions that are a part of a meeting ('the closing session').
PART_SESSIONS = frozenset(
    "final closing opening last first plenary concluding inaugural morning evening".split())
#: Units a meeting's length is given in ('after 16 hours of negotiations').
DURATION_UNITS = frozenset("hour day week month year".split())
#: Modifiers that make a meeting word something else ('a news conference').
NOT_DIPLOMATIC = frozenset({"news", "press", "media", "party", "academic", "business"})
#: Meeting kinds an organisation holds under its own name ('the NATO summit'); talks
#: under a body's auspices ('UN talks') are mediated by it, not its own meeting.
BODY_KINDS = frozenset({"summit", "conference", "congress", "forum", "session", "meeting"})
#: Meeting kinds that say more about the format than talks or a meeting.
FORMAT_KINDS = frozenset({"summit", "conference", "congress", "forum"})
#: Kinds that may name a meeting when they share its place ('the Sochi initiative').
ATTEMPT_KINDS = frozenset({"initiative", "proposal", "plan"})
DISTINCT_WORDS = frozenset(
    {"separate", "another", "different", "other", "new", "second", "rival", "own", "later",
     "future", "further"})


def _merge_unnamed(
    doc: Doc, entities: list[InitiativeEntity], mentions: list[InitiativeMention]
) -> None:
    """'a congress' … 'a Congress of National Dialogue in Sochi': one entity when the
    article names exactly one initiative of that kind."""
    for e in list(entities):
        if e.names or e.places or e.round is not None:
            continue
        if _distinct(doc, e):
            continue  # 'a separate memorandum', 'another agreement': not the named one
        named = [o for o in entities
                 if o is not e and o.kind == e.kind and (o.names or o.places) and o.round is None
                 and not _distinct(doc, o)]
        if len(named) != 1:
            continue
        target = named[0]
        for m in mentions:
            if m.entity is e:
                m.entity = target
                target.mentions.append(m)
        target.mentions.sort(key=lambda m: m.head)
        target.topics.extend(t for t in e.topics if t not in target.topics)
        entities.remove(e)


def _merge_held_at(
    doc: Doc, entities: list[InitiativeEntity], by_head: dict[int, InitiativeMention]
) -> None:
    """'Negotiations on what should follow are due to begin at a UN climate conference':
    unnamed talks said to take place at a meeting are that meeting's business."""
    for e in list(entities):
        if not e.meeting or e.names or e.places or e.round is not None or len(e.mentions) != 1:
            continue
        head = doc[e.mentions[0].head]
        if head.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        verbs = [head.head]
        verbs += [c for v in list(verbs) for c in v.children if c.dep_ in {"xcomp", "acomp"}]
        verbs += [c for v in list(verbs[1:]) for c in v.children if c.dep_ == "xcomp"]
        venue = next((by_head[x.i].entity for v in verbs for p in v.children
                      if p.dep_ == "prep" and p.lower_ in {"at", "during"}
                      for x in p.children if x.dep_ == "pobj" and x.i in by_head
                      and by_head[x.i].meeting and by_head[x.i].entity not in (None, e)), None)
        if venue is None:
            continue
        for m in e.mentions:
            m.entity = venue
            venue.mentions.append(m)
        venue.mentions.sort(key=lambda m: m.head)
        entities.remove(e)


def _is_building(doc: Doc, m: InitiativeMention, place: str) -> bool:
    """Whether ``place``, as named in the sentence of ``m``, is a building or site."""
    return any(ent.label_ == "FAC" and place in ent.text for ent in doc[m.head].sent.ents)


def _distinct(doc: Doc, e: InitiativeEntity) -> bool:
    """Whether an entity is set apart from others of its kind: 'a separate memorandum',
    'its own negotiations', 'later negotiations'."""
    return any(c.dep_ in {"amod", "det"} and c.lower_ in DISTINCT_WORDS
               for m in e.mentions for c in doc[m.head].lefts)


def _places_agree(m: InitiativeMention, e: InitiativeEntity) -> bool:
    if m.places and e.places:
        return bool(set(m.places) & set(e.places))
    if m.places or e.places:
        # one side has a venue, the other only a topic: the same series only if topics agree
        return not (m.topics and e.topics) or bool(set(m.topics) & set(e.topics))
    return not m.topics or not e.topics or bool(set(m.topics) & set(e.topics))


def _inner_initiative(
    head: Token, by_head: dict[int, InitiativeMention]
) -> InitiativeMention | None:
    """'initiative for holding a congress' / 'plan to hold talks' -> the congress / the talks."""
    for c in head.children:
        if c.dep_ in {"prep", "acl"}:
            for t in c.subtree:
                if t.i != head.i and t.i in by_head and by_head[t.i].meeting:
                    return by_head[t.i]
    return None
