"""Named graphs per article, dataset and JSON-LD output, and the persistent store."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from helpers import QUERIES, ROOT, SEEDS, built
from rdflib import Graph
from rdflib.compare import isomorphic

from kg_builder import query
from kg_builder.cli import main
from kg_builder.outputs.data import open_store, quarantine, visible
from kg_builder.outputs.query import dataset
from kg_builder.outputs.serialize import dumps
from kg_builder.outputs.store import HIDDEN_STORE


def test_each_article_has_its_own_named_graph():
    result = built(str(SEEDS))
    ds = ox.Dataset(ox.parse(dumps(result.graph, "nq"), format=ox.RdfFormat.N_QUADS))
    names = {q.graph_name.value for q in ds if isinstance(q.graph_name, ox.NamedNode)}
    assert names == {f"https://w3id.org/kg-builder/id/graph/{f.stem}" for f in SEEDS.glob("*.txt")}
    # facts sit in their article's graph; shared entities in the default graph
    for q in ds:
        subject = q.subject.value
        if "/id/article/" in subject:
            assert isinstance(q.graph_name, ox.NamedNode) and subject.split("/id/article/")[1].split("/")[0] \
                in q.graph_name.value
        else:
            assert isinstance(q.graph_name, ox.DefaultGraph)


def test_trig_holds_the_same_triples_as_turtle(tmp_path):
    result = built(str(SEEDS))
    union = Graph()
    for q in ox.parse(dumps(result.graph, "trig"), format=ox.RdfFormat.TRIG):
        union.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    assert isomorphic(union, Graph().parse(data=dumps(result.graph, "turtle"), format="turtle"))


def test_jsonld_round_trips_with_the_shipped_context():
    result = built(str(SEEDS))
    data = dumps(result.graph, "jsonld")
    doc = json.loads(data)
    assert doc["@context"]["kgo"] == "https://w3id.org/kg-builder/ontology#"
    assert isomorphic(Graph().parse(data=data, format="json-ld"), result.graph)


def test_store_replaces_and_removes_articles(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", str(SEEDS), "--store", str(store), "-q"]) == 0
    hot = (QUERIES / "hotline.rq").read_text(encoding="utf-8")
    before = query(store, hot).rows
    assert len(before) == 2
    one = sorted(SEEDS.glob("*.txt"))[0]
    assert main(["build", str(one), "--store", str(store), "-q"]) == 0  # unchanged: kept, not doubled
    assert query(store, hot).rows == before
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    n_before = int(query(store, count).rows[0][0])
    assert main(["remove", one.name, "--store", str(store)]) == 0
    assert int(query(store, count).rows[0][0]) < n_before
    assert [r[0] for r in query(store, hot).rows] == [before[1][0]]
    assert main(["remove", "nope.txt", "--store", str(store)]) == 2
    assert "nope.txt: not in the store" in capsys.readouterr().err


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The seed articles and an article with facts in quarantine, built as N-Quads and a store together."""
    d = tmp_path_factory.mktemp("stored")
    shutil.copytree(SEEDS, d / "in")
    shutil.copy(ROOT / "tests" / "fixtures" / "inconsistent_article.txt", d / "in" / "held.txt")
    assert main(["build", str(d / "in"), "-o", str(d / "kg.nq"), "--store", str(d / "store"), "-q"]) == 0
    return d


def test_graph_on_a_store_lists_only_the_articles_graphs(stored):
    names = {r[0] for r in query(stored / "store", "SELECT ?g WHERE { GRAPH ?g {} }").rows}
    assert names == {f"https://w3id.org/kg-builder/id/graph/{f.stem}" for f in (stored / "in").glob("*.txt")}


def test_a_built_store_is_queried_through_the_union_default_graph(stored):
    # an explicit list of graphs made provenance.rq take a minute on 300 articles, the union a second
    assert dataset(open_store(stored / "store")) == {"use_default_graph_as_union": True}


def test_oxigraph_sees_in_a_store_what_queries_see_of_the_same_build(stored):
    written = list(ox.parse(path=str(stored / "kg.nq"), format=ox.RdfFormat.N_QUADS))
    assert quarantine(written)  # the build held facts back: the store must not show them
    # through an in-memory store, which keeps integers by value as the one on disk does
    in_memory = ox.Store()
    in_memory.bulk_extend(visible(written))
    expected = {str(q) for q in in_memory}
    assert {str(q) for q in ox.Store.read_only(str(stored / "store"))} == expected


def _answers(where, sparql) -> list[tuple]:
    """The rows, in order; GROUP_CONCAT's parts follow a store's internal order: as sets."""
    return [tuple(" ، ".join(sorted(c.split(" ، "))) if c else c for c in r) for r in query(where, sparql).rows]


def _every_quad(store) -> set[str]:
    return {str(q) for d in (store, store / HIDDEN_STORE) for q in ox.Store.read_only(str(d))}


def test_a_store_of_the_older_layout_is_read_as_before_and_moved_on_its_next_write(stored, tmp_path):
    """Before the hidden store, the quarantine and the entity versions were graphs of the store itself."""
    new, old = tmp_path / "new", tmp_path / "old"
    shutil.copytree(stored / "store", new)
    with_hidden = ox.Store(str(old))
    with_hidden.bulk_extend(ox.Store.read_only(str(new / HIDDEN_STORE)))
    with_hidden.bulk_extend(ox.Store.read_only(str(new)))
    del with_hidden
    assert dataset(open_store(old)) != {"use_default_graph_as_union": True}  # the list keeps them unseen
    for q in sorted(QUERIES.glob("*.rq")):
        sparql = q.read_text(encoding="utf-8")
        assert _answers(old, sparql) == _answers(new, sparql), q.name
    for store in (new, old):
        assert main(["remove", "held.txt", "--store", str(store), "-q"]) == 0
    assert _every_quad(old) == _every_quad(new)
    assert dataset(open_store(old)) == {"use_default_graph_as_union": True}


def test_contract_queries_agree_on_turtle_trig_and_store(tmp_path):
    ttl, trig, store = tmp_path / "kg.ttl", tmp_path / "kg.trig", tmp_path / "st"
    assert main(["build", str(SEEDS), "-o", str(ttl), "-q"]) == 0
    assert main(["build", str(SEEDS), "-o", str(trig), "--store", str(store), "-q"]) == 0
    def rows(where, sparql):  # GROUP_CONCAT has no defined order: compare its parts as sets
        return [tuple(" ، ".join(sorted(c.split(" ، "))) if c else c for c in r) for r in query(where, sparql).rows]

    for q in sorted(QUERIES.glob("*.rq")):
        sparql = q.read_text(encoding="utf-8")
        assert rows(ttl, sparql) == rows(trig, sparql) == rows(store, sparql), q.name


def test_build_needs_an_output():
    assert main(["build", str(SEEDS)]) == 3
