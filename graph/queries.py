"""SPARQL queries for stances, meetings and actors, as frozen rows, on a store or an endpoint.

The same query text runs on the embedded store and on a remote SPARQL endpoint: every
pattern names its graph (``GRAPH ?g`` or the registry graph), and values enter as
``VALUES`` blocks whose terms pyoxigraph serialises (escaped N-Triples terms), never as
text pasted into the query.

A filtered call runs a few small, index-driven queries instead of one query over the
whole store (precompiled templates below, filled with bindings):

1. the filter text is matched against the registry's labels and keys and against the
   name index (``skos:hiddenLabel`` entries that graph/build.py writes for every name an
   article graph gives an entity), then the matching names are looked up, as bound
   literals, in every graph: this gives the matching entity IRIs;
2. the stances (meetings) whose holder or target (participant, host, mediator) is one
   of those IRIs are read with the IRIs bound first, each optional field as a
   single-pattern lookup on the bound stance;
3. evidence sentences, registry labels, keys and article ids are read once for the
   stances and entities found, and rows are assembled here.

Rows are exactly those of one query joining every optional pattern (the shape used
before): for each stance, every combination of the optional values is built and the
same row wins.
"""

from __future__ import annotations

import functools
import gc
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from itertools import product
from typing import Any, ParamSpec, TypeVar
from urllib.parse import unquote

import pyoxigraph as ox

from diplograph.errors import StoreError, ValidationError
from diplograph.graph.build import MEETING_DIGEST_VALUES, STANCE_DIGEST_CORE, STANCE_DIGEST_VALUES
from diplograph.graph.endpoint import Endpoint
from diplograph.graph.iris import registry_graph
from diplograph.graph.store import Store
from diplograph.ontology.namespace import MEETING_TYPE, POLARITY, PREFIXES, SECTOR, STATUS

__all__ = ["ActorRow", "MeetingRow", "Source", "StanceRow", "actors", "meetings", "run", "stances"]

Source = Store | Endpoint
"""Where queries run: the embedded store or a remote SPARQL endpoint."""

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_CHUNK = 2000
"""Most terms (or term tuples) in one VALUES block."""
T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", "StanceRow", "MeetingRow")


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


def _term(term: Any) -> str:
    """One term as SPARQL text, written by pyoxigraph's serialiser (escaped).

    Quotes, backslashes, braces and newlines in a literal come out escaped, so a value
    can never close the literal and add SPARQL of its own.
    """
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"cannot bind {term!r}: expected a NamedNode or Literal")
    return str(term)


def _values(var: str, term: ox.NamedNode | ox.Literal) -> str:
    """A ``VALUES ?var { term }`` block; the term is written by pyoxigraph's serialiser."""
    return f"VALUES ?{var} {{ {_term(term)} }}"


