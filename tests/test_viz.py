"""``diplograph viz``: a self-contained page, drawn by real headless Chromium, that escapes data."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph.network import to_networkx
from diplograph.graph.pictures import KIND_COLOURS
from diplograph.graph.store import Store
from diplograph.graph.viz import to_html
from diplograph.ingest.records import (
    Actor,
    Article,
    ArticleExtraction,
    Evidence,
    Initiative,
    Stance,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
runner = CliRunner()

MARK = "document.documentElement.setAttribute('data-pwned', '1')"
SCRIPT = "<script>alert(1)</script>"
PAYLOAD = f"{SCRIPT}<script>{MARK}</script><img src=x onerror=\"{MARK}\">"
# runs first in the page: any alert() (from an executed payload) leaves a mark
SPY = ("<script>window.alert = function () { "
       "document.documentElement.setAttribute('data-alerted', '1'); };</script>")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--hide-scrollbars", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _dump_dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    done = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom",
                     page.resolve().as_uri() + fragment)
    return done.stdout


def _viz(store: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(app, ["viz", "-o", str(out), "--store", str(store), *extra])
    assert result.exit_code == 0, result.output
    assert out.exists()


def _linked_nodes(store: Path) -> set[str]:
    """Every node that takes part in an edge: what the page must draw."""
    with Store(store, read_only=True) as st:
        graph = to_networkx(st)
    return {n for edge in graph.edges() for n in edge}


def _attribute(dom: str, name: str) -> str | None:
    match = re.search(rf'<html[^>]*\s{name}="([^"]*)"', dom)
    return match.group(1) if match else None


class _References(HTMLParser):
    """Collects script ``src``, stylesheet ``href`` and every ``src``/``href`` attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name in ("src", "href", "data") and value:
                self.urls.append(value)


# ---------------------------------------------------------------- self-contained


def test_page_has_no_external_script_or_stylesheet(seed_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "graph.html"
    _viz(seed_store, page)
    text = page.read_text(encoding="utf-8")
    refs = _References()
    refs.feed(text)
    assert refs.urls == []  # nothing is fetched: no src, no href at all
    assert refs.scripts == 2  # the JSON data and the inlined renderer
    assert not re.search(r"<script[^>]+src\s*=", text, re.I)
    assert not re.search(r"<link[^>]+stylesheet", text, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", text, re.I)
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:)?//", text, re.I)
    # the only http(s) text is data (article URLs), inside the JSON block
    code = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", text, flags=re.S)
    assert "http://" not in code and "https://" not in code


def test_initiative_filter_and_unknown_initiative(seed_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "sochi.html"
    _viz(seed_store, page, "--initiative", "Sochi")
    assert "Congress of National Dialogue" in page.read_text(encoding="utf-8")
    result = runner.invoke(app, ["viz", "-o", str(tmp_path / "x.html"), "--store",
                                 str(seed_store), "--initiative", "Atlantis accord"])
    assert result.exit_code == 1
    assert "Atlantis accord" in result.output


# ---------------------------------------------------------------- drawn in Chromium


@needs_chromium
def test_chromium_draws_every_node(seed_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "graph.html"
    _viz(seed_store, page)
    expected = _linked_nodes(seed_store)
    assert len(expected) > 10
    dom = _dump_dom(tmp_path, page)
    assert _attribute(dom, "data-ready") == "true"
    assert _attribute(dom, "data-node-count") == str(len(expected))
    drawn = set(re.findall(r'class="node"[^>]*data-id="([^"]+)"', dom))
    assert drawn == expected
    assert f"{len(expected)} nodes" in dom

    shot = tmp_path / "graph.png"
    _chromium(tmp_path, "--window-size=1200,800", f"--screenshot={shot}", page.resolve().as_uri())
    image = pytest.importorskip("matplotlib.image")
    pixels = (image.imread(shot)[..., :3] * 255).round().astype(int).reshape(-1, 3)
    colours = {tuple(p) for p in pixels}
    assert len(colours) > 100, "the screenshot is (nearly) blank"
    actor = tuple(int(KIND_COLOURS["actor"][i:i + 2], 16) for i in (1, 3, 5))
    painted = (abs(pixels - actor) <= 12).all(axis=1).sum()
    assert painted > 200, "no actor nodes painted"


# ---------------------------------------------------------------- escaping


def _hostile_store(path: Path) -> Path:
    """A store whose article title, actor name and initiative name carry script payloads."""
    text = f"{PAYLOAD} rejected the {PAYLOAD} plan."
    evidence = Evidence(article="xss", sentence=text, start=0, end=len(text))
    extraction = ArticleExtraction(
        article=Article("xss", text, title=PAYLOAD, published=dt.date(2024, 1, 2),
                        url="javascript:alert(1)", source=PAYLOAD),
        actors=(Actor("org:xss", PAYLOAD, "organisation", mentions=(PAYLOAD,)),
                Actor("RUS", "Russia", "state", country="RUS")),
        initiatives=(Initiative("xss-plan", f"{PAYLOAD} plan", "plan"),),
        meetings=(),
        stances=(Stance("org:xss", PAYLOAD, "reject", "xss-plan", f"the {PAYLOAD} plan", evidence),
                 Stance("RUS", "Russia", "support", "xss-plan", "the plan", evidence)),
        extractor_version="0.1.0", content_hash="sha1:xss",
    )
    with Store(path) as st:
        st.add(extraction)
    return path


def test_payload_is_escaped_in_the_raw_html(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "store")
    page = tmp_path / "xss.html"
    _viz(store, page, "--title", PAYLOAD)
    text = page.read_text(encoding="utf-8")
    assert SCRIPT not in text and "<img" not in text and "onerror=\"" not in text
    assert text.count("<script") == 2
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in text  # data, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the title, escaped


@needs_chromium
def test_payload_does_not_run_in_chromium(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "store")
    page = tmp_path / "xss.html"
    _viz(store, page, "--title", PAYLOAD)
    spied = tmp_path / "xss-spied.html"
    spied.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + SPY, 1),
                     encoding="utf-8")
    # select the hostile actor: its name, stance sentence and article title are shown
    dom = _dump_dom(tmp_path, spied, "#focus=actor:org:xss")
    assert _attribute(dom, "data-ready") == "true"  # the page ran to the end
    assert _attribute(dom, "data-node-count") == "3"  # hostile actor, Russia, the plan
    assert _attribute(dom, "data-pwned") is None
    assert _attribute(dom, "data-alerted") is None
    assert dom.count("<script") == 3  # spy, data, renderer: no injected script element
    assert "<img" not in dom
    assert 'data-selected="actor:org:xss"' in dom
    # the payload is on screen as text: serialised escaped in the panel and labels
    shown = dom.split('id="panel"', 1)[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "(xss)" in shown  # the source line: article title, then its id
    assert "javascript:alert(1)" not in re.findall(r'href="([^"]*)"', dom)


def test_to_html_of_an_empty_graph_is_valid(tmp_path: Path) -> None:
    import networkx as nx

    page = to_html(nx.MultiDiGraph(), title="empty")
    assert '"nodes":[]' in page and "<title>empty</title>" in page
