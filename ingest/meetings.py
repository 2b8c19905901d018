"""Meeting rules: type, participants, hosts, mediators, place, dates, round and status."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from diplograph.ingest._tokens import pos_ids, with_pos
from diplograph.ingest.context import ArticleContext
from diplograph.ingest.dates import DateValue, find_dates
from diplograph.ingest.initiatives import (
    TRAVEL_VERBS,
    VENUE_VERBS,
    InitiativeEntity,
    venue_of,
)

__all__ = ["MeetingFacts", "find_meetings"]

HELD_VERBS = frozenset(
    "hold end conclude open begin start meet convene take resume wrap close finish focus "
    "result produce yield attend gather culminate kick break adjourn fail".split()
)
PLANNED_WORDS = frozenset(
    "schedule plan expect due set propose agree announce invite prepare slate intend hope "
    "aim offer".split()
)
POSTPONED = frozenset("postpone delay defer reschedule".split())
CANCELLED = frozenset("cancel scrap abandon drop".split())
MEDIATOR_WORDS = frozenset("mediate broker facilitate sponsor back support chair".split())
HOST_WORDS = frozenset("host organise organize convene co-sponsor cosponsor".split())
#: Verbs whose agents take part: 'attended by', 'negotiations to be led by Pompeo'.
LED_WORDS = frozenset("attend join lead head".split())


@dataclass(slots=True)
class MeetingFacts:
    """What the article says about one meeting entity."""

    entity: InitiativeEntity
    participants: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    location: str | None = None
    date: DateValue | None = None
    status: str | None = None
    status_rule: str = ""
    sentences: list[Span] = field(default_factory=list)
    venues: list[tuple[int, str]] = field(default_factory=list)  # (specificity rank, name)
    closing: bool = False  # the date is the day it ended ('the round ended on Friday')


def _add(lst: list[str], keys) -> None:
    for k in keys:
        if k not in lst:
            lst.append(k)


def _clause_verb(tok: Token) -> Token | None:
    """The verb a noun phrase hangs on ('talks were held' -> held)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _tense_status(head: Token) -> tuple[str | None, str]:
    """Status from the clause a meeting mention is an argument of (or that reports it:
    'the leaders will meet'); 'a possible summit' or 'an upcoming meeting' was not held."""
    status, rule = _clause_status(head)
    if status in {None, "held"} and any(
            c.dep_ == "amod" and c.lower_ in PROSPECTIVE for c in head.children):
        return "planned", "modifier:prospective"
    return status, rule


#: Modifiers of a meeting that has not happened ('a possible summit').
PROSPECTIVE = frozenset("possible proposed planned potential prospective upcoming future "
                        "forthcoming mooted".split())
#: Phrases that take a meeting off the agenda ('was off the table').
OFF_AGENDA = frozenset({"table", "agenda", "cards"})


def _verb_lemma(tok: Token) -> str:
    """The lemma, mended where the rule lemmatizer cut an 'e' off ('hoped' -> 'hop')."""
    lemma = tok.lemma_.lower()
    if tok.lower_ == f"{lemma}ed" and f"{lemma}e" in PLANNED_WORDS | HELD_VERBS | CANCELLED:
        return f"{lemma}e"
    return lemma


