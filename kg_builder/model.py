"""The data model that flows through the pipeline: a document and the base record types.

A ``Document`` is created by the read stage and returned, enriched, by every later
stage (``dataclasses.replace``). Each fact module (``kg_builder.facts``) subclasses the
three record types for what it finds:

- ``Mention``: a typed stretch of the cleaned text (offsets into ``Document.text``);
- ``Entity``: a thing the graph talks about, one node per (class, key) across articles;
- ``Fact``: a statement an article makes, with the spans of the raw file that support it.

Records are frozen dataclasses with slots: a misspelt field is an error at once, and the
RDF mapping dispatches on the record's class.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, TypeVar

from .text.offsets import Rewrite


@dataclass(frozen=True, slots=True)
class Span:
    """A span of the raw file text, the evidence for a fact (end exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A stretch of cleaned text that a detector found; subclasses say what it is."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence(Mention):
    """A sentence of the cleaned text (split after . ! ? ؟ and at line breaks)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A thing the graph talks about; ``key`` is unique per class across all articles.

    ``KIND`` names the class in IRIs (``…/id/<kind>/<key>``). Articles may write the name
    differently: each makes its own version, and ``stages.rdf.Merger`` makes one node of them.
    """

    KIND: ClassVar[str] = ""
    IRI: ClassVar[str | None] = None  # a fixed IRI from the ontology (one shared individual), else minted
    key: str
    label: str

    @property
    def identity(self) -> tuple[str, str]:
        return self.KIND, self.key



@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A statement an article makes, with the raw-text spans that support it."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Named(Fact):
    """The article names ``entity`` at its span; ``name_form`` is the name as written, when
    the span names the entity rather than describing it."""

    entity: Entity
    name_form: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the article says about itself; spans are evidence in raw offsets."""

    published: date | None = None
    published_jalali: str | None = None
    published_span: Span | None = None
    news_code: str | None = None
    news_code_span: Span | None = None
    agency: str | None = None
    agency_span: Span | None = None
    headline: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """How an article's text came out of its file: the encoding its bytes were read in and how that was
    known (``how``: one of ``HOW``), and for an HTML page the program that extracted the article's text
    from the markup (spans index that text, not the file) and what the page's markup says of the article."""

    HOW: ClassVar[tuple[str, ...]] = ("valid UTF-8", "byte-order mark", "declared by the page", "guessed")
    encoding: str = "UTF-8"  # the charset's name, as in a MIME type (UTF-16LE, windows-1256 ...)
    how: str = "valid UTF-8"
    media_type: str = "text/plain"
    extractor: str | None = None  # "trafilatura 2.3.1"
    page: Metadata | None = None  # headline, date and site from the page's metadata

    @property
    def plain(self) -> bool:
        """A UTF-8 text file: the case that needs no word in the graph nor in the build's summary."""
        return self.media_type == "text/plain" and self.encoding == "UTF-8"

    @property
    def encoding_format(self) -> str:
        """The file's MIME type with its charset (schema:encodingFormat)."""
        return f"{self.media_type}; charset={self.encoding}"


M = TypeVar("M", bound=Mention)


@dataclass(frozen=True)
class Document:
    path: str
    source: str  # the input file's base name
    raw: str
    digest: str = ""  # SHA-256 of the file's bytes (hex)
    origin: Origin = field(default_factory=Origin)
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

    def found(self, cls: type[M], *, body: bool = True) -> Iterator[M]:
        """The mentions of class ``cls`` in text order (by default only those in the article body)."""
        for m in self.mentions:
            if isinstance(m, cls) and (not body or self.in_body(m.start, m.end)):
                yield m
