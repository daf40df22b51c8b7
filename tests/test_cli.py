"""The command line: exit codes, one-line errors naming the file, nothing lost."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from helpers import QUERIES, SEEDS

from kg_builder.cli import main


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg_builder", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Two good articles, one invalid UTF-8, one empty, one binary, and a missing path."""
    d = tmp_path_factory.mktemp("batch")
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, d / f.name)
    # Latin-1 French: neither UTF-8 nor Persian text in any encoding read (UTF-16 is read since issue 15)
    (d / "bad_encoding.txt").write_bytes("Le ministère a annoncé une réforme à Paris.".encode("latin-1"))
    (d / "empty.txt").write_text("  \n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02")
    out = d / "out" / "kg.ttl"
    proc = run_cli("build", str(d), str(d / "missing.txt"), "-o", str(out))
    return d, out, proc


def test_bad_inputs_are_reported_and_skipped(batch):
    d, out, proc = batch
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("kg-builder: skipped")]
    named = {name for name in ("bad_encoding.txt", "empty.txt", "binary.txt", "missing.txt")
             if any(name in line for line in errors)}
    assert named == {"bad_encoding.txt", "empty.txt", "binary.txt", "missing.txt"}
    assert any("E102" in line for line in errors) and any("E103" in line for line in errors)


def test_graph_of_good_files_is_still_written(batch):
    d, out, proc = batch
    assert out.exists()
    text = out.read_text(encoding="utf-8")
    good = sorted(SEEDS.glob("*.txt"))[:2]
    assert all(f.name in text for f in good)
    assert "articles:  2 built, 4 skipped" in proc.stdout
    assert not list(out.parent.glob(".*.tmp"))  # no temporary file left behind


def test_build_is_deterministic(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert main(["build", str(SEEDS), "-o", str(a), "-q"]) == 0
    assert main(["build", str(SEEDS), "-o", str(b), "-q"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_nothing_readable_writes_nothing(tmp_path):
    out = tmp_path / "kg.ttl"
    proc = run_cli("build", str(tmp_path / "nope"), "-o", str(out))
    assert proc.returncode == 2
    assert not out.exists()
    assert "nope" in proc.stderr


def test_validate_exit_codes(tmp_path, seeds_ttl):
    assert main(["validate", str(seeds_ttl)]) == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(seeds_ttl.read_text(encoding="utf-8") + """
<https://w3id.org/kg-builder/id/person/broken> a <https://w3id.org/kg-builder/ontology#Person> .
""", encoding="utf-8")
    proc = run_cli("validate", str(broken))
    assert proc.returncode == 1
    assert "person/broken" in proc.stdout and "path: rdfs:label" in proc.stdout
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    proc = run_cli("validate", str(garbage))
    assert proc.returncode == 2 and "garbage.ttl" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_query_formats(seeds_ttl, capsys):
    assert main(["query", str(seeds_ttl), str(QUERIES / "hotline.rq"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"] == ["source"]
    sources = {b["source"]["value"] for b in data["results"]["bindings"]}
    assert sources and all(s.endswith(".txt") for s in sources)
    assert main(["query", str(seeds_ttl), "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "n" and int(out[1]) > 100


PROVINCE = ("SELECT ?p ?name ?code WHERE { ?p a <https://w3id.org/kg-builder/ontology#Province> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name . FILTER (lang(?name) = 'fa') "
            "OPTIONAL { ?p <https://w3id.org/kg-builder/ontology#isoCode> ?code } } ORDER BY ?p LIMIT 1")


def test_query_json_and_xml_keep_the_kind_of_each_term(seeds_ttl, capsys):
    """SPARQL 1.1 JSON: an IRI is a "uri", a literal keeps its language tag (it used to say "literal" for all)."""
    assert main(["query", str(seeds_ttl), "-e", PROVINCE, "--format", "json"]) == 0
    binding = json.loads(capsys.readouterr().out)["results"]["bindings"][0]
    assert binding["p"]["type"] == "uri" and binding["p"]["value"].startswith("https://w3id.org/kg-builder/id/")
    assert binding["name"]["type"] == "literal" and binding["name"]["xml:lang"] == "fa"
    assert main(["query", str(seeds_ttl), "-e", PROVINCE, "--format", "xml"]) == 0
    out = capsys.readouterr().out
    assert '<binding name="p"><uri>https://w3id.org/kg-builder/id/' in out and 'xml:lang="fa"' in out
    assert main(["query", str(seeds_ttl), "-e", PROVINCE, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.split("\r\n")  # plain values, CRLF line ends (SPARQL 1.1 CSV)
    assert rows[0] == "p,name,code" and rows[1].startswith("https://w3id.org/kg-builder/id/")
    assert binding["name"]["value"] in rows[1] and "@fa" not in rows[1]


def test_bad_query_is_one_line_error(seeds_ttl):
    proc = run_cli("query", str(seeds_ttl), "-e", "SELEC nothing")
    assert proc.returncode == 2 and proc.stderr.startswith("kg-builder: bad SPARQL")


def test_normalize_reads_stdin_line_for_line():
    proc = run_cli("normalize", stdin="كتاب ۱۲۳\nآنها میکنند\n")
    assert proc.returncode == 0
    lines = proc.stdout.split("\n")
    assert lines[0] == "کتاب 123"
    assert lines[1].endswith("می\u200cکنند")
    assert len(lines) == 3


def test_unknown_config_key_is_an_error(tmp_path):
    proc = run_cli("build", str(SEEDS), "-o", str(tmp_path / "x.ttl"), "--set", "nope.key=1")
    assert proc.returncode == 3 and "unknown configuration key" in proc.stderr
