"""HTTP fuzzing of kg-builder serve: random request lines, headers and bodies over raw sockets to one
running server. Each request gets a well-formed HTTP response (an HTTP/1.x status line and header
lines) with a status under 500, or one of the documented 503 (busy, over a limit) and 505 (HTTP/2 or
later asked for), and the connection ends within a bound; the server answers a good query after
each. ``HYPOTHESIS_PROFILE=fuzz KG_FUZZ_EXAMPLES=N python -m pytest -m fuzz`` runs it with N cases.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_serve import get, rq, running
from test_serve_security import exchange

DOCUMENTED_5XX = {503, 505}
BOUND = 10.0  # seconds a whole exchange may take: the server's read timeout here is 1 s, its query limit 3 s
GOOD = "ASK { ?s ?p ?o }"

QUERIES = [GOOD, "SELECT * { ?s ?p ?o } LIMIT 3", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "SELECT nonsense",
           "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
           "SELECT * FROM <urn:g> { ?s ?p ?o }", "SELECT (<urn:f>(1) AS ?x) {}", "# PREFIX a: <bad>\nASK {}"]
WORDS = st.sampled_from(QUERIES + ["json", "csv", "tsv", "xml", "turtle", "nt", "html", "bogus", "", "not an iri",
                                   "https://w3id.org/kg-builder/id/graph/x", "\x00", "%", "%zz", "&&=="])
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)

methods = st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "BREW",
                           "get", ""]) | st.text(string.ascii_letters + "-_", min_size=1, max_size=12)
paths = st.sampled_from(["/", "/sparql", "/query", "/update", "/index.html", "*", "/favicon.ico", "/nope", "//",
                         "/sparql/..", "http://127.0.0.1/sparql", "/%00"])
params = st.lists(st.tuples(st.sampled_from(["query", "format", "output", "update", "default-graph-uri",
                                             "named-graph-uri", "x"]), WORDS | TEXT), max_size=4)
targets = st.builds(lambda p, q: f"{p}?{urlencode(q)}" if q else p, paths, params) | TEXT.map(quote) | TEXT
versions = st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1 x", "", "http/1.1",
                            "HTTP/1.x", "HTTP/11.1", "HTTP/1.01"])
header_names = st.sampled_from(["Content-Length", "Content-Type", "Transfer-Encoding", "Accept", "Origin",
                                "Connection", "Expect", "Host", "Access-Control-Request-Method", "X-Y"]) \
    | st.text(string.ascii_letters + string.digits + "-_:; ", max_size=20)
header_values = st.sampled_from(["-1", "0", "5", "abc", "+5", "chunked", "application/sparql-query",
                                 "application/x-www-form-urlencoded", "application/sparql-update", "text/csv", "*/*",
                                 "image/png", "close", "keep-alive", "100-continue", "http://a.example"]) \
    | st.integers(-10, 2_000_000).map(str) | TEXT
bodies = st.sampled_from([b""] + [q.encode() for q in QUERIES] + [urlencode({"query": q}).encode() for q in QUERIES]) \
    | st.binary(max_size=300)


@st.composite
def requests(draw) -> bytes:
    """A request as a client, careless or hostile, might send it."""
    eol = draw(st.sampled_from(["\r\n", "\n"]))
    line = f"{draw(methods)} {draw(targets)} {draw(versions)}"
    headers = draw(st.lists(st.tuples(header_names, header_values), max_size=8))
    body = draw(bodies)
    if draw(st.booleans()):  # often a true length, so that the body is read and the request handled
        headers.append(("Content-Length", str(len(body))))
    head = eol.join([line, *(f"{k}: {v}" for k, v in headers)]) + eol + eol
    return head.encode("utf-8") + body


@pytest.fixture(scope="module")
def server(seeds_ttl):
    with running(seeds_ttl, timeout=3.0, read_timeout=1.0, workers=2, max_rows=1000) as url:
        yield url


_INTERIM = re.compile(rb"HTTP/1\.1 1\d\d [^\r\n]*\r\n\r\n")  # 100 Continue before the answer
_HEAD = re.compile(rb"HTTP/1\.[01] (\d{3}) [^\r\n]*\r\n(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+: [^\r\n]*\r\n)*\r\n")


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(request=requests())
def test_every_request_gets_a_well_formed_answer_and_the_server_goes_on(server, request):
    reply = exchange(server, request, wait=BOUND)
    assert not reply.endswith(b"<no close>"), f"no answer and no close within {BOUND} s"
    first_line = request.split(b"\n", 1)[0]
    if not first_line.strip():  # a blank line before the request line is ignored (RFC 9112 2.2); then EOF
        assert reply in (b"",) or _HEAD.match(reply), reply[:300]
    else:
        while _INTERIM.match(reply):
            reply = reply[_INTERIM.match(reply).end():]
        head = _HEAD.match(reply)
        assert head, f"not an HTTP/1.x answer: {reply[:300]!r}"
        status = int(head[1])
        assert status < 500 or status in DOCUMENTED_5XX, reply[:300]
        assert b"internal error" not in reply, reply[:300]
    status, _, body = get(server, GOOD)
    assert status == 200 and b'"boolean": true' in body.replace(b'":true', b'": true')


def test_a_contract_query_still_answers_after_the_fuzzing(server):
    status, _, body = get(server, rq("hotline"))
    assert status == 200 and b"bindings" in body


# -- queries: any text a client sends is answered or refused as the client's mistake ---------------

TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "GRAPH", "SERVICE", "OPTIONAL", "UNION",
          "MINUS", "FILTER", "BIND", "VALUES", "AS", "ORDER BY", "GROUP BY", "HAVING", "LIMIT 1", "OFFSET", "DISTINCT",
          "{", "}", "(", ")", ".", ";", ",", "*", "?s", "?p", "?o", "?x", "<urn:p>", "<http://example.org/f>(?o)",
          "<relative>", '"text"@fa', "1", "-1.5e3", "PREFIX a: <bad iri>", "PREFIX a: <urn:a#>", "a:b", "BASE <x>",
          "# comment\n", "COUNT(*)", "SUM(?o)", "REGEX(?o, \"(\")", "IRI(?o)", "STRDT(?o, <urn:t>)", "<<?s ?p ?o>>",
          "LANG(?o)", "NOW()", "INSERT DATA", "LOAD <urn:x>", "\\u0053", "'''", "\"", "<", ">", "^^", "@"]


@st.composite
def queries(draw) -> str:
    """A good query with tokens deleted, inserted and repeated here and there."""
    words = draw(st.sampled_from(QUERIES + [rq(n) for n in ("officials", "counties", "hotline")])).split(" ")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(words)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert" or not words:
            words.insert(at, draw(st.sampled_from(TOKENS) | TEXT))
        elif action == "delete":
            del words[min(at, len(words) - 1)]
        else:
            words.insert(at, words[min(at, len(words) - 1)])
    return " ".join(words)


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    """A store small enough that any query, however mangled, answers at once."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(TINY.encode(), format=ox.RdfFormat.TRIG)
    return store


TINY = """<urn:e> <urn:p> "shared"@fa .
<https://w3id.org/kg-builder/id/graph/a> { <urn:s> <urn:p> 1 . }
<https://w3id.org/kg-builder/id/graph/a/quarantine> { <urn:s> <urn:p> "held back" . }
"""


@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(sparql=queries())
def test_a_mangled_query_is_answered_or_refused_as_bad_never_a_crash(tiny_store, sparql):
    from kg_builder.errors import GraphLoadError
    from kg_builder.outputs.query import answer as run_query
    from kg_builder.outputs.serve.protocol import answer as reply_to

    try:
        run_query(tiny_store, sparql)  # kg-builder query: an answer, or exit 2 with one line
    except GraphLoadError as e:
        assert "\n" not in e.message.strip(), e.message
    for fmt in ("json", "xml", "turtle"):
        reply = reply_to(tiny_store, {"query": sparql, "max_rows": 100, "format": fmt})
        assert reply.status < 500, (reply.status, reply.body[:300])
