"""``kg-builder build PATH... -o KG.ttl [--store DIR] [-j N] [--engine local|spark]``: articles to a
validated graph, streamed: each article is extracted, mapped and validated on its own (in a pool of
worker processes, or on Spark) and written as it comes, through temporary files put in place at the
end; a store is updated incrementally."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from ..errors import ConfigError
from . import (
    EXIT_INPUT,
    EXIT_NO,
    EXIT_OK,
    EXIT_OUTPUT,
    command,
    err,
    heeding,
    info,
    interactive,
    is_stdout,
    options,
    positive_int,
    quiet,
    writable,
)

# serialize.FORMATS' names, written out: the parser must not import pyoxigraph (a test keeps them equal)
FORMATS = ("jsonld", "nq", "nquads", "nt", "ntriples", "trig", "ttl", "turtle", "xml")


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
    b.add_argument("paths", nargs="*", metavar="PATH", help="article files (UTF-8 text) and directories (their "
                   "files matching --include, at any depth); - reads one article from stdin; @LIST reads paths "
                   "from the file LIST, one a line")
    b.add_argument("--from-list", metavar="FILE", action="append", help="read paths from FILE, one a line (- for "
                   "stdin; blank lines and lines starting with # are ignored)")
    b.add_argument("--include", metavar="GLOB", action="append", help="in directories, read the files matching "
                   "GLOB (repeatable; default: *.txt, the option read.include)")
    b.add_argument("--exclude", metavar="GLOB", action="append", help="in directories, leave out the files "
                   "matching GLOB, on their path below the directory or their name (repeatable)")
    b.add_argument("--stdin-name", metavar="NAME", default="stdin.txt", help="with -: the article's file name (its "
                   "source and IRI)")
    b.add_argument("-o", "--output", metavar="KG", help="output file: .ttl, .nt (graph: all articles), .trig, .nq "
                   "(dataset: a named graph per article), .jsonld, .rdf (written at the end); - for stdout")
    b.add_argument("-f", "--format", choices=FORMATS, metavar="FORMAT",
                   help=f"output format: {', '.join(FORMATS)} (xml: RDF/XML; default: by the suffix, Turtle "
                   "on stdout); must agree with the suffix")
    b.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON to FILE (- for stdout, "
                   "when the graph goes elsewhere)")
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
    b.fromfile_prefix_chars = "@"  # kg-builder build @files.txt: one path a line, as --from-list reads them
    b.convert_arg_line_to_args = _list_line
    b.set_defaults(func=run)


def _list_line(line: str) -> list[str]:
    """A line of an @LIST file: a path, or nothing for a blank line or a # comment (as --from-list)."""
    line = line.strip()
    return [] if not line or line.startswith("#") else [line]


def run(args: argparse.Namespace) -> int:
    """Build, write and summarise (exit codes: the command's epilog)."""
    from ..engines import Local, cores
    from ..outputs.serialize import FileSink
    from ..outputs.store import StoreSink
    from ..pipeline import Tee
    from ..pipeline import run as build

    config = options(args)
    if args.include or args.exclude:
        read = replace(config.read, include=tuple(args.include or config.read.include),
                       exclude=tuple(args.exclude or config.read.exclude))
        config = replace(config, read=read)
    inputs = _inputs(args)
    for option, needs, given in (("--keep-missing", "--store", args.keep_missing and not args.store),
                                 ("--stdin-name", "- (an article on stdin)",
                                  args.stdin_name != "stdin.txt" and "-" not in args.paths),
                                 ("--spark-master", "--engine spark",
                                  args.spark_master != "local[*]" and args.engine != "spark")):
        if given:
            err(f"note: {option} does nothing without {needs}")
    if not args.output and not args.store:
        raise ConfigError("say where the graph goes: -o KG.ttl (- for stdout) and/or --store DIR")
    graph_out, json_out = is_stdout(args.output), is_stdout(args.summary_json)
    if graph_out and json_out:
        raise ConfigError("the graph and --summary-json cannot both go to stdout")
    writable(args.summary_json)
    if args.output and args.summary_json and "-" not in (args.output, args.summary_json):
        from ..outputs.serialize import target

        if target(args.output)[0] == target(args.summary_json)[0]:
            raise ConfigError(f"the graph and --summary-json would both be written to {args.output}")
    if args.engine == "spark":
        from ..spark import Spark

        engine = Spark(args.spark_master)
    else:
        engine = Local(args.jobs or cores())
    # outputs are opened (or checked) before any work: an unwritable one fails at once
    sinks = ([FileSink(args.output, args.format, sys.stdout.buffer if args.output == "-" else None)]
             if args.output else []) + ([StoreSink(args.store)] if args.store else [])
    sink = sinks[0] if len(sinks) == 1 else Tee(*sinks)
    # the report goes where the graph does not: stdout unless the graph or the JSON summary is there
    report = sys.stderr if graph_out or json_out else sys.stdout
    bar = _Progress() if interactive() else None
    started = time.monotonic()
    clock = {"phase": "", "at": started}

    def phase(what: str) -> None:
        if clock["phase"]:
            info(f"{clock['phase']}: {time.monotonic() - clock['at']:.1f} s")
        clock.update(phase=what, at=time.monotonic())
        if bar:
            bar.phase(what)

    try:
        summary = build(inputs, sink, config, engine=engine,
                        validate_graph=False if args.no_validate else None, keep_going=not args.fail_fast,
                        progress=heeding(bar.advance if bar else _built),
                        started=heeding(bar.start if bar else _started),
                        remove_missing=not args.keep_missing, phase=heeding(phase))
    except BaseException:
        for s in sinks:
            if hasattr(s, "abort"):
                s.abort()
        raise
    finally:
        if bar:
            bar.stop()
    phase("done")
    elapsed = time.monotonic() - started
    for e in summary.errors:
        err(f"skipped {e}")
    _passed_over(summary.passed_over)
    _read_as(summary.read_as)
    file_sink = sinks[0] if args.output else None
    built = summary.articles or summary.unchanged or summary.removed
    if not built:
        err("no article could be read; nothing written [E100]")
    held = file_sink.held_written if file_sink is not None else None
    if args.summary_json:
        _write_json(args.summary_json, _as_json(summary, args, file_sink.fmt if file_sink else None, held, elapsed))
    if built and not quiet():
        _summary(summary, args.output, args.store, held, report, file_sink.held_unwritten if file_sink else 0)
    if not built:
        return EXIT_INPUT
    if summary.report is not None and not summary.report.conforms:
        print(summary.report.text(), file=sys.stderr)
        return EXIT_NO
    return EXIT_INPUT if summary.errors else EXIT_OK


