"""Validate stage: SHACL validation against the shipped shapes, and the quarantine gate.

Non-conformance is a result, not an exception (pySHACL's model): ``check`` / ``run`` return a
``Report`` listing each violation with its focus node's label, path and message.

The engine is ``stages/shacl.py``: it reads ``shapes/kg.shacl.ttl`` and the ontology once per
process (``engine()``, cached) and validates one article's quads in about a millisecond (~600 quads),
giving the report pySHACL gives (``run_pyshacl``, kept as the reference; a test compares them
on every article). Per article, in a worker process:

    kept, held, report = gate_article(article_quads)   # its named graph + the entities it uses

``per_article(quads)`` cuts a whole dataset into those inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH

from .. import iri, resources_path
from ..terms import from_graph, new_graph, to_ox
from ..vocab import KGO, OA
from . import shacl


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str
    severity: str
    value: str
    quote: str = ""  # the text the failing fact came from, with its context


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]

    def text(self) -> str:
        if self.conforms:
            return "conforms: yes"
        lines = [f"conforms: no ({len(self.violations)} violations)"]
        for v in self.violations:
            what = f" value={v.value}" if v.value else ""
            lines.append(f"- {v.label} <{v.focus}>\n    path: {v.path}{what}\n    {v.severity}: {v.message}")
            if v.quote:
                lines.append(f"    text: {v.quote}")
        return "\n".join(lines)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(resources_path("shapes", "kg.shacl.ttl"), format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(resources_path("ontology", "kg.ttl"), format="turtle")


def _triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


@lru_cache(maxsize=1)
def engine() -> shacl.Engine:
    """The shapes and the ontology compiled, once per process (~0.2 s); call it in a worker's
    initialiser to pay it up front. Raises ``shacl.UnsupportedShapeError`` if the shapes use a
    construct the engine does not implement."""
    sg = shapes_graph()
    return shacl.Engine(_triples(sg), _triples(ontology_graph()), shapes_nm=sg.namespace_manager)


def results(quads: Iterable[ox.Quad]) -> list[shacl.Result]:
    """The raw validation results (pyoxigraph terms) of the graph of ``quads``."""
    return engine().validate(quads)


def check(quads: Sequence[ox.Quad], nm=None) -> Report:
    """Validate the graph of ``quads`` (their graphs merged; the ontology mixed in for the class
    hierarchy, as pySHACL's ``ont_graph``). For one article: its named graph's quads and the
    default-graph quads of the shared entities it references (``per_article``)."""
    quads = quads if isinstance(quads, (list, tuple)) else list(quads)
    return _report(engine().validate(quads), quads, nm)


def run(graph: Graph) -> Report:
    """Validate an rdflib ``graph`` (``kg-builder validate FILE``) with the same engine."""
    dg = ox.DefaultGraph()
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), dg) for s, p, o in graph]
    return check(quads, graph.namespace_manager)


class _View:
    """The data only (no ontology), for the labels and quotes of a report."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.spo: dict = {}
        self.by_p: dict = {}
        for s, p, o, _ in quads:
            self.spo.setdefault(s, {}).setdefault(p, {})[o] = None
            self.by_p.setdefault(p, {}).setdefault(o, None)

    def objects(self, s, p):
        return list(self.spo.get(s, {}).get(p, ()))

    def value(self, s, p):
        """As rdflib's ``Graph.value``: one object, or None; with no subject, any triple's object."""
        if s is None:
            return next(iter(self.by_p.get(p, ())), None)
        return next(iter(self.spo.get(s, {}).get(p, ())), None)

    def label(self, focus, nm) -> str:
        labels = sorted(str(shacl.rdflib_term(o)) for o in self.objects(focus, ox.NamedNode(str(RDFS.label))))
        return labels[0] if labels else shacl.short(focus, nm)

    def quote(self, fact) -> str:
        """The evidence of ``fact`` as "file: …prefix [exact] suffix…" (first span), or ""."""
        spans = sorted(self.objects(fact, _n(KGO.evidence)), key=shacl.rdflib_term)
        if not spans:
            return ""
        sel = self.value(spans[0], _n(OA.hasSelector))
        source = self.value(self.value(spans[0], _n(OA.hasSource)), _n(KGO.sourceFile))

        def part(p) -> str:
            v = self.value(sel, _n(p))
            return str(shacl.rdflib_term(v) or "").replace("\n", " ") if v is not None else ""
        text = "None" if source is None else str(shacl.rdflib_term(source))
        return f"{text}: …{part(OA.prefix)}[{part(OA.exact)}]{part(OA.suffix)}…"


def _order(v: Violation) -> tuple:
    return (v.focus, v.path, v.message, v.severity, v.value, v.label, v.quote)


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _text(term) -> str:
    return "" if term is None else str(shacl.rdflib_term(term))


def _report(found: list[shacl.Result], quads: Sequence[ox.Quad], nm=None) -> Report:
    if not found:
        return Report(True, ())
    view = _View(quads)
    violations = sorted((
        Violation(focus=_text(r.focus), label=view.label(r.focus, nm), path=shacl.path_text(r.path, nm),
                  message=r.message, severity=r.severity.rsplit("#", 1)[-1], value=_text(r.value),
                  quote=view.quote(r.focus))
        for r in found), key=_order)
    return Report(not any(r.severity == shacl.VIOLATION for r in found), tuple(violations))


def run_pyshacl(graph: Graph) -> Report:
    """The reference: pySHACL over ``graph`` with the ontology mixed in, as the build ran before
    the engine (tests compare ``check`` with it; ~0.1 ms per triple plus ~50 ms per call)."""
    conforms, report_graph = pyshacl_validate(graph)
    return report_from_pyshacl(graph, conforms, report_graph)


def pyshacl_validate(graph: Graph) -> tuple[bool, Graph]:
    """pySHACL's verdict and report graph for ``graph``, with the options the build used."""
    import pyshacl

    conforms, report_graph, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        advanced=True, allow_warnings=True,
    )
    return bool(conforms), report_graph


