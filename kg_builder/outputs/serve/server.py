"""The endpoint's HTTP side: the data it serves, the endpoint (data, worker pool, limits), the request
handler (the SPARQL 1.1 Protocol's GET and POST, the query page) and ``make_server``.

The access log goes to the ``log`` callback given to ``make_server`` (none: no log); nothing here
prints.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from ...errors import ConfigError, GraphLoadError, ListenError
from ...text.controls import shown
from . import (
    DEFAULT_HOST,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_PORT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    MAX_BODY,
)
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
_HTTP_1 = re.compile(r"HTTP/0*1\.[0-9]+")
_DIGITS = re.compile(r"[0-9]{1,18}")  # a Content-Length: digits only (int() would take "+5", " 5", "5_0")


class _Deadline(io.RawIOBase):
    """A connection's reading side with one deadline for the whole request: a client that sends slowly
    (a byte every few seconds) is cut off as surely as one that sends nothing."""

    def __init__(self, sock: socket.socket):
        self.sock, self.deadline, self.received, self.timed_out = sock, 0.0, 0, False

    def start(self, seconds: float) -> None:
        """A new request: it must have arrived within ``seconds`` from now."""
        self.deadline, self.received, self.timed_out = time.monotonic() + seconds, 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client did not send its request in time")
            self.sock.settimeout(left)
            n = self.sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise
        self.received += n
        return n


def _raw_reply(status: str, reply: Reply, **headers: str) -> bytes:
    """A whole HTTP/1.1 reply that closes the connection, for when no request was read (or none whole)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Content-Type": reply.content_type,
                                                 "Content-Length": str(len(reply.body)), **headers,
                                                 "Connection": "close"}.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode("ascii") + reply.body


_TOO_SLOW = _raw_reply("408 Request Timeout", error(408, "the request did not arrive whole within the server's read "
                                                         "timeout (--read-timeout)"))


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
    # headers and body go out in two writes: with Nagle's algorithm the body waits for the client's delayed
    # ACK of the headers, 40 ms on every kept-alive request
    disable_nagle_algorithm = True
    default_request_version = "HTTP/1.0"  # an error found before the version is read still gets a status line

    def setup(self) -> None:
        super().setup()
        self.rfile = io.BufferedReader(_Deadline(self.connection))

    def handle_one_request(self) -> None:
        """One request, which must arrive whole within the read timeout (http.server closes the connection
        when it does not); a bug met answering it is a 500, never a silent close."""
        reading = self.rfile.raw
        reading.start(self.server.read_timeout)
        try:
            super().handle_one_request()
            if reading.timed_out and reading.received:  # cut off mid-request (an idle connection is just closed)
                self.connection.settimeout(1)
                self.connection.sendall(_TOO_SLOW)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as e:  # noqa: BLE001 - the client is owed an answer, the log the cause
            self.close_connection = True
            self.log_error("internal error answering %r: %s: %s", getattr(self, "requestline", ""), type(e).__name__,
                           e)
            with contextlib.suppress(OSError):
                self._send(error(500, "internal error in kg-builder serve (a bug; please report it)"))

    def send_response_only(self, code, message=None) -> None:
        """http.server's, but every answer has a status line and headers (an HTTP/0.9 answer has neither, and
        a client cannot tell it from a body)."""
        if self.request_version == "HTTP/0.9":
            self.request_version = self.default_request_version
        super().send_response_only(code, message)

    def parse_request(self) -> bool:
        """http.server's parsing (which answers HTTP/2 and later 505), then: HTTP/1.0 or 1.1 only (an HTTP/0.9
        answer has no status line), a method we do not know is 405, not 501; the framing of a body: a
        Content-Length that is not one plain number is refused (400), and a body the method does not take
        closes the connection after the answer (it would otherwise be read as the next request)."""
        if not super().parse_request():
            return False
        if len(self.requestline.split()) != 3 or not _HTTP_1.fullmatch(self.request_version):
            self.request_version = self.default_request_version
            self._refuse(400, f"bad request line {self.requestline!r}: give METHOD PATH HTTP/1.1 (or HTTP/1.0)")
            return False
        if not hasattr(self, f"do_{self.command}"):
            self._refuse(405, f"method {self.command} is not served here", Allow=METHODS)
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if any(not _DIGITS.fullmatch(v.strip()) for v in lengths) or len({v.strip() for v in lengths}) > 1:
            self._refuse(400, f"bad Content-Length: {', '.join(lengths)!r} (give the body's length in bytes, once)")
            return False
        if self.command != "POST" and (self.headers.get("Transfer-Encoding") or int((lengths or ["0"])[0])):
            self.close_connection = True
        return True

    # set on the server: endpoint (Endpoint), log (a callable taking one line, or None)
    def log_message(self, format: str, *args) -> None:
        """One access-log line, in http.server's format, to the server's ``log`` callback; control characters
        of the request (ESC sequences that would rewrite the terminal, line breaks that would forge log
        lines) are shown escaped, as http.server's own log does."""
        log = getattr(self.server, "log", None)
        if log is not None:
            log(f"{self.address_string()} - - [{self.log_date_time_string()}] {shown(format % args)}")

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
        self.connection.settimeout(self.server.read_timeout)  # a client that does not read is cut off too
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
        if self.headers.get("Transfer-Encoding"):
            return self._refuse(411, "send the query with a Content-Length (chunked bodies are not accepted)")
        if self.headers.get("Content-Length") is None:
            return self._refuse(411, "a POST needs a Content-Length (the body's length in bytes)")
        length = int(self.headers["Content-Length"])  # digits only: checked by parse_request
        if length > MAX_BODY:
            return self._refuse(413, f"the request body is larger than {MAX_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-body: what came is not the query it meant
            return self._refuse(400, f"the request body ended after {len(body)} of its {length} bytes "
                                     "(Content-Length); nothing was run")
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
                 workers: int = DEFAULT_WORKERS, memory_limit: int = DEFAULT_MEMORY_LIMIT):
        self.source, self.timeout, self.max_rows = source, timeout, max_rows
        self.pool = WorkerPool(source.store_dir, workers, memory_limit)

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


