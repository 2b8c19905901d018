"""A notebook-friendly view of a store: pandas tables, networkx graphs, pictures and widgets.

Needs the ``notebook`` extra (``pip install 'diplograph[notebook]'``: pandas,
matplotlib, ipysigma, ipykernel).

>>> import diplograph
>>> kg = diplograph.open("store")  # doctest: +SKIP
>>> kg.stances(initiative="Sochi", polarity="reject")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import pyoxigraph as ox

from diplograph.errors import DiplographError
from diplograph.graph import analysis
from diplograph.graph.network import to_networkx
from diplograph.graph.queries import ActorRow, MeetingRow, StanceRow, actors, meetings, stances
from diplograph.graph.store import Store

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from diplograph.api import IngestSummary

__all__ = ["KnowledgeGraph", "open"]

GraphKind = Literal["stance", "meeting", "alignment", "full"]

_EXTRA_HINT = "install the notebook extra: pip install 'diplograph[notebook]'"


def _pandas() -> Any:
    """The pandas module, or an :class:`ImportError` naming the extra to install."""
    try:
        import pandas
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(f"diplograph.notebook needs pandas; {_EXTRA_HINT}") from err
    return pandas


def _frame(rows: list[dict[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    return _pandas().DataFrame(rows, columns=list(columns))


def _shown(fig: Figure) -> Figure:
    """``fig``, displayable as a PNG when running under IPython/Jupyter.

    The figures are made without pyplot (no global state, headless Agg canvas), so
    IPython may not know how to show them: register the PNG formatter once.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - outside Jupyter
        return fig
    shell = get_ipython()
    if shell is not None:
        from matplotlib.figure import Figure

        formatter = shell.display_formatter.formatters["image/png"]
        formatter.for_type(Figure, _png)
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _field_names(row_type: type) -> list[str]:
    return list(row_type.__dataclass_fields__)


def _python(term: Any) -> Any:
    """A SPARQL term as a Python value: IRIs as strings, typed literals converted."""
    if term is None:
        return None
    if not isinstance(term, ox.Literal):
        return term.value
    dtype = term.datatype.value.rsplit("#", 1)[-1]
    converters = {"integer": int, "int": int, "long": int, "nonNegativeInteger": int,
                  "decimal": float, "double": float, "float": float,
                  "boolean": lambda v: v == "true"}
    try:
        if dtype in converters:
            return converters[dtype](term.value)
        if dtype == "date":
            return dt.date.fromisoformat(term.value)
    except ValueError:
        pass
    return term.value


