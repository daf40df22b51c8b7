"""``kg-builder query`` answers every read-only form (SELECT, ASK, CONSTRUCT, DESCRIBE), refuses updates,
and queries several graph files and stores together."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from helpers import QUERIES, ROOT, SEEDS

from kg_builder.cli import main

KGO = "https://w3id.org/kg-builder/ontology#"
PROVINCES = f"CONSTRUCT {{ ?p a <{KGO}Province> }} WHERE {{ ?p a <{KGO}Province> }}"
COUNT_ARTICLES = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{KGO}NewsArticle> }}"


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    """The seed articles in two graph files (the first two, the rest) and the rest also as a store."""
    d = tmp_path_factory.mktemp("halves")
    seeds = sorted(SEEDS.glob("*.txt"))
    for name, files in (("a", seeds[:2]), ("b", seeds[2:])):
        (d / name).mkdir()
        for f in files:
            shutil.copy(f, d / name / f.name)
    assert main(["build", str(d / "a"), "-o", str(d / "a.ttl"), "-q"]) == 0
    assert main(["build", str(d / "b"), "-o", str(d / "b.trig"), "--store", str(d / "b-store"), "-q"]) == 0
    return d, len(seeds[:2]), len(seeds[2:])


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """A dataset file and a store whose article has facts in quarantine."""
    d = tmp_path_factory.mktemp("held")
    (d / "in").mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "inconsistent_article.txt", d / "in" / "case.txt")
    assert main(["build", str(d / "in"), "-o", str(d / "kg.trig"), "--store", str(d / "store"), "-q"]) == 0
    return d


def count(capsys, *args: str) -> int:
    assert main(["query", *args, "-e", COUNT_ARTICLES, "--format", "csv"]) == 0
    return int(capsys.readouterr().out.splitlines()[1])


def test_ask_prints_true_or_false_and_exits_0_or_1(seeds_ttl, capsys):
    assert main(["query", str(seeds_ttl), "-e", f"ASK {{ ?p a <{KGO}Province> }}"]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", str(seeds_ttl), "-e", "ASK { ?s <urn:x:nothing> ?o }"]) == 1
    assert capsys.readouterr().out == "false\n"


def test_ask_results_in_the_sparql_results_formats(seeds_ttl, capsys):
    ask = ["query", str(seeds_ttl), "-e", "ASK { ?s <urn:x:nothing> ?o }"]
    assert main([*ask, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": False}
    assert main([*ask, "--format", "xml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("<?xml") and "<boolean>false</boolean>" in out
    assert main([*ask, "--format", "csv"]) == 1
    assert capsys.readouterr().out == "_askResult\nfalse\n"
    assert main([*ask, "--format", "tsv"]) == 1
    assert capsys.readouterr().out == "?_askResult\nfalse\n"


def test_construct_writes_turtle_with_the_triples_a_select_finds(seeds_ttl, capsys):
    assert main(["query", str(seeds_ttl), "-e", f"SELECT ?p {{ ?p a <{KGO}Province> }}", "--format", "csv"]) == 0
    provinces = set(capsys.readouterr().out.split()[1:])
    assert provinces
    assert main(["query", str(seeds_ttl), "-e", PROVINCES]) == 0
    turtle = capsys.readouterr().out
    assert "@prefix kgo:" in turtle
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert {t.subject.value for t in triples} == provinces
    assert {t.object.value for t in triples} == {f"{KGO}Province"}


def test_construct_and_describe_to_a_file_in_any_rdf_format(seeds_ttl, tmp_path, capsys):
    out = tmp_path / "provinces.nt"
    assert main(["query", str(seeds_ttl), "-e", PROVINCES, "-o", str(out)]) == 0  # format by suffix
    assert capsys.readouterr().out == ""
    nt = list(ox.parse(path=str(out), format=ox.RdfFormat.N_TRIPLES))
    assert nt and not list(tmp_path.glob(".*.tmp"))
    for fmt, rdf_format in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("xml", ox.RdfFormat.RDF_XML),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        assert main(["query", str(seeds_ttl), "-e", PROVINCES, "--format", fmt, "-o", str(tmp_path / "p")]) == 0
        parsed = list(ox.parse(path=str(tmp_path / "p"), format=rdf_format))
        assert {(q.subject, q.object) for q in parsed} == {(t.subject, t.object) for t in nt}, fmt
    hotline = f"{KGO}Hotline123"
    assert main(["query", str(seeds_ttl), "-e", f"DESCRIBE <{hotline}>", "--format", "nt"]) == 0
    described = list(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert described and {t.subject.value for t in described} == {hotline}


def test_the_same_construct_gives_the_same_bytes(seeds_ttl, tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    query = f"CONSTRUCT WHERE {{ ?s a <{KGO}Person> ; ?p ?o }}"
    assert main(["query", str(seeds_ttl), "-e", query, "-o", str(a)]) == 0
    assert main(["query", str(seeds_ttl), "-e", query, "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 100


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "PREFIX x: <urn:x:>\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/nothing.ttl>",
    "CLEAR ALL",
    "# a comment\nDROP GRAPH <urn:x:g>",
])
def test_an_update_is_refused_as_read_only(held, capsys, update):
    store = held / "store"
    before = len(ox.Store.read_only(str(store)))
    assert main(["query", str(store), "-e", update]) == 2
    err = capsys.readouterr().err
    assert "updates are not allowed here; kg-builder query is read-only" in err
    assert len(err.strip().splitlines()) == 1 and "expected CONSTRUCT" not in err
    assert len(ox.Store.read_only(str(store))) == before


def test_a_format_that_does_not_fit_the_form_is_a_usage_error(seeds_ttl, tmp_path, capsys):
    assert main(["query", str(seeds_ttl), "-e", COUNT_ARTICLES, "--format", "turtle"]) == 3
    assert "--format turtle does not fit a SELECT query; use one of: table, csv, tsv, json, xml" in \
        capsys.readouterr().err
    assert main(["query", str(seeds_ttl), "-e", PROVINCES, "--format", "table"]) == 3
    assert "does not fit a CONSTRUCT/DESCRIBE query; use one of: turtle" in capsys.readouterr().err
    assert main(["query", str(seeds_ttl), "-e", "ASK {}", "-o", str(tmp_path / "a.ttl")]) == 3
    assert "the answer to an ASK query is not written as .ttl" in capsys.readouterr().err
    assert not (tmp_path / "a.ttl").exists()


def test_format_help_says_what_fits_each_form(capsys):
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for part in ("SELECT: table (default), csv (SPARQL 1.1 CSV: plain values), tsv", "ASK: table (default: true or false), json, xml",
                 "CONSTRUCT, DESCRIBE: turtle (default; ttl), nt, nq, trig, jsonld", "--data KG",
                 "--query FILE", "-o FILE"):
        assert part in text, part


def test_several_graphs_and_stores_are_queried_together(halves, capsys):
    d, first, rest = halves
    a, b, store = str(d / "a.ttl"), str(d / "b.trig"), str(d / "b-store")
    assert count(capsys, a) == first and count(capsys, b) == rest and count(capsys, store) == rest
    assert count(capsys, a, b) == first + rest
    assert count(capsys, a, store) == first + rest  # a file and a store directory
    assert count(capsys, "--data", a, "--data", store) == first + rest  # arq's --data, repeated
    # the query as a positional *.rq among the data, the old `query KG QUERY.rq` form, and --query FILE
    assert main(["query", a, str(QUERIES / "articles.rq"), store, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + first + rest
    assert main(["query", a, str(QUERIES / "articles.rq"), "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + first
    assert main(["query", "--data", b, "--query", str(QUERIES / "articles.rq"), "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + rest


def test_query_and_data_must_be_given_once(halves, capsys):
    d, _, _ = halves
    a = str(d / "a.ttl")
    assert main(["query", a]) == 3
    assert "give the query" in capsys.readouterr().err
    assert main(["query", "-e", "ASK {}"]) == 3
    assert "give a graph file or store directory" in capsys.readouterr().err
    assert main(["query", a, str(QUERIES / "articles.rq"), "-e", "ASK {}"]) == 3
    assert "give one query, not 2" in capsys.readouterr().err


def test_no_form_sees_the_quarantine(held, capsys):
    record = f"ASK {{ ?r a <{KGO}QuarantineRecord> }}"
    graph_of_records = f"CONSTRUCT WHERE {{ ?r a <{KGO}QuarantineRecord> }}"
    for data in (held / "kg.trig", held / "store"):
        assert main(["query", str(data), "-e", record]) == 1
        assert main(["query", str(data), "-e", graph_of_records, "--format", "nt"]) == 0
        assert main(["query", str(data), "-e", f"SELECT ?r {{ ?r a <{KGO}QuarantineRecord> }}", "--format", "csv"]) == 0
        assert capsys.readouterr().out.split() == ["false", "r"]
    # the records are there, in the quarantine graphs
    quarantined = [q for q in ox.parse(path=str(held / "kg.trig"), format=ox.RdfFormat.TRIG)
                   if q.object == ox.NamedNode(f"{KGO}QuarantineRecord")]
    assert len(quarantined) == 2 and all(q.graph_name.value.endswith("/quarantine") for q in quarantined)


def test_a_table_keeps_one_solution_a_line():
    from kg_builder.outputs.query import answer
    from kg_builder.terms import new_graph

    table = answer(new_graph(), 'SELECT ?text { VALUES ?text { "two\\nlines" "one" } }').table()
    assert table.splitlines()[2:4] == ["two⏎lines", "one"]


@pytest.mark.parametrize("output,fmt", [("q.json", "csv"), ("q.foo", None), ("q", None), ("q.ttl", None)])
def test_an_answer_file_whose_suffix_says_another_format_is_bad_usage(output, fmt, tmp_path, capsys):
    from kg_builder.cli import main

    kg = tmp_path / "kg.nt"
    assert main(["build", str(SEEDS), "-o", str(kg), "-q"]) == 0
    args = ["query", str(kg), str(QUERIES / "provinces.rq"), "-o", str(tmp_path / output)]
    assert main(args + (["--format", fmt] if fmt else [])) == 3
    assert "[E200]" in capsys.readouterr().err and not (tmp_path / output).exists()
