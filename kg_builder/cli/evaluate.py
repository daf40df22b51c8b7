"""``kg-builder evaluate KG --gold DIR``: precision, recall and F1 per category against gold files."""

from __future__ import annotations

import argparse
import json

from . import EXIT_OK


def add_parser(subparsers) -> None:
    """Register ``kg-builder evaluate``."""
    e = subparsers.add_parser("evaluate", help="precision/recall/F1 per category against gold JSON files")
    e.add_argument("graph", metavar="KG")
    e.add_argument("--gold", required=True, metavar="DIR", help="directory of NAME.gold.json files")
    e.add_argument("--queries", metavar="DIR", help="contract queries (default: the shipped ones)")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the scores as a table or JSON."""
    from ..evaluate import evaluate, table
    from ..outputs.query import store_of

    result = evaluate(store_of(args.graph), args.gold, args.queries)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(table(result))
    return EXIT_OK
