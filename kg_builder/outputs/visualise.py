"""Seeing the graph: a networkx projection, graph-tool exports, an offline HTML page, PNG/SVG pictures.

``to_networkx`` projects the RDF graph onto a readable property graph:

- entities are nodes (articles, news agencies, people, organisations, provinces,
  counties, programmes, the hotline, beneficiary groups) with ``type``, ``kind`` (the
  exact class), ``label_fa``, ``label_en``, ``iri``, ``label`` (what to print) and their
  literal properties as attributes (``isoCode``, ``headline``, ``sourceFile`` ...);
- statistics stay nodes (type ``Statistic``, labelled "value unit") linked from the
  article that states them and to what they are about, their beneficiary group and the
  official who stated them;
- posts (``kgo:Membership``) collapse into one edge person -[holds post: مدیرکل]-> organisation;
- mentions (``kgo:Mention``) collapse into one edge article -[mentions]-> entity per pair,
  with the number of mentions and the name forms used;
- spans and selectors are not nodes; with ``provenance=True`` every fact (edge or
  statistic node) carries ``evidence``: a list of ``{source, start, end, prefix, exact,
  suffix}`` dicts, the quotes it was read from.

``kg-builder viz KG -o OUT`` writes ``.graphml``, ``.gexf``, ``.json`` (node-link),
``.html`` (one self-contained interactive page, no network), ``.png`` or ``.svg``;
``--type``, ``--article``, ``--province`` and ``--around X --depth N`` cut the graph first.

Importing this module is cheap: networkx, rdflib and matplotlib are imported inside the
functions that need them.
"""

from __future__ import annotations

import functools
import html
import io
import json
import math
import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from .. import vocab
from ..errors import ConfigError, OutputError
from ..text import letters
from ..text.controls import xml_safe

# IRIs as plain strings (rdflib terms are compared by their text here), from the one prefix table
KGO, SCHEMA, ORG, OA, PROV = (vocab.PREFIXES[p] for p in ("kgo", "schema", "org", "oa", "prov"))
RDF_TYPE = vocab.PREFIXES["rdf"] + "type"
RDFS_LABEL = vocab.PREFIXES["rdfs"] + "label"
SKOS_PREF, SKOS_IN_SCHEME, SKOS_ALT = (vocab.PREFIXES["skos"] + t
                                       for t in ("prefLabel", "inScheme", "altLabel"))

#: the node types of the projection, in legend order: each stands for a class of the ontology
#: and its subclasses (vocab.classes(), see _class_types); the Persian legend is the class's label
NODE_TYPES = ("Article", "NewsAgency", "Person", "Organization", "Province", "County", "Programme",
              "Hotline", "BeneficiaryGroup", "Statistic")
_TYPE_CLASS = {"Article": "NewsArticle"}  # where a node type's name is not its class's
# colour-blind-aware (Tableau 10) colours per type, shared by the HTML page and the pictures
COLOURS = {
    "Article": "#7f7f7f", "NewsAgency": "#8c564b", "Person": "#d62728", "Organization": "#1f77b4",
    "Province": "#2ca02c", "County": "#17becf", "Programme": "#9467bd", "Hotline": "#e377c2",
    "BeneficiaryGroup": "#ff7f0e", "Statistic": "#bcbd22",
}
_OTHER_COLOUR = "#999999"
# how much a node type matters when space for labels is short
_WEIGHT = {"Province": 6, "Person": 6, "Organization": 5, "Hotline": 5, "Programme": 4, "County": 4,
           "BeneficiaryGroup": 3, "Article": 3, "NewsAgency": 2, "Statistic": 1}

# predicate IRI -> edge label; other entity-to-entity predicates use their local name
_PREDICATES = {
    SCHEMA + "publisher": "published by", SCHEMA + "mentions": "mentions",
    ORG + "subOrganizationOf": "part of", KGO + "jurisdiction": "jurisdiction",
    SCHEMA + "containedInPlace": "in", SCHEMA + "observationAbout": "about",
    KGO + "beneficiaryGroup": "beneficiary group", PROV + "wasAttributedTo": "stated by",
    PROV + "wasDerivedFrom": "states",  # statistic -> article, drawn article -> statistic
}
# node attribute names that graph formats reserve or that we set ourselves
_RESERVED = {"id", "type", "kind", "iri", "label", "label_fa", "label_en", "articles", "evidence", "start",
             "end", "pid", "viz", "key", "source", "target"}

SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "json", ".html": "html", ".htm": "html",
            ".png": "png", ".svg": "svg"}

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


# --------------------------------------------------------------------------- projection

def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _py(literal):
    """A literal as a plain Python value graph formats can hold (str, int, float, bool)."""
    value = literal.toPython()
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(literal)


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


class _Iri(str):
    """An IRI object, told apart from literals (rdflib's Literal is a str too)."""


def _said_key(pair) -> tuple:
    p, o = pair
    return p, isinstance(o, _Iri), str(o), getattr(o, "language", None) or "", str(getattr(o, "datatype", None) or "")


