"""The pipeline: each article on its own through read → clean → mentions → resolve → rdf → validate,
then the shared entities merged once.

    read      stages/read.py      a file becomes a Document (decoded text, nothing lost, its hash)
    clean     stages/clean.py     normalised text with an exact offset map, the article body
    mentions  stages/mentions.py  every fact module's detector (facts/*.detect)
    resolve   stages/resolve.py   every fact module's resolver, in table order (facts/*.resolve)
    rdf       stages/rdf.py       the article's quads (facts/*.QUADS); its versions of the shared entities
    validate  stages/validate.py  SHACL on the article with its entities; failing facts to quarantine

``extract`` does all that for one file and returns a small, picklable ``Article``: the work a
process pool (``engines``) or a Spark cluster runs. ``run`` streams articles through an engine in
input order into a sink (a file written as the articles come, a store, or memory), merging the
shared entities by key as it goes, so memory holds the entities, never the articles. ``build``
is the same in memory, for a library user.

One bad input file never stops the batch: its error is recorded and the rest go on. A bug in
kg-builder raises, unless ``keep_going`` asks to record it and go on too.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph

from . import iri, packs
from .config import Config, load
from .errors import (
    DecodeError,
    DuplicateSourceError,
    InputError,
    InternalError,
    KgError,
    NotArticleError,
    NotFoundError,
    OutsideLinkError,
)
from .facts.base import T
from .model import Document, Origin
from .outputs.serialize import chunk
from .stages import clean, mentions, rdf, read, resolve, validate

STAGES: tuple[Callable[[Document, Config], Document], ...] = (clean.run, mentions.run, resolve.run)


def process(path: str | Path, config: Config, data: bytes | None = None) -> Document:
    """One article through the per-document stages (``data``: the file's bytes, when already read)."""
    if data is not None:
        read.check_size(len(data), path, config)
    doc = read.run(path, config) if data is None else read.decode(data, path, config)
    for stage in STAGES:
        doc = stage(doc, config)
    return doc


@dataclass(frozen=True)
class Given:
    """An article given as bytes rather than as a file (``kg-builder build -`` reads it from stdin):
    ``name`` stands for the file name (the article's source and IRI)."""

    name: str
    data: bytes

    def read_bytes(self) -> bytes:
        return self.data

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- one article: the unit of work

@dataclass(frozen=True)
class Job:
    """What a worker needs to know besides the file: small and picklable. ``formats`` are the file
    formats the sinks write (the worker serialises its article in each, so the writer only copies)."""

    config: Config
    validate: bool = True
    keep_going: bool = False
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """One input's outcome, as a worker returns it: its quads as N-Quads bytes (its named graph and
    its quarantine graph), its versions of the shared entities, and its validation report."""

    path: str
    source: str
    digest: str = ""
    nquads: bytes = b""
    held: bytes = b""  # the quarantine graph, N-Quads
    chunks: tuple[tuple[str, bytes, bytes], ...] = ()  # (format, the article, its quarantine) as a file holds them
    versions: bytes = b""  # its versions of the shared entities (default graph), N-Quads
    report: validate.Report | None = None
    types: tuple[tuple[str, int], ...] = ()  # class IRI -> nodes of the article's graph
    triples: int = 0
    quarantined: int = 0
    error: KgError | None = None
    origin: Origin = field(default_factory=Origin)  # how its text came out of the file (encoding, HTML)

    def chunk(self, fmt: str) -> tuple[bytes, bytes]:
        return next((a, h) for f, a, h in self.chunks if f == fmt)

    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS)) if self.nquads else []

    def held_quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.held, format=ox.RdfFormat.N_QUADS)) if self.held else []

    def version_quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.versions, format=ox.RdfFormat.N_QUADS)) if self.versions else []


def extract(path: str | Path | Given, job: Job, data: bytes | None = None) -> Article:
    """Read, extract, map and validate one article file (``data``: its bytes, when already read)."""
    if isinstance(path, Given):
        path, data = path.name, path.data
    p = Path(path)
    try:
        return _extract(process(p, job.config, data), job)
    except InputError as e:
        return Article(str(p), p.name, error=e)
    except KgError:
        raise  # an option or a pack is wrong: every article would fail the same way
    except Exception as e:  # mapping and validating too: a bug met on one article is that article's error
        if not job.keep_going:
            e.add_note(f"kg-builder: while processing {p}")
            raise
        where = traceback.extract_tb(e.__traceback__)[-1]
        return Article(str(p), p.name, error=InternalError(
            f"internal error ({type(e).__name__}: {e} at {Path(where.filename).name}:{where.lineno}); "
            "please report it with this file", str(p)))


