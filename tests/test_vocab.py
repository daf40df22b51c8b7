"""The vocabulary module against the ontology, the shapes, the contract queries and the JSON-LD context."""

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SH, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg_builder import resources_path, vocab
from kg_builder.vocab import KGO, KGO_IRI, PREFIXES


def ontology_terms() -> set[str]:
    g = Graph().parse(resources_path("ontology", "kg.ttl"))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    return {str(s)[len(KGO_IRI):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(KGO_IRI)}


def test_namespace_module_matches_ontology():
    declared = set(KGO.__annotations__)
    assert declared == ontology_terms()


def test_mistyped_term_is_an_error():
    with pytest.raises(AttributeError):
        KGO.Provinse  # noqa: B018


def test_every_term_has_persian_and_english_label_and_comment():
    g = Graph().parse(resources_path("ontology", "kg.ttl"))
    for name in ontology_terms():
        term = KGO[name]
        langs = {o.language for o in g.objects(term, RDFS.label)}
        assert {"fa", "en"} <= langs, name
        assert g.value(term, RDFS.comment) is not None, name


# --------------------------------------------------------------------------- one source of prefixes

ROOT = Path(__file__).resolve().parent.parent
# prefixes our files declare besides PREFIXES (never bound in a graph we write)
OTHER_PREFIXES = {"owl": str(OWL), "dcterms": str(DCTERMS), "sh": str(SH),
                  "kgs": "https://w3id.org/kg-builder/shapes#"}
_TURTLE_PREFIX = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>\s*\.")
_SPARQL_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)


def _declared() -> list[tuple[str, str, str]]:
    """(file, prefix, IRI) for every prefix the ontology, the shapes and the contract queries declare."""
    found = []
    for path in (resources_path("ontology", "kg.ttl"), resources_path("shapes", "kg.shacl.ttl")):
        text = path.read_text(encoding="utf-8")
        found += [(path.name, p, iri) for p, iri in _TURTLE_PREFIX.findall(text)]
        found += [(path.name, p, iri) for p, iri in _SPARQL_PREFIX.findall(_TURTLE_PREFIX.sub("", text))]
    shapes = Graph().parse(resources_path("shapes", "kg.shacl.ttl"))
    found += [("sh:declare", str(p), str(shapes.value(d, SH.namespace))) for d, p in shapes.subject_objects(SH.prefix)]
    for q in sorted(resources_path("queries", "officials.rq").parent.glob("*.rq")):
        found += [(q.name, p, iri) for p, iri in _SPARQL_PREFIX.findall(q.read_text(encoding="utf-8"))]
    return found


def test_namespace_objects_are_the_prefix_table():
    for name in vocab._NAMESPACES:
        assert str(getattr(vocab, name)) == PREFIXES[name.lower()], name
    assert (vocab.KGO_IRI, vocab.DATA_IRI) == (PREFIXES["kgo"], PREFIXES["kg"])


def test_the_graphs_we_build_bind_exactly_the_vocab_prefixes():
    from helpers import SEEDS, built

    assert {p: str(ns) for p, ns in built(str(SEEDS)).graph.namespaces()} == PREFIXES


def test_importing_the_prefixes_imports_no_rdflib():
    code = "import sys\nfrom kg_builder.vocab import PREFIXES\nprint('rdflib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"


def test_ontology_shapes_and_queries_declare_the_prefixes_of_vocab():
    declared = _declared()
    assert {f for f, _, _ in declared} >= {"kg.ttl", "kg.shacl.ttl", "sh:declare", "officials.rq"}
    ours = {iri: p for p, iri in PREFIXES.items()}
    for where, prefix, iri in declared:
        if prefix in PREFIXES or iri in ours:
            assert (prefix, iri) == (ours.get(iri), PREFIXES.get(prefix)), (where, prefix, iri)
        else:
            assert OTHER_PREFIXES.get(prefix) == iri, (where, prefix, iri)


# --------------------------------------------------------------------------- the JSON-LD context

