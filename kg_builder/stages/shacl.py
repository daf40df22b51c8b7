"""A SHACL engine over pyoxigraph terms, for exactly the constructs ``shapes/kg.shacl.ttl`` uses.

pySHACL costs ~0.1 ms per triple plus a large fixed cost per call; an article is validated in
a worker process, on its own, in about a millisecond (benchmarks/validation.py). The shapes file stays the one
source of the constraints: ``Engine`` reads it (and the ontology, for the class hierarchy) and
compiles every shape into small closures; nothing about our shapes is written in Python.

What it reads, with pySHACL 0.40's semantics (``tests/stages/test_shacl_engine.py`` runs both on
every article and on each deliberately broken graph and asserts the same report):

- targets: ``sh:targetClass`` (instances of the class and of its subclasses, through
  ``rdfs:subClassOf`` in the ontology and the data), ``sh:targetNode``, ``sh:targetSubjectsOf``,
  ``sh:targetObjectsOf``, and SHACL-AF ``sh:SPARQLTarget`` (``sh:select`` with ``sh:prefixes``/
  ``sh:declare``), whose query may use basic graph patterns and ``FILTER [NOT] EXISTS`` joined
  with ``&&``/``||``: they are evaluated here, over the same index;
- paths: a predicate, a sequence, ``sh:inversePath``, ``sh:alternativePath``;
- constraints: ``sh:property``, ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` (with the
  ill-typed-literal rule, as rdflib decides it), ``sh:nodeKind``, ``sh:class``, ``sh:pattern``
  (``sh:flags``), ``sh:minLength``, ``sh:maxLength``, ``sh:languageIn``, ``sh:uniqueLang``,
  ``sh:in``, ``sh:hasValue``, ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
  ``sh:maxExclusive``, ``sh:equals``, ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``,
  ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``;
  ``sh:message`` (one), ``sh:severity``, ``sh:deactivated``.

Anything else in the ``sh:`` namespace on a shape (``sh:node``, ``sh:or``, ``sh:sparql``, rules
...) raises ``UnsupportedShapeError`` when the engine is built, rather than being ignored; so
does a shape without ``sh:message`` whose constraint's default message pySHACL would write
from the data.

The data graph is the quads given (their graphs merged, as ``to_graph`` does) plus what pySHACL
mixes in from the ontology with ``ont_graph`` (its "inoculation": RDFS/OWL axioms, labels and
the named individuals, such as ``kgo:Hotline123`` with its number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")
RDFS_SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
XSD_STRING = ox.NamedNode(XSD + "string")
RDF_LANGSTRING = ox.NamedNode(RDF + "langString")
VIOLATION = SH + "Violation"

# What pySHACL copies from an ontology into the data graph ("inoculation", pyshacl.rdfutil.consts;
# a test holds these lists to pySHACL's).
RDFS_CLASSES = tuple(RDFS + n for n in ("Class", "Container", "ContainerMembershipProperty", "Datatype", "Literal",
                                        "Resource"))
OWL_CLASSES = tuple(OWL + n for n in (
    "AllDifferent", "AllDisjointClasses", "AllDisjointProperties", "Annotation", "AnnotationProperty",
    "AsymmetricProperty", "Axiom", "Class", "DataRange", "DatatypeProperty", "DeprecatedClass", "DeprecatedProperty",
    "FunctionalProperty", "InverseFunctionalProperty", "IrreflexiveProperty", "NamedIndividual",
    "NegativePropertyAssertion", "ObjectProperty", "Ontology", "OntologyProperty", "ReflexiveProperty", "Restriction",
    "SymmetricProperty", "TransitiveProperty"))
RDFS_PROPERTIES = tuple(RDFS + n for n in ("comment", "domain", "isDefinedBy", "label", "member", "range", "seeAlso",
                                           "subClassOf", "subPropertyOf"))
OWL_PROPERTIES = tuple(OWL + n for n in (
    "allValuesFrom", "annotatedProperty", "annotatedSource", "annotatedTarget", "assertionProperty", "cardinality",
    "complementOf", "datatypeComplementOf", "differentFrom", "disjointUnionOf", "disjointWith", "distinctMembers",
    "equivalentClass", "equivalentProperty", "hasKey", "hasSelf", "hasValue", "intersectionOf", "inverseOf",
    "maxCardinality", "maxQualifiedCardinality", "members", "minCardinality", "minQualifiedCardinality", "onClass",
    "onDataRange", "onDatatype", "onProperties", "onProperty", "oneOf", "propertyChainAxiom", "propertyDisjointWith",
    "qualifiedCardinality", "sameAs", "someValuesFrom", "sourceIndividual", "targetIndividual", "targetValue",
    "unionOf", "withRestrictions", "backwardCompatibleWith", "deprecated", "incompatibleWith", "priorVersion",
    "versionInfo", "bottomDataProperty", "topDataProperty", "bottomObjectProperty", "topObjectProperty", "imports",
    "versionIRI"))


class UnsupportedShapeError(ValueError):
    """The shapes use a SHACL construct this engine does not implement (it is never ignored)."""


@dataclass(frozen=True)
class Result:
    """One validation result, in pyoxigraph terms. ``path`` is None for a node shape, a
    ``NamedNode`` for a predicate, or a tuple: ("/", parts), ("|", alternatives), ("^", path)."""

    focus: object
    path: object
    value: object
    message: str
    severity: str
    component: str
    shape: str  # the source shape: its IRI, or "parent IRI > path" for a blank property shape


# ------------------------------------------------------------------------------------- the data


class Data:
    """The data graph of one validation: an index of the quads' triples (graphs merged, no
    repeats) with the ontology's inoculated triples merged in."""

    __slots__ = ("_onto", "_pos", "by_type", "quads", "spo")

    def __init__(self, quads: Iterable[ox.Quad], onto: _Ontology) -> None:
        spo: dict = {}
        self.quads = quads
        last = d = None
        for q in quads:  # attribute access and the previous subject's dict: the quickest way in Python
            s = q.subject
            if s != last:
                d = spo.get(s)
                if d is None:
                    d = spo[s] = {}
                last = s
            p = q.predicate
            vs = d.get(p)
            if vs is None:
                d[p] = {q.object: None}
            else:
                vs[q.object] = None
        by_type = _subjects_by_object(spo, RDF_TYPE)
        subclass = RDFS_SUBCLASS
        own_hierarchy = any(subclass in d for d in spo.values())  # the data extends the class hierarchy
        for s, od in onto.spo.items():
            d = spo.get(s)
            if d is None:
                spo[s] = od  # shared, read-only
            else:
                for p, os_ in od.items():
                    vs = d.get(p)
                    if vs is None:
                        d[p] = os_
                    else:
                        d[p] = {**vs, **os_}
        for c, ss in onto.by_type.items():
            t = by_type.get(c)
            by_type[c] = ss if t is None else {**t, **ss}
        self.spo = spo
        self.by_type = by_type
        self._pos: dict = {}
        self._onto = onto if own_hierarchy is False else _Hierarchy(spo)

    def objects(self, s, p):
        d = self.spo.get(s)
        if d is None:
            return ()
        return d.get(p, ())

    def subjects(self, p, o):
        """Subjects of (?, p, o), from an index built on first use for ``p``."""
        return self.pos(p).get(o, ())

    def pos(self, p) -> dict:
        idx = self._pos.get(p)
        if idx is None:
            idx = self._pos[p] = _subjects_by_object(self.spo, p)
        return idx

    def is_instance(self, v, cls) -> bool:
        d = self.spo.get(v)
        if d is None:
            return False
        types = d.get(RDF_TYPE)
        if not types:
            return False
        supers = self._onto.supers
        for t in types:
            if t == cls or cls in supers.get(t, ()):
                return True
        return False

    def subclasses(self, cls) -> list:
        return self._onto.subclasses(cls)


