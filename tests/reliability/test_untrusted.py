"""Untrusted input: feeds and HTML never expand external entities or fetch anything."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from diplograph.ingest.records import Article, ArticleError
from diplograph.ingest.sources import read_path

SECRET = "TOP-SECRET-7f3a9c"
"""Content of a local file that a resolved external entity would pull into an article."""


class _Recorder(BaseHTTPRequestHandler):
    """Answers every request with a DTD that defines an entity, and records the path."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.requests.append(self.path)
        body = f'<!ENTITY remote "{SECRET}">'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tripwire() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server: its base URL and the list of paths requested from it."""
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, "utf-8")
    return path


def _everything(items: list[Article | ArticleError]) -> str:
    return "\n".join(repr(item) for item in items)


def test_feed_external_file_entity_is_not_inlined(bad_corpus: Path) -> None:
    items = list(read_path(bad_corpus / "xxe.rss"))
    text = _everything(items)
    assert "root:" not in text  # /etc/passwd
    (article,) = items
    assert isinstance(article, Article)
    assert "Russia backed the Sochi congress" in article.text


def test_feed_entities_and_dtds_are_never_fetched_or_read(
    tmp_path: Path, tripwire, secret_file: Path
) -> None:
    base, requests = tripwire
    feed = tmp_path / "feed.rss"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{base}/external.dtd" [
  <!ENTITY % remote-dtd SYSTEM "{base}/parameter.dtd">
  %remote-dtd;
  <!ENTITY file SYSTEM "file://{secret_file}">
  <!ENTITY web SYSTEM "{base}/entity.txt">
]>
<rss version="2.0"><channel><title>Feed &file;</title>
<item><guid>e1</guid><title>Talks &web;</title><link>{base}/article-page</link>
<description>Iran backed the Astana talks on Monday. &file; &web; &remote;
&lt;img src="{base}/pixel.png"&gt;</description></item>
</channel></rss>
""", "utf-8")
    items = list(read_path(feed))
    assert SECRET not in _everything(items)
    time.sleep(0.2)  # let a (wrongly) started request reach the server
    assert requests == []


def test_html_page_references_are_never_fetched(
    tmp_path: Path, tripwire, secret_file: Path
) -> None:
    base, requests = tripwire
    page = tmp_path / "page.html"
    page.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE html SYSTEM "{base}/html.dtd" [<!ENTITY file SYSTEM "file://{secret_file}">]>
<html><head><title>Talks</title><base href="{base}/">
<link rel="stylesheet" href="{base}/style.css"><script src="{base}/app.js"></script>
<meta http-equiv="refresh" content="0; url={base}/refresh"></head>
<body><article><h1>Astana talks end</h1>
<p>Russia, Iran and Turkey on Monday backed the Astana process, the foreign ministers said in a
joint statement after two days of talks in the Kazakh capital. &file;</p>
<img src="{base}/photo.jpg"><iframe src="{base}/frame"></iframe>
<p>The Syrian government delegation attended the talks, while the opposition stayed away and
rejected the de-escalation plan announced by the three guarantor countries.</p>
</article></body></html>
""", "utf-8")
    items = list(read_path(page))
    assert SECRET not in _everything(items)
    (article,) = items
    assert isinstance(article, Article)
    assert "backed the Astana process" in article.text
    time.sleep(0.2)
    assert requests == []


def test_billion_laughs_feed_is_not_expanded(bad_corpus: Path) -> None:
    started = time.monotonic()
    items = list(read_path(bad_corpus / "billion-laughs.rss"))
    assert time.monotonic() - started < 5
    (article,) = items
    assert isinstance(article, Article)
    assert "lol" not in article.text and len(article.text) < 200


def test_billion_laughs_html_is_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    page = tmp_path / "laughs.html"
    page.write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [{entities}]><html><body><article>'
        "<p>Russia, Iran and Turkey on Monday backed the Astana process, the ministers said "
        "after two days of talks in the Kazakh capital. &j;</p></article></body></html>",
        "utf-8",
    )
    started = time.monotonic()
    items = list(read_path(page))
    assert time.monotonic() - started < 10
    assert len(_everything(items)) < 10_000
