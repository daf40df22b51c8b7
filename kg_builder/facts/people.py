"""People: person names in the text, and the people an article names.

A name is optional titles of address (دکتر، سید ...), one or two given names from the
given-name lexicon and a surname (maybe in two parts: حسین زاده، نیک اندیش). Resolution
groups an article's mentions of one person and finds later references by surname alone.
Only people who hold a post become entities (``kg_builder.facts.posts``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .. import packs
from ..config import Config
from ..iri import fold
from ..model import Document, Entity, Mention, Sentence
from ..packs import Domain
from ..resources import lexicons
from ..text.clauses import opening
from ..text.patterns import WORD, B, alternation, squash
from .base import Quads, Resolution, T, fa, labelled
from .metadata import Headline


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonMention(Mention):
    """A person's name as written: given name(s), surname, titles of address."""

    given: str = ""
    surname: str = ""
    titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SurnameMention(Mention):
    """A later reference to a person by surname alone ("کریمی گفت")."""

    person: str  # the person's key


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Entity):
    KIND = "person"
    titles: tuple[str, ...] = ()



@dataclass
class ArticlePerson:
    """One person an article names: the name, and every place it does so."""

    key: str
    name: str
    surname: str
    titles: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class People:
    """The people of one article by key, and every reference to them (full name or
    surname alone) in text order."""

    by_key: dict[str, ArticlePerson]
    refs: tuple[tuple[Mention, str], ...]


# ---------------------------------------------------------------- detection

_WORD_AT = re.compile(rf"[ \u200c]?({WORD})")
_FIRST_WORD = re.compile(WORD)
_FREQUENT = 1_000_000  # hazm corpus count above which a word is an ordinary word, not a surname
_AFFIXES = frozenset({"ها", "های", "هایی", "هایش", "هایشان", "ترین", "تر", "ای", "ام", "اند", "ایم", "اید", "است"})
_APPOSITION_AFTER = re.compile(r"\s*[،,]")


@lru_cache(maxsize=4)
def non_surnames(domain: Domain) -> frozenset[str]:
    """Words that cannot be a surname: function words, and the packs' titles, verbs and organisation words."""
    words = set(lexicons.function_words())
    for phrase in (*(t.fa for t in domain.titles), *domain.titles_of_address, *domain.org_words):
        words.update(phrase.split())
    words.update(domain.speech_verbs, domain.not_surnames, domain.province_words, domain.county_words)
    return frozenset(words)


@lru_cache(maxsize=4)
def _patterns(domain: Domain):
    title_rx = rf"(?:(?:{alternation(domain.titles_of_address)})\s*)"
    rx = re.compile(rf"{B}(?P<titles>{title_rx}*)(?P<word>{WORD})")
    return rx, re.compile(title_rx)