def _subjects_by_object(spo: dict, p) -> dict:
    """Object -> the subjects (an ordered set, in ``spo``'s order) of the triples (?, p, o)."""
    idx: dict = {}
    for s, d in spo.items():
        os_ = d.get(p)
        if os_:
            for o in os_:
                t = idx.get(o)
                if t is None:
                    idx[o] = {s: None}
                else:
                    t[s] = None
    return idx


class _Hierarchy:
    """rdfs:subClassOf, transitively: each class's superclasses, and subclasses on demand."""

    def __init__(self, spo: dict) -> None:
        self.supers = _superclasses(spo)
        self._subs: dict = {}

    def subclasses(self, cls) -> list:
        subs = self._subs.get(cls)
        if subs is None:
            subs = self._subs[cls] = [c for c, ss in self.supers.items() if cls in ss and c != cls]
        return subs


def _superclasses(spo: dict) -> dict:
    """class -> its superclasses through rdfs:subClassOf, transitively (itself only on a cycle)."""
    direct = {s: tuple(d[RDFS_SUBCLASS]) for s, d in spo.items() if RDFS_SUBCLASS in d}
    out = {}
    for c, parents in direct.items():
        seen, todo = {}, list(parents)
        while todo:
            x = todo.pop()
            if x in seen:
                continue
            seen[x] = None
            todo.extend(direct.get(x, ()))
        out[c] = seen
    return out


class _Ontology(_Hierarchy):
    """The triples pySHACL mixes into the data graph from the ontology, indexed."""

    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        self.triples = inoculated(triples)
        spo: dict = {}
        by_type: dict = {}
        for s, p, o in self.triples:
            spo.setdefault(s, {}).setdefault(p, {})[o] = None
            if p == RDF_TYPE:
                by_type.setdefault(o, {})[s] = None
        self.spo = spo
        self.by_type = by_type
        super().__init__(spo)


