"""kg-builder serve: the SPARQL 1.1 Protocol over HTTP, content negotiation, read-only, the time and
row limits, the query page, a store directory, and the command's start and clean stop.

Every server here listens on 127.0.0.1 on a free port and is stopped by its fixture.
"""

from __future__ import annotations

import csv
import io
import json
import re
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from helpers import QUERIES, SEEDS, built

from kg_builder.cli import main
from kg_builder.outputs.query import query, store_of
from kg_builder.outputs.serve import RESULT_TYPES, looks_like_update, make_server, negotiate, url_of

CONTRACT = ["officials", "statistics", "provinces", "counties", "programs", "hotline", "articles", "provenance"]
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~3e10 rows on the seeds


@contextmanager
def running(path, **options):
    server = make_server(path, "127.0.0.1", 0, **options)  # no log callback: silent
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        server.endpoint.close()
        thread.join(5)


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get(base: str, sparql: str, accept: str | None = None, **params):
    url = f"{base}sparql?{urllib.parse.urlencode({'query': sparql, **params})}"
    return http(url, headers={"Accept": accept} if accept else {})


def rq(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def local(seeds_ttl):
    store = store_of(seeds_ttl)
    return lambda sparql: query(store, sparql)


@pytest.fixture(scope="module")
def base(seeds_ttl):
    with running(seeds_ttl, timeout=2.0, workers=2) as url:
        yield url


def json_rows(body: bytes) -> tuple:
    data = json.loads(body)
    names = data["head"]["vars"]
    return tuple(tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"])


@pytest.mark.parametrize("name", CONTRACT)
def test_contract_queries_as_sparql_json(base, local, name):
    status, headers, body = get(base, rq(name), "application/sparql-results+json")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    expected = local(rq(name))
    assert json.loads(body)["head"]["vars"] == list(expected.variables)
    assert json_rows(body) == expected.rows
    assert expected.rows, f"{name} answers nothing on the seeds"


@pytest.mark.parametrize("name", CONTRACT)
def test_contract_queries_as_csv_by_form_post(base, local, name):
    form = urllib.parse.urlencode({"query": rq(name)}).encode()
    status, headers, body = http(f"{base}sparql", form, {"Accept": "text/csv",
                                                         "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    expected = local(rq(name))
    assert tuple(table[0]) == expected.variables
    assert [tuple(r) for r in table[1:]] == [tuple(c or "" for c in r) for r in expected.rows]


def test_direct_post_tsv_xml_ask_and_construct(base, local):
    status, headers, body = http(f"{base}sparql", rq("provinces").encode(),
                                 {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?source\t?name" and len(lines) == len(local(rq("provinces")).rows) + 1
    assert lines[1].split("\t")[1].endswith('"@fa')  # terms in Turtle syntax, language tag kept

    status, headers, body = get(base, "ASK { ?s a <https://w3id.org/kg-builder/ontology#Person> }",
                                "application/sparql-results+xml")
    assert status == 200 and b"<boolean>true</boolean>" in body
    status, _, body = get(base, "ASK { ?s a <urn:nothing> }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": False}

    construct = "CONSTRUCT { ?p a ?t } WHERE { ?p a ?t . FILTER (?t = <https://w3id.org/kg-builder/ontology#Person>) }"
    people = len(local("SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/kg-builder/ontology#Person> }").rows)
    status, headers, body = get(base, construct)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    import pyoxigraph as ox

    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == people
    status, headers, body = get(base, construct, "application/n-triples")
    assert status == 200 and len(body.decode().strip().splitlines()) == people
    status, headers, _ = get(base, construct, "application/sparql-results+json")  # not a graph format
    assert status == 406


def test_content_negotiation():
    assert negotiate(None, RESULT_TYPES) == "json"
    assert negotiate("*/*", RESULT_TYPES) == "json"
    assert negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_TYPES) == "json"
    assert negotiate("application/sparql-results+json;q=0.2, text/csv", RESULT_TYPES) == "csv"
    assert negotiate("text/*", RESULT_TYPES) == "csv"
    assert negotiate("text/html,application/xhtml+xml,*/*;q=0.8", RESULT_TYPES) == "json"  # a browser
    assert negotiate("image/png", RESULT_TYPES) is None
    assert negotiate("text/csv;q=0, */*;q=0.1", RESULT_TYPES) == "json"


def test_a_federated_query_is_refused_without_contacting_anyone(base):
    import socket

    with socket.socket() as listener:  # where the query points: the endpoint must not connect to it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for sparql in (f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                       f"ASK {{ FILTER EXISTS {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }} }}"):
            status, _, body = get(base, sparql)
            assert status == 400 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()


def test_updates_are_refused(base, local):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    refused = [
        http(f"{base}sparql", update.encode(), {"Content-Type": "application/sparql-update"}),
        http(f"{base}sparql", urllib.parse.urlencode({"update": update}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        get(base, "PREFIX ex: <urn:x#>\n" + update),  # an update sent as a query
        http(f"{base}update", update.encode(), {"Content-Type": "application/sparql-update"}),
    ]
    for status, _, body in refused:
        assert status == 403 and b"read-only" in body
    status, _, _ = http(f"{base}sparql", b"", method="PUT")
    assert status == 405
    assert local("SELECT * WHERE { <urn:a> ?p ?o }").rows == ()
    status, _, body = get(base, "ASK { <urn:a> ?p ?o }")
    assert json.loads(body)["boolean"] is False
    assert looks_like_update("# c\nPREFIX a: <urn:a>\n delete where { ?s ?p ?o }")
    assert not looks_like_update("PREFIX a: <urn:a> SELECT * { ?s a:insert ?o }")


def test_bad_requests_get_clear_4xx(base):
    status, _, body = get(base, "SELECT WHERE nonsense")
    assert status == 400 and body.startswith(b"bad SPARQL")
    status, _, body = http(f"{base}sparql")
    assert status == 400 and b"query" in body
    status, _, _ = http(f"{base}sparql", b"query=x", {"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = get(base, "SELECT * { ?s ?p ?o } LIMIT 1", "image/png")
    assert status == 406
    status, _, _ = get(base, "SELECT * { ?s ?p ?o } LIMIT 1", default_graph_uri="x")  # not an IRI param name
    assert status == 200
    status, _, _ = get(base, "SELECT * { ?s ?p ?o } LIMIT 1", **{"default-graph-uri": "not an iri"})
    assert status == 400


def test_a_query_over_the_time_limit_is_stopped_and_the_server_goes_on(base, local):
    started = time.monotonic()
    status, _, body = get(base, CROSS_JOIN)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit of 2 s" in body
    assert elapsed < 10
    for _ in range(3):  # more queries than workers: the killed worker was replaced
        status, _, body = get(base, rq("hotline"))
        assert status == 200 and json_rows(body) == local(rq("hotline")).rows


def test_a_result_over_the_row_limit_is_refused_not_truncated(seeds_ttl, local):
    rows = len(local(rq("statistics")).rows)
    assert rows > 5
    with running(seeds_ttl, max_rows=5, workers=1) as url:
        status, _, body = get(url, rq("statistics"))
        assert status == 422 and b"more than 5 rows" in body and b"LIMIT" in body
        status, _, body = get(url, rq("statistics") + " LIMIT 5")
        assert status == 200 and len(json_rows(body)) == 5
        status, _, body = get(url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
        assert status == 422 and b"more than 5 triples" in body


def test_the_page_links_only_web_iris(base):
    """A query may make any IRI (IRI("javascript:...")): the page shows it as text, links only http(s)."""
    sparql = 'SELECT ?x { VALUES ?x { <javascript:alert(document.domain)> <data:text/html,x> <https://example.org/a> } }'
    status, _, body = http(f"{base}?{urllib.parse.urlencode({'query': sparql})}")
    page = body.decode("utf-8")
    assert status == 200 and "javascript:alert(document.domain)" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert "https://example.org/a" in hrefs
    assert not [h for h in hrefs if not h.startswith(("http://", "https://", "/"))], hrefs


def test_the_page_offers_the_example_queries_and_shows_results(base, local):
    status, headers, body = http(base)
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in page and "<form" in page
    for name in CONTRACT:
        assert f">{name}</a>" in page
    link = f"/?{urllib.parse.urlencode({'query': rq('officials')})}"
    assert link.replace("&", "&amp;") in page or link in page

    status, _, body = http(base.rstrip("/") + link)
    page = body.decode("utf-8")
    expected = local(rq("officials"))
    assert status == 200 and f"{len(expected.rows)} rows" in page
    assert '<td dir="auto" lang="fa"' in page  # right-to-left text keeps its own direction
    assert expected.rows[0][1] in page

    status, _, body = http(base + "?" + urllib.parse.urlencode({"query": "SELECT nonsense"}))
    assert status == 200 and "HTTP 400" in body.decode()
    status, headers, body = http(base + "?" + urllib.parse.urlencode({"query": rq("hotline"), "format": "csv"}))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


def test_a_store_directory_is_served_read_only_with_the_union_of_its_graphs(tmp_path):
    from kg_builder.outputs.store import update

    result = built(str(SEEDS))
    store_dir = tmp_path / "store"
    update(store_dir, result.graph, result.quarantine)
    expected = query(store_of(store_dir), rq("officials"))
    with running(store_dir, workers=1) as url:
        status, _, body = get(url, rq("officials"))
        assert status == 200 and json_rows(body) == expected.rows
        status, _, body = get(url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert int(json_rows(body)[0][0]) >= result.articles


def test_the_access_log_goes_to_the_callback_not_to_stderr(seeds_ttl, capfd):
    lines = []
    with running(seeds_ttl, workers=1, log=lines.append) as url:
        status, _, _ = get(url, "ASK { ?s ?p ?o }")
    assert status == 200
    assert any('"GET /sparql?query=' in line and '" 200 ' in line for line in lines), lines
    assert capfd.readouterr().err == ""  # the library itself prints nothing


def test_a_missing_graph_is_an_input_error(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.ttl"), "--port", "0"]) == 2
    assert "missing.ttl" in capsys.readouterr().err


def test_the_command_prints_its_url_and_stops_cleanly_on_ctrl_c(seeds_ttl, tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "kg_builder", "serve", str(seeds_ttl), "--port", "0", "-q",
                             "--cors", APP],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        assert sel.select(timeout=60), "no URL printed within 60 s"
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line and "Ctrl-C" in line
        url = line.split(" at ", 1)[1].split()[0]
        assert list(tmp_path.glob("kg-serve-*")), "the file is loaded into a temporary store"
        status, headers, body = http(f"{url}sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D", headers={"Origin": APP})
        assert status == 200 and json.loads(body)["boolean"] is True
        assert headers["Access-Control-Allow-Origin"] == APP  # --cors reaches the server
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert proc.stderr.read() == ""  # -q: no access log, no "stopped"
        assert not list(tmp_path.glob("kg-serve-*")), "the temporary store is removed"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


# -- HEAD, OPTIONS and CORS ----------------------------------------------------------------------

APP = "http://app.example:8080"  # an invented origin of a browser page


def _cors_headers(headers) -> list[str]:
    return [k for k in headers if k.lower().startswith("access-control-")]


def test_head_answers_as_get_without_the_body_and_options_with_allow(base):
    sparql = f"{base}sparql?{urllib.parse.urlencode({'query': rq('hotline')})}"
    for url in (base, sparql):
        status, headers, body = http(url)
        head_status, head_headers, head_body = http(url, method="HEAD")
        assert status == head_status == 200 and body and head_body == b""
        for name in ("Content-Type", "Content-Length", "Vary"):
            assert head_headers.get(name) == headers.get(name), name
        assert head_headers["Content-Length"] == str(len(body))

    status, headers, body = http(f"{base}sparql", method="OPTIONS")
    assert status == 204 and body == b"" and "Content-Length" not in headers
    assert headers["Allow"] == "GET, POST, OPTIONS, HEAD"
    assert http(base, method="OPTIONS")[1]["Allow"] == "GET, HEAD, OPTIONS"  # the page takes no POST
    assert http(f"{base}nowhere", method="OPTIONS")[0] == 404
    status, headers, _ = http(f"{base}sparql", b"", method="PUT")
    assert status == 405 and headers["Allow"] == "GET, POST, OPTIONS, HEAD"
    # no --cors: no CORS header at all, not even to a preflight from a page elsewhere
    status, headers, _ = http(f"{base}sparql", method="OPTIONS",
                              headers={"Origin": APP, "Access-Control-Request-Method": "POST"})
    assert status == 204 and not _cors_headers(headers)
    status, headers, _ = http(sparql, headers={"Origin": APP})
    assert status == 200 and not _cors_headers(headers) and "Origin" not in headers.get("Vary", "")


def test_cors_headers_for_the_origins_given(seeds_ttl):
    ask = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    with running(seeds_ttl, workers=1, cors=[APP + "/", "https://other.example:443"]) as url:
        status, headers, body = http(f"{url}sparql?{ask}", headers={"Origin": APP})
        assert status == 200 and json.loads(body)["boolean"] is True
        assert headers["Access-Control-Allow-Origin"] == APP
        assert [v.strip() for v in headers["Vary"].split(",")] == ["Accept", "Origin"]
        status, headers, _ = http(f"{url}sparql?{ask}", headers={"Origin": "https://other.example"})
        assert headers["Access-Control-Allow-Origin"] == "https://other.example"  # default port written away
        status, headers, _ = http(f"{url}sparql?query=nonsense", headers={"Origin": APP})
        assert status == 400 and headers["Access-Control-Allow-Origin"] == APP  # errors are readable too
        status, headers, body = http(f"{url}sparql?{ask}", headers={"Origin": APP}, method="HEAD")
        assert status == 200 and body == b"" and headers["Access-Control-Allow-Origin"] == APP

        # the preflight a browser sends before POSTing application/sparql-query
        status, headers, body = http(f"{url}sparql", method="OPTIONS", headers={
            "Origin": APP, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
        assert status == 204 and body == b""
        assert headers["Access-Control-Allow-Origin"] == APP and "Origin" in headers["Vary"]
        assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS, HEAD"
        assert headers["Access-Control-Allow-Headers"] == "Content-Type, Accept"
        assert int(headers["Access-Control-Max-Age"]) > 0
        status, headers, body = http(f"{url}sparql", b"ASK { ?s ?p ?o }",
                                     {"Origin": APP, "Content-Type": "application/sparql-query"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == APP

        # another origin: no Allow-Origin (Vary still), so its page cannot read the answer
        for method in ("GET", "OPTIONS"):
            status, headers, _ = http(f"{url}sparql?{ask}", method=method, headers={
                "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "GET"})
            assert status in (200, 204) and not _cors_headers(headers) and headers["Vary"].endswith("Origin")
        # and still read-only
        status, headers, _ = http(f"{url}sparql", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                  {"Origin": APP, "Content-Type": "application/sparql-update"})
        assert status == 403 and headers["Access-Control-Allow-Origin"] == APP


def test_bad_cors_origins_are_usage_errors(seeds_ttl, capsys):
    for bad in ("app.example", "http://app.example/sparql", "ftp://app.example", "http://"):
        assert main(["serve", str(seeds_ttl), "--port", "0", "--cors", bad]) == 3, bad
        err = capsys.readouterr().err
        assert "--cors" in err and bad in err and err.count("\n") == 1


_PAGE = """<!DOCTYPE html><html><body><pre id="out"></pre><script>
async function ask(endpoint) {  // a POST of application/sparql-query: the browser sends a preflight first
  try {
    const r = await fetch(endpoint, {method: "POST", body: "ASK { ?s ?p ?o }",
      headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
    return "boolean=" + (await r.json()).boolean;
  } catch (e) { return "refused"; }
}
Promise.all([ask("ALLOWED"), ask("CLOSED")]).then((r) => {
  document.getElementById("out").textContent = r.join(" ");
  document.body.dataset.done = "1";
});
</script></body></html>"""


def test_a_page_of_another_origin_queries_from_a_real_browser_only_with_cors(seeds_ttl, base, tmp_path):
    import http.server
    import shutil

    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if not chromium:
        if os.environ.get("CI"):
            pytest.fail("chromium missing in CI; .ci/run installs it")
        pytest.skip("chromium not installed: the CORS check runs in a real browser")

    with running(seeds_ttl, workers=1, cors=["*"]) as allowed:
        page = _PAGE.replace("ALLOWED", allowed + "sparql").replace("CLOSED", base + "sparql").encode()

        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)  # another port: another origin
        thread = threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            run = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                  f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=8000",
                                  "--dump-dom", f"http://127.0.0.1:{site.server_address[1]}/"],
                                 capture_output=True, timeout=90, check=False)
        finally:
            site.shutdown()
            site.server_close()
            thread.join(5)
    dom = run.stdout.decode("utf-8")
    assert 'data-done="1"' in dom, run.stderr.decode(errors="replace")[-2000:]
    assert '<pre id="out">boolean=true refused</pre>' in dom
