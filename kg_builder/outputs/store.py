"""A persistent Oxigraph store holding the knowledge graph as a dataset, kept up to date article by article.

The store directory DIR holds only what queries see: each article's facts in its named graph
(``…/graph/<file>``) and, in the default graph, the shared entities merged from all the articles'
versions (``stages.rdf.Merger``). So queries take Oxigraph's union default graph (on 300 articles
``provenance.rq`` answers in under a second instead of a minute through an explicit list of graphs),
and ``oxigraph serve --location DIR`` shows the same data. What queries must not see lives in a second
store inside it, ``DIR/.kg-builder-hidden`` (RocksDB leaves a foreign subdirectory alone): each
article's quarantined facts (``…/graph/<file>/quarantine``) and its versions of the shared entities
with the path it was read from (``…/graph/<file>/entities``). A store of the older layout, with those
graphs in DIR itself, is read as it is (``visible`` lists the graphs queries see) and moved to this
layout when a build or ``remove`` opens it for writing.

Building into a store is incremental: an article whose file has the same content hash as the one
stored is not read again, a changed article's graphs are replaced, an article whose file is no
longer among the inputs is removed (``StoreSink(..., remove_missing=True)``), and the shared
entities those articles touch are merged again. The store then equals a clean build of the same
inputs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .. import iri
from ..errors import DuplicateSourceError, GraphLoadError, OutputError
from ..facts.base import T
from ..stages import read
from . import swap
from .serialize import quads

_SOURCE, _HASH, _PATH = T.kgo.sourceFile, T.kgo.contentHash, T.kgo.sourcePath
HIDDEN = (iri.QUARANTINE, iri.VERSIONS)  # suffixes of the graphs queries do not see
HIDDEN_STORE = ".kg-builder-hidden"  # the store of those graphs, inside the store directory
_BATCH = 32 << 20  # bytes of N-Quads loaded at once


def is_store(path: str | Path) -> bool:
    """True for an Oxigraph store directory: RocksDB's CURRENT file marks one."""
    return (Path(path) / "CURRENT").is_file()


def _check(p: Path, create: bool) -> None:
    error = OutputError if create else GraphLoadError
    if p.exists() and not p.is_dir():
        raise error("a file, not a store directory", str(p))
    if not create and not p.is_dir():
        raise GraphLoadError("no such store directory", str(p))
    if p.is_dir() and (any(p.iterdir()) or not create) and not is_store(p):
        # never turn a folder of the user's files into a store (RocksDB would write its files among them)
        raise error("a directory but not an Oxigraph store (kg-builder build --store DIR makes one in a new or "
                    "empty directory)", str(p))


def open_store(path: str | Path, *, create: bool = False) -> ox.Store:
    p = Path(path)
    _check(p, create)
    try:
        return ox.Store(str(p))
    except OSError as e:
        raise (OutputError if create else GraphLoadError)(f"cannot open store: {e}", str(p)) from None


def open_both(path: str | Path, *, create: bool = False) -> tuple[ox.Store, ox.Store]:
    """The store at ``path`` and the store of its hidden graphs, opened for writing; a store of the
    older layout has its hidden graphs moved out first."""
    store = open_store(path, create=create)
    try:
        hidden = ox.Store(str(Path(path) / HIDDEN_STORE))
    except OSError as e:
        raise (OutputError if create else GraphLoadError)(f"cannot open store: {e}", str(path)) from None
    old = [g for g in store.named_graphs() if g.value.endswith(HIDDEN)]
    for graph in old:  # copied before they are removed: an interruption loses nothing
        hidden.bulk_extend(store.quads_for_pattern(None, None, None, graph))
    hidden.flush()
    for graph in old:
        store.remove_graph(graph)
    return store, hidden


