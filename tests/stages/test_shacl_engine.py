"""The SHACL engine (``stages/shacl.py``) gives pySHACL's report, article by article.

Every article of the sample and invented sets is validated on its own (its named graph and the
shared entities it references, ``validate.per_article``) by both; results must be identical:
focus nodes, paths, values, messages, severities and constraint components, then the printed
report. ``tests/shapes/test_shapes.py`` does the same on each deliberately broken graph.
"""

from __future__ import annotations

import multiprocessing
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg_builder import build
from kg_builder.stages import shacl, validate
from kg_builder.terms import from_graph, new_graph, to_graph, to_ox
from kg_builder.vocab import KGO, OA

ROOT = Path(__file__).resolve().parents[2]
SETS = ["examples/articles", "tests/articles", "tests/heldout", "tests/blind"]

INCONSISTENT = (ROOT / "tests" / "fixtures" / "inconsistent_article.txt").read_text(encoding="utf-8")


@cache
def built(name: str) -> tuple[ox.Quad, ...]:
    return tuple(build([ROOT / name], validate_graph=False).quads)


@pytest.fixture(scope="module")
def inconsistent(tmp_path_factory) -> tuple[ox.Quad, ...]:
    d = tmp_path_factory.mktemp("inconsistent")
    (d / "case.txt").write_text(INCONSISTENT, encoding="utf-8")
    return tuple(build([d], validate_graph=False).quads)


def assert_same(quads) -> validate.Report:
    graph = to_graph(quads)
    conforms, report_graph = validate.pyshacl_validate(graph)
    assert validate.result_rows(validate.results(quads)) == validate.pyshacl_results(report_graph)
    report = validate.check(quads)
    assert report == validate.report_from_pyshacl(graph, conforms, report_graph)
    return report


@pytest.mark.parametrize("name", SETS)
def test_every_article_same_report_as_pyshacl(name):
    articles = validate.per_article(built(name))
    assert len(articles) >= 5
    for quads in articles.values():
        assert_same(quads)


@pytest.mark.parametrize("name", SETS[:2])
def test_whole_dataset_same_report_as_pyshacl(name):
    assert_same(list(built(name)))


def test_inconsistent_article_same_report(inconsistent):
    (quads,) = validate.per_article(inconsistent).values()
    report = assert_same(quads)
    assert sorted(v.message for v in report.violations) == [
        "a percentage over 1000 is not a plausible figure",
        "the county lies in a province the article does not name, while it names another"]


def test_an_article_is_its_graph_and_the_entities_it_uses():
    quads = built("examples/articles")
    articles = validate.per_article(quads)
    named = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert set(articles) == named
    for g, qs in articles.items():
        own = [q for q in qs if q.graph_name == g]
        assert own == [q for q in quads if q.graph_name == g]
        shared = {q.subject for q in qs if isinstance(q.graph_name, ox.DefaultGraph)}
        used = {q.object for q in own} | {q.subject for q in own}
        assert shared and shared - used  # entities reached through other entities too (a county's province)


# ------------------------------------------------------------------ the gate, per article


def old_gate(quads: list[ox.Quad]):
    """The gate as the build ran it before the engine (pySHACL, rdflib), kept as the reference."""
    graph = to_graph(quads)
    report = validate.run_pyshacl(graph)
    if report.conforms:
        return quads, [], report
    failing: dict = {}
    for v in report.violations:
        focus = URIRef(v.focus)
        if any((focus, RDF.type, c) in graph for c in (KGO.Mention, KGO.Membership, KGO.Statistic)):
            failing.setdefault(focus, []).append(v)
    if not failing:
        return quads, [], report
    held = new_graph()
    for fact, violations in failing.items():
        record = URIRef(f"{fact}/quarantine")
        article = graph.value(fact, PROV.wasDerivedFrom)
        held.add((article, RDF.type, KGO.NewsArticle))
        held.add((article, KGO.sourceFile, graph.value(article, KGO.sourceFile)))
        held.add((record, RDF.type, KGO.QuarantineRecord))
        held.add((record, KGO.quarantinedFact, fact))
        held.add((record, PROV.wasDerivedFrom, article))
        for v in violations:
            held.add((record, KGO.violation, Literal(v.message)))
        for t in graph.triples((fact, None, None)):
            held.add(t)
        for span in graph.objects(fact, KGO.evidence):
            held.add((record, KGO.evidence, span))
            for t in graph.triples((span, None, None)):
                held.add(t)
                for u in graph.triples((t[2], None, None)) if t[1] == OA.hasSelector else ():
                    held.add(u)
    moved = {ox.NamedNode(str(f)) for f in failing}
    kept = [q for q in quads if q.subject not in moved]
    return kept, from_graph(held, quarantine=True), validate.run_pyshacl(to_graph(kept))


