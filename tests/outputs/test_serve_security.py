"""kg-builder serve against a hostile or careless client (issue 15): memory and lifetime of the query
workers, slow and malformed HTTP, bounded connections, SERVICE, the page's links, dataset clauses,
and queries the engine cannot run. Every server listens on 127.0.0.1 on a free port.

Bounds on waiting (a closed connection "within 5 s") are generous limits that keep a failing test
from hanging, not timings: the server's own limits here are 1-2 s.
"""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import pytest
from test_serve import CROSS_JOIN, get, http, json_rows, rq, running

from kg_builder.cli import main
from kg_builder.outputs.serve import MAX_BODY

ORDER_CROSS = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?c ?f"  # ~11e6 rows to sort
G = "https://w3id.org/kg-builder/id/graph/"


def port_of(url: str) -> int:
    return int(url.rstrip("/").rsplit(":", 1)[1])


def exchange(url: str, data: bytes, *, half_close: bool = True, wait: float = 5.0) -> bytes:
    """Send raw bytes, then read until the server closes (or ``wait`` passes without a byte)."""
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=wait) as s:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed first (a refusal does not wait for the body)
            pass
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except TimeoutError:
            out += b"<no close>"
        except ConnectionResetError:
            pass
        return out


def status_of(reply: bytes) -> int | None:
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply)
    return int(m[1]) if m else None


def post(body: bytes, length: bytes | None, extra: bytes = b"") -> bytes:
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + extra
    if length is not None:
        head += b"Content-Length: " + length + b"\r\n"
    return head + b"\r\n" + body


@pytest.fixture(scope="module")
def base(seeds_ttl):
    with running(seeds_ttl, timeout=3.0, read_timeout=1.0) as url:
        yield url


# -- point 5: the workers' memory and lifetime ---------------------------------------------------

def test_a_query_over_the_memory_limit_is_stopped_and_the_server_goes_on(seeds_ttl):
    with running(seeds_ttl, workers=1, timeout=60.0, memory_limit=300) as url:
        status, headers, body = get(url, ORDER_CROSS)
        assert status == 503 and b"memory limit of 300 MB" in body, body  # not the time limit
        for _ in range(2):  # a fresh worker took the place
            status, _, body = get(url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
            assert status == 200 and int(json_rows(body)[0][0]) > 1000


def quietly(f, *args):
    """``f(*args)`` in a thread whose server may be killed under it."""
    try:
        f(*args)
    except OSError:
        pass


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(c) for c in (task / "children").read_text().split()}
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_the_workers_die_with_a_killed_server_even_mid_query(seeds_ttl):
    proc = subprocess.Popen([sys.executable, "-m", "kg_builder", "serve", str(seeds_ttl), "--port", "0", "-q",
                             "--workers", "2", "--timeout", "30", "--memory-limit", "300"], stdout=subprocess.PIPE,
                            text=True)
    workers: set[int] = set()
    try:
        url = proc.stdout.readline().split(" at ", 1)[1].split()[0]
        kept = HTTPConnection("127.0.0.1", port_of(url), timeout=30)  # one thread serves it all along
        kept.request("GET", "/sparql?" + urllib.parse.urlencode({"query": ORDER_CROSS}))
        reply = kept.getresponse()
        assert reply.status == 503 and b"memory limit of 300 MB" in reply.read()  # the option reaches the workers
        time.sleep(1.5)  # the worker that took the killed one's place is up, and its parent thread (if it
        kept.close()  # were this connection's) now ends: the worker must stay
        time.sleep(0.5)
        assert get(url, rq("hotline"))[0] == 200 and get(url, rq("hotline"))[0] == 200  # both still there
        threading.Thread(target=quietly, args=(get, url, CROSS_JOIN), daemon=True).start()
        time.sleep(0.5)  # one worker is busy with the cross join, one idle
        workers = _children(proc.pid)
        assert len(workers) == 2 and all(map(_alive, workers))
        proc.kill()
        proc.wait(10)
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:  # the workers this test started, if the server left them behind
            if _alive(w):
                os.kill(w, 9)


