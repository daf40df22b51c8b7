"""kg-builder push: a real Oxigraph server (the ``oxigraph`` package, a test extra) takes the graph
over the Graph Store Protocol and answers every contract query like the local engine after a push
of Turtle, TriG or a store, in its default configuration and with --union-default-graph; Jena TDB2
(Debian's libapache-jena-java) answers them alike with and without unionDefaultGraph; refusals,
retries, replace and merge, datasets, and what a failed push leaves behind.

All traffic stays on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import QUERIES, SEEDS, built

from kg_builder.cli import main
from kg_builder.errors import ConfigError, GraphLoadError, OutputError
from kg_builder.outputs.push import payload, push
from kg_builder.outputs.query import query
from kg_builder.outputs.serialize import write
from kg_builder.outputs.store import HIDDEN_STORE

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { %s }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph")
    local = Path(sys.executable).with_name("oxigraph")
    return found or (str(local) if local.exists() else None)


def oxigraph_server(location: Path, *flags: str):
    """Run a real Oxigraph server on a free port of 127.0.0.1 while the generator is open; yields its base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *flags],
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Oxigraph server, default configuration."""
    yield from oxigraph_server(tmp_path_factory.mktemp("oxigraph"))


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
    body = payload(seeds, "default").body
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


CONTRACT = sorted(QUERIES.glob("*.rq"))
KG = "https://w3id.org/kg-builder/id/"
# A quarantined membership and a store's version of a person: were either seen by a query, officials.rq
# would get a row for "Leaked" and the person would get a second name.
HIDDEN = f"""
GRAPH <{KG}graph/000_bda2323a92f9eb93/quarantine> {{
  <{KG}article/000_bda2323a92f9eb93/post/leaked> a <https://w3id.org/kg-builder/ontology#Membership> ;
    <http://www.w3.org/ns/org#member> <{KG}person/leaked> ;
    <http://www.w3.org/ns/org#role> <{KG}role/leaked> ;
    <http://www.w3.org/ns/prov#wasDerivedFrom> <{KG}article/000_bda2323a92f9eb93> .
  <{KG}person/leaked> <http://www.w3.org/2000/01/rdf-schema#label> "Leaked"@fa .
  <{KG}role/leaked> <http://www.w3.org/2004/02/skos/core#prefLabel> "Leaked"@fa .
}}
GRAPH <{KG}graph/000_bda2323a92f9eb93/entities> {{
  <{KG}person/leaked> <http://www.w3.org/2000/01/rdf-schema#label> "Leaked version"@fa .
}}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """One build of the sample articles as Turtle and as TriG, the TriG with a quarantine graph and an
    entity-version graph that queries must not see."""
    folder = tmp_path_factory.mktemp("outputs")
    result = built(str(SEEDS))
    ttl, trig = folder / "kg.ttl", folder / "kg.trig"
    write(result.graph, ttl)
    write(result.graph, trig)
    with trig.open("a", encoding="utf-8") as f:
        f.write(HIDDEN)
    return {"ttl": ttl, "trig": trig}


@pytest.fixture(scope="module")
def expected(outputs) -> dict[str, tuple]:
    """Each contract query's rows on the embedded engine (kg-builder query), Turtle and TriG alike."""
    out = {}
    for q in CONTRACT:
        text = q.read_text(encoding="utf-8")
        out[q.name] = same(query(outputs["ttl"], text).rows, q.name)
        assert same(query(outputs["trig"], text).rows, q.name) == out[q.name], q.name
    assert all(out.values()), "every contract query has rows on the sample articles"
    assert all("Leaked" not in row for row in out["officials.rq"])
    return out


def same(result: tuple, name: str) -> tuple:
    """Rows with officials_by_province's GROUP_CONCAT of names sorted: SPARQL leaves the order of a
    GROUP_CONCAT to the engine, and it follows the store's internal order (not the same in two stores)."""
    if name != "officials_by_province.rq":
        return result
    return tuple((province, n, " ، ".join(sorted(names.split(" ، ")))) for province, n, names in result)


