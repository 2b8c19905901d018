"""Network analysis of a store's graph: signed stances, alignment, blocs, meetings, mediators."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

__all__ = [
    "MediatorScore",
    "StanceMatrix",
    "TimelineEvent",
    "alignment_graph",
    "blocs",
    "coparticipation_graph",
    "display_labels",
    "mediator_centrality",
    "parse_date",
    "stance_graph",
    "stance_matrix",
    "timeline",
]

_STANCE_RELATIONS = ("supports", "rejects")
_ROLE_RELATIONS = ("participant", "host", "mediator")


# ---------------------------------------------------------------- signed stance network


def stance_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The signed stance network: one edge actor → initiative per pair that took a stance.

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.

    Returns:
        A :class:`networkx.DiGraph` whose nodes keep their attributes (only nodes
        with a stance). Each edge has ``support`` and ``reject`` (the number of
        distinct source articles reporting each polarity), ``sources`` (distinct
        articles), ``weight`` = support − reject, ``sign`` (+1, −1, or 0 when the
        sources balance out) and ``evidence``: a list of ``{polarity, article,
        sentence, conditional, date}``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("actor:A", "initiative:x", relation="rejects", polarity="reject", article="a1")
    0
    >>> stance_graph(g).edges["actor:A", "initiative:x"]["sign"]
    -1
    """
    signed = nx.DiGraph(articles=graph.graph.get("articles", {}))
    seen: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"support": set(), "reject": set()}
    )
    evidence: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], _edge_key(e[2]))):
        if data.get("relation") not in _STANCE_RELATIONS:
            continue
        polarity = "support" if data["relation"] == "supports" else "reject"
        seen[(u, v)][polarity].add(data.get("article") or "")
        evidence[(u, v)].append({
            "polarity": polarity,
            "article": data.get("article"),
            "sentence": data.get("sentence"),
            "conditional": bool(data.get("conditional")),
            "date": data.get("date"),
        })
    for (u, v), pols in sorted(seen.items()):
        for node in (u, v):
            if node not in signed:
                signed.add_node(node, **graph.nodes[node])
        support, reject = len(pols["support"]), len(pols["reject"])
        weight = support - reject
        signed.add_edge(u, v, support=support, reject=reject,
                        sources=len(pols["support"] | pols["reject"]), weight=weight,
                        sign=(weight > 0) - (weight < 0), evidence=evidence[(u, v)])
    return signed


def _edge_key(data: dict) -> tuple[str, ...]:
    return tuple(str(data.get(k) or "") for k in ("relation", "article", "sentence"))


# ---------------------------------------------------------------- alignment and blocs


def alignment_graph(stances: nx.DiGraph) -> nx.Graph:
    """Actor–actor alignment: how often two actors take the same side of an initiative.

    Args:
        stances: a signed stance network from :func:`stance_graph`.

    Returns:
        An undirected graph over every actor holding a stance. Two actors are
        linked when both hold a non-neutral stance on at least one initiative; the
        edge has ``agree`` and ``disagree`` (numbers of initiatives), ``shared``,
        ``weight`` = agree − disagree, ``alignment`` = weight / shared in [−1, 1],
        and ``initiatives``: the sorted initiative nodes they share.
    """
    aligned = nx.Graph()
    for node, data in sorted(stances.nodes(data=True)):
        if stances.out_degree(node):
            aligned.add_node(node, **data)
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for initiative in sorted(n for n in stances if stances.in_degree(n)):
        sides = sorted((u, d["sign"]) for u, _, d in stances.in_edges(initiative, data=True)
                       if d["sign"])
        for (a, sa), (b, sb) in combinations(sides, 2):
            pairs[(a, b)]["agree" if sa == sb else "disagree"] += 1
            shared[(a, b)].append(initiative)
    for (a, b), count in sorted(pairs.items()):
        agree, disagree = count["agree"], count["disagree"]
        total = agree + disagree
        aligned.add_edge(a, b, agree=agree, disagree=disagree, shared=total,
                         weight=agree - disagree, alignment=(agree - disagree) / total,
                         initiatives=shared[(a, b)])
    return aligned


