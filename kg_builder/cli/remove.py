"""``kg-builder remove FILE... --store DIR``: drop articles' graphs from a store."""

from __future__ import annotations

import argparse

from . import EXIT_INPUT, EXIT_OK


def add_parser(subparsers) -> None:
    """Register ``kg-builder remove``."""
    r = subparsers.add_parser("remove", help="remove articles' graphs from a store (by their file names)")
    r.add_argument("sources", nargs="+", metavar="FILE", help="article file names as built (e.g. 001_x.txt)")
    r.add_argument("--store", required=True, metavar="DIR")
    r.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """One line per file; 0 when all were in the store, else 2."""
    from ..outputs.store import remove

    removed = remove(args.store, args.sources)
    for source in args.sources:
        print(f"{'removed' if source in removed else 'not in store'}: {source}")
    return EXIT_OK if len(removed) == len(args.sources) else EXIT_INPUT