def _clause_status(head: Token) -> tuple[str | None, str]:
    relcl = [c for c in head.children if c.dep_ == "relcl" and c.tag_ in {"VBZ", "VBP"}]
    if head.pos_ == "VERB":
        verb = head
    elif relcl and relcl[0].lemma_ in SCHEDULED:
        return "planned", "tense:scheduled-present"  # 'the forum, which opens on Thursday'
    elif head.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj"}:
        return None, ""
    else:
        verb = head.head
    if head.dep_ == "pobj" and head.pos_ != "VERB":
        if verb.head.pos_ not in {"VERB", "AUX"}:
            return None, ""
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None, ""
    lemma = _verb_lemma(verb)
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    governors = []
    cur = verb
    while (cur.dep_ in {"xcomp", "ccomp", "conj"} or cur.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
           ) and cur.head.i != cur.i and len(governors) < 3:
        cur = cur.head
        governors.append(cur)
    gl = {_verb_lemma(g) for g in governors}
    if any(c.dep_ == "prep" and c.lower_ == "off" and any(
            x.dep_ == "pobj" and x.lower_ in OFF_AGENDA for x in c.children)
           for c in verb.children):
        return "cancelled", "idiom:off-the-table"  # 'the summit was off the table'
    if lemma in CANCELLED or (
        lemma == "call" and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)
    ):
        return "cancelled", "verb:cancel"
    if lemma in POSTPONED:
        return "postponed", "verb:postpone"
    if any(c.dep_ == "acomp" and c.lemma_ in DUE_WORDS for g in (verb, *governors)
           for c in g.children):
        return "planned", "governor:due"  # 'talks are due to begin on Friday'
    if aux & {"will", "'ll", "shall", "would"} or "to" in aux and gl & (PLANNED_WORDS | {"be"}):
        return "planned", "tense:future"
    if "to" in aux and verb.dep_ in {"ROOT", "acl", "relcl"}:
        return "planned", "tense:infinitive"  # 'negotiations, to be led by Pompeo'
    if verb.dep_ in {"advcl", "xcomp"} and any(
            c.dep_ == "aux" and c.lower_ in {"will", "would", "shall"}
            for g in governors for c in g.children):
        return "planned", "governor:future"  # 'would travel to Havana to meet the rebels'
    if lemma in PLANNED_WORDS and head.dep_ in {"nsubjpass", "dobj"}:
        return "planned", "verb:plan"
    if gl & PLANNED_WORDS:
        return "planned", "governor:plan"
    if verb.tag_ == "VBD" or (
        verb.tag_ == "VBN" and aux & {"was", "were", "had", "has", "have", "been"}
    ):
        return "held", "tense:past"
    if verb.tag_ in {"VBZ", "VBP"} and aux & {"has", "have"}:
        return "held", "tense:perfect"
    if verb.tag_ in {"VBZ", "VBP"} and lemma in SCHEDULED and head.dep_ == "nsubj":
        return "planned", "tense:scheduled-present"  # 'the forum opens on Thursday'
    return None, ""


def _actors_in(ctx: ArticleContext, tok: Token) -> list[str]:
    keys: list[str] = []
    for t in [tok, *tok.conjuncts]:
        for k, _ in ctx.actors_for(t):
            if k not in keys:
                keys.append(k)
    return keys