def inoculated(triples: Sequence[ox.Triple]) -> list[ox.Triple]:
    """What pySHACL (``rdfutil.inoculate``) copies from an ontology into a data graph: nodes typed
    by RDFS/OWL classes, RDFS/OWL axioms and annotations, named individuals deeply."""
    spo: dict = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            raise UnsupportedShapeError("an ontology with blank nodes is not supported by kg_builder's SHACL engine")
        spo.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)
    out: dict = {}

    def deep(node, depth: int) -> None:
        if depth >= 10 or node not in spo:
            return
        d = spo[node]
        if RDF_FIRST in d:
            raise UnsupportedShapeError("an ontology individual that is an RDF list is not supported")
        for p, os_ in d.items():
            for o in os_:
                if isinstance(o, ox.NamedNode):
                    deep(o, depth + 1)
                out[ox.Triple(node, p, o)] = None

    individuals = []
    for cls in RDFS_CLASSES + OWL_CLASSES:
        c = ox.NamedNode(cls)
        for s, d in spo.items():
            if c in d.get(RDF_TYPE, ()):
                if cls == OWL + "NamedIndividual":
                    individuals.append(s)
                    deep(s, 0)
                out[ox.Triple(s, RDF_TYPE, c)] = None
    for prop in RDFS_PROPERTIES + OWL_PROPERTIES:
        p = ox.NamedNode(prop)
        for s, d in spo.items():
            for o in d.get(p, ()):
                out[ox.Triple(s, p, o)] = None
    for ni in individuals:
        for s, d in spo.items():
            for p, os_ in d.items():
                if ni in os_:
                    out[ox.Triple(s, p, ni)] = None
    return list(out)


# ----------------------------------------------------------------------------- literal semantics
# pySHACL decides with rdflib Literals; these helpers give rdflib's answers, computed directly for
# the plain forms our data has and through rdflib (cached) for anything else.

_INT_DT = {XSD + "integer", XSD + "nonNegativeInteger"}
_NUM_DT = _INT_DT | {XSD + "decimal"}
_PLAIN_INT = re.compile(r"[0-9]{1,18}", re.ASCII)
_PLAIN_DEC = re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,18})?", re.ASCII)


@lru_cache(maxsize=1 << 16)
def _rdflib_literal(lexical: str, datatype: str | None, language: str | None):
    from rdflib import Literal, URIRef

    if language:
        return Literal(lexical, lang=language)
    if datatype is None or datatype == XSD + "string":
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype))


def rdflib_term(v):
    """The rdflib term pySHACL sees for a pyoxigraph term (as ``terms.from_ox``; literals cached)."""
    if isinstance(v, ox.Literal):
        return _rdflib_literal(v.value, v.datatype.value, v.language)
    from ..terms import from_ox

    return from_ox(v)


def _number(v):
    """The value of a plain integer or decimal literal, as rdflib computes it; None otherwise."""
    if not isinstance(v, ox.Literal):
        return None
    dt = v.datatype.value
    if dt not in _NUM_DT:
        return None
    lex = v.value
    if dt == XSD + "decimal":
        return Decimal(lex) if _PLAIN_DEC.fullmatch(lex) else None
    return int(lex) if _PLAIN_INT.fullmatch(lex) else None


@lru_cache(maxsize=1 << 16)
def _well_typed(lexical: str, datatype: str) -> bool:
    """pySHACL's datatype test for a literal whose datatype IRI is the required one."""
    if datatype in _INT_DT and _PLAIN_INT.fullmatch(lexical):
        return True
    if datatype == XSD + "decimal" and _PLAIN_DEC.fullmatch(lexical):
        return True
    from datetime import date, datetime, time

    lit = _rdflib_literal(lexical, datatype, None)
    if lit.ill_typed is True:
        return False
    value = lit.value
    checks = {XSD + "integer": int, XSD + "float": float, XSD + "decimal": Decimal, XSD + "boolean": bool,
              XSD + "date": date, XSD + "time": time, XSD + "dateTime": datetime}
    if datatype in (XSD + "string", RDF + "langString"):
        return isinstance(value, (str, bytes))
    return isinstance(value, checks[datatype]) if datatype in checks else True


def _string_of(v) -> str:
    """pySHACL's string of a value node (``value_node_to_string``)."""
    if isinstance(v, ox.Literal):
        if v.language or v.datatype == XSD_STRING:
            return v.value
        return str(_rdflib_literal(v.value, v.datatype.value, None))
    return v.value


def _compare_literal(l1, l2) -> int:
    """pyshacl.rdfutil.compare_literal on rdflib Literals (may raise TypeError)."""
    import datetime

    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime.datetime, datetime.time):
        if l1.value == l2.value:
            return 0
        elif l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


def _range_ok(v, bound, bound_num, ok: Callable[[int], bool]) -> bool:
    """pySHACL's sh:min/maxIn/Exclusive test of value node ``v`` against ``bound``."""
    if not isinstance(v, ox.Literal):
        return False
    n = _number(v)
    if n is not None and bound_num is not None:
        return ok((n > bound_num) - (n < bound_num))
    lv, lb = rdflib_term(v), rdflib_term(bound)
    v_str, b_str = isinstance(lv.value, str), isinstance(lb.value, str)
    if v_str != b_str:
        return False
    try:
        return ok(_compare_literal(lv, lb))
    except (TypeError, NotImplementedError):
        return False


