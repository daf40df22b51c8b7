"""The social-emergency hotline (123): one individual, whatever an article calls it.

Its written forms come from the pack's ``[hotline]`` (اورژانس اجتماعی ۱۲۳، سامانه ۱۲۳،
خط ۱۲۳، تماس با اورژانس اجتماعی، and the service's name alone: اورژانس اجتماعی is the 123
service under any of its names); its labels and number come from the ontology, where
``kgo:Hotline123`` is described. The name an article uses (the fullest form it writes,
without brackets or quotes around the number) is kept on one of its mentions.
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
from ..text.numbers import MULT, PERCENT_WORDS
from ..text.patterns import SEP, B, E, alternation, flexible, squash
from ..vocab import KGO, RDF, RDFS, SCHEMA
from .base import Quads, Resolution, label_of, node, ontology


@dataclass(frozen=True, slots=True, kw_only=True)
class HotlineMention(Mention):
    """The line as written; ``name`` is how the article names it, if it does."""

    name: str | None = None


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
    # the number, perhaps in brackets (اورژانس اجتماعی (۱۲۳)), and not a count (۱۲۳ هزار تماس)
    count = alternation([*MULT, *PERCENT_WORDS])
    digits = rf"{re.escape(h.number)}(?![\w\u200c])(?!\s*(?:[.,/٫]\d|(?:{count}){E}))"
    num = rf"[(«\[]?\s*{digits}[)»\]]?"
    # after a name, words may link it to its number: اورژانس اجتماعی به شماره ۱۲۳
    link = rf"(?:(?:{alternation(h.number_links)})\s*){{0,2}}" if h.number_links else ""
    linked = rf"[(«\[\-–:]?\s*{link}{digits}[)»\]]?"
    line = rf"(?:(?:{alternation(h.line_words)})(?:{SEP}(?:{alternation(h.line_qualifiers)}))*)"
    system = rf"(?:{alternation(h.system_words)})(?:{SEP}تلفنی)?"
    call = rf"(?:{line}|{alternation(h.call_words)})"
    phrases = "".join("|" + r"\s*".join(flexible(part) if part != "{number}" else num
                                          for part in re.split(r"\s*({number})\s*", p) if part)
                      for p in h.number_phrases)
    # Longest forms first; "named" marks what the article calls the service (its name as written).
    return re.compile(
        rf"{B}(?:(?P<named>{system}\s*{num}\s*{name}"
        rf"|{name}\s*{linked}"
        rf"|{system}\s*{num}"
        rf"|(?:{alternation(h.system_words)})\s+{name})"
        rf"|{call}\s*(?:{num}\s*)?(?P<name_only>{name}(?:\s*{linked})?)"
        rf"|{call}\s*{num}"
        rf"{phrases}"
        rf"|(?P<bare>{alternation(h.names)}){E})"  # the service's name alone
    )


_CLOSING = {")": "(", "»": "«", "]": "["}


def find_hotline(text: str, domain: Domain) -> list[HotlineMention]:
    """The line in its surface forms; ``name`` is how the article names it, if it does."""
    if domain.hotline is None:
        return []
    out = []
    for m in _pattern(domain).finditer(text):
        written = m.group(0).rstrip()
        if written[-1] in _CLOSING and _CLOSING[written[-1]] not in written:
            written = written[:-1].rstrip()  # a closing mark whose opening is not the line's
        end = m.start() + len(written)
        name = m.group("named") or m.group("name_only") or m.group("bare")
        out.append(HotlineMention(start=m.start(), end=end, text=text[m.start():end],
                                  name=_tidy(name, domain) if name else None))
    return out


@lru_cache(maxsize=4)
def _around_number(domain: Domain) -> re.Pattern[str]:
    h = domain.hotline
    link = (rf"|{B}(?:(?:{alternation(h.number_links)})\s*)+(?=[\s(«\[\-–:]*{re.escape(h.number)})"
            if h.number_links else "")
    return re.compile(rf"[()«»\[\]\-–:]{link}")


def _tidy(name: str, domain: Domain) -> str:
    """The name without what stands around its number: «اورژانس اجتماعی (۱۲۳)» and «اورژانس
    اجتماعی به شماره ۱۲۳» are «اورژانس اجتماعی ۱۲۳»."""
    return re.sub(r"\s+", " ", _around_number(domain).sub(" ", name)).strip()


def detect(doc: Document, config: Config) -> list[HotlineMention]:
    return find_hotline(doc.text, packs.load(config.domain.packs))


# ---------------------------------------------------------------- resolution

def resolve(res: Resolution) -> None:
    found = res.found(HotlineMention)
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
