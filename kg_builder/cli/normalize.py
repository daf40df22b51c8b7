"""``kg-builder normalize [FILE...]``: the normalised text (stdin when no file), line for line."""

from __future__ import annotations

import argparse
import sys

from ..errors import GraphLoadError
from . import EXIT_INPUT, EXIT_OK, command, options


def add_parser(subparsers) -> None:
    """Register ``kg-builder normalize``."""
    n = command(subparsers, "normalize", help="print normalised text (stdin when no file), line for line",
                description="Normalise Persian text as the build does before extraction (Arabic letters and "
                "digits, diacritics, kashida, invisible marks, odd spaces, half-spaces) and print it line for line, "
                "each line keeping its line end.",
                examples=["kg-builder normalize article.txt", "echo 'می خواهند' | kg-builder normalize --zwnj-only"],
                exits={EXIT_OK: "the text was printed", EXIT_INPUT: "a file cannot be read or is not UTF-8 text"})
    n.add_argument("files", nargs="*", metavar="FILE", help="UTF-8 text files; - or none: stdin")
    n.add_argument("--zwnj-only", action="store_true", help="only restore half-spaces, leaving letters, digits "
                   "and marks as they are (what benchmarks/run_zwnj.sh measures)")
    n.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write each line normalised, keeping its line end."""
    from ..text.normalise import normalise_text
    from ..text.zwnj import repair

    zwnj = options(args).clean.zwnj
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