def _roles_near(ctx: ArticleContext, head: Token, facts: MeetingFacts) -> None:
    """Participants ('between X and Y', 'attended by'), hosts ('hosted by') and mediators."""
    doc = ctx.doc
    if head.pos_ == "VERB":
        # 'Putin and Erdogan met', 'X will meet Y', 'their ministers are to meet', 'X visits Y'
        subj = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subj and head.dep_ in {"xcomp", "ccomp", "advcl", "conj"}:
            subj = [c for c in head.head.children if c.dep_ == "nsubj"]
        for s in subj:
            _add(facts.participants, _actors_in(ctx, s))
        for c in head.children:
            if c.dep_ == "dobj":
                keys = _actors_in(ctx, c)
                _add(facts.hosts if head.lemma_ == "visit" else facts.participants, keys)
    # 'UN-backed talks', 'Russian-brokered'
    for t in doc[max(head.left_edge.i, head.i - 6) : head.i]:
        if (t.lower_ in {"backed", "brokered", "sponsored", "mediated", "led", "hosted",
                         "organised", "organized"}
                and t.i >= 2 and doc[t.i - 1].text == "-"):
            keys = ([k for k, _ in ctx.actors_for(doc[t.i - 2])]
                    if doc[t.i - 2].i in ctx.actor_at else [])
            if not keys:
                hit = ctx.gazetteer.lookup(doc[t.i - 2].text)
                keys = [hit[0].key] if hit else []
            target = (facts.hosts if t.lower_ in {"hosted", "organised", "organized"}
                      else facts.mediators)
            _add(target, keys)
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in {"between", "among", "with"}:
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    _add(facts.participants, _actors_in(ctx, pobj))
                    # 'between Putin and President Joe Biden' parsed with Putin as a modifier
                    for t in pobj.subtree:
                        if t.dep_ in {"nmod", "compound"} and t.head.i == pobj.i and (
                                t.i in ctx.actor_at and t.ent_type_ in {"PERSON", "GPE"}):
                            _add(facts.participants, _actors_in(ctx, t))
            verb = _clause_verb(head)
            if c.lower_ == "with" and verb is not None and head.dep_ in {"dobj", "nsubjpass"}:
                # 'Blinken called off a meeting with Lavrov': the subject is the other party
                for s in verb.children:
                    if s.dep_ == "nsubj":
                        _add(facts.participants, _actors_in(ctx, s))
        if c.dep_ == "prep" and c.lower_ == "under":
            for x in c.subtree:
                if x.lower_ == "auspices":
                    for y in x.subtree:
                        if y.dep_ == "pobj" and y.head.lower_ == "of":
                            _add(facts.mediators, _actors_in(ctx, y))
        if c.dep_ in {"acl", "relcl"}:
            lemma = c.lemma_.lower()
            agents = [y for x in c.children if x.dep_ == "agent"
                      for y in x.children if y.dep_ == "pobj"]
            for a in agents:
                keys = _actors_in(ctx, a)
                if lemma in HOST_WORDS:
                    _add(facts.hosts, keys)
                elif lemma in MEDIATOR_WORDS:
                    _add(facts.mediators, keys)
                elif lemma in LED_WORDS:
                    _add(facts.participants, keys)  # 'negotiations, to be led by Pompeo'
            # '… co-sponsored by Iran and Turkey' hangs as a conj of 'hosted'
            for conj in c.conjuncts:
                cl = conj.lemma_.lower()
                for x in conj.children:
                    if x.dep_ == "agent":
                        for y in x.children:
                            if y.dep_ == "pobj":
                                keys = _actors_in(ctx, y)
                                if cl in HOST_WORDS:
                                    _add(facts.hosts, keys)
                                elif cl in MEDIATOR_WORDS:
                                    _add(facts.mediators, keys)
            # 'the talks, mediated by X' — and 'held in ...' on the same clause
    # 'At the meeting in Jakarta, leaders of ASEAN reached …', 'After 16 hours of negotiations,
    # the leaders of … backed …', 'delegates … gathered for a meeting': who acts there was there
    for s in _acting_at(head):
        _add(facts.participants, _actors_in(ctx, s))
    verb = _clause_verb(head)
    if verb is None:
        return
    lemma = verb.lemma_.lower()
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if head.dep_ in {"dobj"} and lemma in {"hold", "attend", "join", "open"}:
        keys = [k for s in subj for k in _actors_in(ctx, s)]
        if not subj and verb.dep_ == "xcomp":
            # 'instructed diplomats to hold talks': those told to, else whoever told them
            ctl = verb.head
            keys = [k for c in ctl.children if c.dep_ == "dobj" for k in _actors_in(ctx, c)]
            if not keys and ctl.dep_ == "conj" and not any(
                    c.dep_ == "nsubj" for c in ctl.children):
                ctl = ctl.head  # 'his country would stay … and had instructed diplomats'
            keys = keys or [k for c in ctl.children if c.dep_ == "nsubj"
                            for k in _actors_in(ctx, c)]
        _add(facts.participants, keys)
    if head.dep_ in {"dobj", "pobj"} and lemma in HOST_WORDS:
        for s in subj:
            _add(facts.hosts, _actors_in(ctx, s))
    if head.dep_ == "nsubjpass":
        for x in verb.children:
            if x.dep_ == "agent":
                for y in x.children:
                    if y.dep_ == "pobj":
                        keys = _actors_in(ctx, y)
                        if lemma in HOST_WORDS:
                            _add(facts.hosts, keys)
                        elif lemma in MEDIATOR_WORDS:
                            _add(facts.mediators, keys)
                        elif lemma in LED_WORDS:
                            _add(facts.participants, keys)


#: Prepositions that put a clause's actors at a meeting ('at', 'during', 'after' the talks).
_AT_PREPS = frozenset({"at", "during", "after", "following", "throughout", "on", "for"})
_GATHER_VERBS = frozenset("gather assemble meet convene arrive travel fly come".split())