def blocs(alignment: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[frozenset[str]]:
    """Blocs: communities of actors that side together (Louvain, seeded: deterministic).

    Only edges where the actors agree more often than they disagree count, weighted
    by the margin; an actor aligned with nobody is a bloc of its own.

    Args:
        alignment: an actor–actor graph from :func:`alignment_graph`.
        seed: random seed of the Louvain method.
        resolution: above 1 favours smaller blocs, below 1 larger ones.

    Returns:
        Blocs, largest first (ties by sorted members).
    """
    positive = nx.Graph()
    positive.add_nodes_from(sorted(alignment))
    positive.add_weighted_edges_from(
        sorted((u, v, d["weight"]) for u, v, d in alignment.edges(data=True) if d["weight"] > 0)
    )
    if positive.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(
        positive, weight="weight", seed=seed, resolution=resolution
    )
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), sorted(c)))


# ---------------------------------------------------------------- meetings and mediators


def coparticipation_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Actors linked by the meetings they took part in together (any role).

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.

    Returns:
        An undirected graph over every actor with a meeting role. Nodes keep their
        attributes plus ``attended``, ``hosted``, ``mediated`` (numbers of
        meetings in each role). Edges have ``weight`` (number of shared meetings)
        and ``meetings`` (sorted meeting nodes).
    """
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    members: dict[str, set[str]] = defaultdict(set)
    for meeting, actor, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation in _ROLE_RELATIONS:
            roles[actor][relation].add(meeting)
            members[meeting].add(actor)
    co = nx.Graph()
    for actor in sorted(roles):
        co.add_node(actor, **graph.nodes[actor],
                    attended=len(roles[actor]["participant"]),
                    hosted=len(roles[actor]["host"]),
                    mediated=len(roles[actor]["mediator"]))
    for meeting in sorted(members):
        for a, b in combinations(sorted(members[meeting]), 2):
            if co.has_edge(a, b):
                co.edges[a, b]["weight"] += 1
                co.edges[a, b]["meetings"].append(meeting)
            else:
                co.add_edge(a, b, weight=1, meetings=[meeting])
    return co


@dataclass(frozen=True, slots=True)
class MediatorScore:
    """How central a mediator is in the co-participation network."""

    node: str
    label: str
    mediated: int
    degree: float
    betweenness: float


def mediator_centrality(coparticipation: nx.Graph) -> list[MediatorScore]:
    """Degree and betweenness centrality of the actors that mediated a meeting.

    Args:
        coparticipation: a graph from :func:`coparticipation_graph`.

    Returns:
        One score per mediator, most between first (then degree, then label).
    """
    if coparticipation.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(coparticipation)
    between = nx.betweenness_centrality(coparticipation)
    scores = [
        MediatorScore(node, data.get("label", node), data.get("mediated", 0),
                      round(degree[node], 6), round(between[node], 6))
        for node, data in coparticipation.nodes(data=True) if data.get("mediated", 0) > 0
    ]
    return sorted(scores, key=lambda s: (-s.betweenness, -s.degree, s.label, s.node))


# ---------------------------------------------------------------- stance matrix


@dataclass(frozen=True, slots=True)
class StanceMatrix:
    """Actors × initiatives: the number of sources reporting support and rejection.

    ``support[i][j]`` and ``reject[i][j]`` count the distinct articles in which
    ``actors[i]`` supports / rejects ``initiatives[j]``. Labels are unique.
    """

    actors: tuple[str, ...]
    initiatives: tuple[str, ...]
    actor_labels: tuple[str, ...]
    initiative_labels: tuple[str, ...]
    support: tuple[tuple[int, ...], ...]
    reject: tuple[tuple[int, ...], ...]

    def net(self) -> list[list[int]]:
        """Support minus rejection per cell (positive: support, negative: rejection)."""
        return [[s - r for s, r in zip(srow, rrow, strict=True)]
                for srow, rrow in zip(self.support, self.reject, strict=True)]


def stance_matrix(
    stances: nx.DiGraph,
    *,
    max_actors: int | None = None,
    max_initiatives: int | None = None,
) -> StanceMatrix:
    """The stance matrix of a signed stance network.

    Initiatives come by number of holders (most first), actors by the order of
    the first initiative they support or reject, so that coalitions sit together.

    Args:
        stances: a signed stance network from :func:`stance_graph`.
        max_actors: keep only the actors with the most sources on the kept initiatives.
        max_initiatives: keep only the initiatives with the most holders.
    """
    initiatives = sorted((n for n in stances if stances.in_degree(n)),
                         key=lambda n: (-stances.in_degree(n), _label(stances, n), n))
    initiatives = initiatives[:max_initiatives] if max_initiatives else initiatives
    column = {n: j for j, n in enumerate(initiatives)}
    holders: Counter[str] = Counter()
    for n in initiatives:
        for u, _, sources in stances.in_edges(n, data="sources"):
            holders[u] += sources
    first_column = {a: min(column[v] for _, v in stances.out_edges(a) if v in column)
                    for a in holders}
    # most sources first; ties go to the actors of the most contested initiatives
    actors = sorted(holders, key=lambda a: (-holders[a], first_column[a], _label(stances, a), a))
    actors = actors[:max_actors] if max_actors else actors

    def first(actor: str) -> tuple:
        cols = sorted((column[v], -stances.edges[actor, v]["sign"])
                      for _, v in stances.out_edges(actor) if v in column)
        return (cols[0] if cols else (len(column), 0), -holders[actor], _label(stances, actor))

    actors.sort(key=first)
    support = tuple(tuple(_count(stances, a, i, "support") for i in initiatives) for a in actors)
    reject = tuple(tuple(_count(stances, a, i, "reject") for i in initiatives) for a in actors)
    return StanceMatrix(tuple(actors), tuple(initiatives),
                        tuple(display_labels(stances, actors)),
                        tuple(display_labels(stances, initiatives)), support, reject)


def _count(stances: nx.DiGraph, actor: str, initiative: str, polarity: str) -> int:
    data = stances.get_edge_data(actor, initiative)
    return 0 if data is None else data[polarity]


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def display_labels(graph: nx.Graph, nodes: Sequence[str]) -> list[str]:
    """Node labels made unique: a label shared by several nodes gets its key appended.

    >>> g = nx.Graph()
    >>> g.add_node("initiative:d01:plan", label="plan", key="d01:plan")
    >>> g.add_node("initiative:d02:plan", label="plan", key="d02:plan")
    >>> display_labels(g, ["initiative:d01:plan", "initiative:d02:plan"])
    ['plan (d01:plan)', 'plan (d02:plan)']
    """
    labels = [_label(graph, n) for n in nodes]
    clash = Counter(labels)
    return [
        f"{label} ({graph.nodes[n].get('key') or n})" if clash[label] > 1 else label
        for n, label in zip(nodes, labels, strict=True)
    ]


# ---------------------------------------------------------------- timeline


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_date(value: str | None) -> dt.date | None:
    """The first day an ISO date or partial date (``YYYY``, ``YYYY-MM``) stands for.

    >>> parse_date("2018-01"), parse_date("next month")
    (datetime.date(2018, 1, 1), None)
    """
    match = _DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated meeting or stance, filed under the initiative it belongs to."""

    initiative: str
    initiative_label: str
    date: dt.date
    kind: str  # "meeting" or "stance"
    what: str  # meeting status, or stance polarity
    label: str  # the meeting's label, or the stance holder's
    article: str | None
    sentence: str | None = None
    node: str = field(default="")


