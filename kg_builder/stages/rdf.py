"""RDF stage: resolved documents become one rdflib Graph in our vocabulary.

Every fact node carries ``prov:wasDerivedFrom`` its article and ``kgo:evidence`` text
spans (W3C Web Annotation: a SpecificResource with a position+quote selector whose
offsets index the raw file text). IRIs come from ``iri``; nothing here invents one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from .. import iri
from ..model import Document, Entity, Fact, Span
from ..vocab import DATA_IRI, KGO, OA, ORG, SCHEMA

PREFIXES = {
    "kgo": str(KGO._NS), "kg": DATA_IRI,
    "schema": str(SCHEMA), "org": str(ORG), "prov": str(PROV), "oa": str(OA), "skos": str(SKOS),
    "rdfs": str(RDFS), "xsd": str(XSD), "rdf": str(RDF),
}

BENEFICIARY_SCHEME = iri.mint("scheme", "beneficiary-groups")
_PROGRAMME_CLASS = {"Programme": KGO.Programme, "Campaign": KGO.Campaign, "ServiceSystem": KGO.ServiceSystem}
_UNIT = {"count": KGO.Count, "percent": KGO.Percent, "rial": KGO.Rial, "toman": KGO.Toman}
_UNIT_TEXT = {"percent": "درصد", "rial": "ریال", "toman": "تومان"}


def fa(text: str) -> Literal:
    return Literal(text, lang="fa")


def entity_iri(etype: str, key: str) -> URIRef:
    if etype == "Hotline":
        return KGO.Hotline123
    return iri.mint(etype.lower(), key)


def _entity(g: Graph, e: Entity) -> None:
    s = entity_iri(e.type, e.key)
    if e.type == "Hotline":
        g.add((s, RDF.type, KGO.Hotline))
        g.add((s, RDFS.label, fa(e.label)))
        g.add((s, RDFS.label, Literal("Social Emergency hotline 123", lang="en")))
        g.add((s, SCHEMA.telephone, Literal("123")))
        return
    g.add((s, RDFS.label, fa(e.label)))
    if e.get("en"):
        g.add((s, RDFS.label, Literal(e.get("en"), lang="en")))
    if e.type == "Province":
        g.add((s, RDF.type, KGO.Province))
        if e.get("iso"):
            g.add((s, KGO.isoCode, Literal(e.get("iso"))))
    elif e.type == "County":
        g.add((s, RDF.type, KGO.County))
        g.add((s, SCHEMA.containedInPlace, entity_iri("Province", e.get("province"))))
    elif e.type == "Person":
        g.add((s, RDF.type, KGO.Person))
        g.add((s, SCHEMA.name, fa(e.label)))
        for t in e.get("titles") or ():
            g.add((s, SCHEMA.honorificPrefix, fa(t)))
    elif e.type == "Role":
        g.add((s, RDF.type, KGO.Role))
        g.add((s, SKOS.prefLabel, fa(e.label)))
        g.add((s, KGO.roleCategory, Literal(e.get("category"))))
    elif e.type == "Organization":
        level = e.get("level")
        cls = {"national": KGO.NationalOrganization, "province": KGO.ProvincialDirectorate,
               "county": KGO.CountyOffice}[level] if e.key.startswith("welfare") else KGO.Organization
        g.add((s, RDF.type, cls))
        if level == "province" and e.key.startswith("welfare/"):
            g.add((s, ORG.subOrganizationOf, entity_iri("Organization", "welfare")))
        if level == "county" and e.key.startswith("welfare/"):
            g.add((s, ORG.subOrganizationOf, entity_iri("Organization", f"welfare/{e.get('province')}")))
        if e.get("county"):
            g.add((s, KGO.jurisdiction, entity_iri("County", e.get("county"))))
        elif e.get("province"):
            g.add((s, KGO.jurisdiction, entity_iri("Province", e.get("province"))))
    elif e.type == "Programme":
        g.add((s, RDF.type, _PROGRAMME_CLASS[e.get("class")]))
    elif e.type == "NewsAgency":
        g.add((s, RDF.type, KGO.NewsAgency))
    elif e.type == "BeneficiaryGroup":
        g.add((s, RDF.type, KGO.BeneficiaryGroup))
        g.add((s, SKOS.prefLabel, fa(e.label)))
        g.add((s, SKOS.inScheme, BENEFICIARY_SCHEME))
        g.add((BENEFICIARY_SCHEME, RDF.type, SKOS.ConceptScheme))
        g.add((BENEFICIARY_SCHEME, RDFS.label, fa("گروه‌های هدف بهزیستی")))
        g.add((BENEFICIARY_SCHEME, RDFS.label, Literal("Beneficiary groups of the welfare organisation", lang="en")))
    else:
        raise ValueError(f"no mapping for entity type {e.type!r}")


_CONTEXT = 40  # characters of context kept around a quote, within its line


def _span(g: Graph, article: URIRef, span: Span, raw: str) -> URIRef:
    node = iri.within(article, "span", f"{span.start}-{span.end}")
    sel = URIRef(f"{node}/selector")
    g.add((node, RDF.type, KGO.TextSpan))
    g.add((node, OA.hasSource, article))
    g.add((node, OA.hasSelector, sel))
    g.add((sel, RDF.type, KGO.SpanSelector))
    g.add((sel, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    g.add((sel, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    g.add((sel, OA.exact, Literal(span.text)))
    line_start = raw.rfind("\n", 0, span.start) + 1
    line_end = raw.find("\n", span.end)
    line_end = len(raw) if line_end < 0 else line_end - (raw[line_end - 1] == "\r")
    prefix = raw[max(line_start, span.start - _CONTEXT):span.start]
    suffix = raw[span.end:min(line_end, span.end + _CONTEXT)]
    if prefix:
        g.add((sel, OA.prefix, Literal(prefix)))
    if suffix:
        g.add((sel, OA.suffix, Literal(suffix)))
    return node


def _fact(g: Graph, doc: Document, article: URIRef, f: Fact) -> None:
    spans = f.spans
    if f.kind == "mention":
        etype, key = f.get("entity")
        node = iri.within(article, "mention", f"{spans[0].start}-{spans[0].end}-{etype.lower()}")
        g.add((node, RDF.type, KGO.Mention))
        g.add((node, KGO.mentions, entity_iri(etype, key)))
        g.add((article, SCHEMA.mentions, entity_iri(etype, key)))
        if f.get("name_form"):
            g.add((node, KGO.nameForm, fa(f.get("name_form"))))
    elif f.kind == "membership":
        node = iri.within(article, "membership", iri.hashed(f.get("person"), f.get("role"), f.get("organization")))
        person = entity_iri("Person", f.get("person"))
        g.add((node, RDF.type, KGO.Membership))
        g.add((node, ORG.member, person))
        g.add((node, ORG.role, entity_iri("Role", f.get("role"))))
        if f.get("organization"):
            g.add((node, ORG.organization, entity_iri("Organization", f.get("organization"))))
        if doc.metadata.published:
            g.add((node, KGO.observedOn, Literal(doc.metadata.published, datatype=XSD.date)))
        g.add((article, SCHEMA.mentions, person))
    elif f.kind == "statistic":
        value, unit = f.get("value"), f.get("unit")
        node = iri.within(article, "statistic",
                          iri.hashed(value, unit, f.get("unit_text"), f.get("approximate")))
        g.add((node, RDF.type, KGO.Statistic))
        g.add((node, SCHEMA.value, Literal(Decimal(str(value)), datatype=XSD.decimal)))
        g.add((node, KGO.unit, _UNIT[unit]))
        g.add((node, SCHEMA.unitText, fa(_UNIT_TEXT.get(unit) or f.get("unit_text") or "واحد")))
        if f.get("noun"):
            g.add((node, KGO.countedNoun, fa(f.get("noun"))))
        g.add((node, KGO.isApproximate, Literal(bool(f.get("approximate")))))
        if f.get("period"):
            first, last = f.get("period")
            g.add((node, KGO.periodStart, Literal(first, datatype=XSD.date)))
            if last:
                g.add((node, KGO.periodEnd, Literal(last, datatype=XSD.date)))
        for etype, key in f.get("about") or ():
            g.add((node, SCHEMA.observationAbout, entity_iri(etype, key)))
        if f.get("group"):
            g.add((node, KGO.beneficiaryGroup, entity_iri("BeneficiaryGroup", f.get("group"))))
        if f.get("speaker"):
            g.add((node, PROV.wasAttributedTo, entity_iri("Person", f.get("speaker"))))
    else:
        raise ValueError(f"no mapping for fact kind {f.kind!r}")
    g.add((node, PROV.wasDerivedFrom, article))
    for span in spans:
        g.add((node, KGO.evidence, _span(g, article, span, doc.raw)))


def _article(g: Graph, doc: Document) -> URIRef:
    a = iri.article(doc.source)
    md = doc.metadata
    g.add((a, RDF.type, KGO.NewsArticle))
    g.add((a, KGO.sourceFile, Literal(doc.source)))
    if md.headline:
        g.add((a, SCHEMA.headline, fa(md.headline)))
    if md.published:
        g.add((a, SCHEMA.datePublished, Literal(md.published, datatype=XSD.date)))
    if md.published_jalali:
        g.add((a, KGO.publishedJalali, Literal(md.published_jalali)))
    if md.news_code:
        g.add((a, KGO.newsCode, Literal(md.news_code)))
    if md.agency:
        g.add((a, SCHEMA.publisher, entity_iri("NewsAgency", iri.fold(md.agency))))
    return a


def run(docs: Iterable[Document], graph: Graph | None = None) -> Graph:
    """Map documents (after resolve) into ``graph`` (a new one by default) and return it."""
    g = graph if graph is not None else Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    docs = list(docs)
    for e in _merge_entities(docs):
        _entity(g, e)
        for alt in e.get("alt_labels") or ():
            g.add((entity_iri(e.type, e.key), SKOS.altLabel, fa(alt)))
    for doc in docs:
        article = _article(g, doc)
        for f in doc.facts:
            _fact(g, doc, article, f)
    return g


def _merge_entities(docs: list[Document]) -> list[Entity]:
    """One entity per (type, key) across all articles. Its label is the form most articles
    use (ties: the smallest), so the graph does not depend on the order of the input;
    the other forms become alternative labels."""
    seen: dict[tuple[str, str], list[Entity]] = {}
    for doc in docs:
        for e in doc.entities:
            seen.setdefault((e.type, e.key), []).append(e)
    merged = []
    for key in sorted(seen):
        versions = seen[key]
        counts = Counter(v.label for v in versions)
        label = min(counts, key=lambda x: (-counts[x], x))
        base = next(v for v in versions if v.label == label)
        attrs = dict(base.attrs)
        if base.type == "Person":
            attrs["titles"] = tuple(sorted({t for v in versions for t in (v.get("titles") or ())}))
        attrs["alt_labels"] = tuple(sorted(set(counts) - {label}))
        merged.append(Entity(base.type, base.key, label, tuple(attrs.items())))
    return merged
