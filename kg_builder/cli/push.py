"""``kg-builder push KG --endpoint URL``: send a graph or dataset to a Graph Store Protocol server."""

from __future__ import annotations

import argparse

from ..outputs.push import DEFAULT_RETRIES, DEFAULT_TIMEOUT, LAYOUTS
from . import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, command, err, natural, positive_float, quiet, working


def add_parser(subparsers) -> None:
    """Register ``kg-builder push``."""
    p = command(subparsers, "push", help="send a graph to a store over the SPARQL 1.1 Graph Store HTTP Protocol",
                description="PUT (replace) or POST (merge) the graph in one request, with retries on connection "
                "errors and 5xx; a refusal (4xx) prints the server's answer. By default (--layout both) the "
                "statements go into the default graph and into named graphs, so that the contract queries answer "
                "whether the store queries its default graph (Oxigraph, Jena TDB2) or the union of its named "
                "graphs (TDB2 with unionDefaultGraph); quarantined facts are not sent.",
                examples=["kg-builder push kg.trig --endpoint http://localhost:7878/store",
                          "kg-builder push kg.ttl --endpoint http://localhost:3030/kg/data --merge",
                          "kg-builder push kg.ttl --endpoint http://localhost:3030/kg/data --layout named"],
                exits={EXIT_OK: "the server accepted the graph", EXIT_INPUT: "the graph cannot be read (nothing sent)",
                       EXIT_OUTPUT: "the server refused it, or could not be reached after the retries"})
    p.add_argument("graph", metavar="KG", help="graph or dataset file (.ttl, .nt, .trig, .nq, .jsonld, .rdf) or "
                                               "an Oxigraph store directory")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="Graph Store Protocol URL, e.g. http://localhost:7878/store (Oxigraph)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--layout", choices=LAYOUTS, metavar="|".join(LAYOUTS),
                       help="both (default): each statement in the default graph and in a named graph, for any "
                            "store; named: in named graphs only, for stores that query their union (Jena TDB2 "
                            "with unionDefaultGraph, Oxigraph --union-default-graph, GraphDB); default: in the "
                            "default graph only (Oxigraph and Jena as they come, GraphDB); dataset: the input's "
                            "graphs as they are, quarantine included. both, named and dataset replace the "
                            "server's whole dataset (PUT) or add to it (--merge)")
    where.add_argument("--graph", dest="target_graph", metavar="IRI", help="into this one named graph, merged")
    where.add_argument("--default", action="store_true", help="into the default graph only (= --layout default)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", default=True,
                     help="replace the target's content (PUT; default)")
    how.add_argument("--merge", action="store_true", help="add to the target's content (POST)")
    p.add_argument("--retries", type=natural, default=DEFAULT_RETRIES, metavar="N",
                   help="retries on connection errors and 5xx, with backoff (default: %(default)s)")
    p.add_argument("--timeout", type=positive_float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit of one HTTP attempt (default: %(default)g s)")
    p.set_defaults(func=run)


def _retrying(message: str) -> None:
    if not quiet():
        err(f"note: {message}")


def run(args: argparse.Namespace) -> int:
    """Push, reporting each retry on stderr and the outcome on stdout (neither under -q); errors give 2
    (input), 3 (usage) or 4 (refused, unreachable)."""
    from ..outputs.push import push

    with working(f"sending {args.graph} to {args.endpoint}"):
        result = push(args.graph, args.endpoint, graph=args.target_graph, default=args.default, layout=args.layout,
                      replace=not args.merge, retries=args.retries, timeout=args.timeout, log=_retrying)
    mode = "replaced" if result.method == "PUT" else "merged into"
    what = {"both": f"quads, layout both: {result.triples} statements each in the default graph and in one of "
                        f"{result.graphs} named graphs",
            "named": f"quads, layout named: in {result.graphs} named graphs",
            "dataset": f"quads, layout dataset: the input's graphs as they are ({result.graphs} named)"}
    if not quiet():
        print(f"pushed {result.statements} {what.get(result.layout, 'triples')}; {mode} the {result.target} at "
              f"{result.url} (HTTP {result.status}, {result.attempts} attempt{'s' if result.attempts > 1 else ''})")
    return EXIT_OK