def _acting_at(head: Token) -> list[Token]:
    """Subjects of the clause a meeting phrase is an adjunct of, through 'of' chains ('at the
    close of the two-day meeting', 'after 16 hours of negotiations')."""
    cur = head
    for _ in range(6):
        if cur.dep_ != "pobj":
            return []
        prep = cur.head
        if prep.lower_ == "of" and prep.head.pos_ == "NOUN":
            cur = prep.head  # 'hours of negotiations', 'the close of the meeting'
            continue
        if prep.lower_ not in _AT_PREPS:
            return []
        verb = prep.head
        if prep.lower_ == "for" and verb.lemma_ not in _GATHER_VERBS:
            return []
        for _ in range(3):  # 'a statement read out at the close of …, the countries said'
            if verb.pos_ not in {"VERB", "AUX"}:
                break
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            if subj:
                return subj
            if verb.dep_ in {"acl", "relcl"} and verb.head.dep_ == "pobj":
                verb = verb.head.head.head
            elif verb.dep_ == "advcl" and verb.tag_ in {"VBN", "VBG"}:
                verb = verb.head  # 'read out at the close of the meeting, X said'
            else:
                break
        return []
    return []


def _clause_anchors(head: Token) -> list[Token]:
    """The mention and the tokens whose place and time phrases are the meeting's: the
    clause it is an argument or adjunct of, through adverbs and complements ('the summit
    broke up early in Hanoi', 'talks are due to begin in Geneva on Friday', 'signed a
    statement in Singapore on Tuesday at the end of the meeting')."""
    anchors = [head]
    if head.pos_ == "VERB" and head.dep_ in {"advcl", "xcomp"} and (
            head.head.lemma_ in TRAVEL_VERBS):
        anchors.append(head.head)  # 'would travel to Havana on Monday to meet the rebels'
    if head.dep_ in {"nsubj", "nsubjpass"} and head.head.pos_ in {"VERB", "AUX"}:
        anchors.append(head.head)
    elif head.dep_ == "dobj" and head.head.lemma_ in VENUE_VERBS | HELD_VERBS | HOST_WORDS:
        anchors.append(head.head)  # 'hold the talks in Geneva'
    elif head.dep_ == "pobj":
        # 'announced in Beijing at the end of five days of talks', 'gathering in Beijing for
        # the forum': the clause the phrase belongs to
        cur = head
        for _ in range(6):
            cur = cur.head
            if cur.pos_ in {"VERB", "AUX"}:
                anchors.append(cur)
                # 'after two years of negotiations, the parties reached an agreement in
                # Belfast': the outcome's place is where the talks ended
                anchors += [c for c in cur.children if c.dep_ == "dobj"]
                break
            if cur.dep_ not in {"prep", "pobj"} or cur.lower_ not in {
                    "of", "at", "for", "during", "after", "before", "on", "end", "close",
                    "sidelines", "margins", "start", "opening"} and cur.dep_ == "prep":
                break
    # 'a meeting with his counterpart, that had been scheduled for Thursday in Geneva': a
    # scheduling clause the parser hung on a noun inside the phrase
    anchors += [t for t in head.subtree if t.dep_ in {"relcl", "acl"} and t.i > head.i
                and t.lemma_ in VENUE_VERBS | SCHEDULING_VERBS]
    for a in list(anchors[1:]):
        anchors += [c for c in a.children if c.dep_ in {"advmod", "acomp", "xcomp"}]
        anchors += [x for c in a.children if c.dep_ in {"acomp", "xcomp"}
                    for x in c.children if x.dep_ == "xcomp"]
    return list(dict.fromkeys(anchors))


