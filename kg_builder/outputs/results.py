"""SPARQL 1.1 query results formats, written from pyoxigraph terms.

The one implementation behind ``kg-builder query --format json|csv|tsv|xml`` and the
``kg-builder serve`` endpoint. Rows are sequences of terms (``None`` for an unbound
variable); the terms keep their kind, so IRIs are IRIs and literals keep their language
tag or datatype::

    json(variables, rows) -> str      application/sparql-results+json ("uri", "literal" with xml:lang
                                      or datatype, "bnode", "triple")
    xml(variables, rows) -> str       application/sparql-results+xml
    csv(variables, rows) -> str       text/csv: plain values (a blank node as _:label), CRLF line ends
    tsv(variables, rows) -> str       text/tab-separated-values: ?var header, terms in N-Triples syntax
    boolean(value, fmt) -> str        an ASK answer in any of the four
    solutions(variables, rows, fmt) -> str

``value(term)`` is the plain value of one term, as CSV writes it and as ``QueryResult.rows``
holds it.
"""

from __future__ import annotations

import csv as _csv
import html
import io
import json as _json
from collections.abc import Sequence

import pyoxigraph as ox

from ..text.controls import xml_safe

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
FORMATS = ("json", "xml", "csv", "tsv")

Rows = Sequence[Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]]


def value(term) -> str:
    """The plain value of a term (SPARQL CSV): an IRI or a literal's lexical form, ``_:label``, ``""`` if unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)  # an RDF-star triple, in N-Triples syntax


def json_term(term) -> dict:
    """One term as SPARQL 1.1 JSON: ``{"type": "uri"|"literal"|"bnode"|"triple", "value": ...}``."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            d["datatype"] = term.datatype.value
        return d
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject),
                                            "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def json(variables: Sequence[str], rows: Rows, *, indent: int | None = None) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{n: json_term(t) for n, t in zip(variables, row) if t is not None} for row in rows]
    return _json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                       ensure_ascii=False, indent=indent)


# a control character (ESC, a form feed) cannot be written in XML 1.0, not even as a character
# reference: it is written as U+FFFD, and the document stays well-formed
def xml_escape(text: str) -> str:
    return xml_safe(html.escape(text, quote=False))


def quoteattr(text: str) -> str:
    return f'"{xml_safe(html.escape(text))}"'


def xml_term(term) -> str:
    """One term as SPARQL 1.1 XML: ``<uri>``, ``<bnode>``, ``<literal>`` or ``<triple>``."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        attr = (f" xml:lang={quoteattr(term.language)}" if term.language else
                "" if term.datatype.value == XSD_STRING else f" datatype={quoteattr(term.datatype.value)}")
        return f"<literal{attr}>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
                f"</predicate><object>{xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def xml(variables: Sequence[str], rows: Rows) -> str:
    """SPARQL 1.1 Query Results XML."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">', "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in variables]
    out.append("</head><results>")
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(n)}>{xml_term(t)}</binding>"
                        for n, t in zip(variables, row) if t is not None)
        out.append(f"<result>{cells}</result>")
    out.append("</results></sparql>")
    return "\n".join(out)


def csv(variables: Sequence[str], rows: Rows, *, delimiter: str = ",", newline: str = "\r\n") -> str:
    """SPARQL 1.1 CSV: a header of names, then plain values (:func:`value`), CRLF line ends.

    ``delimiter`` and ``newline`` give the variants ``kg-builder query`` prints (LF line ends;
    ``--format tsv``: the same plain values separated by tabs).
    """
    buf = io.StringIO()
    w = _csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(variables)
    w.writerows([value(t) for t in row] for row in rows)
    return buf.getvalue()


def tsv(variables: Sequence[str], rows: Rows) -> str:
    """SPARQL 1.1 TSV: a ``?var`` header, then terms in N-Triples/Turtle syntax (tabs and newlines escaped)."""
    out = ["\t".join(f"?{n}" for n in variables)]
    out += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(out) + "\n"


def solutions(variables: Sequence[str], rows: Rows, fmt: str) -> str:
    """SELECT results in ``fmt``: ``json``, ``xml``, ``csv`` or ``tsv``."""
    if fmt == "json":
        return json(variables, rows)
    if fmt == "xml":
        return xml(variables, rows)
    if fmt == "csv":
        return csv(variables, rows)
    if fmt == "tsv":
        return tsv(variables, rows)
    raise ValueError(f"not a SPARQL results format: {fmt!r}")


def boolean(answer: bool, fmt: str) -> str:
    """An ASK result in ``fmt``; CSV and TSV define none, so ``_askResult`` is a one-column table (as Jena writes)."""
    word = "true" if answer else "false"
    if fmt == "json":
        return _json.dumps({"head": {}, "boolean": bool(answer)})
    if fmt == "xml":
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/>'
                f"<boolean>{word}</boolean></sparql>")
    if fmt == "csv":
        return f"_askResult\n{word}\n"
    if fmt == "tsv":
        return f"?_askResult\n{word}\n"
    raise ValueError(f"not a SPARQL results format: {fmt!r}")
