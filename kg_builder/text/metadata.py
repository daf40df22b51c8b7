"""Article metadata that often lives in the page chrome: news code and reporting outlet.

``news_code``: the first ``کد خبر`` / ``کدخبر`` / ``شناسه خبر`` / ``کد مطلب`` / ``شماره خبر``
followed (after an optional colon, possibly on the next line) by digits. ``کد خبرنگار`` (the
reporter's code) is not a news code.

``agency``: the outlet that reports the article, found in one of these places (the earliest
in the text wins):

* a byline ``به گزارش [خبرنگار|گروه ...|سرویس ...] X``, where X is
  - a known outlet (``kg_builder/resources/agencies.json``; bare names that are ordinary
    words such as ``مهر`` or ``فارس`` count only here or in a dateline), returned under its
    canonical name;
  - ``خبرگزاری W`` for an unknown W: only the first word of the name is taken, since what
    follows is usually the bureau's city or province (``خبرگزاری W قزوین``);
  - a public-relations or information office (``روابط عمومی ...``, ``پایگاه اطلاع رسانی ...``):
    the whole office name up to the comma (at most twelve words);
  - ``پایگاه خبری`` / ``روزنامه`` / ``سایت`` + name (up to two words);
* a dateline at the start of a line: ``شهر - ایرنا -`` or ``شهر (ایرنا) -`` with a known outlet;
* failing both, a ``منبع: X`` line.

The returned span covers the mention in the text; when the canonical name occurs inside
the mention the span is narrowed to it, so ``text[start:end]`` equals the name whenever the
page spells it that way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg_builder.text.letters import fold

__all__ = ["news_code", "agency", "Agency", "agencies"]

_NB = r"(?<![\w\u200c])"
_NA = r"(?![\w\u200c])"
_GAP = r"[ \t\u200c]+"

_NEWS_CODE = re.compile(
    rf"{_NB}(?:کد|شناسه|شماره){_GAP.replace('+', '*')}(?:خبر|مطلب){_NA}[ \t\u200c]*[:：]?"
    r"[ \t\u200c]*(?:\r?\n[ \t\u200c]*)?(?P<code>\d+)(?!\d)"
)


def news_code(text: str) -> tuple[str, int, int] | None:
    """The article's news code as ASCII digits with the span of its digits, or None."""
    m = _NEWS_CODE.search(fold(text))
    if not m:
        return None
    return m.group("code"), m.start("code"), m.end("code")


# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class Agency:
    """A news outlet from the shipped list."""

    name: str
    en: str
    variants: tuple[str, ...]
    ambiguous: bool = False


def _loose(phrase: str) -> str:
    """Regex for a phrase whose spaces and ZWNJs may be missing, doubled or swapped."""
    words = re.split(r"[ \u200c]+", fold(phrase).strip())
    return r"[ \t\u200c]*".join(re.escape(w) for w in words)


def _key(phrase: str) -> str:
    return re.sub(r"[\s\u200c]+", "", fold(phrase))


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    """The outlets of ``resources/agencies.json``."""
    raw = resources.files("kg_builder.resources").joinpath("agencies.json").read_text("utf-8")
    data = json.loads(raw)
    return tuple(
        Agency(a["name"], a["en"], tuple(a.get("variants", ())), bool(a.get("ambiguous", False)))
        for a in data["agencies"]
    )


@lru_cache(maxsize=1)
def _variant_index() -> tuple[re.Pattern[str], dict[str, Agency]]:
    index: dict[str, Agency] = {}
    for a in agencies():
        for v in (a.name, *a.variants):
            index.setdefault(_key(v), a)
    phrases = sorted({v for a in agencies() for v in (a.name, *a.variants)}, key=_key)
    phrases.sort(key=lambda v: -len(_key(v)))  # longest first: "خبرگزاری مهر" before "مهر"
    rx = re.compile(rf"[«\"]?(?P<v>{'|'.join(_loose(v) for v in phrases)}){_NA}[»\"]?")
    return rx, index


def _known_at(folded: str, pos: int) -> tuple[Agency, int, int] | None:
    rx, index = _variant_index()
    m = rx.match(folded, pos)
    if not m:
        return None
    return index[_key(m.group("v"))], m.start("v"), m.end("v")


_TOKEN = re.compile(r"[^\s،,.:;؛()«»\"!?؟\-–—/]+(?:\u200c[^\s،,.:;؛()«»\"!?؟\-–—/]+)*")
_BYLINE = re.compile(rf"{_NB}به[ \t\u200c]*گزارش{_NA}")
_SEGMENT_END = re.compile(r"[،,.:;؛\n(]| [-–—] ")
_FILLER_START = {"خبرنگار", "خبرنگاران", "گروه", "سرویس", "حوزه", "تحریریه", "دبیرخانه", "واحد"}
_STOP = {"از", "در", "به", "با", "که", "و", "استان", "شهرستان", "شهر", "منطقه", "نقل", "تا", "برای"}
_FILLER_STOP = {"از", "در", "به", "با", "که", "و", "برای", "تا"}
_PR_START = re.compile(
    r"(?:حوزه[ \u200c]*)?روابط[ \u200c]*عمومی|(?:پایگاه|مرکز|شبکه)[ \u200c]*اطلاع[ \u200c]*رسانی|"
    r"اداره[ \u200c]*کل[ \u200c]*ارتباطات|ستاد[ \u200c]*خبری|دفتر[ \u200c]*ارتباطات"
)
_OUTLET_TYPE = re.compile(
    r"پایگاه[ \u200c]*خبری(?:[ \u200c]*تحلیلی)?|روزنامه|هفته[ \u200c]*نامه|ماهنامه|سایت|وبسایت|"
    r"وب[ \u200c]*سایت|شبکه|رادیو|پایگاه"
)
_AGENCY_WORD = re.compile(r"خبرگزاری")


