"""``kg-builder viz KG -o OUT``: draw or export the graph's projection (.html, .png, .svg, .graphml, .gexf, .json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError, GraphLoadError
from ..outputs.visualise import NODE_TYPES
from . import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    command,
    err,
    is_stdout,
    natural,
    quiet,
    working,
    writable,
)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``kg-builder viz``."""
    p = command(subparsers, "viz", help="draw or export a graph: .html (interactive, offline), .png, .svg, .graphml, "
                ".gexf, .json",
                description="Project a graph onto entities and relations (people, posts, organisations, places, "
                "programmes, statistics, articles) and write it in the format OUT's suffix names.",
                examples=["kg-builder viz kg.ttl -o kg.html", "kg-builder viz kg.ttl -o tehran.png --province تهران",
                          "kg-builder viz kg.trig -o kg.graphml --type Person --type Organization"],
                exits={EXIT_OK: "the picture or export was written", EXIT_INPUT: "the graph cannot be read or holds "
                       "no kg-builder entities", EXIT_USAGE: "a bad option, or filters that leave no node",
                       EXIT_OUTPUT: "the output cannot be written"})
    p.add_argument("graph", metavar="KG", help="graph file (.ttl, .nt, .nq, .trig, .jsonld, .rdf) or Oxigraph store "
                                               "directory: what queries see of it is drawn (not the quarantine)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output: .html, .png, .svg, .graphml, .gexf or .json; - for stdout (with -f)")
    p.add_argument("-f", "--format", choices=VIZ_FORMATS, metavar="FORMAT",
                   help=f"output format: {', '.join(VIZ_FORMATS)} (default: by the suffix; must agree with it)")
    p.add_argument("--type", action="append", metavar="TYPE", dest="types",
                   help=f"keep only nodes of this type (repeatable; {', '.join(NODE_TYPES)})")
    p.add_argument("--article", metavar="FILE", help="only what this source file (e.g. 000_x.txt) says")
    p.add_argument("--province", metavar="NAME", help="only this province (Persian or English name, ISO code "
                                                      "or IRI), its counties and offices and what touches them")
    p.add_argument("--around", metavar="IRI_OR_LABEL", help="only the nodes near this one")
    p.add_argument("--depth", type=natural, default=1, metavar="N", help="steps from --around (default 1)")
    p.add_argument("--provenance", action=argparse.BooleanOptionalAction, default=None,
                   help="keep the evidence quotes on facts (default: on for .html, off otherwise)")
    p.add_argument("--font", metavar="FILE", help="font file with Persian letters for .png/.svg")
    p.add_argument("--title", help="title of the page or picture")
    p.add_argument("--seed", type=int, default=0, help="layout seed (default 0)")
    p.set_defaults(func=run)
    return p


VIZ_FORMATS = ("html", "png", "svg", "graphml", "gexf", "json")  # visualise.SUFFIXES' formats (a test holds them)


def run(args: argparse.Namespace) -> int:
    """Load, project, filter, write; a bad graph gives 2, a bad option or output 3."""
    from ..outputs.data import read_quads, visible
    from ..outputs.serialize import choose_format
    from ..outputs.visualise import SUFFIXES, dumps, filter_graph, to_networkx, write
    from ..terms import to_graph

    if args.depth != 1 and not args.around:
        err("note: --depth does nothing without --around")
    fmt = choose_format(args.output, args.format, SUFFIXES, stream_default=None)
    writable(args.output)
    with working(f"reading {args.graph}"):
        graph = to_graph(visible(read_quads(args.graph)))
    provenance = args.provenance if args.provenance is not None else fmt == "html"
    with working("projecting the graph"):
        G = to_networkx(graph, provenance=provenance)
    if G.number_of_nodes() == 0:
        raise GraphLoadError("no kg-builder entities in this graph (is it a kg-builder graph?)", args.graph)
    H = filter_graph(G, types=args.types, article=args.article, province=args.province, around=args.around,
                     depth=args.depth)
    if H.number_of_nodes() == 0:
        raise ConfigError("the filters leave no node to draw")
    title = args.title or f"kg-builder · {Path(args.graph).name}"
    with working(f"drawing {H.number_of_nodes()} nodes to {args.output}"):
        if args.output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(dumps(H, fmt, title=title, font=args.font, seed=args.seed))
            sys.stdout.buffer.flush()
        else:
            write(H, args.output, title=title, font=args.font, seed=args.seed, fmt=fmt)
    if not quiet():
        print(f"written:   {args.output} ({H.number_of_nodes()} nodes, {H.number_of_edges()} edges)",
              file=sys.stderr if is_stdout(args.output) else sys.stdout)
    return EXIT_OK
