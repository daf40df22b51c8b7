"""Every output format parses back with a strict parser, whatever characters the article or its file
name holds (issue 15, point 13): control characters, non-characters and direction marks in the
text made RDF/XML and SPARQL XML results not well-formed while `validate` said "conforms"."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare

from kg_builder.cli import main
from kg_builder.text.controls import CONTROLS, neutralise

# rdflib's own N-Quads and TriG parsers call what rdflib deprecates
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

# every kind of character that once broke an output: C0 controls (form feed, ESC, vertical tab,
# information separators, SOH), DEL, C1 controls (NEL, CSI), the non-characters U+FFFE and U+FFFF,
# and bidi controls (embeddings, overrides, isolates, marks)
HOSTILE = ["\x01", "\x02", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\x9b",
           "\ufffe", "\uffff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
           "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]


def hostile_article() -> str:
    """A short synthetic article with one official, a province, the hotline and two figures, each
    hostile character once between words and once inside a word."""
    c = iter(HOSTILE * 2)
    return ("خبرگزاری نمونه\n۱۲ آبان ۱۴۰۳\n"
            f"به گزارش خبرنگار ما، حمید{next(c)} کاظمی{next(c)}نژاد مدیرکل بهزیستی استان{next(c)} "
            f"زنجان{next(c)} گفت: ۴{next(c)}۵۰۰ نفر{next(c)} از خدمات اورژانس{next(c)} اجتماعی ۱۲۳ "
            f"بهره‌مند{next(c)} شدند{next(c)}.\n"
            f"وی{next(c)} افزود: حدود{next(c)} ۳۰ درصد{next(c)} از{next(c)} مددجویان{next(c)} زن "
            f"{next(c)}هستند و {next(c)}خدمات{next(c)} در {next(c)}تمام شهرها{next(c)} ارائه{next(c)} "
            f"می‌شود{next(c)}.{next(c)}\n" + "".join(c) + "\n")


GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld",
                 "rdf": "xml"}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
              "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}
# XML 1.0 § 2.2: the characters a document may hold
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse_rdf(path, suffix: str) -> rdflib.Dataset:
    """The file read by rdflib (its RDF/XML parser is expat: strict XML 1.0) and by pyoxigraph."""
    data = path.read_bytes()
    assert not _NOT_XML.search(data.decode("utf-8")) or suffix != "rdf"
    list(ox.parse(data, format=OX_FORMATS[suffix]))
    ds = rdflib.Dataset()
    ds.parse(data=data, format=GRAPH_FORMATS[suffix])
    return ds


def triples(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    articles = folder / "in"
    articles.mkdir()
    (articles / "khabar.txt").write_text(hostile_article(), encoding="utf-8")
    # a file name holding controls: its name is a literal (kgo:sourceFile) of every output
    (articles / "khabar\x1b[31m\x0c\x7fdo.txt").write_text(hostile_article(), encoding="utf-8")
    out = {}
    for suffix in GRAPH_FORMATS:
        out[suffix] = folder / f"kg.{suffix}"
        assert main(["build", str(articles), "-o", str(out[suffix]), "-q", "-j", "1"]) == 0
    return out


@pytest.mark.parametrize("suffix", GRAPH_FORMATS)
def test_every_graph_format_parses_back_and_validates(built, suffix, capsys):
    ds = parse_rdf(built[suffix], suffix)
    assert len(triples(ds)) > 50
    assert main(["validate", str(built[suffix])]) == 0
    assert "conform" in capsys.readouterr().out


def xml_held(g: rdflib.Graph) -> rdflib.Graph:
    """``g`` as XML holds it: what XML 1.0 cannot hold in a literal (here only a file name's) as U+FFFD."""
    from kg_builder.text.controls import xml_safe

    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal):
            o = rdflib.Literal(xml_safe(str(o)), lang=o.language, datatype=o.datatype)
        out.add((s, p, o))
    return out


def test_every_graph_format_holds_the_same_graph(built):
    graphs = {s: triples(parse_rdf(p, s)) for s, p in built.items()}
    turtle = graphs["ttl"]
    for suffix, g in graphs.items():
        expected = xml_held(turtle) if suffix == "rdf" else turtle
        assert rdflib.compare.isomorphic(g, expected), suffix


