"""kg-builder push: a real Oxigraph server (the ``oxigraph`` package, a test extra) takes the graph
over the Graph Store Protocol and answers the contract queries like the local engine; refusals,
retries, replace and merge, datasets, and what a failed push leaves behind.

All traffic stays on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import QUERIES, SEEDS, built

from kg_builder.cli import main
from kg_builder.errors import GraphLoadError, OutputError
from kg_builder.outputs.push import payload, push
from kg_builder.outputs.query import query
from kg_builder.outputs.serialize import write

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { %s }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    local = Path(sys.executable).with_name("oxigraph")
    return found or (str(local) if local.exists() else None)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Oxigraph server on a free port of 127.0.0.1; yields its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):  # up to ~15 s
            if proc.poll() is not None:
                pytest.fail(f"oxigraph exited: {proc.stderr.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}query?query=ASK%7B%7D", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph did not answer within 15 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def sparql(base: str, text: str, **params) -> dict:
    url = f"{base}query?{urllib.parse.urlencode({'query': text, **params}, doseq=True)}"
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def rows(result: dict) -> tuple:
    names = result["head"]["vars"]
    return tuple(tuple(b[n]["value"] if n in b else None for n in names) for b in result["results"]["bindings"])


def count(base: str, pattern: str = "?s ?p ?o") -> int:
    return int(rows(sparql(base, COUNT % pattern))[0][0])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("push") / "seeds.ttl"
    write(built(str(SEEDS)).graph, path)
    return path


def triples_in(path: Path) -> int:
    return len(set(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))


def test_push_into_the_default_graph_and_read_back(server, seeds, capsys):
    assert main(["push", str(seeds), "--endpoint", f"{server}store", "--default"]) == 0
    out = capsys.readouterr().out
    assert "pushed" in out and "default graph" in out
    assert count(server) == triples_in(seeds)
    officials = (QUERIES / "officials.rq").read_text(encoding="utf-8")
    remote = rows(sparql(server, officials))
    assert remote == query(seeds, officials).rows and remote


def test_push_into_a_named_graph(server, seeds):
    graph = "https://example.org/graph/seeds"
    result = push(seeds, f"{server}store", graph=graph)
    assert result.method == "PUT" and result.status in (200, 201, 204) and result.attempts == 1
    assert count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == triples_in(seeds)
    provinces = (QUERIES / "provinces.rq").read_text(encoding="utf-8")
    assert rows(sparql(server, provinces, **{"default-graph-uri": graph})) == query(seeds, provinces).rows


def test_replace_and_merge(server, tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_text("<urn:x:1> <urn:x:p> \"one\" .\n<urn:x:2> <urn:x:p> \"two\" .\n", encoding="utf-8")
    b.write_text("<urn:x:3> <urn:x:p> \"three\" .\n", encoding="utf-8")
    graph = "urn:x:graph"
    in_graph = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    endpoint = f"{server}store"

    assert main(["push", str(a), "--endpoint", endpoint, "--graph", graph]) == 0
    assert count(server, in_graph) == 2
    assert main(["push", str(b), "--endpoint", endpoint, "--graph", graph, "--merge"]) == 0
    assert count(server, in_graph) == 3  # merged: a + b
    assert main(["push", str(b), "--endpoint", endpoint, "--graph", graph, "--merge"]) == 0
    assert count(server, in_graph) == 3  # the same triples again change nothing
    assert main(["push", str(b), "--endpoint", endpoint, "--graph", graph, "--replace"]) == 0
    assert count(server, in_graph) == 1  # replaced: b only
    assert main(["push", str(b), "--endpoint", endpoint, "--graph", graph]) == 0
    assert count(server, in_graph) == 1  # replace is the default, and idempotent


def test_a_refused_push_says_why_and_exits_4(server, seeds, capsys):
    started = time.monotonic()
    code = main(["push", str(seeds), "--endpoint", f"{server}no-such-path", "--retries", "3"])
    err = capsys.readouterr().err
    assert code == 4
    assert "HTTP 404" in err and "not supported" in err  # the status and the server's first line
    assert time.monotonic() - started < 5  # a 4xx is not retried
    with pytest.raises(OutputError, match="HTTP 4"):  # the query endpoint takes no graph
        push(seeds, f"{server}query", graph="urn:x:g")


def test_a_broken_file_is_reported_before_anything_is_sent(server, tmp_path, capsys):
    graph = "urn:x:untouched"
    good = tmp_path / "good.nt"
    good.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    push(good, f"{server}store", graph=graph)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:x:1> <urn:x:p> \"unterminated .\n", encoding="utf-8")
    assert main(["push", str(bad), "--endpoint", f"{server}store", "--graph", graph]) == 2
    assert "bad.ttl" in capsys.readouterr().err
    assert count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 1
    with pytest.raises(GraphLoadError):
        push(tmp_path / "missing.ttl", f"{server}store")


def test_the_server_applies_a_cut_off_upload_not_at_all(server, seeds):
    """What push's guarantee rests on: one request is one transaction on Oxigraph, so a body cut
    short (the connection dropped mid-upload) leaves the target as it was, for PUT and for POST."""
    graph = "urn:x:atomic"
    push(seeds, f"{server}store", graph=graph)
    before = count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    body = payload(seeds).body
    host, port = server.split("//")[1].rstrip("/").split(":")
    for method in ("PUT", "POST"):
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(f"{method} /store?graph={urllib.parse.quote(graph, safe='')} HTTP/1.1\r\nHost: {host}\r\n"
                      f"Content-Type: application/n-triples\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                      + body[: len(body) // 2])
            s.shutdown(socket.SHUT_WR)
            answer = s.recv(200)
        assert not answer.startswith(b"HTTP/1.1 2")
        assert count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == before


def test_a_dataset_goes_whole_with_its_named_graphs(server, tmp_path):
    result = built(str(SEEDS))
    trig = tmp_path / "seeds.trig"
    write(result.graph, trig)
    local = ox.Dataset(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    names = {q.graph_name for q in local if isinstance(q.graph_name, ox.NamedNode)}
    assert names, "the TriG output has a named graph per article"
    assert main(["push", str(trig), "--endpoint", f"{server}store", "--merge"]) == 0
    for name in names:
        expected = sum(1 for q in local if q.graph_name == name)
        assert count(server, f"GRAPH <{name.value}> {{ ?s ?p ?o }}") == expected
    # into one graph: the dataset's graphs merged
    flat = push(trig, f"{server}store", graph="urn:x:flat")
    assert flat.target == "graph <urn:x:flat>"
    assert count(server, "GRAPH <urn:x:flat> { ?s ?p ?o }") == len({q.triple for q in local})


class _Flaky(BaseHTTPRequestHandler):
    """Answers 503 ``fail`` times, or drops the connection after reading the body, then 204; or redirects."""

    def do_PUT(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        server = self.server
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests += 1
        if server.mode == "redirect":
            self.send_response(301)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if server.requests <= server.fail:
            if server.mode == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"busy\n")
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    httpd.requests, httpd.fail, httpd.mode = 0, 0, "503"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_5xx_is_retried_with_backoff(flaky, tmp_path):
    f = tmp_path / "a.nt"
    f.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    flaky.fail = 2
    messages = []
    result = push(f, f"http://127.0.0.1:{flaky.server_address[1]}/store", graph="urn:x:g", retries=3,
                  backoff=0.01, log=messages.append)
    assert result.attempts == 3 and flaky.requests == 3 and len(messages) == 2
    flaky.requests, flaky.fail = 0, 5
    with pytest.raises(OutputError, match="after 3 attempts.*503"):
        push(f, f"http://127.0.0.1:{flaky.server_address[1]}/store", retries=2, backoff=0.01)
    assert flaky.requests == 3


def test_an_unanswered_merge_with_blank_nodes_is_not_repeated(flaky, tmp_path):
    blank = tmp_path / "blank.nt"
    blank.write_text("_:b <urn:x:p> \"one\" .\n", encoding="utf-8")
    ground = tmp_path / "ground.nt"
    ground.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    url = f"http://127.0.0.1:{flaky.server_address[1]}/store"
    flaky.mode, flaky.fail = "drop", 1
    with pytest.raises(OutputError, match="may or may not"):
        push(blank, url, replace=False, retries=3, backoff=0.01)
    assert flaky.requests == 1  # a second POST would add a second copy of the blank node
    for source, replace in ((ground, False), (blank, True)):  # idempotent pushes are retried
        flaky.requests = 0
        assert push(source, url, replace=replace, retries=3, backoff=0.01).attempts == 2


def test_a_redirect_is_reported_not_followed(flaky, tmp_path):
    f = tmp_path / "a.nt"
    f.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    flaky.mode = "redirect"
    for replace in (True, False):  # urllib would have turned the POST into a GET and called it done
        with pytest.raises(OutputError, match="redirect.*elsewhere"):
            push(f, f"http://127.0.0.1:{flaky.server_address[1]}/store", replace=replace, retries=2, backoff=0.01)
    assert flaky.requests == 2


def test_an_unreachable_server_is_retried_then_reported(tmp_path, capsys):
    f = tmp_path / "a.nt"
    f.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    port = free_port()  # nothing listens there
    messages = []
    with pytest.raises(OutputError, match="after 3 attempts.*cannot reach"):
        push(f, f"http://127.0.0.1:{port}/store", retries=2, backoff=0.01, log=messages.append)
    assert len(messages) == 2
    assert main(["push", str(f), "--endpoint", f"http://127.0.0.1:{port}/store", "--retries", "0"]) == 4
    assert "cannot reach" in capsys.readouterr().err


def test_options_are_checked(tmp_path, capsys):
    f = tmp_path / "a.nt"
    f.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    assert main(["push", str(f), "--endpoint", "ftp://example.org/store"]) == 3
    assert main(["push", str(f), "--endpoint", "http://127.0.0.1:9/store", "--graph", "not an iri"]) == 3
    with pytest.raises(SystemExit):  # argparse: --graph and --default exclude each other
        main(["push", str(f), "--endpoint", "http://127.0.0.1:9/store", "--graph", "urn:x:g", "--default"])
    capsys.readouterr()