class Transaction:
    """A change to the store at ``path``, made in a copy of it that replaces the store in one step
    on ``commit`` (``outputs.swap``). Until then the store is as it was, for readers too, and it stays
    so after ``abort`` or whatever kills the process. The copy is a RocksDB checkpoint: files are hard
    links, no data is copied. A lock on the store directory keeps out a second writer meanwhile."""

    def __init__(self, path: str | Path, *, create: bool = False):
        self.path = Path(path)
        error = OutputError if create else GraphLoadError
        self.store = self.hidden = None
        self._lock: int | None = None
        self.work = swap.sibling(self.path, "new")
        try:
            swap.recover(self.path)
            _check(self.path, create)
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = swap.lock(self.path)
            if is_store(self.path):
                # closed before the copy is changed: a store closing writes its own files by path
                open_store(self.path).backup(str(self.work))
                if (self.path / HIDDEN_STORE).is_dir():
                    ox.Store(str(self.path / HIDDEN_STORE)).backup(str(self.work / HIDDEN_STORE))
            self.store, self.hidden = open_both(self.work, create=True)
        except swap.Busy:
            self.abort()
            raise OutputError("another kg-builder process is changing this store; try again when it is done",
                              str(path)) from None
        except OSError as e:
            self.abort()
            raise error(f"cannot open store: {e.strerror or e}", str(path)) from None
        except BaseException:
            self.abort()
            raise

    def commit(self) -> None:
        """Put the changed copy in the store's place, in one step."""
        self.store.flush()
        self.hidden.flush()
        self.store = self.hidden = None  # closed (RocksDB finishes its background work) before the rename
        try:
            old = swap.exchange(self.work, self.path)
        except OSError as e:
            self.abort()
            raise OutputError(f"cannot replace the store: {e.strerror or e}", str(self.path)) from None
        self._unlock()
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Leave the store as it was and delete the copy."""
        self.store = self.hidden = None
        shutil.rmtree(self.work, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def visible(store: ox.Store) -> list[ox.NamedNode | ox.DefaultGraph] | None:
    """The graphs a query sees: the default graph and the articles' graphs, not their quarantine
    or entity versions; None when the store holds no such graphs (then the union is the same, and
    much faster): always so for a store kg-builder wrote, which keeps them in its hidden store. Only
    a store of the older layout, or a file's dataset with quarantine graphs, gets a list."""
    names = list(store.named_graphs())
    shown = [g for g in names if not g.value.endswith(HIDDEN)]
    return None if len(shown) == len(names) else [ox.DefaultGraph(), *shown]


def stored(store: ox.Store, hidden: ox.Store) -> dict[str, tuple[str, str]]:
    """Source file name -> (content hash, path it was read from) of every article in the store."""
    out = {}
    for q in store.quads_for_pattern(None, _SOURCE, None):
        if isinstance(q.graph_name, ox.NamedNode):
            h = next(store.quads_for_pattern(q.subject, _HASH, None, q.graph_name), None)
            p = next(hidden.quads_for_pattern(q.subject, _PATH, None), None)
            out[q.object.value] = (h.object.value if h else "", p.object.value if p else "")
    return out


def _graphs(store: ox.Store, source: str) -> list[ox.NamedNode]:
    """The article graph of the article read from ``source``, its quarantine and its entity versions.
    The graph holding the source's name is the one, whatever IRI an earlier version gave the file."""
    found = next((q.graph_name for q in store.quads_for_pattern(None, _SOURCE, ox.Literal(source))
                  if isinstance(q.graph_name, ox.NamedNode)), None)
    graph = found.value if found else iri.graph_of(iri.article(source))
    return [ox.NamedNode(str(g)) for g in (graph, iri.quarantine_graph(graph), iri.versions_graph(graph))]


class StoreSink:
    """A pipeline sink that writes into a store: articles loaded in large batches, their old graphs
    replaced, the shared entities they touch merged again at the end, all in one transaction: the
    store changes only when the build is done (``close``) and never when it fails (``abort``)."""

    formats: tuple[str, ...] = ()

    def __init__(self, path: str | Path):
        self.transaction = Transaction(path, create=True)
        self.store, self.hidden = self.transaction.store, self.transaction.hidden
        self._buffer: list[bytes] = []  # the articles' graphs, for the store
        self._held: list[bytes] = []  # their quarantine and entity versions, for the hidden store
        self._size = 0
        self._touched: set[ox.NamedNode] = set()

    def skip(self, files: Sequence[Path], remove_missing: bool = False,
             roots: Sequence[Path] = ()) -> tuple[list[Path], list[str], list[DuplicateSourceError]]:
        """The files that need building (new or changed). When asked, removes the stored articles
        whose file is gone: read from under one of ``roots`` (the folders and files given to the
        build) and no longer there. A file named as a stored article read from another file that
        still exists is refused: it would replace that article. Returns (files to build, sources
        removed, files refused)."""
        known = stored(self.store, self.hidden)
        names = {f.name for f in files}
        todo, refused = [], []
        for f in files:
            digest, path = known.get(f.name, ("", ""))
            if path and isinstance(f, Path) and Path(path) != f.resolve() and Path(path).exists():
                refused.append(DuplicateSourceError(
                    f"same file name as the stored article read from {path}; rename one, or remove that one "
                    f"first (kg-builder remove {f.name} --store DIR)", str(f)))
            elif digest != read.digest(f.read_bytes()):
                todo.append(f)
        under = [Path(r).resolve() for r in roots]
        gone = sorted(s for s, (_, path) in known.items() if remove_missing and s not in names and path
                      and not Path(path).exists() and any(Path(path).is_relative_to(r) for r in under))
        for source in gone:
            self._touched |= drop(self.store, self.hidden, source)
        return todo, gone, refused

    def article(self, article) -> None:
        self._touched |= drop(self.store, self.hidden, article.source)
        graph = ox.NamedNode(str(iri.versions_graph(iri.graph_of(iri.article(article.source)))))
        versions = _in_graph(article.version_quads(), graph)
        self._touched.update(q.subject for q in versions)
        versions.append(ox.Quad(ox.NamedNode(str(iri.article(article.source))), _PATH,
                                ox.Literal(str(Path(article.path).resolve())), graph))
        held = article.held + ox.serialize(versions, format=ox.RdfFormat.N_QUADS)
        self._buffer.append(article.nquads)
        self._held.append(held)
        self._size += len(article.nquads) + len(held)
        if self._size >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._held:
            data, self._held = b"".join(self._held), []
            self.hidden.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        if self._buffer:
            data, self._buffer = b"".join(self._buffer), []
            self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        self._size = 0

    def close(self, entities=None, report=None) -> None:
        """Load what is left, merge again the shared entities the articles touched, and commit."""
        self._flush()
        remerge(self.store, self.hidden, self._touched)
        self.store = self.hidden = None
        self.transaction.commit()

    def abort(self) -> None:
        """Leave the store as it was."""
        self.store = self.hidden = None
        self.transaction.abort()


def drop(store: ox.Store, hidden: ox.Store, source: str) -> set[ox.NamedNode]:
    """Remove the graphs of the article read from ``source``; returns the shared entities it named."""
    article, *held = _graphs(store, source)
    # the visible graph first, its hidden data after (the reverse of writing them)
    if store.contains_named_graph(article):
        store.remove_graph(article)
    touched = {q.subject for q in hidden.quads_for_pattern(None, None, None, held[1]) if q.predicate != _PATH}
    for graph in held:
        if hidden.contains_named_graph(graph):
            hidden.remove_graph(graph)
    return touched


def _in_graph(quads: Iterable[ox.Quad], graph: ox.NamedNode) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def remerge(store: ox.Store, hidden: ox.Store, subjects: Iterable[ox.NamedNode]) -> list[ox.Quad]:
    """Merge again, from every article's versions in the hidden store, the shared entities ``subjects``:
    their quads in the store's default graph are replaced (removed when no article names them any more)."""
    from ..stages.rdf import Merger

    merged: list[ox.Quad] = []
    for subject in sorted(set(subjects), key=lambda s: s.value):
        merger = Merger()
        versions: dict[str, list[ox.Quad]] = {}
        for q in hidden.quads_for_pattern(subject, None, None):
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.endswith(iri.VERSIONS) \
                    and q.predicate != _PATH:
                versions.setdefault(q.graph_name.value, []).append(
                    ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
        for graph, quads_ in versions.items():
            merger.add(_source_of(store, graph), quads_)
        for q in list(store.quads_for_pattern(subject, None, None, ox.DefaultGraph())):
            store.remove(q)
        merged.extend(merger.quads())
    store.extend(merged)
    return merged


def _source_of(store: ox.Store, versions_graph: str) -> str:
    article_graph = ox.NamedNode(versions_graph.removesuffix(iri.VERSIONS))
    q = next(store.quads_for_pattern(None, _SOURCE, None, article_graph), None)
    return q.object.value if q else versions_graph


def update(path: str | Path, data: Graph | Sequence[ox.Quad], quarantine: Graph | Sequence[ox.Quad] = ()) -> int:
    """Put a graph's articles into the store at ``path``, replacing their graphs; returns quads written.

    For a graph read from a file (no entity versions known): its default graph is added to the
    store's as it is."""
    from .data import hidden as is_hidden

    found = quads(data, quarantine if isinstance(quarantine, Graph) else None) if isinstance(data, Graph) else (
        list(data) + list(quarantine))
    shown = [q for q in found if not is_hidden(q.graph_name)]
    held = [q for q in found if is_hidden(q.graph_name)]
    names = {q.graph_name for q in shown if isinstance(q.graph_name, ox.NamedNode)}
    transaction = Transaction(path, create=True)
    store, hidden = transaction.store, transaction.hidden
    for name in names:
        if store.contains_named_graph(name):
            store.remove_graph(name)
    for name in {q.graph_name for q in held} | {ox.NamedNode(str(iri.quarantine_graph(n.value))) for n in names}:
        if hidden.contains_named_graph(name):
            hidden.remove_graph(name)
    hidden.bulk_extend(held)
    store.bulk_extend(shown)
    del store, hidden
    transaction.commit()
    return len(found)


def remove(path: str | Path, sources: list[str]) -> list[str]:
    """Drop the graphs of the articles read from ``sources`` (file names) and merge again the shared
    entities they named; returns the sources removed."""
    transaction = Transaction(path)
    store, hidden = transaction.store, transaction.hidden
    removed, touched = [], set()
    for source in sources:
        name = Path(source).name
        if store.contains_named_graph(_graphs(store, name)[0]):
            removed.append(source)
        touched |= drop(store, hidden, name)
    remerge(store, hidden, touched)
    del store, hidden
    if removed:
        transaction.commit()
    else:
        transaction.abort()
    return removed
