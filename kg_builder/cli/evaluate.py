"""``kg-builder evaluate KG --gold DIR``: precision, recall and F1 per category against gold files."""

from __future__ import annotations

import argparse
import json

from . import EXIT_INPUT, EXIT_OK, command, err, working


def add_parser(subparsers) -> None:
    """Register ``kg-builder evaluate``."""
    e = command(subparsers, "evaluate", help="precision/recall/F1 per category against gold JSON files",
                description="Score a graph through the contract queries against gold files (NAME.gold.json for "
                "the article NAME.txt): precision, recall and F1 per category, the macro-F1, and the misses.",
                examples=["kg-builder evaluate kg.ttl --gold ../shared/real-dev",
                          "kg-builder evaluate kg-store --gold gold/ --json > scores.json"],
                exits={EXIT_OK: "the scores were printed",
                       EXIT_INPUT: "the graph or a gold file cannot be read, or no gold file matches an article"})
    e.add_argument("graph", metavar="KG", help="graph or dataset file, or an Oxigraph store directory")
    e.add_argument("--gold", required=True, metavar="DIR", help="directory of NAME.gold.json files")
    e.add_argument("--queries", metavar="DIR", help="contract queries (default: the shipped ones)")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the scores as a table or JSON."""
    from ..evaluate import evaluate, table
    from ..outputs.query import store_of

    with working(f"reading {args.graph} and scoring"):
        result = evaluate(store_of(args.graph), args.gold, args.queries)
    unmatched = result["gold_without_article"]
    if unmatched:
        err(f"note: {len(unmatched)} gold file(s) name no article of the graph and "
            f"count as wholly missed: {', '.join(unmatched[:3])}{' ...' if len(unmatched) > 3 else ''}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(table(result))
    return EXIT_OK
