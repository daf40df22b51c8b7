"""``kg-builder normalize [FILE...]``: the normalised text (stdin when no file), line for line."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ..errors import EmptyInputError, NotFoundError
from . import EXIT_INPUT, EXIT_OK, command, options


def add_parser(subparsers) -> None:
    """Register ``kg-builder normalize``."""
    n = command(subparsers, "normalize", help="print normalised text (stdin when no file), line for line",
                description="Normalise Persian text as the build does before extraction (Arabic letters and "
                "digits, diacritics, kashida, invisible marks, odd spaces, half-spaces) and print it line for line, "
                "each line keeping its line end.",
                examples=["kg-builder normalize article.txt", "echo 'می خواهند' | kg-builder normalize --zwnj-only"],
                exits={EXIT_OK: "the text was printed",
                       EXIT_INPUT: "a file cannot be read or is not text in any encoding read"})
    n.add_argument("files", nargs="*", metavar="FILE", help="text files (UTF-8, or an encoding build reads); - or none: stdin")
    n.add_argument("--zwnj-only", action="store_true", help="only restore half-spaces, leaving letters, digits "
                   "and marks as they are (what benchmarks/run_zwnj.sh measures)")
    n.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write each line normalised, keeping its line end; a file read as build reads it (UTF-8, a byte-order
    mark's encoding, a Persian code page; an HTML page's article text); one that is not text is an input
    error naming it (the files before it are printed)."""
    from ..stages.read import decode, decode_text
    from ..text.controls import neutralise
    from ..text.normalise import normalise_text
    from ..text.zwnj import repair

    config = options(args)
    zwnj = config.clean.zwnj
    for src in args.files or ["-"]:
        try:
            data = sys.stdin.buffer.read() if src == "-" else Path(src).read_bytes()
        except OSError as e:
            raise NotFoundError(f"cannot read: {e.strerror}", src) from None
        name = "stdin" if src == "-" else src
        try:  # what build reads: an HTML page's article text, control characters quoted as the clean stage does
            text = neutralise(decode(data, name, config).raw)
        except EmptyInputError:
            text = decode_text(data, name, config)[0]
        # lines as a file opened with newline="" gives them: \n, \r\n or \r ends a line, nothing else
        for line in io.StringIO(text, newline=""):
            body = line.rstrip("\r\n")
            sys.stdout.write((repair(body) if args.zwnj_only else normalise_text(body, zwnj)) + line[len(body):])
    return EXIT_OK
