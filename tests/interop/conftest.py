"""Real triplestores for the interoperability tests: an Oxigraph server and Virtuoso.

Both are started on free loopback ports in temporary directories and stopped at the
end of the session. Virtuoso is optional: without ``virtuoso-t`` its tests skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from diplograph.graph import Store

VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen:
    """Start a server, its output going to ``log`` (a pipe nobody reads could fill up)."""
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen, log: Path, timeout: float, what: str
) -> None:
    """Poll ``ready`` until it holds; fail with the server's output if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"{what} exited with {proc.returncode}: {out}")
        try:
            if ready():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(proc)
    out = log.read_text(errors="replace")[-2000:]
    pytest.fail(f"{what} did not answer within {timeout:.0f}s: {out}")


def stop(proc: subprocess.Popen, grace: float = 30.0) -> None:
    """Terminate a server we started (SIGTERM, then SIGKILL after ``grace`` seconds)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server CLI of this virtualenv (the ``oxigraph`` dependency)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server CLI is not installed (pip install oxigraph)")
    return found


@dataclass(frozen=True)
class Server:
    """A running triplestore: where to push (GSP) and where to query."""

    base: str
    gsp: str
    query: str
    update: str | None = None
    user: str | None = None
    password: str | None = None

    def auth(self) -> requests.auth.AuthBase | None:
        if self.user is None:
            return None
        return requests.auth.HTTPDigestAuth(self.user, self.password or "")

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT directly (plain requests), values as strings."""
        resp = requests.post(
            self.query, data={"query": query},
            headers={"Accept": "application/sparql-results+json"}, timeout=60,
        )
        resp.raise_for_status()
        return [
            {k: v["value"] for k, v in b.items()} for b in resp.json()["results"]["bindings"]
        ]

    def graph_sizes(self, prefix: str = "https://w3id.org/diplograph/graph/") -> dict[str, int]:
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g'
        )
        return {r["g"]: int(r["n"]) for r in rows}


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real ``oxigraph serve`` on a free loopback port, for the whole session."""
    root = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = root / "server.log"
    proc = start(
        [oxigraph_binary(), "serve", "--location", str(root / "data"),
         "--bind", f"127.0.0.1:{port}"],
        log,
    )
    base = f"http://127.0.0.1:{port}"
    server = Server(base=base, gsp=f"{base}/store", query=f"{base}/query", update=f"{base}/update")
    wait_until(
        lambda: requests.get(server.query, params={"query": "ASK {}"}, timeout=2).ok,
        proc, log, 60, "oxigraph serve",
    )
    try:
        yield server
    finally:
        stop(proc)


@pytest.fixture
def oxigraph(oxigraph_server: Server) -> Server:
    """The session's Oxigraph server, emptied before the test."""
    resp = requests.post(
        oxigraph_server.update, data={"update": "DROP SILENT ALL"}, timeout=60
    )
    resp.raise_for_status()
    return oxigraph_server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 5
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}
ThreadsPerQuery      = 1
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 200M

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {vsp}
MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Debian's Virtuoso 7 (``virtuoso-t``) with its own ini, bound to 127.0.0.1.

    Pushes go to ``/sparql-graph-crud-auth`` with Digest authentication as ``dba``
    (password ``dba`` unless ``VIRTUOSO_DBA_PASSWORD`` says otherwise).
    """
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("virtuoso-t not installed (apt-get install virtuoso-opensource)")
    directory = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    vsp = VIRTUOSO_VSP if VIRTUOSO_VSP.is_dir() else directory
    ini = directory / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port, vsp=vsp)
    )
    log = directory / "server.log"
    proc = start([binary, "+foreground", "+configfile", str(ini)], log, cwd=directory)
    base = f"http://127.0.0.1:{http_port}"
    server = Server(
        base=base, gsp=f"{base}/sparql-graph-crud-auth", query=f"{base}/sparql",
        user="dba", password=os.environ.get("VIRTUOSO_DBA_PASSWORD", "dba"),
    )
    wait_until(
        lambda: requests.get(
            server.query, params={"query": "ASK {}"},
            headers={"Accept": "application/sparql-results+json"}, timeout=2,
        ).ok,
        proc, log, 120, "virtuoso-t",
    )
    try:
        yield server
    finally:
        stop(proc, grace=60)


@pytest.fixture
def seed(seed_store: Path) -> Iterator[Store]:
    """The seed store opened read-only."""
    with Store(seed_store, read_only=True) as st:
        yield st


class _Front(ThreadingHTTPServer):
    """A real HTTP server in front of a store: answers ``status`` to the first ``fail``
    requests (all of them when ``fail`` is ``None``), then forwards to ``upstream``."""

    daemon_threads = True

    def __init__(self, upstream: str | None, status: int, fail: int | None,
                 headers: dict[str, str]) -> None:
        super().__init__(("127.0.0.1", 0), _FrontHandler)
        self.upstream, self.status, self.fail, self.headers = upstream, status, fail, headers
        self.seen: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"


class _FrontHandler(BaseHTTPRequestHandler):
    server: _Front

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.seen.append((self.command, self.headers.get("Authorization", "")))
            count = len(self.server.seen)
        front = self.server
        if front.upstream is None or front.fail is None or count <= front.fail:
            data = b"temporarily failing\n"
            self.send_response(front.status)
            for key, value in front.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        resp = requests.request(
            self.command, front.upstream + ("?" + query if query else ""), data=body,
            headers={"Content-Type": self.headers.get("Content-Type", "text/turtle")},
            timeout=60,
        )
        self.send_response(resp.status_code)
        self.send_header("Content-Length", str(len(resp.content)))
        self.end_headers()
        self.wfile.write(resp.content)

    do_PUT = do_POST = do_GET = _handle  # noqa: N815


@pytest.fixture
def front() -> Iterator[Callable[..., _Front]]:
    """Start fronting HTTP servers: ``front(upstream, status=503, fail=2, headers={})``."""
    servers: list[_Front] = []

    def make(upstream: str | None = None, *, status: int = 503, fail: int | None = None,
             headers: dict[str, str] | None = None) -> _Front:
        server = _Front(upstream, status, fail, headers or {})
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()