_BUSY = _raw_reply("503 Service Unavailable", error(503, "the server is serving as many connections as it may "
                                                           "(--max-connections); try again"), **{"Retry-After": "1"})


class _Bounded:
    """A threading HTTP server with at most ``max_connections`` connections served at once: one more is
    answered 503 with Retry-After at once, from the accepting thread, and closed. Errors on a
    connection (a client gone) go to the log callback, never to stderr."""

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            return self._busy(request)
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: the slot is free again
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _busy(self, request: socket.socket) -> None:
        with contextlib.suppress(OSError):
            request.settimeout(0.5)
            request.sendall(_BUSY)
            request.setblocking(False)
            while request.recv(65536):  # what the client sent, read so that closing does not reset the answer
                pass
        self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        if self.log is not None:
            self.log(f"{client_address[0]}: error on the connection: {sys.exc_info()[1]!r}")


@cache
def server_class(ipv6: bool):
    from http.server import ThreadingHTTPServer

    attrs = {"daemon_threads": True, "allow_reuse_address": True}
    if ipv6:
        attrs["address_family"] = socket.AF_INET6
    return type("Server", (_Bounded, ThreadingHTTPServer), attrs)


def make_server(path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS,
                memory_limit: int = DEFAULT_MEMORY_LIMIT, read_timeout: float = DEFAULT_READ_TIMEOUT,
                max_connections: int = DEFAULT_MAX_CONNECTIONS, log: Callable[[str], None] | None = None,
                cors: Iterable[str] = ()):
    """Open the data, start the workers and bind; ``server.endpoint.close()`` after ``server_close()``.

    ``port=0`` picks a free port (``server.server_address[1]``). ``log`` gets one line per request
    (the access log); without it the server is silent. ``cors``: the origins whose browser pages may
    read the answers (``*`` for any; see :func:`cors_origins`); none by default, and then no CORS
    header is sent. ``memory_limit``: MB of heap each query worker may take (0: no limit);
    ``read_timeout``: seconds a client has to send a whole request; ``max_connections``: connections
    served at once (one more gets 503). Raises ConfigError (bad limit or origin), ListenError (cannot
    listen) or GraphLoadError (the data cannot be opened).
    """
    if timeout <= 0 or read_timeout <= 0 or max_rows < 1 or workers < 1 or max_connections < 1 or memory_limit < 0:
        raise ConfigError("--timeout and --read-timeout must be > 0, --max-rows, --workers and --max-connections "
                          ">= 1, --memory-limit >= 0")
    origins = cors_origins(cors)
    source = open_source(path)
    endpoint = None
    try:
        endpoint = Endpoint(source, timeout=timeout, max_rows=max_rows, workers=workers, memory_limit=memory_limit)
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
    server.read_timeout = read_timeout
    server.slots = threading.BoundedSemaphore(max_connections)
    return server


def url_of(server) -> str:
    """The server's base URL, e.g. ``http://127.0.0.1:7878/``."""
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