def _context() -> dict:
    return json.loads(resources_path("ontology", "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    assert prefix in PREFIXES, curie
    return PREFIXES[prefix] + local


def _coercion(definition: dict) -> str:
    """What a context term makes of a value: "@id", a datatype IRI, "string" (no language) or "lang"."""
    if "@type" in definition:
        return "@id" if definition["@type"] == "@id" else _expand(definition["@type"])
    return "string" if "@language" in definition and definition["@language"] is None else "lang"


def _kind_of_datatype(datatype) -> str:
    return {XSD.string: "string", RDF.langString: "lang"}.get(datatype, str(datatype))


def test_jsonld_context_prefixes_are_vocab_prefixes():
    ctx = _context()
    assert {k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")} == PREFIXES


def test_jsonld_context_terms_agree_with_ontology_shapes_and_graph():
    """Each term maps a property of the ontology (ours) or of the shapes or the graph (reused ones),
    coerced as the ontology's kind and range, the shapes' constraints and the golden graph's values say."""
    onto = Graph().parse(resources_path("ontology", "kg.ttl"))
    shapes = Graph().parse(resources_path("shapes", "kg.shacl.ttl"))
    golden = defaultdict(list)  # predicate -> objects, over every graph of the seeds' golden dataset
    for q in pyoxigraph.parse(path=str(ROOT / "tests" / "golden" / "seeds.trig"), format=pyoxigraph.RdfFormat.TRIG):
        golden[q.predicate.value].append(q.object)
    terms = {k: v for k, v in _context().items() if isinstance(v, dict)}
    assert len(terms) > 30
    for term, definition in terms.items():
        iri = URIRef(_expand(definition["@id"]))
        want = _coercion(definition)
        if iri.startswith(KGO_IRI):
            if (iri, RDF.type, OWL.ObjectProperty) in onto:
                assert want == "@id", term
            else:
                assert (iri, RDF.type, OWL.DatatypeProperty) in onto, f"{term}: {iri} is no property of the ontology"
                assert want == _kind_of_datatype(onto.value(iri, RDFS.range)), term
        said = set()
        for shape in shapes.subjects(SH.path, iri):
            if shapes.value(shape, SH["class"]) is not None or shapes.value(shape, SH.nodeKind) == SH.IRI:
                said.add("@id")
            if shapes.value(shape, SH.datatype) is not None:
                said.add(_kind_of_datatype(shapes.value(shape, SH.datatype)))
            if shapes.value(shape, SH.languageIn) is not None:
                said.add("lang")
        assert said <= {want}, (term, said, want)
        values = golden.get(str(iri), [])
        assert values or said or iri.startswith(KGO_IRI), f"{term}: {iri} is used nowhere"
        for o in values:
            if want == "@id":
                assert isinstance(o, pyoxigraph.NamedNode), (term, o)
            elif want == "lang":
                assert isinstance(o, pyoxigraph.Literal) and o.language, (term, o)
                if "@container" not in definition:  # the context's default language
                    assert o.language == _context()["@language"], (term, o)
            else:
                assert isinstance(o, pyoxigraph.Literal) and not o.language, (term, o)
                assert _kind_of_datatype(URIRef(o.datatype.value)) == want, (term, o)


# --------------------------------------------------------------------------- classes from the ontology

def test_classes_are_the_ontology_classes_with_labels_and_superclasses():
    onto = Graph().parse(resources_path("ontology", "kg.ttl"))
    found = vocab.classes()
    assert vocab.classes() is found  # read once
    assert list(found) == sorted(found)
    assert set(found) == {str(c)[len(KGO_IRI):] for c in onto.subjects(RDF.type, OWL.Class)} \
        <= set(KGO.__annotations__)
    for name, c in found.items():
        assert c.name == name and c.iri == str(KGO[name])
        assert c.label_fa and c.label_en, name
        assert set(c.parents) == {str(p) for p in onto.objects(URIRef(c.iri), RDFS.subClassOf)}
        assert set(c.parents) <= set(c.ancestors)
        for a in c.ancestors:  # transitive
            if a[len(KGO_IRI):] in found and a.startswith(KGO_IRI):
                assert set(found[a[len(KGO_IRI):]].ancestors) <= set(c.ancestors), (name, a)
    hotline = found["Hotline"]
    assert hotline.label_en == "hotline"
    assert hotline.is_a("Hotline") and hotline.is_a("Programme") and hotline.is_a("https://schema.org/ContactPoint")
    assert not hotline.is_a("Statistic")
    assert found["ProvincialDirectorate"].is_a(str(KGO.Organization))
