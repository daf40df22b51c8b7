"""Jalali (Solar Hijri) dates in Persian news text, and telling the publication date.

Recognised forms (digits may be ASCII or Persian/Arabic-Indic; letters ی/ک or ي/ك):

* textual: ``[weekday[،]] DAY MONTH [ماه] [[سال] YEAR [ه.ش]]`` e.g. ``پنجشنبه ۳ آبان ۱۴۰۳``,
  ``۲۳ تیرماه ۹۸``, ``۲۲ تیر`` (no year: ``year`` and ``gregorian`` are None);
* month and year without a day: ``MONTH [ماه] [سال] YYYY`` e.g. ``خرداد ۱۴۰۲`` (``day`` None);
  ``دی`` and ``مهر`` are ordinary words too, so they need ``ماه`` in this form;
* numeric: ``YYYY/MM/DD``, ``YYYY-MM-DD``, ``YYYY.MM.DD`` and the reversed ``DD/MM/YYYY``
  (four-digit year 1200-1499, one separator kind per date);
* an optional time ``HH:MM[:SS]`` right after the date (after ``-``, ``،``, ``|`` or
  ``ساعت``) or right before it (``۱۳:۰۱ - ۱۳۹۸/۰۴/۲۳``) sets ``has_time``.

The span of a ``JalaliDate`` covers the whole expression: weekday, date and time.

Two-digit years: ``yy >= 50`` means ``13yy`` and ``yy < 50`` means ``14yy`` (so ``۹۸`` is 1398
and ``۰۲`` is 1402). A two-digit number followed by a counting word (``نفر``, ``درصد``...) is
not taken as a year.

Offsets are never changed: the text is folded one character for one (``letters.fold``:
digits to ASCII, Arabic letter variants to Persian) before matching.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

import jdatetime

from .letters import fold  # digits to ASCII, Arabic letter variants to Persian; re-exported

__all__ = ["JalaliDate", "find_dates", "publication_date", "fold", "MONTHS", "WEEKDAYS"]


MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
          "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")

# Spelling variants seen in the wild (after folding): missing madda, "امرداد", spaces.
_MONTH_PATTERNS = {
    1: "فروردین",
    2: "اردی[\u200c ]?بهشت",
    3: "خرداد",
    4: "تیر",
    5: "ا?مرداد",
    6: "شهریور",
    7: "مهر",
    8: "[آا]بان",
    9: "[آا]ذر",
    10: "دی",
    11: "بهمن",
    12: "اسفند",
}
_AMBIGUOUS_MONTHS = {7, 10}  # مهر (agency, "kindness"), دی (ordinary syllable)

WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")
_WEEKDAY_RX = r"(?:(?:یک|دو|سه|چهار|پنج)[\u200c ]?)?شنبه|جمعه"

_L = r"\w\u200c\u064B-\u065F"  # characters that continue a word (not "،")
_NB = rf"(?<![{_L}])"  # no word character before
_NA = rf"(?![{_L}])"  # no word character after

_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
_TIME_AFTER = rf"(?P<ta>[ \t]*(?:[-–—،,|][ \t]*)?(?:ساعت[ \t]*)?{_TIME}(?![\d:]))"
_TIME_BEFORE = rf"(?P<tb>(?<![\d:]){_TIME}[ \t]*(?:[-–—،,|][ \t]*)?)"
_WEEKDAY = rf"(?P<wd>{_NB}(?:{_WEEKDAY_RX}){_NA}[ \t]*[،,]?[ \t]*(?:مورخ[ \t]*)?)"
_ERA = r"(?:[ \t]*(?:هجری[ \t\u200c]*شمسی|ه[ـ]?\.?[ \t]*ش\.?|شمسی)(?![^\W\d_]))"
_COUNT_WORDS = ("نفر", "درصد", "هزار", "میلیون", "میلیارد", "واحد", "مورد", "سال", "روز",
                "ساعت", "دقیقه", "تن", "کیلو", "متر", "ریال", "تومان", "خانوار", "مرکز")
_NOT_COUNT = r"(?![ \t\u200c]*(?:" + "|".join(_COUNT_WORDS) + r")(?![^\W\d_]))"

_MONTH_ALT = "|".join(f"(?P<m{n}>{p})" for n, p in _MONTH_PATTERNS.items())
_MAH = r"(?P<mah>[ \t\u200c]*ماه)?"
_YEAR = (rf"(?:[ \t\u200c]+(?:سال[ \t]+)?(?:(?P<y4>1[2-4]\d\d)(?!\d)|(?P<y2>\d\d)(?![\d/:.]){_NOT_COUNT})"
         rf"|[ \t]*[،,][ \t]*(?P<y4c>1[2-4]\d\d)(?!\d)){_ERA}?")

_TEXTUAL = re.compile(
    rf"{_TIME_BEFORE}?{_WEEKDAY}?(?<![\d/:.])(?P<day>[0-3]?\d)(?!\d)[ \t\u200c]*"
    rf"(?:{_MONTH_ALT}){_MAH}{_NA}(?:{_YEAR})?{_TIME_AFTER}?"
)
_MONTH_YEAR = re.compile(
    rf"{_NB}(?:{_MONTH_ALT}){_MAH}[ \t\u200c]+(?:سال[ \t]+)?(?P<y4>1[2-4]\d\d)(?!\d){_ERA}?"
)
_NUMERIC = re.compile(
    rf"{_TIME_BEFORE}?{_WEEKDAY}?(?<![\d/.\-:])"
    r"(?:(?P<y>1[2-4]\d\d)(?P<s>[/\-.])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)"
    r"|(?P<d2>[0-3]?\d)(?P<s2>[/\-.])(?P<m2>[01]?\d)(?P=s2)(?P<y2>1[2-4]\d\d))"
    rf"(?![\d/\-]|\.\d){_TIME_AFTER}?"
)


@dataclass(frozen=True)
class JalaliDate:
    """A Jalali date expression found in the text; span covers weekday, date and time."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    gregorian: datetime.date | None
    has_time: bool
    weekday: str | None

    @property
    def iso(self) -> str | None:
        """``YYYY-MM-DD`` in the Jalali calendar, or None without year and day."""
        if self.year is None or self.day is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _two_digit_year(yy: int) -> int:
    return 1300 + yy if yy >= 50 else 1400 + yy


