"""Extraction records to RDF quads: one named graph per article plus registry entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from diplograph.graph.iris import (
    actor_iri,
    article_graph_iri,
    article_iri,
    base_iri,
    evidence_iri,
    initiative_iri,
    meeting_iri,
    place_iri,
    publisher_iri,
    registry_graph,
    stance_iri,
)
from diplograph.ingest.records import (
    Actor,
    ArticleExtraction,
    Evidence,
    Initiative,
    Meeting,
    Stance,
)
from diplograph.ontology import namespace as _ns
from diplograph.ontology.namespace import MEETING_TYPE, POLARITY, SECTOR, STATUS

__all__ = [
    "ACTOR_CLASSES",
    "MEETING_DIGEST_VALUES",
    "MEETING_TYPES",
    "NAME_PREDICATES",
    "STANCE_DIGEST_CORE",
    "STANCE_DIGEST_VALUES",
    "build_article",
    "date_literal",
    "extraction_to_quads",
    "extractions_to_quads",
    "name_iri",
    "registry_subjects",
]


_Term = NamedNode | Literal
_Key = tuple[NamedNode, NamedNode, _Term, NamedNode]
"""A quad as a tuple of terms: ``(subject, predicate, object, graph)``."""
_Index = dict[tuple[NamedNode, NamedNode], list[_Term]]
"""Objects by ``(subject, predicate)``."""


@lru_cache(maxsize=4096)
def _node(term: object) -> NamedNode:
    return NamedNode(str(term))


def _n(term: object) -> NamedNode:
    return term if isinstance(term, NamedNode) else _node(term)


class _Nodes:
    """A vocabulary whose terms are pyoxigraph nodes, each made once: ``DIP.holder``.

    rdflib's namespace classes build and check a URIRef on every attribute access,
    which the builder does for every quad it writes.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        node = NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(str(self._namespace[name]))  # type: ignore[index]


DIP, OA, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, WD, XSD = (
    _Nodes(n) for n in (_ns.DIP, _ns.OA, _ns.PROV, _ns.RDF, _ns.RDFS, _ns.SCHEMA, _ns.SEM,
                        _ns.SKOS, _ns.WD, _ns.XSD)
)


_TYPE = RDF.type
_LABEL = RDFS.label
_ALT = SKOS.altLabel
_EXACT = SKOS.exactMatch
_MENTIONS = SCHEMA.mentions
_DERIVED = PROV.wasDerivedFrom
_XSD_DATE = XSD.date
_XSD_GYM = XSD.gYearMonth
_XSD_GY = XSD.gYear
_XSD_INT = XSD.integer
_XSD_DECIMAL = XSD.decimal
_XSD_ANYURI = XSD.anyURI
_HIDDEN = SKOS.hiddenLabel
_KEY = DIP.key
NAME_PREDICATES = (_LABEL, _ALT, SCHEMA.name, DIP.mentionText, _KEY)
"""The predicates whose texts the name filters of graph/queries.py search."""

ACTOR_CLASSES: dict[str, object] = {
    "state": DIP.State,
    "government": DIP.Government,
    "opposition": DIP.Opposition,
    "armed_group": DIP.ArmedGroup,
    "party": DIP.Party,
    "igo": DIP.IGO,
    "organisation": DIP.Organisation,
    "organization": DIP.Organisation,
    "person": DIP.Person,
    "legislature": DIP.Legislature,
    "group": DIP.Group,
}
"""Actor ``kind`` → class (every actor is also a ``sem:Actor``)."""

MEETING_TYPES: dict[str, str] = {
    "talks": "talks",
    "round of talks": "round-of-talks",
    "round": "round-of-talks",
    "summit": "summit",
    "congress": "congress",
    "conference": "conference",
    "visit": "visit",
    "call": "call",
    "phone call": "call",
    "telephone call": "call",
    "forum": "forum",
    "signing": "signing",
    "signing ceremony": "signing",
}
"""Meeting ``type`` text → local name in the meeting-type scheme (else ``other``)."""


def name_iri(text: str) -> NamedNode:
    """IRI of the name-index entry for ``text`` (a function of the text alone)."""
    return _name_entry(base_iri(), text)


