"""``kg-builder remove FILE... --store DIR``: drop articles' graphs from a store."""

from __future__ import annotations

import argparse

from . import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, command, err, quiet


def add_parser(subparsers) -> None:
    """Register ``kg-builder remove``."""
    r = command(subparsers, "remove", help="remove articles' graphs from a store (by their file names)",
                description="Drop articles (their graphs, evidence and entity versions) from a store built by "
                "kg-builder build --store; one line per file says whether it was there.",
                examples=["kg-builder remove 001_x.txt --store kg-store"],
                exits={EXIT_OK: "every file named was in the store and is removed",
                       EXIT_INPUT: "some file named was not in the store, or the store cannot be opened",
                       EXIT_OUTPUT: "the store cannot be written"})
    r.add_argument("sources", nargs="+", metavar="FILE", help="article file names as built (e.g. 001_x.txt)")
    r.add_argument("--store", required=True, metavar="DIR", help="the store directory")
    r.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """One line per file; 0 when all were in the store, else 2."""
    from ..outputs.store import remove

    removed = remove(args.store, args.sources)
    for source in args.sources:
        if source in removed:
            if not quiet():
                print(f"removed: {source}")
        else:
            err(f"{source}: not in the store {args.store} [E101]")
    return EXIT_OK if len(removed) == len(args.sources) else EXIT_INPUT
