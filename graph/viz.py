"""One self-contained, offline HTML page showing a store's graph (no external resources)."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from diplograph.errors import DiplographError
from diplograph.graph.network import to_networkx
from diplograph.graph.pictures import KIND_COLOURS, NEUTRAL, REJECT, SUPPORT, component_layout
from diplograph.graph.queries import stances
from diplograph.graph.store import Store

__all__ = ["initiative_nodes", "to_html", "viz_graph", "write_html"]

RELATION_COLOURS = {"supports": SUPPORT, "rejects": REJECT, "participant": "#5b8fd1",
                    "host": "#2c5aa0", "mediator": "#8e5bb5", "part_of": NEUTRAL}
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}


def initiative_nodes(store: Store, graph: nx.MultiDiGraph, needle: str) -> set[str]:
    """Initiative and meeting nodes matching ``needle``.

    A node matches when its label or key contains ``needle`` (any case), or when a
    stance found by :func:`diplograph.graph.queries.stances` for that initiative
    (alias- and mention-aware) targets it.
    """
    low = needle.casefold()
    found = {n for n, d in graph.nodes(data=True) if d.get("kind") in ("initiative", "meeting")
             and (low in str(d.get("label") or "").casefold()
                  or low in str(d.get("key") or "").casefold())}
    for row in stances(store, initiative=needle):
        node = f"initiative:{row.target_key or row.target}"
        if node in graph:
            found.add(node)
    return found


def viz_graph(graph: nx.MultiDiGraph, *, initiatives: set[str] | None = None) -> nx.MultiDiGraph:
    """The part of ``graph`` a page shows: nodes with at least one edge.

    Args:
        graph: the graph of :func:`diplograph.graph.network.to_networkx`.
        initiatives: if given, only these initiative nodes, the rounds and
            processes they are part of, and the actors linked to any of them.
    """
    if initiatives is not None:
        keep = set(initiatives)
        keep |= {u for u, v, r in graph.edges(data="relation") if r == "part_of" and v in keep}
        keep |= {v for u, v, r in graph.edges(data="relation") if r == "part_of" and u in keep}
        keep |= {n for i in keep for n in nx.all_neighbors(graph, i)}
        graph = graph.subgraph(keep)
    shown = graph.subgraph(n for n in graph if graph.degree(n) > 0)
    result = nx.MultiDiGraph(shown)
    result.graph.update(graph.graph)
    return result


def _payload(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The JSON the page draws: nodes with positions, edges grouped with their evidence."""
    positions = component_layout(graph)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    simple = nx.Graph(graph)
    nodes = []
    for node in sorted(graph):
        data = graph.nodes[node]
        x, y = positions.get(node, (0.0, 0.0))
        degree = simple.degree(node)
        nodes.append({
            "id": node, "label": str(data.get("label") or node),
            "kind": data.get("kind") or "actor",
            "type": data.get("actor_kind") or data.get("type"),
            "x": round((x - min(xs)) / span_x, 5), "y": round((max(ys) - y) / span_y, 5),
            "degree": degree, "size": round(4 + 2.2 * degree ** 0.5, 2),
        })
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, d in graph.edges(data=True):
        grouped[(u, v, d.get("relation", ""))].append({
            key: d.get(key) for key in ("article", "sentence", "date", "conditional")
        })
    edges = []
    for (u, v, relation), evidence in sorted(grouped.items()):
        evidence.sort(key=lambda e: (str(e["article"]), str(e["sentence"])))
        polarity = {"supports": "support", "rejects": "reject"}.get(relation)
        edges.append({"s": u, "t": v, "relation": relation, "polarity": polarity,
                      "evidence": evidence})
    used = {e["article"] for edge in edges for e in edge["evidence"] if e["article"]}
    articles = {k: v for k, v in graph.graph.get("articles", {}).items() if k in used}
    return {"nodes": nodes, "edges": edges, "articles": articles,
            "colours": {"kind": KIND_COLOURS, "relation": RELATION_COLOURS}}


def _script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)


def _asset(name: str) -> str:
    return files("diplograph.graph.static").joinpath(name).read_text(encoding="utf-8")


def to_html(graph: nx.MultiDiGraph, *, title: str = "diplograph") -> str:
    """A complete HTML page drawing ``graph`` with its inlined renderer.

    Every node and edge of ``graph`` is drawn (pass it through :func:`viz_graph`
    first to drop isolated nodes); the page sets ``data-node-count`` on ``<html>``
    once drawn. Opening ``page.html#focus=<node id>`` selects a node.
    """
    js, css = _asset("viz.js"), _asset("viz.css")
    if "</" in js or "</" in css:
        raise DiplographError("viz assets must not contain '</' (they are inlined)")
    values = {"CSS": css, "JS": js, "TITLE": html.escape(title),
              "DATA": _script_json(_payload(graph))}
    # one pass: text substituted in is never scanned for markers again
    return re.sub(r"\{\{(CSS|JS|TITLE|DATA)\}\}", lambda m: values[m.group(1)], _asset("viz.html"))


def write_html(store: Store, path: str | Path, *, initiative: str | None = None,
               title: str | None = None) -> nx.MultiDiGraph:
    """Write the page for ``store`` (optionally one initiative's neighbourhood) to ``path``.

    Returns:
        The graph drawn.

    Raises:
        DiplographError: ``initiative`` matches nothing.
    """
    graph = to_networkx(store)
    chosen = None
    if initiative:
        chosen = initiative_nodes(store, graph, initiative)
        if not chosen:
            raise DiplographError(f"no initiative matches {initiative!r}")
    shown = viz_graph(graph, initiatives=chosen)
    heading = title or (f"diplograph: {initiative}" if initiative else "diplograph")
    Path(path).write_text(to_html(shown, title=heading), encoding="utf-8")
    return shown