def _valid(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    limit = 31 if month <= 6 else 30
    if not 1 <= day <= limit:
        return False
    if year is not None and month == 12 and day == 30:
        return jdatetime.date(year, 1, 1).isleap()
    return True


def _gregorian(year: int | None, month: int, day: int | None) -> datetime.date | None:
    if year is None or day is None:
        return None
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        return None


def _weekday(m: re.Match[str]) -> str | None:
    wd = m.group("wd")
    if not wd:
        return None
    word = re.match(_WEEKDAY_RX, wd).group(0).replace(" ", "").replace("\u200c", "")
    return "سه‌شنبه" if word == "سهشنبه" else word


def _month_of(m: re.Match[str]) -> int:
    return next(n for n in _MONTH_PATTERNS if m.group(f"m{n}"))


def _candidates(folded: str) -> list[JalaliDate]:
    found: list[JalaliDate] = []
    invalid: list[tuple[int, int]] = []  # "۳۰ اسفند ۱۴۰۲" must not fall back to "اسفند ۱۴۰۲"
    for m in _TEXTUAL.finditer(folded):
        month, day = _month_of(m), int(m.group("day"))
        year: int | None = None
        if m.group("y4") or m.group("y4c"):
            year = int(m.group("y4") or m.group("y4c"))
        elif m.group("y2"):
            year = _two_digit_year(int(m.group("y2")))
        if not _valid(year, month, day):
            invalid.append(m.span())
            continue
        found.append(JalaliDate(m.start(), m.end(), year, month, day, _gregorian(year, month, day),
                                bool(m.group("tb") or m.group("ta")), _weekday(m)))
    for m in _MONTH_YEAR.finditer(folded):
        month = _month_of(m)
        if month in _AMBIGUOUS_MONTHS and not m.group("mah"):
            continue
        if any(s < m.end() and m.start() < e for s, e in invalid):
            continue
        year = int(m.group("y4"))
        found.append(JalaliDate(m.start(), m.end(), year, month, None, None, False, None))
    for m in _NUMERIC.finditer(folded):
        if m.group("y"):
            year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            year, month, day = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        if not _valid(year, month, day):
            continue
        found.append(JalaliDate(m.start(), m.end(), year, month, day, _gregorian(year, month, day),
                                bool(m.group("tb") or m.group("ta")), _weekday(m)))
    return found


def find_dates(text: str) -> list[JalaliDate]:
    """All Jalali date expressions in ``text``, in order, without overlaps (longest wins)."""
    folded = fold(text)
    cands = sorted(_candidates(folded), key=lambda d: (d.start, -(d.end - d.start)))
    out: list[JalaliDate] = []
    for d in cands:
        if out and d.start < out[-1].end:
            continue
        out.append(d)
    return out


# --------------------------------------------------------------------------- publication

_PUB_LABEL = re.compile(
    r"(?:تاریخ|زمان)[ \u200c]*(?:انتشار|خبر|درج|ثبت)|منتشر[ \u200c]*(?:شده|شد)|"
    r"انتشار[ \t]*:|تاریخ[ \t]*:|کد[ \u200c]*خبر(?![^\W\d_])|شناسه[ \u200c]*خبر"
)
_UPDATE_LABEL = re.compile(r"به[ \u200c]*روز[ \u200c]*(?:رسانی|شده)|ویرایش|بروزرسانی")
_TODAY_LABEL = re.compile(r"امروز")
_WORD = re.compile(r"[^\W\d_][\w\u200c]*")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _neighbour_lines(text: str, ls: int, le: int) -> str:
    """The nearest non-blank line above and below (the label may sit on its own line)."""
    parts = []
    before = text[:ls].rstrip()
    if before:
        s, e = _line_bounds(text, len(before) - 1)
        parts.append(text[s:e])
    after_start = le + 1
    rest = text[after_start:]
    stripped = rest.lstrip()
    if stripped:
        p = after_start + (len(rest) - len(stripped))
        s, e = _line_bounds(text, p)
        parts.append(text[s:e])
    return "\n".join(parts)


def _overlaps(span: tuple[int, int], ranges: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in ranges)


# A Gregorian ISO date opening the text, possibly labelled (`` date 2025-11-29``, ``تاریخ: 2024/05/12``):
# stored copies of pages and feeds put the page's date first.
_LEADING_GREGORIAN = re.compile(
    r"\A[\s\ufeff]*(?:(?:date|published|تاریخ(?:[ \u200c]*انتشار)?)[ \t]*[:：]?[ \t]*)?"
    r"(?P<y>(?:19|20)\d\d)(?P<s>[-/.])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)(?![\d/\-.:]\d|\d)",
    re.IGNORECASE,
)


def _leading_gregorian(folded: str) -> JalaliDate | None:
    m = _LEADING_GREGORIAN.match(folded)
    if not m:
        return None
    try:
        g = datetime.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    j = jdatetime.date.fromgregorian(date=g)
    return JalaliDate(m.start("y"), m.end("d"), j.year, j.month, j.day, g, False, None)


def publication_date(text: str, body: Sequence[tuple[int, int]] = ()) -> JalaliDate | None:
    """The article's publication date, or None when no date in ``text`` qualifies.

    A Gregorian date (``YYYY-MM-DD``, four-digit year 1900-2099) that opens the text, alone or
    after a ``date`` / ``تاریخ`` label, is the date the page carries and wins outright (the
    Jalali fields are its conversion). Otherwise:

    Only full dates (day, month, year) are considered. A date qualifies when it carries a
    time, sits next to a publication label (``تاریخ انتشار``, ``منتشر شده``, ``کد خبر``...) on
    its line or an adjacent one, or stands alone on a line outside the ``body`` ranges.
    A date inside a sentence (its line has five or more other words and no label) is a
    mention and never qualifies, nor does a date labelled ``امروز`` (a site's "today").
    Among qualifying dates the best scored wins (label 3, time 2, alone on a line 1, outside
    the body 1; an update label costs 2); ties go to the earliest.
    """
    folded = fold(text)
    leading = _leading_gregorian(folded)
    if leading:
        return leading
    best: tuple[int, int, JalaliDate] | None = None
    for d in find_dates(text):
        if d.year is None or d.day is None or d.gregorian is None:
            continue
        ls, le = _line_bounds(folded, d.start)
        le = max(le, _line_bounds(folded, max(d.end - 1, d.start))[1])
        rest = folded[ls:d.start] + " " + folded[d.end:le]
        same_label = bool(_PUB_LABEL.search(rest))
        if _TODAY_LABEL.search(rest):
            continue
        words = len(_WORD.findall(_PUB_LABEL.sub(" ", rest)))
        if words >= 5 and not same_label:
            continue  # a mention inside a sentence
        near_label = same_label or (words <= 2 and bool(_PUB_LABEL.search(
            _neighbour_lines(folded, ls, le))))
        alone = words <= 2
        inside = _overlaps((d.start, d.end), body)
        if not (d.has_time or near_label or (alone and not inside)):
            continue
        score = 3 * near_label + 2 * d.has_time + alone + (not inside)
        if _UPDATE_LABEL.search(rest):
            score -= 2
        if best is None or score > best[0]:
            best = (score, -d.start, d)
    return best[2] if best else None
