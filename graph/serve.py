"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store (stdlib HTTP server)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from diplograph.errors import StoreError
from diplograph.graph.iris import instance_prefixes
from diplograph.graph.store import Store
from diplograph.ontology.namespace import PREFIXES

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "EXAMPLE_QUERY", "SparqlServer", "make_server"]

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
_PATHS = frozenset({"/query", "/sparql"})
_MAX_BODY = 1 << 20

EXAMPLE_QUERY = """\
PREFIX dip: <https://w3id.org/diplograph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?holder ?polarity ?target WHERE {
  GRAPH ?g { ?s a dip:Stance ; dip:holder ?h ; dip:polarity ?polarity ; dip:target ?t }
  GRAPH ?r { ?h rdfs:label ?holder . ?t rdfs:label ?target }
} LIMIT 10"""
"""A query to try against a fresh endpoint (printed by ``diplograph serve``)."""

_SOLUTION_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


def _accepted(header: str | None) -> list[str]:
    """Media types of an ``Accept`` header, best first (by q-value, then order)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate((header or "*/*").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def _choose(header: str | None, formats: dict[str, Any], default: str) -> str | None:
    """The first acceptable media type we can write, ``None`` if none is."""
    for media in _accepted(header):
        if media in formats:
            return media
        if media in ("*/*", "application/*", "text/*") and (
            media == "*/*" or default.startswith(media[:-1])
        ):
            return default
    return None


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        log.info("%s %s", self.address_string(), format % args)

    # ------------------------------------------------------------ verbs

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if parts.path in ("/", "") and "query" not in params:
            self._send(HTTPStatus.OK, "text/plain; charset=utf-8", self.server.help_text())
            return
        self._dispatch(parts.path, params)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {_MAX_BODY} bytes")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            params.setdefault("query", []).append(body)
        elif kind == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif kind == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        else:
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"content type {kind!r}")
            return
        self._dispatch(parts.path, params)

    def do_PUT(self) -> None:  # noqa: N802 - stdlib name
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only")

    do_DELETE = do_PUT  # noqa: N815 - stdlib name
    do_PATCH = do_PUT  # noqa: N815 - stdlib name

    # ------------------------------------------------------------ protocol

    def _dispatch(self, path: str, params: dict[str, list[str]]) -> None:
        if path not in _PATHS and path not in ("/", ""):
            self._error(HTTPStatus.NOT_FOUND, f"no such path {path!r}; use /query")
            return
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
            return
        queries = params.get("query", [])
        if len(queries) != 1:
            self._error(HTTPStatus.BAD_REQUEST, "expected exactly one 'query' parameter")
            return
        try:
            result = self.server.run(
                queries[0],
                default_graph=params.get("default-graph-uri", []),
                named_graphs=params.get("named-graph-uri", []),
            )
        except (SyntaxError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"query rejected: {exc}")
            return
        except (OSError, RuntimeError) as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
            return
        self._answer(result)

    def _answer(self, result: Any) -> None:
        accept = self.headers.get("Accept")
        if isinstance(result, ox.QueryTriples):
            media = _choose(accept, _GRAPH_FORMATS, "text/turtle")
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, "no acceptable RDF format")
                return
            data = result.serialize(format=_GRAPH_FORMATS[media]) or b""
        else:
            media = _choose(accept, _SOLUTION_FORMATS, "application/sparql-results+json")
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, "no acceptable results format")
                return
            data = result.serialize(format=_SOLUTION_FORMATS[media]) or b""
        self._send(HTTPStatus.OK, f"{media}; charset=utf-8", data)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", message + "\n")

    def _send(self, status: HTTPStatus, kind: str, body: bytes | str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class SparqlServer(ThreadingHTTPServer):
    """A threaded HTTP server answering SPARQL queries from a read-only store.

    Queries see the named graphs only (``GRAPH ?g { … }``): the default graph is
    empty, as in the embedded store; the usual prefixes (``dip:``, ``sem:``,
    ``actor:`` …) are predeclared. Updates are refused with 403.
    """

    daemon_threads = True

    #: Seconds after which a query reopens the store to see what a writer added since.
    REFRESH = 2.0

    def __init__(self, store: Store, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.prefixes = {**PREFIXES, **instance_prefixes()}
        self._opened = time.monotonic()
        self._reopen = threading.Lock()

    def _current(self) -> Store:
        """The store, reopened read-only when the last opening is older than REFRESH: a
        read-only Oxigraph handle is a snapshot, and an ingest may be writing meanwhile."""
        path = getattr(self.store, "path", None)
        if path is None or time.monotonic() - self._opened < self.REFRESH:
            return self.store
        with self._reopen:
            if time.monotonic() - self._opened >= self.REFRESH:
                try:
                    self.store = Store(path, read_only=True)
                except StoreError:
                    pass  # keep answering from the snapshot we have
                self._opened = time.monotonic()
        return self.store

    @property
    def url(self) -> str:
        """The query URL, e.g. ``http://127.0.0.1:7878/query``."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/query"

    def help_text(self) -> str:
        return (
            f"diplograph read-only SPARQL endpoint: GET or POST queries to {self.url}\n"
            "(SPARQL 1.1 Protocol; JSON, XML, CSV or TSV results by Accept header).\n\n"
            f"Example:\n{EXAMPLE_QUERY}\n"
        )

    def run(self, query: str, *, default_graph: list[str], named_graphs: list[str]) -> Any:
        """Evaluate ``query`` on the store (protocol dataset parameters honoured)."""
        options: dict[str, Any] = {"prefixes": self.prefixes}
        if default_graph:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            options["use_default_graph_as_union"] = False
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._current().ox.query(query, **options)


def make_server(
    path: str | PathLike[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_close: Callable[[], None] | None = None,
) -> SparqlServer:
    """Open the store at ``path`` read-only and bind a :class:`SparqlServer` to it.

    Call ``serve_forever()`` on the result (and ``server_close()`` after). Port 0
    picks a free port; ``server.url`` tells which.

    Raises:
        StoreError: the store cannot be opened read-only.
        OSError: the address cannot be bound.
    """
    store = Store(path, read_only=True)
    try:
        server = SparqlServer(store, (host, port))
    except OSError:
        store.close()
        raise
    original = server.server_close

    def close() -> None:
        original()
        store.close()
        if on_close is not None:
            on_close()

    server.server_close = close  # type: ignore[method-assign]
    return server
