"""Article metadata: publication date (Gregorian and Jalali), news code, outlet and headline.

The text layer finds them (``text.dates``, ``text.metadata``), often in the site chrome
around the body; the publication date is told from dates the text merely mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import jdatetime

from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Mention, Metadata
from ..text import dates
from ..text import metadata as found_in_text
from .base import Quads, Resolution, T, entity_node, fa, labelled, plain, typed


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicationDate(Mention):
    gregorian: dt.date
    jalali: str | None  # YYYY-MM-DD when the text gives year and day


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsCode(Mention):
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletMention(Mention):
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Headline(Mention):
    """The first line of the article body."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewsAgency(Entity):
    KIND = "newsagency"


def detect(doc: Document, config: Config) -> list[Mention]:
    text, body = doc.text, doc.body
    out: list[Mention] = []
    pub = dates.publication_date(text, body)
    if pub:
        jalali = f"{pub.year:04d}-{pub.month:02d}-{pub.day:02d}" if pub.year and pub.day else None
        out.append(PublicationDate(start=pub.start, end=pub.end, text=text[pub.start:pub.end],
                                   gregorian=pub.gregorian, jalali=jalali))
    code = found_in_text.news_code(text)
    if code:
        out.append(NewsCode(start=code[1], end=code[2], text=text[code[1]:code[2]], code=code[0]))
    outlet = found_in_text.agency(text)
    if outlet:
        out.append(OutletMention(start=outlet[1], end=outlet[2], text=text[outlet[1]:outlet[2]], name=outlet[0]))
    if body:
        a, b = body[0]
        line = text[a:b].strip().split("\n", 1)[0].strip()
        start = text.index(line, a)
        out.append(Headline(start=start, end=start + len(line), text=line))
    return out


def resolve(res: Resolution) -> None:
    doc = res.doc

    def first(cls):
        return next(doc.found(cls, body=False), None)

    pub, code, outlet, headline = first(PublicationDate), first(NewsCode), first(OutletMention), first(Headline)
    md = Metadata(
        published=pub.gregorian if pub else None, published_jalali=pub.jalali if pub else None,
        published_span=doc.span(pub.start, pub.end) if pub else None,
        news_code=code.code if code else None, news_code_span=doc.span(code.start, code.end) if code else None,
        agency=outlet.name if outlet else None, agency_span=doc.span(outlet.start, outlet.end) if outlet else None,
        headline=headline.text if headline else None)
    page = doc.origin.page
    if page is not None:  # an HTML page: its markup's title and date say it surer than the extracted text
        if page.headline:
            md = replace(md, headline=page.headline)
        if page.published:
            j = jdatetime.date.fromgregorian(date=page.published)
            md = replace(md, published=page.published, published_jalali=f"{j.year:04d}-{j.month:02d}-{j.day:02d}",
                         published_span=None)
        site = site_agency(page.agency) if page.agency and not outlet else None
        if site:  # the text's byline names who reported it; the site is who published it, when none is named
            md = replace(md, agency=site, agency_span=None)
    res.provide(md)
    if md.agency:
        res.add(agency(md.agency))


def site_agency(site: str) -> str | None:
    """The outlet a page's site name (og:site_name) stands for: a known outlet under its canonical name, else
    the name as the page writes it when it is Persian; None for a Latin name (a domain, an English title)."""
    known = found_in_text.agency(f"منبع: {site}")
    return known[0] if known and _PERSIAN.search(known[0]) else None


_PERSIAN = re.compile("[\u0600-\u06ff]")


def agency(name: str) -> NewsAgency:
    return NewsAgency(key=fold(name), label=name)


# ---------------------------------------------------------------- RDF

def _article(md: Metadata, q: Quads) -> None:
    a = q.article
    q.add(a, T.rdf.type, T.kgo.NewsArticle)
    q.add(a, T.kgo.sourceFile, plain(q.doc.source))
    if q.doc.digest:
        q.add(a, T.kgo.contentHash, plain(q.doc.digest))
    origin = q.doc.origin
    if not origin.plain:  # said only when the file was not UTF-8 text: what the span offsets index
        q.add(a, T.schema.encodingFormat, plain(origin.encoding_format))
    if origin.extractor:
        q.add(a, T.kgo.textExtractedBy, plain(origin.extractor))
    if md.headline:
        q.add(a, T.schema.headline, fa(md.headline))
    if md.published:
        q.add(a, T.schema.datePublished, typed(md.published.isoformat(), T.xsd.date))
    if md.published_jalali:
        q.add(a, T.kgo.publishedJalali, plain(md.published_jalali))
    if md.news_code:
        q.add(a, T.kgo.newsCode, plain(md.news_code))
    if md.agency:
        q.add(a, T.schema.publisher, entity_node(agency(md.agency)))


def _agency(e: NewsAgency, q: Quads) -> None:
    labelled(e, q, T.kgo.NewsAgency)


REQUIRES: tuple[type, ...] = ()
ASSIGNS: tuple[type, ...] = (PublicationDate, NewsCode, OutletMention, Headline, Metadata, NewsAgency)
QUADS: dict[type, Callable] = {Metadata: _article, NewsAgency: _agency}
