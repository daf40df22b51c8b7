"""Every fact's evidence quotes the raw file text exactly at its offsets."""

from helpers import SEEDS, built, rows


def test_every_provenance_span_is_exact():
    result = built(str(SEEDS))
    raw = {f.name: f.read_text(encoding="utf-8") for f in SEEDS.glob("*.txt")}
    found = rows(result, "provenance")
    assert len(found) > 50
    for r in found:
        start, end = int(r["start"]), int(r["end"])
        assert raw[r["source"]][start:end] == r["text"], r


def test_every_fact_has_evidence():
    from kg_builder import query

    result = built(str(SEEDS))
    missing = query(result.graph, """
        PREFIX kgo: <https://w3id.org/kg-builder/ontology#>
        SELECT ?f WHERE { VALUES ?c { kgo:Mention kgo:Membership kgo:Statistic }
                          ?f a ?c . FILTER NOT EXISTS { ?f kgo:evidence ?s } }""")
    assert missing.rows == ()
