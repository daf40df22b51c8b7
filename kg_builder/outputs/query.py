"""SPARQL over a graph, on the embedded pyoxigraph engine (about 25x faster than rdflib's).

    answer(data, sparql) -> QueryResult | AskResult | GraphResult   any read-only query form
    query(data, sparql) -> QueryResult                              SELECT only (the library's API)

``data`` is an rdflib Graph, a store, or one or more graph files and store directories (opened by
``data.open_data``). Every form sees the same default graph (``dataset``): the shared entities and
the articles' graphs, never the quarantine or a store's entity versions; a query that names its own
dataset (``FROM <g>``, ``FROM NAMED <g>``) sees the graphs it names. An update is refused, and so is
SERVICE (kg-builder reaches no other host).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import GraphLoadError, first_line
from ..text.controls import shown
from . import results
from .data import open_data
from .serialize import dumps, to_ox


def _cell(value: str) -> str:
    return shown(value.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎"))


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
    form = "SELECT"  # the query form, as AskResult and GraphResult say theirs

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(tuple(None if t is None else results.value(t) for t in row)
                                               for row in self.terms))

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [dict(zip(self.variables, r)) for r in self.rows]

    def table(self) -> str:
        """A table for people: one solution a line (a line break inside a value is shown as ⏎, another
        control character escaped: ESC from a file name or a query would command the terminal)."""
        rows = [tuple(None if c is None else _cell(c) for c in r) for r in self.rows]
        widths = [max([len(v)] + [len(r[i] or "") for r in rows]) for i, v in enumerate(self.variables)]
        line = lambda cells: " | ".join((c or "").ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        out = [line(self.variables), "-+-".join("-" * w for w in widths)]
        out += [line(r) for r in rows]
        out.append(f"({len(rows)} rows)")
        return "\n".join(out)

    def csv(self) -> str:
        """SPARQL 1.1 CSV: plain values, one solution a line, CRLF line ends (what arq and the endpoint write)."""
        return results.csv(self.variables, self.terms)

    def tsv(self) -> str:
        """SPARQL 1.1 TSV: a ``?var`` header, terms in Turtle syntax (IRIs in <>, literals quoted and typed)."""
        return results.tsv(self.variables, self.terms)

    def json(self) -> str:
        """SPARQL 1.1 Query Results JSON (IRIs as ``uri``, literals with their language or datatype)."""
        return results.json(self.variables, self.terms, indent=1)

    def xml(self) -> str:
        """SPARQL 1.1 Query Results XML."""
        return results.xml(self.variables, self.terms)


@dataclass(frozen=True)
class AskResult:
    """The answer to an ASK query."""

    value: bool
    form = "ASK"

    def text(self, fmt: str = "table") -> str:
        """``true``/``false`` (``table``), or a SPARQL 1.1 results format: json, xml, csv, tsv."""
        return ("true" if self.value else "false") if fmt == "table" else results.boolean(self.value, fmt)


@dataclass(frozen=True)
class GraphResult:
    """The answer to a CONSTRUCT or DESCRIBE query: its triples, sorted."""

    triples: tuple[ox.Triple, ...]
    form = "CONSTRUCT/DESCRIBE"

    def dumps(self, fmt: str = "turtle") -> bytes:
        """The triples in an RDF format of ``serialize.FORMATS`` (the prefixes and JSON-LD context of a build's
        output; N-Quads and TriG hold them in the default graph)."""
        return dumps([ox.Quad(t.subject, t.predicate, t.object) for t in self.triples], fmt)


Answer = QueryResult | AskResult | GraphResult


def store_of(data: Graph | ox.Store | str | Path | Sequence[str | Path]) -> ox.Store:
    """A store over an rdflib graph, or the data of graph files and store directories (``data.open_data``)."""
    if isinstance(data, ox.Store):
        return data
    if isinstance(data, Graph):
        store = ox.Store()
        store.bulk_extend(ox.Quad(*map(to_ox, t)) for t in data)
        return store
    return open_data(data)


def dataset(store: ox.Store) -> dict:
    """The default graph queries see: the shared entities and every article's graph (articles live
    in named graphs), not the quarantine graphs nor a store's entity versions. A query that names its
    dataset (``names_dataset``) is run without these options, which would override its FROM clauses."""
    from .store import visible

    graphs = visible(store)
    return {"use_default_graph_as_union": True} if graphs is None else {"default_graph": graphs}


_UPDATE = re.compile(r"^\s*(?:(?:#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def looks_like_update(sparql: str) -> bool:
    """True when ``sparql`` starts (after its prologue) with a SPARQL Update operation."""
    return bool(_UPDATE.match(sparql))


# the parts of a query that may hold the word SERVICE without meaning it: strings, IRIs, comments
_NOT_KEYWORDS = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                           r"'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?<![?$:\w.-])SERVICE(?![\w:.-])", re.IGNORECASE)  # the keyword, not ?service or s:SERVICE


_FROM = re.compile(r"(?<![?$:\w.-])FROM(?![\w:.-])", re.IGNORECASE)  # the keyword, not ?from or ex:FROM


def code(sparql: str, *, iris: bool = False) -> str:
    """The query with its strings and comments (and IRIs, unless ``iris``) blanked out: what is left are
    keywords, names and punctuation, where a search for a keyword cannot be fooled."""
    return _NOT_KEYWORDS.sub(lambda m: m[0] if iris and m[0].startswith("<") else " ", sparql)


def federated(sparql: str) -> bool:
    """True when ``sparql`` calls another endpoint (SERVICE): kg-builder works offline and never does."""
    return bool(_SERVICE.search(code(sparql)))


def names_dataset(sparql: str) -> bool:
    """True when ``sparql`` names its own dataset (``FROM <g>`` or ``FROM NAMED <g>``): it is queried on
    those graphs, as SPARQL says, instead of the default graph ``dataset`` gives."""
    return bool(_FROM.search(code(sparql)))


def options(store: ox.Store, sparql: str) -> dict:
    """The dataset options for running ``sparql`` on ``store``: none when the query names its dataset."""
    return {} if names_dataset(sparql) else dataset(store)


READ_ONLY = "updates are not allowed here; kg-builder query is read-only (INSERT, DELETE, LOAD, CLEAR ... change data)"


def answer(data: Graph | ox.Store | str | Path | Sequence[str | Path], sparql: str) -> Answer:
    """Run a query of any read-only form on the shared entities and the articles' graphs (see
    ``dataset``): a ``QueryResult`` (SELECT), an ``AskResult`` or a ``GraphResult`` (CONSTRUCT,
    DESCRIBE). Bad SPARQL or an update is a GraphLoadError."""
    store = store_of(data)
    if federated(sparql):
        raise GraphLoadError("SERVICE (a federated query) is not allowed: kg-builder reaches no other host")
    try:
        res = store.query(sparql, **options(store, sparql))
        if isinstance(res, ox.QueryBoolean):
            return AskResult(bool(res))
        if isinstance(res, ox.QueryTriples):
            # a graph has no order: sorted, the same query gives the same bytes and Turtle groups by subject
            return GraphResult(tuple(sorted(res, key=str)))
        names = tuple(v.value for v in res.variables)
        return QueryResult(names, tuple(tuple(s[n] for n in names) for s in res))
    except OSError as e:  # what the engine met reading its store
        raise GraphLoadError(f"the query failed: {first_line(e)}") from None
    except SyntaxError as e:
        if looks_like_update(sparql):
            raise GraphLoadError(READ_ONLY) from None
        raise GraphLoadError(f"bad SPARQL: {first_line(e)}") from None
    except (RuntimeError, ValueError) as e:  # parsed, but the engine cannot run it (an unknown function ...)
        raise GraphLoadError(f"the query cannot be answered: {first_line(e)}") from None


def query(data: Graph | ox.Store | str | Path | Sequence[str | Path], sparql: str) -> QueryResult:
    """Run a SELECT query (see ``answer`` for the other forms); another form is a GraphLoadError."""
    result = answer(data, sparql)
    if not isinstance(result, QueryResult):
        raise GraphLoadError(f"expected a SELECT query, got {result.form} (kg_builder.outputs.query.answer runs "
                             "every form)")
    return result
