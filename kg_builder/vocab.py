"""Our vocabulary as Python terms; a test checks these against ontology/kg.ttl.

A mistyped term raises (``_fail = True``) instead of minting a new IRI.
"""

from rdflib import RDF, RDFS, XSD, Namespace, URIRef
from rdflib.namespace import PROV, SKOS, DefinedNamespace

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
KGO_IRI = "https://w3id.org/kg-builder/ontology#"
DATA_IRI = "https://w3id.org/kg-builder/id/"


class KGO(DefinedNamespace):
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


PREFIXES = {
    "kgo": KGO_IRI, "kg": DATA_IRI,
    "schema": str(SCHEMA), "org": str(ORG), "prov": str(PROV), "oa": str(OA), "skos": str(SKOS),
    "rdfs": str(RDFS), "xsd": str(XSD), "rdf": str(RDF),
}
