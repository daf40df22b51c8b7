"""Programmes, campaigns and service systems: named after a cue word (طرح، پویش، سامانه ...)
or known by name (نهضت ملی مسکن). One entity per normalised name across articles."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import packs
from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Mention
from ..packs import PROGRAMME_CLASSES, Domain
from ..text.patterns import SEP, WORD, B, E, alternation, lookup, squash
from ..vocab import KGO
from .base import Quads, Resolution, labelled
from .hotline import HotlineSpans


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgrammeMention(Mention):
    """A programme's name as written; ``cls`` is the pack's class, ``known`` the known name it is."""

    cls: str
    known: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Programme(Entity):
    KIND = "programme"


@dataclass(frozen=True, slots=True, kw_only=True)
class Campaign(Programme):
    """A campaign (پویش): a programme that calls on the public for a while."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSystem(Programme):
    """A service system or line (سامانه)."""


CLASSES: dict[str, type[Programme]] = dict(zip(PROGRAMME_CLASSES, (Programme, Campaign, ServiceSystem), strict=True))


# ---------------------------------------------------------------- detection

@lru_cache(maxsize=4)
def _patterns(domain: Domain):
    cues = {c.fa: c.cls for c in domain.programme_cues}
    cue_rx = re.compile(rf"{B}(?P<cue>{alternation(cues, True)}){E}(?!{SEP}(?:ها|های|هایی){E})")
    known = {k.fa: k for k in domain.known_programmes}
    known_rx = re.compile(rf"{B}(?P<name>{alternation(known, True)}){E}") if known else None
    return cue_rx, {squash(c): cls for c, cls in cues.items()}, known_rx, known, frozenset(domain.programme_stop)


_DEMONSTRATIVE_BEFORE = re.compile(r"(?<![\w\u200c])(?:این|آن|همین|همان|هر)\s+$")
_QUOTED = re.compile(r"\s*[\"«“']([^\"»”'\n]{2,60})[\"»”']")
_NEXT_WORD = re.compile(rf"\s*({WORD})")


def find_programmes(text: str, domain: Domain, max_words: int) -> list[ProgrammeMention]:
    cue_rx, cue_class, known_rx, known, stop = _patterns(domain)
    out: list[ProgrammeMention] = []
    for m in cue_rx.finditer(text):
        if _DEMONSTRATIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "این طرح ...": a reference back, not a name
        cls = cue_class[squash(m.group("cue"))]
        q = _QUOTED.match(text, m.end())
        if q:  # طرح «X» or طرح "X"
            out.append(ProgrammeMention(start=m.start(), end=q.end(), text=f"{m.group('cue')} {q.group(1).strip()}",
                                        cls=cls))
            continue
        end, words = m.end(), 0
        while words < max_words:
            w = _NEXT_WORD.match(text, end)
            if not w or w.group(1) in stop or w.group(1).startswith(("می\u200c", "نمی\u200c")):
                break
            end, words = w.end(), words + 1
        if words:
            out.append(ProgrammeMention(start=m.start(), end=end, text=text[m.start():end], cls=cls))
    # names known without a cue word: نهضت ملی مسکن، دهه کرامت
    for m in known_rx.finditer(text) if known_rx else ():
        k = lookup(m.group("name"), known)
        out.append(ProgrammeMention(start=m.start(), end=m.end(), text=m.group("name"), cls=k.cls, known=k.fa))
    return out


def detect(doc: Document, config: Config) -> list[ProgrammeMention]:
    return find_programmes(doc.text, packs.load(config.domain.packs), config.mentions.max_programme_words)


# ---------------------------------------------------------------- resolution

def _outermost(ms: list[ProgrammeMention]) -> list[ProgrammeMention]:
    """Drop names nested in a longer one (طرح نهضت ملی مسکن ⊃ نهضت ملی مسکن keeps the known name)."""
    by_span: dict[tuple[int, int], ProgrammeMention] = {}
    for m in ms:  # the same words found as a known name and by a cue word: keep the known one
        if (m.start, m.end) not in by_span or m.known:
            by_span[(m.start, m.end)] = m
    ms = list(by_span.values())
    out = []
    for m in sorted(ms, key=lambda m: (m.start, -m.end)):
        if any(o is not m and o.start <= m.start and m.end <= o.end for o in ms):
            continue
        inner = [o for o in ms if o is not m and m.start <= o.start and o.end <= m.end and o.known]
        out.append(replace(m, known=inner[0].known) if inner and not m.known else m)
    return out


def resolve(res: Resolution) -> None:
    line = res.need(HotlineSpans).spans
    found = [m for m in res.found(ProgrammeMention)
             if not any(a <= m.start < b or m.start <= a < m.end for a, b in line)]
    for m in _outermost(found):
        name = re.sub(r"\s+", " ", m.text).strip()
        key = fold(m.known) if m.known else fold(name)
        res.name(res.add(CLASSES[m.cls](key=key, label=m.known or name)), m, name)


# ---------------------------------------------------------------- RDF

def _programme(cls) -> Callable[[Programme, Quads], None]:
    def add(e: Programme, q: Quads) -> None:
        labelled(e, q, cls)
    return add


REQUIRES: tuple[type, ...] = (HotlineSpans,)
ASSIGNS: tuple[type, ...] = (ProgrammeMention, Programme)
QUADS: dict[type, Callable] = {Programme: _programme(KGO.Programme), Campaign: _programme(KGO.Campaign),
                               ServiceSystem: _programme(KGO.ServiceSystem)}
