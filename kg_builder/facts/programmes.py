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
from ..text.numbers import LIGHT_VERBS, MULT, SMALL, VAGUE_BEFORE, VERBAL_NOUNS, VERBS
from ..text.patterns import SEP, WORD, B, E, alternation, keyed, lookup, squash
from .base import Quads, Resolution, T, labelled
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

@dataclass(frozen=True)
class _Lexicon:
    """What ends, joins and opens a programme's name, compiled from the packs."""

    cue_rx: re.Pattern[str]
    cue_class: dict[str, str]
    known_rx: re.Pattern[str] | None
    known: dict
    stop: frozenset[str]
    cue_words: frozenset[str]
    joiners: frozenset[str]
    openers: frozenset[str]
    links: frozenset[str]
    preverbs: frozenset[str]
    phrases: frozenset[tuple[str, ...]]
    owner_rx: re.Pattern[str] | None


@lru_cache(maxsize=4)
def _lexicon(domain: Domain) -> _Lexicon:
    cues = {c.fa: c.cls for c in domain.programme_cues}
    # a cue word, perhaps with its ezafe written (سامانه‌ی X), not a plural (طرح‌های)
    cue_rx = re.compile(rf"{B}(?P<cue>{alternation(cues, True)})(?:(?<=ه)[\u200c ]ی)?{E}(?!{SEP}(?:ها|های|هایی){E})")
    known = {k.fa: k for k in domain.known_programmes}
    known_rx = re.compile(rf"{B}(?P<name>{alternation(known, True)}){E}") if known else None
    forms = [f for b in domain.bodies for f in b.forms]  # a body's name ends a programme's (it runs it)
    owner_rx = re.compile(rf"\s*(?P<owner>{alternation(forms)}){E}") if forms else None
    return _Lexicon(cue_rx, keyed(cues), known_rx, keyed(known),
                    frozenset(domain.programme_stop), frozenset(c.split()[0] for c in cues),
                    frozenset(domain.programme_joiners), frozenset(domain.programme_slogan_openers),
                    frozenset(domain.programme_slogan_links),
                    frozenset(squash(w) for w in (*domain.programme_preverbs, *VERBAL_NOUNS)),
                    frozenset(tuple(squash(w) for w in p.split()) for p in domain.programme_phrases), owner_rx)


_DEMONSTRATIVE_BEFORE = re.compile(r"(?<![\w\u200c])(?:این|آن|همین|همان|هر)\s+$")
# a number before the cue word counts projects (۱۶ طرح اشتغال، سه طرح): not a name
_NUMBER_BEFORE = re.compile(
    rf"(?:(?P<digits>\d+)|(?<![\w\u200c])(?:{alternation([*SMALL, *MULT, *VAGUE_BEFORE])}))[\s\u200c]*$")

_QUOTES = "«»\"“”„‟‘’‚‛‹›'"
_QUOTED = re.compile(rf"\s*[{_QUOTES}]([^{_QUOTES}\n]{{2,80}})[{_QUOTES}]")
_QUOTE_OR_LINE_END = re.compile(rf"[{_QUOTES}\n]")
_NAME_PUNCT = re.compile(r"[.:؛;!?؟]")  # a quote with these is speech, not a name
_NEXT_WORD = re.compile(rf"\s*({WORD})")


def _year(digits: str) -> bool:
    """«سال ۱۴۰۲ طرح ...»: a year, not a count."""
    return len(digits) == 4 and (1300 <= int(digits) < 1500 or 1900 <= int(digits) < 2100)


def _light_verb(text: str, w: re.Match, lex: _Lexicon) -> bool:
    """Whether the word ``w`` (with a following one for «می شود») is a light verb (شد، کرد، داد ...),
    or a compound verb written as one word (انتخاب‌شده‌اند; not a participle: رها‌شده)."""
    word = squash(w.group(1))
    if word in LIGHT_VERBS:
        return True
    parts = w.group(1).split("\u200c")
    for i in range(1, len(parts)):
        rest = "".join(parts[i:])
        if rest in LIGHT_VERBS and not rest.endswith("ه"):
            return True
    if word in ("می", "نمی"):
        nxt = _NEXT_WORD.match(text, w.end())
        return bool(nxt) and word + squash(nxt.group(1)) in LIGHT_VERBS
    return False


def _carries_on(text: str, pos: int, lex: _Lexicon) -> re.Match | None:
    """The word at ``pos`` if a name may go on with it (not a stop word, a cue word, a verb or a body's name)."""
    w = _NEXT_WORD.match(text, pos)
    if not w or w.group(1) in lex.stop or w.group(1) in lex.cue_words or _light_verb(text, w, lex) \
            or (lex.owner_rx and lex.owner_rx.match(text, pos)):
        return None
    return w