def timeline(graph: nx.MultiDiGraph, *, initiatives: Iterable[str] | None = None
             ) -> list[TimelineEvent]:
    """Dated meetings and stances, each filed under its initiative, in date order.

    A round of talks is filed under the process it is part of; a meeting without a
    parent process is its own initiative. Undated facts are left out.

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.
        initiatives: keep only these initiative nodes (after filing rounds under
            their process).
    """
    parent = {u: v for u, v, r in graph.edges(data="relation") if r == "part_of"}
    wanted = None if initiatives is None else set(initiatives)
    events: list[TimelineEvent] = []

    def add(target: str, when: str | None, kind: str, what: str, label: str,
            article: str | None, sentence: str | None, node: str) -> None:
        row = parent.get(target, target)
        date = parse_date(when)
        if date is None or (wanted is not None and row not in wanted):
            return
        events.append(TimelineEvent(row, _label(graph, row), date, kind, what, label,
                                    article, sentence, node))

    for node, data in graph.nodes(data=True):
        if data.get("kind") == "meeting":
            articles = sorted({d.get("article") or ""
                               for _, _, d in graph.out_edges(node, data=True)})
            add(node, data.get("start_date"), "meeting", data.get("status") or "unknown",
                _label(graph, node), articles[0] if articles else None, None, node)
    for u, v, data in graph.edges(data=True):
        if data.get("relation") in _STANCE_RELATIONS:
            add(v, data.get("date"), "stance", data["polarity"], _label(graph, u),
                data.get("article"), data.get("sentence"), u)
    return sorted(events, key=lambda e: (e.date, e.initiative, e.kind, e.label, e.what))
