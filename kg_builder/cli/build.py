"""``kg-builder build PATH... -o KG.ttl [--store DIR] [-j N] [--engine local|spark]``: articles to a
validated graph, streamed: each article is extracted, mapped and validated on its own (in a pool of
worker processes, or on Spark) and written as it comes, through temporary files put in place at the
end; a store is updated incrementally."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..errors import ConfigError
from . import EXIT_INPUT, EXIT_NO, EXIT_OK, EXIT_OUTPUT, command, err, interactive, options, positive_int, quiet


def add_parser(subparsers) -> None:
    """Register ``kg-builder build``."""
    b = command(subparsers, "build", help="build a knowledge graph from article files and directories",
                description="Read articles, extract entities and facts, map them to the ontology, validate each "
                "article with the SHACL shapes and write the graph (and/or update a store). Each article is worked "
                "on its own in N processes and written as it comes, in input order; the same bytes for any N.",
                examples=["kg-builder build articles/ -o kg.ttl",
                          "kg-builder build articles/ -o kg.trig --store kg-store -j 2",
                          "kg-builder build a.txt b.txt -o - -f nt | riot --syntax=nt --count"],
                exits={EXIT_OK: "the graph was written and conforms",
                       EXIT_NO: "the graph was written and does not conform (the report is on stderr)",
                       EXIT_INPUT: "some input skipped (the graph of the good files is still written), or none "
                       "readable (nothing written)",
                       EXIT_OUTPUT: "an output or the store could not be written (checked before any work)"})
    b.add_argument("paths", nargs="+", metavar="PATH", help=".txt files (UTF-8) or directories of them")
    b.add_argument("-o", "--output", metavar="KG", help="output file: .ttl, .nt (graph: all articles), "
                   ".trig, .nq (dataset: a named graph per article), .jsonld, .rdf (written at the end)")
    b.add_argument("-f", "--format", choices=["turtle", "nt", "trig", "nq", "jsonld", "xml"],
                   help="output format (default: by suffix)")
    b.add_argument("--store", metavar="DIR", help="also write into a persistent Oxigraph store (created if missing): "
                   "only new or changed articles are built; a stored article whose file was under a PATH given "
                   "and is gone is removed")
    b.add_argument("--keep-missing", action="store_true", help="with --store: keep stored articles whose file is gone")
    b.add_argument("-j", "--jobs", type=positive_int, metavar="N", help="worker processes (default: all cores)")
    b.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="where the per-article work runs: local processes, or Apache Spark (pip install "
                   "'kg-builder[spark]')")
    b.add_argument("--spark-master", metavar="URL", default="local[*]",
                   help="with --engine spark: the cluster (default: local[*])")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    b.add_argument("--fail-fast", action="store_true", help="stop at the first internal error (a bug) with its "
                   "traceback, instead of recording it and going on with the other articles")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build, write and summarise; 0 ok, 1 not conforming, 2 some input skipped, 3 output/option error."""
    from ..engines import Local, cores
    from ..outputs.serialize import FileSink
    from ..outputs.store import StoreSink
    from ..pipeline import Tee
    from ..pipeline import run as build

    config = options(args)
    if not args.output and not args.store:
        raise ConfigError("say where the graph goes: -o KG.ttl and/or --store DIR")
    if args.engine == "spark":
        from ..spark import Spark

        engine = Spark(args.spark_master)
    else:
        engine = Local(args.jobs or cores())
    sinks = ([FileSink(args.output, args.format)] if args.output else []) + (
        [StoreSink(args.store)] if args.store else [])
    sink = sinks[0] if len(sinks) == 1 else Tee(*sinks)
    bar = _Progress() if interactive() else None
    try:
        summary = build(args.paths, sink, config, engine=engine,
                        validate_graph=False if args.no_validate else None, keep_going=not args.fail_fast,
                        progress=bar.advance if bar else None, started=bar.start if bar else None,
                        remove_missing=not args.keep_missing)
    except BaseException:
        for s in sinks:
            if hasattr(s, "abort"):
                s.abort()
        raise
    finally:
        if bar:
            bar.stop()
    for e in summary.errors:
        err(f"skipped {e}")
    if not summary.articles and not summary.unchanged and not summary.removed:
        err("no article could be read; nothing written")
        return EXIT_INPUT
    held = next((s.held_written for s in sinks if getattr(s, "held_written", None)), None)
    if not quiet():
        _summary(summary, args.output, args.store, held)
    if summary.report is not None and not summary.report.conforms:
        print(summary.report.text(), file=sys.stderr)
        return EXIT_NO
    return EXIT_INPUT if summary.errors else EXIT_OK


class _Progress:
    """A progress bar with articles per second and the time left, on a terminal only."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TaskProgressColumn(), TextColumn("{task.fields[rate]} articles/s"),
                             TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=True)
        self._task = None

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("building", total=total, rate="-")
        self._bar.start()

    def advance(self, article) -> None:
        task = self._bar.tasks[0]
        speed = task.finished_speed or task.speed
        self._bar.update(self._task, advance=1, rate=f"{speed:,.0f}" if speed else "-")

    def stop(self) -> None:
        self._bar.stop()


def _summary(summary, output, store, held: Path | None) -> None:
    from ..vocab import PREFIXES, classes

    counts = Counter(summary.types)
    # what the graph talks about, in the ontology's words: not the articles (counted above) nor the
    # Web Annotation plumbing of the evidence
    shown = [(c.name, counts[c.iri]) for c in classes().values() if counts[c.iri] and c.name != "NewsArticle"
             and not any(a.startswith(PREFIXES["oa"]) for a in c.ancestors)]
    skipped = f", {len(summary.errors)} skipped"
    kept = f", {summary.unchanged} unchanged in the store" if summary.unchanged else ""
    gone = f", {len(summary.removed)} removed from the store (file gone)" if summary.removed else ""
    print(f"articles:  {summary.articles} built{skipped}{kept}{gone}")
    if shown:
        print("entities:  " + ", ".join(f"{name} {n}" for name, n in shown))
    print(f"triples:   {summary.triples}")
    if summary.report is None:
        print("validation: not run")
    else:
        print(f"validation: {'conforms' if summary.report.conforms else 'DOES NOT CONFORM'} (shapes/kg.shacl.ttl)")
    if summary.quarantined:
        where = held or "the quarantine graphs"
        print(f"quarantined: {summary.quarantined} facts that failed a consistency check -> {where} "
              "(kg-builder validate shows why)")
    if store:
        print(f"store:     {store} updated")
    if output:
        print(f"written:   {output}")
