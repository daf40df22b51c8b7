"""Our vocabulary in Python: namespaces, prefixes and the ontology's classes, each defined here only.

- ``PREFIXES`` (prefix -> namespace IRI): what every graph we write binds, what the JSON-LD
  context (``ontology/context.jsonld``) maps, and what the ontology, the shapes and the
  contract queries declare wherever they use the same prefix (tests check all of them);
- ``KGO``: the terms of ``ontology/kg.ttl`` as a ``DefinedNamespace`` (a test checks the list
  against the ontology); a mistyped term raises (``_fail = True``) instead of minting a new IRI;
- ``SCHEMA``, ``ORG``, ``OA``, ``PROV``, ``SKOS``, ``RDF``, ``RDFS``, ``XSD``: the vocabularies we reuse;
- ``KGO_IRI``, ``DATA_IRI``: the namespaces of our terms (``kgo:``) and of our data (``kg:``);
- ``classes()``: the ontology's classes with their Persian and English labels and superclasses.

Importing this module is cheap: the prefixes are plain strings, and rdflib is imported when
a namespace object is first used (``from kg_builder.vocab import KGO`` builds them all), so
modules that need only IRIs, and ``kg-builder --help``, do without it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Namespace
    from rdflib.namespace import DefinedNamespace

    KGO: type[DefinedNamespace]
    SCHEMA: Namespace
    ORG: Namespace
    OA: Namespace
    PROV: type[DefinedNamespace]
    SKOS: type[DefinedNamespace]
    RDF: type[DefinedNamespace]
    RDFS: type[DefinedNamespace]
    XSD: type[DefinedNamespace]

__all__ = ["DATA_IRI", "KGO", "KGO_IRI", "OA", "ORG", "OntologyClass", "PREFIXES", "PROV", "RDF", "RDFS",
           "SCHEMA", "SKOS", "XSD", "classes"]

#: prefix -> namespace IRI, in the order a Turtle file of ours declares them
PREFIXES: dict[str, str] = {
    "kgo": "https://w3id.org/kg-builder/ontology#",
    "kg": "https://w3id.org/kg-builder/id/",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
KGO_IRI = PREFIXES["kgo"]
DATA_IRI = PREFIXES["kg"]

_NAMESPACES = ("KGO", "SCHEMA", "ORG", "OA", "PROV", "SKOS", "RDF", "RDFS", "XSD")


def __getattr__(name: str) -> Any:
    # PEP 562: the rdflib namespace objects are made on first use, then are ordinary globals
    if name in _NAMESPACES:
        spaces = _namespaces()
        globals().update(spaces)
        return spaces[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _namespaces() -> dict[str, Any]:
    from rdflib import RDF, RDFS, XSD, Namespace, URIRef
    from rdflib.namespace import PROV, SKOS, DefinedNamespace

    class KGO(DefinedNamespace):
        """Terms of ontology/kg.ttl (tests/test_vocab.py keeps this list equal to the ontology's)."""

        _NS = Namespace(KGO_IRI)
        _fail = True

        # classes
        NewsArticle: URIRef
        NewsAgency: URIRef
        TextSpan: URIRef
        SpanSelector: URIRef
        Fact: URIRef
        Mention: URIRef
        Person: URIRef
        Role: URIRef
        Membership: URIRef
        Organization: URIRef
        NationalOrganization: URIRef
        ProvincialDirectorate: URIRef
        CountyOffice: URIRef
        AdministrativeArea: URIRef
        Province: URIRef
        County: URIRef
        Programme: URIRef
        Campaign: URIRef
        ServiceSystem: URIRef
        Hotline: URIRef
        BeneficiaryGroup: URIRef
        Statistic: URIRef
        Unit: URIRef
        QuarantineRecord: URIRef
        # individuals
        Hotline123: URIRef
        Count: URIRef
        Percent: URIRef
        Rial: URIRef
        Toman: URIRef
        # properties
        sourceFile: URIRef
        contentHash: URIRef
        sourcePath: URIRef
        textExtractedBy: URIRef
        newsCode: URIRef
        publishedJalali: URIRef
        evidence: URIRef
        mentions: URIRef
        nameForm: URIRef
        roleCategory: URIRef
        observedOn: URIRef
        jurisdiction: URIRef
        isoCode: URIRef
        beneficiaryGroup: URIRef
        unit: URIRef
        countedNoun: URIRef
        isApproximate: URIRef
        periodStart: URIRef
        periodEnd: URIRef
        quarantinedFact: URIRef
        violation: URIRef

    KGO.__qualname__ = "KGO"
    return {"KGO": KGO, "SCHEMA": Namespace(PREFIXES["schema"]), "ORG": Namespace(PREFIXES["org"]),
            "OA": Namespace(PREFIXES["oa"]), "PROV": PROV, "SKOS": SKOS, "RDF": RDF, "RDFS": RDFS, "XSD": XSD}


@dataclass(frozen=True)
class OntologyClass:
    """One class of ``ontology/kg.ttl``."""

    name: str  #: local name, e.g. ``ProvincialDirectorate``
    iri: str
    label_fa: str
    label_en: str
    parents: tuple[str, ...]  #: direct superclasses (IRIs, ours and reused ones), sorted
    ancestors: tuple[str, ...]  #: every superclass, nearest first

    def is_a(self, other: str) -> bool:
        """Whether this class is ``other`` (a class name of ours or any IRI) or a subclass of it."""
        iri = other if ":" in other else KGO_IRI + other
        return iri == self.iri or iri in self.ancestors


@functools.cache
def classes() -> Mapping[str, OntologyClass]:
    """The classes of ``ontology/kg.ttl`` by local name (sorted), read once."""
    from rdflib import OWL, RDF, RDFS, Graph, URIRef

    from . import resources_path

    g = Graph().parse(resources_path("ontology", "kg.ttl"), format="turtle")

    def label(c: URIRef, lang: str) -> str:
        return next((str(o) for o in g.objects(c, RDFS.label) if o.language == lang), "")

    def parents(c: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(p) for p in g.objects(c, RDFS.subClassOf) if isinstance(p, URIRef)))

    found = {}
    for c in g.subjects(RDF.type, OWL.Class):
        if not (isinstance(c, URIRef) and str(c).startswith(KGO_IRI)):
            continue
        ancestors: list[str] = []
        queue = list(parents(c))
        while queue:  # breadth first: nearest superclasses first
            p = queue.pop(0)
            if p not in ancestors:
                ancestors.append(p)
                queue.extend(parents(URIRef(p)))
        name = str(c)[len(KGO_IRI):]
        found[name] = OntologyClass(name=name, iri=str(c), label_fa=label(c, "fa"), label_en=label(c, "en"),
                                    parents=parents(c), ancestors=tuple(ancestors))
    return MappingProxyType(dict(sorted(found.items())))
