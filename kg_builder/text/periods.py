"""Periods a sentence gives a figure: Jalali years, ranges of years, and relative periods.

``find_periods(text, today)`` returns ``Period(start, end, first, last, phrase)`` where
``first``/``last`` are Gregorian dates (the whole Jalali year for "سال ۱۴۰۲") and
``start``/``end`` the span of the phrase. Relative phrases (سال گذشته، امسال، از ابتدای
سال، سه سال اخیر) need the article's date and are skipped without one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime

from .numbers import parse_number

_YEAR = r"(?P<{name}>1[34]\d\d|\d\d)(?![\d/])"
_SEP = r"[ \u200c]*"
_RANGE = re.compile(
    rf"از{_SEP}(?:ابتدای{_SEP})?سال(?:{_SEP}های)?\s+{_YEAR.format(name='y1')}\s*(?:تا|الی|-|–)\s*"
    rf"(?:پایان{_SEP}|انتهای{_SEP}|آخر{_SEP})?(?:سال\s+)?{_YEAR.format(name='y2')}"
    rf"|سال{_SEP}های\s+{_YEAR.format(name='y3')}\s*(?:تا|الی|-|–)\s*{_YEAR.format(name='y4')}"
)
_ONE_YEAR = re.compile(rf"(?<![\w\u200c])(?P<since>از{_SEP})?سال\s+{_YEAR.format(name='y')}")
_LAST_YEAR = re.compile(rf"(?<![\w\u200c])سال{_SEP}(?:گذشته|قبل|پیش)(?![\w\u200c])")
_THIS_YEAR = re.compile(rf"(?<![\w\u200c])(?:امسال|سال{_SEP}جاری)(?![\w\u200c])")
_SINCE_START = re.compile(rf"از{_SEP}(?:ابتدای|اول|آغاز){_SEP}(?:امسال|سال{_SEP}جاری|سال)(?![\w\u200c])")
_RECENT_YEARS = re.compile(
    rf"(?P<n>[\w\u200c]+(?:\s+و\s+[\w\u200c]+)?){_SEP}سال{_SEP}(?:اخیر|گذشته)(?![\w\u200c])")


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    first: dt.date
    last: dt.date | None  # open when "از سال ۸۹" (since) is read without the article's date
    phrase: str


def jalali_year(year: int) -> int:
    """Four-digit Jalali year; two digits read as 13yy from 50 up and 14yy below (as in dates)."""
    if year >= 100:
        return year
    return 1300 + year if year >= 50 else 1400 + year


def year_interval(year: int) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a Jalali year."""
    y = jalali_year(year)
    first = jdatetime.date(y, 1, 1).togregorian()
    last = jdatetime.date(y + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    return first, last


def _jalali_year_of(day: dt.date) -> int:
    return jdatetime.date.fromgregorian(date=day).year


def find_periods(text: str, today: dt.date | None = None) -> list[Period]:
    """Period phrases in ``text``, longest first where they overlap, in text order."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, first: dt.date, last: dt.date | None) -> None:
        if (last is None or first <= last) and not any(a < m.end() and m.start() < b for a, b in taken):
            found.append(Period(m.start(), m.end(), first, last, m.group(0)))
            taken.append((m.start(), m.end()))

    for m in _RANGE.finditer(text):
        y1, y2 = (m.group("y1"), m.group("y2")) if m.group("y1") else (m.group("y3"), m.group("y4"))
        add(m, year_interval(int(y1))[0], year_interval(int(y2))[1])
    for m in _ONE_YEAR.finditer(text):
        first, last = year_interval(int(m.group("y")))
        add(m, first, (today if today and today > last else None) if m.group("since") else last)
    if today:
        this = _jalali_year_of(today)
        for m in _SINCE_START.finditer(text):
            add(m, year_interval(this)[0], today)
        for m in _RECENT_YEARS.finditer(text):
            n = parse_number(m.group("n"))
            if isinstance(n, int) and 1 < n <= 50:
                add(m, _years_before(today, n), today)
        for m in _LAST_YEAR.finditer(text):
            add(m, *year_interval(this - 1))
        for m in _THIS_YEAR.finditer(text):
            add(m, year_interval(this)[0], year_interval(this)[1])
    return sorted(found, key=lambda p: p.start)


def _years_before(day: dt.date, n: int) -> dt.date:
    try:
        return day.replace(year=day.year - n)
    except ValueError:  # 29 February
        return day.replace(year=day.year - n, day=28)
