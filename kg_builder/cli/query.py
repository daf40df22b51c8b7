"""``kg-builder query KG... QUERY.rq`` / ``-e 'SPARQL'``: any read-only query on graphs and stores.

SELECT prints a table or a SPARQL results format, ASK prints true/false (exit 0/1) or a results
format, CONSTRUCT and DESCRIBE write RDF. Several graph files and store directories are queried
together (positionals and ``--data``, as arq's ``--data``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError, GraphLoadError
from . import EXIT_INPUT, EXIT_NO, EXIT_OK, EXIT_OUTPUT, command, working, writable

QUERY_SUFFIXES = (".rq", ".sparql")
# the formats each query form can be written in; the first is the default
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ttl", "nt", "nq", "trig", "jsonld", "json", "xml", "rdfxml")
FORMATS = tuple(dict.fromkeys(RESULT_FORMATS + GRAPH_FORMATS))
# json and xml are "the JSON / XML of the form": SPARQL results for SELECT and ASK, JSON-LD and RDF/XML for graphs
_GRAPH_NAMES = {"ttl": "turtle", "json": "jsonld", "rdfxml": "xml"}  # to serialize.FORMATS' names
_RESULT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml", ".srx": "xml",
                    ".txt": "table"}
_GRAPH_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld",
                   ".json": "jsonld", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}

FORMAT_HELP = ("how to write the answer; what fits depends on the query form. "
               "SELECT: table (default), csv (SPARQL 1.1 CSV: plain values), tsv (SPARQL 1.1 TSV: terms in Turtle "
               "syntax), json, xml (SPARQL 1.1 results: terms typed). "
               "ASK: table (default: true or false), json, xml (SPARQL 1.1 results), csv, tsv (one column "
               "_askResult). CONSTRUCT, DESCRIBE: turtle (default; ttl), nt, nq, trig, jsonld (json), "
               "xml (RDF/XML; rdfxml). Without --format, the suffix of -o FILE chooses (.csv .tsv .json .xml "
               ".txt; .ttl .nt .nq .trig .jsonld .rdf)")


def add_parser(subparsers) -> None:
    """Register ``kg-builder query``."""
    q = command(subparsers, "query", help="run a read-only SPARQL query on graphs and stores",
                description="Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on the embedded Oxigraph "
                "engine over the shared entities and every article's graph (not the quarantine) of one or more "
                "graph files and store directories, and print the answer or write it with -o. Updates "
                "(INSERT, DELETE, LOAD, CLEAR ...) are refused: the query is read-only.",
                examples=["kg-builder query kg.ttl examples/queries/officials.rq",
                          "kg-builder query kg-store -e 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }' --format csv",
                          "kg-builder query a.ttl b.trig kg-store --query examples/queries/provinces.rq",
                          "kg-builder query kg.ttl -e 'CONSTRUCT WHERE { ?s a ?t }' -o types.nt",
                          "kg-builder query --data kg.ttl -e 'ASK { ?s ?p ?o }' && echo not empty"],
                exits={EXIT_OK: "the answer was printed or written (ASK: true)", EXIT_NO: "ASK: false",
                       EXIT_INPUT: "a graph, store or the query cannot be read, bad SPARQL, or an update",
                       EXIT_OUTPUT: "-o FILE cannot be written"})
    q.add_argument("inputs", nargs="*", metavar="KG|QUERY.rq",
                   help="graph files (any RDF format) and Oxigraph store directories to query together, and the "
                        "query file (named *.rq or *.sparql) unless -e or --query gives the query")
    q.add_argument("--data", action="append", default=[], metavar="KG",
                   help="one more graph file or store directory (repeatable)")
    how = q.add_mutually_exclusive_group()
    how.add_argument("-e", metavar="SPARQL", help="the query text")
    how.add_argument("--query", dest="query_file", metavar="FILE", help="file holding the query (any name)")
    q.add_argument("--format", choices=FORMATS, metavar="FORMAT", help=FORMAT_HELP)
    q.add_argument("-o", "--output", metavar="FILE",
                   help="write the answer to FILE (through a temporary file: never half-written) instead of stdout")
    q.set_defaults(func=run)


def _read_query(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GraphLoadError(f"cannot read query: {getattr(e, 'strerror', None) or e}", path) from None


def query_and_data(args: argparse.Namespace) -> tuple[str, list[str]]:
    """The query text and the data inputs, from -e / --query / a positional *.rq, and the rest."""
    files = [p for p in args.inputs if p.lower().endswith(QUERY_SUFFIXES)]
    data = [p for p in args.inputs if p not in files] + args.data
    given = [x for x in (args.e, args.query_file) if x is not None] + files
    if len(given) > 1:
        raise ConfigError(f"give one query, not {len(given)} (-e, --query and *.rq / *.sparql files)")
    if not given:
        raise ConfigError("give the query: a QUERY.rq or QUERY.sparql file, --query FILE (any name) or -e 'SPARQL'")
    if not data:
        raise ConfigError("give a graph file or store directory to query (KG or --data KG)")
    return (args.e if args.e is not None else _read_query(given[0])), data


def output_format(args: argparse.Namespace, form: str) -> str:
    """The --format for this query form (``graph``, ``ASK`` or ``SELECT``), else the one -o's suffix names,
    else the form's default (``serialize.choose_format``); a format that does not fit the form is a usage error."""
    from ..outputs.serialize import choose_format

    fits = GRAPH_FORMATS if form == "graph" else RESULT_FORMATS
    name = "a CONSTRUCT/DESCRIBE" if form == "graph" else f"{'an' if form == 'ASK' else 'a'} {form}"
    suffixes, others = (_GRAPH_SUFFIXES, _RESULT_SUFFIXES) if form == "graph" else (_RESULT_SUFFIXES, _GRAPH_SUFFIXES)
    if args.format and args.format not in fits:
        raise ConfigError(f"--format {args.format} does not fit {name} query; use one of: {', '.join(fits)}")
    fmt = _GRAPH_NAMES.get(args.format, args.format) if form == "graph" else args.format
    if not args.output:
        return fmt or fits[0]
    suffix = Path(args.output).suffix.lower()
    if not fmt and suffix in others and suffix not in suffixes:
        raise ConfigError(f"-o {args.output}: the answer to {name} query is not written as {suffix}; give --format "
                          f"({', '.join(fits)})")
    return choose_format(args.output, fmt, suffixes, stream_default=fits[0], option="--format")


def run(args: argparse.Namespace) -> int:
    """Print or write the answer; 1 for an ASK answered false; a bad graph or query is exit 2."""
    from ..outputs.query import AskResult, GraphResult, answer
    from ..outputs.serialize import write_atomic

    sparql, data = query_and_data(args)
    writable(args.output)
    with working("loading the data and answering"):
        result = answer(data, sparql)
    if isinstance(result, GraphResult):
        body: str | bytes = result.dumps(output_format(args, "graph"))
    elif isinstance(result, AskResult):
        body = result.text(output_format(args, "ASK"))
    else:
        fmt = output_format(args, "SELECT")
        body = {"table": result.table, "csv": result.csv, "tsv": result.tsv, "json": result.json,
                "xml": result.xml}[fmt]()
    if isinstance(body, str) and not body.endswith("\n"):
        body += "\n"
    if args.output:
        write_atomic(args.output, body.encode("utf-8") if isinstance(body, str) else body)
    elif isinstance(body, str):
        sys.stdout.write(body)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    return EXIT_NO if isinstance(result, AskResult) and not result.value else EXIT_OK
