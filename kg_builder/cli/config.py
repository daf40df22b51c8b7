"""``kg-builder config [--config FILE] [--set SECTION.KEY=VALUE]``: every option with its value and meaning."""

from __future__ import annotations

import argparse
import sys

from . import EXIT_OK, overrides


def add_parser(subparsers) -> None:
    """Register ``kg-builder config``."""
    c = subparsers.add_parser("config", help="print every option as a commented TOML file (a start for --config)")
    c.add_argument("--config", metavar="FILE", help="show the options as this TOML file sets them")
    c.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override one option")
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the options; an unknown key or a bad value is an error (exit 3)."""
    from ..config import describe, load

    sys.stdout.write(describe(load(overrides(args.set), args.config)))
    return EXIT_OK