def _extract(doc: Document, job: Job) -> Article:
    """The article of a processed document: its quads mapped, validated and serialised."""
    p = Path(doc.path)
    quads = rdf.article_quads(doc)
    versions = rdf.entity_quads(doc.entities)
    held: list[ox.Quad] = []
    report = None
    if job.validate:
        kept, held, report = validate.gate(quads + versions)
        quads = [q for q in kept if not isinstance(q.graph_name, ox.DefaultGraph)]
    types = Counter(q.object.value for q in quads if q.predicate == T.rdf.type)
    records = sum(1 for q in held if q.predicate == T.rdf.type and q.object == T.kgo.QuarantineRecord)
    nquads, held_nquads = chunk(quads, "nq"), chunk(held, "nq")
    chunks = tuple((f, nquads, held_nquads) if f == "nq" else (f, chunk(quads, f), chunk(held, f))
                   for f in job.formats)
    return Article(str(p), p.name, doc.digest, nquads, held_nquads, chunks, chunk(versions, "nq"), report,
                   tuple(sorted(types.items())), len(quads), records, origin=doc.origin)


# ---------------------------------------------------------------- many articles

class Engine(Protocol):
    """Runs ``extract`` over the files and yields the articles in the files' order."""

    def map(self, files: Sequence[Path], job: Job) -> Iterator[Article]: ...


class Sink(Protocol):
    """Where a run's graph goes, article by article; ``close`` gets the merged shared entities.
    ``formats`` are the file formats it wants each article serialised in by the workers."""

    formats: tuple[str, ...]

    def article(self, article: Article) -> None: ...

    def close(self, entities: list[ox.Quad], report: validate.Report | None) -> None: ...


@dataclass
class Summary:
    """What a run made: counts, inputs skipped, and the validation report."""

    articles: int = 0
    errors: list[KgError] = field(default_factory=list)
    report: validate.Report | None = None
    quarantined: int = 0
    types: Counter = field(default_factory=Counter)  # class IRI -> nodes
    triples: int = 0
    unchanged: int = 0  # articles a store holds already, not read again
    removed: list[str] = field(default_factory=list)  # articles a store dropped: their file is gone
    passed_over: list[Path] = field(default_factory=list)  # files in the directories given that match no pattern
    read_as: list[tuple[str, Origin]] = field(default_factory=list)  # articles that were not UTF-8 text: how read


# Suffixes that say a file is not an article kg-builder reads (plain text, or an HTML page through its text
# extractor): refused by name when a file is named directly (read as text, JSON would become facts made of
# markup) rather than read silently.
NOT_TEXT = frozenset(
    ".json .jsonl .ndjson .jsonld .xml .pdf .doc .docx .odt .rtf .epub .ttl .trig .nt .nq .rdf "
    ".owl .csv .tsv .xls .xlsx .gz .bz2 .xz .zst .zip .tar .7z .rar .png .jpg .jpeg .gif .webp .mp3 .mp4".split())


@dataclass
class Selection:
    """What the inputs named come to: the article files in a stable order, the inputs that cannot
    be used (with why), and the files inside directories passed over because no pattern matches."""

    files: list[Path | Given] = field(default_factory=list)
    errors: list[KgError] = field(default_factory=list)
    passed_over: list[Path] = field(default_factory=list)