def _result(a: Agency, start: int, end: int, folded: str) -> tuple[str, int, int]:
    """Canonical name; span narrowed to the name when the mention spells it."""
    m = re.compile(_loose(a.name) + _NA).search(folded, start, end)
    if m and m.end() <= end:
        return a.name, m.start(), m.end()
    return a.name, start, end


def _tokens(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(folded, start, end)]


def _words_until_stop(text: str, toks: list[tuple[int, int]], i: int, most: int,
                      stops: set[str]) -> int:
    """Index after the last token taken from ``toks[i:]`` (at most ``most``, none in ``stops``)."""
    j = i
    while j < len(toks) and j - i < most and text[toks[j][0]:toks[j][1]] not in stops:
        j += 1
    return j


def _from_byline(text: str, folded: str, pos: int) -> tuple[str, int, int] | None:
    seg_end_m = _SEGMENT_END.search(folded, pos)
    seg_end = seg_end_m.start() if seg_end_m else len(folded)
    toks = _tokens(folded, pos, seg_end)[:14]
    if not toks:
        return None
    words = [folded[s:e] for s, e in toks]
    reach = 5 if words[0] in _FILLER_START else 1
    for i in range(min(reach, len(toks))):
        if i > 0 and words[i] in _FILLER_STOP:
            return None
        s = toks[i][0]
        rest = folded[s:seg_end]
        known = _known_at(folded, s)
        if known and known[2] <= seg_end:
            return _result(known[0], known[1], known[2], folded)
        if _AGENCY_WORD.match(rest) and i + 1 < len(toks):
            known = _known_at(folded, toks[i + 1][0])
            if known and known[2] <= seg_end:
                return _result(known[0], s, known[2], folded)
            if words[i + 1] not in _STOP:
                return text[s:toks[i + 1][1]], s, toks[i + 1][1]
            return None
        pr = _PR_START.match(rest)
        if pr:
            j = _words_until_stop(folded, toks, i, 12, set())
            if seg_end_m is None or seg_end_m.group() != "،" and seg_end_m.group() != ",":
                j = _words_until_stop(folded, toks, i, 8, {"در", "با", "که", "از"})
            return text[s:toks[j - 1][1]], s, toks[j - 1][1]
        ot = _OUTLET_TYPE.match(rest)
        if ot:
            k = next((n for n, (a, _b) in enumerate(toks) if a >= s + ot.end()), len(toks))
            if k < len(toks):
                known = _known_at(folded, toks[k][0])
                if known and known[2] <= seg_end:
                    return _result(known[0], s, known[2], folded)
                j = _words_until_stop(folded, toks, k, 2, _STOP)
                if j > k:
                    return text[s:toks[j - 1][1]], s, toks[j - 1][1]
            return None
    return None


_DATELINE = re.compile(
    r"^[ \t]*(?:[^\W\d_][\w\u200c]*[ \t]+){0,2}[^\W\d_][\w\u200c]*[ \t]*(?:[-–—][ \t]*|\([ \t]*)"
    r"(?P<rest>.)",
    re.MULTILINE,
)
_SOURCE = re.compile(r"^[ \t]*منبع[ \t]*[:：][ \t]*(?P<rest>[^\n]+)$", re.MULTILINE)


def _from_dateline(folded: str, m: re.Match[str]) -> tuple[str, int, int] | None:
    known = _known_at(folded, m.start("rest"))
    if not known:
        return None
    after = folded[known[2]:known[2] + 3]
    if not re.match(r"[ \t]*[-–—)]", after):
        return None
    return _result(known[0], known[1], known[2], folded)


def agency(text: str) -> tuple[str, int, int] | None:
    """The reporting outlet (name, start, end), or None when the text names none."""
    folded = fold(text)
    found: list[tuple[int, tuple[str, int, int]]] = []
    for m in _BYLINE.finditer(folded):
        hit = _from_byline(text, folded, m.end())
        if hit:
            found.append((m.start(), hit))
            break
    for m in _DATELINE.finditer(folded):
        hit = _from_dateline(folded, m)
        if hit:
            found.append((m.start(), hit))
            break
    if found:
        return min(found)[1]
    for m in _SOURCE.finditer(folded):
        s = m.start("rest")
        known = _known_at(folded, s)
        if known:
            return _result(known[0], known[1], known[2], folded)
        toks = _tokens(folded, s, m.end("rest"))
        if 0 < len(toks) <= 5:
            return text[toks[0][0]:toks[-1][1]], toks[0][0], toks[-1][1]
    return None
