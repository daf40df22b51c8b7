"""Each shape fires on a graph broken on purpose; the unbroken graph conforms; and on each of these
graphs the engine (``stages/shacl.py``) gives exactly pySHACL's report."""

from __future__ import annotations

from functools import lru_cache

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from kg_builder.stages import validate as stage
from kg_builder.stages.validate import run as validate
from kg_builder.vocab import KGO, OA, ORG, SCHEMA

ARTICLE = """کد خبر: 12345
۱۲ مهر ۱۴۰۲ - ۱۰:۳۰

مدیرکل بهزیستی استان فارس از اجرای طرح غربالگری شنوایی نوزادان خبر داد

شیراز - ایرنا - مدیرکل بهزیستی استان فارس گفت: بیش از ۱۲ هزار نفر در پویش نیکوکاری شرکت کردند.
حسین کاظمی افزود: ۳۵ درصد تماس‌ها با اورژانس اجتماعی ۱۲۳ از شهرستان مرودشت بود.
رئیس اداره بهزیستی شهرستان مرودشت، علی رضایی نیز گفت: ۲ میلیارد ریال برای ۴۰ خانوار هزینه شد.
"""


@lru_cache(maxsize=1)
def _base(tmpdir: str):
    from pathlib import Path

    from kg_builder import build

    p = Path(tmpdir) / "shape_fixture.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return build([p], validate_graph=False).graph


@pytest.fixture
def graph(tmp_path_factory):
    g = _base(str(tmp_path_factory.getbasetemp()))
    copy = type(g)()
    for t in g:
        copy.add(t)
    for p, ns in g.namespaces():
        copy.bind(p, ns)
    return copy


def one(g, cls):
    found = sorted(g.subjects(RDF.type, cls))
    assert found, f"fixture graph has no {cls}"
    return found[0]


def drop(g, s, p):
    g.remove((s, p, None))


def test_fixture_graph_conforms(graph):
    report = validate(graph)
    assert report.conforms, report.text()


BREAKS = {
    "NewsArticleShape": (KGO.NewsArticle, lambda g, s: drop(g, s, KGO.sourceFile), "source file"),
    "NewsAgencyShape": (KGO.NewsAgency, lambda g, s: drop(g, s, RDFS.label), "label"),
    "TextSpanShape": (KGO.TextSpan, lambda g, s: drop(g, s, OA.hasSource), "exactly one article"),
    "SpanSelectorShape": (KGO.SpanSelector, lambda g, s: (drop(g, s, OA.end), g.add((s, OA.end, Literal(0)))),
                          "before its end"),
    "FactShape": (KGO.Statistic, lambda g, s: drop(g, s, KGO.evidence), "evidence"),
    "MentionShape": (KGO.Mention, lambda g, s: g.add((s, KGO.mentions, URIRef("urn:x:other"))), "exactly one entity"),
    "PersonShape": (KGO.Person, lambda g, s: drop(g, s, SCHEMA.name), "schema:name"),
    "RoleShape": (KGO.Role, lambda g, s: (drop(g, s, KGO.roleCategory), g.add((s, KGO.roleCategory, Literal("boss")))),
                  "known kinds"),
    "MembershipShape": (KGO.Membership, lambda g, s: drop(g, s, ORG.member), "exactly one person"),
    "OrganizationShape": (KGO.NationalOrganization, lambda g, s: drop(g, s, RDFS.label), "label"),
    "UnitOfProvinceShape": (KGO.ProvincialDirectorate, lambda g, s: drop(g, s, KGO.jurisdiction), "serves a province"),
    "CountyOfficeShape": (KGO.CountyOffice, lambda g, s: drop(g, s, KGO.jurisdiction), "serves a county"),
    "ProvinceShape": (KGO.Province, lambda g, s: g.add((s, KGO.isoCode, Literal("Fars"))), "IR-NN"),
    "CountyShape": (KGO.County, lambda g, s: drop(g, s, SCHEMA.containedInPlace), "exactly one province"),
    "ProgrammeShape": (KGO.Campaign, lambda g, s: drop(g, s, RDFS.label), "label"),
    # kgo:Hotline123 gets its number from the ontology itself, so break a second hotline
    "HotlineShape": (KGO.Hotline, lambda g, s: g.add((URIRef("urn:x:line"), RDF.type, KGO.Hotline)), "telephone"),
    "StatisticShape": (KGO.Statistic, lambda g, s: g.add((s, KGO.isApproximate, Literal("maybe"))), "approximate"),
    "BeneficiaryGroupShape": (KGO.BeneficiaryGroup, lambda g, s: drop(g, s, SKOS.inScheme), "scheme"),
    # the article stops naming the province its directorate's post is placed in, and its counties
    "DirectorateOfUnnamedProvince": (KGO.Membership, lambda g, s: [
        g.remove((a, SCHEMA.mentions, p)) for a in g.subjects(RDF.type, KGO.NewsArticle)
        for cls in (KGO.Province, KGO.County) for p in g.subjects(RDF.type, cls)], "never names"),
}


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_shape_fires_on_broken_graph(graph, shape):
    cls, breaker, words = BREAKS[shape]
    node = one(graph, cls)
    breaker(graph, node)
    if shape == "HotlineShape":
        node = URIRef("urn:x:line")
    if shape == "DirectorateOfUnnamedProvince":  # the post in the provincial directorate
        node = next(m for m in sorted(graph.subjects(RDF.type, KGO.Membership))
                    if (graph.value(m, ORG.organization), RDF.type, KGO.ProvincialDirectorate) in graph)
    report = validate(graph)
    assert not report.conforms
    assert any(v.focus == str(node) and words in v.message for v in report.violations), report.text()


