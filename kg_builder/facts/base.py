"""What every fact module shares: the resolution of one article and the quads it maps to.

A fact module (``kg_builder.facts.places`` ...) holds, for one kind of fact, its typed
records, ``detect(doc, config)`` (mentions in the cleaned text), ``resolve(res)`` (entities
and facts of one article, written into a ``Resolution``) and ``QUADS``, the mapping of each
of its record classes to RDF. ``REQUIRES`` / ``ASSIGNS`` list the record classes it reads
and makes, as spaCy components declare theirs; ``kg_builder.facts.MODULES`` checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox

from .. import iri
from ..config import Config
from ..model import Document, Entity, Fact, Mention, Named, Sentence, Span
from ..packs import Domain
from ..vocab import KGO, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

R = TypeVar("R")
E = TypeVar("E", bound=Entity)
M = TypeVar("M", bound=Mention)


class FactModule(Protocol):
    """The shape of a module in ``kg_builder.facts``."""

    REQUIRES: tuple[type, ...]
    ASSIGNS: tuple[type, ...]
    QUADS: Mapping[type, Callable[[Any, Quads], None]]

    def detect(self, doc: Document, config: Config) -> Iterable[Mention]: ...

    def resolve(self, res: Resolution) -> None: ...


@dataclass
class Resolution:
    """One article being resolved: the mentions found, and the entities and facts made so far.

    Modules run in table order; what one module works out for later ones (the places
    the article names, who speaks in each sentence ...) is ``provide``-d as a typed record
    and read back with ``need(TheRecordClass)``.
    """

    doc: Document
    config: Config
    domain: Domain
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    named: list[tuple[Mention, Entity]] = field(default_factory=list)  # where the article names an entity
    _results: dict[type, object] = field(default_factory=dict)

    def found(self, cls: type[M]) -> list[M]:
        """The mentions of class ``cls`` in the article body, in text order."""
        return list(self.doc.found(cls))

    def sentences(self) -> list[tuple[int, int]]:
        """The body's sentences as (start, end) in the cleaned text."""
        return [(s.start, s.end) for s in self.doc.found(Sentence)]

    def add(self, entity: E) -> E:
        """Record ``entity``; the first version of an entity in an article is the one kept."""
        return self.entities.setdefault(entity.identity, entity)  # type: ignore[return-value]

    def name(self, entity: Entity, m: Mention, name_form: str | None = None) -> None:
        """The article names ``entity`` at ``m``."""
        self.facts.append(Named(spans=(self.doc.span(m.start, m.end),), entity=entity, name_form=name_form))
        self.named.append((m, entity))

    def provide(self, result: object) -> None:
        self._results[type(result)] = result

    def need(self, cls: type[R]) -> R:
        return self._results[cls]  # type: ignore[return-value]


# ---------------------------------------------------------------- RDF terms and quads

@lru_cache(maxsize=8192)  # bounded: minted IRIs are many and pass; vocabulary terms stay
def node(uri: str) -> ox.NamedNode:
    """A pyoxigraph IRI for a vocabulary term or a minted IRI."""
    return ox.NamedNode(str(uri))


class Terms:
    """A vocabulary's terms as pyoxigraph IRIs, made once each (``T.kgo.Province``); a term the
    vocabulary does not define raises, as its rdflib namespace does."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        term = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, term)
        return term


class T:
    """Our vocabulary and the ones we reuse, as pyoxigraph terms."""

    kgo, rdf, rdfs, xsd = Terms(KGO), Terms(RDF), Terms(RDFS), Terms(XSD)
    schema, org, prov, oa, skos = Terms(SCHEMA), Terms(ORG), Terms(PROV), Terms(OA), Terms(SKOS)


def entity_node(entity: Entity) -> ox.NamedNode:
    return node(entity.IRI or iri.mint(entity.KIND, entity.key))


def labelled(e: Entity, q: Quads, cls: ox.NamedNode, english: str | None = None) -> ox.NamedNode:
    """Map an entity's class and labels (Persian, and English when it has one); returns its node."""
    s = entity_node(e)
    q.add(s, T.rdf.type, cls)
    q.add(s, T.rdfs.label, fa(e.label))
    if english:
        q.add(s, T.rdfs.label, en(english))
    return s