def expand(paths: Iterable[str | Path | Given], include: Sequence[str] = ("*.txt",),
           exclude: Sequence[str] = (), follow_links: bool = False) -> Selection:
    """The files named and the files inside the directories named that match ``include`` and no
    ``exclude`` pattern (matched on the path below the directory, or on the name). A link inside a
    directory that points out of it is read only when ``follow_links``."""
    out = Selection()
    for given in paths:
        if isinstance(given, Given):
            if _undecodable(given.name):
                out.errors.append(_name_error(Path(given.name)))
            else:
                out.files.append(given)
            continue
        p = Path(given)
        if not p.is_dir() and _undecodable(p.name):
            out.errors.append(_name_error(p))
        elif p.is_dir():
            root = p.resolve()
            found = []
            for f in sorted(p.rglob("*")):
                if f.is_dir():
                    continue
                below = f.relative_to(p)
                if _matches(below, include) and not _matches(below, exclude, folders=True):
                    if f.is_symlink() and not follow_links and not f.resolve().is_relative_to(root):
                        out.errors.append(OutsideLinkError(f"a link out of {p} (to {f.resolve()}): not followed "
                                                           "(--set read.follow_links=true reads it)", str(f)))
                    elif _undecodable(f.name):
                        out.errors.append(_name_error(f))
                    elif f.is_file():
                        found.append(f)
                    elif not f.exists():
                        out.errors.append(NotFoundError("a broken symbolic link", str(f)))
                    else:  # a FIFO or a device where an article should be: said, never read
                        out.errors.append(read.special(f))
                else:
                    out.passed_over.append(f)
            if not found:
                out.errors.append(NotFoundError(f"directory holds no article files ({', '.join(include)})", str(p)))
            out.files.extend(found)
        elif p.exists() and not p.is_file():  # a FIFO or a device would block the batch or never end
            out.errors.append(read.special(p))
        elif p.suffix.lower() in NOT_TEXT and p.exists():
            out.errors.append(NotArticleError(f"a {p.suffix.lower()} file, not a plain-text article (kg-builder reads "
                                              "text files and HTML pages; convert it, or rename it if it is text)",
                                              str(p)))
        elif p.exists():
            out.files.append(p)
        else:
            out.errors.append(NotFoundError("no such file or directory", str(p)))
    return out