class _Index:
    """One pass over the triples: what each subject says, and the spans behind each fact."""

    def __init__(self, graph):
        from rdflib import Literal, URIRef

        self.out: dict[str, list] = defaultdict(list)
        self.types: dict[str, set[str]] = defaultdict(set)
        for s, p, o in graph:
            if not isinstance(s, URIRef):
                continue
            s, p = str(s), str(p)
            if p == RDF_TYPE:
                self.types[s].add(str(o))
            elif isinstance(o, Literal):
                self.out[s].append((p, o))
            elif isinstance(o, URIRef):
                self.out[s].append((p, _Iri(o)))
        # rdflib yields triples in string-hash order, which changes from one process to the next:
        # sorted, the first label, the attribute order and so every output are the same each run
        for says in self.out.values():
            says.sort(key=_said_key)
        self.types = dict(sorted(self.types.items()))

    def values(self, s: str, p: str) -> list:
        return [o for q, o in self.out.get(s, ()) if q == p]

    def one(self, s: str, p: str):
        v = self.values(s, p)
        return v[0] if v else None

    def label(self, s: str, lang: str) -> str | None:
        for p in (RDFS_LABEL, SKOS_PREF, SCHEMA + "name"):
            for o in self.values(s, p):
                if not isinstance(o, _Iri) and (o.language or "") == lang:
                    return str(o)
        return None

    def source(self, article: str) -> str:
        f = self.one(article, KGO + "sourceFile")
        return str(f) if f is not None else _local(article)

    def evidence(self, fact: str) -> list[dict]:
        spans = []
        for span in self.values(fact, KGO + "evidence"):
            sel = self.one(span, OA + "hasSelector")
            src = self.one(span, OA + "hasSource")
            if sel is None:
                continue
            start, end = self.one(sel, OA + "start"), self.one(sel, OA + "end")
            spans.append({
                "source": self.source(src) if src else "",
                "start": int(start) if start is not None else None,
                "end": int(end) if end is not None else None,
                **{k: str(self.one(sel, OA + k) or "") for k in ("prefix", "exact", "suffix")},
            })
        spans.sort(key=_span_key)
        return spans


def _span_key(span: dict) -> tuple:
    """Spans in reading order; ties (one quote behind two facts) by their text, so the order is fixed."""
    start = span["start"] if span["start"] is not None else -1
    return span["source"], start, span["end"] if span["end"] is not None else -1, span["exact"], span["prefix"]


@functools.cache
def _class_types() -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
    """From the ontology: ((class IRI, node type, class name) for every class that makes nodes, most
    specific first, so a resource with two classes takes the narrower), and the IRIs of all classes.

    A class's node type is that of the nearest of itself and its superclasses that a node type stands
    for (Campaign -> Programme, Hotline -> Hotline); the others (facts, spans, selectors, roles,
    units, quarantine records) are folded into edges or attributes, never nodes of their own."""
    roots = {KGO + _TYPE_CLASS.get(t, t): t for t in NODE_TYPES}
    found = []
    for c in vocab.classes().values():
        node_type = next((roots[a] for a in (c.iri, *c.ancestors) if a in roots), None)
        if node_type is not None:
            depth = sum(a.startswith(KGO) for a in c.ancestors)
            found.append((-depth, NODE_TYPES.index(node_type), c.name, c.iri, node_type))
    return (tuple((iri, node_type, name) for *_, name, iri, node_type in sorted(found)),
            frozenset(c.iri for c in vocab.classes().values()))


def _type_fa(node_type: str) -> str:
    """A node type's Persian name: the ontology's label of its class ("" for a type it lacks)."""
    c = vocab.classes().get(_TYPE_CLASS.get(node_type, node_type))
    return c.label_fa if c else ""


def _node_type(classes: set[str]) -> tuple[str, str] | None:
    node_classes, ontology = _class_types()
    for iri, node_type, name in node_classes:
        if iri in classes:
            return node_type, name
    if classes & ontology:
        return None
    own = sorted(c for c in classes if c.startswith(KGO))  # a class of a newer ontology: its own type
    return (_local(own[0]),) * 2 if own else None


def _check_types(node_types: Iterable[str] | None) -> set[str] | None:
    """Type names as given (any case; exact classes like Campaign too) -> canonical names."""
    if node_types is None:
        return None
    known = {t.lower(): t for t in NODE_TYPES}
    known.update({name.lower(): name for _, _, name in _class_types()[0]})
    known.update({"newsarticle": "Article", "organisation": "Organization", "program": "Programme",
                  "group": "BeneficiaryGroup", "agency": "NewsAgency"})
    wanted = set()
    for name in node_types:
        for part in str(name).split(","):
            part = part.strip()
            if not part:
                continue
            if part.lower() not in known:
                raise ConfigError(f"unknown node type {part!r} (known: {', '.join(NODE_TYPES)})")
            wanted.add(known[part.lower()])
    return wanted


def _has_type(data: dict, wanted: set[str]) -> bool:
    return data.get("type") in wanted or data.get("kind") in wanted


