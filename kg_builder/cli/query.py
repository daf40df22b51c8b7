"""``kg-builder query KG QUERY.rq`` / ``-e 'SPARQL'``: a SELECT query, printed as a table or a results format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError, GraphLoadError
from . import EXIT_OK

FORMATS = ("table", "csv", "tsv", "json", "xml")


def add_parser(subparsers) -> None:
    """Register ``kg-builder query``."""
    q = subparsers.add_parser("query", help="run a SPARQL SELECT query on a graph")
    q.add_argument("graph", metavar="KG")
    q.add_argument("query", nargs="?", metavar="QUERY.rq")
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
