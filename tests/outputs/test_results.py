"""The SPARQL 1.1 results formats (outputs/results.py), shared by ``kg-builder query`` and the server."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from kg_builder.outputs import results
from kg_builder.outputs.query import QueryResult

XSD = "http://www.w3.org/2001/XMLSchema#"
NAMES = ["s", "label", "n", "b", "missing"]
ROW = [ox.NamedNode("https://example.org/a?x=1&y=2"), ox.Literal("تهران، \"مرکز\"", language="fa"),
       ox.Literal("12.5", datatype=ox.NamedNode(XSD + "decimal")), ox.BlankNode("b0"), None]
PLAIN = ox.Literal("a\tb\nc")


def test_json_types_each_term():
    data = json.loads(results.json(NAMES, [ROW, [None, PLAIN, None, None, None]]))
    assert data["head"]["vars"] == NAMES
    first, second = data["results"]["bindings"]
    assert first["s"] == {"type": "uri", "value": "https://example.org/a?x=1&y=2"}
    assert first["label"] == {"type": "literal", "value": "تهران، \"مرکز\"", "xml:lang": "fa"}
    assert first["n"] == {"type": "literal", "value": "12.5", "datatype": XSD + "decimal"}
    assert first["b"] == {"type": "bnode", "value": "b0"}
    assert "missing" not in first  # unbound: no binding
    assert second == {"label": {"type": "literal", "value": "a\tb\nc"}}  # xsd:string: no datatype


def test_json_of_an_rdf_star_triple():
    t = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))
    assert results.json_term(t) == {"type": "triple", "value": {"subject": {"type": "uri", "value": "urn:s"},
                                                                "predicate": {"type": "uri", "value": "urn:p"},
                                                                "object": {"type": "literal", "value": "o"}}}


def test_xml_is_well_formed_and_escaped():
    ns = {"r": results.SPARQL_RESULTS_NS}
    root = ET.fromstring(results.xml(NAMES, [ROW]))
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == NAMES
    bindings = {b.get("name"): b[0] for b in root.findall("r:results/r:result/r:binding", ns)}
    assert set(bindings) == {"s", "label", "n", "b"}
    assert bindings["s"].tag.endswith("uri") and bindings["s"].text == "https://example.org/a?x=1&y=2"
    assert bindings["label"].get("{http://www.w3.org/XML/1998/namespace}lang") == "fa"
    assert bindings["n"].get("datatype") == XSD + "decimal" and bindings["b"].tag.endswith("bnode")
    markup = ET.fromstring(results.xml(["x"], [[ox.Literal("</literal><b a=\"1\">&amp;")]]))
    assert markup.find("r:results/r:result/r:binding/r:literal", ns).text == '</literal><b a="1">&amp;'


def test_csv_plain_values_crlf_and_tsv_terms():
    text = results.csv(NAMES, [ROW, [None, PLAIN, None, None, None]])
    assert text.startswith("s,label,n,b,missing\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["https://example.org/a?x=1&y=2", "تهران، \"مرکز\"", "12.5", "_:b0", ""]
    assert rows[2][1] == "a\tb\nc"
    lines = results.tsv(NAMES, [ROW, [None, PLAIN, None, None, None]]).split("\n")
    assert lines[0] == "?s\t?label\t?n\t?b\t?missing"
    assert lines[1].split("\t") == ["<https://example.org/a?x=1&y=2>", '"تهران، \\"مرکز\\""@fa',
                                    f'"12.5"^^<{XSD}decimal>', "_:b0", ""]
    assert lines[2] == '\t"a\\tb\\nc"\t\t\t' and lines[3] == ""  # tabs and newlines escaped: one line per row


def test_booleans():
    assert json.loads(results.boolean(True, "json")) == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in results.boolean(False, "xml")
    assert results.boolean(True, "csv") == "_askResult\ntrue\n"
    assert results.boolean(False, "tsv") == "?_askResult\nfalse\n"


def test_query_result_rows_are_plain_values_and_json_is_typed():
    r = QueryResult(tuple(NAMES), (tuple(ROW),))
    assert r.rows == (("https://example.org/a?x=1&y=2", "تهران، \"مرکز\"", "12.5", "_:b0", None),)
    assert r.as_dicts()[0]["n"] == "12.5"
    assert json.loads(r.json())["results"]["bindings"][0]["s"]["type"] == "uri"
    assert r.csv().split("\r\n")[0] == "s,label,n,b,missing"  # SPARQL 1.1 CSV: CRLF
    assert r.tsv().split("\n")[0].split("\t")[0] == "?s"  # SPARQL 1.1 TSV: ?var header, Turtle terms
    assert r.tsv().split("\n")[1].split("\t")[0] == "<https://example.org/a?x=1&y=2>"