@lru_cache(maxsize=1)
def _given() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Curated given names and the weak ones of the large list, squashed (no spaces or half-spaces),
    and every beginning of them (a first word is one; most words are not: one look-up tells)."""
    strong = frozenset(squash(g) for g in lexicons.given_names())
    weak = frozenset(squash(g) for g in lexicons.weak_given_names()) - strong
    firsts = frozenset(name[:k] for name in strong | weak for k in range(2, len(name) + 1))  # a name may be split anywhere
    return strong, weak, firsts


# A compound given name made with an Arabic element: فریدالدین، شمس الدین، روح الله، نصراله
_GIVEN_COMPOUND = re.compile(r"(?P<stem>\w{2,})(?:الدین|الله|اله)")
_COMPOUND_ENDS = ("الدین", "الله", "اله")


def _given_at(text: str, start: int) -> tuple[int, bool] | None:
    """The longest given name (one to three words) starting at ``start``: (end, weak), or None."""
    strong, weak, firsts = _given()
    first = _FIRST_WORD.match(text, start)
    if first is None:
        return None
    words = [first]
    if squash(first.group(0)) in firsts or first.group(0).endswith(_COMPOUND_ENDS):
        while len(words) < 3 and (w := _WORD_AT.match(text, words[-1].end())):
            words.append(w)
    else:
        second = _WORD_AT.match(text, first.end())
        if not second or not second.group(1).endswith(_COMPOUND_ENDS):
            return None  # neither a name nor the first half of one (شمس الدین)
        words.append(second)
    for n in range(len(words), 0, -1):
        key = squash(text[start:words[n - 1].end()])
        if key in strong:
            return words[n - 1].end(), False
        if key in weak or _GIVEN_COMPOUND.fullmatch(key):
            return words[n - 1].end(), True
    return None


@lru_cache(maxsize=4)
def title_stems(domain: Domain) -> frozenset[str]:
    """The first words of titles of address (حجت، سید): a surname may be built on one (حجت‌الاسلامی)."""
    return frozenset(re.split("[ \u200c]", t)[0] for t in domain.titles_of_address)


def _surname_ok(word: str, followed_by_part: bool, strict: bool, blocked: frozenset[str],
                stems: frozenset[str] = frozenset()) -> bool:
    """Can ``word`` be a surname? ``strict`` when the given name is also an ordinary word."""
    if len(word) < 2 or word in blocked or word.startswith(("می\u200c", "نمی\u200c")):
        return False
    if "\u200c" in word:  # a half-spaced surname: حسین‌زاده، نیک‌اندیش; not a verb or a plural
        stem, _, part = word.rpartition("\u200c")
        if part in lexicons.surname_parts():
            return stem not in blocked
        # a stem that is a title of address makes a surname too (حجت‌الاسلامی)
        return (len(part) >= 3 and part not in blocked and (stem not in blocked or stem in stems)
                and part not in _AFFIXES and lexicons.frequency(word) < _FREQUENT)
    if followed_by_part:
        return True
    frequent = lexicons.frequency(word) >= _FREQUENT
    return not frequent if strict else not (frequent and not word.endswith("ی"))


def _attested_compound(text: str, first: str, second: str, blocked: frozenset[str]) -> bool:
    """Is "first second" one word written apart? True when the article also writes it
    joined or half-spaced (نیک نام ... نیک‌نام)."""
    if second in blocked or len(second) < 2:
        return False
    return re.search(rf"(?<![\w\u200c]){re.escape(first)}\u200c?{re.escape(second)}(?![\w\u200c])", text) is not None


def _second_surname_word(word: str, blocked: frozenset[str]) -> bool:
    """A rare word that may continue a surname (اندیش in نیک اندیش), not an ordinary word or a name."""
    return (_surname_ok(word, False, True, blocked) and word not in lexicons.given_names()
            and lexicons.frequency(word) < 50_000 and "\u200c" not in word)


def find_people(text: str, domain: Domain) -> list[PersonMention]:
    """Person names: optional titles, one or two given names, a surname (maybe in two parts).

    A given name from the curated list needs a surname that is not a frequent ordinary word
    (unless it ends like one: ...ی); one that is also an ordinary word (امید) or comes from the
    large registry list needs a surname that is known as one or rare."""
    rx, title_rx = _patterns(domain)
    strong = _given()[0]
    blocked, stems = non_surnames(domain), title_stems(domain)
    parts = lexicons.surname_parts()
    doubtful = lexicons.given_names_common_words()
    out: list[PersonMention] = []
    pos = 0

    def surname_at(at: int, strict: bool) -> tuple[int, int] | None:
        w = _WORD_AT.match(text, at)
        if not w:
            return None
        extra = _WORD_AT.match(text, w.end())
        if extra and w.group(1) not in blocked and (
                _APPOSITION_AFTER.match(text, extra.end()) and _second_surname_word(extra.group(1), blocked)
                or _attested_compound(text, w.group(1), extra.group(1), blocked)):
            return w.start(1), extra.end()  # a two-word surname: نیک اندیش، ... / نیک نام (نیک‌نام elsewhere)
        has_part = bool(extra and extra.group(1) in parts)
        if not _surname_ok(w.group(1), has_part, strict, blocked, stems):
            return None
        return (w.start(1), extra.end()) if has_part else (w.start(1), w.end())

    for m in rx.finditer(text):
        if m.start() < pos:
            continue
        found = _given_at(text, m.start("word"))
        if found is None:
            continue
        end, weak = found
        given_text = text[m.start("word"):end]
        strict = (given_text in doubtful or weak) and not m.group("titles")
        nxt = _WORD_AT.match(text, end)
        span = None
        if nxt and squash(nxt.group(1)) in strong:  # a compound given name: علی محمد، حمید رضا
            span = surname_at(nxt.end(), strict=False)
            if span:
                given_text = text[m.start("word"):nxt.end()]
        if span is None:
            span = surname_at(end, strict)
        if span is None or (weak and not _known_or_rare(text[span[0]:span[1]])):
            continue
        titles = tuple(t.strip() for t in title_rx.findall(m.group("titles")))
        out.append(PersonMention(start=m.start(), end=span[1], text=text[m.start():span[1]],
                                 given=given_text, surname=text[span[0]:span[1]], titles=titles))
        pos = span[1]
    return out


def _known_or_rare(surname: str) -> bool:
    """A surname after a weak given name: a known family name, or a word the corpus hardly knows."""
    return _surname_known(surname) and lexicons.frequency(surname) < 100_000 or lexicons.frequency(surname) < 1000


@lru_cache(maxsize=1)
def _squashed_surnames() -> frozenset[str]:
    return frozenset(squash(s) for s in lexicons.surnames())


def detect(doc: Document, config: Config) -> list[PersonMention]:
    return find_people(doc.text, packs.load(config.domain.packs))


# ---------------------------------------------------------------- resolution

def _surname_refs(doc: Document, people: dict[str, ArticlePerson]) -> list[tuple[Mention, str]]:
    """Later references by surname alone ("کریمی گفت", "دکتر کریمی")."""
    out: list[tuple[Mention, str]] = []
    taken = [(m.start, m.end) for p in people.values() for m in p.mentions]
    for key, p in people.items():
        rx = re.compile(rf"(?<![\w\u200c]){re.escape(p.surname)}(?![\w\u200c])")
        for m in rx.finditer(doc.text):
            if any(a <= m.start() < b for a, b in taken) or not doc.in_body(m.start(), m.end()):
                continue
            out.append((SurnameMention(start=m.start(), end=m.end(), text=m.group(0), person=key), key))
    return out


_ACCORDING_TO = re.compile(rf"(?<![\w\u200c])به\s+گفته\s+(?P<word>{WORD})")


@lru_cache(maxsize=4)
def _speaker_cues(domain: Domain) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A verb of speech, and a post's title right after a word."""
    speech = re.compile(rf"(?<![\w\u200c])(?:{alternation(domain.speech_verbs)})(?![\w\u200c])")
    titles = re.compile(rf"\s+(?:{alternation(t.fa for t in domain.titles if not t.needs_place)})(?![\w\u200c])")
    return speech, titles