def to_networkx(graph, *, node_types: Iterable[str] | None = None, provenance: bool = False):
    """Project a kg-builder RDF graph (rdflib ``Graph``) onto a networkx ``MultiDiGraph``.

    Nodes are keyed by IRI and carry ``type`` (one of :data:`NODE_TYPES`), ``kind`` (the
    exact class, e.g. ``ProvincialDirectorate``), ``iri``, ``label_fa``, ``label_en``,
    ``label`` (Persian if there is one), ``articles`` (source files that speak of the node)
    and every literal property under its local name (``isoCode``, ``headline``, ``value`` ...).

    Edges carry ``predicate`` (readable: ``holds post``, ``mentions``, ``about``, ``in`` ...),
    ``relation`` (machine name), ``label`` (what to print), ``iri`` and ``articles``.
    A post is one edge person -> organisation (``role_fa``, ``role_en``, ``observedOn``,
    ``fact``); a statistic is a node: article -[states]-> statistic -[about]-> place,
    statistic -[stated by]-> person; mentions are article -[mentions]-> entity edges with
    ``count`` and ``nameForms``.

    ``node_types`` keeps only nodes of those types (names as in :data:`NODE_TYPES` or exact
    classes such as ``Campaign``; unknown names raise ``ConfigError``). ``provenance=True``
    adds ``evidence`` to each fact (edge or statistic): the spans it was read from, as
    dicts ``{source, start, end, prefix, exact, suffix}``; by default spans are dropped.
    """
    import networkx as nx

    wanted = _check_types(node_types)
    ix = _Index(graph)
    G = nx.MultiDiGraph()

    # entities and statistics
    for s, classes in ix.types.items():
        typed = _node_type(classes)
        if typed is None:
            continue
        node_type, kind = typed
        data = {"type": node_type, "kind": kind, "iri": s}
        label_fa, label_en = ix.label(s, "fa"), ix.label(s, "en")
        attrs: dict[str, list] = defaultdict(list)
        for p, o in ix.out.get(s, ()):
            if p in (RDFS_LABEL, SKOS_PREF, SKOS_IN_SCHEME) or p.startswith(OA) or p == KGO + "evidence":
                continue
            if p == SKOS_ALT:  # other names the entity goes by: searchable, like name forms
                data.setdefault("nameForms", []).append(str(o))
                continue
            if isinstance(o, _Iri):
                if o in ix.types and _node_type(ix.types[o]) is not None:
                    continue  # an edge, below
                o = ix.label(o, "en") or ix.label(o, "fa") or _local(o)  # e.g. unit -> "count"
                attrs[_local(p)].append(o)
            else:
                attrs[_local(p)].append(_py(o))
        for name, values in sorted(attrs.items()):
            key = name if name not in _RESERVED else name + "_"
            values = sorted(set(values), key=str)
            data[key] = values[0] if len(values) == 1 else " | ".join(map(str, values))
        if node_type == "Article":  # named by its headline, whole (pictures shorten it); by its file without one
            headline = data.get("headline")
            label_en = label_en or ix.source(s)
            if headline and not label_fa:
                label_fa = " ".join(str(headline).split())
            data["articles"] = [ix.source(s)]
        elif node_type == "Statistic":
            value = data.get("value")
            approx = data.get("isApproximate") is True
            unit_fa = data.get("countedNoun") or data.get("unitText") or ""
            unit = str(data.get("unit") or "")
            label_fa = label_fa or f"{'حدود ' if approx else ''}{_number(value)} {unit_fa}".strip()
            unit = unit.lower()
            label_en = label_en or "{}{}{}".format("~" if approx else "", _number(value),
                                                   "%" if unit == "percent" else "" if unit in ("count", "") else
                                                   f" {unit}")
            data["articles"] = sorted({ix.source(a) for a in ix.values(s, PROV + "wasDerivedFrom")})
            if provenance:
                data["evidence"] = ix.evidence(s)
        data["label_fa"] = label_fa or ""
        data["label_en"] = label_en or ""
        data["label"] = label_fa or label_en or _local(s)
        G.add_node(s, **data)

    def edge(u, v, key, relation, **attrs):
        if u in G and v in G:
            attrs.setdefault("label", attrs["predicate"])
            G.add_edge(u, v, key=key, relation=relation, **attrs)

    # plain entity-to-entity relations
    for s in list(G.nodes):
        for p, o in ix.out.get(s, ()):
            if not isinstance(o, _Iri) or o not in G or p == SCHEMA + "mentions":
                continue
            if p == PROV + "wasDerivedFrom":  # statistic -> article: drawn as article -[states]-> statistic
                edge(o, s, "states", "states", predicate="states", iri=p, articles=[ix.source(o)])
            else:
                arts = G.nodes[s].get("articles", []) if G.nodes[s]["type"] == "Statistic" else []
                edge(s, o, _local(p), _local(p), predicate=_PREDICATES.get(p, _local(p)), iri=p, articles=arts)

    # posts: person -[holds post: role]-> organisation
    for fact, classes in sorted(ix.types.items()):
        if KGO + "Membership" not in classes:
            continue
        person, org = ix.one(fact, ORG + "member"), ix.one(fact, ORG + "organization")
        if person not in G or org not in G:
            continue
        role = ix.one(fact, ORG + "role")
        role_fa = (ix.label(role, "fa") or "") if role else ""
        role_en = (ix.label(role, "en") or (_local(role) if role else "")) or ""
        observed = ix.one(fact, KGO + "observedOn")
        attrs = {"predicate": "holds post", "label": f"holds post: {role_fa or role_en}".rstrip(": "),
                 "role_fa": role_fa, "role_en": role_en, "role": str(role or ""), "fact": fact, "iri": ORG + "member",
                 "observedOn": _py(observed) if observed is not None else "",
                 "articles": sorted({ix.source(a) for a in ix.values(fact, PROV + "wasDerivedFrom")})}
        if provenance:
            attrs["evidence"] = ix.evidence(fact)
        edge(person, org, fact, "holdsPost", **attrs)

    # mentions: one article -[mentions]-> entity edge per pair
    mentioned: dict[tuple[str, str], dict] = {}
    for fact, classes in ix.types.items():
        if KGO + "Mention" not in classes:
            continue
        target = ix.one(fact, KGO + "mentions")
        for article in ix.values(fact, PROV + "wasDerivedFrom"):
            m = mentioned.setdefault((article, target), {"count": 0, "forms": set(), "evidence": []})
            m["count"] += 1
            m["forms"].update(str(f) for f in ix.values(fact, KGO + "nameForm"))
            if provenance:
                m["evidence"].extend(ix.evidence(fact))
    for article in [n for n, d in G.nodes(data=True) if d["type"] == "Article"]:
        for target in ix.values(article, SCHEMA + "mentions"):
            mentioned.setdefault((article, target), {"count": 0, "forms": set(), "evidence": []})
    for (article, target), m in sorted(mentioned.items()):
        attrs = {"predicate": "mentions", "iri": KGO + "mentions", "count": m["count"],
                 "nameForms": sorted(m["forms"]), "articles": [ix.source(article)]}
        if provenance:
            attrs["evidence"] = sorted(m["evidence"], key=_span_key)
        edge(article, target, "mentions", "mentions", **attrs)

    # where each entity is spoken of, and the names it goes by
    for u, v, d in G.edges(data=True):
        for n in (u, v):
            if G.nodes[n]["type"] != "Article" and d.get("articles"):
                G.nodes[n].setdefault("articles", [])
                G.nodes[n]["articles"] = sorted(set(G.nodes[n]["articles"]) | set(d["articles"]))
        if d.get("nameForms"):
            G.nodes[v]["nameForms"] = list(G.nodes[v].get("nameForms", [])) + list(d["nameForms"])
    for n, d in G.nodes(data=True):
        d.setdefault("articles", [])
        forms = sorted(set(d.get("nameForms", [])) - {d["label_fa"], d["label_en"]})
        if forms:
            d["nameForms"] = forms
        else:
            d.pop("nameForms", None)

    if wanted is not None:
        G.remove_nodes_from([n for n, d in list(G.nodes(data=True)) if not _has_type(d, wanted)])
    return G


