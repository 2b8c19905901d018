"""SPARQL queries for stances, meetings and actors, as frozen rows, on a store or an endpoint.

The same query text runs on the embedded store and on a remote SPARQL endpoint: every
pattern names its graph (``GRAPH ?g`` or the registry graph), and user values enter as
``VALUES`` blocks whose terms pyoxigraph serialises (escaped N-Triples terms), never as
text pasted into the query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox

from diplograph.errors import StoreError, ValidationError
from diplograph.graph.endpoint import Endpoint
from diplograph.graph.iris import registry_graph
from diplograph.graph.store import Store
from diplograph.ontology.namespace import MEETING_TYPE, POLARITY, PREFIXES, SECTOR, STATUS

__all__ = ["ActorRow", "MeetingRow", "Source", "StanceRow", "actors", "meetings", "run", "stances"]

Source = Store | Endpoint
"""Where queries run: the embedded store or a remote SPARQL endpoint."""

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@dataclass(frozen=True, slots=True)
class StanceRow:
    """One stance, as the ``stances`` command prints it.

    The first ten fields are the documented JSON contract; the rest are extras.
    """

    article: str
    holder: str
    holder_text: str | None
    polarity: str
    conditional: bool
    target: str
    target_text: str | None
    sentence: str | None
    date: str | None
    confidence: float | None
    holder_country: str | None = None
    holder_sector: str | None = None
    rule: str | None = None
    holder_key: str | None = None
    target_key: str | None = None
    iri: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON row (fields in documented order)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting as reported by one article (the ``meetings`` JSON row, then extras)."""

    article: str
    name: str
    text: str | None
    type: str | None
    participants: tuple[str, ...]
    hosts: tuple[str, ...]
    mediators: tuple[str, ...]
    location: str | None
    start_date: str | None
    end_date: str | None
    round: int | None
    status: str | None
    sentence: str | None
    key: str | None = None
    part_of: str | None = None
    confidence: float | None = None
    iri: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON row; participant lists become JSON arrays."""
        row = asdict(self)
        for name in ("participants", "hosts", "mediators"):
            row[name] = list(row[name])
        return row


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One canonical actor with the number of articles mentioning it."""

    key: str
    label: str
    kind: str | None
    country: str | None
    sector: str | None
    wikidata: str | None
    articles: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON row."""
        return asdict(self)


# ---------------------------------------------------------------- helpers


def _v(term: Any) -> Any:
    """Python value of a term (``None`` stays ``None``)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        if dtype.endswith("#boolean"):
            return term.value in ("true", "1")
        if dtype.endswith(("#double", "#decimal", "#float")):
            return float(term.value)
        if dtype.endswith(("#integer", "#nonNegativeInteger", "#int")):
            return int(term.value)
        return term.value
    return term.value


def _s(term: Any) -> str | None:
    return None if term is None else term.value


def _local(term: Any, namespace: object) -> str | None:
    if term is None:
        return None
    value, ns = term.value, str(namespace)
    return unquote(value[len(ns):]) if value.startswith(ns) else value


def _values(var: str, term: ox.NamedNode | ox.Literal) -> str:
    """A ``VALUES ?var { term }`` block; the term is written by pyoxigraph's serialiser.

    Quotes, backslashes, braces and newlines in a literal come out escaped, so a user
    value can never close the literal and add SPARQL of its own.
    """
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"cannot bind {term!r}: expected a NamedNode or Literal")
    return f"VALUES ?{var} {{ {term} }}"


def _needle(value: str) -> ox.Literal:
    try:
        return ox.Literal(value)
    except (TypeError, ValueError) as err:
        raise ValidationError(f"filter value {value!r}: {err}") from err


def _label_filter(subject: str, needle: str, value: ox.Literal) -> str:
    """A pattern keeping stances whose ``subject`` matches ``?needle``.

    The needle matches (case-insensitive substring) any label, alias, name, key or
    mention of the subject in any graph (the builder records each stance's holder and
    target text as such a mention). Matching subjects are computed once in a subquery,
    then joined. The needle is bound by a ``VALUES`` block inside the subquery (a
    subquery is evaluated on its own: a binding from outside would not reach it).
    """
    values = _values(needle, value)
    return f"""
  {{ SELECT DISTINCT {subject} ?{needle} WHERE {{
      {values}
      GRAPH ?lg_{needle} {{
        {subject} rdfs:label|skos:altLabel|schema:name|dip:mentionText|dip:key ?l_{needle}
      }}
      FILTER(CONTAINS(LCASE(STR(?l_{needle})), LCASE(STR(?{needle}))))
  }} }}"""


