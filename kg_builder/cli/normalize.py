"""``kg-builder normalize [FILE...]``: the normalised text (stdin when no file), line for line."""

from __future__ import annotations

import argparse
import sys

from ..errors import GraphLoadError
from . import EXIT_OK, overrides


def add_parser(subparsers) -> None:
    """Register ``kg-builder normalize``."""
    n = subparsers.add_parser("normalize", help="print normalised text (stdin when no file), line for line")
    n.add_argument("files", nargs="*", metavar="FILE")
    n.add_argument("--zwnj-only", action="store_true", help="only restore half-spaces, leaving letters, digits "
                   "and marks as they are (what benchmarks/run_zwnj.sh measures)")
    n.add_argument("--config", metavar="FILE", help="options from a TOML file")
    n.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override one option (clean.zwnj)")
    n.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write each line normalised, keeping its line end."""
    from ..config import load as load_config
    from ..text.normalise import normalise_text
    from ..text.zwnj import repair

    zwnj = load_config(overrides(args.set), args.config).clean.zwnj
    sources = args.files or ["-"]
    for src in sources:
        try:
            stream = sys.stdin if src == "-" else open(src, encoding="utf-8", newline="")
        except OSError as e:
            raise GraphLoadError(f"cannot read: {e.strerror}", src) from None
        with stream:
            for line in stream:
                body = line.rstrip("\r\n")
                sys.stdout.write((repair(body) if args.zwnj_only else normalise_text(body, zwnj)) + line[len(body):])
    return EXIT_OK
