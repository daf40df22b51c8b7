"""The pipeline: read → clean → mentions → resolve per article, then RDF → validate.

One bad article never stops the batch: its error is recorded and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .config import Config, load
from .errors import DuplicateSourceError, InputError, KgError, NotFoundError
from .model import Document
from .stages import clean, mentions, rdf, read, resolve, validate

STAGES: tuple[Callable[[Document, Config], Document], ...] = (clean.run, mentions.run, resolve.run)


@dataclass(frozen=True)
class BuildResult:
    graph: Graph
    documents: tuple[Document, ...]
    errors: tuple[KgError, ...]
    report: validate.Report | None
    quarantine: Graph | None = None  # facts that failed a consistency check, with why


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
          progress: Callable[[Path], None] | None = None) -> BuildResult:
    """Build the graph of all articles under ``paths``; errors per file are collected, not raised."""
    config = config or load()
    suffixes = tuple(s.strip() for s in config.get("read.suffixes").split(","))
    files, errors = expand(paths, suffixes)
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
        except Exception as e:  # a bug on one article must not lose the batch
            errors.append(KgError(f"internal error while processing ({type(e).__name__}: {e})", str(f)))
            continue
        seen[f.name] = str(f)
        docs.append(doc)
    graph = rdf.run(docs)
    check = config.bool("validate.enabled") if validate_graph is None else validate_graph
    if not (check and docs):
        return BuildResult(graph, tuple(docs), tuple(errors), None)
    graph, quarantine, report = validate.gate(graph)
    return BuildResult(graph, tuple(docs), tuple(errors), report, quarantine)