# The same names (actor labels, keys) recur from article to article: memoised.
@lru_cache(maxsize=4096)
def _name_entry(base: str, text: str) -> NamedNode:
    """The IRI of the name-index entry of ``text`` under ``base``."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return NamedNode(f"{base}id/name/{digest}")


STANCE_DIGEST_VALUES = {
    "cond": DIP.conditional, "holderText": DIP.holderText, "targetText": DIP.targetText,
    "date": SEM.hasTimeStamp, "dateText": DIP.dateText, "conf": DIP.confidence,
    "rule": DIP.rule,
}
"""A stance's optional values in its ``dip:digest``, by the names the stance query reads
them under (:mod:`diplograph.graph.queries`), in the order of its rows."""
STANCE_DIGEST_CORE = {
    "holder": DIP.holder, "target": DIP.target, "pol": DIP.polarity, "art": _DERIVED,
}
"""A stance's required IRIs in its ``dip:digest``, by the names the stance query reads."""
MEETING_DIGEST_VALUES = {
    "text": DIP.mentionText, "etype": SEM.eventType, "typeText": DIP.typeText,
    "status": DIP.status, "begin": SEM.hasBeginTimeStamp, "end": SEM.hasEndTimeStamp,
    "round": DIP.round, "conf": DIP.confidence, "mLoc": _LABEL,
}
"""A meeting's own values in its ``dip:digest``, by the names the meeting query reads them
under, in the order of its rows (its article is under ``art``)."""
_ROLES = (SEM.hasActor, DIP.host, DIP.mediator)
"""A meeting's participants, hosts and mediators, in that order in its ``dip:digest``."""


_QUOTE = (OA.TextQuoteSelector, OA.exact)
_POSITION = (OA.TextPositionSelector, OA.start)
"""A selector class and the value a digest keeps of its selectors: the quoted sentence,
the start offset."""


def _selected(local: _Index, selectors: list[_Term], kind: tuple[NamedNode, NamedNode]) -> list:
    """The values of the ``selectors`` of one class (``kind``: the class and the value's
    predicate), as this graph gives them."""
    cls, predicate = kind
    return [o for sel in selectors if cls in local.get((sel, _TYPE), [])
            for o in local.get((sel, predicate), [])]


def _json_literal(digest: dict) -> Literal:
    """A digest as its ``dip:digest`` literal (compact JSON, keys sorted)."""
    return Literal(json.dumps(digest, sort_keys=True, separators=(",", ":")))


def _values(local: _Index, subject: object, predicate: NamedNode) -> list[list[str]]:
    """The digest terms of the objects of ``subject predicate`` in ``local``."""
    return [_digest_term(o) for o in local.get((subject, predicate), ())]


def _digest_term(term: object) -> list[str]:
    """A literal as ``[lexical form, datatype IRI, language]`` (see ``dip:digest``)."""
    if isinstance(term, Literal):
        return [term.value, term.datatype.value, term.language or ""]
    return [str(getattr(term, "value", term)), "", ""]


_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")