def test_gate_article_quarantines_as_before(inconsistent):
    (quads,) = validate.per_article(inconsistent).values()
    kept, held, report = validate.gate_article(quads)
    assert (kept, held, report) == old_gate(quads)
    assert report.conforms and len(kept) < len(quads)
    records = {q.subject for q in held if q.object == ox.NamedNode(str(KGO.QuarantineRecord))}
    assert len(records) == 2
    assert all(q.graph_name.value.endswith("/quarantine") for q in held)


def test_gate_article_keeps_a_conforming_article_whole():
    quads = next(iter(validate.per_article(built("tests/articles")).values()))
    kept, held, report = validate.gate_article(quads)
    assert report.conforms and kept == quads and held == []


def test_combine_lists_a_shared_violation_once():
    a = validate.Report(False, (validate.Violation("x", "x", "p", "m", "Violation", ""),) * 2)
    b = validate.Report(False, (validate.Violation("x", "x", "p", "m", "Violation", ""),
                                validate.Violation("y", "y", "p", "m", "Violation", "")))
    combined = validate.combine([a, b, validate.Report(True, ())])
    assert not combined.conforms and [v.focus for v in combined.violations] == ["x", "x", "y"]
    assert validate.combine([validate.Report(True, ())]).conforms


def _check_in_worker(nquads: bytes) -> validate.Report:
    return validate.check(list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))


def test_check_works_in_a_worker_process(inconsistent):
    (quads,) = validate.per_article(inconsistent).values()
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        assert pool.map(_check_in_worker, [data]) == [validate.check(quads)]


# ------------------------------------------------------------------ what the engine reads


def test_engine_is_built_once_per_process():
    assert validate.engine() is validate.engine()


def test_inoculation_is_pyshacls():
    from pyshacl.rdfutil import consts
    from pyshacl.rdfutil.inoculate import inoculate

    assert shacl.RDFS_CLASSES == tuple(map(str, consts.RDFS_classes))
    assert shacl.OWL_CLASSES == tuple(map(str, consts.OWL_classes))
    assert shacl.RDFS_PROPERTIES == tuple(map(str, consts.RDFS_properties))
    assert shacl.OWL_PROPERTIES == tuple(map(str, consts.OWL_properties))
    theirs = inoculate(Graph(), validate.ontology_graph())
    ours = shacl.inoculated([ox.Triple(*map(to_ox, t)) for t in validate.ontology_graph()])
    assert {ox.Triple(*map(to_ox, t)) for t in theirs} == set(ours)
    assert ox.Triple(ox.NamedNode(str(KGO.Hotline123)), ox.NamedNode("https://schema.org/telephone"),
                     ox.Literal("123")) in ours


def _engine_with(extra: str) -> shacl.Engine:
    g = Graph().parse(data=validate.shapes_graph().serialize(format="turtle") + extra, format="turtle")
    return shacl.Engine([ox.Triple(*map(to_ox, t)) for t in g],
                        [ox.Triple(*map(to_ox, t)) for t in validate.ontology_graph()], shapes_nm=g.namespace_manager)


PERSON = "kgs:X a sh:NodeShape ; sh:targetClass kgo:Person ; "