def test_article_text_literals_hold_no_control_character(built):
    g = triples(parse_rdf(built["ttl"], "ttl"))
    literals = [str(o) for o in g.objects() if isinstance(o, rdflib.Literal)]
    headlines = [str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/headline"))]
    assert headlines and literals
    # the file name is the one literal that keeps its characters (Turtle can hold them)
    assert [v for v in literals if CONTROLS.search(v)] == ["khabar\x1b[31m\x0c\x7fdo.txt"]


PROVENANCE = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kgo: <https://w3id.org/kg-builder/ontology#>
SELECT ?source ?start ?end ?exact WHERE {
  ?span oa:hasSource ?a ; oa:hasSelector ?sel . ?a kgo:sourceFile ?source .
  ?sel oa:start ?start ; oa:end ?end ; oa:exact ?exact } ORDER BY ?source ?start ?end"""


def test_offsets_stay_exact_with_controls_replaced_one_for_one(built, capsys):
    assert main(["query", str(built["ttl"]), "-e", PROVENANCE, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    text = neutralise(hostile_article())
    assert len(rows) >= 5
    for r in rows:
        start, end = int(r["start"]["value"]), int(r["end"]["value"])
        assert text[start:end] == r["exact"]["value"]


def parse_results(fmt: str, text: str) -> list:
    """The rows of a SELECT answer, read by a strict parser of its format."""
    if fmt == "json":
        return json.loads(text)["results"]["bindings"]
    if fmt == "xml":
        assert not _NOT_XML.search(text)
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return ET.fromstring(text.encode("utf-8")).findall("r:results/r:result", ns)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text, newline="")))[1:]
    if fmt == "tsv":
        body = text.split("\n")[1:-1]
        for line in body:  # every cell is a term in N-Triples syntax
            for cell in line.split("\t"):
                if cell:
                    list(ox.parse(f"<x:s> <x:p> {cell} .", format=ox.RdfFormat.N_TRIPLES))
        return body
    assert fmt == "table"
    return [line for line in text.splitlines() if "khabar" in line]


EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?s ?p ?o"
# values from elsewhere than an article: a query can make any string
MADE_UP = 'SELECT ?o WHERE { VALUES ?o { "a\\u0000b\\u000Cc\\u001Bd\\uFFFEe\\u0085" "x\\u0001"@fa } }'


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_every_results_format_parses_back(built, fmt, capsys):
    assert main(["query", str(built["trig"]), "-e", EVERYTHING, "--format", "json"]) == 0
    expected = len(json.loads(capsys.readouterr().out)["results"]["bindings"])
    assert main(["query", str(built["trig"]), "-e", EVERYTHING, "--format", fmt]) == 0
    found = parse_results(fmt, capsys.readouterr().out)
    if fmt == "table":
        assert found
    else:
        assert len(found) == expected > 50
    assert main(["query", str(built["trig"]), "-e", MADE_UP, "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt != "table":
        assert len(parse_results(fmt, out)) == 2


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "xml"])
def test_every_construct_format_parses_back(built, fmt, tmp_path, capsys):
    made_up = ('CONSTRUCT { <x:s> <x:p> "a\\u000Cb\\u001Bc\\uFFFF" ; <x:q> ?o } '
               'WHERE { ?s <https://schema.org/headline> ?o }')
    assert main(["query", str(built["ttl"]), "-e", made_up, "--format", fmt]) == 0
    data = capsys.readouterr().out.encode("utf-8")
    suffix = {"xml": "rdf"}.get(fmt, fmt)
    path = tmp_path / f"answer.{suffix}"
    path.write_bytes(data)
    g = triples(parse_rdf(path, suffix))
    made = "a\ufffdb\ufffdc\ufffd" if fmt == "xml" else "a\x0cb\x1bc\uffff"
    assert rdflib.Literal(made) in set(g.objects(rdflib.URIRef("x:s"), rdflib.URIRef("x:p")))
    # both articles have the same headline, with its controls replaced in the text
    assert len(g) == 2 and not any(CONTROLS.search(str(o)) for o in g.objects(None, rdflib.URIRef("x:q")))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "html"])
def test_every_viz_format_parses_back(built, fmt, tmp_path):
    out = tmp_path / f"g.{fmt}"
    assert main(["viz", str(built["trig"]), "-o", str(out), "-q"]) == 0
    text = out.read_text(encoding="utf-8")
    if fmt in ("graphml", "gexf"):
        assert not _NOT_XML.search(text)
        root = ET.fromstring(text.encode("utf-8"))
        assert len([e for e in root.iter() if e.tag.endswith("node")]) > 5
        import networkx as nx

        read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        assert read(out).number_of_nodes() > 5
    elif fmt == "json":
        assert len(json.loads(text)["nodes"]) > 5
    else:
        data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
        payload = data.group(1)
        assert len(json.loads(payload)["nodes"]) > 5


def test_the_table_shows_control_characters_escaped(built, capsys):
    # a file name's ESC sequence would recolour or rewrite the terminal the table is printed on
    named = ("PREFIX kgo: <https://w3id.org/kg-builder/ontology#> "
             "SELECT ?f WHERE { ?a kgo:sourceFile ?f } ORDER BY ?f")
    assert main(["query", str(built["ttl"]), "-e", named]) == 0
    out = capsys.readouterr().out
    assert "khabar\\x1b[31m\\x0c\\x7fdo.txt" in out and "khabar.txt" in out
    assert not CONTROLS.search(out.replace("\n", ""))
