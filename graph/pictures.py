"""Static pictures of a store's graph (matplotlib, headless): stance matrix, timeline, network."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from diplograph.errors import DiplographError
from diplograph.graph.analysis import (
    StanceMatrix,
    display_labels,
    stance_graph,
    stance_matrix,
    timeline,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PICTURES",
    "component_layout",
    "save_pictures",
    "stance_matrix_figure",
    "stance_network_figure",
    "timeline_figure",
]

SUPPORT = "#1a9850"
REJECT = "#d73027"
MIXED = "#f4a11d"
NEUTRAL = "#9e9e9e"
KIND_COLOURS = {"actor": "#3b6fb6", "initiative": "#e08a1e", "meeting": "#8e5bb5"}
STATUS_COLOURS = {"held": "#253494", "planned": "#41b6c4", "postponed": MIXED,
                  "cancelled": NEUTRAL}

#: file name → what it shows, as written by :func:`save_pictures`.
PICTURES = {
    "stance-matrix.png": "actors × initiatives, green support / red reject, cell = sources",
    "timeline.png": "meetings and stances per initiative over time",
    "stance-network.png": "the signed stance network around the matrix's initiatives",
}


def _figure(width: float, height: float) -> Figure:
    """A figure outside pyplot's global state, drawn by the Agg canvas (headless).

    Raises:
        DiplographError: matplotlib is not installed.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise DiplographError(
            "pictures need matplotlib: pip install 'diplograph[notebook]'"
        ) from err

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _short(label: str, limit: int = 36) -> str:
    """``label`` cut to ``limit`` characters with an ellipsis (tick labels stay readable)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _blend(colour: str, strength: float) -> tuple[float, float, float]:
    """``colour`` mixed with white: 0 is white, 1 is the full colour."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    t = 0.25 + 0.75 * max(0.0, min(1.0, strength))
    return (1 - t + t * r, 1 - t + t * g, 1 - t + t * b)


# ---------------------------------------------------------------- stance matrix


