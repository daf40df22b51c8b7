"""``kg-builder query KG QUERY.rq`` / ``-e 'SPARQL'``: a SELECT query, printed as a table or a results format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError, GraphLoadError
from . import EXIT_INPUT, EXIT_OK, command

FORMATS = ("table", "csv", "tsv", "json", "xml")


def add_parser(subparsers) -> None:
    """Register ``kg-builder query``."""
    q = command(subparsers, "query", help="run a SPARQL query on a graph or store",
                description="Run a SPARQL SELECT query on the embedded Oxigraph engine, over the shared entities "
                "and every article's graph (not the quarantine), and print the answer.",
                examples=["kg-builder query kg.ttl examples/queries/officials.rq",
                          "kg-builder query kg-store -e 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' --format csv"],
                exits={EXIT_OK: "the answer was printed", EXIT_INPUT: "the graph, store or query cannot be read"})
    q.add_argument("graph", metavar="KG", help="graph or dataset file, or an Oxigraph store directory")
    q.add_argument("query", nargs="?", metavar="QUERY.rq", help="file holding the query")
    q.add_argument("-e", metavar="SPARQL", help="query text instead of a file")
    q.add_argument("--format", choices=FORMATS, default="table",
                   help="table (default); csv, tsv: plain values; json, xml: SPARQL 1.1 results (terms typed)")
    q.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the answer; a bad graph or query is a GraphLoadError (exit 2)."""
    from ..outputs.query import query

    if args.e:
        sparql = args.e
    elif args.query:
        try:
            sparql = Path(args.query).read_text(encoding="utf-8")
        except OSError as e:
            raise GraphLoadError(f"cannot read query: {e.strerror}", args.query) from None
    else:
        raise ConfigError("give a query file or -e 'SPARQL'")
    result = query(args.graph, sparql)
    out = {"table": result.table, "csv": result.csv, "tsv": lambda: result.csv("\t"), "json": result.json,
           "xml": result.xml}
    sys.stdout.write(out[args.format]() + ("\n" if args.format in ("table", "json", "xml") else ""))
    return EXIT_OK
