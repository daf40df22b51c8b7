"""The one place where IRIs are minted.

IRIs are deterministic (type + normalised key) and never carry Persian text in a path
segment: keys that are not plain ASCII are replaced by a short hash of their
normalised form. Persian goes into ``rdfs:label "..."@fa``. IRIs are plain strings here
(the pipeline makes pyoxigraph terms of them; code that needs rdflib wraps them).
"""

from __future__ import annotations

import hashlib
import re

from .vocab import DATA_IRI

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")  # the whole key (fullmatch): "$" would let a final newline in
_FOLD = re.compile(r"[\s\u200c\u200d_\-]+")


def fold(text: str) -> str:
    """Normalised comparison key: spacing and half-spaces do not distinguish names."""
    return _FOLD.sub("", text).strip()


def _digest(text: str) -> str:
    return hashlib.sha1(fold(text).encode("utf-8", "surrogatepass")).hexdigest()[:12]  # a lone surrogate too


def slug(key: str) -> str:
    """An ASCII path segment for ``key``: itself when safe, else a stable hash."""
    return key if _SAFE.fullmatch(key) else "h" + _digest(key)


def mint(kind: str, key: str) -> str:
    """IRI of an entity of ``kind`` (person, province, ...) with natural key ``key``."""
    return (f"{DATA_IRI}{kind}/{slug(key)}")


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_HASHED = re.compile(r"h[0-9a-f]{12}")


def article(source: str) -> str:
    """IRI of the article read from the file named ``source``, one per name: a plain ASCII ``NAME.txt``
    keeps its stem (``…/article/NAME``), any other name gets ``h`` and a hash of the exact name. Unlike
    entity keys, names are not folded: files that differ only in spacing, a half-space or a suffix
    are different articles."""
    stem = source.removesuffix(".txt")
    if source.endswith(".txt") and _PLAIN_NAME.fullmatch(stem) and not _HASHED.fullmatch(stem):
        return f"{DATA_IRI}article/{stem}"
    return f"{DATA_IRI}article/h{hashlib.sha1(source.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def within(article_iri: str, kind: str, key: str) -> str:
    """IRI of a node that belongs to one article (a span, a fact)."""
    return (f"{article_iri}/{kind}/{slug(key)}")


def hashed(*parts: object) -> str:
    """A key made of several values, hashed so that it is always a safe segment."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()[:16]


_ARTICLE_PREFIX = f"{DATA_IRI}article/"


def graph_of(node: str) -> str | None:
    """The named graph a node belongs to: the graph of the article it was minted within,
    or None for shared entities (people, places, programmes ...), which live in the default graph."""
    s = str(node)
    if not s.startswith(_ARTICLE_PREFIX):
        return None
    slug_ = s[len(_ARTICLE_PREFIX):].split("/", 1)[0]
    return (f"{DATA_IRI}graph/{slug_}")


# The named graph ``kg-builder push`` gives the shared entities (the default graph's statements) when a
# store must find every statement in a named graph. An article's slug starts with a letter or digit,
# so no article's graph can have this name.
SHARED_GRAPH = f"{DATA_IRI}graph/_shared"


# what an article's graph IRI is followed by in the names of its hidden graphs, which queries never see
VERSIONS, QUARANTINE = "/entities", "/quarantine"


def versions_graph(article_graph: str) -> str:
    """The named graph of a store holding an article's versions of the shared entities."""
    return f"{article_graph}{VERSIONS}"


def quarantine_graph(article_graph: str) -> str:
    """The named graph holding an article's quarantined facts."""
    return f"{article_graph}{QUARANTINE}"