def _location(ctx: ArticleContext, head: Token, facts: MeetingFacts) -> None:
    """Collect the places a mention puts the meeting in ('in Astana', 'at the Elysee
    Palace'); :func:`_best_venue` later picks the most useful one."""
    anchors = _clause_anchors(head)
    if head.dep_ == "dobj" and head.head.lemma_ in HOST_WORDS:
        # 'Da Nang hosted the summit', 'the city of Da Nang, which hosted the summit'
        verb = head.head
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            if subj.lower_ in {"which", "that"} and verb.dep_ == "relcl":
                subj = verb.head
            if subj.i in ctx.places and not subj.conjuncts:  # 'Iraq and Oman hosted': both
                venue = ctx.places[subj.i]
                facts.venues.append((venue_rank(ctx, venue), venue))
    where = _where_clause_place(ctx, head)
    if where is not None:
        facts.venues.append((venue_rank(ctx, where), where))
    for a in anchors:
        for c in a.children:
            if c.dep_ == "prep" and (c.lower_ in {"in", "at"} or (
                    c.lower_ == "to" and a.lemma_ in TRAVEL_VERBS)):
                venue = venue_of(c, ctx.places)
                if venue is not None and venue not in facts.entity.topics:
                    seat = _seat_city(ctx, venue)
                    if seat is not None:  # 'at the White House': in Washington
                        facts.venues.append((0, seat))
                    facts.venues.append((venue_rank(ctx, venue), venue))


#: Verbs that set a meeting's time and place ('scheduled for Thursday in Geneva').
SCHEDULING_VERBS = frozenset("schedule set plan slate arrange".split())


def venue_rank(ctx: ArticleContext, name: str) -> int:
    """0 for a city or region, 1 for a building or resort, 2 for a whole state: 'in Paris'
    says more than 'at the Elysee Palace', which says more than 'in France'."""
    ranks = ctx.doc.user_data.setdefault(("diplograph", "venue_rank"), {})
    if name not in ranks:
        ranks[name] = _venue_rank(ctx, name)
    return ranks[name]


def _venue_rank(ctx: ArticleContext, name: str) -> int:
    hit = ctx.gazetteer.lookup(name)
    if hit is not None and hit[0].kind == "state" and hit[1] == "name":
        return 2
    labels = {e.label_ for e in ctx.ents if ctx.span_text(e) in {name, f"the {name}"}}
    if "FAC" in labels and "GPE" not in labels:
        return 1
    if name.split()[-1].lower() in BUILDING_WORDS or any(
            e.root.dep_ == "compound" and e.root.head.lemma_.lower() in BUILDING_WORDS
            for e in ctx.ents if ctx.span_text(e) in {name, f"the {name}"}):
        return 1  # 'Dolmabahce Palace', 'the Palais Coburg hotel', whatever the tagger said
    return 0


#: Last words of the names of buildings and sites ('Dolmabahce Palace', 'the South Lawn').
BUILDING_WORDS = frozenset(
    "palace hotel house lawn hall building centre center base resort castle villa "
    "embassy residence retreat compound complex garden gardens".split())


def _where_clause_place(ctx: ArticleContext, head: Token) -> str | None:
    """'the coast of Normandy, where the four leaders first met': the place a 'where'
    clause reporting the meeting hangs on."""
    verb = head if head.pos_ == "VERB" else _clause_verb(head)
    if verb is None or verb.dep_ != "relcl" or not any(
            c.lower_ == "where" for c in verb.children):
        return None
    ante = verb.head
    for t in [ante, *(x for p in ante.children if p.dep_ == "prep" and p.lower_ == "of"
                      for x in p.children if x.dep_ == "pobj")]:
        if t.i in ctx.places:
            return ctx.places[t.i]
    return None


def _seat_city(ctx: ArticleContext, name: str) -> str | None:
    """The capital a seat of government stands in: 'the White House' -> 'Washington',
    'the Elysee Palace' -> 'Paris'; ``None`` for other places."""
    hit = ctx.gazetteer.lookup(name)
    if hit is None or hit[1] != "metonym" or hit[0].kind != "state" or not hit[0].capital:
        return None
    return None if hit[0].capital.lower() == name.lower() else hit[0].capital


def _best_venue(facts: MeetingFacts) -> str | None:
    return min(facts.venues, key=lambda v: v[0])[1] if facts.venues else None


