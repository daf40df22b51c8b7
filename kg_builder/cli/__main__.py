"""``python -m kg_builder.cli`` (and ``python -m kg_builder``): the command line, exiting with its code."""

from . import run

raise SystemExit(run())
