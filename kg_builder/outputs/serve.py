"""``kg-builder serve``: a read-only SPARQL 1.1 Protocol endpoint over a graph file or a store.

    kg-builder serve KG|STORE [--host 127.0.0.1] [--port 7878] [--timeout 10] [--max-rows 10000] [--workers 2]

``/sparql`` (also ``/query``) answers GET ``?query=``, POST ``application/x-www-form-urlencoded``
and POST ``application/sparql-query``, with ``default-graph-uri`` / ``named-graph-uri``. The
default graph is the union of all graphs (each article lives in its own named graph), as for
``kg-builder query``. ``/`` is an HTML page with a query box and the contract queries.

Guarantees:

* Read-only. SPARQL Update (``application/sparql-update``, an ``update=`` form field, or an update
  sent as ``query=``) is refused with 403; the store is opened read-only anyway.
* Time limit (``--timeout``, default 10 s). pyoxigraph cannot cancel a query, and a running query
  holds its thread (an aggregate over a cross join does not even return to Python), so every query
  runs in a worker *process* from a fixed pool (``--workers``; each a ``python -c`` child talking
  over a socket pair). A query still running at the limit is stopped by killing its worker (CPU and
  memory are freed at once), the client gets 503, and a fresh worker takes the free place. Workers
  open the data read-only from disk: a store directory is opened as it is (do not build into it
  while it is served); a file is bulk-loaded once, at start, into a temporary store directory that
  is deleted on exit. When all workers are busy a request waits up to the time limit, then gets 503
  with ``Retry-After``. A query body over 1 MiB is refused (413).
* Row limit (``--max-rows``, default 10000, counted as solutions for SELECT and triples for
  CONSTRUCT/DESCRIBE). A larger result is an error (422 with a message saying to add LIMIT or raise
  ``--max-rows``), never a silently truncated answer that a client would take for the whole.

Content negotiation by ``Accept`` (or ``format=json|csv|tsv|xml|turtle|nt|rdfxml``): SELECT/ASK give
``application/sparql-results+json`` (default), ``text/csv``, ``text/tab-separated-values``,
``application/sparql-results+xml``; CONSTRUCT/DESCRIBE give ``text/turtle`` (default),
``application/n-triples``, ``application/rdf+xml``. When the client accepts none of these: 406.
The query page at ``/`` runs its queries through the same workers and limits.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import io
import json
import queue
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit


class _LazyModule:
    """pyoxigraph, imported on first use: the CLI imports this module to build its parser."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        from importlib import import_module

        value = getattr(import_module(self._name), attr)
        setattr(self, attr, value)
        return value


ox = _LazyModule("pyoxigraph")

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 7878
DEFAULT_TIMEOUT, DEFAULT_MAX_ROWS, DEFAULT_WORKERS = 10.0, 10000, 2
MAX_BODY = 1 << 20  # a query larger than 1 MiB is refused (413)
WORKER_START_LIMIT = 60.0  # seconds a new worker may take to open the store

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

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

