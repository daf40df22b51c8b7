"""``kg-builder validate KG``: the SHACL report a person can read, and the facts held in quarantine."""

from __future__ import annotations

import argparse

from . import EXIT_NONCONFORMING, EXIT_OK


def add_parser(subparsers) -> None:
    """Register ``kg-builder validate``."""
    v = subparsers.add_parser("validate", help="validate a graph against the shipped SHACL shapes")
    v.add_argument("graph", metavar="KG")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the report (and the quarantine beside the graph); 0 conforms, 1 violations."""
    from ..outputs.serialize import load, quarantine_path
    from ..stages.validate import quarantined
    from ..stages.validate import run as validate

    report = validate(load(args.graph))
    print(report.text())
    held = quarantine_path(args.graph)
    if held.exists() and not args.graph.endswith(held.name):
        records = quarantined(load(held))
        print(f"quarantined: {len(records)} facts held back in {held}")
        for fact, reasons, text in records:
            print(f"- <{fact}>\n    {'; '.join(reasons)}\n    text: {text}")
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING
