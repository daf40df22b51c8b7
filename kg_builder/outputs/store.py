"""A persistent Oxigraph store holding the knowledge graph as a dataset.

Each article's facts sit in the article's named graph (and its quarantine graph), shared
entities in the default graph. Building into an existing store replaces the graphs of
the articles built and leaves the others alone; removing an article drops its graphs.
Queries see the union of all graphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .. import iri
from ..errors import GraphLoadError, OutputError
from .serialize import quads


def open_store(path: str | Path, *, create: bool = False) -> ox.Store:
    p = Path(path)
    if not create and not p.is_dir():
        raise GraphLoadError("no such store directory", str(p))
    try:
        return ox.Store(str(p))
    except OSError as e:
        raise (OutputError if create else GraphLoadError)(f"cannot open store: {e}", str(p)) from None


def update(path: str | Path, data: Graph | Sequence[ox.Quad], quarantine: Graph | Sequence[ox.Quad] = ()) -> int:
    """Replace, in the store at ``path``, the graphs of the articles in ``data``; returns quads written."""
    found = quads(data, quarantine if isinstance(quarantine, Graph) else None) if isinstance(data, Graph) else (
        list(data) + list(quarantine))
    names = {q.graph_name for q in found if isinstance(q.graph_name, ox.NamedNode)}
    names |= {ox.NamedNode(str(iri.quarantine_graph(n.value))) for n in list(names)}
    store = open_store(path, create=True)
    for name in names:
        if store.contains_named_graph(name):
            store.remove_graph(name)
    store.bulk_extend(found)
    store.flush()
    return len(found)


def remove(path: str | Path, sources: list[str]) -> list[str]:
    """Drop the named graphs of the articles read from ``sources`` (file names); returns those removed."""
    store = open_store(path)
    removed = []
    for source in sources:
        graph = iri.graph_of(iri.article(Path(source).name))
        for name in (graph, iri.quarantine_graph(graph)):
            node = ox.NamedNode(str(name))
            if store.contains_named_graph(node):
                store.remove_graph(node)
                if name == graph:
                    removed.append(source)
    store.flush()
    return removed
