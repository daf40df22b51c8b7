"""Validate stage: SHACL validation of a graph against the shipped shapes.

Non-conformance is a result, not an exception (pySHACL's model): ``run`` returns a
``Report`` listing each violation with its focus node's label, path and message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SH

from .. import resources_path


@dataclass(frozen=True)
class Violation:
    focus: str
    label: str
    path: str
    message: str
    severity: str
    value: str


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
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), tuple(violations))
