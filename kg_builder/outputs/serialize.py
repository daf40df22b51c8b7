"""Writing and reading graphs: pyoxigraph on the hot path, atomic files, same bytes for same input.

A build's quads come in a fixed order (shared entities by key, then each article's graph
in input order), so they are written as they are; an rdflib graph is sorted first. Files
are written through a temporary file and a rename: never half-written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import GraphLoadError, OutputError
from ..terms import from_graph, from_ox, new_graph, to_ox
from ..vocab import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML,
}
SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld", ".json": "jsonld",
            ".rdf": "xml", ".owl": "xml"}
DATASET_FORMATS = {"trig", "nq", "nquads"}
__all__ = ["FORMATS", "SUFFIXES", "DATASET_FORMATS", "dumps", "write", "write_atomic", "format_for", "load",
           "quads", "quarantine_path", "to_ox"]


def quads(graph: Graph, quarantine: Graph | None = None) -> list[ox.Quad]:
    """An rdflib graph (and its quarantine) as a dataset: each article's facts in the article's named
    graph, shared entities in the default graph, quarantined facts in the article's quarantine graph."""
    return from_graph(graph) + (from_graph(quarantine, quarantine=True) if quarantine is not None else [])


def _as_quads(data: Graph | Iterable[ox.Quad]) -> list[ox.Quad]:
    return quads(data) if isinstance(data, Graph) else list(data)


def dumps(data: Graph | Sequence[ox.Quad], fmt: str = "turtle", quarantine: Graph | Sequence[ox.Quad] = ()) -> bytes:
    """Serialise a build's quads (or an rdflib graph); the same data gives the same bytes.

    Dataset formats (TriG, N-Quads) keep each article's named graph and carry the quarantine
    too; graph formats hold the union of the articles, quarantine apart.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown output format {fmt!r} (known: {', '.join(sorted(FORMATS))})")
    # data IRIs are written in full: a prefixed name would have to escape their slashes
    prefixes = dict(sorted((p, ns) for p, ns in PREFIXES.items() if p != "kg"))
    rdf_format = FORMATS[fmt]
    if fmt in DATASET_FORMATS:
        held = from_graph(quarantine, quarantine=True) if isinstance(quarantine, Graph) else list(quarantine)
        data = _as_quads(data) + held
        if rdf_format == ox.RdfFormat.TRIG:
            return ox.serialize(data, format=rdf_format, prefixes=prefixes)
        return ox.serialize(data, format=rdf_format)
    triples = list(dict.fromkeys(q.triple for q in _as_quads(data)))
    if fmt == "jsonld":
        return jsonld(triples)
    if rdf_format == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    return ox.serialize(triples, format=rdf_format)


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """Compact JSON-LD with the shipped context (``ontology/context.jsonld``), for web users."""
    from .. import resources_path

    graph = new_graph()
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    context = json.loads(resources_path("ontology", "context.jsonld").read_text(encoding="utf-8"))["@context"]
    text = graph.serialize(format="json-ld", context=context, sort_keys=True, indent=1, ensure_ascii=False)
    return text.encode("utf-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half-written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; an output file follows the umask
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(f"cannot write: {e.strerror or e}", str(path)) from None


def format_for(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        return fmt
    return SUFFIXES.get(Path(path).suffix.lower(), "turtle")


def quarantine_path(output: str | Path) -> Path:
    """Where the quarantine of a graph file goes: kg.ttl -> kg.quarantine.ttl."""
    p = Path(output)
    return p.with_name(f"{p.stem}.quarantine{p.suffix or '.ttl'}")


def write(data: Graph | Sequence[ox.Quad], path: str | Path, fmt: str | None = None,
          quarantine: Graph | Sequence[ox.Quad] | None = None) -> Path | None:
    """Write a graph or a build's quads to ``path`` (format by suffix unless ``fmt``).

    With a ``quarantine`` (a build's, maybe empty), a dataset format carries it inside and a
    graph format puts it in a file of its own beside the output (kg.quarantine.ttl), whose
    path is returned, removing a stale one from an earlier build. Returns None when there is
    no quarantine file.
    """
    fmt = format_for(path, fmt)
    write_atomic(path, dumps(data, fmt, quarantine if quarantine is not None and fmt in DATASET_FORMATS else ()))
    held = quarantine_path(path)
    if quarantine is None or fmt in DATASET_FORMATS:
        return None
    if len(quarantine):
        write_atomic(held, dumps(quarantine, fmt))
        return held
    held.unlink(missing_ok=True)
    return None


def load(path: str | Path) -> Graph:
    """Parse an RDF file into an rdflib Graph (pyoxigraph parses, rdflib holds)."""
    p = Path(path)
    if not p.is_file():
        raise GraphLoadError("no such graph file", str(p))
    fmt = FORMATS.get(SUFFIXES.get(p.suffix.lower(), "turtle"))
    g = new_graph()
    try:
        for q in ox.parse(path=str(p), format=fmt):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphLoadError(f"cannot parse as RDF: {str(e).splitlines()[0]}", str(p)) from None
    return g
