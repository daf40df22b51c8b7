"""The pipeline: read → clean → mentions → resolve per article, then RDF → validate.

    read      stages/read.py      a file becomes a Document (decoded text, nothing lost)
    clean     stages/clean.py     normalised text with an exact offset map, the article body
    mentions  stages/mentions.py  every fact module's detector (facts/*.detect)
    resolve   stages/resolve.py   every fact module's resolver, in table order (facts/*.resolve)
    rdf       stages/rdf.py       each article's quads, then the shared entities merged (facts/*.QUADS)
    validate  stages/validate.py  SHACL; facts failing a consistency check go to quarantine

One bad input file never stops the batch: its error is recorded and the rest go on. A
bug in kg-builder raises, unless ``keep_going`` asks to record it and go on too.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import packs
from .config import Config, load
from .errors import DuplicateSourceError, InputError, InternalError, KgError, NotFoundError
from .model import Document
from .stages import clean, mentions, rdf, read, resolve, validate

STAGES: tuple[Callable[[Document, Config], Document], ...] = (clean.run, mentions.run, resolve.run)


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the quads of the graph (each article's named graph, shared entities in
    the default graph), the quarantined facts, the documents, the inputs skipped and the report."""

    quads: tuple[ox.Quad, ...]
    documents: tuple[Document, ...]
    errors: tuple[KgError, ...]
    report: validate.Report | None
    quarantine: tuple[ox.Quad, ...] = ()  # facts that failed a consistency check, with why

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


def expand(paths: Iterable[str | Path], suffixes: tuple[str, ...] = (".txt",)) -> tuple[list[Path], list[KgError]]:
    """Files named and the article files inside directories named, in a stable order."""
    files, errors = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in suffixes)
            if not found:
                errors.append(NotFoundError(f"directory holds no {'/'.join(suffixes)} files", str(p)))
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append(NotFoundError("no such file or directory", str(p)))
    return files, errors


def process(path: str | Path, config: Config) -> Document:
    """One article through the per-document stages."""
    doc = read.run(path, config)
    for stage in STAGES:
        doc = stage(doc, config)
    return doc


def build(paths: Iterable[str | Path], config: Config | None = None, *, validate_graph: bool | None = None,
          progress: Callable[[Path], None] | None = None, keep_going: bool = False) -> BuildResult:
    """Build the graph of all articles under ``paths``; unusable inputs are collected, not raised.

    ``keep_going`` records a bug met on one article as an ``InternalError`` and goes on with
    the others (the command line does this); by default the bug raises with its traceback.
    """
    config = config or load()
    packs.load(config.domain.packs)  # a bad pack is an error before any article is read
    files, errors = expand(paths, config.read.suffixes)
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for f in files:
        if progress:
            progress(f)
        try:
            if f.name in seen:
                raise DuplicateSourceError(f"same file name as {seen[f.name]}; source names must be unique", str(f))
            doc = process(f, config)
        except InputError as e:
            errors.append(e)
            continue
        except KgError:
            raise  # an option or a pack is wrong: every article would fail the same way
        except Exception as e:
            if not keep_going:
                e.add_note(f"kg-builder: while processing {f}")
                raise
            where = traceback.extract_tb(e.__traceback__)[-1]
            errors.append(InternalError(f"internal error ({type(e).__name__}: {e} at {Path(where.filename).name}:"
                                        f"{where.lineno}); please report it with this file", str(f)))
            continue
        seen[f.name] = str(f)
        docs.append(doc)
    quads = rdf.run(docs)
    check = config.validate.enabled if validate_graph is None else validate_graph
    if not (check and docs):
        return BuildResult(tuple(quads), tuple(docs), tuple(errors), None)
    kept, held, report = validate.gate(quads)
    return BuildResult(tuple(kept), tuple(docs), tuple(errors), report, tuple(held))