_UPDATE = re.compile(r"^\s*(?:(?:#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_PREFIX = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, message: str, **headers: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), headers)


def looks_like_update(sparql: str) -> bool:
    """True when ``sparql`` starts (after its prologue) with a SPARQL Update operation."""
    return bool(_UPDATE.match(sparql))


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


# -- results, in the worker ----------------------------------------------------------------------

def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    raise TypeError(f"not an RDF term: {t!r}")


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def xml_escape(text: str) -> str:
    return html.escape(text, quote=False)


def quoteattr(text: str) -> str:
    return f'"{html.escape(text)}"'


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        attr = (f" xml:lang={quoteattr(t.language)}" if t.language else
                "" if t.datatype.value == XSD_STRING else f" datatype={quoteattr(t.datatype.value)}")
        return f"<literal{attr}>{xml_escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def render_solutions(names: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        if fmt == "csv":  # SPARQL 1.1 CSV: plain values, CRLF line ends
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(names)
            w.writerows([_csv_value(t) for t in row] for row in rows)
        else:  # SPARQL 1.1 TSV: ?var header, terms in N-Triples/Turtle syntax (tabs and newlines escaped)
            buf.write("\t".join(f"?{n}" for n in names) + "\n")
            for row in rows:
                buf.write("\t".join("" if t is None else str(t) for t in row) + "\n")
        return buf.getvalue().encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">', "<head>"]
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head><results>")
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                            for n, t in zip(names, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results></sparql>")
        return "\n".join(out).encode("utf-8")
    if fmt == "html":
        return _html_table(names, rows).encode("utf-8")
    raise ValueError(fmt)


def render_boolean(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{word}</boolean></sparql>").encode()
    if fmt == "html":
        return f'<p class="ask">ASK: <strong>{word}</strong></p>'.encode()
    header = "_askResult" if fmt == "csv" else "?_askResult"  # CSV/TSV define no boolean form; as Jena does
    return f"{header}\n{word}\n".encode()


def _html_cell(t) -> str:
    if t is None:
        return "<td></td>"
    if isinstance(t, ox.NamedNode):
        return f'<td class="iri" dir="ltr"><a href="{html.escape(t.value)}">{html.escape(t.value)}</a></td>'
    if isinstance(t, ox.Literal):
        tag = t.language or ("" if t.datatype.value == XSD_STRING else t.datatype.value.rsplit("#", 1)[-1])
        title = f' title="{html.escape(tag)}"' if tag else ""
        lang = f' lang="{html.escape(t.language)}"' if t.language else ""
        return f'<td dir="auto"{lang}{title}>{html.escape(t.value)}</td>'
    return f'<td dir="ltr">{html.escape(_csv_value(t))}</td>'


def _html_table(names: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "\n".join("<tr>" + "".join(_html_cell(t) for t in row) + "</tr>" for row in rows)
    return (f'<p class="count">{len(rows)} rows</p>\n<div class="results"><table>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table></div>")


def _graph_node(value: str):
    return ox.NamedNode(value)  # raises ValueError on a bad IRI


def answer(store: ox.Store, job: dict) -> Reply:
    """Run one query on ``store`` and render it; everything a client can get wrong becomes a 4xx."""
    sparql: str = job["query"]
    kwargs = {}
    try:
        if job.get("default_graphs"):
            kwargs["default_graph"] = [_graph_node(g) for g in job["default_graphs"]]
        elif job.get("named_graphs"):
            kwargs["default_graph"] = []  # the protocol: a dataset given by the request is exactly that
        else:
            kwargs["use_default_graph_as_union"] = True  # articles live in named graphs
        if job.get("named_graphs"):
            kwargs["named_graphs"] = [_graph_node(g) for g in job["named_graphs"]]
    except ValueError as e:
        return _error(400, f"bad graph IRI in default-graph-uri / named-graph-uri: {e}")
    try:
        res = store.query(sparql, **kwargs)
    except SyntaxError as e:
        if looks_like_update(sparql):
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        return _error(400, f"bad SPARQL: {str(e).splitlines()[0] if str(e) else e}")
    except (OSError, ValueError, RuntimeError) as e:
        return _error(500, f"query failed: {e}")

    max_rows, fmt_param, html_page = job["max_rows"], job.get("format"), job.get("html", False)
    graph_form = isinstance(res, ox.QueryTriples)
    if html_page:
        fmt = "turtle" if graph_form else "html"
    else:
        offered = GRAPH_TYPES if graph_form else RESULT_TYPES
        keys = [k for _, k in offered]
        if fmt_param:
            fmt = FORMAT_ALIASES.get(fmt_param.lower())
            if fmt not in keys:
                return _error(406, f"format={fmt_param} is not offered for this query form; "
                                   f"use one of: {', '.join(dict.fromkeys(keys))}")
        else:
            fmt = negotiate(job.get("accept"), offered)
            if fmt is None:
                return _error(406, "none of the media types in Accept is offered for this query form; offered: "
                                   + ", ".join(m for m, _ in offered))
    too_many = (f"the result has more than {max_rows} {'triples' if graph_form else 'rows'}, the server's limit; "
                f"add LIMIT to the query or start the server with a larger --max-rows")
    try:
        if isinstance(res, ox.QueryBoolean):
            return Reply(200, CONTENT_TYPES[fmt], render_boolean(bool(res), fmt))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = []
            for solution in res:
                if len(rows) >= max_rows:
                    return _error(422, too_many)
                rows.append([solution[n] for n in names])
            return Reply(200, CONTENT_TYPES[fmt], render_solutions(names, rows, fmt))
        triples = []
        for t in res:
            if len(triples) >= max_rows:
                return _error(422, too_many)
            triples.append(t)
        prefixes = dict(_PREFIX.findall(sparql)) if fmt == "turtle" else None
        options = {"prefixes": prefixes} if prefixes else {}
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, RDF_FORMATS[fmt]), **options)
        if html_page:
            return Reply(200, CONTENT_TYPES["html"],
                         f'<p class="count">{len(triples)} triples</p>\n<pre dir="auto">{html.escape(body.decode())}'
                         f"</pre>".encode())
        return Reply(200, CONTENT_TYPES[fmt], body)
    except (OSError, ValueError, RuntimeError) as e:
        return _error(500, f"query failed: {e}")


def _worker_main(store_dir: str, fd: int) -> None:
    """A query worker process: opens the store read-only, then answers jobs until the socket closes.

    Started as ``python -c`` with its end of a socket pair (not through multiprocessing's spawn,
    which re-imports the parent's ``__main__``).
    """
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent stops us
    conn = Connection(fd)
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, job)
        except Exception as e:  # noqa: BLE001 - a worker must answer, whatever went wrong
            reply = _error(500, f"query failed: {type(e).__name__}: {e}")
        conn.send(reply)


_WORKER_CODE = "import sys; from kg_builder.outputs.serve import _worker_main; _worker_main(sys.argv[1], int(sys.argv[2]))"


class _Worker:
    def __init__(self, store_dir: str):
        import os
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])  # where kg_builder is importable from
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        try:
            self.process = subprocess.Popen([sys.executable, "-c", _WORKER_CODE, store_dir, str(theirs.fileno())],
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, limit: float) -> str | None:
        """None when ready, else why not."""
        if self.ready:
            return None
        try:
            if not self.conn.poll(limit):
                return f"the query worker did not start within {limit:.0f} s"
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            return "the query worker exited while starting"
        if kind != "ready":
            return f"the query worker cannot open the store: {detail}"
        self.ready = True
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # one that will not die is left to the OS
            self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; a query over its time limit costs its worker its life."""

    def __init__(self, store_dir: str, size: int):
        self.store_dir, self.size = store_dir, size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        with self._lock:
            if self._closed:
                return
            w = _Worker(self.store_dir)
            self._all.add(w)
        self._idle.put(w)

    def _retire(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()
        self._add()

    def wait_ready(self) -> str | None:
        """Wait for every worker to have opened the store (at start); None or the first problem."""
        with self._lock:
            workers = list(self._all)
        for w in workers:
            problem = w.wait_ready(WORKER_START_LIMIT)
            if problem:
                return problem
        return None

    def run(self, job: dict, timeout: float) -> Reply:
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _error(503, f"all {self.size} query workers are busy; try again", **{"Retry-After": "1"})
        problem = w.wait_ready(WORKER_START_LIMIT)
        if problem:
            self._retire(w)
            return _error(500, problem)
        try:
            w.conn.send(job)
            if w.conn.poll(timeout):
                reply = w.conn.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError):
            self._retire(w)
            return _error(500, "the query worker died (out of memory?); the query was not answered")
        self._retire(w)  # still running: kill it, a fresh worker takes its place
        return _error(503, f"the query was stopped: it ran longer than the server's time limit of {timeout:g} s "
                           f"(--timeout)")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# -- opening the data ----------------------------------------------------------------------------

@dataclass
class Source:
    path: Path
    store_dir: str
    statements: int
    graphs: int  # named graphs
    temporary: str | None  # a temporary store directory to delete at the end

    def describe(self) -> str:
        if self.graphs:
            return f"{self.statements} quads in {self.graphs} named graphs and the default graph"
        return f"{self.statements} triples"

    def cleanup(self) -> None:
        if self.temporary:
            import shutil

            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None


def open_source(path: str | Path) -> Source:
    """A store directory as it is, or a graph file bulk-loaded into a temporary store directory."""
    from ..errors import GraphLoadError

    p = Path(path)
    if p.is_dir():
        try:
            store = ox.Store.read_only(str(p))
            n, graphs = len(store), sum(1 for _ in store.named_graphs())
        except OSError as e:
            raise GraphLoadError(f"cannot open as an Oxigraph store: {e}", str(p)) from None
        del store
        return Source(p, str(p), n, graphs, None)
    if not p.is_file():
        raise GraphLoadError("no such graph file or store directory", str(p))
    import shutil
    import tempfile

    from .serialize import FORMATS, SUFFIXES

    tmp = tempfile.mkdtemp(prefix="kg-serve-")
    try:
        store = ox.Store(tmp)
        store.bulk_load(path=str(p), format=FORMATS[SUFFIXES.get(p.suffix.lower(), "turtle")])
        store.flush()
        n, graphs = len(store), sum(1 for _ in store.named_graphs())
        del store  # closed before the workers open it read-only
    except (SyntaxError, ValueError, OSError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise GraphLoadError(f"cannot parse as RDF: {str(e).splitlines()[0] if str(e) else e}", str(p)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Source(p, tmp, n, graphs, tmp)


# -- HTTP ----------------------------------------------------------------------------------------

def example_queries() -> list[tuple[str, str, str]]:
    """(name, question, text) of the shipped contract queries, sorted by name."""
    from .. import resources_path

    folder = resources_path("queries", "officials.rq").parent
    out = []
    for f in sorted(folder.glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        out.append((f.stem, first.lstrip("# ").strip() if first.startswith("#") else "", text))
    return out


_STYLE = """
body { font-family: system-ui, "Vazirmatn", "Noto Sans Arabic", Tahoma, sans-serif; margin: 1.5em; }
textarea { width: 100%; height: 14em; font-family: ui-monospace, monospace; font-size: 0.9em; }
.examples li { margin: 0.2em 0; }
.results { overflow-x: auto; }
table { border-collapse: collapse; margin-top: 0.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: start; }
th { background: #f3f3f3; }
td { unicode-bidi: plaintext; }
td.iri { font-family: ui-monospace, monospace; font-size: 0.85em; }
.error { color: #a00; white-space: pre-wrap; }
pre { background: #f7f7f7; padding: 0.5em; overflow-x: auto; unicode-bidi: plaintext; }
"""


def page(source: Source, timeout: float, max_rows: int, sparql: str = "", result: Reply | None = None,
         fmt: str = "html") -> bytes:
    examples = "\n".join(
        f'<li><a href="/?{html.escape(urlencode({"query": text}))}">{html.escape(name)}</a>'
        f"{' — ' + html.escape(question) if question else ''}</li>" for name, question, text in example_queries())
    default = sparql or next((t for n, _, t in example_queries() if n == "officials"), "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    if result is None:
        shown = ""
    elif result.status == 200:
        shown = result.body.decode("utf-8")
    else:
        shown = f'<p class="error">HTTP {result.status}: {html.escape(result.body.decode("utf-8", "replace"))}</p>'
    formats = "".join(f'<option value="{k}"{" selected" if k == fmt else ""}>{label}</option>' for k, label in (
        ("html", "table (this page)"), ("json", "SPARQL JSON"), ("csv", "CSV"), ("tsv", "TSV"), ("xml", "SPARQL XML"),
        ("turtle", "Turtle (CONSTRUCT)"), ("nt", "N-Triples (CONSTRUCT)")))
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>kg-builder SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>kg-builder SPARQL endpoint</h1>
<p>{html.escape(source.path.name)}: {source.describe()}. Protocol endpoint: <code>/sparql</code>
(GET <code>?query=</code> or POST). Read-only; each query may run {timeout:g} s and return {max_rows} rows.</p>
<form method="get" action="/">
<textarea name="query" dir="ltr" spellcheck="false">{html.escape(default)}</textarea>
<p><label>Result as <select name="format">{formats}</select></label> <button type="submit">Run</button></p>
</form>
<section id="result">{shown}</section>
<h2>Example queries</h2>
<p>The questions in <code>examples/queries</code>; a click runs one.</p>
<ul class="examples">
{examples}
</ul>
</body></html>
""".encode()


class _Handler:
    """The request handler's own part; ``handler_class()`` mixes it with http.server's."""

    server_version = "kg-builder-sparql"
    protocol_version = "HTTP/1.1"

    # set on the server: endpoint (Endpoint), quiet (bool)
    def log_message(self, format: str, *args) -> None:
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)

    def _send(self, reply: Reply, head_only: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if reply.status >= 400:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(reply.body)

    def _refuse(self, status: int, message: str, **headers: str) -> None:
        self.close_connection = True
        self._send(_error(status, message, **headers))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        endpoint: Endpoint = self.server.endpoint
        if url.path in ("/", "/index.html"):
            fmt = (params.get("format") or ["html"])[0]
            if "query" in params and fmt != "html":
                return self._protocol(params)
            sparql = (params.get("query") or [""])[0]
            result = None
            if sparql.strip():
                result = self._check(params) or endpoint.run(sparql, html=True)
            return self._send(Reply(200, CONTENT_TYPES["html"],
                                    page(endpoint.source, endpoint.timeout, endpoint.max_rows, sparql, result)))
        if url.path in ("/sparql", "/query"):
            return self._protocol(params)
        if url.path == "/favicon.ico":
            return self._send(Reply(204, "image/x-icon", b""))
        self._send(_error(404, f"no such page: {url.path} (the SPARQL endpoint is /sparql, the query page /)"))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/update"):
            return self._refuse(404, f"no such endpoint: {url.path} (the SPARQL endpoint is /sparql)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._refuse(400, "bad Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._refuse(411, "send the query with a Content-Length (chunked bodies are not accepted)")
        if length > MAX_BODY:
            return self._refuse(413, f"the request body is larger than {MAX_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update" or url.path == "/update":
            return self._send(_error(403, "this endpoint is read-only: SPARQL Update is refused"))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._send(_error(400, "the request body is not UTF-8"))
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return self._send(_error(403, "this endpoint is read-only: SPARQL Update is refused"))
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            return self._protocol(params)
        if ctype == "application/sparql-query":
            if "query" in params:
                return self._send(_error(400, "give the query either in the body or as query=, not both"))
            params["query"] = [text]
            return self._protocol(params)
        self._send(_error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded "
                               "(query=...)"))

    def _not_allowed(self) -> None:
        self._refuse(405, "this endpoint is read-only: only GET and POST of queries", Allow="GET, POST")

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _check(self, params: dict) -> Reply | None:
        if "update" in params:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            return _error(400, "give exactly one query (query=...); the query page is at /")
        return None

    def _protocol(self, params: dict) -> None:
        problem = self._check(params)
        if problem:
            return self._send(problem)
        endpoint: Endpoint = self.server.endpoint
        reply = endpoint.run(params["query"][0], accept=self.headers.get("Accept"),
                             fmt=(params.get("format") or params.get("output") or [None])[0],
                             default_graphs=params.get("default-graph-uri"), named_graphs=params.get("named-graph-uri"))
        reply.headers.setdefault("Vary", "Accept")
        self._send(reply)


class Endpoint:
    """The data, its worker pool and the limits; ``run`` answers one query."""

    def __init__(self, source: Source, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                 workers: int = DEFAULT_WORKERS):
        self.source, self.timeout, self.max_rows = source, timeout, max_rows
        self.pool = WorkerPool(source.store_dir, workers)

    def run(self, sparql: str, *, accept: str | None = None, fmt: str | None = None, html: bool = False,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> Reply:
        job = {"query": sparql, "accept": accept, "format": fmt, "html": html, "max_rows": self.max_rows,
               "default_graphs": default_graphs or [], "named_graphs": named_graphs or []}
        return self.pool.run(job, self.timeout)

    def close(self) -> None:
        self.pool.close()
        self.source.cleanup()


@cache
def handler_class():
    from http.server import BaseHTTPRequestHandler

    return type("Handler", (_Handler, BaseHTTPRequestHandler), {})


@cache
def server_class(ipv6: bool):
    import socket
    from http.server import ThreadingHTTPServer

    attrs = {"daemon_threads": True, "allow_reuse_address": True}
    if ipv6:
        attrs["address_family"] = socket.AF_INET6
    return type("Server", (ThreadingHTTPServer,), attrs)


def make_server(path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS, workers: int = DEFAULT_WORKERS,
                quiet: bool = False):
    """Open the data, start the workers and bind; ``server.endpoint.close()`` after ``server_close()``.

    ``port=0`` picks a free port (``server.server_address[1]``).
    """
    from ..errors import ConfigError

    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise ConfigError("--timeout must be > 0, --max-rows and --workers >= 1")
    source = open_source(path)
    endpoint = None
    try:
        endpoint = Endpoint(source, timeout=timeout, max_rows=max_rows, workers=workers)
        problem = endpoint.pool.wait_ready()
        if problem:
            from ..errors import GraphLoadError

            raise GraphLoadError(problem, str(path))
        try:
            server = server_class(":" in host)((host, port), handler_class())
        except OSError as e:
            raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    except BaseException:
        if endpoint:
            endpoint.close()
        else:
            source.cleanup()
        raise
    server.endpoint = endpoint
    server.quiet = quiet
    return server


def url_of(server) -> str:
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def cmd_serve(args: argparse.Namespace) -> int:
    server = make_server(args.graph, args.host, args.port, timeout=args.timeout, max_rows=args.max_rows,
                         workers=args.workers, quiet=args.quiet)
    url = url_of(server)
    print(f"serving {server.endpoint.source.path} ({server.endpoint.source.describe()}) at {url}  "
          f"(SPARQL endpoint {url}sparql; Ctrl-C stops)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"kg-builder: note: listening on {args.host}, reachable from other machines", file=sys.stderr)

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop cleanly (also when started in the background, where SIGINT comes ignored)
    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        server.endpoint.close()
    print("stopped", file=sys.stderr, flush=True)
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("serve", help="serve a graph or store as a read-only SPARQL endpoint with a query page",
                       description="A SPARQL 1.1 Protocol endpoint at /sparql and a query page at /. Each query runs "
                                   "in a worker process that is killed at the time limit; a result over --max-rows "
                                   "is refused (422), not truncated; SPARQL Update is refused (403).")
    s.add_argument("graph", metavar="KG|STORE", help="an RDF file (.ttl, .trig, .nq, .nt ...) or an Oxigraph store "
                                                     "directory (opened read-only)")
    s.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s, this machine only)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default: %(default)s; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit per query (default: %(default)g s)")
    s.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, metavar="N",
                   help="largest result served, rows or triples (default: %(default)s)")
    s.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                   help="query worker processes, i.e. queries run at once (default: %(default)s)")
    s.add_argument("-q", "--quiet", action="store_true", help="no access log on stderr")
    s.set_defaults(func=cmd_serve)
