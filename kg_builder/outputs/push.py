"""Send a graph to a store over the SPARQL 1.1 Graph Store HTTP Protocol (``kg-builder push``).

    kg-builder push KG --endpoint URL [--layout both|named|default|dataset | --graph IRI | --default]
                       [--replace | --merge] [--retries 3]

``URL`` is the store's Graph Store Protocol service (Oxigraph: ``http://host:7878/store``; Fuseki:
``http://host:3030/DATASET/data``).

Where the statements go (the layout). The contract queries (examples/queries) are plain
default-graph SPARQL, and stores disagree on what a query's default graph is: Oxigraph's and Jena
TDB2's (as configured out of the box) is the stored default graph alone; TDB2's with
``unionDefaultGraph`` is the union of the named graphs, the stored default graph hidden; GraphDB's
is every statement. No single placement is seen by all of them, so by default a push sends every
statement twice:

* ``both`` (default): the statements queries should see, each in the default graph and in a named
  graph (an article's facts in its graph ``…/graph/<file>``, the shared entities in
  ``…/graph/_shared``). Every store above then answers the contract queries as ``kg-builder query``
  does. Costs twice the statements. A store that queries all graphs at once as a multiset (Oxigraph
  with ``union-default-graph``) counts each statement twice there: use ``named`` for it.
* ``named``: each statement once, in its named graph: for stores whose queries see the union of the
  named graphs (TDB2 with ``unionDefaultGraph``, Oxigraph with ``union-default-graph``, GraphDB).
* ``default`` (also ``--default``): each statement once, in the default graph: Oxigraph and TDB2
  as they come, GraphDB. Replaces (or merges into) the default graph only; other graphs stay.
* ``dataset``: the input's own graphs as they are, quarantine graphs included (a copy, not for queries; a
  store's entity versions are its own bookkeeping, kept in its hidden store, and never sent).
* ``--graph IRI``: the statements merged into that one named graph.

"The statements queries should see" are those of ``kg-builder query``: the default graph and the
articles' graphs, never the quarantine graphs (``…/quarantine``) nor a store's entity versions
(``…/entities``), which a store that shows every graph would otherwise show. A Turtle file (one
graph) and a TriG file of the same build push the same dataset: a triple's named graph is its
input graph, or else the graph of the article its subject was minted in (``iri.graph_of``).
``both``, ``named`` and ``dataset`` go to the service URL as one N-Quads dataset (no graph
parameter: the dataset extension of Oxigraph and Fuseki), so ``--replace`` replaces the server's
whole dataset; ``default`` and ``--graph`` go to ``?default`` / ``?graph=IRI``.

``--replace`` (default) is a PUT: the target ends up holding exactly the graph, so pushing twice is
harmless. ``--merge`` is a POST: the graph is added to what the target holds.

What a push guarantees:

* The input is parsed here first and sent re-serialised (N-Triples / N-Quads), so a broken file is
  reported (exit 2) before anything reaches the server and the server never sees a malformed body.
* One push is one HTTP request carrying the whole graph, never a series of partial uploads. A
  server that applies one Graph Store request in one transaction -- Oxigraph does, for PUT and
  POST, including a body cut short by a dropped connection (the tests check it) -- so holds either
  the old target or the new one, nothing in between.
* Retries (``--retries``, exponential backoff from 0.5 s, ``Retry-After`` honoured) happen when the
  request did not get through (connection refused or broken while sending) or the server answered
  5xx (it reported the request failed). When the connection breaks *after* the whole request was
  sent, the server may or may not have applied it: a PUT is retried (idempotent), and so is a POST
  of a graph without blank nodes (adding the same triples twice changes nothing); a POST with blank
  nodes is not retried (it would add a second copy of them) and the error says the state is unknown.
* A refusal (4xx) is not retried: the RemoteError (exit 4) carries the status and the first line of the
  server's answer.

Why no upload to a temporary graph and a move: the Graph Store Protocol has no move; it needs SPARQL
Update, and a single request is already atomic on the servers that matter here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..errors import ConfigError, RemoteError

DEFAULT_RETRIES, DEFAULT_BACKOFF, DEFAULT_TIMEOUT = 3, 0.5, 120.0
MAX_BACKOFF = 30.0


LAYOUTS = ("both", "named", "default", "dataset")


@dataclass(frozen=True)
class Payload:
    body: bytes
    content_type: str
    statements: int  # quads (N-Quads) or triples (N-Triples) in the body
    triples: int  # distinct triples among them
    graphs: int  # named graphs in the body
    blank_nodes: bool


@dataclass(frozen=True)
class PushResult:
    url: str
    method: str
    target: str  # "default graph", "graph <IRI>" or "dataset"
    layout: str  # one of LAYOUTS ("default" for --graph too: one graph)
    statements: int
    triples: int
    graphs: int
    status: int
    attempts: int


def _quads(source) -> list:
    """Every quad of a graph file, a dataset file, a store directory (``data.read_quads``) or an rdflib Graph."""
    from rdflib import Graph

    if isinstance(source, Graph):
        from .serialize import quads

        return quads(source)
    from .data import read_quads

    return read_quads(source)


def _home(quad):
    """The named graph of a statement: its own, else that of the article its subject was minted in,
    else the shared entities' graph."""
    import pyoxigraph as ox

    from .. import iri

    if isinstance(quad.graph_name, ox.NamedNode):
        return quad.graph_name
    minted = iri.graph_of(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
    return ox.NamedNode(minted or iri.SHARED_GRAPH)


def laid_out(data: list, layout: str) -> list:
    """The quads to send for ``layout`` (see the module's docstring), in input order, without repeats."""
    import pyoxigraph as ox

    from .data import hidden

    if layout == "dataset":
        return data
    shown = [q for q in data if not hidden(q.graph_name)]
    out = []
    if layout in ("both", "default"):
        out += [ox.Quad(q.subject, q.predicate, q.object) for q in shown]
    if layout in ("both", "named"):
        out += [ox.Quad(q.subject, q.predicate, q.object, _home(q)) for q in shown]
    return list(dict.fromkeys(out))


def payload(source, layout: str = "both") -> Payload:
    """The request body for ``source`` laid out by ``layout``: N-Triples for ``default`` (one graph),
    else N-Quads."""
    import pyoxigraph as ox

    if layout not in LAYOUTS:
        raise ConfigError(f"--layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    data = laid_out(_quads(source), layout)
    blank = any(isinstance(t, ox.BlankNode) for q in data for t in (q.subject, q.object, q.graph_name))
    names = {q.graph_name for q in data if not isinstance(q.graph_name, ox.DefaultGraph)}
    if layout == "default":
        body, kind = ox.serialize([q.triple for q in data], format=ox.RdfFormat.N_TRIPLES), "application/n-triples"
    else:
        body, kind = ox.serialize(data, format=ox.RdfFormat.N_QUADS), "application/n-quads"
    return Payload(body, kind, len(data), len({q.triple for q in data}), len(names), blank)


def target_url(endpoint: str, graph: str | None = None, default: bool = False) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph is not None:
        return f"{endpoint}{sep}graph={quote(graph, safe='')}"
    if default:
        return f"{endpoint}{sep}default"
    return endpoint


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:300] if text else "(no message)"


def _retry_after(headers) -> float | None:
    try:
        value = float(headers.get("Retry-After", ""))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 60 else None


def push(source, endpoint: str, *, graph: str | None = None, default: bool = False, layout: str | None = None,
         replace: bool = True, retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
         timeout: float = DEFAULT_TIMEOUT, log=None) -> PushResult:
    """Send ``source`` (path of a graph/dataset file or store directory, or an rdflib Graph) to ``endpoint``,
    laid out by ``layout`` (default ``both``), or into the one graph ``graph`` or the default graph.

    ``log`` (a callable taking one line) hears of each failed attempt before its retry; nothing
    is printed. Raises GraphLoadError (input unusable, nothing sent), ConfigError (bad option) or
    RemoteError (refused, or unreachable after the retries).
    """
    import http.client
    import urllib.error
    import urllib.request

    import pyoxigraph as ox

    if (graph is not None) + default + (layout is not None) > 1:
        raise ConfigError("give one of --graph IRI, --default and --layout")
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 -- raises on a port that is no number or out of range
    except ValueError as e:
        raise ConfigError(f"--endpoint is not a URL: {endpoint!r} ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--endpoint must be an http(s) URL, got {endpoint!r}")
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as e:
            raise ConfigError(f"--graph is not an absolute IRI: {graph!r} ({e})") from None
    if retries < 0:
        raise ConfigError("--retries must be >= 0")
    layout = "default" if default or graph is not None else layout or "both"
    body = payload(source, layout)
    if layout != "default":
        target, url = "dataset", target_url(endpoint)
    else:
        target = f"graph <{graph}>" if graph is not None else "default graph"
        url = target_url(endpoint, graph, graph is None)
    method = "PUT" if replace else "POST"

    class _NoRedirect(urllib.request.HTTPRedirectHandler):  # urllib would turn a redirected POST into a GET
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    idempotent = replace or not body.blank_nodes
    log = log or (lambda message: None)

    attempt = 0
    while True:
        attempt += 1
        request = urllib.request.Request(url, data=body.body, method=method,
                                         headers={"Content-Type": body.content_type, "User-Agent": "kg-builder"})
        problem = None
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
                return PushResult(url, method, target, layout, body.statements, body.triples, body.graphs,
                                  response.status, attempt)
        except urllib.error.HTTPError as e:
            message = _first_line(e.read() or b"")
            if 300 <= e.code < 400:
                raise RemoteError(f"{url} answered the {method} with a redirect (HTTP {e.code}) to "
                                  f"{e.headers.get('Location')}: give that URL as --endpoint") from None
            if e.code < 500:
                raise RemoteError(f"{url} refused the {method}: HTTP {e.code} {e.reason}: {message}") from None
            problem, wait = f"HTTP {e.code} {e.reason}: {message}", _retry_after(e.headers)
        except urllib.error.URLError as e:  # connecting or sending failed: the server did not get the request
            problem, wait = f"cannot reach {endpoint}: {getattr(e.reason, 'strerror', None) or e.reason}", None
        except (http.client.HTTPException, ConnectionError, TimeoutError) as e:
            # the whole request was sent, the answer did not come: applied or not, nobody knows
            problem, wait = f"no answer from {endpoint} after the request was sent ({type(e).__name__}: {e})", None
            if not idempotent:
                raise RemoteError(f"{problem}; the server may or may not have added the graph, and a repeated "
                                  f"merge would duplicate its blank nodes, so it was not retried: check the target "
                                  f"or push with --replace") from None
        if attempt > retries:
            raise RemoteError(f"push failed after {attempt} attempt{'s' if attempt > 1 else ''}: {problem}")
        delay = wait if wait is not None else min(MAX_BACKOFF, backoff * 2 ** (attempt - 1))
        log(f"attempt {attempt} failed ({problem}); retrying in {delay:g} s")
        time.sleep(delay)