class KnowledgeGraph:
    """A diplograph store opened for analysis in a notebook.

    Tables come back as :class:`pandas.DataFrame` with the documented JSON columns
    first; graphs as :mod:`networkx` graphs; pictures as matplotlib figures.

    Args:
        path: the store directory (created if missing), or ``None`` for an
            in-memory store.
        read_only: open an existing store read-only (``ingest`` then fails).
    """

    def __init__(self, path: str | PathLike[str] | None = None, *, read_only: bool = False
                 ) -> None:
        self.store = Store(path, read_only=read_only)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.store.path or "memory"
        try:
            size = f"{len(self.store.article_ids())} articles, {len(self.store)} quads"
        except DiplographError:
            size = "closed"
        return f"<KnowledgeGraph {where}: {size}>"

    # ------------------------------------------------------------ writing

    def ingest(self, paths: str | PathLike[str] | Iterable[str | PathLike[str]], *,
               published: dt.date | None = None, model: str | None = None) -> IngestSummary:
        """Read articles (files, folders, feeds, JSONL) into the store.

        Returns:
            The run's summary (new, changed, skipped, failed, errors).
        """
        from diplograph.api import ingest

        items = [paths] if isinstance(paths, str | PathLike) else list(paths)
        return ingest(items, self.store, published=published, model=model)

    # ------------------------------------------------------------ tables

    def stances(self, initiative: str | None = None, holder: str | None = None,
                polarity: str | None = None) -> pd.DataFrame:
        """Who supports or rejects what: one row per stance (``StanceRow`` columns).

        Filters are case-insensitive substrings of names, aliases and mentions.
        """
        rows = stances(self.store, initiative=initiative, holder=holder, polarity=polarity)
        return _frame([r.as_dict() for r in rows], _field_names(StanceRow))

    def meetings(self, actor: str | None = None) -> pd.DataFrame:
        """Meetings, one row per meeting per article (``MeetingRow`` columns)."""
        rows = meetings(self.store, actor=actor)
        return _frame([r.as_dict() for r in rows], _field_names(MeetingRow))

    def actors(self) -> pd.DataFrame:
        """Canonical actors with kind, country, sector, Wikidata id and article count."""
        return _frame([r.as_dict() for r in actors(self.store)], _field_names(ActorRow))

    def articles(self) -> pd.DataFrame:
        """The articles in the store: id, title, url, published, source."""
        meta = to_networkx(self.store).graph["articles"]
        return _frame([{"article": k, **v} for k, v in meta.items()],
                      ["article", "title", "url", "published", "source"])

    def sparql(self, query: str) -> pd.DataFrame | bool:
        """Run SPARQL (name graphs: ``GRAPH ?g { … }``; ``dip:``, ``sem:`` … predeclared).

        Returns:
            SELECT: a DataFrame, one column per variable (IRIs as strings, numbers,
            booleans and dates converted); ASK: a bool; CONSTRUCT/DESCRIBE: a
            DataFrame with ``subject``, ``predicate``, ``object`` columns.
        """
        result = self.store.sparql(query)
        if isinstance(result, bool):
            return result
        if not result:
            return _frame([], _empty_columns(self.store, query))
        if isinstance(result[0], tuple):
            return _frame([dict(zip(("subject", "predicate", "object"), map(_python, t),
                                    strict=True)) for t in result],
                          ["subject", "predicate", "object"])
        return _frame([{k: _python(v) for k, v in row.items()} for row in result], list(result[0]))

    # ------------------------------------------------------------ graphs and analysis

    def to_networkx(self, kind: GraphKind = "stance") -> nx.Graph:
        """The store as a networkx graph.

        Args:
            kind: ``stance`` – the signed actor → initiative network (DiGraph, one
                edge per pair, ``weight`` = support − reject sources);
                ``meeting`` – actors linked by meetings attended together (Graph);
                ``alignment`` – actors linked by agreement/disagreement (Graph);
                ``full`` – everything, one edge per fact (MultiDiGraph).
        """
        full = to_networkx(self.store)
        if kind == "full":
            return full
        if kind == "stance":
            return analysis.stance_graph(full)
        if kind == "meeting":
            return analysis.coparticipation_graph(full)
        if kind == "alignment":
            return analysis.alignment_graph(analysis.stance_graph(full))
        raise DiplographError(
            f"kind {kind!r}: expected 'stance', 'meeting', 'alignment' or 'full'"
        )

    def stance_matrix(self, *, max_actors: int | None = None,
                      max_initiatives: int | None = None) -> pd.DataFrame:
        """Actors × initiatives: +n where n sources report support, −n for rejection.

        Cells where sources disagree hold support − reject; empty cells are 0.
        """
        matrix = self._matrix(max_actors, max_initiatives)
        return _pandas().DataFrame(matrix.net(), index=list(matrix.actor_labels),
                                   columns=list(matrix.initiative_labels))

    def alignment(self) -> pd.DataFrame:
        """Pairs of actors: initiatives they agree and disagree on, most aligned first."""
        graph = self.to_networkx("alignment")
        rows = [{"actor": graph.nodes[u]["label"], "other": graph.nodes[v]["label"],
                 "agree": d["agree"], "disagree": d["disagree"], "alignment": d["alignment"]}
                for u, v, d in graph.edges(data=True)]
        frame = _frame(rows, ["actor", "other", "agree", "disagree", "alignment"])
        return frame.sort_values(["alignment", "agree", "actor", "other"],
                                 ascending=[False, False, True, True], ignore_index=True)

    def blocs(self, *, seed: int = 0) -> pd.DataFrame:
        """Blocs of actors that side together (Louvain communities), one row per actor."""
        graph = self.to_networkx("alignment")
        rows = [{"bloc": i, "actor": graph.nodes[n]["label"], "node": n}
                for i, bloc in enumerate(analysis.blocs(graph, seed=seed))
                for n in sorted(bloc, key=lambda n: graph.nodes[n]["label"])]
        return _frame(rows, ["bloc", "actor", "node"])

    def mediators(self) -> pd.DataFrame:
        """Mediators with their degree and betweenness in the meeting network."""
        scores = analysis.mediator_centrality(self.to_networkx("meeting"))
        return _frame([{"actor": s.label, "node": s.node, "mediated": s.mediated,
                        "degree": s.degree, "betweenness": s.betweenness} for s in scores],
                      ["actor", "node", "mediated", "degree", "betweenness"])

    def timeline(self) -> pd.DataFrame:
        """Dated meetings and stances per initiative, in date order."""
        events = analysis.timeline(to_networkx(self.store))
        columns = ["date", "initiative_label", "kind", "what", "label", "article", "sentence",
                   "initiative", "node"]
        return _frame([{c: getattr(e, c) for c in columns} for e in events], columns)

    # ------------------------------------------------------------ pictures and widgets

    def plot_stance_matrix(self, *, max_actors: int | None = 25,
                           max_initiatives: int | None = 12) -> Figure:
        """The stance matrix heatmap (green support, red reject, cell = sources)."""
        from diplograph.graph.pictures import stance_matrix_figure

        return _shown(stance_matrix_figure(self._matrix(max_actors, max_initiatives)))

    def plot_timeline(self, initiative: str | None = None, *, max_initiatives: int = 12
                      ) -> Figure:
        """Meetings and stances over time, one row per initiative (optionally one)."""
        from diplograph.graph.pictures import timeline_figure

        graph = to_networkx(self.store)
        chosen = self._initiatives(graph, initiative)
        return _shown(timeline_figure(graph, initiatives=chosen,
                                      max_initiatives=max_initiatives))

    def plot_stance_network(self, initiative: str | None = None) -> Figure:
        """The signed stance network (green support, red rejection)."""
        from diplograph.graph.pictures import stance_network_figure
        from diplograph.graph.viz import viz_graph

        graph = to_networkx(self.store)
        chosen = self._initiatives(graph, initiative)
        shown = graph if chosen is None else viz_graph(graph, initiatives=chosen)
        return _shown(stance_network_figure(shown))

    def save_pictures(self, folder: str | Path) -> list[Path]:
        """Write stance-matrix.png, timeline.png and stance-network.png into ``folder``."""
        from diplograph.graph.pictures import save_pictures

        return save_pictures(to_networkx(self.store), folder)

    def widget(self, initiative: str | None = None, **options: Any) -> Any:
        """An interactive ipysigma widget: colour by node kind, edges by relation/polarity.

        Node size follows degree. ``options`` go to :class:`ipysigma.Sigma`.
        """
        try:
            from ipysigma import Sigma
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError(f"widget() needs ipysigma; {_EXTRA_HINT}") from err
        from diplograph.graph.pictures import KIND_COLOURS
        from diplograph.graph.viz import RELATION_COLOURS, viz_graph

        full = to_networkx(self.store)
        graph = sigma_graph(viz_graph(full, initiatives=self._initiatives(full, initiative)))
        settings: dict[str, Any] = {
            "node_color": "kind", "node_color_palette": KIND_COLOURS,
            "edge_color": "relation", "edge_color_palette": RELATION_COLOURS,
            "node_size": graph.degree, "node_label": "label", "clickable_edges": True,
        }
        settings.update(options)
        return Sigma(graph, **settings)

    def viz(self, path: str | Path, initiative: str | None = None) -> Path:
        """Write the self-contained interactive HTML page (as ``diplograph viz``)."""
        from diplograph.graph.viz import write_html

        write_html(self.store, path, initiative=initiative)
        return Path(path)

    def export(self, fmt: str = "turtle", path: str | Path | None = None) -> str | None:
        """Export the graph (turtle, trig, nquads, jsonld); text if ``path`` is None."""
        from diplograph.graph.export import export

        return export(self.store, fmt, path)

    # ------------------------------------------------------------ helpers

    def _matrix(self, max_actors: int | None, max_initiatives: int | None
                ) -> analysis.StanceMatrix:
        signed = analysis.stance_graph(to_networkx(self.store))
        return analysis.stance_matrix(signed, max_actors=max_actors,
                                      max_initiatives=max_initiatives)

    def _initiatives(self, graph: nx.MultiDiGraph, needle: str | None) -> set[str] | None:
        if not needle:
            return None
        from diplograph.graph.viz import initiative_nodes

        found = initiative_nodes(self.store, graph, needle)
        if not found:
            raise DiplographError(f"no initiative matches {needle!r}")
        return found