def test_a_worker_reaches_no_host_on_linux():
    """Defence in depth under the SERVICE refusal: a worker's network namespace has no way out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        code = ("import socket, sys\nfrom kg_builder.outputs.serve.workers import _isolate_network\n"
                "if not _isolate_network(): print('not isolated'); sys.exit(0)\n"
                "try:\n    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2)\n"
                "except OSError as e:\n    print('refused', e.errno)\nelse:\n    print('connected')\n")
        out = subprocess.run([sys.executable, "-c", code, str(listener.getsockname()[1])], capture_output=True,
                             text=True, timeout=60).stdout.strip()
    if out == "not isolated":
        pytest.skip("network namespaces are not allowed here: the SERVICE refusal stands alone")
    assert out.startswith("refused"), out


# -- point 6: slow, idle, malformed and too many clients ------------------------------------------

def test_an_idle_connection_is_closed_after_the_read_timeout(base):
    assert exchange(base, b"", half_close=False) == b""  # closed by the server, without a word


def test_a_client_sending_a_byte_at_a_time_is_cut_off_with_408(base):
    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port_of(base)), timeout=5) as s:
        reply = b""
        for byte in request:  # 5 s for the whole request, each byte well within any one read's limit
            if select.select([s], [], [], 0.1)[0]:  # the server answered (and will close): read it
                reply = s.recv(65536)
                break
            s.sendall(bytes([byte]))
    assert status_of(reply) == 408, reply


@pytest.mark.parametrize("length", [b"-1", b"-5", b"abc", b"+5", b"1e3", b"0x10", b"5_0", b"9" * 30])
def test_a_bad_content_length_is_400(base, length):
    reply = exchange(base, post(b"ASK {}", length))
    assert status_of(reply) == 400 and b"Content-Length" in reply, reply


def test_content_length_missing_twice_chunked_or_too_large(base):
    assert status_of(exchange(base, post(b"ASK {}", None))) == 411
    assert status_of(exchange(base, post(b"ASK {}", b"6", b"Content-Length: 7\r\n"))) == 400
    assert status_of(exchange(base, post(b"6\r\nASK {}\r\n0\r\n\r\n", None, b"Transfer-Encoding: chunked\r\n"))) == 411
    assert status_of(exchange(base, post(b"ASK {}", str(MAX_BODY + 1).encode()))) == 413


def test_a_truncated_body_is_never_run(base):
    query = b"SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"  # a whole query, but the client promised more
    reply = exchange(base, post(query, str(len(query) + 40).encode()))
    assert status_of(reply) == 400 and b"nothing was run" in reply, reply
    assert status_of(exchange(base, post(query, str(len(query)).encode()))) == 200


def test_connections_beyond_the_limit_get_503_with_retry_after(seeds_ttl):
    with running(seeds_ttl, workers=1, max_connections=2, read_timeout=5.0) as url:
        idle = [socket.create_connection(("127.0.0.1", port_of(url))) for _ in range(2)]
        try:
            time.sleep(0.3)
            reply = exchange(url, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert status_of(reply) == 503 and b"Retry-After: 1" in reply, reply
        finally:
            for s in idle:
                s.close()
        time.sleep(0.3)  # the slots are free again
        assert get(url, "ASK { ?s ?p ?o }")[0] == 200


def test_two_slow_queries_do_not_hold_up_the_others(seeds_ttl):
    with running(seeds_ttl, timeout=3.0) as url:  # the default number of workers
        slow = [threading.Thread(target=get, args=(url, CROSS_JOIN), daemon=True) for _ in range(2)]
        for t in slow:
            t.start()
        time.sleep(0.5)
        status, _, body = get(url, rq("hotline"))
        assert status == 200 and json_rows(body), body
        assert all(t.is_alive() for t in slow), "answered only once a slow query was stopped"
        assert http(url)[0] == 200  # nor does the page wait
        for t in slow:
            t.join(10)


def test_unknown_methods_and_old_versions_get_a_4xx_with_a_status_line(base):
    assert status_of(exchange(base, b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n")) == 405
    assert status_of(exchange(base, b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n")) == 405
    assert status_of(exchange(base, b"GET /\r\n\r\n")) == 400  # HTTP/0.9: an answer with no status line
    assert status_of(exchange(base, b"GET / HTTP/0.9\r\n\r\n")) == 400
    assert status_of(exchange(base, b"GET 0 0 HTTP/0.9\r\n\r\n")) == 400  # found by the fuzz test
    assert status_of(exchange(base, b"GET / HTTP/2.0\r\n\r\n")) == 505  # documented: not < 500


def test_a_body_on_a_get_is_not_read_as_the_next_request(base):
    smuggled = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = exchange(base, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled) + smuggled)
    assert len(re.findall(rb"^HTTP/1\.1 \d{3} ", reply, re.M)) == 1


# -- point 4: SERVICE stays refused, however it is written ----------------------------------------

@pytest.mark.parametrize("template", [
    "SELECT * {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "select * {{ service<{t}>{{ ?s ?p ?o }} }}",
    "PREFIX r: <{t}> SELECT * {{ SeRvIcE SILENT r: {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{t}> {{}} }} }} LIMIT 1",
    "SELECT * {{ BIND(<{t}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "# a comment\nSELECT * {{ {{}} SERVICE <{t}> {{}} }}",
])
def test_service_is_refused_and_reaches_nobody(base, template):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.3)
        status, _, body = get(base, template.format(t=f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"))
        assert status == 400 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()


# -- point 7: the page escapes what it shows and links only web IRIs -------------------------------

def test_the_page_escapes_the_query_and_links_no_script(base):
    sparql = ('SELECT ?x { VALUES ?x { <JavaScript:alert(1)> <vbscript:x> <data:text/html,<b>> } } '
              '# </textarea><script>alert(1)</script>')
    status, _, body = http(f"{base}?{urllib.parse.urlencode({'query': sparql})}")
    page = body.decode("utf-8")
    assert status == 200 and "<script>" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page
    assert not [h for h in re.findall(r'href="([^"]*)"', page) if not h.startswith(("http", "/"))]


# -- point 10: FROM, FROM NAMED and the protocol's dataset ----------------------------------------

TRIG = f"""
<urn:e> <urn:p> "shared" .
<{G}a> {{ <urn:s> <urn:p> "in a" . }}
<{G}b> {{ <urn:s> <urn:p> "in b" . }}
<{G}a/quarantine> {{ <urn:s> <urn:p> "held back" . }}
"""
VALUES = "SELECT ?o {FROM} WHERE {{ ?s <urn:p> ?o }} ORDER BY ?o"
IN_GRAPHS = "SELECT ?g ?o {FROM} WHERE {{ GRAPH ?g {{ ?s <urn:p> ?o }} }} ORDER BY ?g"
DATASETS = [  # (query, what it sees)
    (VALUES.format(FROM=""), [("in a",), ("in b",), ("shared",)]),  # the visible data, no quarantine
    (VALUES.format(FROM=f"FROM <{G}a>"), [("in a",)]),
    (VALUES.format(FROM=f"from <{G}a> FROM <{G}b>"), [("in a",), ("in b",)]),
    (VALUES.format(FROM=f"FROM NAMED <{G}a>"), []),  # named graphs only: the default graph is empty
    (IN_GRAPHS.format(FROM=f"FROM NAMED <{G}b>"), [(f"{G}b", "in b")]),
    (IN_GRAPHS.format(FROM=f"FROM <{G}a>"), []),  # no FROM NAMED: no named graph
    (VALUES.format(FROM=f"FROM <{G}a/quarantine>"), [("held back",)]),  # asked for by name, as GRAPH <…> can
    ("SELECT ?o WHERE { ?s <urn:p> ?o FILTER(?o = 'FROM <x>') } # FROM <y>", []),  # in a string or comment
]


@pytest.fixture(scope="module")
def dataset_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("datasets") / "kg.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


@pytest.mark.parametrize("sparql, expected", DATASETS)
def test_query_honours_the_dataset_clauses(dataset_file, capsys, sparql, expected):
    assert main(["query", str(dataset_file), "-e", sparql, "--format", "csv", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [tuple(line.split(",")) for line in lines[1:]] == expected


@pytest.fixture(scope="module")
def dataset_server(dataset_file):
    with running(dataset_file, workers=1) as url:
        yield url


@pytest.mark.parametrize("sparql, expected", DATASETS)
def test_serve_honours_the_dataset_clauses(dataset_server, sparql, expected):
    status, _, body = get(dataset_server, sparql)
    assert status == 200 and list(json_rows(body)) == expected


def test_the_protocols_dataset_overrides_from(dataset_server):
    sparql = VALUES.format(FROM=f"FROM <{G}a>")
    status, _, body = get(dataset_server, sparql, **{"default-graph-uri": f"{G}b"})
    assert status == 200 and list(json_rows(body)) == [("in b",)]
    status, _, body = get(dataset_server, IN_GRAPHS.format(FROM=""), **{"named-graph-uri": f"{G}a"})
    assert status == 200 and list(json_rows(body)) == [(f"{G}a", "in a")]
    status, _, body = get(dataset_server, VALUES.format(FROM=""), **{"named-graph-uri": f"{G}a"})
    assert status == 200 and list(json_rows(body)) == []  # the request's dataset has an empty default graph
    status, _, body = get(dataset_server, IN_GRAPHS.format(FROM=""), **{"default-graph-uri": f"{G}a"})
    assert status == 200 and list(json_rows(body)) == []  # ... and here no named graph


# -- point 12: queries the engine cannot run are the client's mistake, not the server's -----------

BAD_QUERIES = [
    "SELECT (<http://example.org/no-such-function>(1) AS ?x) {}",
    "SELECT * { ?s ?p ?o FILTER(<http://example.org/f>(?o)) }",
    "PREFIX a: <not an iri> SELECT * { ?s ?p ?o }",
    "SELECT * WHERE { GRAPH <relative> { ?s ?p ?o } }",
    "SELECT ?x WHERE { ?x ?y } }",
]


@pytest.mark.parametrize("sparql", BAD_QUERIES)
def test_a_query_the_engine_cannot_run_is_400(base, sparql):
    status, _, body = get(base, sparql)
    assert status == 400 and body.count(b"\n") == 1, body


@pytest.mark.parametrize("sparql", BAD_QUERIES)
def test_a_query_the_engine_cannot_run_is_exit_2_with_one_line(seeds_ttl, capsys, sparql):
    assert main(["query", str(seeds_ttl), "-e", sparql]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith("[E300]"), err


def test_a_bad_prefix_in_a_comment_does_not_break_a_construct(base):
    sparql = ("# PREFIX bad: <not an iri>\nPREFIX kgo: <https://w3id.org/kg-builder/ontology#>\n"
              "CONSTRUCT { ?s a kgo:Person } WHERE { ?s a kgo:Person } LIMIT 2")
    status, _, body = get(base, sparql, "text/turtle")
    assert status == 200 and b"@prefix kgo:" in body and b"bad:" not in body, body


# -- point 8: what a client sends reaches the log escaped -----------------------------------------

def test_control_characters_of_a_request_are_escaped_in_the_access_log(seeds_ttl):
    lines: list[str] = []
    with running(seeds_ttl, workers=1, log=lines.append) as url:
        exchange(url, b"GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: x\r\n\r\n")
        exchange(url, b"GET /a\rforged 200 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert lines and not [line for line in lines if re.search(r"[\x00-\x1f\x7f-\x9f]", line)], lines
    assert any("\\x1b[2J" in line for line in lines), lines


def test_a_bug_met_answering_is_a_500_in_the_log_not_a_silent_close(seeds_ttl, capfd):
    from test_serve import make_server, url_of

    lines: list[str] = []
    server = make_server(seeds_ttl, "127.0.0.1", 0, workers=1, log=lines.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        def broken(*args, **kwargs):
            raise KeyError("a bug")

        answer, server.endpoint.run = server.endpoint.run, broken
        reply = exchange(url_of(server), b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status_of(reply) == 500 and b"a bug; please report it" in reply, reply
        assert any("KeyError" in line for line in lines), lines
        server.endpoint.run = answer
        assert get(url_of(server), "ASK {}")[0] == 200
    finally:
        server.shutdown()
        server.server_close()
        server.endpoint.close()
    assert capfd.readouterr().err == ""  # the library prints nothing, not even a traceback
