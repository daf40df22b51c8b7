"""SPARQL SELECT queries of SHACL-AF targets, evaluated over the SHACL engine's index.

A target query is parsed once by rdflib's SPARQL parser; its algebra may hold basic graph
patterns, ``FILTER`` with ``EXISTS``/``NOT EXISTS`` (of basic graph patterns) joined by ``&&`` and
``||``, and the projection of one variable. Anything else raises ``UnsupportedShapeError``.
Evaluation joins the triple patterns most-bound first, with the index's lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .shacl import RDF_TYPE, Data, UnsupportedShapeError


class _Var(str):
    """A query variable (by name)."""


def _term(t):
    from rdflib import BNode, Literal, URIRef, Variable

    from ..terms import to_ox

    if isinstance(t, Variable):
        return _Var(str(t))
    if isinstance(t, (URIRef, Literal)):
        return to_ox(t)
    if isinstance(t, BNode):  # a blank node in a query pattern acts as a variable
        return _Var("_:" + str(t))
    raise UnsupportedShapeError(f"SPARQL target: property paths and {type(t).__name__} are not supported")


def _bgp(node) -> list[tuple]:
    name = node.name
    if name == "BGP":
        return [tuple(_term(x) for x in t) for t in node.triples]
    if name == "Join":  # of basic graph patterns: their conjunction
        return _bgp(node.p1) + _bgp(node.p2)
    if name == "GroupGraphPatternSub":
        out = []
        for part in node.part:
            if part.name != "TriplesBlock":
                raise UnsupportedShapeError(f"SPARQL target: {part.name} inside EXISTS is not supported")
            out.extend(tuple(_term(x) for x in t) for t in part.triples)
        return out
    raise UnsupportedShapeError(f"SPARQL target: {name} is not supported (basic graph patterns are)")


def _condition(expr) -> Callable[[Data, dict], bool]:
    name = getattr(expr, "name", None)
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        patterns, negate = _bgp(expr.graph), name == "Builtin_NOTEXISTS"

        def exists(data: Data, binding: dict) -> bool:
            found = next(_solutions(data, patterns, binding), None) is not None
            return not found if negate else found
        return exists
    if name in ("ConditionalAndExpression", "ConditionalOrExpression"):
        parts = [_condition(expr.expr)] + [_condition(x) for x in expr.other or ()]
        if name == "ConditionalAndExpression":
            return lambda data, b: all(p(data, b) for p in parts)
        return lambda data, b: any(p(data, b) for p in parts)
    raise UnsupportedShapeError(f"SPARQL target: FILTER {name or type(expr).__name__} is not supported "
                                "(EXISTS, NOT EXISTS, && and || are)")


def compile_select(text: str, prefixes: dict[str, str], var: str) -> Callable[[Data], Iterable]:
    """A function of the data giving the distinct values of ``?var`` the query selects."""
    from rdflib.plugins.sparql import prepareQuery

    query = prepareQuery(text, initNs=prefixes)
    algebra = query.algebra
    if algebra.name != "SelectQuery" or algebra.p.name != "Project":
        raise UnsupportedShapeError("SPARQL target: a plain SELECT is expected")
    if [str(v) for v in algebra.PV] != [var]:
        raise UnsupportedShapeError(f"SPARQL target: SELECT ?{var} alone is expected")
    node = algebra.p.p
    conditions = []
    while node.name == "Filter":
        conditions.append(_condition(node.expr))
        node = node.p
    patterns = _bgp(node)

    def select(data: Data) -> dict:
        out: dict = {}
        for b in _solutions(data, patterns, {}):
            if all(c(data, b) for c in conditions):
                out[b[var]] = None
        return out
    return select


def _bound(x, binding: dict):
    if isinstance(x, _Var):
        return binding.get(x)
    return x


def _solutions(data: Data, patterns: list[tuple], binding: dict):
    """Every extension of ``binding`` matching all ``patterns`` (most-bound pattern first)."""
    if not patterns:
        yield binding
        return
    best, best_score = 0, -1
    for i, (s, p, o) in enumerate(patterns):
        score = (2 if _bound(s, binding) is not None else 0) + (1 if _bound(o, binding) is not None else 0)
        if score > best_score:
            best, best_score = i, score
    s, p, o = patterns[best]
    rest = patterns[:best] + patterns[best + 1:]
    bs, bp, bo = _bound(s, binding), _bound(p, binding), _bound(o, binding)
    if bp is None:
        raise UnsupportedShapeError("SPARQL target: a variable predicate is not supported")
    if bs is not None:
        objects = data.objects(bs, bp)
        candidates = ((bs, x) for x in objects) if bo is None else (((bs, bo),) if bo in objects else ())
    elif bo is not None:
        subjects = data.by_type.get(bo, ()) if bp == RDF_TYPE else data.subjects(bp, bo)
        candidates = ((x, bo) for x in subjects)
    else:
        candidates = ((x, y) for y, xs in data.pos(bp).items() for x in xs)
    for cs, co in candidates:
        b = binding
        if bs is None or bo is None:
            b = dict(binding)
            if bs is None:
                b[s] = cs
            if bo is None:
                if isinstance(o, _Var) and o in b and b[o] != co:  # ?x p ?x
                    continue
                b[o] = co
        yield from _solutions(data, rest, b)
