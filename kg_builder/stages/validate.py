"""Validate stage: SHACL validation of a graph against the shipped shapes.

Non-conformance is a result, not an exception (pySHACL's model): ``run`` returns a
``Report`` listing each violation with its focus node's label, path and message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SH

from .. import resources_path
from ..terms import from_graph, new_graph, to_graph
from ..vocab import KGO, OA


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


def _short(graph: Graph, term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    return str(term)


def run(graph: Graph) -> Report:
    """Validate ``graph`` (with the ontology mixed in for class hierarchy)."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        advanced=True, allow_warnings=True,
    )
    violations = []
    for r in results.subjects(SH.resultSeverity, None):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        labels = sorted(str(o) for o in graph.objects(focus, RDFS.label)) if focus is not None else []
        violations.append(Violation(
            focus=str(focus), label=labels[0] if labels else _short(graph, focus),
            path=_short(graph, path) if path is not None else "(node)",
            message=str(results.value(r, SH.resultMessage) or ""),
            severity=_short(results, results.value(r, SH.resultSeverity)).split("#")[-1].replace("sh:", ""),
            value=str(results.value(r, SH.value) or ""),
            quote=quote(graph, focus) if focus is not None else "",
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), tuple(violations))


def quote(graph: Graph, fact) -> str:
    """The evidence of ``fact`` as "file: …prefix [exact] suffix…" (first span), or ""."""
    span = next(iter(sorted(graph.objects(fact, KGO.evidence))), None)
    if span is None:
        return ""
    sel = graph.value(span, OA.hasSelector)
    source = graph.value(graph.value(span, OA.hasSource), KGO.sourceFile)
    part = lambda p: str(graph.value(sel, p) or "").replace("\n", " ")  # noqa: E731
    return f"{source}: …{part(OA.prefix)}[{part(OA.exact)}]{part(OA.suffix)}…"


_FACT_CLASSES = (KGO.Mention, KGO.Membership, KGO.Statistic)


def gate(quads: list[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad], Report]:
    """Validate; move facts that fail to their article's quarantine graph with a record of why.

    Returns (the quads without them, the quarantine quads, the report on what remains). Nothing
    is dropped: each quarantined fact keeps its triples and evidence in the quarantine graph.
    """
    graph = to_graph(quads)
    report = run(graph)
    if report.conforms:
        return quads, [], report
    failing: dict[URIRef, list[Violation]] = {}
    for v in report.violations:
        focus = URIRef(v.focus)
        if any((focus, RDF.type, c) in graph for c in _FACT_CLASSES):
            failing.setdefault(focus, []).append(v)
    if not failing:
        return quads, [], report
    held = new_graph()
    for fact, violations in failing.items():
        record = URIRef(f"{fact}/quarantine")
        article = graph.value(fact, PROV.wasDerivedFrom)
        held.add((article, RDF.type, KGO.NewsArticle))
        held.add((article, KGO.sourceFile, graph.value(article, KGO.sourceFile)))
        held.add((record, RDF.type, KGO.QuarantineRecord))
        held.add((record, KGO.quarantinedFact, fact))
        held.add((record, PROV.wasDerivedFrom, article))
        for v in violations:
            held.add((record, KGO.violation, Literal(v.message)))
        for t in graph.triples((fact, None, None)):
            held.add(t)
        for span in graph.objects(fact, KGO.evidence):
            held.add((record, KGO.evidence, span))
            for t in graph.triples((span, None, None)):
                held.add(t)
                for u in graph.triples((t[2], None, None)) if t[1] == OA.hasSelector else ():
                    held.add(u)
    moved = {ox.NamedNode(str(f)) for f in failing}
    kept = [q for q in quads if q.subject not in moved]
    return kept, from_graph(held, quarantine=True), run(to_graph(kept))


def quarantined(quarantine: Graph) -> list[tuple[str, list[str], str]]:
    """(fact, reasons, quoted text) for every record of a quarantine graph, in a stable order."""
    out = []
    for record in sorted(quarantine.subjects(RDF.type, KGO.QuarantineRecord)):
        fact = quarantine.value(record, KGO.quarantinedFact)
        reasons = sorted(str(v) for v in quarantine.objects(record, KGO.violation))
        out.append((str(fact), reasons, quote(quarantine, fact)))
    return out