# --------------------------------------------------------------------------- filters

def _fold(text: str) -> str:
    """Search key: letter variants and digits folded (``letters.COMPARE``); case, diacritics,
    ZWNJ and spaces away."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.translate(_FOLD)
    return _IGNORED_RUN.sub("", text)


_FOLD = letters.table(letters.COMPARE)
# left out of search keys besides white space; the HTML page's script gets both (page_data "fold")
_IGNORED = "\u200c\u200d\u200e\u200f_" + letters.MARKS
_IGNORED_RUN = re.compile(rf"[\s{re.escape(_IGNORED)}]+")


def _names(n: str, d: dict) -> tuple[set[str], set[str]]:
    """A node's names, folded: (labels and name forms, other handles: file name, ISO code, IRI tail)."""
    labels = {d.get("label_fa"), d.get("label_en"), *(d.get("nameForms") or [])}
    handles = {d.get("sourceFile"), d.get("isoCode"), _local(n)}
    if d.get("type") == "Article" and d.get("sourceFile"):
        handles.add(Path(str(d["sourceFile"])).stem)
    return {_fold(x) for x in labels if x}, {_fold(x) for x in handles if x}


def find_nodes(G, text: str, node_type: str | None = None) -> list[str]:
    """Nodes named ``text``, the first tier that finds any: the IRI; a label (Persian or
    English) or name form; a file name, ISO code or IRI tail; a label containing ``text``.
    Letter variants (ي/ی, ك/ک), digits, ZWNJ, spaces and case are folded."""
    pool = [(n, d) for n, d in G.nodes(data=True) if node_type is None or d.get("type") == node_type]
    if any(n == text for n, _ in pool):
        return [text]
    key = _fold(text)
    if not key:
        return []
    names = [(n, *_names(n, d)) for n, d in pool]
    for test in (lambda labels, handles: key in labels, lambda labels, handles: key in handles,
                 lambda labels, handles: any(key in x for x in labels)):
        found = sorted(n for n, labels, handles in names if test(labels, handles))
        if found:
            return found
    return []


def _describe(G, nodes: list[str], limit: int = 6) -> str:
    shown = [f"{G.nodes[n]['label']} ({G.nodes[n]['type']}, {n})" for n in nodes[:limit]]
    return "; ".join(shown) + (f"; ... {len(nodes) - limit} more" if len(nodes) > limit else "")


def _one(G, text: str, option: str, node_type: str | None = None) -> str:
    found = find_nodes(G, text, node_type)
    if not found:
        kinds = f"{node_type} " if node_type else ""
        have = sorted({G.nodes[n]["label"] for n, d in G.nodes(data=True) if d["type"] == node_type})
        hint = f" (the graph has: {', '.join(have[:12])}{' ...' if len(have) > 12 else ''})" if node_type else ""
        raise ConfigError(f"{option} {text!r}: no {kinds}node matches{hint}")
    if len(found) > 1:
        raise ConfigError(f"{option} {text!r} is ambiguous: {_describe(G, found)}; give the IRI")
    return found[0]


def filter_graph(G, *, types: Iterable[str] | None = None, article: str | None = None,
                 province: str | None = None, around: str | None = None, depth: int = 1):
    """A copy of ``G`` (from :func:`to_networkx`) cut by the CLI's filters, applied in order.

    ``article``: what that source file (``000_x.txt``, its stem or the article IRI) says —
    its nodes and its facts. ``province``: the province (label, ISO code or IRI), its
    counties and directorates, and everything one step from them (articles, statistics,
    office-holders). ``around``/``depth``: the nodes within ``depth`` steps of a node named
    by IRI or label, whatever the edge direction. ``types``: keep only those node types.
    Unknown names raise ``ConfigError``.
    """
    import networkx as nx

    wanted = _check_types(types)
    if depth is None or depth < 0:
        raise ConfigError(f"--depth must be 0 or more, got {depth}")
    H = G
    if article:
        a = _one(H, article, "--article", "Article")
        src = H.nodes[a].get("sourceFile") or (H.nodes[a].get("articles") or [""])[0]
        keep_edge = lambda d: not d.get("articles") or src in d["articles"]
        nodes = {n for n, d in H.nodes(data=True) if n == a or src in d.get("articles", [])}
        H = _restrict(H, nodes, keep_edge)
    if province:
        p = _one(H, province, "--province", "Province")
        core = {p}
        U = H.to_undirected(as_view=True)
        for u, v, d in H.edges(data=True):
            if v == p and d.get("relation") in ("containedInPlace", "jurisdiction"):
                core.add(u)
        for u, v, d in H.edges(data=True):  # offices in its counties
            if v in core and d.get("relation") == "jurisdiction":
                core.add(u)
        nodes = set(core)
        for n in core:
            nodes.update(U.neighbors(n))
        H = _restrict(H, nodes)
    if around:
        centre = _one(H, around, "--around")
        nodes = set(nx.single_source_shortest_path_length(H.to_undirected(as_view=True), centre, cutoff=depth))
        H = _restrict(H, nodes)
    if wanted is not None:
        H = _restrict(H, {n for n, d in H.nodes(data=True) if _has_type(d, wanted)})
    return H if H is not G else G.copy()


def _restrict(G, nodes: set[str], keep_edge=None):
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, dict(G.nodes[n])) for n in G.nodes if n in nodes)
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in G.edges(keys=True, data=True)
                     if u in nodes and v in nodes and (keep_edge is None or keep_edge(d)))
    return H


