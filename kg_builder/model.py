"""The one data model that flows through the pipeline.

A ``Document`` is created by the read stage and returned, enriched, by every later
stage (``dataclasses.replace``). Offsets in ``Mention`` are into ``Document.text``
(the cleaned text); ``Document.rewrite`` maps them back to ``Document.raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .text.offsets import Rewrite


class _Attributes:
    """Read access to the (key, value) pairs a frozen record carries in ``attrs``."""

    attrs: tuple[tuple[str, object], ...]

    def get(self, key: str, default: object = None) -> object:
        return dict(self.attrs).get(key, default)


@dataclass(frozen=True)
class Mention(_Attributes):
    """A typed stretch of cleaned text, e.g. a province name or a quantity."""

    kind: str  # province, county, hotline, programme, person, role, quantity, ...
    start: int
    end: int
    text: str
    attrs: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Span:
    """A span of the raw file text, the evidence for a fact."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity(_Attributes):
    """A thing the graph talks about; ``key`` is unique per type across all articles."""

    type: str  # Person, Province, County, Organization, Programme, Hotline, Agency, Role, ...
    key: str
    label: str
    attrs: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Fact(_Attributes):
    """A statement an article makes, with the spans that support it."""

    kind: str  # mention, membership, statistic
    attrs: tuple[tuple[str, object], ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Metadata:
    published: date | None = None
    published_jalali: str | None = None
    published_span: Span | None = None
    news_code: str | None = None
    news_code_span: Span | None = None
    agency: str | None = None
    agency_span: Span | None = None
    headline: str | None = None


@dataclass(frozen=True)
class Document:
    path: str
    source: str  # the input file's base name
    raw: str
    rewrite: Rewrite | None = None
    body: tuple[tuple[int, int], ...] = ()  # ranges of ``text`` that are article body, not site chrome
    metadata: Metadata = field(default_factory=Metadata)
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()

    @property
    def text(self) -> str:
        return self.rewrite.text if self.rewrite else self.raw

    def span(self, start: int, end: int) -> Span:
        """Evidence span in raw offsets for ``text[start:end]``."""
        a, b = self.rewrite.to_raw(start, end) if self.rewrite else (start, end)
        return Span(a, b, self.raw[a:b])

    def in_body(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.body)