def _row_values(variables: str, rows: Iterable[tuple[Any, ...]]) -> str:
    """A ``VALUES (?a ?b) { (…) … }`` block of serialised terms."""
    body = " ".join("(" + " ".join(_term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({variables}) {{ {body} }}"


def _needle(value: str) -> ox.Literal:
    try:
        return ox.Literal(value)
    except (TypeError, ValueError) as err:
        raise ValidationError(f"filter value {value!r}: {err}") from err


def _chunks(items: Iterable[T], size: int = _CHUNK) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (bounded VALUES blocks)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _fill(template: str, **parts: str) -> str:
    """A template with its prologue, the registry graph and the given parts filled in."""
    return _PROLOGUE + template.format(reg=registry_graph(), **parts)


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


def _ask(source: Source, query: str) -> bool:
    """The answer of an ASK query on the embedded store or a remote endpoint."""
    if isinstance(source, Endpoint):
        result = source.query(query)
        if not isinstance(result, bool):
            raise StoreError("expected an ASK answer")
        return result
    try:
        return bool(source.ox.query(query, use_default_graph_as_union=False))
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise StoreError(f"SPARQL query failed: {err}") from err


def _collector_paused(func: Callable[P, T]) -> Callable[P, T]:
    """Run ``func`` with the cyclic garbage collector paused (rows are acyclic).

    A query building thousands of rows keeps every set and tuple it makes until it
    returns, so each full collection walks a larger heap: on the 1.1M-quad benchmark
    store, the collector took about half of a 3,733-row stance call. Reference counting
    still frees everything as usual.
    """

    @functools.wraps(func)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def _options(values: set[Any] | None) -> tuple[Any, ...]:
    """The values an OPTIONAL pattern gives a variable: each match, or one unbound."""
    return tuple(values) if values else (None,)


def _facts() -> defaultdict[Any, defaultdict[str, set[Any]]]:
    return defaultdict(lambda: defaultdict(set))


# ---------------------------------------------------------------- name matching

_STANCE_NAMES = "rdfs:label|skos:altLabel|schema:name|dip:mentionText|dip:key"
"""What a stance filter matches: labels, aliases, names, mentions and keys."""
_ACTOR_NAMES = "rdfs:label|dip:mentionText|dip:key"
"""What a meeting's actor filter matches."""

_MATCH_INDEX = """
SELECT DISTINCT ?l WHERE {{
  {needle}
  GRAPH {reg} {{ ?n skos:hiddenLabel ?l }}
  FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?needle))))
}}"""

_NAMED = """
SELECT DISTINCT ?s WHERE {{
  {texts}
  GRAPH ?g {{ ?s {path} ?l }}
}}"""

_HAS_INDEX = "ASK {{ GRAPH {reg} {{ ?n skos:hiddenLabel ?l }} }}"

_MATCH_SCAN = """
SELECT DISTINCT ?s WHERE {{
  {needle}
  GRAPH ?g {{ ?s {path} ?l }}
  FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?needle))))
}}"""


def _named(source: Source, needle: ox.Literal, path: str) -> set[ox.NamedNode]:
    """Subjects with a ``path`` text containing ``needle`` (case-insensitive), any graph.

    The texts are found through the registry's name index (every text an article gives
    an entity, in its graph or the registry), then looked up as bound literals. A store
    written before the index existed has no index entry at all: it is scanned whole.
    """
    bind = _values("needle", needle)
    if not _ask(source, _fill(_HAS_INDEX)):
        return _iris(run(source, _fill(_MATCH_SCAN, needle=bind, path=path)))
    found: set[ox.NamedNode] = set()
    texts = [sol["l"] for sol in run(source, _fill(_MATCH_INDEX, needle=bind))]
    for batch in _chunks(texts):
        query = _fill(_NAMED, texts=_row_values("?l", ((t,) for t in batch)), path=path)
        found |= _iris(run(source, query))
    return found


def _iris(sols: list[Any]) -> set[ox.NamedNode]:
    return {sol["s"] for sol in sols if isinstance(sol["s"], ox.NamedNode)}


# ---------------------------------------------------------------- shared lookups


# One scan of each bound subject's registry facts, filtered by predicate: a second
# VALUES block for the predicate would make Oxigraph scan the graphs instead, and one
# UNION branch per predicate costs a lookup per subject and predicate.
_REGISTRY_FACTS = """
SELECT ?e ?p ?v WHERE {{
  {bind}
  GRAPH {reg} {{ ?e ?p ?v }}
  FILTER(?p IN (rdfs:label, dip:key, dip:country, dip:sector, schema:identifier))
}}"""

_LOCAL_FACTS = """
SELECT ?g ?e ?p ?v WHERE {{
  {bind}
  {{ GRAPH ?g {{ ?e rdfs:label ?v }} BIND(rdfs:label AS ?p) }}
  UNION {{ GRAPH ?g {{ ?e dip:key ?v }} BIND(dip:key AS ?p) }}
  UNION {{ GRAPH ?g {{ ?e schema:name ?v }} BIND(schema:name AS ?p) }}
}}"""

_EVIDENCE = """
SELECT ?g ?ev ?et ?sel ?exact ?start WHERE {{
  {bind}
  GRAPH ?g {{ ?ev oa:hasTarget ?et . ?et oa:hasSelector ?sel }}
  {{ GRAPH ?g {{ ?sel a oa:TextQuoteSelector ; oa:exact ?exact }} }}
  UNION {{ GRAPH ?g {{ ?sel a oa:TextPositionSelector ; oa:start ?start }} }}
}}"""

_LABEL = PREFIXES["rdfs"] + "label"
_KEY = PREFIXES["dip"] + "key"
_COUNTRY = PREFIXES["dip"] + "country"
_SECTOR = PREFIXES["dip"] + "sector"
_IDENTIFIER = PREFIXES["schema"] + "identifier"
_NAME = PREFIXES["schema"] + "name"


def _registry(
    source: Source, subjects: Iterable[Any], article_ids: dict[Any, set[Any]] | None = None
) -> defaultdict[Any, defaultdict[str, set]]:
    """Registry labels, keys, countries, sectors and identifiers of ``subjects``.

    ``article_ids``: articles whose identifiers their digests already gave; those are
    filled in, not read.
    """
    known = article_ids or {}
    facts = _facts()
    wanted = set(subjects) - known.keys()
    for batch in _chunks(sorted(s for s in wanted if isinstance(s, ox.NamedNode))):
        bind = _row_values("?e", ((s,) for s in batch))
        for sol in run(source, _fill(_REGISTRY_FACTS, bind=bind)):
            facts[sol["e"]][sol["p"].value].add(sol["v"])
    for art, ids in known.items():
        facts[art][_IDENTIFIER].update(ids)
    return facts


def _evidence(source: Source, pairs: set[tuple[Any, Any]]) -> dict[Any, dict[Any, Any]]:
    """Evidence quotes and offsets: ``{(graph, evidence): {target: {selector: facts}}}``.

    A selector's facts are the ``exact`` texts it has as a ``TextQuoteSelector`` and
    the ``start`` offsets it has as a ``TextPositionSelector``.
    """
    found: dict[Any, Any] = defaultdict(lambda: defaultdict(_facts))
    for batch in _chunks(sorted(p for p in pairs if isinstance(p[1], ox.NamedNode))):
        for sol in run(source, _fill(_EVIDENCE, bind=_row_values("?g ?ev", batch))):
            facts = found[(sol["g"], sol["ev"])][sol["et"]][sol["sel"]]
            for name in ("exact", "start"):
                if sol[name] is not None:
                    facts[name].add(sol[name])
    return found


def _local_facts(source: Source, pairs: Iterable[tuple[Any, Any]]) -> defaultdict[Any, Any]:
    """Labels, keys and names of ``(graph, subject)`` pairs, read in that graph."""
    facts = _facts()
    todo = sorted(p for p in set(pairs) if isinstance(p[1], ox.NamedNode))
    for batch in _chunks(todo):
        for sol in run(source, _fill(_LOCAL_FACTS, bind=_row_values("?g ?e", batch))):
            facts[(sol["g"], sol["e"])][sol["p"].value].add(sol["v"])
    return facts


# ---------------------------------------------------------------- stances

_STANCES = """
SELECT ?g ?stance ?holder ?target ?pol ?art ?cond ?holderText ?targetText ?date ?dateText
       ?conf ?rule ?ev ?hLoc ?hKeyLoc ?tLoc ?tKeyLoc
WHERE {{
  {bind}
  {core}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:conditional ?cond }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:holderText ?holderText }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:targetText ?targetText }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance sem:hasTimeStamp ?date }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:dateText ?dateText }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:confidence ?conf }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:rule ?rule }} }}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:evidence ?ev }} }}
  OPTIONAL {{ GRAPH ?g {{ ?holder rdfs:label ?hLoc }} }}
  OPTIONAL {{ GRAPH ?g {{ ?holder dip:key ?hKeyLoc }} }}
  OPTIONAL {{ GRAPH ?g {{ ?target rdfs:label ?tLoc }} }}
  OPTIONAL {{ GRAPH ?g {{ ?target dip:key ?tKeyLoc }} }}
}}"""

_STANCE_CORE = {
    "target": "GRAPH ?g {{ ?stance dip:target ?target }}",
    "holder": "GRAPH ?g {{ ?stance dip:holder ?holder }}",
    "type": "GRAPH ?g {{ ?stance a dip:Stance }}",
    "pol": "GRAPH ?g {{ ?stance dip:polarity ?pol }}",
    "art": "GRAPH ?g {{ ?stance prov:wasDerivedFrom ?art }}",
}
"""The required patterns of a stance, each its own join: Oxigraph then evaluates them in
the written order, starting from the bound holder or target, instead of planning one
basic graph pattern from the most common predicate."""

_STANCE_VALUES = tuple(STANCE_DIGEST_VALUES)
"""A stance's optional values: a row's fields, and what its ``dip:digest`` holds by name."""
_STANCE_OPTIONAL = (*_STANCE_VALUES, "ev")
_LOCAL_NAMES = (("holder", "hLoc", "hKeyLoc"), ("target", "tLoc", "tKeyLoc"))
"""Where the stance queries and digests put the labels and keys a stance's own graph gives
its holder and target."""


def _polarity_node(polarity: str | None) -> ox.NamedNode | None:
    if polarity is None:
        return None
    value = polarity.strip().lower()
    if value not in ("support", "reject"):
        raise ValidationError(f"polarity {polarity!r}: expected 'support' or 'reject'")
    return ox.NamedNode(str(POLARITY[value]))


_STANCE_DIGESTS = """
SELECT ?g ?stance ?digest
WHERE {{
  {bind}
  {lead}
  OPTIONAL {{ GRAPH ?g {{ ?stance dip:digest ?digest }} }}
}}"""
"""The fast path: the stances the bound patterns find (``lead``: the filtered holder,
target and polarity, or the type when nothing is filtered), each with its ``dip:digest``
(graph/build.py), which holds the rest of its graph's facts."""

_DIGEST_CORE = tuple(STANCE_DIGEST_CORE)
"""A stance's required IRIs, by the name its ``dip:digest`` gives them."""


def _stance_pattern(
    source: Source, initiative: str | None, holder: str | None, polarity: ox.NamedNode | None
) -> dict[str, str] | None:
    """The bindings and required patterns of the stance queries, starting from the
    matching targets or holders (``bind``, ``core`` of :data:`_STANCES` and ``lead``, the
    bound patterns alone, of :data:`_STANCE_DIGESTS`).

    Returns ``None`` when a filter matches no entity (no stance can match).
    """
    blocks, bound = [], []  # bound: the filtered patterns, target first
    for var, needle in (("holder", holder), ("target", initiative)):
        if needle:
            iris = _named(source, _needle(needle), _STANCE_NAMES)
            if not iris:
                return None
            blocks.append(_row_values(f"?{var}", ((i,) for i in sorted(iris))))
            bound.insert(0, var)
    if polarity is not None:
        blocks.append(_values("pol", polarity))
        bound.append("pol")
    order = [*bound, "type", *(name for name in _STANCE_CORE if name not in {*bound, "type"})]
    return {"bind": "\n  ".join(blocks), "core": _patterns(order),
            "lead": _patterns(bound or ["type"])}


def _patterns(names: list[str]) -> str:
    return "\n  ".join(_STANCE_CORE[name] for name in names).format()


@_collector_paused
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
    pattern = _stance_pattern(store, initiative, holder, _polarity_node(polarity))
    if pattern is None:
        return []
    sols = run(store, _fill(_STANCE_DIGESTS, **pattern))
    if not sols:
        return []
    digests = _digests(sols, "stance", _DIGEST_CORE)
    if digests is not None:
        return _digested(store, digests)
    # a stance written without a (full) digest, by an older version: fact by fact
    return _looked_up(store, run(store, _fill(_STANCES, **pattern)))


def _digests(
    sols: list[Any], var: str, required: tuple[str, ...] = ()
) -> list[tuple[Any, Any, dict[str, Any]]] | None:
    """``(graph, subject, digest)`` of each solution, the subject (a stance or meeting) in
    ``var``; ``None`` if any subject lacks a digest, or one holding every ``required``
    field (a digest written by an older version)."""
    out = []
    for sol in sols:
        if sol["digest"] is None:
            return None
        try:
            digest = json.loads(sol["digest"].value)
        except ValueError as err:
            raise StoreError(f"{sol[var].value}: unreadable dip:digest") from err
        if not all(digest.get(name) for name in required):
            return None
        out.append((sol["g"], sol[var], digest))
    return out


def _looked_up(store: Source, sols: list[Any]) -> list[StanceRow]:
    """Rows from the stance query's optional lookups (see :data:`_STANCES`)."""
    base: defaultdict[tuple[Any, Any], set[tuple[Any, ...]]] = defaultdict(set)
    opt, local = _facts(), _facts()
    for sol in sols:
        ident, g = (sol["g"], sol["stance"]), sol["g"]
        base[ident].add((sol["holder"], sol["target"], sol["pol"], sol["art"]))
        for name in _STANCE_OPTIONAL:
            if sol[name] is not None:
                opt[ident][name].add(sol[name])
        for var, label, key in _LOCAL_NAMES:
            facts = local[(g, sol[var])]
            for name, field in ((label, "label"), (key, "key")):
                if sol[name] is not None:
                    facts[field].add(sol[name])
    evidence = _evidence(store, {(i[0], e) for i, f in opt.items() for e in f["ev"]})
    quotes: dict[tuple[Any, Any], tuple[set[Any], set[Any]]] = {}
    for ident in base:
        sentences, starts = set(), set()
        for ev in opt[ident]["ev"]:
            for selectors in evidence.get((ident[0], ev), {}).values():
                for facts in selectors.values():
                    sentences |= facts["exact"]
                    starts |= facts["start"]
        quotes[ident] = sentences, starts
    return _assemble(store, base, opt, local, quotes)


def _digested(store: Source, digests: list[tuple[Any, Any, dict[str, Any]]]) -> list[StanceRow]:
    """Rows from the stances' ``dip:digest`` literals (see graph/build.py)."""
    base: defaultdict[tuple[Any, Any], set[tuple[Any, ...]]] = defaultdict(set)
    opt, local = _facts(), _facts()
    quotes: dict[tuple[Any, Any], tuple[set[Any], set[Any]]] = {}
    articles: dict[Any, set[Any]] = {}
    for g, stance, digest in digests:
        ident = (g, stance)
        core = [list(_digest_terms(digest[name])) for name in _DIGEST_CORE]
        base[ident].update(product(*core))
        for name in _STANCE_VALUES:
            opt[ident][name].update(_digest_terms(digest.get(name)))
        quotes[ident] = (set(_digest_terms(digest.get("exact"))),
                         set(_digest_terms(digest.get("start"))))
        for (_, label, key), nodes in zip(_LOCAL_NAMES, core[:2], strict=True):
            for node in nodes:
                facts = local[(g, node)]
                facts["label"].update(_digest_terms(digest.get(label)))
                facts["key"].update(_digest_terms(digest.get(key)))
        if "articleId" in digest:
            for art in core[3]:
                articles.setdefault(art, set()).update(_digest_terms(digest["articleId"]))
    return _assemble(store, base, opt, local, quotes, articles)


def _digest_terms(values: Any) -> Iterator[Any]:
    """Terms back from a digest's lists of terms (see :func:`_digest_term`)."""
    for term in values or ():
        yield _digest_term(term)


def _digest_term(term: list[str]) -> Any:
    """A term back from a digest's ``[lexical form, datatype IRI, language]`` (an IRI has
    no datatype; every literal has one)."""
    value, datatype, language = term
    return _literal(value, datatype, language) if datatype else _iri(value)


@functools.lru_cache(maxsize=1 << 16)
def _iri(value: str) -> ox.NamedNode:
    """One IRI of a digest (cached: holders, targets and polarities repeat)."""
    return ox.NamedNode(value)


@functools.lru_cache(maxsize=1 << 16)
def _literal(value: str, datatype: str, language: str) -> ox.Literal:
    """One literal (cached: confidences, rules and labels repeat across stances)."""
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _assemble(
    store: Source,
    base: dict[tuple[Any, Any], set[tuple[Any, ...]]],
    opt: dict[Any, dict[str, set[Any]]],
    local: dict[Any, dict[str, set[Any]]],
    quotes: dict[tuple[Any, Any], tuple[set[Any], set[Any]]],
    articles: dict[Any, set[Any]] | None = None,
) -> list[StanceRow]:
    """The best row of each stance, with registry labels, keys and article ids (``articles``:
    the ids already known from the digests)."""
    entities = {t for tuples in base.values() for h, tg, _, a in tuples for t in (h, tg, a)}
    reg = _registry(store, entities, articles)
    best: dict[tuple[Any, Any], tuple[Any, tuple[str, ...], StanceRow]] = {}
    for ident, tuples in base.items():
        sentences, starts = quotes[ident]
        for found in tuples:
            for rank, row in _stance_rows(ident, found, opt[ident], sentences, starts, local,
                                          reg):
                _keep(best, ident, rank, row)
    return _ordered(best)


def _stance_rows(
    ident: tuple[Any, Any],
    found: tuple[Any, Any, Any, Any],
    fields: dict[str, set[Any]],
    sentences: set[Any],
    starts: set[Any],
    local: dict[Any, dict[str, set[Any]]],
    reg: dict[Any, dict[str, set[Any]]],
) -> Iterator[tuple[tuple[Any, str, str], StanceRow]]:
    """Every row one stance match gives (one per combination of optional values)."""
    g, stance = ident
    holder, target, pol, art = found
    hloc, tloc = local.get((g, holder), {}), local.get((g, target), {})
    hreg, treg = reg.get(holder, {}), reg.get(target, {})
    combos = product(
        *(_options(fields.get(name)) for name in _STANCE_VALUES),
        _options(sentences), _options(starts),
        _options(hloc.get("label")), _options(hloc.get("key")),
        _options(tloc.get("label")), _options(tloc.get("key")),
        _options(hreg.get(_LABEL)), _options(hreg.get(_KEY)),
        _options(hreg.get(_COUNTRY)), _options(hreg.get(_SECTOR)),
        _options(treg.get(_LABEL)), _options(treg.get(_KEY)),
        _options(reg.get(art, {}).get(_IDENTIFIER)),
    )
    for (cond, h_text, t_text, date, date_text, conf, rule, sentence, start, h_loc, h_kloc,
         t_loc, t_kloc, h_reg, h_kreg, country, sector, t_reg, t_kreg, article) in combos:
        row = StanceRow(
            article=_s(article) or "",
            holder=_s(h_reg) or _s(h_loc) or _s(h_text) or "",
            holder_text=_s(h_text),
            polarity=_local(pol, POLARITY) or "",
            conditional=bool(_v(cond)),
            target=_s(t_reg) or _s(t_loc) or _s(t_text) or "",
            target_text=_s(t_text),
            sentence=_s(sentence),
            date=_s(date) or _s(date_text),
            confidence=_v(conf),
            holder_country=_s(country),
            holder_sector=_local(sector, SECTOR),
            rule=_s(rule),
            holder_key=_s(h_kreg if h_kreg is not None else h_kloc),
            target_key=_s(t_kreg if t_kreg is not None else t_kloc),
            iri=stance.value,
        )
        begin = _v(start)
        yield (begin if begin is not None else 1 << 62, row.holder, row.target), row


def _keep(best: dict[Any, tuple[Any, tuple[str, ...], R]], ident: Any, rank: Any, row: R) -> None:
    """Keep ``row`` for ``ident`` if it ranks first (then by its fields as text)."""
    key = _row_key(row)
    if ident not in best or (rank, key) < best[ident][:2]:
        best[ident] = (rank, key, row)


def _ordered(best: dict[Any, tuple[Any, tuple[str, ...], R]]) -> list[R]:
    """The kept rows by article, rank and fields."""
    ordered = sorted(best.values(), key=lambda kept: (kept[2].article, kept[0], kept[1]))
    return [row for _, _, row in ordered]


def _row_key(row: Any) -> tuple[str, ...]:
    """Every field as text, in order: the tie-breaker between rows of one stance/meeting."""
    return tuple("" if v is None else str(v) for v in _getter(type(row))(row))


@functools.cache
def _getter(cls: type) -> operator.attrgetter:
    """A dataclass's fields, in order, as one tuple (see :func:`_row_key`)."""
    return operator.attrgetter(*(f.name for f in dataclass_fields(cls)))


# ---------------------------------------------------------------- meetings

_MEETING_IDS = """
SELECT DISTINCT ?g ?m WHERE {{
  {bind}
  GRAPH ?g {{ ?m sem:hasActor|dip:host|dip:mediator ?fa }}
}}"""

_MEETINGS = """
SELECT ?g ?m ?art ?text ?etype ?typeText ?pl ?status ?begin ?end ?round ?conf ?mLoc ?ev ?part
WHERE {{
  {bind}
  GRAPH ?g {{ ?m a dip:Meeting }}
  GRAPH ?g {{ ?m prov:wasDerivedFrom ?art }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:mentionText ?text }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:eventType ?etype }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:typeText ?typeText }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:hasPlace ?pl }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:status ?status }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:hasBeginTimeStamp ?begin }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:hasEndTimeStamp ?end }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:round ?round }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:confidence ?conf }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m rdfs:label ?mLoc }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:evidence ?ev }} }}
  OPTIONAL {{ GRAPH ?g {{ ?m sem:subEventOf ?part }} }}
}}"""

_ROLES_ALL = """
SELECT ?g ?m ?rel ?a WHERE {{
  VALUES ?rel {{ sem:hasActor dip:host dip:mediator }}
  GRAPH ?g {{ ?m a dip:Meeting . ?m ?rel ?a }}
}}"""

_ROLES_BOUND = """
SELECT ?g ?m ?rel ?a WHERE {{
  {bind}
  {{ GRAPH ?g {{ ?m sem:hasActor ?a }} BIND(sem:hasActor AS ?rel) }}
  UNION {{ GRAPH ?g {{ ?m dip:host ?a }} BIND(dip:host AS ?rel) }}
  UNION {{ GRAPH ?g {{ ?m dip:mediator ?a }} BIND(dip:mediator AS ?rel) }}
}}"""

_MEETING_VALUES = tuple(MEETING_DIGEST_VALUES)
"""A meeting's optional values, by the names its digest and :data:`_MEETINGS` give them."""
_MEETING_OPTIONAL = (*_MEETING_VALUES, "pl", "ev", "part")
"""Every optional variable of :data:`_MEETINGS`: the values, places, evidence and parts."""

_ROLE_FIELD = {
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasActor": "participants",
    PREFIXES["dip"] + "host": "hosts",
    PREFIXES["dip"] + "mediator": "mediators",
}


def _meeting_pairs(source: Source, actor: str) -> set[tuple[Any, Any]]:
    """``(graph, meeting)`` of the meetings an actor matching ``actor`` takes part in."""
    iris = _named(source, _needle(actor), _ACTOR_NAMES)
    pairs: set[tuple[Any, Any]] = set()
    for batch in _chunks(sorted(iris)):
        bind = _row_values("?fa", ((i,) for i in batch))
        pairs |= {(sol["g"], sol["m"]) for sol in run(source, _fill(_MEETING_IDS, bind=bind))}
    return pairs


def _meeting_solutions(
    source: Source, template: str, pairs: set[tuple[Any, Any]] | None
) -> list[Any]:
    """Solutions of a meeting query: on every meeting (``pairs`` is ``None``) or on the
    ``(graph, meeting)`` pairs bound."""
    if pairs is None:
        return run(source, _fill(template, bind=""))
    sols: list[Any] = []
    for batch in _chunks(sorted(pairs)):
        sols += run(source, _fill(template, bind=_row_values("?g ?m", batch)))
    return sols


def _roles(
    source: Source, pairs: set[tuple[Any, Any]], everything: bool
) -> dict[tuple[Any, Any], dict[str, set[str]]]:
    """Participant, host and mediator labels of the meetings ``pairs`` (graph, meeting)."""
    if everything:
        sols = run(source, _fill(_ROLES_ALL))
    else:
        sols = []
        for batch in _chunks(sorted(pairs)):
            sols += run(source, _fill(_ROLES_BOUND, bind=_row_values("?g ?m", batch)))
    reg = _registry(source, {sol["a"] for sol in sols})
    local = _local_facts(source, {(sol["g"], sol["a"]) for sol in sols})
    roles: dict[tuple[Any, Any], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for sol in sols:
        a, ident = sol["a"], (sol["g"], sol["m"])
        if ident not in pairs:
            continue
        here = local.get((sol["g"], a), {})
        roles[ident][_ROLE_FIELD[sol["rel"].value]] |= _role_labels(
            a, reg.get(a, {}), here.get(_LABEL), here.get(_KEY))
    return roles


def _role_labels(
    actor: Any, reg: dict[str, set[Any]], labels: set[Any] | None, keys: set[Any] | None
) -> set[str]:
    """How a participant, host or mediator is shown: its registry label, else the label
    its meeting's graph gives it, else its key, else its IRI (each combination)."""
    out = set()
    for a_reg, a_loc, k_reg, k_loc in product(
        _options(reg.get(_LABEL)), _options(labels), _options(reg.get(_KEY)), _options(keys)
    ):
        key = k_reg if k_reg is not None else k_loc
        out.add(_s(a_reg) or _s(a_loc) or _s(key) or actor.value)
    return out


def _quotes(evidence: dict[Any, Any], g: Any, evs: Iterable[Any]) -> set[tuple[Any, Any]]:
    """``(sentence, start)`` of each quote and position selector sharing an evidence target."""
    pairs = set()
    for ev in evs:
        for selectors in evidence.get((g, ev), {}).values():
            exacts = {x for facts in selectors.values() for x in facts["exact"]}
            starts = {x for facts in selectors.values() for x in facts["start"]}
            pairs |= set(product(exacts, starts))
    return pairs


_MEETING_DIGESTS = """
SELECT ?g ?m ?digest WHERE {{
  {bind}
  GRAPH ?g {{ ?m a dip:Meeting }}
  OPTIONAL {{ GRAPH ?g {{ ?m dip:digest ?digest }} }}
}}"""
"""The fast path: each meeting with its ``dip:digest`` (graph/build.py)."""


@dataclass(slots=True)
class _MeetingFacts:
    """What one meeting's rows are made of, read from its digest or lookup by lookup."""

    arts: set[Any]
    fields: dict[str, set[Any]]
    places: set[Any]
    quotes: set[tuple[Any, Any]]
    parts: dict[Any, set[Any]]  # part-of initiative -> the keys this graph gives it
    people: dict[str, set[str]]


@_collector_paused
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
    pairs = _meeting_pairs(store, actor) if actor else None
    if pairs is not None and not pairs:
        return []
    sols = _meeting_solutions(store, _MEETING_DIGESTS, pairs)
    digests = _digests(sols, "m")
    if digests is not None:
        found, reg = _digested_meetings(store, digests)
    else:  # a meeting written without a digest, by an older version: lookup by lookup
        found, reg = _looked_up_meetings(store, pairs)
    best: dict[tuple[Any, Any], tuple[Any, tuple[str, ...], MeetingRow]] = {}
    for ident, facts in found.items():
        for rank, row in _meeting_rows(ident, facts, reg):
            _keep(best, ident, rank, row)
    return _ordered(best)


def _digested_meetings(
    store: Source, digests: list[tuple[Any, Any, dict[str, Any]]]
) -> tuple[dict[tuple[Any, Any], _MeetingFacts], dict[Any, dict[str, set[Any]]]]:
    """Meeting facts from the digests, and the registry facts they name."""
    found: dict[tuple[Any, Any], _MeetingFacts] = {}
    articles: dict[Any, set[Any]] = {}
    roles: list[tuple[tuple[Any, Any], str, Any, set[Any], set[Any]]] = []
    for g, m, digest in digests:
        arts = set(_digest_terms(digest.get("art")))
        if not arts:  # as the required pattern of the lookups: no article, no rows
            continue
        ident = (g, m)
        for art in arts:
            articles.setdefault(art, set()).update(_digest_terms(digest.get("articleId")))
        found[ident] = _MeetingFacts(
            arts=arts,
            fields={name: set(_digest_terms(digest.get(name))) for name in _MEETING_VALUES},
            places=set(_digest_terms(digest.get("placeName"))),
            quotes={(_digest_term(x), _digest_term(y)) for x, y in digest.get("quotes", ())},
            parts={_digest_term(part): set(_digest_terms(keys))
                   for part, keys in digest.get("part", ())},
            people=defaultdict(set),
        )
        for rel, a, labels, keys in digest.get("roles", ()):
            roles.append((ident, _ROLE_FIELD[rel[0]], _digest_term(a),
                          set(_digest_terms(labels)), set(_digest_terms(keys))))
    named = {m for _, m in found} | {a for _, _, a, _, _ in roles}
    named |= {p for facts in found.values() for p in facts.parts}
    reg = _registry(store, named, articles)  # the articles' ids are in the digests
    for ident, field, a, labels, keys in roles:
        found[ident].people[field] |= _role_labels(a, reg.get(a, {}), labels, keys)
    return found, reg


def _looked_up_meetings(
    store: Source, pairs: set[tuple[Any, Any]] | None
) -> tuple[dict[tuple[Any, Any], _MeetingFacts], dict[Any, dict[str, set[Any]]]]:
    """Meeting facts from the meeting query's optional lookups (see :data:`_MEETINGS`)."""
    sols = _meeting_solutions(store, _MEETINGS, pairs)
    arts: defaultdict[tuple[Any, Any], set[Any]] = defaultdict(set)
    opt = _facts()
    for sol in sols:
        ident = (sol["g"], sol["m"])
        arts[ident].add(sol["art"])
        for name in _MEETING_OPTIONAL:
            if sol[name] is not None:
                opt[ident][name].add(sol[name])
    roles = _roles(store, set(arts), everything=pairs is None)
    evidence = _evidence(store, {(i[0], e) for i, f in opt.items() for e in f["ev"]})
    reg = _registry(
        store,
        {m for _, m in arts} | {a for found in arts.values() for a in found}
        | {p for f in opt.values() for p in f["part"]},
    )
    local = _local_facts(
        store,
        {(g, x) for (g, _), f in opt.items() for name in ("pl", "part") for x in f[name]},
    )
    found = {}
    for ident, arts_found in arts.items():
        g, fields = ident[0], opt[ident]
        found[ident] = _MeetingFacts(
            arts=arts_found,
            fields=fields,
            places={n for pl in fields.get("pl", ())
                    for n in local.get((g, pl), {}).get(_NAME, ())},
            quotes=_quotes(evidence, g, fields.get("ev", ())),
            parts={p: local.get((g, p), {}).get(_KEY, set()) for p in fields.get("part", ())},
            people=roles.get(ident, {}),
        )
    return found, reg


def _meeting_rows(
    ident: tuple[Any, Any], facts: _MeetingFacts, reg: dict[Any, dict[str, set[Any]]]
) -> Iterator[tuple[int, MeetingRow]]:
    """Every row one meeting gives (one per combination of optional values)."""
    _, m = ident
    fields, people = facts.fields, facts.people
    articles = {i for a in facts.arts for i in _options(reg.get(a, {}).get(_IDENTIFIER))}
    parts: set[Any] = set() if facts.parts else {None}
    for part, local_keys in facts.parts.items():
        for k_reg, k_loc in product(_options(reg.get(part, {}).get(_KEY)), _options(local_keys)):
            parts.add(k_reg if k_reg is not None else k_loc)
    mreg = reg.get(m, {})
    combos = product(
        tuple(articles),
        *(_options(fields.get(name)) for name in _MEETING_VALUES[:3]),
        _options(facts.places),
        *(_options(fields.get(name)) for name in _MEETING_VALUES[3:]),
        tuple(facts.quotes) or ((None, None),),
        _options(mreg.get(_LABEL)), _options(mreg.get(_KEY)), tuple(parts),
    )
    for (article, text, etype_term, type_text, place, status, begin, end, rnd, conf, m_loc,
         (sentence, start), m_reg, key, part_key) in combos:
        etype = _local(etype_term, MEETING_TYPE)
        row = MeetingRow(
            article=_s(article) or "",
            name=_s(m_reg) or _s(m_loc) or _s(text) or "",
            text=_s(text),
            type=_s(type_text) or (etype.replace("-", " ") if etype else None),
            participants=tuple(sorted(people.get("participants", ()))),
            hosts=tuple(sorted(people.get("hosts", ()))),
            mediators=tuple(sorted(people.get("mediators", ()))),
            location=_s(place),
            start_date=_s(begin),
            end_date=_s(end),
            round=_v(rnd),
            status=_local(status, STATUS),
            sentence=_s(sentence),
            key=_s(key),
            part_of=_s(part_key),
            confidence=_v(conf),
            iri=m.value,
        )
        begin_at = _v(start)
        yield (begin_at if begin_at is not None else 1 << 62), row


# ---------------------------------------------------------------- actors

_ACTORS = """
SELECT ?a ?g ?key ?label ?kind ?country ?sector ?wd WHERE {{
  {only}
  GRAPH ?g {{
    ?a a sem:Actor ; dip:key ?key ; rdfs:label ?label .
    OPTIONAL {{ ?a dip:actorKind ?kind }}
    OPTIONAL {{ ?a dip:country ?country }}
    OPTIONAL {{ ?a dip:sector ?sector }}
    OPTIONAL {{ ?a skos:exactMatch ?wd . FILTER(STRSTARTS(STR(?wd), STR(wd:))) }}
  }}
}}"""

_ACTOR_IRIS = """
SELECT DISTINCT ?a WHERE {{ GRAPH ?g {{ ?a a sem:Actor }} }}"""

_MENTION_COUNTS = """
SELECT ?a (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  {bind}
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
    sols = run(store, _fill(_ACTORS, only=f"FILTER(?g = {registry_graph()})"))
    # article-local descriptions only matter for actors the registry does not describe
    described = {sol["a"] for sol in sols}
    others = {sol["a"] for sol in run(store, _fill(_ACTOR_IRIS))} - described
    for batch in _chunks(sorted(a for a in others if isinstance(a, ox.NamedNode))):
        sols += run(store, _fill(_ACTORS, only=_row_values("?a", ((a,) for a in batch))))
    counts: dict[str, int] = {}
    for batch in _chunks(sorted({sol["a"] for sol in sols if isinstance(sol["a"], ox.NamedNode)})):
        query = _fill(_MENTION_COUNTS, bind=_row_values("?a", ((a,) for a in batch)))
        counts.update((sol["a"].value, int(sol["n"].value)) for sol in run(store, query))
    chosen: dict[str, tuple[tuple[int, str], ActorRow]] = {}
    for sol in sols:
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