def _dates(
    ctx: ArticleContext, head: Token, sent: Span, published: dt.date | None, tense
) -> DateValue | None:
    verb = _clause_verb(head)
    anchors = {a.i for a in _clause_anchors(head)}
    if verb is not None:
        anchors.add(verb.i)
        if verb.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in {"as", "while"} for c in verb.children):
            top = verb.head
            while top.dep_ in {"xcomp", "ccomp"} and top.head.i != top.i:
                top = top.head  # 'agreed on Friday to convene X …, as the round ended'
            anchors.add(top.i)  # the main clause's day is the same day
    sequence = _sequence_prep(head)
    if sequence == "before" or sequence and tense == "future":
        # 'to be signed in Paris next month, after a conference in London': the clause's
        # time is not the meeting's
        anchors = {head.i}
    anchors |= {c.i for c in head.children if c.dep_ in {"relcl", "acl"}}
    best = None
    for s, e, value in find_dates(ctx.span_text(sent), published, tense=tense):
        span = ctx.doc.char_span(sent.start_char + s, sent.start_char + e, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if _reaches(root, head, anchors) or root.head.i == head.i:
            if tense is None and published is not None and _future_clause(root):
                # 'the forum, which opens on Thursday': a schedule, so the coming Thursday
                value = next((v for _, _, v in find_dates(ctx.span_text(span), published,
                                                          tense="future")),
                             value)
            if value.start is not None or not value.resolved:
                best = value
                break
    return best


def _sequence_prep(head: Token) -> str | None:
    """'before' or 'after' when the mention is what a clause happens before or after
    ('signed after a conference in London', 'after three weeks of talks')."""
    cur = head
    for _ in range(4):
        if cur.dep_ != "pobj":
            return None
        prep = cur.head
        if prep.lower_ in {"before", "after", "following"}:
            return "before" if prep.lower_ == "before" else "after"
        if prep.lower_ != "of":
            return None
        cur = prep.head
    return None


def _reaches(tok: Token, head: Token, anchors: set[int]) -> bool:
    """Whether ``tok`` hangs on an anchor without crossing a clause of its own: 'the
    February coup' in 'once stability had been restored …' is not the meeting's date, nor
    is 'expires on December 31' in 'talks on gas transit, whose contract expires …'; a
    clause on the meeting itself or one that schedules it ('negotiations between X and Y
    that are due to begin on March 10') is crossed."""
    for a in (tok, *tok.ancestors):
        if a.i in anchors:
            return True
        if a is not tok and a.dep_ in _CLAUSES and a.pos_ in {"VERB", "AUX"} and not (
                a.head.i == head.i or _schedules(a) and head.i in {x.i for x in a.ancestors}):
            return False
    return False


def _schedules(verb: Token) -> bool:
    """'which opens on Thursday', 'that are due to begin', 'scheduled for Monday'."""
    if _verb_lemma(verb) in SCHEDULED | SCHEDULING_VERBS | VENUE_VERBS:
        return True
    return any(c.dep_ in {"acomp", "xcomp"} and c.lemma_ in DUE_WORDS | SCHEDULED
               for c in verb.children)


_CLAUSES = frozenset({"advcl", "relcl", "acl", "ccomp", "xcomp", "conj", "csubj", "pcomp"})
END_VERBS = frozenset("end conclude close wrap finish adjourn".split())
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
            "twenty": 20}


def _duration_days(head: Token) -> int | None:
    """'a two-day conference' -> 2; 'fifteen days of negotiations' -> 15."""
    m = re.search(r"\b(\w+)\s*-\s*day\b", head.doc[head.left_edge.i : head.i].text.lower())
    if m:
        word = m.group(1)
        return int(word) if word.isdigit() else _NUMBERS.get(word)
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_ == "day":
        days = head.head.head
        for c in days.children:
            if c.dep_ == "nummod":
                return int(c.text) if c.text.isdigit() else _NUMBERS.get(c.lower_)
    return None


def _closes(head: Token) -> bool:
    """Whether the mention is what ends in its clause ('a two-day conference … ended')."""
    subject = head if head.dep_ == "nsubj" else (
        head.head.head if head.dep_ == "pobj" and head.head.head.dep_ == "nsubj" else None)
    return subject is not None and subject.head.lemma_ in END_VERBS


def _backdate(value: DateValue, days: int | None) -> DateValue:
    """'A two-day conference … ended on Sunday': the conference began on Saturday."""
    if not days or days < 2 or value.end is not None or value.precision != "day":
        return value
    last = dt.date.fromisoformat(value.start)
    first = last - dt.timedelta(days=days - 1)
    return DateValue(first.isoformat(), last.isoformat(), value.text, value.resolved, "day")