def date_literal(value: str | None) -> Literal | None:
    """Type an ISO date string by its precision: ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    Returns ``None`` for ``None`` or text that is not such a date.

    >>> date_literal("2017-12").datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    if not value or not _DATE_RE.match(value):
        return None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
            return Literal(value, datatype=_XSD_DATE)
        if len(value) == 7:
            dt.date.fromisoformat(value + "-01")
            return Literal(value, datatype=_XSD_GYM)
    except ValueError:
        return None
    return Literal(value, datatype=_XSD_GY)


def _confidence(value: float) -> Literal:
    """A confidence as ``xsd:decimal`` (clamped to 0..1; JSON-LD keeps decimals lexically)."""
    return Literal(repr(round(min(1.0, max(0.0, float(value))), 4)), datatype=_XSD_DECIMAL)


def _sector(code: str) -> NamedNode:
    return NamedNode(str(SECTOR) + quote(code.strip().upper(), safe="-._~"))


@lru_cache(maxsize=4096)
def _registry_quad(key: _Key) -> Quad:
    """The registry quad ``key``, made once while it keeps recurring.

    Registry descriptions (actors, initiatives, name entries) repeat from article to
    article, and pyoxigraph takes several µs to build a ``Quad`` with a literal object.
    """
    return Quad(*key)


class _Writer:
    """Collects the quads of one article, deduplicated, in insertion order.

    The quads are kept as ``(subject, predicate, object, graph)`` tuples and made into
    pyoxigraph ``Quad``s once, by :meth:`quad_list`: building a ``Quad`` takes µs in
    pyoxigraph, hashing a tuple of terms a tenth of that, and many quads are written
    more than once (shared evidence, repeated mentions, registry types).
    """

    def __init__(self, ex: ArticleExtraction) -> None:
        self.ex = ex
        self.article_id = ex.article.id
        self.article = article_iri(ex.article.id)
        self.graph = article_graph_iri(ex.article.id)
        self.registry = registry_graph()
        self.quads: dict[_Key, None] = {}
        self.identifier = Literal(ex.article.id)
        self.stances: dict[NamedNode, None] = {}  # in writing order, for digests()
        self.meetings: dict[NamedNode, None] = {}
        # the same sentence is often the evidence of several facts: described once
        self.evidence_nodes: dict[tuple[int, int, str], NamedNode] = {}
        self.actor_keys = {a.key for a in ex.actors}
        self.initiative_keys = {i.key for i in ex.initiatives} | {m.key for m in ex.meetings}
        self.mentioned: dict[NamedNode, None] = {}
        self.reset: dict[NamedNode, None] = {}

    def art(self, s: NamedNode, p: NamedNode, o: _Term) -> None:
        self.quads[(s, p, o, self.graph)] = None

    def reg(self, s: NamedNode, p: NamedNode, o: _Term) -> None:
        self.quads[(s, p, o, self.registry)] = None

    def quad_list(self) -> list[Quad]:
        """The quads written, in writing order."""
        registry = self.registry
        return [_registry_quad(key) if key[3] == registry else Quad(*key) for key in self.quads]

    def text(
        self, s: NamedNode, p: NamedNode, value: str | None, *, registry: bool = False
    ) -> None:
        if value:
            (self.reg if registry else self.art)(s, p, Literal(value))

    def mention(self, node: NamedNode) -> None:
        if node not in self.mentioned:
            self.mentioned[node] = None
            self.art(self.article, _MENTIONS, node)

    # ------------------------------------------------------------ registry

    def article_metadata(self) -> None:
        a, art = self.article, self.ex.article
        self.reset[a] = None
        self.reg(a, _TYPE, SCHEMA.NewsArticle)
        self.reg(a, SCHEMA.identifier, self.identifier)
        self.text(a, SCHEMA.headline, art.title, registry=True)
        if art.published is not None:
            published = Literal(art.published.isoformat(), datatype=_XSD_DATE)
            self.reg(a, SCHEMA.datePublished, published)
        if art.url:
            self.reg(a, SCHEMA.url, Literal(art.url, datatype=_XSD_ANYURI))
        if art.source:
            pub = publisher_iri(art.source)
            self.reg(a, SCHEMA.publisher, pub)
            self.reg(pub, _TYPE, SCHEMA.Organization)
            self.reg(pub, SCHEMA.name, Literal(art.source))
        self.text(a, DIP.contentHash, self.ex.content_hash, registry=True)
        self.text(a, DIP.extractorVersion, self.ex.extractor_version, registry=True)

    def actor(self, actor: Actor) -> None:
        x = actor_iri(actor.key)
        if x in self.reset:
            return  # first record of a duplicated key wins
        self.reset[x] = None
        self.reg(x, _TYPE, SEM.Actor)
        cls = ACTOR_CLASSES.get(actor.kind)
        if cls is not None:
            self.reg(x, _TYPE, cls)
        self.reg(x, _LABEL, Literal(actor.label or actor.key))
        self.reg(x, DIP.key, Literal(actor.key))
        self.text(x, DIP.actorKind, actor.kind, registry=True)
        self.text(x, DIP.country, actor.country, registry=True)
        if actor.sector:
            self.reg(x, DIP.sector, _sector(actor.sector))
        if actor.wikidata and _QID_RE.match(actor.wikidata):
            self.reg(x, _EXACT, WD[actor.wikidata])
        self.text(x, DIP.role, actor.role, registry=True)
        if actor.affiliation:
            self.reg(x, DIP.affiliation, self.actor_ref(actor.affiliation))
        # what this article says about the actor
        self.mention(x)
        for text in actor.mentions:
            self.text(x, DIP.mentionText, text)

    def initiative_entry(self, key: str, label: str, kind: str | None, meeting: bool) -> NamedNode:
        i = initiative_iri(key)
        first = i not in self.reset
        self.reset[i] = None
        self.reg(i, _TYPE, DIP.Initiative)
        if meeting:
            self.reg(i, _TYPE, DIP.Meeting)
            self.reg(i, _TYPE, SEM.Event)
        if first:
            self.reg(i, _LABEL, Literal(label or key))
            self.reg(i, SCHEMA.name, Literal(label or key))
            self.reg(i, DIP.key, Literal(key))
            if kind:
                self.reg(i, DIP.initiativeKind, Literal(kind))
        self.mention(i)
        return i

    # ------------------------------------------------------------ references

    def actor_ref(self, key: str, text: str | None = None) -> NamedNode:
        """IRI of an actor referenced by a fact; unknown keys get a local description."""
        x = actor_iri(key)
        if key not in self.actor_keys:
            self.art(x, _TYPE, SEM.Actor)
            self.art(x, _LABEL, Literal(text or key))
            self.art(x, DIP.key, Literal(key))
        self.mention(x)
        return x

    def initiative_ref(self, key: str, text: str | None = None) -> NamedNode:
        i = initiative_iri(key)
        if key not in self.initiative_keys:
            self.art(i, _TYPE, DIP.Initiative)
            self.art(i, _LABEL, Literal(text or key))
            self.art(i, DIP.key, Literal(key))
        self.mention(i)
        return i

    def evidence(self, ev: Evidence) -> NamedNode:
        key = (ev.start, ev.end, ev.sentence)
        if key in self.evidence_nodes:
            return self.evidence_nodes[key]  # its quads are written already
        node = self.evidence_nodes[key] = evidence_iri(self.article_id, *key)
        target = NamedNode(node.value + "-t")
        quote_sel = NamedNode(node.value + "-q")
        position = NamedNode(node.value + "-p")
        self.art(node, _TYPE, OA.Annotation)
        self.art(node, OA.hasTarget, target)
        self.art(node, _DERIVED, self.article)
        self.art(target, _TYPE, OA.SpecificResource)
        self.art(target, OA.hasSource, self.article)
        self.art(target, OA.hasSelector, quote_sel)
        self.art(target, OA.hasSelector, position)
        self.art(quote_sel, _TYPE, OA.TextQuoteSelector)
        self.art(quote_sel, OA.exact, Literal(ev.sentence))
        self.art(position, _TYPE, OA.TextPositionSelector)
        self.art(position, OA.start, Literal(str(max(0, ev.start)), datatype=_XSD_INT))
        self.art(position, OA.end, Literal(str(max(0, ev.end)), datatype=_XSD_INT))
        return node

    # ------------------------------------------------------------ article facts

    def initiative(self, ini: Initiative) -> None:
        i = self.initiative_entry(ini.key, ini.label, ini.kind, meeting=False)
        self.art(i, _TYPE, DIP.Initiative)
        for alias in ini.aliases:
            self.text(i, _ALT, alias)
        for ev in ini.evidence:
            self.art(i, DIP.evidence, self.evidence(ev))

    def meeting(self, m: Meeting) -> None:
        node = self.initiative_entry(m.key, m.label, None, meeting=True)
        assert node == meeting_iri(m.key)
        self.meetings[node] = None
        for cls in (DIP.Meeting, SEM.Event, DIP.Initiative):
            self.art(node, _TYPE, cls)
        self.text(node, DIP.mentionText, m.text)
        kind = (m.type or "").strip().lower()
        local = MEETING_TYPES.get(kind, "other")
        self.art(node, SEM.eventType, _n(MEETING_TYPE[local]))
        if local == "other" and kind:
            self.art(node, DIP.typeText, Literal(m.type))
        self.art(node, DIP.status, _n(STATUS[m.status if m.status in _STATUSES else "planned"]))
        for key in m.participants:
            self.art(node, SEM.hasActor, self.actor_ref(key))
        for key in m.hosts:
            self.art(node, DIP.host, self.actor_ref(key))
        for key in m.mediators:
            self.art(node, DIP.mediator, self.actor_ref(key))
        if m.location:
            place = place_iri(m.location, m.location_country)
            self.art(node, SEM.hasPlace, place)
            self.art(place, _TYPE, SCHEMA.Place)
            self.art(place, _TYPE, SEM.Place)
            self.art(place, SCHEMA.name, Literal(m.location))
            self.text(place, DIP.country, m.location_country)
        dates = ((SEM.hasBeginTimeStamp, m.start_date), (SEM.hasEndTimeStamp, m.end_date))
        for prop, value in dates:
            lit = date_literal(value)
            if lit is not None:
                self.art(node, prop, lit)
        self.text(node, DIP.dateText, m.date_text)
        self.art(node, DIP.dateResolved, Literal(bool(m.date_resolved)))
        if m.round is not None and m.round >= 0:
            self.art(node, DIP.round, Literal(str(int(m.round)), datatype=_XSD_INT))
        if m.part_of:
            self.art(node, SEM.subEventOf, self.initiative_ref(m.part_of))
        for ev in m.evidence:
            self.art(node, DIP.evidence, self.evidence(ev))
        self.art(node, DIP.confidence, _confidence(m.confidence))
        self.text(node, DIP.rule, m.rule)
        self.art(node, _DERIVED, self.article)

    def stance(self, st: Stance) -> None:
        ev = st.evidence
        s = stance_iri(
            self.article_id, st.holder, st.polarity, st.target, st.conditional,
            ev.start, ev.end, st.rule,
        )
        holder = self.actor_ref(st.holder, st.holder_text)
        target = self.initiative_ref(st.target, st.target_text)
        polarity = st.polarity if st.polarity in ("support", "reject") else None
        if polarity is None:
            raise ValueError(f"stance polarity {st.polarity!r}: expected 'support' or 'reject'")
        self.stances[s] = None
        self.art(s, _TYPE, DIP.Stance)
        self.art(s, DIP.holder, holder)
        self.art(s, DIP.target, target)
        self.art(s, DIP.polarity, _n(POLARITY[polarity]))
        self.art(s, DIP.conditional, Literal(bool(st.conditional)))
        self.art(s, DIP.confidence, _confidence(st.confidence))
        self.text(s, DIP.rule, st.rule)
        self.text(s, DIP.holderText, st.holder_text)
        self.text(s, DIP.targetText, st.target_text)
        # the texts are also mentions of the entities (found by label-substring queries)
        self.text(holder, DIP.mentionText, st.holder_text)
        self.text(target, _ALT, st.target_text)
        lit = date_literal(st.date)
        if lit is not None:
            self.art(s, SEM.hasTimeStamp, lit)
        elif st.date:
            self.art(s, DIP.dateText, Literal(st.date))
        self.art(s, DIP.evidence, self.evidence(ev))
        self.art(s, _DERIVED, self.article)
        # derived shortcut edge (see dip:supports / dip:rejects)
        self.art(holder, DIP.supports if polarity == "support" else DIP.rejects, target)

    def digests(self) -> None:
        """Give each stance and meeting a ``dip:digest``: its local facts as one JSON literal.

        The facts stay in the graph as triples; the digest repeats what the stance query
        reads of them (the stance's holder, target, polarity and article, its optional
        values, its evidence sentence and offset, the labels and keys this graph gives its
        holder and target), so that query reads one literal per stance instead of a dozen
        lookups, and the article's id from the registry. A meeting's digest does the same
        for the meeting query (see :meth:`meeting_digest`). It is derived from the quads
        written with it and replaced with them.
        """
        if not self.stances and not self.meetings:
            return
        local: _Index = {}
        for s, p, o, g in self.quads:
            if g == self.graph:
                local.setdefault((s, p), []).append(o)
        # the article's id, from its one registry identifier (see article_metadata)
        article_ids = [_digest_term(self.identifier)]
        for s in self.meetings:
            self.art(s, DIP.digest, _json_literal(self.meeting_digest(local, s, article_ids)))
        for s in self.stances:
            holder = local[(s, DIP.holder)][0]
            target = local[(s, DIP.target)][0]
            evidence = local.get((s, DIP.evidence), [])
            selectors = [sel for ev in evidence for t in local.get((ev, OA.hasTarget), [])
                         for sel in local.get((t, OA.hasSelector), [])]
            digest = {
                **{name: _values(local, s, pred) for name, pred in STANCE_DIGEST_VALUES.items()},
                **{name: _values(local, s, pred) for name, pred in STANCE_DIGEST_CORE.items()},
                "exact": [_digest_term(o) for o in _selected(local, selectors, _QUOTE)],
                "start": [_digest_term(o) for o in _selected(local, selectors, _POSITION)],
                "hLoc": _values(local, holder, _LABEL), "hKeyLoc": _values(local, holder, _KEY),
                "tLoc": _values(local, target, _LABEL), "tKeyLoc": _values(local, target, _KEY),
                "articleId": article_ids,
            }
            self.art(s, DIP.digest, _json_literal(digest))

    @staticmethod
    def meeting_digest(local: _Index, m: NamedNode, article_ids: list[list[str]]) -> dict:
        """A meeting's ``dip:digest``: what the meeting query reads of its graph.

        Its article, optional values, the names this graph gives its places, its
        evidence quotes (each quote selector's sentence with each position selector's
        start, per evidence target), the keys this graph gives the initiatives it is
        part of, and its participants, hosts and mediators with the labels and keys
        this graph gives them. Registry labels and keys are not in it: other articles
        change them.
        """
        quotes = []
        for ev in local.get((m, DIP.evidence), []):
            for target in local.get((ev, OA.hasTarget), []):
                selectors = local.get((target, OA.hasSelector), [])
                exacts = _selected(local, selectors, _QUOTE)
                starts = _selected(local, selectors, _POSITION)
                quotes += [[_digest_term(x), _digest_term(y)] for x in exacts for y in starts]
        return {
            "art": _values(local, m, _DERIVED),
            **{name: _values(local, m, pred) for name, pred in MEETING_DIGEST_VALUES.items()},
            "articleId": article_ids,
            "placeName": [_digest_term(n) for pl in local.get((m, SEM.hasPlace), [])
                          for n in local.get((pl, SCHEMA.name), [])],
            "quotes": quotes,
            "part": [[_digest_term(part), _values(local, part, _KEY)]
                     for part in local.get((m, SEM.subEventOf), [])],
            "roles": [[_digest_term(rel), _digest_term(a), _values(local, a, _LABEL),
                       _values(local, a, _KEY)]
                      for rel in _ROLES for a in local.get((m, rel), [])],
        }

    def names(self) -> None:
        """Index the names this article gives entities, in its graph and in the registry
        (see ``NAME_PREDICATES``).

        Each distinct text gets a registry entry whose IRI is a function of the text
        alone, holding the text as its ``skos:hiddenLabel``. A name query scans these few
        distinct texts instead of every mention in every graph. The entry is a single
        quad and the article graph does not point to it (a fifth of an article's quads,
        each written to six indexes, went to such links before): the store prunes an
        entry once no graph holds its text under a name predicate (``_prune_update`` in
        graph/store.py).
        """
        predicates = frozenset(NAME_PREDICATES)
        # every quad is in the article graph or the registry: both are indexed
        texts = {o: None for _, p, o, _ in self.quads
                 if isinstance(o, Literal) and p in predicates}
        base = base_iri()
        for text in texts:
            self.reg(_name_entry(base, text.value), _HIDDEN, text)

    def run(self) -> None:
        self.article_metadata()
        for actor in self.ex.actors:
            self.actor(actor)
        for ini in self.ex.initiatives:
            self.initiative(ini)
        for m in self.ex.meetings:
            self.meeting(m)
        for st in self.ex.stances:
            self.stance(st)
        self.digests()
        self.names()


_STATUSES = frozenset({"held", "planned", "postponed", "cancelled"})


def _write(ex: ArticleExtraction) -> _Writer:
    writer = _Writer(ex)
    writer.run()
    return writer


def extraction_to_quads(ex: ArticleExtraction) -> Iterator[Quad]:
    """Yield the quads for one article: its named graph and its registry entries.

    The article graph (:func:`~diplograph.graph.iris.article_graph_iri`) holds the
    stances, meetings, initiative aliases, actor mentions and evidence read from the
    article; the registry graph holds canonical actors, canonical initiative labels,
    the article metadata and the name index entries of the article graph's texts (see
    ``_Writer.names``). Registry triples are a function of the record alone, so
    re-asserting them is idempotent. No blank nodes are produced.

    Raises:
        ValueError: a stance polarity is neither ``support`` nor ``reject``.
    """
    yield from _write(ex).quad_list()


def registry_subjects(ex: ArticleExtraction) -> list[NamedNode]:
    """Registry subjects whose description an ingest of ``ex`` replaces (last writer wins)."""
    return list(_write(ex).reset)


def build_article(ex: ArticleExtraction) -> tuple[NamedNode, list[Quad], list[NamedNode]]:
    """Return ``(article graph IRI, quads, registry subjects to reset)`` in one pass."""
    writer = _write(ex)
    return writer.graph, writer.quad_list(), list(writer.reset)


def extractions_to_quads(exs: Iterable[ArticleExtraction]) -> Iterator[Quad]:
    """Yield the quads of many articles (duplicates across articles not removed)."""
    for ex in exs:
        yield from extraction_to_quads(ex)