def result_rows(found: Iterable[shacl.Result]) -> list[tuple]:
    """The engine's results in the form of ``pyshacl_results``."""
    r = shacl.rdflib_term
    out = [(r(x.focus), shacl.path_text(x.path), None if x.value is None else r(x.value), x.message, x.severity,
            x.component) for x in found]
    return sorted(out, key=lambda t: tuple(str(x) for x in t))


def pyshacl_results(report_graph: Graph) -> list[tuple]:
    """(focus, path, value, message, severity, component) of each result of a pySHACL report
    graph, as rdflib terms; the path as text."""
    out = []
    for r in report_graph.subjects(SH.resultSeverity, None):
        path = report_graph.value(r, SH.resultPath)
        out.append((report_graph.value(r, SH.focusNode), _rdflib_path_text(report_graph, path),
                    report_graph.value(r, SH.value), str(report_graph.value(r, SH.resultMessage) or ""),
                    str(report_graph.value(r, SH.resultSeverity)), str(report_graph.value(r, SH.sourceConstraintComponent))))
    return sorted(out, key=lambda t: tuple(str(x) for x in t))


def report_from_pyshacl(graph: Graph, conforms: bool, report_graph: Graph) -> Report:
    dg = ox.DefaultGraph()
    view = _View(ox.Quad(to_ox(s), to_ox(p), to_ox(o), dg) for s, p, o in graph)
    violations = []
    for focus, path, value, message, severity, _ in pyshacl_results(report_graph):
        f = to_ox(focus)
        violations.append(Violation(
            focus=str(focus), label=view.label(f, graph.namespace_manager), path=path, message=message,
            severity=severity.rsplit("#", 1)[-1], value="" if value is None else str(value), quote=view.quote(f)))
    return Report(conforms, tuple(sorted(violations, key=_order)))


def _rdflib_path_text(g: Graph, path) -> str:
    """A pySHACL result path (rdflib terms in its report graph) as ``shacl.path_text`` writes it."""
    def parse(node):
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if (node, RDF.first, None) in g:
            return ("/", tuple(parse(x) for x in g.items(node)))
        inv = g.value(node, SH.inversePath)
        if inv is not None:
            return ("^", parse(inv))
        alt = g.value(node, SH.alternativePath)
        if alt is not None:
            return ("|", tuple(parse(x) for x in g.items(alt)))
        raise ValueError(f"unexpected path {node}")
    return shacl.path_text(None if path is None else parse(path))


_FACT_CLASSES = (KGO.Mention, KGO.Membership, KGO.Statistic)


def per_article(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode, list[ox.Quad]]:
    """Each article's validation input: the quads of its named graph, then the default-graph quads
    of the shared entities it references, directly or through other entities (a directorate's
    province, a county's province ...). Quarantine graphs are left out."""
    graphs: dict = {}
    default: dict = {}
    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph):
            default.setdefault(q.subject, []).append(q)
        elif not g.value.endswith(iri.QUARANTINE):
            graphs.setdefault(g, []).append(q)
    out = {}
    for g, own in graphs.items():
        seen: set = set()
        todo = [q.subject for q in own] + [q.object for q in own if not isinstance(q.object, ox.Literal)]
        shared = []
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for q in default.get(n, ()):
                shared.append(q)
                if not isinstance(q.object, ox.Literal):
                    todo.append(q.object)
        out[g] = own + shared
    return out