def sigma_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple graph for ipysigma: one edge per pair and relation, no ``None`` values.

    The edge keeps ``relation``, ``polarity``, the number of facts (``count``) and the
    first evidence ``sentence`` and ``article``.
    """
    simple = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        simple.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for u, v, data in sorted(graph.edges(data=True),
                             key=lambda e: (e[0], e[1], str(e[2].get("article")))):
        if simple.has_edge(u, v):
            simple.edges[u, v]["count"] += 1
            continue
        simple.add_edge(u, v, relation=data.get("relation", ""),
                        polarity=data.get("polarity") or data.get("relation", ""), count=1,
                        sentence=data.get("sentence") or "", article=data.get("article") or "")
    return simple


def _empty_columns(store: Store, query: str) -> list[str]:
    """Column names of a query whose result is empty (the projection, or s/p/o)."""
    from diplograph.graph.iris import instance_prefixes
    from diplograph.ontology.namespace import PREFIXES

    result = store.ox.query(query, prefixes={**PREFIXES, **instance_prefixes()},
                            use_default_graph_as_union=False)
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables]
    return ["subject", "predicate", "object"]


def open(path: str | PathLike[str] | None = None, *, read_only: bool = False) -> KnowledgeGraph:
    """Open (or create) a store for analysis: ``kg = diplograph.open("store")``.

    Args:
        path: the store directory, or ``None`` for an in-memory store.
        read_only: open an existing store read-only.
    """
    _pandas()
    return KnowledgeGraph(path, read_only=read_only)
