"""Stance rules: holder -> support|reject -> initiative, from verbs, nouns and quotes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from diplograph.ingest._tokens import pos_ids, with_pos
from diplograph.ingest.context import ArticleContext, quote_speaker
from diplograph.ingest.initiatives import InitiativeEntity

__all__ = ["StanceCandidate", "find_stances"]

SUBJ = {"nsubj", "nsubjpass", "csubj"}
CONTROL_DEPS = {"xcomp", "ccomp", "advcl", "conj", "acl", "pcomp", "acomp", "oprd"}
CO_AGENT_VERBS = frozenset("agree sign initial conclude reach strike negotiate draw issue".split())
REL_PRONOUNS = frozenset({"which", "that", "who", "whom"})
DOCUMENT_VERBS = frozenset("sign initial ratify adopt endorse implement veto draft".split())
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}
#: Light verbs whose indirect object is the target ('gave the deal its full backing').
DATIVE_LIGHT_VERBS = frozenset({"give", "lend", "offer", "extend"})
PARTITIVES = frozenset({"copy", "copies", "version", "text", "draft", "part", "terms"})
REPORTING_VERBS = frozenset("say tell declare insist add state announce".split())


@dataclass(frozen=True, slots=True)
class StanceCandidate:
    """A stance found in the doc, before it becomes a :class:`Stance` record."""

    holder_key: str
    holder_text: str
    polarity: str
    target: InitiativeEntity
    target_text: str
    sent_start: int  # token index of the sentence start
    conditional: bool
    confidence: float
    rule: str
    cue: int  # token index of the cue


def _phrasal(tok: Token) -> list[str]:
    """Lexicon keys for a verb: 'pull out', 'call off', 'take part', then the bare lemma."""
    lemma = tok.lemma_.lower()
    keys = []
    for c in tok.children:
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "away"):
            keys.append(f"{lemma} {c.lower_}")
        if lemma == "take" and c.dep_ == "dobj" and c.lower_ == "part":
            keys.append("take part")
    keys.append(lemma)
    return keys


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in {"never", "no longer"} for c in tok.children):
        return True
    # 'did not reject', 'has not signed': neg may hang on the auxiliary's head
    return any(c.dep_ == "advmod" and c.lower_ in {"never"} for c in tok.children)


def _modal(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}


def _governors(tok: Token, limit: int = 4) -> Iterator[Token]:
    """The chain of clause heads above ``tok`` (for control, refusal and hedges)."""
    cur = tok
    for _ in range(limit):
        if cur.dep_ not in CONTROL_DEPS or cur.head.i == cur.i:
            return
        cur = cur.head
        yield cur


#: Every cue below is a verb, an auxiliary, an adjective or a noun.
_CUE_POS = pos_ids("VERB", "AUX", "ADJ", "NOUN")


def find_stances(ctx: ArticleContext) -> Iterator[StanceCandidate]:
    """Yield every stance candidate in the article."""
    yield from _author_stances(ctx)
    lex = ctx.lexicon
    doc = ctx.doc
    for i in with_pos(doc, _CUE_POS, tag_prefix="VB"):
        tok = doc[i]
        # each string attribute is a StringStore lookup: read once
        pos, lemma = tok.pos_, tok.lemma_
        low_lemma = lemma.lower()
        if (pos in {"VERB", "AUX"} or tok.tag_.startswith("VB")) and (
                low_lemma.split(" ")[0] in lex.verb_heads):  # else no cue, phrasal or not
            for key in _phrasal(tok):
                cues = lex.verb_cues(key)
                if cues:
                    yield from _verb_stances(ctx, tok, key, cues)
                    break
        if pos in {"ADJ", "VERB"} and tok.dep_ in {"acomp", "oprd", "xcomp"}:
            cues = lex.adjective_cues(tok.lower_)
            if cues:
                yield from _adjective_stances(ctx, tok, cues)
        if lemma in {"exist", "be"} and pos in {"VERB", "AUX"}:
            yield from _declared_dead(ctx, tok)
        if pos == "VERB" and low_lemma in lex.characterisation_verbs:
            yield from _characterisation_stances(ctx, tok)
        if pos == "NOUN":
            if low_lemma in lex.prep_nouns:
                yield from _prep_noun_stances(ctx, tok, lex.prep_nouns[low_lemma])
            pol = lex.noun_polarity(low_lemma)
            if pol is not None:
                yield from _noun_stances(ctx, tok, pol)
            pol = lex.agent_nouns.get(low_lemma)
            if pol is not None:
                yield from _agent_noun_stances(ctx, tok, pol)


# -- authorship ------------------------------------------------------------------------------
AUTHORED_KINDS = frozenset({"plan", "proposal", "initiative", "roadmap"})
OFFER_NOUNS = frozenset({"offer", "bid"})
AUTHOR_VERBS = frozenset("draw draft devise prepare craft write negotiate".split())


def _author_stances(ctx: ArticleContext) -> Iterator[StanceCandidate]:
    """'a Saudi proposal', 'Russia's plan', 'the French initiative': whoever puts a plan
    forward supports it."""
    for m in ctx.initiative_mentions:
        head = ctx.doc[m.head]
        lemma = head.lemma_.lower()
        if m.entity is None or m.anaphor or lemma not in AUTHORED_KINDS | OFFER_NOUNS:
            continue
        for c in head.children:
            if c.dep_ not in {"poss", "amod", "compound", "nmod"} or c.i > head.i:
                continue
            if lemma in OFFER_NOUNS and c.pos_ == "PRON":
                continue  # 'its bid to join NATO': an ambition, not a proposal on the table
            pairs = ctx.actors_for(c)
            if not pairs and c.dep_ == "amod":
                hit = ctx.gazetteer.lookup(c.text)
                if hit is not None and hit[1] == "demonym" and hit[0].kind == "state":
                    pairs = [(hit[0].key, c.text)]
            for key, text in pairs:
                yield StanceCandidate(
                    key, text, "support", m.entity, m.text(ctx.doc), head.sent.start, False, 0.6,
                    f"author:{m.kind}", head.i,
                )
        for c in head.children:
            # 'a six-point plan drawn up with Brazil': co-authors
            if c.dep_ == "acl" and c.lemma_ in AUTHOR_VERBS:
                partners = [x for p in c.children if p.dep_ == "prep" and p.lower_ == "with"
                            for x in p.children if x.dep_ == "pobj"]
                for key, text in _holder_pairs(ctx, partners):
                    yield StanceCandidate(
                        key, text, "support", m.entity, m.text(ctx.doc), head.sent.start, False,
                        0.6, f"author:{c.lemma_}-with", head.i,
                    )


# -- verbs -----------------------------------------------------------------------------------
def _verb_stances(ctx: ArticleContext, tok: Token, key: str, cues) -> Iterator[StanceCandidate]:
    lex = ctx.lexicon
    passive = any(c.dep_ in {"nsubjpass", "auxpass", "agent"} for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ == "acl"
    )
    for polarity, opts in cues:
        if opts.get("roles_only"):
            continue
        targets = _verb_targets(ctx, tok, opts, passive)
        if not targets and opts.get("implicit") and not passive and not _has_object(
            tok, opts.get("vehicle_objects", ()) if tok.tag_ != "VBG" else ()
        ):
            # 'India will stay away', 'the PYD said it would not attend': the meeting under
            # discussion
            hit = ctx.implicit_initiative(tok, meeting=True if opts.get("meeting_only") or opts.get(
                "attendance") or opts.get("implicit_meeting") else None)
            targets = [hit] if hit is not None else []
        if not targets:
            continue
        kinds = opts.get("object_kinds")
        if kinds:
            targets = [t for t in targets if t[0].kind in kinds or t[0].generic_kinds & set(kinds)]
        if opts.get("meeting_only"):
            targets = [t for t in targets if t[0].meeting]
        if opts.get("meeting_kinds"):
            allowed = set(opts["meeting_kinds"])
            targets = [t for t in targets if t[0].kind in allowed or t[0].generic_kinds & allowed]
        if not targets:
            continue
        governors = list(_governors(tok))
        if opts.get("controlled_only") and (not any(
            g.lemma_ in lex.announce_verbs or g.lemma_ in {"agree", "offer"} for g in governors
        ) or (governors and any(c.dep_ == "dobj" for c in governors[0].children))):
            continue  # 'agreed to hold talks', not 'instructed diplomats to hold talks'
        if opts.get("complement") and not any(
            c.lower_ in opts["complement"] for c in tok.subtree
        ):
            continue
        pol, conditional, confidence, rule = _modality(ctx, tok, governors, polarity, opts)
        if pol is None:
            continue
        holders = _verb_holders(ctx, tok, governors, passive)
        rule = f"{'passive' if passive else 'verb'}:{key}{rule}"
        for holder_key, holder_text in holders:
            for entity, ttext in targets:
                yield StanceCandidate(
                    holder_key, holder_text, pol, entity, ttext, tok.sent.start, conditional,
                    confidence, rule, tok.i,
                )


def _has_object(tok: Token, vehicles=()) -> bool:
    """A direct or prepositional object that is neither a time ('attended both days') nor a
    vehicle of the stance ('sent a delegation')."""
    for c in tok.children:
        if c.dep_ in {"dobj", "attr"} and c.ent_type_ not in {"DATE", "TIME"} and (
            c.lemma_.lower() not in vehicles
        ):
            return True
        if c.dep_ == "prep" and c.lower_ in {"in", "to", "from", "of"} and any(
            x.dep_ == "pobj" and x.ent_type_ not in {"DATE", "TIME", "GPE", "LOC", "FAC"}
            for x in c.children
        ):
            return True
    return False


def _adjective_stances(ctx: ArticleContext, tok: Token, cues) -> Iterator[StanceCandidate]:
    """'their governments remained committed to the agreement', 'X is opposed to the plan'."""
    verb = tok.head
    for polarity, opts in cues:
        targets = _verb_targets(ctx, tok, opts, False)
        if not targets:
            continue
        governors = list(_governors(verb))
        pol, conditional, confidence, rule = _modality(ctx, verb, governors, polarity, opts)
        if pol is None or _negated(tok):
            continue
        for holder_key, holder_text in _verb_holders(ctx, verb, governors, False):
            for entity, ttext in targets:
                yield StanceCandidate(
                    holder_key, holder_text, pol, entity, ttext, tok.sent.start, conditional,
                    confidence, f"adjective:{tok.lower_}{rule}", tok.i,
                )


DEAD_WORDS = frozenset({"dead", "over", "finished", "void", "null", "defunct", "obsolete"})


def _declared_dead(ctx: ArticleContext, tok: Token) -> Iterator[StanceCandidate]:
    """'"The Minsk agreements no longer exist," Putin said'; 'the deal is dead, X said': the
    speaker rejects it."""
    gone = tok.lemma_ == "exist" and any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "longer") for c in tok.children)
    dead = tok.lemma_ == "be" and any(
        c.dep_ in {"acomp", "attr"} and c.lower_ in DEAD_WORDS for c in tok.children
    ) and not _negated(tok)
    if not (gone or dead):
        return
    targets = [hit for c in tok.children if c.dep_ == "nsubj"
               if (hit := ctx.initiative_for(c)) is not None]
    if not targets:
        return
    speaker = quote_speaker(tok)
    if speaker is None and tok.dep_ == "ccomp" and tok.head.lemma_ in REPORTING_VERBS:
        speaker = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if speaker is None:
        return
    for hk, ht in _holder_pairs(ctx, [speaker]):
        for entity, ttext in targets:
            yield StanceCandidate(hk, ht, "reject", entity, ttext, tok.sent.start, False, 0.7,
                                  "declare-dead", tok.i)


def _complement(tok: Token) -> list[Token]:
    """What a verb of description says its object is, up to its head noun: 'called it [a
    non-starter]', 'described the deal [as a beacon] of hope'."""
    comps = [c for c in tok.children if c.dep_ in {"oprd", "xcomp", "acomp"}
             and c.pos_ in {"NOUN", "ADJ", "PROPN"}]
    if comps:
        first = min(x.i for c in comps for x in c.subtree)
        return list(tok.doc[first : max(c.i for c in comps) + 1])
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            heads = [x for x in c.children if x.dep_ in {"pobj", "amod", "acomp"}]
            if heads:
                return [x for x in heads[0].subtree if x.i <= heads[0].i]
    return []


