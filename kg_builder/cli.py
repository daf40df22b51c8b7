"""Command line: a thin layer that turns library results and errors into output and exit codes.

Exit codes (pySHACL's scheme, extended):
    0  success (the graph conforms)
    1  the graph does not conform to the shapes
    2  input could not be used (a file skipped, a graph or query not loadable)
    3  an output could not be written, or a bad option
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from importlib import import_module
from pathlib import Path

from . import __version__
from .config import load as load_config
from .errors import ConfigError, GraphLoadError, KgError, OutputError

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3

# Output modules that bring their own subcommand (each has ``add_parser(subparsers)``,
# cheap to import; heavy imports happen inside the command).
EXTENSIONS: tuple[str, ...] = ("visualise", "serve", "push")


def _err(message: str) -> None:
    print(f"kg-builder: {message}", file=sys.stderr)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set expects SECTION.KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def cmd_build(args: argparse.Namespace) -> int:
    from .outputs import serialize
    from .pipeline import build, expand

    config = load_config(_overrides(args.set))
    if not args.output and not args.store:
        raise ConfigError("say where the graph goes: -o KG.ttl and/or --store DIR")
    progress = None
    bar = None
    if _interactive() and not args.quiet:
        from rich.progress import Progress

        total = len(expand(args.paths)[0])
        bar = Progress(transient=True)
        task = bar.add_task("building", total=total)
        bar.start()
        progress = lambda f: bar.update(task, advance=1, description=f.name)  # noqa: E731
    try:
        result = build(args.paths, config, validate_graph=False if args.no_validate else None, progress=progress,
                       keep_going=True)
    finally:
        if bar:
            bar.stop()
    for e in result.errors:
        _err(f"skipped {e}")
    if not result.documents:
        _err("no article could be read; nothing written")
        return EXIT_INPUT
    if args.store:
        from .outputs import store

        n = store.update(args.store, result.quads, result.quarantine)
        if not args.quiet:
            print(f"store:     {n} quads into {args.store} (graphs of {len(result.documents)} articles replaced)")
    held = result.write(args.output, args.format) if args.output else None
    if not args.quiet:
        _summary(result, args.output, held)
    if result.report is not None and not result.report.conforms:
        print(result.report.text(), file=sys.stderr)
        return EXIT_NONCONFORMING
    return EXIT_INPUT if result.errors else EXIT_OK


def _summary(result, output, held: Path) -> None:
    from rdflib import RDF

    from .vocab import KGO

    types = Counter()
    for cls in (KGO.Person, KGO.Province, KGO.County, KGO.NationalOrganization, KGO.ProvincialDirectorate,
                KGO.CountyOffice, KGO.Organization, KGO.Programme, KGO.Campaign, KGO.ServiceSystem, KGO.Hotline,
                KGO.NewsAgency, KGO.Membership, KGO.Statistic, KGO.Mention):
        types[cls.split("#")[-1]] = len(set(result.graph.subjects(RDF.type, cls)))
    print(f"articles:  {len(result.documents)} read, {len(result.errors)} skipped")
    print("entities:  " + ", ".join(f"{k} {v}" for k, v in types.items() if v))
    print(f"triples:   {len(result.graph)}")
    if result.report is None:
        print("validation: not run")
    else:
        print(f"validation: {'conforms' if result.report.conforms else 'DOES NOT CONFORM'} (shapes/kg.shacl.ttl)")
    if result.quarantine:
        n = len(set(result.quarantine_graph.subjects(RDF.type, KGO.QuarantineRecord)))
        where = held if held and held.exists() else "the quarantine graphs"
        print(f"quarantined: {n} facts that failed a consistency check -> {where} (kg-builder validate shows why)")
    if output:
        print(f"written:   {output}")


def cmd_validate(args: argparse.Namespace) -> int:
    from .outputs.serialize import load
    from .stages.validate import quarantined, run

    report = run(load(args.graph))
    print(report.text())
    from .outputs.serialize import quarantine_path

    held = quarantine_path(args.graph)
    if held.exists() and not args.graph.endswith(held.name):
        records = quarantined(load(held))
        print(f"quarantined: {len(records)} facts held back in {held}")
        for fact, reasons, text in records:
            print(f"- <{fact}>\n    {'; '.join(reasons)}\n    text: {text}")
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def cmd_query(args: argparse.Namespace) -> int:
    from .outputs.query import query

    if args.e:
        sparql = args.e
    elif args.query:
        try:
            sparql = Path(args.query).read_text(encoding="utf-8")
        except OSError as e:
            raise GraphLoadError(f"cannot read query: {e.strerror}", args.query) from None
    else:
        raise ConfigError("give a query file or -e 'SPARQL'")
    result = query(args.graph, sparql)
    out = {"table": result.table, "csv": result.csv, "tsv": lambda: result.csv("\t"), "json": result.json}
    sys.stdout.write(out[args.format]() + ("\n" if args.format in ("table", "json") else ""))
    return EXIT_OK


def cmd_normalize(args: argparse.Namespace) -> int:
    from .text.normalise import normalise_text

    config = load_config()
    zwnj = config.clean.zwnj
    sources = args.files or ["-"]
    for src in sources:
        try:
            stream = sys.stdin if src == "-" else open(src, encoding="utf-8", newline="")
        except OSError as e:
            raise GraphLoadError(f"cannot read: {e.strerror}", src) from None
        with stream:
            for line in stream:
                body = line.rstrip("\r\n")
                sys.stdout.write(normalise_text(body, zwnj) + line[len(body):])
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from .outputs.store import remove

    removed = remove(args.store, args.sources)
    for source in args.sources:
        print(f"{'removed' if source in removed else 'not in store'}: {source}")
    return EXIT_OK if len(removed) == len(args.sources) else EXIT_INPUT


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, table
    from .outputs.query import store_of

    result = evaluate(store_of(args.graph), args.gold, args.queries)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(table(result))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg-builder", description="Persian news articles to a validated, queryable "
                                 "knowledge graph with exact provenance.")
    ap.add_argument("--version", action="version", version=f"kg-builder {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build a knowledge graph from article files and directories")
    b.add_argument("paths", nargs="+", metavar="PATH", help=".txt files (UTF-8) or directories of them")
    b.add_argument("-o", "--output", metavar="KG", help="output file: .ttl, .nt, .jsonld (graph: all articles), "
                   ".trig, .nq (dataset: a named graph per article)")
    b.add_argument("-f", "--format", choices=["turtle", "nt", "trig", "nq", "jsonld", "xml"],
                   help="output format (default: by suffix)")
    b.add_argument("--store", metavar="DIR", help="also write into a persistent Oxigraph store (created if missing); "
                   "the graphs of the articles built are replaced, others kept")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override a configuration key")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate a graph against the shipped SHACL shapes")
    v.add_argument("graph", metavar="KG")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run a SPARQL SELECT query on a graph")
    q.add_argument("graph", metavar="KG")
    q.add_argument("query", nargs="?", metavar="QUERY.rq")
    q.add_argument("-e", metavar="SPARQL", help="query text instead of a file")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    q.set_defaults(func=cmd_query)

    r = sub.add_parser("remove", help="remove articles' graphs from a store (by their file names)")
    r.add_argument("sources", nargs="+", metavar="FILE", help="article file names as built (e.g. 001_x.txt)")
    r.add_argument("--store", required=True, metavar="DIR")
    r.set_defaults(func=cmd_remove)

    e = sub.add_parser("evaluate", help="precision/recall/F1 per category against gold JSON files")
    e.add_argument("graph", metavar="KG")
    e.add_argument("--gold", required=True, metavar="DIR", help="directory of NAME.gold.json files")
    e.add_argument("--queries", metavar="DIR", help="contract queries (default: the shipped ones)")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.set_defaults(func=cmd_evaluate)

    for name in EXTENSIONS:  # commands that live with their output module: add_parser(subparsers)
        import_module(f".outputs.{name}", __package__).add_parser(sub)

    n = sub.add_parser("normalize", help="print normalised text (stdin when no file), line for line")
    n.add_argument("files", nargs="*", metavar="FILE")
    n.set_defaults(func=cmd_normalize)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as e:
        _err(str(e))
        return EXIT_OUTPUT
    except OutputError as e:
        _err(str(e))
        return EXIT_OUTPUT
    except KgError as e:
        _err(str(e))
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