# --------------------------------------------------------------------------- layout

def importance(G, n: str) -> float:
    """How much a node deserves a label: its type's weight and its number of neighbours."""
    d = G.nodes[n]
    degree = len(set(G.predecessors(n)) | set(G.successors(n)))
    return _WEIGHT.get(d.get("type"), 2) + math.log1p(degree) * 1.5


def layout(G, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Deterministic positions in about [0, 1000]²: a spring layout per connected part,
    the parts packed in rows, biggest first."""
    import networkx as nx

    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    parts = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[list[str], dict, float]] = []
    for part in parts:
        sub = U.subgraph(part)
        if len(part) == 1:
            pos = {part[0]: (0.0, 0.0)}
        elif len(part) == 2:
            pos = {part[0]: (-0.5, 0.0), part[1]: (0.5, 0.0)}
        else:
            k = 2.2 / math.sqrt(len(part))
            # networkx's own choice from 500 nodes up, its energy method, takes 300 iterations of a
            # quasi-Newton step over every pair (75 s for 1,900 nodes); 50 give the shape in 10 s
            big = len(part) >= 500
            pos = nx.spring_layout(sub, k=k, iterations=50 if big else 300, seed=seed, scale=1.0,
                                   method="energy" if big else "force")
            pos = {n: (float(x), float(y)) for n, (x, y) in pos.items()}
        size = max(1.0, math.sqrt(len(part)) * 60.0)  # side of the part's box, in output units
        placed.append((part, pos, size))
    out: dict[str, tuple[float, float]] = {}
    width = max(placed[0][2] * 1.25, 400.0) if placed else 0.0
    x = y = row = 0.0
    for part, pos, size in placed:
        if x > 0 and x + size > width:
            x, y, row = 0.0, y + row + 40.0, 0.0
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        scale = size / span if len(part) > 1 else 0
        for n, (px, py) in pos.items():
            out[n] = (x + size / 2 + (px - cx) * scale, y + size / 2 + (py - cy) * scale)
        x += size + 40.0
        row = max(row, size)
    if out:  # normalise to 0..1000 on the long side
        xs = [p[0] for p in out.values()]
        ys = [p[1] for p in out.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        out = {n: ((px - min(xs)) / span * 1000.0, (py - min(ys)) / span * 1000.0) for n, (px, py) in out.items()}
        _spread([n for n in sorted(out) if G.nodes[n].get("type") != "Statistic"], out)
    return out


def _spread(movable: list[str], pos: dict, gap: float = 60.0, rounds: int = 80) -> None:
    """Push entities (not statistics) apart until no two are closer than ``gap``: hubs that
    share many neighbours (an article and its speaker) otherwise sit on one spot, unlabelled."""
    import numpy as np

    if len(movable) < 2:
        return
    xy = np.array([pos[n] for n in movable], dtype=float)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, 1e9)
        close = dist < gap
        if not close.any():
            break
        dist = np.where(dist == 0, 1e-3, dist)
        push = np.where(close, (gap - dist) / dist / 2, 0.0)[..., None] * delta
        xy += push.sum(axis=1) * 0.5
    for n, (x, y) in zip(movable, xy):
        pos[n] = (float(x), float(y))


# --------------------------------------------------------------------------- exports

def _flat(value):
    """A value graph formats accept: scalars as they are, lists joined, structures as JSON."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, (str, int, float)) for v in value):
        return " | ".join(map(str, value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_copy(G):
    """``G`` with every attribute a scalar, for GraphML and GEXF writers."""
    H = G.__class__()
    H.graph.update({k: _flat(v) for k, v in G.graph.items()})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _flat(v) for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _flat(x) for a, x in d.items() if x is not None})
    return H


def node_link(G) -> dict:
    import networkx as nx

    try:
        return nx.node_link_data(G, edges="links")
    except TypeError:  # networkx < 3.4
        return nx.node_link_data(G)


def dumps(G, fmt: str, *, title: str | None = None, font: str | None = None, seed: int = 0) -> bytes:
    """``G`` as ``graphml``, ``gexf``, ``json``, ``html``, ``png`` or ``svg`` bytes."""
    import networkx as nx

    # networkx writes a value's characters as they are; one XML 1.0 cannot hold (ESC in a file name)
    # is written as U+FFFD, so that the file stays well-formed
    if fmt == "graphml":
        return xml_safe("\n".join(nx.generate_graphml(flat_copy(G)))).encode("utf-8")
    if fmt == "gexf":
        return xml_safe("\n".join(nx.generate_gexf(flat_copy(G)))).encode("utf-8")
    if fmt == "json":
        return json.dumps(node_link(G), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    if fmt == "html":
        return html_page(G, title=title, seed=seed).encode("utf-8")
    if fmt in ("png", "svg"):
        return draw(G, fmt, font=font, seed=seed, title=title)
    raise ConfigError(f"unknown picture format {fmt!r} (known: {', '.join(sorted(set(SUFFIXES.values())))})")


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ConfigError(f"cannot tell the format of {str(path)!r} from its suffix "
                          "(use .graphml, .gexf, .json, .html, .png or .svg)")
    return SUFFIXES[suffix]


def write(G, path: str | Path, *, title: str | None = None, font: str | None = None, seed: int = 0,
          fmt: str | None = None) -> None:
    """Write ``G`` to ``path`` in ``fmt`` or the format its suffix names, atomically."""
    from .serialize import write_atomic

    write_atomic(path, dumps(G, fmt or format_for(path), title=title, font=font, seed=seed))


# --------------------------------------------------------------------------- HTML page

_ASSETS = Path(__file__).with_name("viz_assets")


def _asset(name: str) -> str:
    try:
        return (_ASSETS / name).read_text(encoding="utf-8")
    except OSError as e:
        raise OutputError(f"viewer asset missing: {e.strerror}", str(_ASSETS / name)) from None


def page_data(G, *, seed: int = 0) -> dict:
    """What the HTML viewer draws: nodes with positions, edges, legend, all evidence inline, and
    the search's letter-folding table."""
    pos = layout(G, seed)
    order = sorted(G.nodes)
    index = {n: i for i, n in enumerate(order)}
    skip = {"type", "kind", "iri", "label", "label_fa", "label_en", "evidence", "articles", "nameForms"}
    nodes = []
    for n in order:
        d = G.nodes[n]
        imp = importance(G, n)
        nodes.append({
            "iri": n, "type": d.get("type"), "kind": d.get("kind"), "fa": d.get("label_fa") or "",
            "en": d.get("label_en") or "", "label": d.get("label") or _local(n),
            "x": round(pos[n][0], 2), "y": round(pos[n][1], 2), "w": round(imp, 3),
            "r": round(3.0 + (2.5 if d.get("type") != "Statistic" else 0) + min(imp, 12) * 0.6, 2),
            "attrs": {k: v for k, v in sorted(d.items()) if k not in skip and v not in (None, "")},
            "articles": d.get("articles", []), "names": d.get("nameForms", []),
            "evidence": d.get("evidence", []),
        })
    edges = []
    eskip = {"label", "predicate", "relation", "evidence", "iri", "articles", "nameForms", "fact", "role",
             "role_fa"}
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""))):
        edges.append({
            "s": index[u], "t": index[v], "p": d.get("predicate", ""), "rel": d.get("relation", ""),
            "label": d.get("label", d.get("predicate", "")), "articles": d.get("articles", []),
            "names": d.get("nameForms", []), "evidence": d.get("evidence", []),
            "attrs": {k: v for k, v in sorted(d.items()) if k not in eskip and v not in (None, "", [])},
        })
    counts = defaultdict(int)
    for d in G.nodes.values():
        counts[d.get("type")] += 1
    types = [{"name": t, "fa": _type_fa(t), "color": COLOURS.get(t, _OTHER_COLOUR), "count": counts[t]}
             for t in list(NODE_TYPES) + sorted(set(counts) - set(NODE_TYPES)) if counts.get(t)]
    # the viewer's search folds names as _fold does, with the same table (never a copy in the script)
    fold = {"map": dict(sorted(letters.COMPARE.items())), "ignored": _IGNORED}
    return {"nodes": nodes, "edges": edges, "types": types, "fold": fold}