def remote_dataset(base: str) -> set:
    with urllib.request.urlopen(urllib.request.Request(f"{base}store", headers={"Accept": "application/n-quads"}),
                                timeout=30) as r:
        return set(ox.parse(r.read(), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A second real Oxigraph server in its default configuration, for whole-dataset pushes."""
    yield from oxigraph_server(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def union(tmp_path_factory):
    """A real Oxigraph server whose queries see the union of all graphs (--union-default-graph)."""
    yield from oxigraph_server(tmp_path_factory.mktemp("union"), "--union-default-graph")


def test_the_contract_queries_answer_alike_after_pushing_turtle_or_trig(plain, outputs, expected, capsys):
    """The bug report's case: push, then the contract queries through the server's /query, default
    configuration (no union-default-graph): the same rows as kg-builder query, Turtle and TriG alike."""
    datasets = {}
    for kind, path in outputs.items():
        assert main(["push", str(path), "--endpoint", f"{plain}store"]) == 0
        out = capsys.readouterr().out
        assert "layout both: 3380 statements each in the default graph and in one of 6 named graphs" in out, out
        for q in CONTRACT:
            assert same(rows(sparql(plain, q.read_text(encoding="utf-8"))), q.name) == expected[q.name], (kind, q.name)
        datasets[kind] = remote_dataset(plain)
    assert datasets["ttl"] == datasets["trig"]  # the same dataset, whichever file was pushed
    graphs = {q.graph_name.value for q in datasets["ttl"] if isinstance(q.graph_name, ox.NamedNode)}
    assert len(graphs) == 6 and f"{KG}graph/_shared" in graphs
    assert not any(g.endswith(("/quarantine", "/entities")) for g in graphs)
    default = {q.triple for q in datasets["ttl"] if isinstance(q.graph_name, ox.DefaultGraph)}
    named = [q.triple for q in datasets["ttl"] if isinstance(q.graph_name, ox.NamedNode)]
    assert default == set(named) and len(named) == len(default) == triples_in(outputs["ttl"])  # each once in each


def test_a_union_default_graph_server_wants_the_named_layout(union, outputs, expected):
    """Oxigraph with --union-default-graph queries every graph at once, repeats included: the named
    layout (each statement once) answers like the local engine; both would count everything twice."""
    text = {q.name: q.read_text(encoding="utf-8") for q in CONTRACT}
    for path in outputs.values():
        result = push(path, f"{union}store", layout="named")
        assert (result.target, result.statements, result.graphs) == ("dataset", triples_in(outputs["ttl"]), 6)
        for name, sparql_text in text.items():
            assert same(rows(sparql(union, sparql_text)), name) == expected[name], name
    push(outputs["trig"], f"{union}store")
    assert count(union) == 2 * triples_in(outputs["ttl"])


def test_the_dataset_layout_copies_every_graph_and_default_one_graph(plain, outputs, expected):
    result = push(outputs["trig"], f"{plain}store", layout="dataset")
    graphs = {q.graph_name.value for q in remote_dataset(plain) if isinstance(q.graph_name, ox.NamedNode)}
    assert result.graphs == 7 and any(g.endswith("/quarantine") for g in graphs)  # 5 articles, 2 hidden
    officials = (QUERIES / "officials.rq").read_text(encoding="utf-8")
    assert rows(sparql(plain, officials)) == ()  # the bug report: the articles' facts are in named graphs only
    for layout in ("default", None):  # --layout default and --default: the visible statements, once
        result = push(outputs["trig"], f"{plain}store", layout=layout, default=layout is None)
        assert (result.target, result.statements) == ("default graph", triples_in(outputs["ttl"]))
        assert rows(sparql(plain, officials)) == expected["officials.rq"]
    with pytest.raises(ConfigError):
        push(outputs["trig"], f"{plain}store", layout="default", default=True)
    with pytest.raises(ConfigError, match="--layout"):
        push(outputs["trig"], f"{plain}store", layout="union")


def test_a_store_directory_pushes_without_its_hidden_graphs(plain, tmp_path, expected):
    store = tmp_path / "store"
    assert main(["build", str(SEEDS), "--store", str(store), "-j", "1", "-q"]) == 0
    held = ox.Store.read_only(str(store / HIDDEN_STORE))  # what is not to be sent is there, beside
    assert any(g.value.endswith("/entities") for g in held.named_graphs())
    del held
    push(store, f"{plain}store")
    graphs = {q.graph_name.value for q in remote_dataset(plain) if isinstance(q.graph_name, ox.NamedNode)}
    assert len(graphs) == 6 and not any(g.endswith(("/quarantine", "/entities")) for g in graphs)
    for q in CONTRACT:
        assert same(rows(sparql(plain, q.read_text(encoding="utf-8"))), q.name) == expected[q.name], q.name


# Jena as Debian packages it (apt-get install libapache-jena-java): TDB2 and its command-line tools.
# Fuseki itself is not packaged there; TDB2 is the store Fuseki serves and its query engine decides
# what a query's default graph is, so a TDB2 database loaded with what push sends answers as Fuseki
# over it would (a Fuseki dataset PUT replaces the dataset with the quads sent).
JENA_LIB = Path(os.environ.get("KG_JENA_LIB", "/usr/share/java"))
JENA_JARS = ("jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
             "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri", "jena-rdfconnection",
             "jena-tdb2", "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
             "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core",
             "jackson-databind", "jackson-annotations", "thrift", "protobuf", "jsonld-java", "titanium-json-ld",
             "jakarta.json-api", "slf4j-api", "slf4j-nop")
XERCES = "org/apache/jena/ext/xerces/"


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> list[str]:
    """The command line that starts a Jena TDB2 tool (class name and arguments to follow)."""
    java = shutil.which("java")
    missing = [j for j in JENA_JARS if not (JENA_LIB / f"{j}.jar").exists()]
    if java is None or missing:
        pytest.skip(f"Jena TDB2 not found in {JENA_LIB} (Debian: apt-get install libapache-jena-java; or set "
                    f"KG_JENA_LIB to a folder of its jars), missing: {' '.join(missing[:5]) or 'java'}")
    # Debian's jena-core moved Jena's copy of Xerces to the package ``xerces`` but left its message
    # bundles under org/apache/jena/ext/xerces: without a copy where the classes look for them, the
    # XSD datatypes fail to initialise.
    bundles = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(JENA_LIB / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(XERCES) and not name.endswith(("/", ".class")):
                target = bundles / "xerces" / name[len(XERCES):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    classpath = os.pathsep.join([*(str(JENA_LIB / f"{j}.jar") for j in JENA_JARS), str(bundles)])
    return [java, "-XX:TieredStopAtLevel=1", "-cp", classpath]  # C1 only: these runs are short


def tdb2_load(jena: list[str], location: Path, body: bytes) -> None:
    data = location.with_suffix(".nq")
    data.write_bytes(body)
    done = subprocess.run([*jena, "tdb2.tdbloader", "--loc", str(location), str(data)], check=False,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


def tdb2_query(jena: list[str], location: Path, text: str, union_default_graph: bool) -> tuple:
    query_file = location.with_suffix(".rq")
    query_file.write_text(text, encoding="utf-8")
    # the symbol's full name: its short form tdb: is known only when TDB1's jar is loaded too
    union = ["--set", "http://jena.apache.org/TDB#unionDefaultGraph=true"] if union_default_graph else []
    done = subprocess.run([*jena, "tdb2.tdbquery", "--loc", str(location), *union, "--results=JSON",
                           "--query", str(query_file)], check=False, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return rows(json.loads(done.stdout))


def test_jena_tdb2_answers_alike_with_and_without_union_default_graph(jena, outputs, expected, tmp_path):
    """What push sends, loaded into Jena TDB2: with the both layout a query's default graph holds every
    statement once, nothing hidden, whether TDB2 queries its stored default graph or (unionDefaultGraph)
    the union of the named graphs, so the contract queries answer as on the embedded engine; the named
    layout answers with unionDefaultGraph only."""
    both = payload(outputs["trig"])
    assert set(ox.parse(both.body, format=ox.RdfFormat.N_QUADS)) == \
        set(ox.parse(payload(outputs["ttl"]).body, format=ox.RdfFormat.N_QUADS))
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    local = query(outputs["ttl"], everything).rows
    checked = [q for q in CONTRACT if q.name in ("officials.rq", "statistics.rq")]  # one DISTINCT, one not
    tdb2_load(jena, tmp_path / "both", both.body)
    for union_default_graph in (False, True):
        seen = tdb2_query(jena, tmp_path / "both", everything, union_default_graph)
        assert len(seen) == len(local) == triples_in(outputs["ttl"]) and set(seen) == set(local)
        for q in checked:
            answer = tdb2_query(jena, tmp_path / "both", q.read_text(encoding="utf-8"), union_default_graph)
            assert same(answer, q.name) == expected[q.name], (union_default_graph, q.name)
    tdb2_load(jena, tmp_path / "named", payload(outputs["trig"], "named").body)
    officials = (QUERIES / "officials.rq").read_text(encoding="utf-8")
    assert tdb2_query(jena, tmp_path / "named", officials, True) == expected["officials.rq"]
    assert tdb2_query(jena, tmp_path / "named", officials, False) == ()


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
    for url in ("http://[::1/", "http://host:99999/store", "http:///store"):  # were tracebacks (E900)
        assert main(["push", str(f), "--endpoint", url]) == 3
    assert main(["push", str(f), "--endpoint", "http://127.0.0.1:9/store", "--graph", "not an iri"]) == 3
    with pytest.raises(SystemExit):  # argparse: --graph and --default exclude each other
        main(["push", str(f), "--endpoint", "http://127.0.0.1:9/store", "--graph", "urn:x:g", "--default"])
    capsys.readouterr()


def test_a_refusal_with_terminal_escapes_reaches_the_terminal_escaped(tmp_path, capsys):
    """A server's answer is printed, but its control characters (ESC sequences, CR) are shown escaped."""
    import http.server
    import threading

    class Hostile(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"\x1b]0;owned\x07\x1b[2J\x1b[31mdenied\rover"
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    f = tmp_path / "a.nt"
    f.write_text("<urn:x:1> <urn:x:p> \"one\" .\n", encoding="utf-8")
    try:
        assert main(["push", str(f), "--endpoint", f"http://127.0.0.1:{server.server_address[1]}/store"]) == 4
    finally:
        server.shutdown()
    err = capsys.readouterr().err
    assert "denied" in err and "\x1b" not in err and "\r" not in err and "\x07" not in err
    assert "\\x1b[31m" in err and len(err.strip().splitlines()) == 1
