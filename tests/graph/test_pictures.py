"""Pictures: stance matrix heatmap, timeline and signed network, drawn headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.graph import Store, to_networkx
from diplograph.graph.analysis import stance_graph, stance_matrix
from diplograph.graph.pictures import (
    PICTURES,
    REJECT,
    SUPPORT,
    save_pictures,
    stance_matrix_figure,
    stance_network_figure,
    timeline_figure,
)

image = pytest.importorskip("matplotlib.image", reason="pictures need the notebook extra")


def _pixels(path: Path):
    rgb = image.imread(path)[..., :3]
    return (rgb * 255).round().astype(int).reshape(-1, 3)


def _share_near(pixels, colour: str, tolerance: int = 40) -> float:
    """Share of pixels within ``tolerance`` (per channel) of ``colour``."""
    from matplotlib.colors import to_rgb

    target = [round(c * 255) for c in to_rgb(colour)]
    close = (abs(pixels - target) <= tolerance).all(axis=1)
    return float(close.mean())


def test_save_pictures_writes_three_non_blank_pngs(loaded: Store, tmp_path: Path) -> None:
    paths = save_pictures(to_networkx(loaded), tmp_path / "img")
    assert [p.name for p in paths] == list(PICTURES)
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = _pixels(path)
        assert len({tuple(p) for p in pixels[::7]}) > 50, f"{path.name} looks blank"
    matrix = _pixels(paths[0])
    assert _share_near(matrix, SUPPORT) > 0.005  # green support cells
    assert _share_near(matrix, REJECT) > 0.001  # the red rejection cell
    network = _pixels(paths[2])
    assert _share_near(network, SUPPORT) > 0 and _share_near(network, REJECT) > 0


def test_stance_matrix_figure_labels_and_counts(loaded: Store) -> None:
    matrix = stance_matrix(stance_graph(to_networkx(loaded)))
    fig = stance_matrix_figure(matrix)
    [ax] = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == list(matrix.actor_labels)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(matrix.initiative_labels)
    cells = sorted(t.get_text() for t in ax.texts)
    filled = sum(1 for row in matrix.support for n in row if n) + sum(
        1 for row in matrix.reject for n in row if n)
    assert len(cells) == filled == 5
    assert set(cells) == {"1"}


def test_timeline_and_network_figures_draw_every_row(loaded: Store) -> None:
    graph = to_networkx(loaded)
    fig = timeline_figure(graph)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Astana talks", "Congress of National Dialogue"]
    net = stance_network_figure(graph)
    drawn = {t.get_text() for t in net.axes[0].texts}
    assert {"Russia", "Syrian opposition", "Congress of National Dialogue"} <= drawn


def test_pictures_of_an_empty_store(store: Store, tmp_path: Path) -> None:
    paths = save_pictures(to_networkx(store), tmp_path)
    assert all(p.stat().st_size > 0 for p in paths)
