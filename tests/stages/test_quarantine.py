"""Validation as a gate: inconsistent facts go to the quarantine graph, with why and where."""

from __future__ import annotations

from helpers import ROOT
from rdflib import RDF, URIRef

from kg_builder import build
from kg_builder.cli import main
from kg_builder.stages.validate import quarantined
from kg_builder.vocab import KGO, SCHEMA

ARTICLE = (ROOT / "tests" / "fixtures" / "inconsistent_article.txt").read_text(encoding="utf-8")


def test_inconsistent_facts_are_quarantined_not_dropped(tmp_path):
    (tmp_path / "case.txt").write_text(ARTICLE, encoding="utf-8")
    result = build([tmp_path])
    assert result.report.conforms, result.report.text()
    records = quarantined(result.quarantine_graph)
    reasons = sorted(r for _, rs, _ in records for r in rs)
    assert reasons == ["a percentage over 1000 is not a plausible figure",
                       "the county lies in a province the article does not name, while it names another"]
    texts = " ".join(t for _, _, t in records)
    assert "[۱۵۰۰ درصد]" in texts and "[مشهد]" in texts and "case.txt" in texts
    # the facts left the main graph, their triples are in the quarantine graph
    for fact, _, _ in records:
        assert not list(result.graph.triples((URIRef(fact), None, None)))
    assert len(set(result.quarantine_graph.subjects(RDF.type, KGO.Statistic))) == 1
    # consistent facts stay
    values = {float(o) for s in result.graph.subjects(RDF.type, KGO.Statistic)
              for o in result.graph.objects(s, SCHEMA.value)}
    assert {200.0, 30.0} <= values


def test_cli_writes_and_reports_the_quarantine(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "case.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "kg.ttl"
    assert main(["build", str(tmp_path / "in"), "-o", str(out)]) == 0
    assert "quarantined: 2 facts" in capsys.readouterr().out
    assert (tmp_path / "kg.quarantine.ttl").exists()
    assert main(["validate", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "conforms: yes" in shown and "quarantined: 2 facts" in shown and "[مشهد]" in shown