def _pair_ok(v, c, or_equal: bool) -> bool:
    """pySHACL's sh:lessThan / sh:lessThanOrEquals test of value ``v`` against ``c``."""
    nv, nc = _number(v), _number(c)
    if nv is not None and nc is not None:
        return nv <= nc if or_equal else nv < nc
    if isinstance(v, ox.BlankNode) or isinstance(c, ox.BlankNode):
        raise UnsupportedShapeError("sh:lessThan cannot compare a blank node (pySHACL raises too)")

    def plain(x):
        if isinstance(x, ox.NamedNode):
            return x.value, True
        r = rdflib_term(x)
        return (r.value, True) if isinstance(r.value, str) else (r, False)

    a, a_str = plain(v)
    b, b_str = plain(c)
    if a_str != b_str:
        return False
    return a <= b if or_equal else a < b


# ---------------------------------------------------------------------------------- the shapes


class _ShapesGraph:
    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.spo: dict = {}
        for s, p, o in triples:
            self.spo.setdefault(s, {}).setdefault(p, []).append(o)

    def objects(self, s, p) -> list:
        return self.spo.get(s, {}).get(p, [])

    def one(self, s, p):
        vs = self.objects(s, p)
        if len(vs) > 1:
            raise UnsupportedShapeError(f"{_name(s)} has {len(vs)} values of {_name(p)}; one is supported")
        return vs[0] if vs else None

    def items(self, head) -> list:
        out = []
        while head != RDF_NIL:
            first = self.objects(head, RDF_FIRST)
            if len(first) != 1:
                raise UnsupportedShapeError(f"{_name(head)} is not a well-formed RDF list")
            out.append(first[0])
            rest = self.objects(head, RDF_REST)
            if len(rest) != 1:
                raise UnsupportedShapeError(f"{_name(head)} is not a well-formed RDF list")
            head = rest[0]
        return out


def _name(term) -> str:
    if isinstance(term, ox.NamedNode):
        v = term.value
        return "sh:" + v[len(SH):] if v.startswith(SH) else f"<{v}>"
    return str(term)


# the sh: predicates a shape may carry that do not validate anything
_DESCRIPTIVE = {SH + n for n in ("message", "severity", "deactivated", "name", "description", "order", "group",
                                 "defaultValue", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
                                 "target", "path", "property")}
