"""The SPARQL 1.1 Protocol's side of the endpoint: media types, negotiation, the read-only check, and
``answer``, which runs one query on a store within the row limit and renders it (in a worker process).

Results are written by ``outputs.results``, the same code as ``kg-builder query --format``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...errors import first_line
from .. import results
from ..query import code, dataset, federated, looks_like_update, names_dataset
from . import webpage

# (media type, key), server preference first; the first of each list is the default
RESULT_TYPES = [("application/sparql-results+json", "json"), ("application/json", "json"),
                ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
                ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml")]
GRAPH_TYPES = [("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
               ("application/n-triples", "nt"), ("text/plain", "nt"), ("application/rdf+xml", "rdfxml")]
CONTENT_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
                 "tsv": "text/tab-separated-values; charset=utf-8", "xml": "application/sparql-results+xml",
                 "turtle": "text/turtle; charset=utf-8", "nt": "application/n-triples",
                 "rdfxml": "application/rdf+xml", "html": "text/html; charset=utf-8"}
FORMAT_ALIASES = {"json": "json", "srj": "json", "csv": "csv", "tsv": "tsv", "xml": "xml", "srx": "xml",
                  "turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
                  "rdfxml": "rdfxml", "rdf": "rdfxml", "html": "html"}
RDF_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "rdfxml": "RDF_XML"}  # names in ox.RdfFormat

_PREFIX = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str, **headers: str) -> Reply:
    """A plain-text error reply."""
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), headers)


# -- content negotiation -------------------------------------------------------------------------

def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in (accept or "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def negotiate(accept: str | None, offered: list[tuple[str, str]]) -> str | None:
    """The key of the offered media type the client prefers (``None``: nothing acceptable).

    The most specific matching range gives a type its quality; ties go to the server's order.
    """
    ranges = _accept_ranges(accept or "")
    if not ranges:
        return offered[0][1]
    best, best_q = None, 0.0
    for media, key in offered:
        kind = media.split("/")[0]
        q, specificity = None, -1
        for r, rq in ranges:
            s = 2 if r == media else 1 if r == f"{kind}/*" else 0 if r == "*/*" else -1
            if s > specificity:
                q, specificity = rq, s
        if q is not None and q > best_q:
            best, best_q = key, q
    return best


# -- one query, in the worker --------------------------------------------------------------------

def _graph_node(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)  # raises ValueError on a bad IRI


def _choose_format(job: dict, graph_form: bool) -> str | Reply:
    """The result format for the job, or the 406 reply when the client wants none that is offered."""
    if job.get("html", False):
        return "turtle" if graph_form else "html"
    fmt_param = job.get("format")
    offered = GRAPH_TYPES if graph_form else RESULT_TYPES
    keys = [k for _, k in offered]
    if fmt_param:
        fmt = FORMAT_ALIASES.get(fmt_param.lower())
        if fmt not in keys:
            return error(406, f"format={fmt_param} is not offered for this query form; "
                              f"use one of: {', '.join(dict.fromkeys(keys))}")
        return fmt
    fmt = negotiate(job.get("accept"), offered)
    if fmt is None:
        return error(406, "none of the media types in Accept is offered for this query form; offered: "
                          + ", ".join(m for m, _ in offered))
    return fmt


def answer(store: ox.Store, job: dict) -> Reply:
    """Run one query on ``store`` and render it; everything a client can get wrong becomes a 4xx.

    ``job``: ``query``, ``max_rows``, and optionally ``accept``, ``format``, ``html`` (render for the
    query page), ``default_graphs``, ``named_graphs`` (IRIs of the request's dataset).
    """
    sparql: str = job["query"]
    kwargs = {}
    try:
        if job.get("default_graphs") or job.get("named_graphs"):
            # the protocol: a dataset given by the request is exactly that, whatever FROM says
            kwargs["default_graph"] = [_graph_node(g) for g in job.get("default_graphs") or ()]
            kwargs["named_graphs"] = [_graph_node(g) for g in job.get("named_graphs") or ()]
        else:  # FROM / FROM NAMED in the query, else the entities and the articles' graphs
            kwargs.update(_options(store, sparql))
    except ValueError as e:
        return error(400, f"bad graph IRI in default-graph-uri / named-graph-uri: {e}")
    if federated(sparql):  # the endpoint must never be made to send requests to other hosts
        return error(400, "SERVICE (a federated query) is not allowed: this endpoint reaches no other host")
    try:
        res = store.query(sparql, **kwargs)
    except SyntaxError as e:
        if looks_like_update(sparql):
            return error(403, READ_ONLY)
        return error(400, f"bad SPARQL: {first_line(e)}")
    except (ValueError, RuntimeError) as e:
        return error(400, f"the query cannot be answered: {first_line(e)}")
    except OSError as e:  # reading the store failed: the server's trouble, not the client's
        return error(500, f"query failed: {first_line(e)}")

    graph_form = isinstance(res, ox.QueryTriples)
    fmt = _choose_format(job, graph_form)
    if isinstance(fmt, Reply):
        return fmt
    max_rows = job["max_rows"]
    too_many = (f"the result has more than {max_rows} {'triples' if graph_form else 'rows'}, the server's limit; "
                f"add LIMIT to the query or start the server with a larger --max-rows")
    try:
        if isinstance(res, ox.QueryBoolean):
            body = webpage.boolean_html(bool(res)) if fmt == "html" else results.boolean(bool(res), fmt)
            return Reply(200, CONTENT_TYPES[fmt], body.encode("utf-8"))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = []
            for solution in res:
                if len(rows) >= max_rows:
                    return error(422, too_many)
                rows.append([solution[n] for n in names])
            body = webpage.solutions_html(names, rows) if fmt == "html" else results.solutions(names, rows, fmt)
            return Reply(200, CONTENT_TYPES[fmt], body.encode("utf-8"))
        triples = []
        for t in res:
            if len(triples) >= max_rows:
                return error(422, too_many)
            triples.append(t)
        prefixes = _prefixes(sparql) if fmt == "turtle" else None
        written = {"prefixes": prefixes} if prefixes else {}
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, RDF_FORMATS[fmt]), **written)
        if job.get("html", False):
            return Reply(200, CONTENT_TYPES["html"], webpage.triples_html(body.decode("utf-8"), len(triples)).encode())
        return Reply(200, CONTENT_TYPES[fmt], body)
    except (ValueError, RuntimeError) as e:
        return error(400, f"the query cannot be answered: {first_line(e)}")
    except OSError as e:
        return error(500, f"query failed: {first_line(e)}")


def _prefixes(sparql: str) -> dict[str, str]:
    """The query's PREFIX declarations, to write a CONSTRUCT's Turtle with: not those in comments or
    strings, nor one whose IRI is not absolute (the query then failed to parse anyway)."""
    out = {}
    for name, iri in _PREFIX.findall(code(sparql, iris=True)):
        try:
            out[name] = ox.NamedNode(iri).value
        except ValueError:
            continue
    return out


_DATASETS: dict[int, dict] = {}


def _options(store, sparql: str) -> dict:
    """What the query sees: the graphs its FROM clauses name, else what queries see by default
    (``outputs.query.dataset``, worked out once per opened store)."""
    if names_dataset(sparql):
        return {}
    if id(store) not in _DATASETS:
        _DATASETS[id(store)] = dataset(store)
    return _DATASETS[id(store)]
