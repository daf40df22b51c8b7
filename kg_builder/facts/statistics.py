"""Statistics: the figures an article states, each with the context its sentence gives.

One fact per (value, unit, counted noun, approximation), every statement of it kept as
evidence. The context: the period (a Jalali year, a range, «سال گذشته» against the
article's date), what it is about (the programme, body or place named nearest in the
sentence), the beneficiary group and the official who states it (``posts.Speakers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .. import iri
from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Fact, Mention, Metadata, Span
from ..text import numbers
from ..text.periods import find_periods
from .base import Quads, Resolution, T, entity_node, fa, label_of, node, typed
from .groups import BeneficiaryGroup
from .places import County, Province
from .posts import Speakers

UNITS = {"count": T.kgo.Count, "percent": T.kgo.Percent, "rial": T.kgo.Rial, "toman": T.kgo.Toman}
NO_UNIT = "واحد"  # the unit text of a count that names no noun


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityMention(Mention):
    """A figure as written (``text.numbers``): its value, unit and what it counts."""

    value: int | float
    unit: str  # count, percent, rial, toman
    unit_text: str | None = None
    noun: str | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Statistic(Fact):
    value: int | float
    unit: str
    unit_text: str | None
    noun: str | None
    approximate: bool
    period: tuple[dt.date, dt.date | None] | None = None
    about: tuple[Entity, ...] = ()
    group: Entity | None = None
    speaker: Entity | None = None


def detect(doc: Document, config: Config) -> list[QuantityMention]:
    text = doc.text
    return [QuantityMention(start=q.start, end=q.end, text=text[q.start:q.end], value=q.value, unit=q.unit,
                            unit_text=q.unit_text, noun=q.noun, approximate=q.approximate)
            for q in numbers.find_quantities(text)]


def _nearest(anchors: list[tuple[int, int, object]], start: int, end: int, lo: int, hi: int):
    """The anchor inside [lo, hi) closest to [start, end), preferring one that follows."""
    inside = [a for a in anchors if lo <= a[0] and a[1] <= hi and not (a[0] < end and start < a[1])]
    if not inside:
        return None
    return min(inside, key=lambda a: (a[0] - end) if a[0] >= end else 2 * (start - a[1]) + 1)[2]


def resolve(res: Resolution) -> None:
    doc, sents = res.doc, res.sentences()
    speakers = res.need(Speakers)
    published = res.need(Metadata).published
    about, places, groups = [], [], []
    for m, e in res.named:
        kind = places if isinstance(e, (Province, County)) else groups if isinstance(e, BeneficiaryGroup) else about
        kind.append((m.start, m.end, e))
    stated: dict[tuple, tuple[QuantityMention, list[Span]]] = {}
    for m in res.found(QuantityMention):
        # one figure however the unit is inflected (۱۲ درصد / ۱۲ درصدی); counts keep their noun
        noun = fold(m.unit_text or "") if m.unit == "count" else ""
        stated.setdefault((m.value, m.unit, noun, m.approximate), (m, []))[1].append(doc.span(m.start, m.end))
    for m, spans in stated.values():
        i = next((j for j, (a, b) in enumerate(sents) if a <= m.start < b), None)
        lo, hi = sents[i] if i is not None else (m.start, m.end)
        periods = [(p.start + lo, p.end + lo, (p.first, p.last)) for p in find_periods(doc.text[lo:hi], published)]
        near = tuple(x for x in (_nearest(about, m.start, m.end, lo, hi), _nearest(places, m.start, m.end, lo, hi)) if x)
        group = next((e for a, b, e in groups if a < m.end and m.start < b), None) \
            or _nearest(groups, m.start, m.end, lo, hi)
        speaker = speakers.by_sentence[i] if i is not None and speakers.by_sentence[i] in speakers.officials else None
        res.facts.append(Statistic(
            spans=tuple(dict.fromkeys(spans)), value=m.value, unit=m.unit, unit_text=m.unit_text, noun=m.noun,
            approximate=m.approximate, period=_nearest(periods, m.start, m.end, lo, hi), about=near, group=group,
            speaker=res.entities[("person", speaker)] if speaker else None))


def decimal(value: int | float) -> str:
    """The xsd:decimal lexical form of ``value`` (never an exponent)."""
    return format(Decimal(str(value)), "f")


def _statistic(f: Statistic, q: Quads) -> None:
    s = node(iri.within(q.article.value, "statistic", iri.hashed(f.value, f.unit, f.unit_text, f.approximate)))
    unit = UNITS[f.unit]
    q.add(s, T.rdf.type, T.kgo.Statistic)
    q.add(s, T.schema.value, typed(decimal(f.value), T.xsd.decimal))
    q.add(s, T.kgo.unit, unit)
    q.add(s, T.schema.unitText, fa(label_of(unit.value) if f.unit != "count" else f.unit_text or NO_UNIT))
    if f.noun:
        q.add(s, T.kgo.countedNoun, fa(f.noun))
    q.add(s, T.kgo.isApproximate, typed("true" if f.approximate else "false", T.xsd.boolean))
    if f.period:
        first, last = f.period
        q.add(s, T.kgo.periodStart, typed(first.isoformat(), T.xsd.date))
        if last:
            q.add(s, T.kgo.periodEnd, typed(last.isoformat(), T.xsd.date))
    for e in f.about:
        q.add(s, T.schema.observationAbout, entity_node(e))
    if f.group:
        q.add(s, T.kgo.beneficiaryGroup, entity_node(f.group))
    if f.speaker:
        q.add(s, T.prov.wasAttributedTo, entity_node(f.speaker))
    q.evidence(s, f.spans)


REQUIRES: tuple[type, ...] = (Speakers, Metadata)
ASSIGNS: tuple[type, ...] = (QuantityMention, Statistic)
QUADS: dict[type, Callable] = {Statistic: _statistic}