def gate_article(quads: Sequence[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad], Report]:
    """Validate one article's quads (its named graph and the shared entities it references); move
    each fact (kgo:Mention, kgo:Membership, kgo:Statistic) that fails a check to its article's
    quarantine graph, with a kgo:QuarantineRecord holding the messages and its evidence spans.

    Returns (the quads without the failing facts' triples, the quarantine quads, the report on
    what remains). Nothing is dropped: a quarantined fact keeps its triples and evidence in the
    quarantine graph (its spans stay in the article's graph too). The same works for a whole
    dataset (``gate``), as the build did before it validated per article.
    """
    quads = quads if isinstance(quads, list) else list(quads)
    found = engine().validate(quads)
    report = _report(found, quads)
    if report.conforms:
        return quads, [], report
    view = _View(quads)
    rdf_type = _n(RDF.type)
    facts = {_n(c) for c in _FACT_CLASSES}
    failing: dict[ox.NamedNode, list[str]] = {}
    for res in found:  # a fact typed so in the data itself (not through a subclass), as before
        if isinstance(res.focus, ox.NamedNode) and facts & set(view.objects(res.focus, rdf_type)):
            failing.setdefault(res.focus, []).append(res.message)
    if not failing:
        return quads, [], report
    held = new_graph()
    r = shacl.rdflib_term
    for fact, messages in failing.items():
        record = URIRef(f"{fact.value}/quarantine")
        article = view.value(fact, _n(PROV.wasDerivedFrom))
        if article is not None:
            held.add((r(article), RDF.type, KGO.NewsArticle))
            source = view.value(article, _n(KGO.sourceFile))
            if source is not None:
                held.add((r(article), KGO.sourceFile, r(source)))
            held.add((record, PROV.wasDerivedFrom, r(article)))
        held.add((record, RDF.type, KGO.QuarantineRecord))
        held.add((record, KGO.quarantinedFact, r(fact)))
        for message in messages:
            held.add((record, KGO.violation, Literal(message)))
        for p, os_ in view.spo.get(fact, {}).items():
            for o in os_:
                held.add((r(fact), r(p), r(o)))
        for span in view.objects(fact, _n(KGO.evidence)):
            held.add((record, KGO.evidence, r(span)))
            for p, os_ in view.spo.get(span, {}).items():
                for o in os_:
                    held.add((r(span), r(p), r(o)))
                    if p == _n(OA.hasSelector):
                        for p2, os2 in view.spo.get(o, {}).items():
                            for o2 in os2:
                                held.add((r(o), r(p2), r(o2)))
    kept = [q for q in quads if q.subject not in failing]
    return kept, from_graph(held, quarantine=True), check(kept)


def gate(quads: Sequence[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad], Report]:
    """``gate_article`` over any set of quads (a whole dataset: the build before per-article
    validation)."""
    return gate_article(quads)


class Combined:
    """One report made of several, taken one at a time (each article's, then the merged entities'):
    a violation that several reports share (a shared entity's, seen by each article that uses it)
    is listed once. Holds the violations only, never the reports."""

    def __init__(self) -> None:
        self._most: Counter = Counter()
        self._conforms = True

    def add(self, report: Report) -> None:
        self._conforms = self._conforms and report.conforms
        for v, n in Counter(report.violations).items():
            self._most[v] = max(self._most[v], n)

    def report(self) -> Report:
        return Report(self._conforms, tuple(sorted(self._most.elements(), key=_order)))


def combine(reports: Iterable[Report]) -> Report:
    """One report of several (see ``Combined``)."""
    combined = Combined()
    for r in reports:
        combined.add(r)
    return combined.report()


def quote(graph: Graph, fact) -> str:
    """The evidence of ``fact`` in an rdflib graph as "file: …prefix [exact] suffix…", or ""."""
    dg = ox.DefaultGraph()
    view = _View(ox.Quad(to_ox(s), to_ox(p), to_ox(o), dg) for s, p, o in graph)
    return view.quote(to_ox(fact))


def quarantined(quarantine: Graph) -> list[tuple[str, list[str], str]]:
    """(fact, reasons, quoted text) for every record of a quarantine graph, in a stable order."""
    out = []
    for record in sorted(quarantine.subjects(RDF.type, KGO.QuarantineRecord)):
        fact = quarantine.value(record, KGO.quarantinedFact)
        reasons = sorted(str(v) for v in quarantine.objects(record, KGO.violation))
        out.append((str(fact), reasons, quote(quarantine, fact)))
    return out
