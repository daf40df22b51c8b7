"""RDF stage: resolved documents become quads (pyoxigraph terms) in our vocabulary.

Each article maps on its own to the quads of its named graph: its metadata, and every
fact with ``prov:wasDerivedFrom`` the article and ``kgo:evidence`` text spans (W3C Web
Annotation selectors whose offsets index the raw file text). Shared entities (people,
places, bodies, programmes ...) are merged across articles by key and map to the default
graph. Records map by their class (``facts.to_quads``); IRIs come from ``iri``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from ..facts import to_quads
from ..facts.base import Quads, entity_node, fa, node
from ..model import Document, Entity
from ..vocab import SKOS


def article_quads(doc: Document) -> list[ox.Quad]:
    """The quads of one resolved article's named graph, grouped by subject, without repeats."""
    q = Quads(doc)
    to_quads(doc.metadata, q)
    for fact in doc.facts:
        to_quads(fact, q)
    return _grouped(q.items)


def merge(versions: Iterable[Entity]) -> list[Entity]:
    """One entity per class and key across all articles, in key order. Its label is the form most
    articles use (ties: the smallest), so the graph does not depend on the order of the input;
    the other forms become alternative labels."""
    seen: dict[tuple[str, str], list[Entity]] = {}
    for e in versions:
        seen.setdefault(e.identity, []).append(e)
    merged = []
    for identity in sorted(seen):
        group = seen[identity]
        counts = Counter(v.label for v in group)
        label = min(counts, key=lambda x: (-counts[x], x))
        base = next(v for v in group if v.label == label)
        merged.append(base.merged(group, label, tuple(sorted(set(counts) - {label}))))
    return merged


def entity_quads(entities: Iterable[Entity]) -> list[ox.Quad]:
    """The quads of merged entities, in the default graph."""
    q = Quads()
    for e in entities:
        to_quads(e, q)
        for alt in e.alt_labels:
            q.add(entity_node(e), node(SKOS.altLabel), fa(alt))
    return list(dict.fromkeys(q.items))


def run(docs: Iterable[Document]) -> list[ox.Quad]:
    """All quads of the resolved ``docs``: the shared entities, then each article's graph."""
    docs = list(docs)
    out = entity_quads(merge(e for doc in docs for e in doc.entities))
    for doc in docs:
        out.extend(article_quads(doc))
    return out


def _grouped(items: list[ox.Quad]) -> list[ox.Quad]:
    unique = list(dict.fromkeys(items))
    order = {s: i for i, s in enumerate(dict.fromkeys(q.subject for q in unique))}
    return sorted(unique, key=lambda q: order[q.subject])