def _name_end(text: str, start: int, cls: str, lex: _Lexicon, max_words: int) -> int | None:
    """Where the name that runs from ``start`` (just after its cue word) ends; None if no name."""
    words: list[re.Match] = []
    slogan = linked = joined = False
    end = start
    while len(words) < max_words:
        o = lex.owner_rx.match(text, end) if lex.owner_rx else None
        if o:  # a body's name ends the programme's; a system may be named by its owner alone
            if not words and cls == "ServiceSystem":
                return o.end()
            break
        w = _NEXT_WORD.match(text, end)
        if not w:
            break
        word = w.group(1)
        if words and word in lex.cue_words:
            break  # another programme begins (طرح X و پویش Y)
        if word in lex.joiners and len(words) == 1 and not joined and _carries_on(text, w.end(), lex):
            joined = True  # two words joined into one name: امداد و نجات
            end = w.end()
            continue
        if not words and word in lex.openers:
            slogan = True  # پویش هر ... یک ...
        elif slogan and word in lex.links:
            linked = True
        elif _light_verb(text, w, lex) or (word in lex.stop and squash(word) in VERBS):
            if words and squash(words[-1].group(1)) in lex.preverbs:
                words.pop()  # خبر داد، فعال شد، ادامه دارد: the verb's, not the name's
            break
        elif word in lex.stop or word.startswith(("می\u200c", "نمی\u200c")):
            phrase = _phrase(text, words, w, lex)
            if not phrase:
                break
            words.extend(phrase)  # پیشگیری از ...، مشاوره پیش از ...
            end = phrase[-1].end()
            continue
        words.append(w)
        end = w.end()
    if slogan and not (linked and words[-1].group(1) not in lex.links):
        return None  # not a slogan, a determiner: طرح هر بخش، پویش هر سال
    while words and (words[-1].group(1) in lex.stop or words[-1].group(1) in lex.links):
        words.pop()  # a phrase or slogan the window cut: its words are not the name's end
    return words[-1].end() if words else None


def _phrase(text: str, words: list[re.Match], w: re.Match, lex: _Lexicon) -> list[re.Match] | None:
    """The stop word ``w`` (and the next word) when it completes a phrase of the pack that the
    name goes on after (پیشگیری «از» اعتیاد، «پیش از» ازدواج), or None."""
    if not words:
        return None
    word = squash(w.group(1))
    if (squash(words[-1].group(1)), word) in lex.phrases:
        taken = [w]
    else:
        nxt = _NEXT_WORD.match(text, w.end())
        if not nxt or (word, squash(nxt.group(1))) not in lex.phrases:
            return None
        taken = [w, nxt]
    return taken if _carries_on(text, taken[-1].end(), lex) else None


def find_programmes(text: str, domain: Domain, max_words: int) -> list[ProgrammeMention]:
    lex = _lexicon(domain)
    out: list[ProgrammeMention] = []
    for m in lex.cue_rx.finditer(text):
        if _DEMONSTRATIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "این طرح ...": a reference back, not a name
        n = _NUMBER_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if n and not (n.group("digits") and _year(n.group("digits"))):
            continue  # "۱۶ طرح اشتغال": a count of projects
        cls = lex.cue_class[squash(m.group("cue"))]
        inside = _inside_quotes(text, m, lex, max_words)
        if inside:  # «پویش X»: the quoted name, whatever words it holds
            out.append(ProgrammeMention(start=m.start(), end=inside, text=m.group("cue") + text[m.end():inside],
                                        cls=cls))
            continue
        q = _quoted(text, m.end(), lex, max_words)
        if q:  # طرح «X» or طرح "X"
            out.append(ProgrammeMention(start=m.start(), end=q[1], text=f"{m.group('cue')} {q[0]}", cls=cls))
            continue
        end = _name_end(text, m.end(), cls, lex, max_words)
        if end is None:
            continue
        k = lex.known_rx.search(text, m.end(), end) if lex.known_rx else None
        if k:  # a known name inside ends the name (طرح نهضت ملی مسکن ...)
            end = k.end()
        name = m.group("cue") + text[m.end():end]
        q = _quoted(text, end, lex, max_words) if len(text[m.end():end].split()) <= 2 else None
        if q:  # پویش مردمی «X»: a word or two, then the quoted name
            name, end = f"{name} {q[0]}", q[1]
        out.append(ProgrammeMention(start=m.start(), end=end, text=name, cls=cls))
    # names known without a cue word: نهضت ملی مسکن، صدای مشاور (not an occasion: دهه کرامت)
    for m in lex.known_rx.finditer(text) if lex.known_rx else ():
        k = lookup(m.group("name"), lex.known)
        if not k.alone:
            continue
        out.append(ProgrammeMention(start=m.start(), end=m.end(), text=m.group("name"), cls=k.cls, known=k.fa))
    return out


