"""``kg-builder validate KG``: the SHACL report a person can read, and the facts held in quarantine."""

from __future__ import annotations

import argparse

from . import EXIT_INPUT, EXIT_NO, EXIT_OK, command, working


def add_parser(subparsers) -> None:
    """Register ``kg-builder validate``."""
    v = command(subparsers, "validate", help="validate a graph against the shipped SHACL shapes",
                description="Check what queries see of a graph (a file in any RDF format, or an Oxigraph store "
                "directory: the shared entities and the articles' graphs) against shapes/kg.shacl.ttl and print a "
                "report a person can read: each violation's focus node with its label, the path and the message; "
                "then the facts held in quarantine, with their sentence: those of the quarantine graphs of a "
                "dataset file or store, and of kg.quarantine.ttl beside a graph file.",
                examples=["kg-builder validate kg.ttl", "kg-builder validate kg.trig -q && echo conforms",
                          "kg-builder validate kg-store"],
                exits={EXIT_OK: "the graph conforms", EXIT_NO: "the graph does not conform (violations printed)",
                       EXIT_INPUT: "the graph or store cannot be read or parsed"})
    v.add_argument("graph", metavar="KG", help="graph or dataset file (.ttl, .nt, .trig, .nq, .jsonld, .rdf) or an "
                                               "Oxigraph store directory")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the report, then the quarantine (the data's own quarantine graphs, and the file beside a
    graph file); 0 conforms, 1 violations."""
    from pathlib import Path

    from ..outputs.data import quarantine, read_quads, visible
    from ..outputs.serialize import quarantine_path
    from ..stages.validate import check, quarantined
    from ..terms import new_graph, to_graph

    with working(f"reading {args.graph}"):
        quads = read_quads(args.graph)
    with working(f"validating {len(quads):,} statements"):
        report = check(visible(quads), new_graph().namespace_manager)
    print(report.text())
    held = [(f"the quarantine graphs of {args.graph}", quarantine(quads))]
    beside = quarantine_path(args.graph)
    if Path(args.graph).is_file() and beside.exists() and not args.graph.endswith(beside.name):
        held.append((str(beside), read_quads(beside)))
    for where, facts in held:
        if facts:
            records = quarantined(to_graph(facts))
            print(f"quarantined: {len(records)} facts held back in {where}")
            for fact, reasons, text in records:
                print(f"- <{fact}>\n    {'; '.join(reasons)}\n    text: {text}")
    return EXIT_OK if report.conforms else EXIT_NO
