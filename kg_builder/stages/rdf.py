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
from ..facts.base import Quads, T, fa
from ..model import Document, Entity


def article_quads(doc: Document) -> list[ox.Quad]:
    """The quads of one resolved article's named graph, grouped by subject, without repeats."""
    q = Quads(doc)
    to_quads(doc.metadata, q)
    for fact in doc.facts:
        to_quads(fact, q)
    return _grouped(q.items)


_TITLE, _ALT_LABEL = T.schema.honorificPrefix, T.skos.altLabel


class Merger:
    """Merges the versions of the shared entities that articles bring, one article at a time.

    A version is an entity's quads as one article makes them (default graph); versions of one
    entity differ only in how the article writes its name and in the person's titles. The merged
    entity takes the label most articles use (ties: the smallest), so the graph does not depend
    on the order of the input, from the version of the first article (by source name) that uses
    it; the other labels become skos:altLabel, and titles are all kept. Memory holds, per
    entity, its label counts and one version per label, never the articles.
    """

    def __init__(self) -> None:
        self._labels: dict[ox.NamedNode, Counter[str]] = {}
        self._base: dict[tuple[ox.NamedNode, str], tuple[str, list[ox.Quad]]] = {}
        self._titles: dict[ox.NamedNode, set[ox.Literal]] = {}

    def add(self, source: str, versions: Iterable[ox.Quad]) -> None:
        """Take the entity versions (quads) of the article read from ``source``."""
        by_subject: dict[ox.NamedNode, list[ox.Quad]] = {}
        for q in versions:
            by_subject.setdefault(q.subject, []).append(q)
        for subject, quads in by_subject.items():
            label = next((q.object.value for q in quads if q.predicate == T.rdfs.label
                          and q.object.language == "fa"), "")
            self._labels.setdefault(subject, Counter())[label] += 1
            known = self._base.get((subject, label))
            if known is None or source < known[0]:
                self._base[(subject, label)] = (source, [q for q in quads if q.predicate != _TITLE])
            self._titles.setdefault(subject, set()).update(q.object for q in quads if q.predicate == _TITLE)

    def quads(self) -> list[ox.Quad]:
        """The merged entities' quads, entity by entity in IRI order."""
        out: list[ox.Quad] = []
        for subject in sorted(self._labels, key=lambda s: s.value):
            counts = self._labels[subject]
            label = min(counts, key=lambda x: (-counts[x], x))
            out.extend(self._base[(subject, label)][1])
            titles = sorted(self._titles[subject], key=lambda t: t.value)
            out.extend(ox.Quad(subject, _TITLE, t, ox.DefaultGraph()) for t in titles)
            out.extend(ox.Quad(subject, _ALT_LABEL, fa(alt), ox.DefaultGraph()) for alt in sorted(set(counts) - {label}))
        return out


def entity_quads(entities: Iterable[Entity]) -> list[ox.Quad]:
    """The quads of entities (one article's versions of them), in the default graph."""
    q = Quads()
    for e in entities:
        to_quads(e, q)
    return list(dict.fromkeys(q.items))


def run(docs: Iterable[Document]) -> list[ox.Quad]:
    """All quads of the resolved ``docs``: each article's graph, then the shared entities merged."""
    merger, out = Merger(), []
    for doc in docs:
        out.extend(article_quads(doc))
        merger.add(doc.source, entity_quads(doc.entities))
    return out + merger.quads()


def _grouped(items: list[ox.Quad]) -> list[ox.Quad]:
    unique = list(dict.fromkeys(items))
    order = {s: i for i, s in enumerate(dict.fromkeys(q.subject for q in unique))}
    return sorted(unique, key=lambda q: order[q.subject])
