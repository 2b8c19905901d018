"""Push and endpoint credentials never show up in output, errors, reports or logs."""

from __future__ import annotations

import base64
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import Store
from diplograph.graph.endpoint import PASSWORD_ENV, USER_ENV, Endpoint, EndpointError
from diplograph.graph.push import push

PASSWORD = "Pa55-w0rd-LEAK-7f3c9"
USER = "analyst"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Hostile(BaseHTTPRequestHandler):
    """A real server that refuses everything: a 401 challenge, or a 500 whose body
    echoes the request headers and whatever password it was sent (some do)."""

    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _handle(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.auth_headers.append(self.headers.get("Authorization", ""))
        if self.server.mode == "401":
            self.send_response(401)
            self.send_header("WWW-Authenticate", self.server.challenge)
            body = b"authentication required\n"
        else:
            self.send_response(500)
            body = (f"boom for {self.headers.get('Authorization', '')} "
                    f"password={PASSWORD}\n").encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _handle  # noqa: N815


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str, challenge: str) -> None:
        super().__init__(("127.0.0.1", 0), _Hostile)
        self.mode, self.challenge = mode, challenge
        self.auth_headers: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(params=[
    pytest.param(("401", 'Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"'),
                 id="401-digest"),
    pytest.param(("401", 'Basic realm="store"'), id="401-basic"),
    pytest.param(("500", ""), id="500-echo"),
])
def hostile(request: pytest.FixtureRequest) -> Iterator[_Server]:
    server = _Server(*request.param)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def _forms() -> list[str]:
    """The password as text and as it would travel in a Basic header."""
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    return [PASSWORD, basic]


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for form in _forms():
            assert form not in text


def test_push_report_and_logs_hold_no_password(
    hostile: _Server, secret_env: None, seed_store: Path, caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # urllib3 and requests included
    with Store(seed_store, read_only=True) as st:
        report = push(st, hostile.url("/store"), retries=1, backoff=0, sleep=lambda s: None)
    assert not report.ok
    assert hostile.auth_headers  # the server was really asked
    out = capsys.readouterr()
    _assert_clean(repr(report), str(report.failures), caplog.text, out.out, out.err)


def test_cli_push_verbose_output_holds_no_password(hostile: _Server, seed_store: Path) -> None:
    env = {**os.environ, USER_ENV: USER, PASSWORD_ENV: PASSWORD}
    binary = str(Path(sys.executable).with_name("diplograph"))
    done = subprocess.run(
        [binary, "push", hostile.url("/store"), "--store", str(seed_store), "--verbose",
         "--retries", "1", "--backoff", "0"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 1
    assert "failed" in done.stderr
    _assert_clean(done.stdout, done.stderr)


def test_push_to_a_closed_port_holds_no_password(
    secret_env: None, seed_store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(app, [
        "push", f"http://127.0.0.1:{_free_port()}/store", "--store", str(seed_store),
        "--verbose", "--retries", "0",
    ])
    assert result.exit_code == 1
    assert "connection failed" in result.output
    _assert_clean(result.output, caplog.text)


def test_credentials_in_the_url_are_refused_and_not_echoed(seed_store: Path) -> None:
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:{_free_port()}/store"
    result = CliRunner().invoke(app, ["push", url, "--store", str(seed_store)])
    assert result.exit_code == 1
    assert "embeds credentials" in result.output
    _assert_clean(result.output)
    with pytest.raises(EndpointError) as info:
        Endpoint(url.replace("/store", "/query"))
    _assert_clean(str(info.value))


def test_endpoint_errors_hold_no_password(
    hostile: _Server, secret_env: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    endpoint = Endpoint(hostile.url("/query"))
    with pytest.raises(EndpointError) as info:
        endpoint.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    _assert_clean(str(info.value), repr(endpoint), repr(endpoint._session.auth), caplog.text)
    result = CliRunner().invoke(app, ["stances", "--endpoint", hostile.url("/query")])
    assert result.exit_code == 1
    _assert_clean(result.output)