def html_page(G, *, title: str | None = None, seed: int = 0) -> str:
    """One self-contained HTML page (inline CSS, JS and data; no network) drawing ``G``.

    Pan by dragging, zoom with the wheel, drag nodes, search by Persian or English label
    (also from the URL: ``page.html#search=قزوین``), click a node for its facts and the
    sentences they were read from, click a legend entry to hide a type.
    """
    data = page_data(G, seed=seed)
    title = title or "kg-builder graph"
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/").replace("<!--", "<\\!--")
    template = _asset("viewer.html")
    return (template.replace("/*__CSS__*/", _asset("viewer.css"))
            .replace("/*__JS__*/", _asset("viewer.js").replace("</script", "<\\/script"))
            .replace("__TITLE__", html.escape(title))
            .replace("__DATA__", payload))


# --------------------------------------------------------------------------- pictures

# preferred fonts with Persian glyphs, by family name as fontconfig reports it
_FONT_NAMES = ("Vazirmatn", "Vazir", "Noto Sans Arabic", "Noto Naskh Arabic", "Sahel", "Samim", "Shabnam",
               "Tahoma", "Segoe UI", "Arial", "DejaVu Sans")
_FONT_PATHS = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/google-noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/farsiweb/nazli.ttf",
    "/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:/Windows/Fonts/tahoma.ttf", "C:/Windows/Fonts/segoeui.ttf",
)
_PERSIAN_PROBE = "پچژگکیآ"  # letters Arabic-only fonts lack
# matplotlib ships it and falls back to it glyph by glyph: Latin letters, digits and signs that a
# Persian font may lack (Noto Sans Arabic has no Latin) come from it
_FALLBACK_FAMILY = "DejaVu Sans"


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    """The code points the font at ``path`` has glyphs for (none for a file FreeType cannot read)."""
    try:
        from matplotlib.ft2font import FT2Font

        return frozenset(FT2Font(path).get_charmap())
    except Exception:  # noqa: BLE001 - an unreadable font is simply not a candidate
        return frozenset()


@functools.cache
def _fallback_font() -> str:
    from matplotlib import font_manager

    return font_manager.findfont(_FALLBACK_FAMILY)


def _missing(path: str | Path, chars: Iterable[str]) -> str:
    """The characters of ``chars`` the picture would draw as empty boxes with the font at ``path``,
    in code point order.

    An Arabic-script character must be in that font itself: matplotlib would take one it lacks from
    the fallback, a letter of another design inside a word. Any other character may come from the
    fallback. A line break is layout, not a glyph."""
    own, fallback = _charmap(str(path)), _charmap(_fallback_font())
    return "".join(sorted({c for c in chars if c != "\n" and ord(c) not in own
                           and (_ARABIC.match(c) or ord(c) not in fallback)}))


def _char_names(chars: str, limit: int = 8) -> str:
    """``U+FDF2 ARABIC LIGATURE ALLAH ISOLATED FORM, ...``: characters a message can name unambiguously."""
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '(unnamed)')}" for c in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")