def stance_matrix_figure(matrix: StanceMatrix, *, title: str = "Who supports or rejects what"
                         ) -> Figure:
    """A heatmap of a stance matrix: green support, red rejection, orange both.

    Each cell shows the number of sources (articles): ``2`` for two sources on one
    side, ``+1/−1`` when sources disagree; the colour deepens with the count.
    """
    rows, cols = len(matrix.actors), len(matrix.initiatives)
    fig = _figure(max(6.0, 1.6 + 0.55 * cols), max(3.0, 1.6 + 0.32 * rows))
    ax = fig.add_subplot()
    peak = max([s + r for srow, rrow in zip(matrix.support, matrix.reject, strict=True)
                for s, r in zip(srow, rrow, strict=True)] or [1])
    image = [[(1.0, 1.0, 1.0)] * cols for _ in range(rows)]
    for i in range(rows):
        for j in range(cols):
            s, r = matrix.support[i][j], matrix.reject[i][j]
            if not s + r:
                continue
            colour = SUPPORT if s and not r else REJECT if r and not s else MIXED
            image[i][j] = _blend(colour, (s + r) / peak)
            text = str(s + r) if not (s and r) else f"+{s}/\u2212{r}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if (s + r) / peak > 0.5 else "black")
    ax.imshow(image if rows and cols else [[(1.0, 1.0, 1.0)]], aspect="auto",
              interpolation="nearest")
    ax.set_xticks(range(cols), [_short(t) for t in matrix.initiative_labels], rotation=40,
                  ha="right", fontsize=8)
    ax.set_yticks(range(rows), [_short(t) for t in matrix.actor_labels], fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
    ax.grid(which="minor", color="#e0e0e0", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title)
    _legend(ax, [(SUPPORT, "support"), (REJECT, "reject"), (MIXED, "sources disagree")],
            marker="s")
    return fig


def _legend(ax: Axes, entries: list[tuple[str, str]], *, marker: str | list[str]) -> None:
    from matplotlib.lines import Line2D

    markers = [marker] * len(entries) if isinstance(marker, str) else marker
    handles = [Line2D([], [], marker=m, linestyle="", color=c, label=label, markersize=8)
               for (c, label), m in zip(entries, markers, strict=True)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)


# ---------------------------------------------------------------- timeline


def timeline_figure(graph: nx.MultiDiGraph, *, initiatives: list[str] | None = None,
                    max_initiatives: int = 12, title: str = "Meetings and stances over time"
                    ) -> Figure:
    """A timeline: one row per initiative, meetings as squares, stances as triangles.

    Support points up (green), rejection down (red); meetings are coloured by status.
    Stances on the same day stack in a small column.

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.
        initiatives: the initiative nodes to show; default the ``max_initiatives``
            with the most dated events.
        max_initiatives: how many rows at most when ``initiatives`` is not given.
        title: the figure title.
    """
    events = timeline(graph, initiatives=initiatives)
    counts = Counter(e.initiative for e in events)
    rows = sorted(counts, key=lambda n: (-counts[n], n))[:max_initiatives]
    rows.sort(key=lambda n: min(e.date for e in events if e.initiative == n))
    index = {n: i for i, n in enumerate(rows)}
    fig = _figure(10.0, max(2.5, 1.4 + 0.45 * len(rows)))
    ax = fig.add_subplot()
    stacked: dict[tuple, int] = defaultdict(int)
    for e in events:
        if e.initiative not in index:
            continue
        y = index[e.initiative]
        if e.kind == "meeting":
            ax.scatter([e.date], [y], marker="s", s=60, color=STATUS_COLOURS.get(e.what, NEUTRAL),
                       edgecolors="black", linewidths=0.5, zorder=3)
            continue
        slot = stacked[(y, e.date, e.what)]
        stacked[(y, e.date, e.what)] += 1
        offset = (0.12 + 0.09 * min(slot, 3)) * (1 if e.what == "support" else -1)
        ax.scatter([e.date], [y + offset], marker="^" if e.what == "support" else "v", s=40,
                   color=SUPPORT if e.what == "support" else REJECT, zorder=4)
    ax.set_yticks(range(len(rows)), [_short(t) for t in display_labels(graph, rows)], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(title)
    entries = [(SUPPORT, "support"), (REJECT, "reject")]
    entries += [(c, f"meeting {s}") for s, c in STATUS_COLOURS.items()]
    _legend(ax, entries, marker=["^", "v"] + ["s"] * len(STATUS_COLOURS))
    fig.autofmt_xdate()
    return fig


# ---------------------------------------------------------------- signed network


def stance_network_figure(graph: nx.MultiDiGraph, *, initiatives: Iterable[str] | None = None,
                          seed: int = 7, title: str = "Signed stance network") -> Figure:
    """The signed stance network: actors (circles) to initiatives (squares).

    Edges are green for support, red for rejection, grey where sources balance out;
    their width grows with the number of sources.

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.
        initiatives: draw only these initiative nodes and the actors holding a
            stance on them (default: everything).
        seed: layout seed.
        title: the figure title.
    """
    signed = stance_graph(graph)
    if initiatives is not None:
        keep = {n for n in initiatives if n in signed}
        keep |= {u for n in keep for u in signed.predecessors(n)}
        signed = nx.DiGraph(signed.subgraph(keep))
    fig = _figure(11.0, 8.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    if signed.number_of_nodes() == 0:
        return fig
    layout = component_layout(signed, seed=seed)
    for kind, shape in (("actor", "o"), ("initiative", "s"), ("meeting", "D")):
        nodes = [n for n, k in signed.nodes(data="kind") if (k or "actor") == kind]
        nx.draw_networkx_nodes(signed, layout, nodelist=nodes, node_shape=shape, ax=ax,
                               node_color=KIND_COLOURS[kind], node_size=[
                                   60 + 40 * signed.degree(n) for n in nodes], alpha=0.9)
    edges = list(signed.edges(data=True))
    nx.draw_networkx_edges(
        signed, layout, edgelist=[(u, v) for u, v, _ in edges], ax=ax, arrows=True,
        arrowsize=8, node_size=120, alpha=0.8,
        edge_color=[SUPPORT if d["sign"] > 0 else REJECT if d["sign"] < 0 else NEUTRAL
                    for *_, d in edges],
        width=[0.8 + 0.7 * d["sources"] for *_, d in edges],
    )
    small = signed.number_of_nodes() <= 60
    shown = [n for n in signed if small or signed.degree(n) >= 2]
    labels = [_short(t, 32) for t in display_labels(signed, shown)]
    nx.draw_networkx_labels(signed, layout, ax=ax, font_size=7,
                            labels=dict(zip(shown, labels, strict=True)))
    _legend(ax, [(KIND_COLOURS["actor"], "actor"), (KIND_COLOURS["initiative"], "initiative"),
                 (KIND_COLOURS["meeting"], "meeting"), (SUPPORT, "supports"),
                 (REJECT, "rejects")], marker="o")
    return fig


def component_layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions with each connected component laid out on its own and packed in rows.

    A spring layout of the whole graph scatters small components among large ones;
    laying them out apart keeps every coalition readable. Deterministic for a seed.
    """
    parts = sorted((sorted(c) for c in nx.connected_components(nx.Graph(graph))),
                   key=lambda c: (-len(c), c))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    width = 1.7 * max(1.0, len(parts[0]) ** 0.5) if parts else 1.0
    for nodes in parts:
        size = max(0.6, len(nodes) ** 0.5)
        if x + size > width and x > 0:
            x, y, row_height = 0.0, y - row_height - 0.4, 0.0
        sub = nx.Graph(graph.subgraph(nodes))
        local = _rescale(nx.forceatlas2_layout(sub, seed=seed, max_iter=300)
                         if len(nodes) > 2 else nx.spring_layout(sub, seed=seed)
                         if len(nodes) == 2 else {nodes[0]: (0.0, 0.0)})
        for node, (px, py) in local.items():
            positions[node] = (x + size / 2 + px * size / 2.2, y - size / 2 + py * size / 2.2)
        x += size + 0.4
        row_height = max(row_height, size)
    return positions


def _rescale(positions: dict) -> dict[str, tuple[float, float]]:
    """Positions centred on 0 and stretched to fill the square [−1, 1]²."""
    if len(positions) < 2:
        return {n: (0.0, 0.0) for n in positions}
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    sx, sy = (max(xs) - min(xs)) / 2 or 1.0, (max(ys) - min(ys)) / 2 or 1.0
    return {n: ((float(p[0]) - cx) / sx, (float(p[1]) - cy) / sy)
            for n, p in positions.items()}


# ---------------------------------------------------------------- all at once


def save_pictures(graph: nx.MultiDiGraph, folder: str | Path, *, max_actors: int = 30,
                  max_initiatives: int = 12) -> list[Path]:
    """Write the three pictures of :data:`PICTURES` as PNG files into ``folder``.

    Returns:
        The paths written, in the order of :data:`PICTURES`.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    matrix = stance_matrix(stance_graph(graph), max_actors=max_actors,
                           max_initiatives=max_initiatives)
    figures = {
        "stance-matrix.png": stance_matrix_figure(matrix),
        "timeline.png": timeline_figure(graph, max_initiatives=max_initiatives),
        "stance-network.png": stance_network_figure(graph, initiatives=matrix.initiatives),
    }
    paths = []
    for name, fig in figures.items():
        path = out / name
        fig.savefig(path, dpi=110, metadata={"Software": None})
        paths.append(path)
    return paths