def _inputs(args: argparse.Namespace) -> list:
    """The paths named, those in --from-list files, and the article on stdin (-)."""
    from ..pipeline import NOT_TEXT, Given

    paths = [p for p in args.paths if p]  # an empty line of an @LIST file is no path (it would be '.')
    for listing in args.from_list or []:
        if listing == "-" and "-" in paths:
            raise ConfigError("stdin cannot be both an article (-) and a list of paths (--from-list -)")
        try:
            text = sys.stdin.read() if listing == "-" else Path(listing).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"--from-list {listing}: cannot read: {getattr(e, 'strerror', None) or e}") from None
        paths += [p for line in text.splitlines() for p in _list_line(line)]
    if paths.count("-") > 1:
        raise ConfigError("- (stdin) can be given once")
    if not paths:
        raise ConfigError("name the articles: files, directories, - for stdin, or --from-list FILE")
    if "-" in paths:
        name = args.stdin_name
        if not name or "/" in name or name in (".", "..") or name != name.strip():
            raise ConfigError(f"--stdin-name must be a file name (no folder, not empty), got {name!r}")
        if Path(name).suffix.lower() in NOT_TEXT:
            raise ConfigError(f"--stdin-name {name}: that suffix says it is not a plain-text article")
        if sys.stdin.isatty():
            info("reading an article from the terminal; end it with Ctrl-D")
        paths[paths.index("-")] = Given(args.stdin_name, sys.stdin.buffer.read())
    return paths


def _built(article) -> None:
    if article.error is None:
        info(f"built {article.path}: {article.triples} triples")


def _started(total: int) -> None:
    info(f"{total} article{'s' if total != 1 else ''} to build")


def _passed_over(files: list[Path]) -> None:
    """Files in the directories named that no --include pattern matches: said, not silently dropped."""
    if not files:
        return
    for f in files:
        info(f"not read (matches no --include pattern): {f}")
    if not quiet():
        kinds = Counter(f.suffix.lower() or "(no suffix)" for f in files)
        err(f"note: {len(files)} file{'s' if len(files) > 1 else ''} in the directories given not read, matching "
            f"no --include pattern ({', '.join(f'{n} {k}' for k, n in kinds.most_common())}; -v lists them)")


def _read_as(origins: list) -> None:
    """Articles that were not UTF-8 text: each decoded from another encoding is named with it (a guess is
    worth checking), HTML pages are counted (-v lists them), since the spans index the extracted text."""
    for path, origin in origins:
        if origin.encoding != "UTF-8" and not quiet():
            err(f"note: {path}: decoded from {origin.encoding} ({origin.how})")
    pages = [(path, origin) for path, origin in origins if origin.extractor]
    for path, origin in pages:
        info(f"HTML page, article text extracted by {origin.extractor}: {path}")
    if pages and not quiet():
        by = sorted({origin.extractor for _, origin in pages})
        err(f"note: {len(pages)} HTML page{'s' if len(pages) > 1 else ''}: the article text was extracted by "
            f"{', '.join(by)}, and the spans' offsets index that text (-v lists them)")


