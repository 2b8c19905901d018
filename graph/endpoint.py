"""A remote SPARQL 1.1 endpoint spoken to over HTTP, with credentials kept out of sight."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from diplograph.errors import DiplographError

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "Endpoint",
    "EndpointError",
    "Scrubber",
    "credentials",
    "redact",
]

USER_ENV = "DIPLOGRAPH_PUSH_USER"
PASSWORD_ENV = "DIPLOGRAPH_PUSH_PASSWORD"
_JSON = "application/sparql-results+json"
_TIMEOUT = 60.0


class EndpointError(DiplographError):
    """A remote store refused or failed a request (the message never holds credentials)."""


def redact(url: str) -> str:
    """``url`` without any ``user:password@`` part, safe to print.

    >>> redact("https://bob:secret@example.org/sparql?x=1")
    'https://example.org/sparql?x=1'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def check_url(url: str) -> str:
    """Return ``url`` if it is an http(s) URL without embedded credentials.

    Raises:
        EndpointError: other schemes, no host, or ``user:password@`` in the URL
            (credentials belong in the environment or ``.netrc``).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"URL {redact(url)!r}: expected an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            f"URL {redact(url)!r} embeds credentials: put them in ${USER_ENV} / "
            f"${PASSWORD_ENV} or ~/.netrc instead"
        )
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """``(user, password)`` from the environment, else from ``.netrc`` for the URL's host."""
    user = os.environ.get(USER_ENV)
    if user:
        return user, os.environ.get(PASSWORD_ENV, "")
    return requests.utils.get_netrc_auth(url)


class Scrubber:
    """Replaces the configured credential values with ``***`` in text about to be shown.

    Servers may echo a request in an error body; nothing they send back is reported
    before passing through this.
    """

    def __init__(self, url: str) -> None:
        creds = credentials(url)
        self._values = sorted((v for v in (creds or ()) if v and len(v) >= 3), key=len)[::-1]

    def __repr__(self) -> str:
        return "<Scrubber>"

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, "***")
        return text


class ChallengeAuth(AuthBase):
    """Answer the server's ``WWW-Authenticate`` challenge with Digest or Basic.

    Nothing is sent before the server asks; the scheme it names is then kept for the
    session. The credentials live only in this object (its ``repr`` hides them).
    """

    def __init__(self, user: str, password: str) -> None:
        self._user, self._password = user, password
        self._chosen: AuthBase | None = None

    def __repr__(self) -> str:
        return "<ChallengeAuth>"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._chosen is not None:
            return self._chosen(r)
        r.register_hook("response", self._on_response)
        return r

    def _on_response(self, resp: requests.Response, **kwargs: Any) -> requests.Response:
        if resp.status_code != 401 or self._chosen is not None:
            return resp
        challenge = resp.headers.get("www-authenticate", "").lower()
        if "digest" in challenge:
            digest = HTTPDigestAuth(self._user, self._password)
            digest.init_per_thread_state()
            state = digest._thread_local  # noqa: SLF001 - what HTTPDigestAuth.__call__ sets
            state.pos, state.num_401_calls = None, 1  # bodies are bytes; first challenge
            self._chosen = digest
            return digest.handle_401(resp, **kwargs)
        if "basic" not in challenge:
            return resp
        self._chosen = HTTPBasicAuth(self._user, self._password)
        resp.content  # noqa: B018 - drain the body to reuse the connection
        resp.close()
        retry = resp.request.copy()
        self._chosen(retry)
        again = resp.connection.send(retry, **kwargs)
        again.history.append(resp)
        again.request = retry
        return again


def session(url: str) -> requests.Session:
    """A session for ``url``: TLS verified, credentials (if any) answering challenges."""
    sess = requests.Session()
    sess.verify = True
    sess.trust_env = True
    creds = credentials(url)
    if creds is not None:
        sess.auth = ChallengeAuth(*creds)
    return sess


class Endpoint:
    """A SPARQL 1.1 query endpoint (``http://host:7878/query``, Virtuoso ``/sparql`` …).

    Queries are POSTed as ``application/x-www-form-urlencoded`` and JSON results are
    asked for explicitly (Virtuoso answers HTML otherwise). Solutions come back as
    :class:`pyoxigraph.QuerySolution` objects, exactly like the embedded store's.

    Args:
        url: the query endpoint URL, without credentials.
        timeout: seconds per request.

    Raises:
        EndpointError: the URL is not http(s) or embeds credentials.
    """

    def __init__(self, url: str, *, timeout: float = _TIMEOUT) -> None:
        self.url = check_url(url)
        self.timeout = timeout
        self._session = session(url)
        self._scrub = Scrubber(url)

    def __repr__(self) -> str:
        return f"<diplograph Endpoint {redact(self.url)}>"

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def query(self, query: str) -> list[ox.QuerySolution] | bool:
        """Run a SELECT (a list of solutions) or ASK (a bool) query; JSON results parsed.

        Raises:
            EndpointError: connection failure, an HTTP error status, or a body that is
                not SPARQL JSON results.
        """
        try:
            resp = self._session.post(
                self.url,
                data={"query": query},
                headers={"Accept": _JSON},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise EndpointError(
                f"SPARQL endpoint {redact(self.url)}: {type(exc).__name__}"
            ) from None
        if resp.status_code >= 400:
            text = self._scrub(resp.text.strip())
            detail = text.splitlines()[0][:300] if text else ""
            raise EndpointError(
                f"SPARQL endpoint {redact(self.url)} answered {resp.status_code} "
                f"{resp.reason}: {detail}".rstrip(": ")
            )
        try:
            result = ox.parse_query_results(resp.content, ox.QueryResultsFormat.JSON)
            return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)
        except (SyntaxError, ValueError) as exc:
            kind = resp.headers.get("content-type", "?")
            raise EndpointError(
                f"SPARQL endpoint {redact(self.url)} did not answer SPARQL JSON results "
                f"(content type {kind}): {exc}"
            ) from None
