from rdflib import OWL, RDF, Graph

from kg_builder import resources_path
from kg_builder.vocab import KGO, KGO_IRI


def ontology_terms() -> set[str]:
    g = Graph().parse(resources_path("ontology", "kg.ttl"))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    return {str(s)[len(KGO_IRI):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(KGO_IRI)}


def test_namespace_module_matches_ontology():
    declared = set(KGO.__annotations__)
    assert declared == ontology_terms()


def test_mistyped_term_is_an_error():
    import pytest

    with pytest.raises(AttributeError):
        KGO.Provinse  # noqa: B018


def test_every_term_has_persian_and_english_label_and_comment():
    from rdflib import RDFS

    g = Graph().parse(resources_path("ontology", "kg.ttl"))
    for name in ontology_terms():
        term = KGO[name]
        langs = {o.language for o in g.objects(term, RDFS.label)}
        assert {"fa", "en"} <= langs, name
        assert g.value(term, RDFS.comment) is not None, name