def run(source: Source, query: str) -> list[Any]:
    """Solutions of a SELECT query on the embedded store or a remote endpoint.

    Each solution maps variable names to pyoxigraph terms (``None`` when unbound),
    whichever side answered.

    Raises:
        StoreError: the embedded store rejected the query.
        EndpointError: the endpoint failed or answered something else than results.
    """
    if isinstance(source, Endpoint):
        result = source.query(query)
        if isinstance(result, bool):
            raise StoreError("expected a SELECT query, got an ASK answer")
        return result
    try:
        return list(source.ox.query(query, use_default_graph_as_union=False))
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise StoreError(f"SPARQL query failed: {err}") from err


# ---------------------------------------------------------------- stances

_STANCE_SELECT = """
SELECT ?g ?stance ?articleId ?holder ?holderKey ?hReg ?hLoc ?holderText ?pol ?cond ?target
       ?targetKey ?tReg ?tLoc ?targetText ?sentence ?start ?date ?dateText ?conf ?rule ?country
       ?sector {extra}
WHERE {{
  GRAPH ?g {{
    ?stance a dip:Stance ; dip:holder ?holder ; dip:target ?target ; dip:polarity ?pol ;
            prov:wasDerivedFrom ?art .
    OPTIONAL {{ ?stance dip:conditional ?cond }}
    OPTIONAL {{ ?stance dip:holderText ?holderText }}
    OPTIONAL {{ ?stance dip:targetText ?targetText }}
    OPTIONAL {{ ?stance sem:hasTimeStamp ?date }}
    OPTIONAL {{ ?stance dip:dateText ?dateText }}
    OPTIONAL {{ ?stance dip:confidence ?conf }}
    OPTIONAL {{ ?stance dip:rule ?rule }}
    OPTIONAL {{ ?stance dip:evidence/oa:hasTarget/oa:hasSelector ?qs .
               ?qs a oa:TextQuoteSelector ; oa:exact ?sentence }}
    OPTIONAL {{ ?stance dip:evidence/oa:hasTarget/oa:hasSelector ?ps .
               ?ps a oa:TextPositionSelector ; oa:start ?start }}
    OPTIONAL {{ ?holder rdfs:label ?hLoc }}
    OPTIONAL {{ ?target rdfs:label ?tLoc }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?art schema:identifier ?articleId }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder rdfs:label ?hReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:key ?hKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?holder dip:key ?hKeyLoc }} }}
  BIND(COALESCE(?hKeyReg, ?hKeyLoc) AS ?holderKey)
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:country ?country }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?holder dip:sector ?sector }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?target rdfs:label ?tReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?target dip:key ?tKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?target dip:key ?tKeyLoc }} }}
  BIND(COALESCE(?tKeyReg, ?tKeyLoc) AS ?targetKey)
  {filters}
}}"""

def _stance_query(
    initiative: ox.Literal | None, holder: ox.Literal | None, polarity: ox.NamedNode | None
) -> str:
    extra, filters = [], []
    if polarity is not None:
        filters.append(_values("pol", polarity))
    if initiative is not None:
        extra.append("?initiativeNeedle")
        filters.append(_label_filter("?target", "initiativeNeedle", initiative))
    if holder is not None:
        extra.append("?holderNeedle")
        filters.append(_label_filter("?holder", "holderNeedle", holder))
    return _PROLOGUE + _STANCE_SELECT.format(
        extra=" ".join(extra), filters="\n".join(filters), reg=registry_graph()
    )


def _polarity_node(polarity: str | None) -> ox.NamedNode | None:
    if polarity is None:
        return None
    value = polarity.strip().lower()
    if value not in ("support", "reject"):
        raise ValidationError(f"polarity {polarity!r}: expected 'support' or 'reject'")
    return ox.NamedNode(str(POLARITY[value]))


def stances(
    store: Source,
    initiative: str | None = None,
    holder: str | None = None,
    polarity: str | None = None,
) -> list[StanceRow]:
    """Stances in the store, optionally filtered.

    Args:
        store: the store to read, or a remote :class:`Endpoint`.
        initiative: case-insensitive substring of the target's canonical label, an
            alias, a mention, or the target text of the stance.
        holder: the same for the holder (labels, mentions, key, holder text).
        polarity: ``support`` or ``reject``.

    Returns:
        Rows sorted by article, sentence position, holder and target.

    Raises:
        ValidationError: ``polarity`` is not ``support`` or ``reject``.
    """
    query = _stance_query(
        _needle(initiative) if initiative else None,
        _needle(holder) if holder else None,
        _polarity_node(polarity),
    )
    best: dict[tuple[str, str], tuple[Any, StanceRow]] = {}
    for sol in run(store, query):
        start = _v(sol["start"])
        row = StanceRow(
            article=_s(sol["articleId"]) or "",
            holder=_s(sol["hReg"]) or _s(sol["hLoc"]) or _s(sol["holderText"]) or "",
            holder_text=_s(sol["holderText"]),
            polarity=_local(sol["pol"], POLARITY) or "",
            conditional=bool(_v(sol["cond"])),
            target=_s(sol["tReg"]) or _s(sol["tLoc"]) or _s(sol["targetText"]) or "",
            target_text=_s(sol["targetText"]),
            sentence=_s(sol["sentence"]),
            date=_s(sol["date"]) or _s(sol["dateText"]),
            confidence=_v(sol["conf"]),
            holder_country=_s(sol["country"]),
            holder_sector=_local(sol["sector"], SECTOR),
            rule=_s(sol["rule"]),
            holder_key=_s(sol["holderKey"]),
            target_key=_s(sol["targetKey"]),
            iri=sol["stance"].value,
        )
        ident = (sol["g"].value, sol["stance"].value)
        rank = (start if start is not None else 1 << 62, row.holder, row.target)
        if ident not in best or (rank, _row_key(row)) < (best[ident][0], _row_key(best[ident][1])):
            best[ident] = (rank, row)
    ordered = sorted(best.values(), key=lambda pair: (pair[1].article, pair[0], _row_key(pair[1])))
    return [row for _, row in ordered]