_COMPONENT_PARAMS = {SH + n for n in (
    "minCount", "maxCount", "datatype", "nodeKind", "class", "pattern", "flags", "minLength", "maxLength",
    "languageIn", "uniqueLang", "in", "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive",
    "equals", "disjoint", "lessThan", "lessThanOrEquals", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint")}
_NODE_KINDS = {
    SH + "IRI": (ox.NamedNode,), SH + "BlankNode": (ox.BlankNode,), SH + "Literal": (ox.Literal,),
    SH + "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), SH + "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    SH + "IRIOrLiteral": (ox.NamedNode, ox.Literal)}

Emit = Callable[[object, object, str], None]
Check = Callable[[Data, list, Emit], None]


class Shape:
    """A node or property shape compiled: its targets, value-node function and checks."""

    def __init__(self, node, engine: Engine, parent: Shape | None = None, silent: bool = False) -> None:
        sg = engine.sg
        self.node = node
        self.silent = silent  # only asked whether a node conforms (sh:qualifiedValueShape): no messages
        self.id = node.value if isinstance(node, ox.NamedNode) else \
            f"{parent.id if parent else '_'} > {engine.path_text(sg.one(node, _sh('path')))}"
        for p in sg.spo.get(node, {}):
            if p.value.startswith(SH) and p.value not in _DESCRIPTIVE | _COMPONENT_PARAMS:
                raise UnsupportedShapeError(f"{self.id}: {_name(p)} is not supported by kg_builder's SHACL engine "
                                            "(kg_builder/stages/shacl.py)")
        types = {t.value for t in sg.objects(node, RDF_TYPE)}
        if types & {RDFS + "Class", OWL + "Class"}:
            raise UnsupportedShapeError(f"{self.id}: implicit class targets are not supported")
        messages = sg.objects(node, _sh("message"))
        if len(messages) > 1:
            raise UnsupportedShapeError(f"{self.id}: more than one sh:message is not supported")
        self.message = messages[0].value if messages else None
        severity = sg.one(node, _sh("severity"))
        self.severity = severity.value if severity is not None else VIOLATION
        deactivated = sg.one(node, _sh("deactivated"))
        self.deactivated = deactivated is not None and deactivated.value == "true"
        path = sg.one(node, _sh("path"))
        self.path = engine.parse_path(path) if path is not None else None
        self.values = engine.path_function(self.path) if self.path is not None else None
        self.targets = engine.targets(self)
        self.checks: list[Check] = []
        self.properties = [engine.shape(p, self, silent) for p in sg.objects(node, _sh("property"))]
        engine.compile_constraints(self)

    def emit_into(self, out: list) -> Emit:
        path, message, severity, sid = self.path, self.message, self.severity, self.id

        def emit(focus, value, component: str, generic: str | None = None) -> None:
            out.append(Result(focus, path, value, message if message is not None else generic, severity,
                              SH + component, sid))
        return emit

    def validate(self, data: Data, foci: Iterable, out: list) -> None:
        if self.deactivated:
            return
        if self.values is None:
            fvn = [(f, (f,)) for f in foci]
        elif isinstance(self.path, ox.NamedNode):  # the common case, inlined
            spo, p, fvn = data.spo, self.path, []
            for f in foci:
                d = spo.get(f)
                fvn.append((f, () if d is None else d.get(p, ())))
        else:
            values = self.values
            fvn = [(f, values(data, f)) for f in foci]
        if self.checks:
            emit = self.emit_into(out)
            for check in self.checks:
                check(data, fvn, emit)
        for p in self.properties:
            p.validate(data, foci, out)

    def conforms(self, data: Data, v) -> bool:
        out: list = []
        self.validate(data, (v,), out)
        return not out


class Engine:
    """Shapes compiled once (per process); ``validate(quads)`` gives the results."""

    def __init__(self, shapes: Iterable[ox.Triple], ontology: Iterable[ox.Triple],
                 shapes_nm=None) -> None:
        self.sg = _ShapesGraph(shapes)
        self.nm = shapes_nm  # rdflib namespace manager of the shapes graph, for default messages
        self.onto = _Ontology(list(ontology))
        self._shapes: dict = {}
        self._building: set = set()
        sg = self.sg
        nodes: dict = {}
        for s, d in sg.spo.items():
            types = {t.value for t in d.get(RDF_TYPE, ())}
            if types & {SH + "NodeShape", SH + "PropertyShape"} or any(
                    SH + t in {p.value for p in d} for t in ("targetClass", "targetNode", "targetSubjectsOf",
                                                             "targetObjectsOf", "target")):
                nodes[s] = None
        self.shapes = [self.shape(n) for n in nodes]
        self.targeted = [s for s in self.shapes if s.targets and not s.deactivated]

    def shape(self, node, parent: Shape | None = None, silent: bool = False) -> Shape:
        key = (node, silent)
        if key not in self._shapes:
            if key in self._building:
                raise UnsupportedShapeError(f"recursive shapes are not supported ({_name(node)})")
            self._building.add(key)
            self._shapes[key] = Shape(node, self, parent, silent)
            self._building.discard(key)
        return self._shapes[key]

    # ---- paths
    def parse_path(self, node):
        sg = self.sg
        if isinstance(node, ox.NamedNode):
            return node
        if sg.objects(node, RDF_FIRST):
            return ("/", tuple(self.parse_path(p) for p in sg.items(node)))
        inv = sg.one(node, _sh("inversePath"))
        if inv is not None:
            return ("^", self.parse_path(inv))
        alt = sg.one(node, _sh("alternativePath"))
        if alt is not None:
            return ("|", tuple(self.parse_path(p) for p in sg.items(alt)))
        raise UnsupportedShapeError(f"path {_name(node)} is not supported (predicate, sequence, inverse, "
                                    "alternative are)")

    def path_function(self, path) -> Callable[[Data, object], dict]:
        if isinstance(path, ox.NamedNode):
            return lambda data, f: data.objects(f, path)
        kind, arg = path
        if kind == "^":
            inner = arg
            if isinstance(inner, ox.NamedNode):
                return lambda data, f: data.subjects(inner, f)
            raise UnsupportedShapeError("an inverse of a complex path is not supported")
        parts = [self.path_function(p) for p in arg]
        if kind == "/":
            def seq(data, f):
                nodes = {f: None}
                for part in parts:
                    nxt: dict = {}
                    for n in nodes:
                        nxt.update(dict.fromkeys(part(data, n)))
                    nodes = nxt
                return nodes
            return seq

        def alt(data, f):
            out: dict = {}
            for part in parts:
                out.update(dict.fromkeys(part(data, f)))
            return out
        return alt

    def path_text(self, path, nm=None) -> str:
        return path_text(self.parse_path(path) if path is not None else None, nm)

    # ---- targets
    def targets(self, shape: Shape) -> list[Callable[[Data], Iterable]]:
        sg, node = self.sg, shape.node
        out: list[Callable[[Data], Iterable]] = []
        for c in sg.objects(node, _sh("targetClass")):
            def by_class(data, c=c):
                found = dict(data.by_type.get(c, {}))
                for sub in data.subclasses(c):
                    found.update(data.by_type.get(sub, {}))
                return found
            out.append(by_class)
        for n in sg.objects(node, _sh("targetNode")):
            out.append(lambda data, n=n: (n,))
        for p in sg.objects(node, _sh("targetSubjectsOf")):
            out.append(lambda data, p=p: {s: None for s, d in data.spo.items() if d.get(p)})
        for p in sg.objects(node, _sh("targetObjectsOf")):
            out.append(lambda data, p=p: data.pos(p))
        for t in sg.objects(node, _sh("target")):
            out.append(self.sparql_target(shape, t))
        return out

    def sparql_target(self, shape: Shape, t) -> Callable[[Data], Iterable]:
        sg = self.sg
        for p in sg.spo.get(t, {}):
            if p.value.startswith(SH) and p.value not in (SH + "select", SH + "prefixes"):
                raise UnsupportedShapeError(f"{shape.id}: target with {_name(p)} is not supported")
        if {x.value for x in sg.objects(t, RDF_TYPE)} != {SH + "SPARQLTarget"}:
            raise UnsupportedShapeError(f"{shape.id}: only sh:SPARQLTarget targets are supported")
        select = sg.one(t, _sh("select"))
        if select is None:
            raise UnsupportedShapeError(f"{shape.id}: a SPARQL target needs sh:select")
        prefixes = {}
        for holder in sg.objects(t, _sh("prefixes")):
            for decl in sg.objects(holder, _sh("declare")):
                prefixes[sg.one(decl, _sh("prefix")).value] = sg.one(decl, _sh("namespace")).value
        from .sparql_bgp import compile_select

        try:
            return compile_select(select.value, prefixes, "this")
        except UnsupportedShapeError as e:
            raise UnsupportedShapeError(f"{shape.id}: {e}") from None

    # ---- constraints
    def generic(self, component: str, param) -> str:
        """pySHACL's default message for a component whose message does not depend on the data."""
        if self.nm is None:
            raise UnsupportedShapeError(f"default message for sh:{component} needs the shapes' prefixes")
        from .. import terms

        def n3(t) -> str:
            return terms.from_ox(t).n3(namespace_manager=self.nm)
        if component == "NodeKindConstraintComponent":
            return f"Value is not of Node Kind {n3(param)}"
        if component == "DatatypeConstraintComponent":
            return f"Value is not Literal with datatype {n3(param)}"
        if component == "ClassConstraintComponent":
            return f"Value does not have class {n3(param)}"
        if component == "PatternConstraintComponent":
            return f"Value does not match pattern '{param.value}'"
        raise AssertionError(component)

    def compile_constraints(self, shape: Shape) -> None:
        sg, node, add = self.sg, shape.node, shape.checks.append
        params = {p.value for p in sg.spo.get(node, {})} & _COMPONENT_PARAMS

        def message_or(component: str, param) -> str | None:
            if shape.message is not None or shape.silent:
                return None
            if component in ("NodeKindConstraintComponent", "DatatypeConstraintComponent",
                             "ClassConstraintComponent", "PatternConstraintComponent"):
                return self.generic(component, param)
            raise UnsupportedShapeError(f"{shape.id}: give it an sh:message (pySHACL's default message for "
                                        f"sh:{component} is written from the data)")

        def one(name):
            return sg.one(node, _sh(name))

        def count(name) -> int:
            v = one(name)
            if not isinstance(v, ox.Literal) or not _PLAIN_INT.fullmatch(v.value):
                raise UnsupportedShapeError(f"{shape.id}: sh:{name} must be a non-negative integer")
            return int(v.value)

        if SH + "minCount" in params:
            n = count("minCount")
            message_or("MinCountConstraintComponent", None)
            if n > 0:
                def min_count(data, fvn, emit, n=n):
                    for f, vs in fvn:
                        if len(vs) < n:
                            emit(f, None, "MinCountConstraintComponent")
                add(min_count)
        if SH + "maxCount" in params:
            n = count("maxCount")
            message_or("MaxCountConstraintComponent", None)

            def max_count(data, fvn, emit, n=n):
                for f, vs in fvn:
                    if len(vs) > n:
                        emit(f, None, "MaxCountConstraintComponent")
            add(max_count)
        if SH + "nodeKind" in params:
            kind = one("nodeKind")
            if kind.value not in _NODE_KINDS:
                raise UnsupportedShapeError(f"{shape.id}: unknown sh:nodeKind {_name(kind)}")
            ok_types, generic = _NODE_KINDS[kind.value], message_or("NodeKindConstraintComponent", kind)

            def node_kind(data, fvn, emit):
                for f, vs in fvn:
                    for v in vs:
                        if not isinstance(v, ok_types):
                            emit(f, v, "NodeKindConstraintComponent", generic)
            add(node_kind)
        if SH + "datatype" in params:
            add(self._datatype(one("datatype"), message_or("DatatypeConstraintComponent", one("datatype"))))
        for c in sg.objects(node, _sh("class")):
            generic = message_or("ClassConstraintComponent", c)

            def klass(data, fvn, emit, c=c, generic=generic):
                for f, vs in fvn:
                    for v in vs:
                        if isinstance(v, ox.Literal) or not data.is_instance(v, c):
                            emit(f, v, "ClassConstraintComponent", generic)
            add(klass)
        if SH + "pattern" in params:
            add(self._pattern(shape, message_or))
        for name, longer in (("minLength", True), ("maxLength", False)):
            if SH + name in params:
                n = count(name)
                component = f"{name[0].upper()}{name[1:]}ConstraintComponent"
                message_or(component, None)

                def length(data, fvn, emit, n=n, longer=longer, component=component):
                    for f, vs in fvn:
                        for v in vs:
                            if longer and n == 0:
                                continue
                            if isinstance(v, ox.BlankNode) or (
                                    len(_string_of(v)) < n if longer else len(_string_of(v)) > n):
                                emit(f, v, component)
                add(length)
        if SH + "languageIn" in params:
            message_or("LanguageInConstraintComponent", None)
            langs = set()
            for lang in sg.items(one("languageIn")):
                if not isinstance(lang, ox.Literal) or lang.datatype != XSD_STRING:
                    raise UnsupportedShapeError(f"{shape.id}: sh:languageIn holds strings")
                langs.add(lang.value.lower())
            wildcard = "*" in langs

            def language_in(data, fvn, emit):
                for f, vs in fvn:
                    for v in vs:
                        lang = v.language if isinstance(v, ox.Literal) else None
                        if not lang or not (wildcard or lang.lower() in langs
                                            or lang.split("-")[0].lower() in langs):
                            emit(f, v, "LanguageInConstraintComponent")
            add(language_in)
        if SH + "uniqueLang" in params:
            message_or("UniqueLangConstraintComponent", None)
            if one("uniqueLang").value == "true":
                def unique_lang(data, fvn, emit):
                    for f, vs in fvn:
                        seen, dups = set(), {}
                        for v in vs:
                            lang = v.language if isinstance(v, ox.Literal) else None
                            if lang:
                                low = lang.lower()
                                if low in seen:
                                    dups[low] = None
                                seen.add(low)
                        for _ in dups:
                            emit(f, None, "UniqueLangConstraintComponent")
                add(unique_lang)
        if SH + "in" in params:
            message_or("InConstraintComponent", None)
            allowed = set(sg.items(one("in")))

            def in_(data, fvn, emit):
                for f, vs in fvn:
                    for v in vs:
                        if v not in allowed:
                            emit(f, v, "InConstraintComponent")
            add(in_)
        for value in sg.objects(node, _sh("hasValue")):
            message_or("HasValueConstraintComponent", None)

            def has_value(data, fvn, emit, value=value):
                for f, vs in fvn:
                    if value not in vs:
                        emit(f, None, "HasValueConstraintComponent")
            add(has_value)
        for name, ok in (("minInclusive", lambda c: c >= 0), ("maxInclusive", lambda c: c <= 0),
                         ("minExclusive", lambda c: c > 0), ("maxExclusive", lambda c: c < 0)):
            for bound in sg.objects(node, _sh(name)):
                if not isinstance(bound, ox.Literal):
                    raise UnsupportedShapeError(f"{shape.id}: sh:{name} must be a literal")
                component = f"{name[0].upper()}{name[1:]}ConstraintComponent"
                message_or(component, None)

                bound_num = _number(bound)

                def value_range(data, fvn, emit, bound=bound, bound_num=bound_num, ok=ok, component=component):
                    for f, vs in fvn:
                        for v in vs:
                            if not _range_ok(v, bound, bound_num, ok):
                                emit(f, v, component)
                add(value_range)
        for name in ("equals", "disjoint"):
            for other in sg.objects(node, _sh(name)):
                component = f"{name[0].upper()}{name[1:]}ConstraintComponent"
                message_or(component, None)

                def pair_set(data, fvn, emit, other=other, equals=(name == "equals"), component=component):
                    for f, vs in fvn:
                        others = data.objects(f, other)
                        if equals:
                            for v in vs:
                                if v not in others:
                                    emit(f, v, component)
                            for v in others:
                                if v not in vs:
                                    emit(f, v, component)
                        else:
                            for v in vs:
                                if v in others:
                                    emit(f, v, component)
                add(pair_set)
        for name, or_equal in (("lessThan", False), ("lessThanOrEquals", True)):
            for other in sg.objects(node, _sh(name)):
                if not isinstance(other, ox.NamedNode):
                    raise UnsupportedShapeError(f"{shape.id}: sh:{name} must be an IRI")
                component = f"{name[0].upper()}{name[1:]}ConstraintComponent"
                message_or(component, None)

                def pair_order(data, fvn, emit, other=other, or_equal=or_equal, component=component):
                    for f, vs in fvn:
                        others = data.objects(f, other)
                        for v in vs:
                            for c in others:
                                if not _pair_ok(v, c, or_equal):
                                    emit(f, v, component)
                add(pair_order)
        if params & {SH + "qualifiedValueShape", SH + "qualifiedMinCount", SH + "qualifiedMaxCount"}:
            add(self._qualified(shape, params, message_or))

    def _datatype(self, dt, generic):
        if not isinstance(dt, ox.NamedNode):
            raise UnsupportedShapeError("sh:datatype must be an IRI")
        iri = dt.value
        if iri == XSD + "string":
            def ok(v):
                return isinstance(v, ox.Literal) and v.datatype == XSD_STRING
        elif iri == RDF + "langString":
            def ok(v):
                return isinstance(v, ox.Literal) and bool(v.language)
        elif iri == RDFS + "Literal":
            def ok(v):
                return isinstance(v, ox.Literal)
        elif iri == RDFS + "Datatype":
            def ok(v):
                return isinstance(v, ox.Literal) and v.datatype not in (XSD_STRING, RDF_LANGSTRING)
        else:
            def ok(v):
                return isinstance(v, ox.Literal) and v.datatype == dt and _well_typed(v.value, iri)

        def datatype(data, fvn, emit):
            for f, vs in fvn:
                for v in vs:
                    if not ok(v):
                        emit(f, v, "DatatypeConstraintComponent", generic)
        return datatype

    def _pattern(self, shape: Shape, message_or):
        sg, node = self.sg, shape.node
        flags = 0
        flag_values = sg.objects(node, _sh("flags"))
        if flag_values:
            text = flag_values[0].value.lower()
            flags = (re.IGNORECASE if "i" in text else 0) | (re.MULTILINE if "m" in text else 0)
        patterns = sg.objects(node, _sh("pattern"))
        if len(patterns) != 1 or not isinstance(patterns[0], ox.Literal):
            raise UnsupportedShapeError(f"{shape.id}: one literal sh:pattern is supported")
        generic = message_or("PatternConstraintComponent", patterns[0])
        search = re.compile(patterns[0].value, flags).search  # pySHACL: Python's re, match or search

        def pattern(data, fvn, emit):
            for f, vs in fvn:
                for v in vs:
                    if isinstance(v, ox.BlankNode) or not search(_string_of(v)):
                        emit(f, v, "PatternConstraintComponent", generic)
        return pattern

    def _qualified(self, shape: Shape, params: set, message_or):
        sg, node = self.sg, shape.node
        disjoint = sg.one(node, _sh("qualifiedValueShapesDisjoint"))
        if disjoint is not None and disjoint.value == "true":
            raise UnsupportedShapeError(f"{shape.id}: sh:qualifiedValueShapesDisjoint is not supported")
        inner_nodes = sg.objects(node, _sh("qualifiedValueShape"))
        if len(inner_nodes) != 1:
            raise UnsupportedShapeError(f"{shape.id}: one sh:qualifiedValueShape is supported")
        inner = self.shape(inner_nodes[0], shape, silent=True)
        lo = int(sg.one(node, _sh("qualifiedMinCount")).value) if SH + "qualifiedMinCount" in params else None
        hi = int(sg.one(node, _sh("qualifiedMaxCount")).value) if SH + "qualifiedMaxCount" in params else None
        if lo is None and hi is None:
            raise UnsupportedShapeError(f"{shape.id}: sh:qualifiedValueShape needs a qualified count")
        message_or("QualifiedValueShapeConstraintComponent", None)

        def qualified(data, fvn, emit):
            if not any(vs for _, vs in fvn) and (lo is None or lo < 1):
                return
            for f, vs in fvn:
                n = sum(1 for v in vs if inner.conforms(data, v))
                if hi is not None and n > hi:
                    emit(f, None, "QualifiedMaxCountConstraintComponent")
                if lo is not None and n < lo:
                    emit(f, None, "QualifiedMinCountConstraintComponent")
        return qualified

    # ---- running
    def validate(self, quads: Iterable[ox.Quad]) -> list[Result]:
        data = Data(quads, self.onto)
        out: list[Result] = []
        for shape in self.targeted:
            foci: dict = {}
            for target in shape.targets:
                found = target(data)
                if found:
                    foci.update(dict.fromkeys(found))
            if foci:
                shape.validate(data, foci, out)
        return out


def path_text(path, nm=None) -> str:
    """A path as text: "kgo:evidence/oa:hasSource", "^org:member", "(a|b)"; "(node)" for none."""
    if path is None:
        return "(node)"
    if isinstance(path, ox.NamedNode):
        return short(path, nm)
    kind, arg = path
    if kind == "^":
        return "^" + path_text(arg, nm)
    inner = kind.join(path_text(p, nm) for p in arg)
    return inner if kind == "/" else f"({inner})"


def short(term, nm=None) -> str:
    """An IRI as prefix:name where the namespace manager (default: ours) knows it, as rdflib writes it."""
    if not isinstance(term, ox.NamedNode):
        return term.value if isinstance(term, ox.BlankNode) else str(term)
    return _short(term.value) if nm is None else _short_with(nm, term.value)


@lru_cache(maxsize=4096)
def _short(iri: str) -> str:
    return _short_with(_default_nm(), iri)


@lru_cache(maxsize=1)
def _default_nm():
    from ..terms import new_graph

    return new_graph().namespace_manager


def _short_with(nm, iri: str) -> str:
    from rdflib import URIRef

    try:
        return nm.normalizeUri(URIRef(iri))
    except Exception:  # noqa: BLE001 - as rdflib's own callers: an IRI it cannot split stays whole
        return iri
