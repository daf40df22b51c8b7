"""``kg-builder build PATH... -o KG.ttl [--store DIR]``: articles to a validated graph, written atomically."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..config import load as load_config
from ..errors import ConfigError
from . import EXIT_INPUT, EXIT_NONCONFORMING, EXIT_OK, err, interactive, overrides


def add_parser(subparsers) -> None:
    """Register ``kg-builder build``."""
    b = subparsers.add_parser("build", help="build a knowledge graph from article files and directories")
    b.add_argument("paths", nargs="+", metavar="PATH", help=".txt files (UTF-8) or directories of them")
    b.add_argument("-o", "--output", metavar="KG", help="output file: .ttl, .nt, .jsonld (graph: all articles), "
                   ".trig, .nq (dataset: a named graph per article)")
    b.add_argument("-f", "--format", choices=["turtle", "nt", "trig", "nq", "jsonld", "xml"],
                   help="output format (default: by suffix)")
    b.add_argument("--store", metavar="DIR", help="also write into a persistent Oxigraph store (created if missing); "
                   "the graphs of the articles built are replaced, others kept")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--config", metavar="FILE", help="options from a TOML file (kg-builder config prints them all)")
    b.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override one option")
    b.add_argument("--fail-fast", action="store_true", help="stop at the first internal error (a bug) with its "
                   "traceback, instead of recording it and going on with the other articles")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build, write and summarise; 0 ok, 1 not conforming, 2 some input skipped, 3 output/option error."""
    from ..pipeline import build, expand

    config = load_config(overrides(args.set), args.config)
    if not args.output and not args.store:
        raise ConfigError("say where the graph goes: -o KG.ttl and/or --store DIR")
    progress = None
    bar = None
    if interactive() and not args.quiet:
        from rich.progress import Progress

        total = len(expand(args.paths, config.read.suffixes)[0])
        bar = Progress(transient=True)
        task = bar.add_task("building", total=total)
        bar.start()
        progress = lambda f: bar.update(task, advance=1, description=f.name)  # noqa: E731
    try:
        result = build(args.paths, config, validate_graph=False if args.no_validate else None, progress=progress,
                       keep_going=not args.fail_fast)
    finally:
        if bar:
            bar.stop()
    for e in result.errors:
        err(f"skipped {e}")
    if not result.documents:
        err("no article could be read; nothing written")
        return EXIT_INPUT
    if args.store:
        from ..outputs import store

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


def _summary(result, output, held: Path | None) -> None:
    from ..vocab import KGO, PREFIXES, RDF, classes

    typed = {(q.subject, q.object.value) for q in result.quads if q.predicate.value == str(RDF.type)}
    counts = Counter(cls for _, cls in typed)
    # what the graph talks about, in the ontology's words: not the articles (counted above) nor the
    # Web Annotation plumbing of the evidence
    shown = [(c.name, counts[c.iri]) for c in classes().values() if counts[c.iri] and c.name != "NewsArticle"
             and not any(a.startswith(PREFIXES["oa"]) for a in c.ancestors)]
    print(f"articles:  {len(result.documents)} read, {len(result.errors)} skipped")
    print("entities:  " + ", ".join(f"{name} {n}" for name, n in shown))
    print(f"triples:   {len({q.triple for q in result.quads})}")
    if result.report is None:
        print("validation: not run")
    else:
        print(f"validation: {'conforms' if result.report.conforms else 'DOES NOT CONFORM'} (shapes/kg.shacl.ttl)")
    if result.quarantine:
        records = {q.subject for q in result.quarantine if q.object.value == str(KGO.QuarantineRecord)}
        where = held or "the quarantine graphs"
        print(f"quarantined: {len(records)} facts that failed a consistency check -> {where} "
              "(kg-builder validate shows why)")
    if output:
        print(f"written:   {output}")