def _write_json(target: str, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    # a file name that is not UTF-8 comes as lone surrogates, which UTF-8 cannot encode: JSON escapes
    # (\udcff) instead, which json.loads gives back as they were
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..outputs.serialize import write_atomic

    write_atomic(target, text.encode("utf-8"))


def _as_json(summary, args, fmt: str | None, held: Path | None, elapsed: float) -> dict:
    """The summary for programs: counts, skipped inputs with their codes, outputs, validation."""
    from ..vocab import PREFIXES, classes

    names = {c.iri: c.name for c in classes().values()}
    names.update((t, f"{p}:{t[len(ns):]}") for t in summary.types if t not in names
                 for p, ns in PREFIXES.items() if t.startswith(ns))
    return {
        "articles": {"built": summary.articles, "skipped": len(summary.errors), "unchanged": summary.unchanged,
                     "removed": summary.removed, "not_read": [str(f) for f in summary.passed_over]},
        "skipped": [{"path": e.path, "code": e.code, "message": e.message} for e in summary.errors],
        "read_as": [{"path": path, "encoding": o.encoding, "how": o.how, "media_type": o.media_type,
                     "extractor": o.extractor} for path, o in summary.read_as],
        "entities": dict(sorted((names.get(t, t), n) for t, n in summary.types.items())),
        "triples": summary.triples,
        "validation": None if summary.report is None else {"conforms": summary.report.conforms,
                                                           "quarantined": summary.quarantined},
        "outputs": {"file": args.output, "format": fmt, "quarantine": str(held) if held else None,
                    "store": args.store},
        "seconds": round(elapsed, 3),
        "articles_per_second": round(summary.articles / elapsed, 1) if elapsed > 0 else None,
    }


class _Progress:
    """A progress bar with articles per second and the time left, then each later phase with a
    spinner and its elapsed time (merging, validating, writing): on a terminal only."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                             TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=True,
                             console=Console(stderr=True))
        self._task = self._step = None

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("building", total=total, rate="- articles/s")
        self._bar.start()

    def advance(self, article) -> None:
        task = self._bar.tasks[0]
        speed = task.finished_speed or task.speed
        self._bar.update(self._task, advance=1, rate=f"{speed:,.0f} articles/s" if speed else "- articles/s")

    def phase(self, what: str) -> None:
        """A step after the articles: a line of its own whose spinner, pulsing bar and clock keep moving
        (the articles' bar is full by then and stands still)."""
        if self._task is None or what in ("building the articles", "done"):
            return
        if self._step is None:
            self._step = self._bar.add_task(what, total=None, rate="")
        else:
            self._bar.reset(self._step, description=what, total=None, rate="")

    def stop(self) -> None:
        self._bar.stop()


def _summary(summary, output, store, held: Path | None, out, unwritten: int = 0) -> None:
    from ..vocab import PREFIXES, classes

    counts = Counter(summary.types)
    # what the graph talks about, in the ontology's words: not the articles (counted above) nor the
    # Web Annotation plumbing of the evidence
    shown = [(c.name, counts[c.iri]) for c in classes().values() if counts[c.iri] and c.name != "NewsArticle"
             and not any(a.startswith(PREFIXES["oa"]) for a in c.ancestors)]
    skipped = f", {len(summary.errors)} skipped"
    kept = f", {summary.unchanged} unchanged in the store" if summary.unchanged else ""
    gone = f", {len(summary.removed)} removed from the store (file gone)" if summary.removed else ""
    lines = [f"articles:  {summary.articles} built{skipped}{kept}{gone}"]
    if shown:
        lines.append("entities:  " + ", ".join(f"{name} {n}" for name, n in shown))
    lines.append(f"triples:   {summary.triples}")
    if summary.report is None:
        lines.append("validation: not run")
    else:
        lines.append(f"validation: {'conforms' if summary.report.conforms else 'DOES NOT CONFORM'} "
                     "(shapes/kg.shacl.ttl)")
    if summary.quarantined:
        where = held or ("not written: a graph format on a stream has no place for them (-f trig or -f nq "
                         "carries them)" if unwritten else "the quarantine graphs")
        lines.append(f"quarantined: {summary.quarantined} facts that failed a consistency check -> {where} "
                     "(kg-builder validate shows why)")
    if store:
        lines.append(f"store:     {store} updated")
    if output:
        lines.append(f"written:   {'stdout' if output == '-' else output}")
    print("\n".join(lines), file=out, flush=True)
