"""From a parsed article to an :class:`ArticleExtraction`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from diplograph.ingest.actors import slug
from diplograph.ingest.context import ArticleContext
from diplograph.ingest.dates import find_dates
from diplograph.ingest.initiatives import InitiativeEntity
from diplograph.ingest.meetings import SigningFacts, find_meetings, find_signings, venue_rank
from diplograph.ingest.records import (
    EXTRACTOR_VERSION,
    Article,
    ArticleError,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)
from diplograph.ingest.sources import content_hash
from diplograph.ingest.stances import find_stances

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_articles"]


class _Evidence:
    """The :class:`Evidence` of the article's sentences, memoised: a few sentences back
    many records. The text is sliced from ``ctx.text`` (``sent.text`` would join the
    sentence's tokens again on every call)."""

    def __init__(self, ctx: ArticleContext, article: Article) -> None:
        self.ctx = ctx
        self.article = article
        self._memo: dict[tuple[int, int], Evidence] = {}

    def __call__(self, sent: Span) -> Evidence:
        """The sentence, stripped, with its offsets in the article text."""
        key = (sent.start_char, sent.end_char)
        ev = self._memo.get(key)
        if ev is None:
            raw = self.ctx.span_text(sent)
            text = raw.strip()
            start = key[0] + (len(raw) - len(raw.lstrip()))
            ev = self._memo[key] = Evidence(self.article.id, text, start, start + len(text))
        return ev


def extract(doc: Doc, article: Article) -> ArticleExtraction:
    """Read actors, initiatives, meetings and stances from a doc made by :func:`load_pipeline`."""
    ctx: ArticleContext = doc._.dip
    if ctx is None:
        raise ValueError("doc was not made by diplograph's pipeline (doc._.dip is unset)")
    published = article.published
    evidence = _Evidence(ctx, article)
    entities: dict[int, InitiativeEntity] = {}
    for m in ctx.initiative_mentions:
        if m.entity is not None:
            entities.setdefault(id(m.entity), m.entity)
    # an initiative the article never names ('the agreement') is this article's own node:
    # a bare kind must not merge unrelated agreements across articles
    keys = _entity_keys(article.id, list(entities.values()))
    initiatives: dict[str, Initiative] = {}
    for e in entities.values():
        ev = tuple(dict.fromkeys(evidence(ctx.sentence_at(m.head)) for m in e.mentions))
        ini = Initiative(
            key=keys[id(e)], label=e.label, kind=e.kind, aliases=e.aliases(doc), evidence=ev
        )
        old = initiatives.get(ini.key)
        if old is not None:
            ini = replace(
                old,
                aliases=tuple(
                    dict.fromkeys(
                        a for a in (*old.aliases, ini.label, *ini.aliases) if a != old.label
                    )
                ),
                evidence=tuple(dict.fromkeys((*old.evidence, *ini.evidence))),
            )
        initiatives[ini.key] = ini

    meetings: list[Meeting] = []
    reported: set[str] = set()  # meetings only ever reported by a verb ('X and Y will meet')
    for facts in find_meetings(ctx, published):
        e = facts.entity
        if all(doc[m.head].pos_ == "VERB" for m in e.mentions):
            reported.add(keys[id(e)])
        date = facts.date
        sent = facts.sentences[0]
        meetings.append(
            Meeting(
                key=keys[id(e)],
                label=e.label,
                text=e.mentions[0].description(doc),
                type=e.kind,
                status=facts.status or "held",
                participants=tuple(facts.participants),
                hosts=tuple(facts.hosts),
                mediators=tuple(facts.mediators),
                location=facts.location,
                start_date=date.start if date else None,
                end_date=date.end if date else None,
                date_text=date.text if date else None,
                date_resolved=date.resolved if date else True,
                round=e.round,
                part_of=keys.get(id(e.part_of), e.part_of.key) if e.part_of is not None else None,
                evidence=tuple(dict.fromkeys(evidence(s) for s in facts.sentences)),
                confidence=0.7 if facts.date or facts.location else 0.5,
                rule=facts.status_rule,
            )
        )
    meetings, merged = _merge_reported(_merge_meetings(meetings), reported, ctx)
    for old_key, new_key in merged.items():
        gone = initiatives.pop(old_key, None)
        if gone is not None and new_key in initiatives:
            kept = initiatives[new_key]
            initiatives[new_key] = replace(
                kept,
                aliases=tuple(dict.fromkeys(
                    a for a in (*kept.aliases, gone.label, *gone.aliases) if a != kept.label)),
                evidence=tuple(dict.fromkeys((*kept.evidence, *gone.evidence))),
            )
    candidates = list(find_stances(ctx))
    meetings = _conveners_as_hosts(meetings, candidates, keys)
    meetings = _signers_at_ceremonies(meetings, candidates, ctx)
    for signing in find_signings(ctx, published):
        meetings = _add_signing(meetings, signing, candidates, keys, initiatives, evidence, ctx)
    meetings = _article_city([_one_role_per_state(m) for m in meetings], ctx)

    stances: dict[tuple, Stance] = {}
    for cand in candidates:
        sent = ctx.sentence_at(cand.sent_start)
        target = keys.get(id(cand.target), cand.target.key)
        target = merged.get(target, target)
        key = (_speaker(cand.holder_key), cand.polarity, target, cand.conditional)
        if key in stances and stances[key].confidence >= cand.confidence:
            continue
        # when the stance was taken: a past date in the sentence, else the publication date
        pub = published.isoformat() if published else None
        dates = find_dates(ctx.span_text(sent), published, tense="past")
        date = next(
            (v.start for _, _, v in dates if v.start and (pub is None or v.start <= pub)), None
        ) or pub
        stances[key] = Stance(
            holder=cand.holder_key,
            holder_text=cand.holder_text,
            polarity=cand.polarity,  # type: ignore[arg-type]
            target=target,
            target_text=cand.target_text,
            evidence=evidence(sent),
            conditional=cand.conditional,
            date=date,
            confidence=cand.confidence,
            rule=cand.rule,
        )
    return ArticleExtraction(
        article=article,
        actors=tuple(ctx.actors[k] for k in sorted(ctx.actors)),
        initiatives=tuple(initiatives[k] for k in sorted(initiatives)),
        meetings=tuple(meetings),
        stances=tuple(stances.values()),
        extractor_version=EXTRACTOR_VERSION,
        content_hash=content_hash(article.text),
    )


def _entity_keys(article_id: str, entities: list[InitiativeEntity]) -> dict[int, str]:
    """Canonical keys; an unnamed initiative is the article's own node, keyed by its kind
    ('d24:agreement'), a distinct second one of the same kind by its description."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for e in entities:
        if e.named:
            keys[id(e)] = e.key
            continue
        key = f"{article_id}:{e.key}"
        if key in taken:
            words = slug(e.description or "").split("-")[:6]
            key = f"{key}-{'-'.join(words)}" if e.description else key
            n = 2
            while key in taken:
                key, n = f"{article_id}:{e.key}-{n}", n + 1
        taken.add(key)
        keys[id(e)] = key
    return keys


def _speaker(holder: str) -> str:
    """A state and its government take one stance: 'Saudi Arabia' and 'the Saudi government'."""
    return holder[:3] if len(holder) == 7 and holder.endswith("-GOV") else holder


CONVENE_RULES = ("verb:hold", "verb:host", "verb:convene", "verb:organise", "verb:organize")
#: Stances that report someone taking part: their holders are participants.
ATTEND_RULES = ("verb:attend", "verb:participate", "verb:take part", "verb:send", "verb:join",
                "passive:attend", "noun:participation", "noun:attendance")


def _conveners_as_hosts(meetings: list[Meeting], candidates, keys: dict[int, str]) -> list[Meeting]:
    """'X and Y agreed to hold a congress': the conveners host it; those who attend take
    part; rounds inherit the hosts and mediators of their process when the article names
    none."""
    hosts: dict[str, list[str]] = {}
    attendees: dict[str, list[str]] = {}
    for c in candidates:
        if c.polarity == "support" and c.rule.startswith(CONVENE_RULES):
            hosts.setdefault(keys.get(id(c.target), c.target.key), []).append(c.holder_key)
        elif c.polarity == "support" and c.rule.startswith(ATTEND_RULES) and not c.conditional:
            attendees.setdefault(keys.get(id(c.target), c.target.key), []).append(c.holder_key)
    by_key = {m.key: m for m in meetings}
    out = []
    for m in meetings:
        extra = hosts.get(m.key, [])
        parent = by_key.get(m.part_of) if m.part_of else None
        mediators = m.mediators
        if not m.mediators and not m.hosts and parent is not None:
            mediators = parent.mediators
        present = set(m.hosts) | set(extra) | set(mediators)
        came = [a for a in attendees.get(m.key, []) if a not in present]
        out.append(replace(
            m, hosts=tuple(dict.fromkeys((*m.hosts, *extra))), mediators=mediators,
            participants=tuple(dict.fromkeys((*m.participants, *came))),
        ))
    return out


def _signers_at_ceremonies(
    meetings: list[Meeting], candidates, ctx: ArticleContext
) -> list[Meeting]:
    """Who signs a document in the sentences around a signing ceremony took part in it."""
    ceremonies = [m for m in meetings if m.type == "signing"]
    if not ceremonies:
        return meetings
    sents = ctx.sents
    index = {s.start: i for i, s in enumerate(sents)}
    signers = [(index[c.sent_start], c.holder_key) for c in candidates
               if c.polarity == "support" and c.rule.split("+")[0] in {"verb:sign", "passive:sign"}]
    out = []
    for m in meetings:
        if m.type == "signing":
            near = {i for ev in m.evidence for i, s in enumerate(sents)
                    if s.start_char <= ev.start < s.end_char}
            near |= {i + d for i in near for d in (-1, 1)}
            extra = [h for i, h in signers if i in near and h not in m.participants]
            m = replace(m, participants=tuple(dict.fromkeys((*m.participants, *extra))))
        out.append(m)
    return out


def _merge_reported(meetings: list[Meeting], reported: set[str], ctx: ArticleContext
                    ) -> tuple[list[Meeting], dict[str, str]]:
    """'The second summit between Trump and Kim will take place in Hanoi' … 'the two leaders
    would meet in Vietnam at the end of the month': a meeting only reported by a verb is the
    article's named meeting of the same parties when status, date and place agree.

    Returns the meetings and which keys merged into which."""
    out = list(meetings)
    merged: dict[str, str] = {}
    for b in meetings:
        if b.key not in reported or not b.participants:
            continue
        parties = {_speaker(k) for k in b.participants}
        same = [a for a in out if a is not b and a.key not in reported
                and {_speaker(k) for k in a.participants} == parties and a.status == b.status
                and _dates_agree(a.start_date, b.start_date)
                and _places_agree(ctx, a.location, b.location)]
        if len(same) == 1:
            a = same[0]
            out[out.index(a)] = replace(
                a,
                location=a.location or b.location,
                start_date=a.start_date or b.start_date,
                evidence=tuple(dict.fromkeys((*a.evidence, *b.evidence))),
            )
            out.remove(b)
            merged[b.key] = a.key
    return out, merged


def _dates_agree(a: str | None, b: str | None) -> bool:
    """Unknown, or one is the other at a coarser precision ('2019-02' and '2019-02-27')."""
    return not a or not b or a.startswith(b) or b.startswith(a)


def _places_agree(ctx: ArticleContext, a: str | None, b: str | None) -> bool:
    """Unknown, the same, or a state and its capital ('Vietnam' and 'Hanoi')."""
    if not a or not b or a == b:
        return True
    for state, city in ((a, b), (b, a)):
        hit = ctx.gazetteer.lookup(state)
        if hit is not None and hit[0].kind == "state" and hit[0].capital == city:
            return True
    return False


def _add_signing(
    meetings: list[Meeting],
    s: SigningFacts,
    candidates,
    keys: dict[int, str],
    initiatives: dict[str, Initiative],
    evidence_of: _Evidence,
    ctx: ArticleContext,
) -> list[Meeting]:
    """A signing ('signed parallel agreements in Istanbul on Friday') is the article's
    signing ceremony when it has one that agrees in date ('a ceremony in the Dolmabahce
    Palace'): it adds the city, the day and the signers; else, when placed somewhere, a
    meeting of its own. The signers are the holders of the stances the same verb produced."""
    signers = tuple(dict.fromkeys(c.holder_key for c in candidates
                                  if c.cue == s.verb and c.polarity == "support"))
    date = s.date.start if s.date else None
    evidence = evidence_of(s.sentence)
    for i, m in enumerate(meetings):
        if m.type != "signing" or not _dates_agree(m.start_date, date):
            continue
        better = s.location is not None and (
            m.location is None or s.venue_rank < venue_rank(ctx, m.location))
        meetings[i] = replace(
            m,
            participants=tuple(dict.fromkeys((*m.participants, *signers))),
            location=s.location if better else m.location,
            start_date=m.start_date or date,
            evidence=tuple(dict.fromkeys((*m.evidence, evidence))),
        )
        return meetings
    if s.location is None:
        return meetings  # an unplaced signing only ever adds to a ceremony
    document = keys.get(id(s.document), s.document.key)
    name = initiatives[document].label if document in initiatives else None
    key = f"{document}-signing"
    if any(m.key == key for m in meetings):
        return meetings
    return [*meetings, Meeting(
        key=key, label=f"{name or s.location} signing", text=s.text, type="signing",
        status=s.status, participants=signers, location=s.location,  # type: ignore[arg-type]
        start_date=date, end_date=s.date.end if s.date else None,
        date_text=s.date.text if s.date else None,
        date_resolved=s.date.resolved if s.date else True, evidence=(evidence,),
        confidence=0.6, rule=s.status_rule,
    )]


def _article_city(meetings: list[Meeting], ctx: ArticleContext) -> list[Meeting]:
    """When the article's meetings are all in one city, a meeting placed only at a building
    ('at the Palais Coburg hotel') is in that city too."""
    cities = {m.location for m in meetings if m.location and venue_rank(ctx, m.location) == 0}
    if len(cities) != 1:
        return meetings
    city = cities.pop()  # rank 0: a city or region, never a whole state (rank 2)
    return [replace(m, location=city) if m.location and venue_rank(ctx, m.location) == 1
            else m for m in meetings]


def _one_role_per_state(m: Meeting) -> Meeting:
    """'France' and 'the French government' at one meeting are one party, named once: in
    the weightiest role it has (host, then mediator, then participant), and within a role
    as the government when the text names it so."""
    seen: set[str] = set()
    roles = []
    for keys in (m.hosts, m.mediators, m.participants):
        govs = {k[:3] for k in keys if k == f"{k[:3]}-GOV"}
        kept = [k for k in keys if k not in govs and _speaker(k) not in seen]
        seen |= {_speaker(k) for k in kept}
        roles.append(tuple(kept))
    return replace(m, hosts=roles[0], mediators=roles[1], participants=roles[2])


def _merge_meetings(meetings: list[Meeting]) -> list[Meeting]:
    by_key: dict[str, Meeting] = {}
    for m in meetings:
        old = by_key.get(m.key)
        if old is None:
            by_key[m.key] = m
            continue
        by_key[m.key] = replace(
            old,
            participants=tuple(dict.fromkeys((*old.participants, *m.participants))),
            hosts=tuple(dict.fromkeys((*old.hosts, *m.hosts))),
            mediators=tuple(dict.fromkeys((*old.mediators, *m.mediators))),
            location=old.location or m.location,
            start_date=old.start_date or m.start_date,
            end_date=old.end_date or m.end_date,
            evidence=tuple(dict.fromkeys((*old.evidence, *m.evidence))),
        )
    return list(by_key.values())


def extract_articles(
    articles: Iterable[Article | ArticleError],
    nlp: Language,
    *,
    batch_size: int = 32,
) -> Iterator[ArticleExtraction | ArticleError]:
    """Parse and extract a stream of articles; errors pass through, one per bad item."""

    def pairs():
        for a in articles:
            if isinstance(a, ArticleError):
                errors.append(a)
                continue
            yield a.text, a

    errors: list[ArticleError] = []
    for doc, article in nlp.pipe(pairs(), as_tuples=True, batch_size=batch_size):
        while errors:
            yield errors.pop(0)
        try:
            yield extract(doc, article)
        except Exception as exc:  # one broken article never aborts a batch
            yield ArticleError(
                article.origin or article.id, f"extraction failed: {exc!r}", article.id
            )
    while errors:
        yield errors.pop(0)
