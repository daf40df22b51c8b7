"""``kg-builder config [--config FILE] [--set SECTION.KEY=VALUE]``: every option with its value and meaning."""

from __future__ import annotations

import argparse
import sys

from . import EXIT_OK, command, options


def add_parser(subparsers) -> None:
    """Register ``kg-builder config``."""
    command(subparsers, "config", help="print every option as a commented TOML file (a start for --config)",
            description="Print every option with its value (as --config and --set leave it), type and meaning, as "
            "a TOML file that --config reads back.",
            examples=["kg-builder config > kg.toml", "kg-builder build articles/ -o kg.ttl --config kg.toml",
                      "kg-builder config --set clean.zwnj=false"],
            exits={EXIT_OK: "the options were printed"}).set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the options; an unknown key or a bad value is an error (exit 3)."""
    from ..config import describe

    sys.stdout.write(describe(options(args)))
    return EXIT_OK