def font_name(path: str | Path) -> str:
    """A font's family, style and revision from its own tables, e.g. ``Noto Sans Arabic Regular 2.005``."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(path))
    head = font.get_sfnt_table("head") or {}
    major, minor = head.get("fontRevision", (0, 0))
    return f"{font.family_name} {font.style_name} {major + minor / 65536:.3f}"


def _installed_fonts() -> list[str]:
    """Font files that may have Persian letters, best first: fontconfig's fonts for ``:lang=fa``
    (Vazirmatn and Noto Sans Arabic before the others, regular before bold), then well-known paths."""
    candidates: list[tuple[int, str]] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", ":lang=fa", "family", "file"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            path, _, family = line.partition(":")
            family = family.strip()
            rank = next((i for i, name in enumerate(_FONT_NAMES) if family.split(",")[0].strip() == name), 99)
            bold = re.search(r"(Bold|Black|Light|Thin|Medium|Semi|Extra|Italic|Condensed|UI)", Path(path).name)
            candidates.append((rank * 2 + (1 if bold else 0), path.strip()))
    candidates += [(200 + i, p) for i, p in enumerate(_FONT_PATHS)]
    found = [p for _, p in sorted(candidates) if Path(p).suffix.lower() in (".ttf", ".otf") and Path(p).is_file()]
    return list(dict.fromkeys(found))


def find_font(explicit: str | None = None, text: str | None = None) -> str:
    """Path of a font with a glyph for every character of ``text``, the picture's text as it is drawn
    (shaped); by default a few Persian letters, shaped. ``explicit`` (``--font``) is checked, never
    replaced; otherwise the first such of the installed fonts (:func:`_installed_fonts`).

    Raises ConfigError naming the font and the characters it lacks: a picture with empty boxes
    for letters is worse than none.
    """
    if text is None:
        text = _shaper()(_PERSIAN_PROBE)
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError(f"--font {explicit!r}: no such font file")
        if not _charmap(str(explicit)):
            raise ConfigError(f"--font {explicit!r}: not a font file FreeType can read")
        missing = _missing(explicit, text)
        if missing:
            raise ConfigError(f"--font {explicit!r} ({font_name(explicit)}) has no glyph for {_char_names(missing)}, "
                              "which the picture draws: pass a font that has them")
        return explicit
    fonts = _installed_fonts()
    for path in fonts:
        if not _missing(path, text):
            return path
    install = "install one (Debian/Ubuntu: apt-get install fonts-noto-core) or pass --font FILE.ttf"
    if not fonts:
        raise ConfigError(f"no font with Persian letters found for the picture: {install}")
    closest = min(fonts, key=lambda p: len(_missing(p, text)))  # the first of those that lack the fewest
    raise ConfigError(f"no installed font has every character the picture draws: the closest, {font_name(closest)} "
                      f"({closest}), has no glyph for {_char_names(_missing(closest, text))}; {install}")


def _shaper():
    """Text as matplotlib must be given it: as is when its FreeType build shapes text
    (libraqm, matplotlib >= 3.11), else joined and reordered by arabic-reshaper + python-bidi."""
    from matplotlib import ft2font

    if getattr(ft2font, "__libraqm_version__", None):
        return lambda text: text
    try:
        import arabic_reshaper
        try:
            from bidi import get_display
        except ImportError:  # python-bidi < 0.5
            from bidi.algorithm import get_display
    except ImportError:
        raise ConfigError("Persian labels need arabic-reshaper and python-bidi: "
                          "pip install 'kg-builder[viz]'") from None
    # Lam-alef stays a ligature, as Persian requires; the word ligature for الله (U+FDF2, one glyph
    # for four letters) is left out: it is optional, the joined letters read the same, and many fonts
    # with Persian letters lack it (DejaVu Sans draws a box in عبدالله, حزب‌الله ...)
    reshaper = arabic_reshaper.ArabicReshaper({"delete_harakat": True, "support_ligatures": True,
                                               "ARABIC LIGATURE ALLAH": False})

    def shape(text: str) -> str:
        if not _ARABIC.search(text):
            return text
        shaped = get_display(reshaper.reshape(text))  # paragraph direction from the first strong letter
        # ZWNJ and the direction marks have done their work (the letters' forms, the order): drawn,
        # they would be boxes in a font without them
        return "".join(c for c in shaped if unicodedata.category(c) != "Cf")

    return shape


def _shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut after its last whole word that fits, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut inside the long word
        cut = cut[:space]
    return cut.rstrip(" ،,:;/|-–—") + "…"


def _picture_label(d: dict) -> str:
    """A node's label in the picture: its Persian or English label (an article's headline), shortened;
    an article without a headline by its file name."""
    label = d.get("label_fa") or d.get("label_en") or d.get("label", "")
    if d.get("type") == "Article" and not d.get("label_fa"):
        label = Path(str(d.get("sourceFile") or label)).stem
    return _shorten(label, 34)


_SPOTS = ((0, 9, "center", "top"), (0, -9, "center", "bottom"), (8, 0, "left", "center"),
          (-8, 0, "right", "center"), (6, 6, "left", "top"), (-6, 6, "right", "top"),
          (6, -6, "left", "bottom"), (-6, -6, "right", "bottom"))


def _place_labels(G, ax, renderer, pos, imp, texts, roles, family, taken) -> None:
    """Labels (``texts``: node -> shaped label), most important first, each at the first of eight
    spots round its node where it covers no label placed before it (nor the legend); those that fit
    nowhere are left out. Then the ``roles`` ((person, organisation, shaped role) of each post) at
    their edges' middles, where there is room."""
    from matplotlib.font_manager import FontProperties

    n = G.number_of_nodes()
    points = ax.figure.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    boxes = [(b.x0, b.y0, b.x1, b.y1) for b in taken]
    for v in sorted(G.nodes, key=lambda x: (-imp[x], x)):
        d = G.nodes[v]
        shaped = texts[v]
        if not shaped:
            continue
        size = 6.5 if d.get("type") == "Statistic" and n > 60 else round((7.5 + min(imp[v], 12) * 0.35) * 2) / 2
        w, h, _ = renderer.get_text_width_height_descent(shaped, FontProperties(family=family, size=size), False)
        pad = 0.2 * size * points
        w, h = w + 2 * pad, h + 2 * pad
        px, py = ax.transData.transform(pos[v])
        for dx, dy, ha, va in _SPOTS:
            ax_, ay_ = px + dx * points, py - dy * points
            x0 = ax_ - w / 2 if ha == "center" else ax_ if ha == "left" else ax_ - w
            y0 = ay_ - h if va == "top" else ay_ if va == "bottom" else ay_ - h / 2
            box = (x0, y0, x0 + w, y0 + h)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                boxes.append(box)
                ax.annotate(shaped, pos[v], xytext=(dx, -dy), textcoords="offset points", ha=ha, va=va,
                            fontsize=size, color="#1a1a1a", zorder=4,
                            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})
                break
    for u, v, shaped in roles:
        w, h, _ = renderer.get_text_width_height_descent(shaped, FontProperties(family=family, size=7.5), False)
        mid = ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2)
        px, py = ax.transData.transform(mid)
        box = (px - w / 2 - 2, py - h / 2 - 2, px + w / 2 + 2, py + h / 2 + 2)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            boxes.append(box)
            ax.annotate(shaped, mid, ha="center", va="center", fontsize=7.5, color="#8b1a1a", zorder=4,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "#fff4f4", "ec": "none", "alpha": 0.85})


