"""The endpoint's HTTP side: the data it serves, the endpoint (data, worker pool, limits), the request
handler (the SPARQL 1.1 Protocol's GET and POST, the query page) and ``make_server``.

The access log goes to the ``log`` callback given to ``make_server`` (none: no log); nothing here
prints.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from ...errors import ConfigError, GraphLoadError, ListenError
from . import DEFAULT_HOST, DEFAULT_MAX_ROWS, DEFAULT_PORT, DEFAULT_TIMEOUT, DEFAULT_WORKERS, MAX_BODY
from .protocol import CONTENT_TYPES, READ_ONLY, Reply, error
from .webpage import page
from .workers import WorkerPool

# -- the data ------------------------------------------------------------------------------------

@dataclass
class Source:
    """The data served: where it came from, the store directory the workers open, and its size."""

    path: Path
    store_dir: str
    statements: int
    graphs: int  # named graphs
    temporary: str | None  # a temporary store directory to delete at the end

    def describe(self) -> str:
        """A short description for the page and the command line, e.g. ``1200 triples``."""
        if self.graphs:
            return f"{self.statements} quads in {self.graphs} named graphs and the default graph"
        return f"{self.statements} triples"

    def cleanup(self) -> None:
        if self.temporary:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def open_source(path: str | Path) -> Source:
    """A store directory as it is, or a graph file bulk-loaded into a temporary store directory
    (both opened by ``outputs.data``, as every command opens its data)."""
    from ..data import load_into, open_store

    p = Path(path)
    if p.is_dir():
        store = open_store(p)
        try:
            n, graphs = len(store), sum(1 for _ in store.named_graphs())
        except OSError as e:
            raise GraphLoadError(f"cannot open as an Oxigraph store: {e}", str(p)) from None
        del store
        return Source(p, str(p), n, graphs, None)
    tmp = tempfile.mkdtemp(prefix="kg-serve-")
    try:
        store = ox.Store(tmp)
        load_into(store, p)
        store.flush()
        n, graphs = len(store), sum(1 for _ in store.named_graphs())
        del store  # closed before the workers open it read-only
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Source(p, tmp, n, graphs, tmp)


# -- HTTP ----------------------------------------------------------------------------------------

METHODS = "GET, POST, OPTIONS, HEAD"
_ALLOW = {"/": "GET, HEAD, OPTIONS", "/index.html": "GET, HEAD, OPTIONS", "/sparql": METHODS, "/query": METHODS,
          "*": METHODS}  # what each path answers (OPTIONS's Allow); the rest is 404
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may keep a preflight's answer


def cors_origins(origins) -> tuple[str, ...]:
    """``--cors`` values checked and written as browsers send an Origin: ``*``, or scheme://host[:port]
    lower-cased, without a default port or a trailing slash. Raises ConfigError for anything else."""
    out = []
    for origin in origins or ():
        o = origin.strip()
        if o == "*":
            out.append(o)
            continue
        parts = urlsplit(o.rstrip("/"))
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or parts.path or parts.query \
                or parts.fragment or parts.username or parts.password:
            raise ConfigError(f"--cors {origin!r}: give an origin like http://localhost:3000 (scheme, host, "
                              "optional port, no path), or * for any")
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        default = {"http": 80, "https": 443}[parts.scheme]
        out.append(f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default) else ""))
    return tuple(dict.fromkeys(out))


class _Handler:
    """The request handler's own part; ``handler_class()`` mixes it with http.server's."""

    server_version = "kg-builder-sparql"
    protocol_version = "HTTP/1.1"

    # set on the server: endpoint (Endpoint), log (a callable taking one line, or None)
    def log_message(self, format: str, *args) -> None:
        """One access-log line, in http.server's format, to the server's ``log`` callback."""
        log = getattr(self.server, "log", None)
        if log is not None:
            log(f"{self.address_string()} - - [{self.log_date_time_string()}] {format % args}")

    def _cors(self) -> dict[str, str]:
        """The CORS headers for this request: none unless ``--cors`` was given; then ``Vary: Origin``
        on every reply (a cache must not give one origin's answer to another) and, for an allowed
        Origin, that origin in Access-Control-Allow-Origin."""
        allowed = getattr(self.server, "cors", ())
        if not allowed:
            return {}
        origin = self.headers.get("Origin")
        if origin and ("*" in allowed or origin in allowed):
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {"Vary": "Origin"}

    def _send(self, reply: Reply) -> None:
        """The reply; to HEAD the same status and headers (Content-Length too) without the body."""
        headers = dict(reply.headers)
        for k, v in self._cors().items():
            headers[k] = f"{headers[k]}, {v}" if k in headers else v  # Vary: Accept, Origin
        self.send_response(reply.status)
        if reply.status != 204:  # no content, and HTTP forbids a 204 a Content-Length
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        for k, v in headers.items():
            self.send_header(k, v)
        if reply.status >= 400:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _refuse(self, status: int, message: str, **headers: str) -> None:
        self.close_connection = True
        self._send(error(status, message, **headers))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        endpoint: Endpoint = self.server.endpoint
        if url.path in ("/", "/index.html"):
            fmt = (params.get("format") or ["html"])[0]
            if "query" in params and fmt != "html":
                return self._protocol(params)
            sparql = (params.get("query") or [""])[0]
            result = None
            if sparql.strip():
                result = self._check(params) or endpoint.run(sparql, html=True)
            return self._send(Reply(200, CONTENT_TYPES["html"],
                                    page(endpoint.source, endpoint.timeout, endpoint.max_rows, sparql, result)))
        if url.path in ("/sparql", "/query"):
            return self._protocol(params)
        if url.path == "/favicon.ico":
            return self._send(Reply(204, "image/x-icon", b""))
        self._send(error(404, f"no such page: {url.path} (the SPARQL endpoint is /sparql, the query page /)"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/update"):
            return self._refuse(404, f"no such endpoint: {url.path} (the SPARQL endpoint is /sparql)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._refuse(400, "bad Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._refuse(411, "send the query with a Content-Length (chunked bodies are not accepted)")
        if length > MAX_BODY:
            return self._refuse(413, f"the request body is larger than {MAX_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update" or url.path == "/update":
            return self._send(error(403, READ_ONLY))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._send(error(400, "the request body is not UTF-8"))
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return self._send(error(403, READ_ONLY))
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            return self._protocol(params)
        if ctype == "application/sparql-query":
            if "query" in params:
                return self._send(error(400, "give the query either in the body or as query=, not both"))
            params["query"] = [text]
            return self._protocol(params)
        self._send(error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded "
                               "(query=...)"))

    def do_HEAD(self) -> None:
        """As GET (the query runs: its status and length are the answer), without the body."""
        self.do_GET()

    def do_OPTIONS(self) -> None:
        """A CORS preflight from an allowed origin gets the methods and headers a query may use;
        any other OPTIONS what the path allows (a disallowed origin's preflight so fails in the browser)."""
        if self.headers.get("Content-Length", "0").strip() not in ("", "0"):
            self.close_connection = True  # a body we do not read must not be taken for the next request
        path = self.path if self.path == "*" else urlsplit(self.path).path
        if path not in _ALLOW:
            return self._send(error(404, f"no such page: {path} (the SPARQL endpoint is /sparql, the query page /)"))
        headers = {"Allow": _ALLOW[path]}
        if self.headers.get("Access-Control-Request-Method") and "Access-Control-Allow-Origin" in self._cors():
            headers.update({"Access-Control-Allow-Methods": METHODS, "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE})
        self._send(Reply(204, "", b"", headers))

    def _not_allowed(self) -> None:
        self._refuse(405, "this endpoint is read-only: only GET and POST of queries (and HEAD, OPTIONS)",
                     Allow=METHODS)

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _check(self, params: dict) -> Reply | None:
        if "update" in params:
            return error(403, READ_ONLY)
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            return error(400, "give exactly one query (query=...); the query page is at /")
        return None

    def _protocol(self, params: dict) -> None:
        problem = self._check(params)
        if problem:
            return self._send(problem)
        endpoint: Endpoint = self.server.endpoint
        reply = endpoint.run(params["query"][0], accept=self.headers.get("Accept"),
                             fmt=(params.get("format") or params.get("output") or [None])[0],
                             default_graphs=params.get("default-graph-uri"), named_graphs=params.get("named-graph-uri"))
        reply.headers.setdefault("Vary", "Accept")
        self._send(reply)


class Endpoint:
    """The data, its worker pool and the limits; ``run`` answers one query."""

    def __init__(self, source: Source, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                 workers: int = DEFAULT_WORKERS):
        self.source, self.timeout, self.max_rows = source, timeout, max_rows
        self.pool = WorkerPool(source.store_dir, workers)

    def run(self, sparql: str, *, accept: str | None = None, fmt: str | None = None, html: bool = False,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Reply:
        job = {"query": sparql, "accept": accept, "format": fmt, "html": html, "max_rows": self.max_rows,
               "default_graphs": default_graphs or [], "named_graphs": named_graphs or []}
        return self.pool.run(job, self.timeout)

    def close(self) -> None:
        self.pool.close()
        self.source.cleanup()


@cache
def handler_class():
    from http.server import BaseHTTPRequestHandler

    return type("Handler", (_Handler, BaseHTTPRequestHandler), {})


@cache
def server_class(ipv6: bool):
    import socket
    from http.server import ThreadingHTTPServer

    attrs = {"daemon_threads": True, "allow_reuse_address": True}
    if ipv6:
        attrs["address_family"] = socket.AF_INET6
    return type("Server", (ThreadingHTTPServer,), attrs)


def make_server(path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS,
                log: Callable[[str], None] | None = None, cors: Iterable[str] = ()):
    """Open the data, start the workers and bind; ``server.endpoint.close()`` after ``server_close()``.

    ``port=0`` picks a free port (``server.server_address[1]``). ``log`` gets one line per request
    (the access log); without it the server is silent. ``cors``: the origins whose browser pages may
    read the answers (``*`` for any; see :func:`cors_origins`); none by default, and then no CORS
    header is sent. Raises ConfigError (bad limit or origin), ListenError (cannot listen) or
    GraphLoadError (the data cannot be opened).
    """
    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise ConfigError("--timeout must be > 0, --max-rows and --workers >= 1")
    origins = cors_origins(cors)
    source = open_source(path)
    endpoint = None
    try:
        endpoint = Endpoint(source, timeout=timeout, max_rows=max_rows, workers=workers)
        problem = endpoint.pool.wait_ready()
        if problem:
            raise GraphLoadError(problem, str(path))
        try:
            server = server_class(":" in host)((host, port), handler_class())
        except OSError as e:
            raise ListenError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    except BaseException:
        if endpoint:
            endpoint.close()
        else:
            source.cleanup()
        raise
    server.endpoint = endpoint
    server.log = log
    server.cors = origins
    return server


def url_of(server) -> str:
    """The server's base URL, e.g. ``http://127.0.0.1:7878/``."""
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