def _characterisation_polarity(ctx: ArticleContext, comp: list[Token]) -> str | None:
    text = " ".join(t.lower_ for t in comp).replace(" - ", "-")
    if any(t.lower_ in {"backward", "backwards", "back"} for t in comp):
        return "reject"
    for phrase, pol in ctx.lexicon.characterisations.items():
        if f" {phrase} " in f" {text} ":
            return pol
    return None


def _characterisation_stances(ctx: ArticleContext, tok: Token) -> Iterator[StanceCandidate]:
    """'A spokesman called it a non-starter'; 'Guterres described the deal as a beacon of hope'."""
    comp = _complement(tok)
    if not comp:
        return
    polarity = _characterisation_polarity(ctx, comp)
    if polarity is None:
        return
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
    objs = [c for c in tok.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    if not objs and tok.dep_ in {"acl", "relcl"}:
        objs = [tok.head]
    targets = []
    for o in objs:
        hit = ctx.initiative_for(o)
        if hit is not None:
            targets.append(hit)
    if not targets:
        return
    governors = list(_governors(tok))
    pol, conditional, confidence, rule = _modality(ctx, tok, governors, polarity)
    if pol is None:
        return
    for holder_key, holder_text in _verb_holders(ctx, tok, governors, passive):
        for entity, ttext in targets:
            yield StanceCandidate(
                holder_key, holder_text, pol, entity, ttext, tok.sent.start, conditional,
                min(confidence, 0.7), f"characterise:{tok.lemma_.lower()}{rule}", tok.i,
            )


def _prep_noun_stances(ctx: ArticleContext, tok: Token, by_prep: dict[str, str]):
    """'the campaign against the deal (was led by X)', 'X's push for a ceasefire'."""
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        polarity = by_prep.get(_prep_phrase(c)) or by_prep.get(c.lower_)
        if polarity is None:
            continue
        for pobj in (x for x in c.subtree if x.dep_ == "pobj"):
            hit = ctx.initiative_for(pobj)
            if hit is None:
                continue
            holders = _noun_holders(ctx, tok)
            for hk, ht in _holder_pairs(ctx, holders):
                yield StanceCandidate(
                    hk, ht, polarity, hit[0], hit[1], tok.sent.start, False, 0.65,
                    f"noun:{tok.lemma_.lower()}-{c.lower_}", tok.i,
                )
            break


def _noun_holders(ctx: ArticleContext, tok: Token) -> list[Token]:
    """Who holds a nominal stance: 'X's campaign', 'support from X', 'the campaign … led by X',
    'X launched a campaign against …', 'Russia, whose ratification …'."""
    holders: list[Token] = [
        _whose(c) if c.lower_ == "whose" else c for c in tok.children if c.dep_ == "poss"
    ]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in {"from", "by"}:
            holders += [x for x in c.children if x.dep_ == "pobj"]
        if c.dep_ == "acl" and c.lemma_ in ctx.lexicon.carrier_verbs:
            for a in c.children:
                if a.dep_ == "agent":
                    holders += [x for x in a.children if x.dep_ == "pobj"]
    head = tok.head
    if not holders and head.lemma_ in ctx.lexicon.carrier_verbs:
        if tok.dep_ == "nsubjpass":
            for a in head.children:
                if a.dep_ == "agent":
                    holders += [x for x in a.children if x.dep_ == "pobj"]
        elif tok.dep_ == "dobj":
            holders += [x for x in head.children if x.dep_ == "nsubj"]
    return holders


def _modality(ctx, tok, governors, polarity, opts=None):
    """Polarity after negation, refusal and hedges; None when nothing should be emitted."""
    lex = ctx.lexicon
    conditional = False
    rule = ""
    confidence = 0.8
    negated = _negated(tok)
    aux = _modal(tok)
    if aux & lex.hedge_modals:
        return None, False, 0, ""
    for g in governors:
        if g.lemma_ in lex.hedge_verbs:
            return None, False, 0, ""
        if g.lemma_ in lex.refusal_verbs:
            if _negated(g):
                return None, False, 0, ""
            polarity = "reject" if polarity == "support" else "support"
            conditional = True
            rule = f"+refusal:{g.lemma_}"
            confidence = 0.75
            break
        if _negated(g) and g.lemma_ in lex.announce_verbs:
            return None, False, 0, ""
        if _modal(g) & lex.hedge_modals:
            return None, False, 0, ""
    if negated:
        # 'would not attend', 'will not sign': a declared refusal; 'China did not attend':
        # absence from a meeting (not 'in person': someone else went); 'did not reject': nothing
        in_person = "in person" in " ".join(t.lower_ for t in tok.subtree)
        if polarity == "support" and not in_person and (
            aux & FUTURE_AUX or (opts or {}).get("attendance")
        ):
            polarity = "reject"
            conditional = True
            rule += "+declared-refusal"
            confidence = 0.7
        else:
            return None, False, 0, ""
    if _conditioned(ctx, tok, governors):
        conditional = True
        rule += "+conditional"
        confidence = min(confidence, 0.7)
    return polarity, conditional, confidence, rule


def _conditioned(ctx, tok, governors) -> bool:
    """'only if', 'unless', 'as long as', 'once', 'only without preconditions'."""
    markers = ctx.lexicon.condition_markers
    for head in (tok, *governors[:1]):
        for c in head.children:
            if c.dep_ in {"advcl", "prep"} or (c.dep_ == "advmod" and c.lower_ == "only"):
                words = " ".join(t.lower_ for t in c.subtree)
                first = [t.lower_ for t in c.subtree][:4]
                if c.dep_ == "advmod" and c.lower_ == "only":
                    return True
                if c.dep_ == "prep" and words in {
                    "for now", "for the time being", "for the moment"
                }:
                    return True  # support limited in time
                if c.dep_ == "prep" and c.lower_ == "without" and "precondition" in words:
                    return True
                if c.dep_ == "advcl" and any(
                    f" {m} " in f" {' '.join(first)} " or any(
                        k.dep_ == "mark" and k.lower_ == m for k in c.children
                    )
                    for m in markers
                ):
                    return True
    return False


def _verb_targets(ctx, tok, opts, passive) -> list[tuple[InitiativeEntity, str]]:
    out: list[tuple[InitiativeEntity, str]] = []
    objs = []
    if passive:
        objs += [c for c in tok.children if c.dep_ == "nsubjpass"]
        if tok.dep_ in {"acl", "relcl"} and not objs:
            # 'the plan, rejected by X' / 'a deal which was signed by'; a participle the
            # parser hung on the last noun of the phrase ('a summit between Putin and Biden,
            # floated by Macron') belongs to the phrase's head
            cur = tok.head
            for _ in range(4):
                if cur.i in ctx.initiative_at or cur.dep_ not in {"pobj", "prep", "conj", "nmod"}:
                    break
                cur = cur.head
            objs.append(cur if cur.i in ctx.initiative_at else tok.head)
    else:
        if not opts.get("prep") or opts.get("dobj"):
            objs += [c for c in tok.children if c.dep_ in {"dobj", "attr"}]
    preps = opts.get("prep") or []
    for c in tok.children:
        if c.dep_ in {"prep", "prt", "advmod"}:
            seq = _prep_phrase(c)
            if seq in preps or c.lower_ in preps:
                objs += [x for x in c.subtree if x.dep_ == "pobj" and x.head.dep_ == "prep"][:1]
    if not objs and not passive:
        # 'reached what the bloc called a five-point consensus'
        for c in tok.children:
            if (c.dep_ == "ccomp" and c.lemma_ in {"call", "term", "describe", "dub", "label"}
                    and any(x.lower_ == "what" for x in c.children)):
                objs += [x for x in c.children if x.dep_ in {"oprd", "xcomp", "attr"}]
    if tok.dep_ == "relcl" and not passive and not objs and any(
            c.dep_ == "nsubj" and c.tag_ not in {"WDT", "WP"} for c in tok.children):
        objs.append(tok.head)  # 'the declaration it had signed': a zero relative
    if tok.dep_ == "relcl" and not passive and not objs:
        # 'the congress which Russia proposed'
        rel = [c for c in tok.children if c.dep_ == "dobj" or c.tag_ in {"WDT"}]
        if rel:
            objs.append(tok.head)
    if tok.dep_ == "relcl":
        objs = [tok.head if o.lower_ in REL_PRONOUNS else o for o in objs]
    wants = True if opts.get("meeting_only") else (False if tok.lemma_ in DOCUMENT_VERBS else None)
    lex = ctx.lexicon
    # 'signed one copy of the document': the document
    objs = [next((x for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                  for x in p.children if x.dep_ == "pobj"), o)
            if o.lemma_ in PARTITIVES else o for o in objs]
    # 'no deal had been reached', 'reached no agreement': nothing was
    objs = [o for o in objs if not any(c.dep_ == "det" and c.lower_ == "no" for c in o.children)]
    for o in objs:
        # 'join COVAX, the global scheme to share vaccines': the apposition says what it is
        appos = [c for c in o.children if c.dep_ == "appos" and o.i not in ctx.initiative_at]
        for t in [o, *o.conjuncts, *appos]:
            if any(c.dep_ == "acl" and c.i != tok.i and c.tag_ == "VBG" and (
                    c.lemma_ in lex.light_verbs or lex.verb_cues(c.lemma_)) for c in t.children):
                continue  # 'adopted a declaration expressing support for it': a vehicle
            hit = ctx.initiative_for(t, meeting=wants)
            if hit is not None and all(hit[0] is not e for e, _ in out):
                out.append(hit)
    return out


def _prep_phrase(c: Token) -> str:
    words = [c.lower_]
    nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
    if nxt is not None and nxt.dep_ == "prep" and nxt.head in {c, c.head}:
        words.append(nxt.lower_)
    return " ".join(words)


def _verb_holders(ctx, tok, governors, passive) -> list[tuple[str, str]]:
    subjects: list[Token] = []
    if passive:
        for c in tok.children:
            # 'rejected by Hamas … and by the PFLP': the second 'by' may hang on the verb
            if c.dep_ == "agent" or (c.dep_ == "conj" and c.lower_ == "by"):
                for agent in [c, *c.conjuncts]:
                    subjects += [x for x in agent.children if x.dep_ == "pobj"]
    else:
        subjects += [c for c in tok.children if c.dep_ in {"nsubj", "csubj"}]
    extra: list[Token] = []
    cur = tok
    while not subjects and cur.dep_ in CONTROL_DEPS and cur.head.i != cur.i:
        # control/raising: 'agreed to hold', 'refused to attend', 'calling it their right'
        cur = cur.head
        if cur.pos_ in {"NOUN", "PROPN"} and cur.dep_ in {"dobj", "pobj", "attr"}:
            cur = cur.head
        subjects += [c for c in cur.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if cur.dep_ == "relcl" and not subjects:
            subjects.append(cur.head)
    if tok.dep_ == "relcl" and subjects and subjects[0].tag_ in {"WDT", "WP"}:
        subjects = [tok.head]
    # 'the countries that declined to sign': the relative pronoun stands for its noun
    subjects = [_relative_antecedent(s) for s in subjects]
    # 'India and South Africa were among the countries that …'
    subjects = [_among_subject(s) for s in subjects]
    seats: list[tuple[str, str]] = []
    if passive and not subjects:
        # 'the offer was welcomed in Moscow': a capital or seat of government as the agent
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                for x in c.children:
                    hit = ctx.gazetteer.lookup(x.text) if x.dep_ == "pobj" else None
                    if hit is not None and hit[1] == "metonym":
                        seats.append((hit[0].key, x.text))
    # 'X agreed with Y to hold Z', 'X signed the accord with Y': Y takes the same side
    for g in [tok, *governors]:
        if g.lemma_ in CO_AGENT_VERBS:
            # 'signed the accord with Y', 'issued a joint declaration with Y'
            docs = [c for c in g.children if c.dep_ == "dobj" and c.i in ctx.initiative_at]
            # 'signed agreements establishing relations with the UAE and Bahrain': the
            # parties the documents are made with, through a participle on them
            made = [a for d in docs for a in d.children if a.dep_ == "acl"]
            made += [o for a in made for o in a.children if o.dep_ == "dobj"]
            for c in [*g.children, *(x for d in [*docs, *made] for x in d.children)]:
                if c.dep_ == "prep" and c.lower_ == "with":
                    extra += [x for x in c.children if x.dep_ == "pobj"]
    # ellipsis: 'Egypt welcomed the deal, as did Oman' / '…, and so has Italy'
    for g in [tok, *governors[:1]]:
        for c in g.children:
            if c.dep_ in {"advcl", "conj"} and c.lemma_ in {"do", "have", "be"} and any(
                k.lower_ in {"as", "so"} for k in c.children
            ):
                extra += [x for x in c.children if x.dep_ in {"nsubj", "expl"} or x.dep_ == "attr"]
    return _holder_pairs(ctx, subjects + extra) + seats


def _relative_antecedent(tok: Token) -> Token:
    """'the countries that declined', 'X, all of which took part': the noun a relative
    pronoun (or a quantifier over one) stands for."""
    rel = tok
    if tok.lower_ in {"all", "both", "each", "most", "many", "some", "several", "none"}:
        rel = next((x for x in tok.subtree if x.tag_ in {"WDT", "WP"}), tok)
    if rel.tag_ in {"WDT", "WP"}:
        clause = tok.head
        if clause.dep_ == "relcl":
            return clause.head
    return tok


def _whose(tok: Token) -> Token:
    """'Russia, whose ratification lifted …': the noun the relative clause hangs on."""
    cur = tok.head
    for _ in range(4):
        if cur.dep_ == "relcl":
            return cur.head
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return tok


def _among_subject(tok: Token) -> Token:
    """'X were among the countries that …' -> X."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "among":
        verb = tok.head.head
        subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            return subj[0]
    return tok


def _holder_pairs(ctx: ArticleContext, tokens: list[Token]) -> list[tuple[str, str]]:
    """(actor key, mention) for each token and its conjuncts, first occurrence kept."""
    found: list[tuple[str, str]] = []
    for h in tokens:
        for t in [h, *h.conjuncts, *_coordinated_inside(h)]:
            for pair in ctx.actors_for(t):
                if pair not in found:
                    found.append(pair)
    return found


def _coordinated_inside(head: Token) -> list[Token]:
    """Names coordinated inside one mis-parsed noun phrase: 'President Donald Trump and North
    Korean leader Kim Jong Un' parsed with Trump as a modifier of Un."""
    if not any(c.dep_ == "cc" for t in head.subtree for c in t.children):
        return []
    out = []
    stack = [c for c in head.children if c.dep_ in {"nmod", "compound", "conj"}]
    while stack:
        t = stack.pop()
        if t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} and t.dep_ != "compound":
            out.append(t)
        stack += [c for c in t.children if c.dep_ in {"nmod", "compound", "conj"}]
    return out


# -- nouns -----------------------------------------------------------------------------------
#: Nominal cues that may leave their target implicit, and whether it is a meeting.
IMPLICIT_NOUNS = {"signature": False, "ratification": False, "participation": True,
                  "attendance": True, "backing": None, "support": None}
NOUN_PREPS = {"for", "of", "to", "against", "in", "from", "at", "toward", "towards", "behind"}


def _noun_stances(ctx: ArticleContext, tok: Token, polarity: str) -> Iterator[StanceCandidate]:
    lex = ctx.lexicon
    lemma = tok.lemma_.lower()
    targets: list[tuple[InitiativeEntity, str]] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in NOUN_PREPS:
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    for t in [pobj, *pobj.conjuncts]:
                        hit = ctx.initiative_for(t)
                        if hit is not None:
                            targets.append(hit)
        if c.dep_ in {"acl", "relcl"} and lemma == "refusal":
            # "Iran's refusal to endorse the communique"
            for key in _phrasal(c):
                for pol, opts in lex.verb_cues(key):
                    for hit in _verb_targets(ctx, c, opts, False):
                        targets.append(hit)
                        polarity = "reject" if pol == "support" else "support"
    verb = tok.head if tok.dep_ in {"dobj", "attr", "pobj"} else None
    conditional = False
    if not targets and verb is not None and verb.lemma_ in DATIVE_LIGHT_VERBS:
        # 'gave the deal its full backing'
        for c in verb.children:
            if c.dep_ in {"dative", "dobj"} and c.i != tok.i:
                hit = ctx.initiative_for(c)
                if hit is not None:
                    targets.append(hit)
    if not targets and tok.dep_ == "pobj" and tok.head.lower_ in {"despite", "amid", "over"}:
        # 'signed a memorandum despite objections from X': the clause's document
        clause = tok.head.head
        for c in clause.children:
            if c.dep_ in {"dobj", "nsubjpass"}:
                hit = ctx.initiative_for(c)
                if hit is not None:
                    targets.append(hit)
    refused = verb is not None and verb.lemma_ in lex.refusal_verbs
    possessed = any(c.dep_ == "poss" and c.lower_ == "whose" for c in tok.children)
    if not targets and (refused or possessed or (
            verb is not None and verb.lemma_ in lex.light_verbs)) and lemma in IMPLICIT_NOUNS:
        # 'withheld their signatures', 'confirmed its participation': the document or
        # meeting under discussion
        hit = ctx.implicit_initiative(tok, meeting=IMPLICIT_NOUNS[lemma])
        targets = [hit] if hit is not None else []
    if not targets:
        return
    if refused:
        polarity = "reject" if polarity == "support" else "support"
        conditional = True
    if lemma in {"participation", "attendance"}:
        targets = [t for t in targets if t[0].meeting]
    holders = _noun_holders(ctx, tok)
    if holders and holders[0].lower_ in {"its", "their", "his", "her"} and verb is not None and (
        verb.lemma_ in DATIVE_LIGHT_VERBS or refused
    ):
        holders = []  # 'gave the deal its backing', 'withheld their signatures': the subject
    if verb is not None and verb.dep_ == "prep":
        verb = verb.head
    hedge_block = False
    conditional = conditional or lemma == "refusal"
    rule = f"noun:{lemma}"
    if verb is not None and verb.pos_ in {"VERB", "AUX"}:
        if _negated(verb) or _modal(verb) & lex.hedge_modals:
            return
        for g in [verb, *_governors(verb)]:
            if g.lemma_ in lex.hedge_verbs:
                hedge_block = True
        if not holders and (verb.lemma_ in lex.light_verbs or refused or verb.lemma_ in {
                "have", "receive", "win", "get"}):
            holders = list(_verb_holders(ctx, verb, list(_governors(verb)), False)) and [
                c for c in verb.children if c.dep_ in {"nsubj"}
            ] or []
            if not holders:
                cur = verb
                for g in _governors(verb):
                    cur = g
                    holders = [c for c in cur.children if c.dep_ == "nsubj"]
                    if holders:
                        break
        if _conditioned(ctx, verb, list(_governors(verb))):
            conditional = True
    if hedge_block:
        return
    for hk, ht in _holder_pairs(ctx, holders):
        for entity, ttext in targets:
            yield StanceCandidate(
                hk, ht, polarity, entity, ttext, tok.sent.start, conditional, 0.7, rule, tok.i
            )


def _coordination(tok: Token) -> list[Token]:
    """Every conjunct of the coordination ``tok`` belongs to ('Israel and Saudi Arabia')."""
    root = tok
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return [root, *root.conjuncts]


def _agent_noun_stances(
    ctx: ArticleContext, tok: Token, polarity: str
) -> Iterator[StanceCandidate]:
    """'Israel, a long-standing critic of the accord';
    'the EU, the treaty's most vocal champion'.
    """
    targets = []
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in {"of", "to"}):
            for t in ([c] if c.dep_ == "poss" else [x for x in c.children if x.dep_ == "pobj"]):
                hit = ctx.initiative_for(t)
                if hit is not None:
                    targets.append(hit)
    if not targets:
        return
    holders: list[Token] = []
    if tok.dep_ == "appos":
        holders = _coordination(tok.head)
    elif tok.dep_ == "attr":
        holders = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if _negated(tok.head):
            return
    for hk, ht in _holder_pairs(ctx, holders):
        for entity, ttext in targets:
            yield StanceCandidate(
                hk, ht, polarity, entity, ttext, tok.sent.start, False, 0.65,
                f"agent-noun:{tok.lemma_.lower()}", tok.i,
            )