def draw(G, fmt: str = "png", *, font: str | None = None, seed: int = 0, title: str | None = None,
         labels: bool = True) -> bytes:
    """``G`` drawn as PNG or SVG bytes: nodes coloured by type, sized by importance, a
    legend, and Persian labels shaped right-to-left, placed greedily so none overlap
    (the least important give way)."""
    try:
        import matplotlib
    except ImportError:
        raise ConfigError("pictures need matplotlib: pip install 'kg-builder[viz]'") from None
    from matplotlib import font_manager, ft2font
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    # every text the picture may draw, shaped, before a font is chosen: the font must have them all
    shape = _shaper()  # the legend's Persian names are drawn even without labels
    nodes = sorted(G.nodes)
    by_type = defaultdict(list)
    for v in nodes:
        by_type[G.nodes[v].get("type")].append(v)
    legend = {t: f"{t} ({len(by_type[t])})" + (f" · {shape(_type_fa(t))}" if _type_fa(t) else "")  # Persian last
              for t in list(NODE_TYPES) + sorted(set(by_type) - set(NODE_TYPES), key=str) if by_type.get(t)}
    texts = {v: shape(_picture_label(G.nodes[v])) for v in nodes} if labels else {}
    roles = []  # the role on each post edge
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])) if labels else ():
        role = d.get("role_fa") or d.get("role_en")
        if d.get("relation") == "holdsPost" and role and u != v:
            roles.append((u, v, shape(role)))
    shaped_title = shape(title) if title else ""
    font_path = find_font(font, "".join([*legend.values(), *texts.values(), *(r for *_, r in roles), shaped_title,
                                         "empty graph"]))
    font_manager.fontManager.addfont(font_path)
    family = font_manager.FontProperties(fname=font_path).get_name()
    fallback = [family, _FALLBACK_FAMILY]

    n = G.number_of_nodes()
    side = min(30.0, max(9.0, 5.0 + math.sqrt(max(n, 1)) * 1.15))
    fig = Figure(figsize=(side * 1.25, side), dpi=100 if fmt == "png" else 72)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.94))
    ax.set_axis_off()
    pos = layout(G, seed)
    if not pos:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", family=fallback)
    imp = {v: importance(G, v) for v in nodes}

    with matplotlib.rc_context({"font.family": fallback, "svg.fonttype": "path", "svg.hashsalt": "kg-builder"}):
        segs, colours, widths = [], [], []
        for u, v, d in G.edges(data=True):
            if u == v:
                continue
            segs.append([pos[u], pos[v]])
            post = d.get("relation") == "holdsPost"
            colours.append("#b03030" if post else "#8a8a8a")
            widths.append(1.6 if post else 0.5)
        if segs:
            ax.add_collection(LineCollection(segs, colors=colours, linewidths=widths, alpha=0.55, zorder=1))
        handles = []
        for t, text in legend.items():
            members = by_type[t]
            colour = COLOURS.get(t, _OTHER_COLOUR)
            sizes = [(14 if t == "Statistic" else 40) + min(imp[v], 12) ** 2 * 1.6 for v in members]
            ax.scatter([pos[v][0] for v in members], [pos[v][1] for v in members], s=sizes, c=colour,
                       edgecolors="white", linewidths=0.6, zorder=3)
            handles.append(Line2D([], [], marker="o", ls="", color=colour, markersize=9, label=text))
        if pos:
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            pad = 45
            ax.set_xlim(min(xs) - pad * 1.5, max(xs) + pad * 1.5)
            ax.set_ylim(min(ys) - pad, max(ys) + pad)
            ax.invert_yaxis()  # same orientation as the HTML page
        if handles:
            ax.legend(handles=handles, loc="upper left", fontsize=10, frameon=True, framealpha=0.9,
                      bbox_to_anchor=(0.0, 1.0))
        if shaped_title:
            fig.suptitle(shaped_title, fontsize=15, y=0.985)

        if labels and pos:
            _place_labels(G, ax, canvas.get_renderer(), pos, imp, texts, roles, fallback,
                          [ax.get_legend().get_window_extent(canvas.get_renderer())] if handles else [])
        # saved inside the rc context: the SVG writer reads svg.hashsalt (its clip-path ids) and
        # svg.fonttype when it writes, not when the figure is made
        buf = io.BytesIO()
        # no date; what the pixels depend on instead (the same bytes need the same font and rasteriser)
        metadata = ({"Software": f"matplotlib {matplotlib.__version__}, FreeType {ft2font.__freetype_version__}",
                     "Font": font_name(font_path)} if fmt == "png" else {"Date": None, "Creator": None})
        extra = {"pil_kwargs": {"optimize": True}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, facecolor="white", metadata=metadata, **extra)
    return buf.getvalue()


__all__ = [
    "COLOURS",
    "NODE_TYPES",
    "draw",
    "dumps",
    "filter_graph",
    "find_font",
    "find_nodes",
    "html_page",
    "layout",
    "page_data",
    "to_networkx",
    "write",
]
