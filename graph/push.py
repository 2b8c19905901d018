"""Send a store's graphs to any SPARQL 1.1 store through the Graph Store HTTP Protocol."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox
import requests

from diplograph.graph.endpoint import Scrubber, check_url, redact, session
from diplograph.graph.store import Store

__all__ = ["PushFailure", "PushReport", "push"]

log = logging.getLogger(__name__)

_CONTENT_TYPE = "text/turtle"  # the body is N-Triples, a subset of Turtle every store reads
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_AUTH_STATUS = frozenset({401, 403})


@dataclass(frozen=True, slots=True)
class PushFailure:
    """One graph that did not arrive (or arrived only in part)."""

    graph: str
    status: int | None
    reason: str
    attempts: int


@dataclass(slots=True)
class PushReport:
    """What a push did: graphs and triples sent, requests made, and what failed."""

    url: str
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    failures: list[PushFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every graph arrived whole."""
        return not self.failures and not self.skipped


def _target(url: str, graph: ox.NamedNode | ox.DefaultGraph) -> tuple[str, dict[str, str]]:
    if isinstance(graph, ox.DefaultGraph):
        return url + ("&" if "?" in url else "?") + "default", {}
    return url, {"graph": graph.value}


def _chunks(store: Store, graph: ox.NamedNode | ox.DefaultGraph, size: int) -> Iterator[bytes]:
    """The graph's triples as N-Triples documents of at most ``size`` triples (one if empty)."""
    quads = store.ox.quads_for_pattern(None, None, None, graph)
    first = True
    while True:
        batch = [ox.Triple(q.subject, q.predicate, q.object) for q in islice(quads, size)]
        if not batch and not first:
            return
        first = False
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        if len(batch) < size:
            return


def _describe(exc: requests.RequestException) -> str:
    """A short, credential-free description of a transport error."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate verification failed"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__


class _Sender:
    """Sends one request with retries and exponential backoff on 5xx and transport errors."""

    def __init__(
        self,
        url: str,
        *,
        retries: int,
        backoff: float,
        timeout: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.session = session(url)
        self.scrub = Scrubber(url)
        self.requests = 0

    def send(
        self, method: str, graph: ox.NamedNode | ox.DefaultGraph, body: bytes
    ) -> tuple[int | None, str, int]:
        """``(status or None, reason, attempts)``; status 2xx means success."""
        url, params = _target(self.url, graph)
        name = "default graph" if isinstance(graph, ox.DefaultGraph) else graph.value
        status: int | None = None
        reason = ""
        attempt = 0
        for attempt in range(1, self.retries + 2):
            self.requests += 1
            try:
                resp = self.session.request(
                    method, url, params=params, data=body,
                    headers={"Content-Type": _CONTENT_TYPE}, timeout=self.timeout,
                )
            except requests.RequestException as exc:
                status, reason = None, _describe(exc)
            else:
                status = resp.status_code
                reason = _reason(resp, self.scrub)
                if status < 400 or status not in _RETRY_STATUS:
                    log.debug("%s %s -> %s (attempt %d)", method, name, status, attempt)
                    return status, reason, attempt
            log.debug("%s %s -> %s (attempt %d)", method, name, status or reason, attempt)
            if attempt <= self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        return status, reason, attempt

    def close(self) -> None:
        self.session.close()


def _reason(resp: requests.Response, scrub: Callable[[str], str]) -> str:
    """Status and the first line of the body, credentials scrubbed before cutting."""
    text = scrub(resp.text.strip())
    line = text.splitlines()[0][:200] if text else ""
    return f"{resp.status_code} {resp.reason}" + (f": {line}" if line else "")


def push(
    store: Store,
    url: str,
    *,
    batch_size: int = 50_000,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 120.0,
    on_graph: Callable[[str, bool], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Send every graph of ``store`` to a Graph Store Protocol endpoint.

    Each named graph (one per article, plus the registry) is sent with ``PUT
    URL?graph=IRI``, which replaces the remote graph: pushing twice leaves the remote
    unchanged. A graph larger than ``batch_size`` triples goes as one ``PUT`` of the
    first batch followed by ``POST`` requests (merge) of the rest. Requests failing
    with a 5xx status, 429 or a connection error are retried with exponential backoff
    (``backoff``, ``2 * backoff`` …); other errors are not. After a 401 or 403 the
    push stops: the remaining graphs are listed as skipped.

    Credentials come from ``$DIPLOGRAPH_PUSH_USER`` / ``$DIPLOGRAPH_PUSH_PASSWORD`` or
    ``~/.netrc`` and answer the server's Digest or Basic challenge; they never appear
    in reports or logs. TLS certificates are verified.

    Args:
        store: the store to send.
        url: the endpoint (Oxigraph ``http://host:7878/store``, Virtuoso
            ``http://host:8890/sparql-graph-crud-auth``), without credentials.
        batch_size: most triples per request.
        retries: retries per request after the first attempt.
        backoff: seconds before the first retry; doubled for each further one.
        timeout: seconds per request.
        on_graph: called with each graph IRI and whether it arrived whole.
        sleep: the pause function (tests pass a fast one).

    Returns:
        A :class:`PushReport`; ``report.ok`` is false when anything failed.

    Raises:
        EndpointError: the URL is not http(s) or embeds credentials.
    """
    check_url(url)
    if batch_size < 1:
        raise ValueError(f"batch_size {batch_size}: expected at least 1")
    report = PushReport(url=redact(url))
    sender = _Sender(url, retries=retries, backoff=backoff, timeout=timeout, sleep=sleep)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = list(store.graphs())
    if any(True for _ in store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        graphs.append(ox.DefaultGraph())
    try:
        for index, graph in enumerate(graphs):
            name = "default graph" if isinstance(graph, ox.DefaultGraph) else graph.value
            status = _push_graph(store, sender, graph, name, batch_size, report)
            if on_graph is not None:
                on_graph(name, not report.failures or report.failures[-1].graph != name)
            if status in _AUTH_STATUS:
                report.skipped = [
                    "default graph" if isinstance(g, ox.DefaultGraph) else g.value
                    for g in graphs[index + 1:]
                ]
                break
    finally:
        sender.close()
    report.requests = sender.requests
    return report


def _push_graph(
    store: Store,
    sender: _Sender,
    graph: ox.NamedNode | ox.DefaultGraph,
    name: str,
    batch_size: int,
    report: PushReport,
) -> int | None:
    """Send one graph; record it in ``report``; return the last HTTP status."""
    sent = 0
    status: int | None = None
    for number, body in enumerate(_chunks(store, graph, batch_size)):
        status, reason, attempts = sender.send("PUT" if number == 0 else "POST", graph, body)
        if status is None or status >= 400:
            part = "" if number == 0 else f" (after {sent} triples had arrived)"
            report.failures.append(PushFailure(name, status, reason + part, attempts))
            return status
        sent += body.count(b"\n")
    report.graphs += 1
    report.triples += sent
    return status
