"""``kg-builder validate KG``: the SHACL report a person can read, and the facts held in quarantine."""

from __future__ import annotations

import argparse

from . import EXIT_INPUT, EXIT_NO, EXIT_OK, command


def add_parser(subparsers) -> None:
    """Register ``kg-builder validate``."""
    v = command(subparsers, "validate", help="validate a graph against the shipped SHACL shapes",
                description="Check a graph (a file in any RDF format) against shapes/kg.shacl.ttl and print a "
                "report a person can read: each violation's focus node with its label, the path and the message; "
                "then the facts held in quarantine beside it (kg.quarantine.ttl), with their sentence.",
                examples=["kg-builder validate kg.ttl", "kg-builder validate kg.trig -q && echo conforms"],
                exits={EXIT_OK: "the graph conforms", EXIT_NO: "the graph does not conform (violations printed)",
                       EXIT_INPUT: "the graph cannot be read or parsed"})
    v.add_argument("graph", metavar="KG", help="graph or dataset file (.ttl, .nt, .trig, .nq, .jsonld, .rdf)")
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
    return EXIT_OK if report.conforms else EXIT_NO
