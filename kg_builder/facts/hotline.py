"""The social-emergency hotline (123): one individual, whatever an article calls it.

Its written forms come from the pack's ``[hotline]`` (اورژانس اجتماعی ۱۲۳، سامانه ۱۲۳،
خط ۱۲۳، تماس با اورژانس اجتماعی ...); its labels and number come from the ontology, where
``kgo:Hotline123`` is described. The name an article uses (the fullest form it writes) is
kept on one of its mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import pyoxigraph as ox

from .. import packs
from ..config import Config
from ..model import Document, Entity, Mention
from ..packs import Domain
from ..text.patterns import SEP, B, E, alternation, squash
from ..vocab import KGO, RDF, RDFS, SCHEMA
from .base import Quads, Resolution, label_of, node, ontology


@dataclass(frozen=True, slots=True, kw_only=True)
class HotlineMention(Mention):
    """The line as written; ``name`` is how the article names it, if it does; ``bare`` when
    the service is named without any line or number (it then names the service, not the line)."""

    name: str | None = None
    bare: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Hotline(Entity):
    KIND = "hotline"
    IRI: ClassVar[str] = str(KGO.Hotline123)


@dataclass(frozen=True, eq=False)
class HotlineSpans:
    """Where the article names the line (programme names there are the line's, not programmes)."""

    spans: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def described() -> tuple[tuple[ox.NamedNode, ox.NamedNode | ox.Literal], ...]:
    """What the ontology says of the line that belongs in every graph: class, labels, number."""
    kept = {str(RDF.type), str(RDFS.label), str(SCHEMA.telephone)}
    out = []
    for t in ontology():
        if t.subject.value == str(KGO.Hotline123) and t.predicate.value in kept:
            if t.predicate.value == str(RDF.type) and t.object.value != str(KGO.Hotline):
                continue  # owl:NamedIndividual is the ontology's business
            out.append((t.predicate, t.object))
    return tuple(sorted(out, key=str))


def entity() -> Hotline:
    return Hotline(key="123", label=label_of(KGO.Hotline123))


# ---------------------------------------------------------------- detection

@lru_cache(maxsize=4)
def _pattern(domain: Domain) -> re.Pattern[str]:
    h = domain.hotline
    name = rf"(?:{alternation(h.names)})(?:\s+(?:{alternation(h.qualifiers)}))?" if h.qualifiers else alternation(h.names)
    num = rf"[(«]?\s*{re.escape(h.number)}(?![\w\u200c])[)»]?"
    line = rf"(?:(?:{alternation(h.line_words)})(?:{SEP}(?:{alternation(h.line_qualifiers)}))*)"
    system = rf"(?:{alternation(h.system_words)})(?:{SEP}تلفنی)?"
    call = rf"(?:{line}|{alternation(h.call_words)})"
    # Longest forms first; "named" marks what the article calls the service (its name as written).
    return re.compile(
        rf"{B}(?:(?P<named>{system}\s*{num}\s*{name}"
        rf"|{name}\s*(?:به{SEP}شماره\s*)?{num}"
        rf"|{system}\s*{num}"
        rf"|(?:{alternation(h.system_words)})\s+{name})"
        rf"|{call}\s*(?:{num}\s*)?(?P<name_only>{name}(?:\s*(?:به{SEP}شماره\s*)?{num})?)"
        rf"|{call}\s*{num}"
        rf"|(?P<bare>{alternation(h.names)}){E})"
    )


def find_hotline(text: str, domain: Domain) -> list[HotlineMention]:
    """The line in its surface forms; ``name`` is how the article names it, if it does."""
    if domain.hotline is None:
        return []
    out = []
    for m in _pattern(domain).finditer(text):
        end = m.start() + len(m.group(0).rstrip(")» "))
        name = m.group("named") or m.group("name_only") or m.group("bare")
        out.append(HotlineMention(start=m.start(), end=end, text=text[m.start():end],
                                  name=name.strip("()«» ") if name else None, bare=bool(m.group("bare"))))
    return out


def detect(doc: Document, config: Config) -> list[HotlineMention]:
    return find_hotline(doc.text, packs.load(config.domain.packs))


# ---------------------------------------------------------------- resolution

def resolve(res: Resolution) -> None:
    found = res.found(HotlineMention)
    if all(m.bare for m in found):
        found = []  # "اورژانس اجتماعی" alone names the service, not the line; it counts beside the line
    res.provide(HotlineSpans(tuple((m.start, m.end) for m in found)))
    if not found:
        return
    h = res.domain.hotline
    names = [squash(n) for n in h.names]
    named = [m for m in found if m.name] or [m for m in found if m.text.startswith(h.line_names)]
    # one name per article: the fullest form the article uses (name and number over either alone)
    best = max(named, key=lambda m: (any(n in squash(m.name or "") for n in names) + (h.number in (m.name or m.text)),
                                     -m.start), default=None)
    line = res.add(entity())
    for m in found:
        res.name(line, m, re.sub(r"\s+", " ", m.name or m.text) if m is best else None)


# ---------------------------------------------------------------- RDF

def _hotline(e: Hotline, q: Quads) -> None:
    s = node(e.IRI)
    for p, o in described():
        q.add(s, p, o)


REQUIRES: tuple[type, ...] = ()
ASSIGNS: tuple[type, ...] = (HotlineMention, Hotline, HotlineSpans)
QUADS: dict[type, Callable] = {Hotline: _hotline}
