"""A read-only SPARQL 1.1 Protocol endpoint over a graph file or a store (``kg-builder serve``).

    kg-builder serve KG|STORE [--host 127.0.0.1] [--port 7878] [--timeout 10] [--max-rows 10000] [--workers 4]
                              [--memory-limit 1024] [--read-timeout 10] [--max-connections 64] [--cors ORIGIN ...]

``/sparql`` (also ``/query``) answers GET ``?query=``, POST ``application/x-www-form-urlencoded``
and POST ``application/sparql-query``. The default graph is what ``kg-builder query`` sees (the
shared entities and every article's graph, each article living in its own named graph; never the
quarantine); a query's ``FROM`` / ``FROM NAMED`` clauses choose its dataset instead, and the
protocol's ``default-graph-uri`` / ``named-graph-uri`` override both (the dataset is then exactly
the graphs they name). ``/`` is an HTML page with a query box and the contract queries.

Guarantees:

* Loopback by default: ``make_server`` binds 127.0.0.1 unless given another host.
* Read-only. SPARQL Update (``application/sparql-update``, an ``update=`` form field, or an update
  sent as ``query=``) is refused with 403; the store is opened read-only anyway.
* No other host: SERVICE (a federated query) is refused with 400 before anything runs, and on Linux
  each worker runs in a network namespace of its own, so no query can reach another host or a
  service of this one even past that check. There is no allow-list: the tool works offline.
* Time limit (``--timeout``, default 10 s). pyoxigraph cannot cancel a query, and a running query
  holds its thread (an aggregate over a cross join does not even return to Python), so every query
  runs in a worker *process* from a fixed pool (``--workers``, default 4, so that two slow queries
  leave room for the rest; each a ``python -c`` child talking over a socket pair). A query still
  running at the limit is stopped by killing its worker (CPU and memory are freed at once), the
  client gets 503, and a fresh worker takes the free place. Workers open the data read-only from
  disk: a store directory is opened as it is (do not build into it while it is served); a file is
  bulk-loaded once, at start, into a temporary store directory that is deleted on exit. When all
  workers are busy a request waits up to the time limit, then gets 503 with ``Retry-After``.
* Memory limit (``--memory-limit``, default 1024 MB of heap per worker, ``RLIMIT_DATA``; 0: none): a
  query that needs more (an ORDER BY over a cross product) is stopped with 503 saying so, and a fresh
  worker takes the place. Workers die with the server, even a SIGKILLed one (``PR_SET_PDEATHSIG`` on
  Linux, and a watchdog that notices the server gone).
* Slow, idle and malformed clients: a request (line, headers, body) must arrive whole within
  ``--read-timeout`` (default 10 s) of the server waiting for it, else 408 and the connection is
  closed (an idle kept-alive connection is just closed); at most ``--max-connections`` (default 64)
  are served at once, one more gets 503 with ``Retry-After`` at once. A POST needs a Content-Length
  of plain digits (else 400; missing or chunked: 411), over 1 MiB is refused (413), and a body that
  ends before its Content-Length is never run (400). Unknown methods get 405, HTTP/0.9 400, HTTP/2
  and later 505; every answer has a status line. Statuses of 500 and above are only 503 (busy, over
  a limit), 505, and 500 for a bug or a worker that died another way.
* Row limit (``--max-rows``, default 10000, counted as solutions for SELECT and triples for
  CONSTRUCT/DESCRIBE). A larger result is an error (422 with a message saying to add LIMIT or raise
  ``--max-rows``), never a silently truncated answer that a client would take for the whole.
* Escaping: every value the page shows (query text, terms, error messages) is HTML-escaped, and
  every value in an XML result is XML-escaped.
* No CORS unless asked: with ``--cors ORIGIN`` (repeatable, ``*`` for any) a request from an allowed
  origin gets ``Access-Control-Allow-Origin: <its origin>``, every reply ``Vary: Origin``, and a
  preflight (OPTIONS with Access-Control-Request-Method) 204 with the allowed methods (GET, POST,
  OPTIONS, HEAD), headers (Content-Type, Accept) and a Max-Age. Without it no CORS header is sent,
  so browser pages of other origins cannot read the answers.
* HEAD answers as GET without the body (same status and headers, Content-Length too); OPTIONS
  answers 204 with ``Allow``; PUT, DELETE and PATCH get 405.

Content negotiation by ``Accept`` (or ``format=json|csv|tsv|xml|turtle|nt|rdfxml``): SELECT/ASK give
``application/sparql-results+json`` (default), ``text/csv``, ``text/tab-separated-values``,
``application/sparql-results+xml``; CONSTRUCT/DESCRIBE give ``text/turtle`` (default),
``application/n-triples``, ``application/rdf+xml``. When the client accepts none of these: 406.
The query page at ``/`` runs its queries through the same workers and limits.

The modules:

    protocol   requests to replies: negotiation, read-only check, running one query, limits (in a worker)
    workers    the pool of worker processes, each answering jobs with ``protocol.answer``
    webpage    the HTML query page and the HTML rendering of results
    server     the data (``Source``), the ``Endpoint`` (data + pool + limits), the HTTP handler,
               ``make_server`` and ``url_of``

The library does not print: the access log goes to the ``log`` callback given to ``make_server``
(none: no log). Importing this package is cheap (the command line reads its defaults); pyoxigraph
and http.server are imported with the module that needs them.
"""

from __future__ import annotations

from importlib import import_module

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7878
DEFAULT_TIMEOUT, DEFAULT_MAX_ROWS = 10.0, 10000
# four workers: two slow queries (a client's mistake, or a probe) leave two for everyone else
DEFAULT_WORKERS = 4
# MB of heap a query worker may take: a query over a few thousand articles needs tens of MB; an ORDER BY
# over a cross product would take all the machine has
DEFAULT_MEMORY_LIMIT = 1024
# seconds a client has to send a whole request (line, headers, body) once the server waits for it;
# an idle kept-alive connection is closed after as long
DEFAULT_READ_TIMEOUT = 10.0
# connections served at once (each holds a thread); one more is answered 503 with Retry-After at once
DEFAULT_MAX_CONNECTIONS = 64
MAX_BODY = 1 << 20  # a query larger than 1 MiB is refused (413)
WORKER_START_LIMIT = 60.0  # seconds a new worker may take to open the store

_LAZY = {
    "make_server": "server", "url_of": "server", "Endpoint": "server", "Source": "server", "open_source": "server",
    "cors_origins": "server",
    "Reply": "protocol", "answer": "protocol", "negotiate": "protocol", "looks_like_update": "protocol",
    "RESULT_TYPES": "protocol", "GRAPH_TYPES": "protocol", "CONTENT_TYPES": "protocol",
    "WorkerPool": "workers",
    "page": "webpage", "example_queries": "webpage",
}
__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "DEFAULT_MAX_ROWS", "DEFAULT_WORKERS",
           "DEFAULT_MEMORY_LIMIT", "DEFAULT_READ_TIMEOUT", "DEFAULT_MAX_CONNECTIONS", "MAX_BODY", "WORKER_START_LIMIT",
           *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
