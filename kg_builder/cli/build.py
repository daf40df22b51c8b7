"""``kg-builder build PATH... -o KG.ttl [--store DIR]``: articles to a validated graph, written atomically."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..config import load as load_config
from ..errors import ConfigError
from . import EXIT_INPUT, EXIT_NONCONFORMING, EXIT_OK, err, interactive


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
    b.add_argument("--set", action="append", metavar="SECTION.KEY=VALUE", help="override a configuration key")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(func=run)


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ConfigError(f"--set expects SECTION.KEY=VALUE, got {pair!r}")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    """Build, write and summarise; 0 ok, 1 not conforming, 2 some input skipped, 3 output/option error."""
    from ..outputs import serialize
    from ..pipeline import build, expand

    config = load_config(_overrides(args.set))
    if not args.output and not args.store:
        raise ConfigError("say where the graph goes: -o KG.ttl and/or --store DIR")
    progress = None
    bar = None
    if interactive() and not args.quiet:
        from rich.progress import Progress

        total = len(expand(args.paths)[0])
        bar = Progress(transient=True)
        task = bar.add_task("building", total=total)
        bar.start()
        progress = lambda f: bar.update(task, advance=1, description=f.name)  # noqa: E731
    try:
        result = build(args.paths, config, validate_graph=False if args.no_validate else None, progress=progress)
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

        n = store.update(args.store, result.graph, result.quarantine)
        if not args.quiet:
            print(f"store:     {n} quads into {args.store} (graphs of {len(result.documents)} articles replaced)")
    if args.output:
        fmt = serialize.format_for(args.output, args.format)
        dataset = fmt in serialize.DATASET_FORMATS
        serialize.write(result.graph, args.output, fmt, result.quarantine if dataset else None)
        held = quarantine_path(args.output)
        if not dataset and result.quarantine is not None and len(result.quarantine):
            serialize.write(result.quarantine, held, fmt)
        elif held.exists():
            held.unlink()  # a stale quarantine from an earlier build of this output
    else:
        held = None
    if not args.quiet:
        _summary(result, args.output, held)
    if result.report is not None and not result.report.conforms:
        print(result.report.text(), file=sys.stderr)
        return EXIT_NONCONFORMING
    return EXIT_INPUT if result.errors else EXIT_OK


def quarantine_path(output: str | Path) -> Path:
    """Where the quarantine graph of ``output`` goes: kg.ttl -> kg.quarantine.ttl."""
    p = Path(output)
    return p.with_name(f"{p.stem}.quarantine{p.suffix or '.ttl'}")


def _summary(result, output, held: Path) -> None:
    from rdflib import RDF

    from ..vocab import KGO

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
    if result.quarantine is not None and len(result.quarantine):
        from rdflib import RDF

        n = len(set(result.quarantine.subjects(RDF.type, KGO.QuarantineRecord)))
        where = held if held and held.exists() else "the quarantine graphs"
        print(f"quarantined: {n} facts that failed a consistency check -> {where} (kg-builder validate shows why)")
    if output:
        print(f"written:   {output}")