def _row_key(row: Any) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in asdict(row).values())


# ---------------------------------------------------------------- meetings

_MEETING_SELECT = """
SELECT ?g ?m ?articleId ?mReg ?mLoc ?key ?text ?etype ?typeText ?place ?status ?begin ?end
       ?round ?sentence ?start ?conf ?partKey {extra}
WHERE {{
  GRAPH ?g {{
    ?m a dip:Meeting ; prov:wasDerivedFrom ?art .
    OPTIONAL {{ ?m dip:mentionText ?text }}
    OPTIONAL {{ ?m sem:eventType ?etype }}
    OPTIONAL {{ ?m dip:typeText ?typeText }}
    OPTIONAL {{ ?m sem:hasPlace ?pl . ?pl schema:name ?place }}
    OPTIONAL {{ ?m dip:status ?status }}
    OPTIONAL {{ ?m sem:hasBeginTimeStamp ?begin }}
    OPTIONAL {{ ?m sem:hasEndTimeStamp ?end }}
    OPTIONAL {{ ?m dip:round ?round }}
    OPTIONAL {{ ?m dip:confidence ?conf }}
    OPTIONAL {{ ?m rdfs:label ?mLoc }}
    OPTIONAL {{ ?m dip:evidence ?ev . ?ev oa:hasTarget ?et .
               ?et oa:hasSelector ?qs , ?ps .
               ?qs a oa:TextQuoteSelector ; oa:exact ?sentence .
               ?ps a oa:TextPositionSelector ; oa:start ?start }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?art schema:identifier ?articleId }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?m rdfs:label ?mReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?m dip:key ?key }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:subEventOf ?part }}
             OPTIONAL {{ GRAPH {reg} {{ ?part dip:key ?pKeyReg }} }}
             OPTIONAL {{ GRAPH ?g {{ ?part dip:key ?pKeyLoc }} }}
             BIND(COALESCE(?pKeyReg, ?pKeyLoc) AS ?partKey) }}
  {filters}
}}"""

_MEETING_ACTOR_FILTER = """
  {{
    SELECT DISTINCT ?fa ?actorNeedle WHERE {{
      {values}
      GRAPH ?flg {{ ?fa rdfs:label|dip:mentionText|dip:key ?fl }}
      FILTER(CONTAINS(LCASE(STR(?fl)), LCASE(STR(?actorNeedle))))
    }}
  }}
  GRAPH ?g {{ ?m sem:hasActor|dip:host|dip:mediator ?fa }}"""

_MEETING_ROLES = """
SELECT ?g ?m ?rel ?a ?aReg ?aLoc ?aKey WHERE {{
  GRAPH ?g {{
    ?m a dip:Meeting .
    VALUES ?rel {{ sem:hasActor dip:host dip:mediator }}
    ?m ?rel ?a .
    OPTIONAL {{ ?a rdfs:label ?aLoc }}
  }}
  OPTIONAL {{ GRAPH {reg} {{ ?a rdfs:label ?aReg }} }}
  OPTIONAL {{ GRAPH {reg} {{ ?a dip:key ?aKeyReg }} }}
  OPTIONAL {{ GRAPH ?g {{ ?a dip:key ?aKeyLoc }} }}
  BIND(COALESCE(?aKeyReg, ?aKeyLoc) AS ?aKey)
}}"""

def _meeting_query(actor: ox.Literal | None) -> str:
    filters = "" if actor is None else _MEETING_ACTOR_FILTER.format(
        values=_values("actorNeedle", actor)
    )
    return _PROLOGUE + _MEETING_SELECT.format(
        extra="" if actor is None else "?actorNeedle", filters=filters, reg=registry_graph()
    )


_ROLE_FIELD = {
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor": "participants",
    PREFIXES["dip"] + "host": "hosts",
    PREFIXES["dip"] + "mediator": "mediators",
}