def _future_clause(tok: Token) -> bool:
    """Whether the clause a date hangs on speaks of the future ('will meet on Monday',
    'opens on Thursday', 'are due to begin on Friday')."""
    verb = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return False
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if aux & {"will", "'ll", "shall"}:
        return True
    gov = verb.head if verb.dep_ in {"xcomp", "ccomp"} else None
    if gov is not None and "to" in aux and (gov.lemma_ in DUE_WORDS or any(
            c.dep_ == "acomp" and c.lemma_ in DUE_WORDS for c in gov.children)):
        return True
    return verb.tag_ in {"VBZ", "VBP"} and verb.lemma_ in SCHEDULED and not aux & {"has", "have"}


SCHEDULED = frozenset("open begin start convene run close end".split())
DUE_WORDS = frozenset({"due", "set", "scheduled", "expected", "slated"})
PRECISION = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def find_meetings(ctx: ArticleContext, published: dt.date | None) -> Iterator[MeetingFacts]:
    """One :class:`MeetingFacts` per meeting entity in the article."""
    by_entity: dict[int, MeetingFacts] = {}
    order: list[MeetingFacts] = []
    # 'the eighth round of Syria talks mediated by X': what hangs on the talks is the round's
    outer = {m.of_head: m for m in ctx.initiative_mentions if m.of_head is not None}
    for m in ctx.initiative_mentions:
        e = m.entity
        if m.head in outer and outer[m.head].entity is not None:
            e = outer[m.head].entity
        if e is None or not e.meeting:
            continue
        facts = by_entity.get(id(e))
        if facts is None:
            facts = by_entity[id(e)] = MeetingFacts(e)
            order.append(facts)
        head = ctx.doc[m.head]
        sent = ctx.sentence_at(m.head)
        if sent not in facts.sentences:
            facts.sentences.append(sent)
        _roles_near(ctx, head, facts)
        if m.body is not None:
            _add(facts.hosts, [m.body])  # 'the NATO summit': NATO holds it
        _location(ctx, head, facts)
        status, rule = _tense_status(head)
        if status is not None and (facts.status is None or status in {"cancelled", "postponed"}):
            facts.status, facts.status_rule = status, rule
        # a meeting called off or put off had been set for a coming day ('Thursday')
        tense = {"planned": "future", "cancelled": "future", "postponed": "future",
                 "held": "past"}.get(status or "")
        value = _dates(ctx, head, sent, published, tense)
        if value is not None and _better(value, facts.date):
            facts.date, facts.closing = value, _closes(head)
    for facts in order:
        e = facts.entity
        if facts.closing and facts.date is not None:
            # 'the eighth round … ended' on Friday, 'the two-day meeting': began Thursday
            days = next((d for m in e.mentions if (d := _duration_days(ctx.doc[m.head]))), None)
            facts.date = _backdate(facts.date, days)
        if not (e.names or e.places or e.topics or e.round is not None or facts.date
                or facts.participants or facts.hosts or facts.mediators):
            continue  # 'the talks' never tied to anyone or anything: not a meeting we can name
        if not (e.names or e.places or facts.date) and all(
                _denied(ctx.doc[m.head]) for m in e.mentions):
            continue  # 'neither side set a date for a third meeting': none is planned
        facts.location = _best_venue(facts) or (
            facts.entity.places[0] if facts.entity.places else None)
        by_date = _status_from_date(facts, published)
        if facts.status is None or (
            facts.status == "held" and by_date[0] == "planned"
            and by_date[1] == "date:after-publication"
        ):
            facts.status, facts.status_rule = by_date
        yield facts


def _denied(head: Token) -> bool:
    """Whether the clause a mention belongs to is negated ('no date was set for a third
    meeting', 'neither side set a date for …', 'did not agree to talks')."""
    verb = _clause_verb(head)
    if verb is None:
        return False
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(c.dep_ in {"nsubj", "nsubjpass"} and (
        c.lower_ in {"neither", "none", "nobody", "nothing"}
        or any(d.dep_ == "det" and d.lower_ in {"no", "neither"} for d in c.children))
        for c in verb.children)


