"""Command line: a thin layer that turns library results and errors into output and exit codes.

The only code in kg_builder that parses arguments, prints, writes to stdout/stderr or chooses an
exit code (tests/test_layering.py checks it). One module per command, each with
``add_parser(subparsers)`` and ``run(args) -> int``; the library modules they call return
results or raise the typed errors of ``kg_builder.errors``, which ``main`` turns into one line
on stderr and an exit code.

Exit codes (pySHACL's scheme, extended):
    0  success (the graph conforms)
    1  the graph does not conform to the shapes
    2  input could not be used (a file skipped, a graph or query not loadable)
    3  an output could not be written, or a bad option

From errors: ``ConfigError`` and ``OutputError`` give 3, any other ``KgError`` 2. Commands
document their own outcomes (README's command table), e.g. ``push`` exits 3 when the server
refuses. Building the parser imports no heavy library (spaCy, rdflib, pyoxigraph, matplotlib):
each command imports what it needs inside ``run``, so ``kg-builder --help`` is fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from .. import __version__
from ..errors import ConfigError, KgError, OutputError

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3

# The commands, in the order --help lists them: kg_builder/cli/<name>.py
COMMANDS: tuple[str, ...] = ("build", "validate", "query", "remove", "evaluate", "viz", "serve", "push", "normalize",
                             "config")


def err(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"kg-builder: {message}", file=sys.stderr, flush=True)


def interactive() -> bool:
    """True on a terminal outside CI: progress bars are worth drawing."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def overrides(pairs: list[str] | None) -> dict[str, str]:
    """``--set SECTION.KEY=VALUE`` options as a dict for ``config.load``."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set expects SECTION.KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def parser() -> argparse.ArgumentParser:
    """The ``kg-builder`` parser with every command's subparser (each sets ``func`` to its ``run``)."""
    ap = argparse.ArgumentParser(prog="kg-builder", description="Persian news articles to a validated, queryable "
                                 "knowledge graph with exact provenance.")
    ap.add_argument("--version", action="version", version=f"kg-builder {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        import_module(f".{name}", __name__).add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (``kg-builder`` and ``python -m kg_builder`` exit with it)."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, OutputError) as e:
        err(str(e))
        return EXIT_OUTPUT
    except KgError as e:
        err(str(e))
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
