"""``kg-builder serve KG|STORE``: a read-only SPARQL endpoint and query page until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import argparse
import signal
import sys

from ..outputs.serve import (
    DEFAULT_HOST,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_PORT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
)
from . import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_OUTPUT,
    command,
    err,
    natural,
    port,
    positive_float,
    positive_int,
    quiet,
    working,
)

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_parser(subparsers) -> None:
    """Register ``kg-builder serve``."""
    s = command(subparsers, "serve", help="serve a graph or store as a read-only SPARQL endpoint with a query page",
                description="A SPARQL 1.1 Protocol endpoint at /sparql and a query page at /. Each query runs "
                "in a worker process that is killed at the time or memory limit, and dies with the server; a "
                "result over --max-rows is refused (422), not truncated; SPARQL Update is refused (403). Binds "
                "this machine only unless --host says otherwise.",
                examples=["kg-builder serve kg.trig", "kg-builder serve kg-store --port 8080 --timeout 30",
                          ("curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' "
                           "http://127.0.0.1:7878/sparql"),
                          "kg-builder serve kg.trig --cors http://localhost:3000"],
                exits={EXIT_OK: "stopped by Ctrl-C or SIGTERM", EXIT_INPUT: "the graph or store cannot be opened",
                       EXIT_OUTPUT: "cannot listen on the address (port taken, no permission)"})
    s.add_argument("graph", metavar="KG|STORE", help="an RDF file (.ttl, .trig, .nq, .nt ...) or an Oxigraph store "
                                                     "directory (opened read-only)")
    s.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s, this machine only)")
    s.add_argument("--port", type=port, default=DEFAULT_PORT, help="port (default: %(default)s; 0 picks a free one)")
    s.add_argument("--timeout", type=positive_float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit per query (default: %(default)g s)")
    s.add_argument("--max-rows", type=positive_int, default=DEFAULT_MAX_ROWS, metavar="N",
                   help="largest result served, rows or triples (default: %(default)s)")
    s.add_argument("--workers", type=positive_int, default=DEFAULT_WORKERS, metavar="N",
                   help="query worker processes, i.e. queries run at once (default: %(default)s)")
    s.add_argument("--memory-limit", type=natural, default=DEFAULT_MEMORY_LIMIT, metavar="MB",
                   help="heap each query worker may take; a query needing more is stopped with 503 and a fresh "
                        "worker takes its place (default: %(default)s MB; 0: no limit)")
    s.add_argument("--read-timeout", type=positive_float, default=DEFAULT_READ_TIMEOUT, metavar="SECONDS",
                   help="time a client has to send a whole request; an idle connection is closed after it "
                        "(default: %(default)g s)")
    s.add_argument("--max-connections", type=positive_int, default=DEFAULT_MAX_CONNECTIONS, metavar="N",
                   help="connections served at once; one more is answered 503 with Retry-After "
                        "(default: %(default)s)")
    s.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="let pages from ORIGIN (e.g. http://localhost:3000; * for any) query from a browser: "
                        "sends CORS headers and answers preflights; repeatable (default: no CORS headers)")
    s.set_defaults(func=run)


def _access_log(line: str) -> None:
    sys.stderr.write(line + "\n")


def run(args: argparse.Namespace) -> int:
    """Print the URL, serve until Ctrl-C or SIGTERM, then stop the workers and remove the temporary store."""
    from ..outputs.serve import make_server, url_of

    with working(f"opening {args.graph}"):
        server = make_server(args.graph, args.host, args.port, timeout=args.timeout, max_rows=args.max_rows,
                             workers=args.workers, memory_limit=args.memory_limit, read_timeout=args.read_timeout,
                             max_connections=args.max_connections, log=None if quiet() else _access_log,
                             cors=args.cors)
    url = url_of(server)
    print(f"serving {server.endpoint.source.path} ({server.endpoint.source.describe()}) at {url}  "
          f"(SPARQL endpoint {url}sparql; Ctrl-C stops)", flush=True)
    if args.host not in LOOPBACK:
        err(f"note: listening on {args.host}, reachable from other machines")

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop cleanly (also when started in the background, where SIGINT comes ignored)
    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        server.endpoint.close()
    if not quiet():
        print("stopped", file=sys.stderr, flush=True)
    return EXIT_OK
