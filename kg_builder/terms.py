"""Between the two RDF libraries: pyoxigraph (the pipeline's quads, files, stores, queries) and
rdflib (pySHACL's input, and the ``graph`` a library user may ask for)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from . import iri
from .vocab import PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term):
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The union of ``quads``' graphs as an rdflib Graph."""
    g = new_graph()
    for q in quads:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def _sort_key(t: tuple) -> tuple:
    return tuple((type(x).__name__, str(x), getattr(x, "language", None) or "", str(getattr(x, "datatype", "") or ""))
                 for x in t)


def from_graph(graph: Graph, quarantine: bool = False) -> list[ox.Quad]:
    """An rdflib graph as sorted quads: each node minted within an article in that article's named
    graph (its quarantine graph when ``quarantine``), shared entities in the default graph."""
    out = []
    for t in sorted(graph, key=_sort_key):
        name = iri.graph_of(t[0])
        if quarantine and name is not None:
            name = iri.quarantine_graph(name)
        out.append(ox.Quad(*map(to_ox, t), ox.NamedNode(str(name)) if name else ox.DefaultGraph()))
    return out