def _is_name(inner: str, lex: _Lexicon, max_words: int) -> bool:
    """Whether quoted words are a name rather than quoted speech (which has punctuation or a verb)."""
    return bool(inner.strip()) and not _NAME_PUNCT.search(inner) and len(inner.split()) <= max_words + 2 \
        and not any(_light_verb(inner, w, lex) or squash(w.group(1)) in VERBS
                    or w.group(1).startswith(("می\u200c", "نمی\u200c")) for w in _NEXT_WORD.finditer(inner))


def _quoted(text: str, pos: int, lex: _Lexicon, max_words: int) -> tuple[str, int] | None:
    """The quoted name that opens at ``pos`` (spaces aside) and its end, or None."""
    q = _QUOTED.match(text, pos)
    return (q.group(1).strip(), q.end()) if q and _is_name(q.group(1), lex, max_words) else None


def _inside_quotes(text: str, cue: re.Match, lex: _Lexicon, max_words: int) -> int | None:
    """The end of a quoted name that opens with its cue word («پویش X»), or None."""
    line = text[text.rfind("\n", 0, cue.start()) + 1:cue.start()]
    before = line.rstrip()
    if not before or before[-1] not in _QUOTES or sum(ch in _QUOTES for ch in line) % 2 == 0:
        return None  # no quote mark right before, or it closes an earlier quote
    close = _QUOTE_OR_LINE_END.search(text, cue.end())
    if not close or text[close.start()] == "\n" or not _is_name(text[cue.end():close.start()], lex, max_words):
        return None
    return cue.end() + len(text[cue.end():close.start()].rstrip())


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


def _words(name: str, qualifiers: frozenset[str]) -> tuple[str, ...]:
    """The words that say which programme a name names: a qualifier after the cue word does
    not make another one (طرح ملی X and طرح X, پویش سراسری X and پویش X)."""
    words = [squash(w) for w in name.split(" ")]
    if len(words) > 2 and words[1] in qualifiers:
        del words[1]
    return tuple(words)


def resolve(res: Resolution) -> None:
    line = res.need(HotlineSpans).spans
    # a name that opens inside the line's (سامانه ۱۲۳، سامانه اورژانس اجتماعی) is the line; one
    # that holds it (طرح توسعه اورژانس اجتماعی) is a programme of its own
    found = [m for m in res.found(ProgrammeMention) if not any(a <= m.start < b for a, b in line)]
    qualifiers = frozenset(res.domain.programme_qualifiers)
    names = [(m, re.sub(r"\s+", " ", m.text).strip()) for m in _outermost(found)]
    words = {m: (fold(m.known),) if m.known else _words(name, qualifiers) for m, name in names}
    # a shorter name whose words begin one longer name of the article (its headline's «طرح
    # غربالگری» and the body's «طرح غربالگری شنوایی نوزادان») is that programme
    longer = {w: {v for v in words.values() if len(v) > len(w) and v[:len(w)] == w} for w in words.values()}
    keys = {}
    for m, _ in names:
        w = words[m]
        if len(w) > 1 and len(longer[w]) == 1 and all(not longer[v] for v in longer[w]):
            w = next(iter(longer[w]))
        keys[m] = fold("".join(w))
    # the name the article uses for each programme: the fullest form it writes (a headline's
    # «طرح X» and the body's «طرح ملی X» are one programme, named once)
    fullest: dict[str, str] = {}
    for m, name in names:
        if len(squash(name)) > len(squash(fullest.get(keys[m], ""))):
            fullest[keys[m]] = name
    for m, name in names:
        full = fullest[keys[m]]
        e = res.add(CLASSES[m.cls](key=keys[m], label=m.known or full))
        res.name(e, m, name if squash(name) == squash(full) else None)


# ---------------------------------------------------------------- RDF

def _programme(cls) -> Callable[[Programme, Quads], None]:
    def add(e: Programme, q: Quads) -> None:
        labelled(e, q, cls)
    return add


REQUIRES: tuple[type, ...] = (HotlineSpans,)
ASSIGNS: tuple[type, ...] = (ProgrammeMention, Programme)
QUADS: dict[type, Callable] = {Programme: _programme(T.kgo.Programme), Campaign: _programme(T.kgo.Campaign),
                               ServiceSystem: _programme(T.kgo.ServiceSystem)}