def _undecodable(name: str) -> bool:
    """True for a file name that is not UTF-8: the system gives its bytes as lone surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _name_error(path: Path) -> DecodeError:
    # an article is known by its file name (its source, its IRI), and every output is UTF-8
    return DecodeError("the file name is not UTF-8, and an article is known by its file name: rename the "
                       "file", str(path))


def _matches(below: Path, patterns: Sequence[str], folders: bool = False) -> bool:
    """True when a pattern matches the path below a directory (from the right, so ``*.txt`` matches any
    name and ``drafts/*`` the files of any drafts folder), or, with ``folders``, names a folder on it
    (an exclude pattern ``drafts`` leaves out all of it)."""
    return any(below.match(g) or (folders and any(fnmatch(part, g) for part in below.parts[:-1])) for g in patterns)


def unique(files: list[Path | Given]) -> tuple[list[Path | Given], list[KgError]]:
    """The files that make distinct articles: an article's IRI is made from its file name, so a second
    file of the same name (or, very rarely, of the same name hash) is refused, naming the first."""
    seen: dict[str, Path | Given] = {}
    kept, errors = [], []
    for f in files:
        key = iri.article(f.name)
        if key in seen:
            same = seen[key].name == f.name
            errors.append(DuplicateSourceError(
                f"same file name as {seen[key]}; source names must be unique" if same else
                f"same article IRI as {seen[key]} (their names hash alike); rename one", str(f)))
        else:
            seen[key] = f
            kept.append(f)
    return kept, errors


def run(paths: Iterable[str | Path | Given], sink: Sink, config: Config | None = None, *,
        engine: Engine | None = None, validate_graph: bool | None = None, keep_going: bool = False,
        progress: Callable[[Article], None] | None = None, remove_missing: bool = True,
        started: Callable[[int], None] | None = None, phase: Callable[[str], None] | None = None) -> Summary:
    """Stream the articles under ``paths`` through ``engine`` (one process by default) into ``sink``.

    A sink that keeps articles between runs (a store) may ``skip`` the files it holds unchanged,
    and remove the articles whose file is gone when ``remove_missing``. ``started`` is told how
    many files will be built; ``progress`` gets each article as it is done; ``phase`` is told what
    the run does next when it is not building articles (finding files, merging, writing)."""
    from .engines import Local

    config = config or load()
    phase = phase or (lambda what: None)
    packs.load(config.domain.packs)  # a bad pack is an error before any article is read
    paths = list(paths)
    phase("finding the articles")
    selected = expand(paths, config.read.include, config.read.exclude, config.read.follow_links)
    files, duplicates = unique(selected.files)
    summary = Summary(errors=selected.errors + duplicates, passed_over=selected.passed_over)
    skip = getattr(sink, "skip", None)
    if skip is not None:
        phase("comparing the articles with the store")
        todo, summary.removed, refused = skip(files, remove_missing, [Path(p) for p in paths])
        summary.errors += refused
        summary.unchanged = len(files) - len(todo) - len(refused)
        files = todo
    phase("building the articles")
    if started:
        started(len(files))
    check = config.validate.enabled if validate_graph is None else validate_graph
    job = Job(config, check, keep_going, sink.formats)
    merger = rdf.Merger()
    reports = validate.Combined()
    for article in (engine or Local()).map(files, job):
        if progress:
            progress(article)
        if article.error:
            summary.errors.append(article.error)
            continue
        summary.articles += 1
        if not article.origin.plain:
            summary.read_as.append((article.path, article.origin))
        merger.add(article.source, article.version_quads())
        if article.report is not None:
            reports.add(article.report)
        summary.triples += article.triples
        summary.types.update(dict(article.types))
        summary.quarantined += article.quarantined
        sink.article(article)
    phase("merging the shared entities")
    entities = merger.quads()
    if check and summary.articles:
        phase("validating the shared entities")
        reports.add(validate.gate(entities)[2])
        summary.report = reports.report()
    summary.triples += len(entities)
    summary.types.update(q.object.value for q in entities if q.predicate == T.rdf.type)
    summary.errors.sort(key=lambda e: (e.path or "", e.message))
    if summary.articles or summary.removed or not hasattr(sink, "abort"):
        phase("writing")
        sink.close(entities, summary.report)
    else:
        sink.abort()  # nothing could be read: the outputs stay as they were
    return summary


# ---------------------------------------------------------------- in memory

class Tee:
    """Several sinks fed the same articles (a file and a store)."""

    def __init__(self, *sinks: Sink):
        self.sinks = sinks
        self.formats = tuple(dict.fromkeys(f for s in sinks for f in s.formats))

    def skip(self, files: Sequence[Path], remove_missing: bool,
             roots: Sequence[Path]) -> tuple[list[Path], list[str], list[KgError]]:
        """A file needs every article: a store beside it only drops the articles whose file is gone, and
        refuses a file that would replace another file's article."""
        removed: list[str] = []
        refused: list[KgError] = []
        for s in self.sinks:
            if hasattr(s, "skip"):
                _, removed, refused = s.skip(files, remove_missing, roots)
        named = {e.path for e in refused}
        return [f for f in files if str(f) not in named], removed, refused

    def article(self, article: Article) -> None:
        for s in self.sinks:
            s.article(article)

    def close(self, entities: list[ox.Quad], report: validate.Report | None) -> None:
        for s in self.sinks:
            s.close(entities, report)

    def abort(self) -> None:
        for s in self.sinks:
            if hasattr(s, "abort"):
                s.abort()


class Memory:
    """A sink that keeps the quads, for ``build``."""

    formats: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.held: list[ox.Quad] = []

    def article(self, article: Article) -> None:
        self.quads.extend(article.quads())
        self.held.extend(article.held_quads())

    def close(self, entities: list[ox.Quad], report: validate.Report | None) -> None:
        self.quads.extend(entities)


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the quads of the graph (each article's named graph, shared entities in
    the default graph), the quarantined facts, the inputs skipped and the report."""

    quads: tuple[ox.Quad, ...]
    errors: tuple[KgError, ...]
    report: validate.Report | None
    quarantine: tuple[ox.Quad, ...] = ()  # facts that failed a consistency check, with why
    articles: int = 0
    read_as: tuple[tuple[str, Origin], ...] = ()  # the articles that were not UTF-8 text, and how they were read

    @cached_property
    def graph(self) -> Graph:
        """The graph (all articles, quarantine apart) as an rdflib Graph."""
        from .terms import to_graph

        return to_graph(self.quads)

    @cached_property
    def quarantine_graph(self) -> Graph:
        from .terms import to_graph

        return to_graph(self.quarantine)

    def write(self, path: str | Path, fmt: str | None = None) -> Path | None:
        """Write the graph to ``path``; returns the quarantine file written beside it, if any."""
        from .outputs.serialize import write

        return write(self.quads, path, fmt, self.quarantine)


def build(paths: Iterable[str | Path], config: Config | None = None, *, validate_graph: bool | None = None,
          progress: Callable[[Article], None] | None = None, keep_going: bool = False,
          engine: Engine | None = None) -> BuildResult:
    """Build the graph of all articles under ``paths`` in memory; unusable inputs are collected, not raised.

    ``keep_going`` records a bug met on one article as an ``InternalError`` and goes on with
    the others (the command line does this); by default the bug raises with its traceback.
    """
    sink = Memory()
    summary = run(paths, sink, config, engine=engine, validate_graph=validate_graph, keep_going=keep_going,
                  progress=progress)
    return BuildResult(tuple(sink.quads), tuple(summary.errors), summary.report, tuple(sink.held),
                       summary.articles, tuple(summary.read_as))