@pytest.mark.parametrize("extra, words", [
    (PERSON + "sh:node kgs:PersonShape .", "sh:node"),
    (PERSON + "sh:or ( kgs:PersonShape kgs:RoleShape ) .", "sh:or"),
    (PERSON + 'sh:sparql [ sh:select "SELECT $this WHERE { }" ] .', "sh:sparql"),
    (PERSON + "sh:closed true .", "sh:closed"),
    (PERSON + "sh:property [ sh:path schema:name ; sh:minCount 2 ] .", "sh:message"),
    (PERSON + "sh:property [ sh:path [ sh:zeroOrMorePath schema:name ] ; sh:nodeKind sh:IRI ] .", "path"),
    (('kgs:Y a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:prefixes kgs: ; sh:select """'
      'SELECT ?this WHERE { ?this a kgo:Person OPTIONAL { ?this kgo:x ?y } }""" ] ; sh:nodeKind sh:IRI .'),
     "LeftJoin"),
    (('kgs:Y a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:prefixes kgs: ; sh:select """'
      'SELECT ?this WHERE { ?this a kgo:Person FILTER (?this != kgo:x) }""" ] ; sh:nodeKind sh:IRI .'),
     "FILTER"),
    ("kgs:Y a sh:NodeShape ; sh:target [ a sh:SPARQLTargetType ] ; sh:nodeKind sh:IRI .", "SPARQLTarget"),
])
def test_an_unsupported_construct_is_an_error(extra, words):
    with pytest.raises(shacl.UnsupportedShapeError, match=words):
        _engine_with(extra)


def test_the_shipped_shapes_compile():
    e = _engine_with("")
    assert len(e.targeted) == len([s for s in e.shapes if s.targets])
    assert {s.id.rsplit("#", 1)[-1] for s in e.targeted} >= {"PersonShape", "CountyOutsideArticleProvinces",
                                                              "PercentOverThousand", "DirectorateOfUnnamedProvince"}


# ------------------------------------------------------------------ constructs our shapes do not use yet

SHAPES_MORE = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:A a sh:NodeShape ; sh:targetNode ex:a , ex:missing ;
    sh:property [ sh:path ex:name ; sh:maxLength 3 ; sh:message "name too long" ] ,
                [ sh:path ex:n ; sh:minExclusive 0 ; sh:maxExclusive 10 ; sh:message "n in (0, 10)" ] ,
                [ sh:path ex:tag ; sh:hasValue "x" ; sh:message "tag x" ] ,
                [ sh:path ex:left ; sh:disjoint ex:right ; sh:message "left and right differ" ] ,
                [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ; sh:message "code starts ab" ] ,
                [ sh:path ex:child ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMaxCount 1 ;
                  sh:message "one integer child at most" ] .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:severity sh:Warning ;
    sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:minCount 1 ; sh:message "known by someone" ] .
ex:C a sh:NodeShape ; sh:targetObjectsOf ex:knows ;
    sh:property [ sh:path [ sh:alternativePath ( ex:name rdfs:label ) ] ; sh:minCount 1 ; sh:maxCount 1 ;
                  sh:severity sh:Info ; sh:message "one name or label" ] .
ex:D a sh:NodeShape ; sh:targetClass ex:Thing ; sh:deactivated true ; sh:nodeKind sh:Literal .
ex:E a sh:NodeShape ; sh:targetClass ex:Thing ; sh:nodeKind sh:BlankNodeOrIRI ; sh:class ex:Other ;
    sh:datatype xsd:string ; sh:pattern "^urn:ex:[a-z]$" .
"""

DATA_MORE = """
@prefix ex: <urn:ex:> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a ex:name "long name" , "ok" ; ex:n 0 , 5 , 10 , "7" , 3.5 ; ex:tag "y" ; ex:left ex:l1 , ex:same ;
    ex:right ex:same ; ex:code "ABc" , "xab" ; ex:child 1 , 2 , "three" ; ex:knows ex:b , ex:c .
ex:b ex:knows ex:c ; ex:name "b" ; rdfs:label "b" .
ex:c a ex:Thing , ex:Other .
ex:d a ex:Thing ; ex:knows ex:e .
_:x a ex:Thing .
"""


def test_more_constructs_same_results_as_pyshacl():
    import pyshacl

    shapes = Graph().parse(data=SHAPES_MORE, format="turtle")
    data = Graph().parse(data=DATA_MORE, format="turtle")
    conforms, report_graph, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=validate.ontology_graph(),
                                                 inference="none", advanced=True, allow_warnings=True)
    engine = shacl.Engine([ox.Triple(*map(to_ox, t)) for t in shapes],
                          [ox.Triple(*map(to_ox, t)) for t in validate.ontology_graph()],
                          shapes_nm=shapes.namespace_manager)
    found = engine.validate([ox.Quad(*map(to_ox, t), ox.DefaultGraph()) for t in data])
    assert validate.result_rows(found) == validate.pyshacl_results(report_graph)
    assert len(found) > 15
    assert conforms == (not any(r.severity == shacl.VIOLATION for r in found))
