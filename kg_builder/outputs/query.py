"""SPARQL over a graph, on the embedded pyoxigraph engine (about 25x faster than rdflib's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import GraphLoadError
from . import results
from .serialize import FORMATS, SUFFIXES, to_ox


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT query: its variables and, per solution, the terms (``None`` when unbound).

    ``rows`` holds the same solutions as plain strings (``results.value``: an IRI or a literal's
    lexical form, a blank node as ``_:label``), which is what tables, CSV and comparisons want;
    ``json()`` and ``xml()`` keep the terms' kinds, language tags and datatypes.
    """

    variables: tuple[str, ...]
    terms: tuple[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...], ...]
    rows: tuple[tuple[str | None, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(tuple(None if t is None else results.value(t) for t in row)
                                               for row in self.terms))

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [dict(zip(self.variables, r)) for r in self.rows]

    def table(self) -> str:
        widths = [max([len(v)] + [len(r[i] or "") for r in self.rows]) for i, v in enumerate(self.variables)]
        line = lambda cells: " | ".join((c or "").ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        out = [line(self.variables), "-+-".join("-" * w for w in widths)]
        out += [line(r) for r in self.rows]
        out.append(f"({len(self.rows)} rows)")
        return "\n".join(out)

    def csv(self, delimiter: str = ",") -> str:
        """Plain values, one solution a line (LF): SPARQL 1.1 CSV but for the line ends; ``"\\t"`` for TSV."""
        return results.csv(self.variables, self.terms, delimiter=delimiter, newline="\n")

    def json(self) -> str:
        """SPARQL 1.1 Query Results JSON (IRIs as ``uri``, literals with their language or datatype)."""
        return results.json(self.variables, self.terms, indent=1)

    def xml(self) -> str:
        """SPARQL 1.1 Query Results XML."""
        return results.xml(self.variables, self.terms)


def store_of(graph_or_path: Graph | str | Path) -> ox.Store:
    """An Oxigraph store over a graph, an RDF file (Turtle, TriG, N-Quads ...) or a store directory."""
    if isinstance(graph_or_path, Graph):
        store = ox.Store()
        store.bulk_extend(ox.Quad(*map(to_ox, t)) for t in graph_or_path)
        return store
    p = Path(graph_or_path)
    if p.is_dir():
        try:
            return ox.Store.read_only(str(p))
        except OSError as e:
            raise GraphLoadError(f"cannot open as an Oxigraph store: {e}", str(p)) from None
    if not p.is_file():
        raise GraphLoadError("no such graph file or store directory", str(p))
    store = ox.Store()
    try:
        store.bulk_load(path=str(p), format=FORMATS[SUFFIXES.get(p.suffix.lower(), "turtle")])
    except (SyntaxError, ValueError, OSError) as e:
        raise GraphLoadError(f"cannot parse as RDF: {str(e).splitlines()[0]}", str(p)) from None
    return store


def dataset(store: ox.Store) -> dict:
    """The default graph queries see: the shared entities and every article's graph (articles live
    in named graphs), not the quarantine graphs nor a store's entity versions."""
    from .store import visible

    graphs = visible(store)
    return {"use_default_graph_as_union": True} if graphs is None else {"default_graph": graphs}


def query(graph_or_path: Graph | str | Path | ox.Store, sparql: str) -> QueryResult:
    """Run a SELECT query on the shared entities and the articles' graphs (see ``dataset``); raises
    GraphLoadError for bad SPARQL or another form."""
    store = graph_or_path if isinstance(graph_or_path, ox.Store) else store_of(graph_or_path)
    try:
        res = store.query(sparql, **dataset(store))
    except SyntaxError as e:
        raise GraphLoadError(f"bad SPARQL: {str(e).splitlines()[0]}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise GraphLoadError("only SELECT queries print as tables")
    names = tuple(v.value for v in res.variables)
    return QueryResult(names, tuple(tuple(s[n] for n in names) for s in res))