def meetings(store: Source, actor: str | None = None) -> list[MeetingRow]:
    """Meetings in the store, one row per meeting per reporting article.

    Args:
        store: the store to read, or a remote :class:`Endpoint`.
        actor: case-insensitive substring of a participant's, host's or mediator's
            label, key or mention text.

    Returns:
        Rows sorted by article, sentence position and name; participants, hosts and
        mediators are canonical labels, sorted.
    """
    sols = run(store, _meeting_query(_needle(actor) if actor else None))
    if not sols:
        return []
    roles: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for sol in run(store, _PROLOGUE + _MEETING_ROLES.format(reg=registry_graph())):
        label = _s(sol["aReg"]) or _s(sol["aLoc"]) or _s(sol["aKey"]) or sol["a"].value
        roles[(sol["g"].value, sol["m"].value)][_ROLE_FIELD[sol["rel"].value]].add(label)
    best: dict[tuple[str, str], tuple[Any, MeetingRow]] = {}
    for sol in sols:
        ident = (sol["g"].value, sol["m"].value)
        people = roles.get(ident, {})
        type_text = _s(sol["typeText"])
        etype = _local(sol["etype"], MEETING_TYPE)
        row = MeetingRow(
            article=_s(sol["articleId"]) or "",
            name=_s(sol["mReg"]) or _s(sol["mLoc"]) or _s(sol["text"]) or "",
            text=_s(sol["text"]),
            type=type_text or (etype.replace("-", " ") if etype else None),
            participants=tuple(sorted(people.get("participants", ()))),
            hosts=tuple(sorted(people.get("hosts", ()))),
            mediators=tuple(sorted(people.get("mediators", ()))),
            location=_s(sol["place"]),
            start_date=_s(sol["begin"]),
            end_date=_s(sol["end"]),
            round=_v(sol["round"]),
            status=_local(sol["status"], STATUS),
            sentence=_s(sol["sentence"]),
            key=_s(sol["key"]),
            part_of=_s(sol["partKey"]),
            confidence=_v(sol["conf"]),
            iri=sol["m"].value,
        )
        start = _v(sol["start"])
        rank = start if start is not None else 1 << 62
        if ident not in best or (rank, _row_key(row)) < (best[ident][0], _row_key(best[ident][1])):
            best[ident] = (rank, row)
    ordered = sorted(best.values(), key=lambda pair: (pair[1].article, pair[0], _row_key(pair[1])))
    return [row for _, row in ordered]


# ---------------------------------------------------------------- actors

_ACTORS = """
SELECT ?a ?g ?key ?label ?kind ?country ?sector ?wd WHERE {{
  GRAPH ?g {{
    ?a a sem:Actor ; dip:key ?key ; rdfs:label ?label .
    OPTIONAL {{ ?a dip:actorKind ?kind }}
    OPTIONAL {{ ?a dip:country ?country }}
    OPTIONAL {{ ?a dip:sector ?sector }}
    OPTIONAL {{ ?a skos:exactMatch ?wd . FILTER(STRSTARTS(STR(?wd), STR(wd:))) }}
  }}
}}"""

_MENTION_COUNTS = """
SELECT ?a (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  GRAPH ?g {{ ?art schema:mentions ?a . }}
  FILTER(?g != {reg})
}} GROUP BY ?a"""


def actors(store: Source) -> list[ActorRow]:
    """Actors in the store: canonical registry entries first-class, unknown ones too.

    Args:
        store: the store to read, or a remote :class:`Endpoint`.

    Returns:
        Rows sorted by label (case-insensitive) and key; ``articles`` counts the
        articles mentioning the actor.
    """
    reg = registry_graph().value
    counts = {
        sol["a"].value: int(sol["n"].value)
        for sol in run(store, _PROLOGUE + _MENTION_COUNTS.format(reg=registry_graph()))
    }
    chosen: dict[str, tuple[tuple[int, str], ActorRow]] = {}
    for sol in run(store, _PROLOGUE + _ACTORS.format()):
        iri = sol["a"].value
        wd = _s(sol["wd"])
        row = ActorRow(
            key=_s(sol["key"]) or "",
            label=_s(sol["label"]) or "",
            kind=_s(sol["kind"]),
            country=_s(sol["country"]),
            sector=_local(sol["sector"], SECTOR),
            wikidata=wd.rsplit("/", 1)[-1] if wd else None,
            articles=counts.get(iri, 0),
        )
        # the registry description wins over article-local fallbacks
        rank = (0 if sol["g"].value == reg else 1, "\x00".join(_row_key(row)))
        if iri not in chosen or rank < chosen[iri][0]:
            chosen[iri] = (rank, row)
    return sorted((row for _, row in chosen.values()), key=lambda r: (r.label.casefold(), r.key))