def _better(new: DateValue, old: DateValue | None) -> bool:
    """A resolved, more precise date replaces a vaguer one it agrees with."""
    if old is None or old.start is None:
        return new.start is not None or old is None
    if new.start is None:
        return False
    return PRECISION[new.precision] > PRECISION[old.precision] and (
        new.start.startswith(old.start)
        or old.precision == "month"
        and abs(int(new.start[5:7]) - int(old.start[5:7])) <= 1
        and new.start[:4] == old.start[:4]
    )


def _status_from_date(facts: MeetingFacts, published: dt.date | None) -> tuple[str, str]:
    if facts.date is not None and facts.date.start and published is not None:
        start = facts.date.start
        if start > published.isoformat()[: len(start)]:
            return "planned", "date:after-publication"
        return "held", "date:before-publication"
    return "held", "default"


#: Verbs whose act, done at a stated place, is a signing ceremony.
SIGNING_EVENT_VERBS = frozenset({"sign", "initial"})
_VERB = pos_ids("VERB")


@dataclass(slots=True)
class SigningFacts:
    """A signing reported by its verb ('signed an agreement in the Qatari capital')."""

    verb: int  # token index of the verb
    document: InitiativeEntity  # the signed document
    text: str
    location: str | None  # None: a signing that only adds to the article's ceremony
    venue_rank: int
    date: DateValue | None
    status: str
    status_rule: str
    sentence: Span


def find_signings(ctx: ArticleContext, published: dt.date | None) -> Iterator[SigningFacts]:
    """Signings the article reports: a signing verb, not denied ('has not signed') and not
    done at another meeting. Who signed comes from the stances the same verb produced; here
    only the event: what, where, when and whether it happened. One without a place is no
    event of its own, but tells when the article's signing ceremony was."""
    doc = ctx.doc
    for i in with_pos(doc, _VERB):
        tok = doc[i]
        if tok.lemma_.lower() not in SIGNING_EVENT_VERBS:
            continue
        if _denied(tok):
            continue
        if any(c.dep_ == "prep" and c.lower_ in {"at", "during"} and any(
                x.i in ctx.initiative_at and ctx.initiative_at[x.i].meeting
                for x in c.subtree) for c in tok.children):
            continue  # 'signed a statement at the end of the first meeting': the meeting's
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        hit = ctx.initiative_for(objs[0]) if objs else None
        if hit is None:
            continue  # 'signed a decree in Moscow': only documents of a diplomatic kind
        # 'signed an agreement in the Qatari capital', however the phrase was attached
        placed = [(c, venue) for t in [tok, *objs] for c in t.children
                  if c.dep_ == "prep" and c.lower_ in {"in", "at"}
                  and (venue := venue_of(c, ctx.places)) is not None]
        venues = [(0, seat) if (seat := _seat_city(ctx, venue)) else (venue_rank(ctx, venue), venue)
                  for _, venue in placed]
        last = max((x.i for c, _ in placed for x in _phrase(c)), default=tok.i)
        rank, location = min(venues) if venues else (9, None)
        status, rule = _clause_status(tok)
        status = status or "held"
        tense = "future" if status == "planned" else ("past" if status == "held" else None)
        sent = ctx.sentence_at(tok.i)
        date = _dates(ctx, tok, sent, published, tense)
        first = min([tok.i] + [c.i for c in tok.lefts if c.dep_ == "advmod"])
        core = [x.i for t in objs if t.dep_ == "dobj" for x in _phrase(t)]
        text = doc[first : max([last, *core]) + 1].text
        yield SigningFacts(tok.i, hit[0], text, location, rank, date, status,
                           f"signing:{rule or 'default'}", sent)


def _phrase(tok: Token) -> list[Token]:
    """``tok``'s phrase without clauses or times hanging on it ('an agreement in the Qatari
    capital' of 'an agreement in the Qatari capital on Saturday that could lead to …')."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in {"relcl", "acl", "advcl", "punct", "appos"} or c.dep_ == "prep" and (
                c.lower_ in {"after", "before", "following", "during", "since", "until"}
                or any(x.ent_type_ in {"DATE", "TIME"} for x in c.children if x.dep_ == "pobj")):
            continue
        out += _phrase(c)
    return out