@lru_cache(maxsize=1)
def ontology() -> tuple[ox.Triple, ...]:
    """The triples of ``ontology/kg.ttl`` (for what the graph repeats of it: labels of units, the hotline)."""
    from .. import resources_path

    return tuple(ox.parse(path=str(resources_path("ontology", "kg.ttl")), format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=64)
def label_of(term: str, lang: str = "fa") -> str:
    """The ontology's label of ``term`` in ``lang``."""
    return next(t.object.value for t in ontology() if t.subject.value == str(term)
                and t.predicate.value == str(RDFS.label) and t.object.language == lang)


def fa(text: str) -> ox.Literal:
    return ox.Literal(text, language="fa")


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def plain(text: str) -> ox.Literal:
    return ox.Literal(text)


def typed(text: str, datatype: ox.NamedNode) -> ox.Literal:
    return ox.Literal(text, datatype=datatype)


class Quads:
    """The quads of one named graph: an article's (``doc`` given), or the default graph of
    the shared entities."""

    def __init__(self, doc: Document | None = None):
        self.doc = doc
        self.article = node(iri.article(doc.source)) if doc else None
        self.graph = node(iri.graph_of(self.article.value)) if self.article else ox.DefaultGraph()
        self.items: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.items.append(ox.Quad(s, p, o, self.graph))

    def evidence(self, fact: ox.NamedNode, spans: Iterable[Span]) -> None:
        """``fact`` derives from the article and is stated at ``spans`` (W3C Web Annotation selectors)."""
        self.add(fact, T.prov.wasDerivedFrom, self.article)
        for span in spans:
            self.add(fact, T.kgo.evidence, self._span(span))

    def _span(self, span: Span) -> ox.NamedNode:
        raw = self.doc.raw
        s = iri.within(self.article.value, "span", f"{span.start}-{span.end}")
        sel = node(f"{s}/selector")
        s = node(s)
        self.add(s, T.rdf.type, T.kgo.TextSpan)
        self.add(s, T.oa.hasSource, self.article)
        self.add(s, T.oa.hasSelector, sel)
        self.add(sel, T.rdf.type, T.kgo.SpanSelector)
        self.add(sel, T.oa.start, typed(str(span.start), T.xsd.nonNegativeInteger))
        self.add(sel, T.oa.end, typed(str(span.end), T.xsd.nonNegativeInteger))
        self.add(sel, T.oa.exact, plain(span.text))
        line_start = raw.rfind("\n", 0, span.start) + 1
        line_end = raw.find("\n", span.end)
        line_end = len(raw) if line_end < 0 else line_end - (raw[line_end - 1] == "\r")
        prefix = raw[max(line_start, span.start - _CONTEXT):span.start]
        suffix = raw[span.end:min(line_end, span.end + _CONTEXT)]
        if prefix:
            self.add(sel, T.oa.prefix, plain(prefix))
        if suffix:
            self.add(sel, T.oa.suffix, plain(suffix))
        return s


_CONTEXT = 40  # characters of context kept around a quote, within its line


def named(f: Named, q: Quads) -> None:
    """A mention: the article names an entity at a span."""
    span = f.spans[0]
    s = node(iri.within(q.article.value, "mention", f"{span.start}-{span.end}-{f.entity.KIND}"))
    target = entity_node(f.entity)
    q.add(s, T.rdf.type, T.kgo.Mention)
    q.add(s, T.kgo.mentions, target)
    q.add(q.article, T.schema.mentions, target)
    if f.name_form:
        q.add(s, T.kgo.nameForm, fa(f.name_form))
    q.evidence(s, f.spans)