def speaker_surnames(doc: Document, domain: Domain, people: dict[str, ArticlePerson]) -> list[PersonMention]:
    """People an article names by surname alone where a speaker stands: the word that opens a
    sentence whose verb reports speech («کوزگر همچنین ... افزود»), or stands right before a post
    («گازرانی مدیرکل ...»), and «به گفته X». The word must look like a surname: a known family
    name, or a word the corpus hardly knows, and none of the words a surname never is."""
    text, blocked = doc.text, non_surnames(domain)
    speech, titles = _speaker_cues(domain)
    known = {squash(p.surname) for p in people.values()}
    taken = [(m.start, m.end) for m in doc.mentions if not isinstance(m, (Sentence, Headline))]
    found: dict[int, PersonMention] = {}

    def add(w: re.Match) -> None:
        given, end = "", w.end()
        extra = _WORD_AT.match(text, end)
        if extra and extra.group(1) not in lexicons.surname_parts() and w.group(0) not in blocked \
                and _surname_known(extra.group(1)) and not _surname_known(f"{w.group(0)} {extra.group(1)}"):
            given, end = w.group(0), extra.end()  # «سلمان حسینی افزود»: a given name before a known surname
            extra = _WORD_AT.match(text, end)
        if extra and (extra.group(1) in lexicons.surname_parts() or _surname_known(f"{text[w.start():end]} {extra.group(1)}")):
            end = extra.end()  # خلیل زاده، حسین پور
        surname = text[w.start() + (len(given) + 1 if given else 0):end]
        if (squash(surname) in known or any(a < end and w.start() < b for a, b in taken)
                or not _surname_like(surname, blocked)):
            return
        found.setdefault(w.start(), PersonMention(start=w.start(), end=end, text=text[w.start():end], given=given,
                                                  surname=surname))

    for a, b in ((s.start, s.end) for s in doc.found(Sentence)):
        at = opening(text, a, b)
        w = _FIRST_WORD.match(text, at, b)
        if w and w.start() == at:
            colon = text.find(":", w.end(), b)
            clause_end = colon if colon >= 0 else b
            if speech.search(text, w.end(), clause_end) or titles.match(text, w.end()):
                add(w)
        for m in _ACCORDING_TO.finditer(text, a, b):
            add(_FIRST_WORD.match(text, m.start("word")))
    return [found[k] for k in sorted(found)]


def _surname_known(spaced: str) -> bool:
    return squash(spaced) in _squashed_surnames()


def _surname_like(word: str, blocked: frozenset[str]) -> bool:
    parts = re.split("[ \u200c]", word)
    if len(squash(word)) < 3 or parts[0] in blocked or word.startswith(("می", "نمی")):
        return False
    return _surname_known(word) or lexicons.frequency(word) < 1000 and not (
        len(parts) == 1 and word in lexicons.given_names())


def resolve(res: Resolution) -> None:
    people: dict[str, ArticlePerson] = {}
    for m in res.found(PersonMention):
        _add(people, m)
    for m in speaker_surnames(res.doc, res.domain, people):
        _add(people, m)
    refs = [(m, k) for k, p in people.items() for m in p.mentions] + _surname_refs(res.doc, people)
    res.provide(People(people, tuple(sorted(refs, key=lambda x: x[0].start))))


def _add(people: dict[str, ArticlePerson], m: PersonMention) -> None:
    name = f"{m.given} {m.surname}".strip()
    key = fold(name)
    p = people.setdefault(key, ArticlePerson(key, name, m.surname, m.titles))
    p.mentions.append(m)
    p.titles = tuple(dict.fromkeys(p.titles + m.titles))


def person(p: ArticlePerson) -> Person:
    return Person(key=p.key, label=p.name, titles=p.titles)


# ---------------------------------------------------------------- RDF

def _person(e: Person, q: Quads) -> None:
    s = labelled(e, q, T.kgo.Person)
    q.add(s, T.schema.name, fa(e.label))
    for t in e.titles:
        q.add(s, T.schema.honorificPrefix, fa(t))


REQUIRES: tuple[type, ...] = ()
ASSIGNS: tuple[type, ...] = (PersonMention, People)
QUADS: dict[type, Callable] = {Person: _person}