def test_evidence_from_another_article_fires(graph):
    stat = one(graph, KGO.Statistic)
    other = URIRef("https://w3id.org/kg-builder/id/article/other")
    graph.add((other, RDF.type, KGO.NewsArticle))
    graph.add((other, KGO.sourceFile, Literal("other.txt")))
    span = next(graph.objects(stat, KGO.evidence))
    drop(graph, span, OA.hasSource)
    graph.add((span, OA.hasSource, other))
    report = validate(graph)
    assert any("another article" in v.message for v in report.violations), report.text()


def test_quarantine_record_needs_its_parts(graph):
    record = URIRef("urn:x:record")
    graph.add((record, RDF.type, KGO.QuarantineRecord))
    report = validate(graph)
    messages = {v.message for v in report.violations if v.focus == str(record)}
    assert messages == {"a quarantine record holds exactly one fact", "a quarantine record says what was wrong",
                        "a quarantine record points to the text"}


# ------------------------------------------------------------------ the same report as pySHACL

def same_as_pyshacl(graph) -> None:
    """The engine's results and report equal pySHACL's: focus nodes, paths, values, messages,
    severities and constraint components, then the report as printed (labels, quotes)."""
    import pyoxigraph as ox

    from kg_builder.terms import to_ox

    conforms, report_graph = stage.pyshacl_validate(graph)
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph]
    assert stage.result_rows(stage.results(quads)) == stage.pyshacl_results(report_graph)
    assert validate(graph) == stage.report_from_pyshacl(graph, conforms, report_graph)


def test_fixture_graph_same_report(graph):
    same_as_pyshacl(graph)


@pytest.mark.parametrize("shape", sorted(BREAKS))
def test_broken_graph_same_report(graph, shape):
    cls, breaker, _ = BREAKS[shape]
    breaker(graph, one(graph, cls))
    assert not validate(graph).conforms
    same_as_pyshacl(graph)


def test_evidence_from_another_article_same_report(graph):
    test_evidence_from_another_article_fires(graph)
    same_as_pyshacl(graph)


def test_quarantine_record_same_report(graph):
    test_quarantine_record_needs_its_parts(graph)
    same_as_pyshacl(graph)


def test_more_breaks_same_report(graph):
    """Kinds of wrong value no shape test makes: ill-typed and mistyped literals, blank nodes, a
    second label in one language, a bad date, a statistic over the plausible percentage."""
    from rdflib import BNode
    from rdflib.namespace import XSD

    stat = one(graph, KGO.Statistic)
    graph.set((stat, SCHEMA.value, Literal("12a", datatype=XSD.decimal)))
    person = one(graph, KGO.Person)
    graph.add((person, RDFS.label, Literal("دوم", lang="fa")))
    graph.add((person, RDFS.label, Literal("x", lang="de")))
    article = one(graph, KGO.NewsArticle)
    graph.add((article, SCHEMA.datePublished, Literal("2023-13-45", datatype=XSD.date)))
    graph.add((article, KGO.newsCode, Literal(12)))
    selector = one(graph, KGO.SpanSelector)
    graph.set((selector, OA.start, Literal("-3", datatype=XSD.nonNegativeInteger)))
    graph.add((BNode("b1"), RDF.type, KGO.Person))
    graph.add((BNode("b1"), RDFS.label, Literal("بی‌نام", lang="fa")))
    membership = one(graph, KGO.Membership)
    graph.add((membership, URIRef("http://www.w3.org/ns/org#role"), Literal("مدیر")))
    assert not validate(graph).conforms
    same_as_pyshacl(graph)


@pytest.mark.parametrize("prop, value, words", [
    (SCHEMA.encodingFormat, Literal("windows-1256"), "MIME type with its charset"),
    (SCHEMA.encodingFormat, Literal("application/pdf; charset=UTF-8"), "MIME type with its charset"),
    (KGO.textExtractedBy, Literal(""), "extractor is named once"),
])
def test_how_the_file_was_read_is_checked(graph, prop, value, words):
    """An article read from another encoding or from HTML says how; a malformed note fires, and the
    engine's report is pySHACL's."""
    article = one(graph, KGO.NewsArticle)
    graph.add((article, prop, value))
    report = validate(graph)
    assert any(v.focus == str(article) and words in v.message for v in report.violations), report.text()
    graph.set((article, prop, Literal("text/html; charset=windows-1256" if prop == SCHEMA.encodingFormat
                                      else "trafilatura 2.3.1")))
    assert validate(graph).conforms
    same_as_pyshacl(graph)
