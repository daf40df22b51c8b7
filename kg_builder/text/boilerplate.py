"""Separate an article's body (headline, lead, paragraphs) from the site chrome around it.

Line-based rules, applied to each non-blank line in order:

1. *Footer markers* (comment forms, related / most-read / latest lists, tags, captcha,
   ``پایان پیام``, copyright, ad links) end the body: nothing after them is kept. A marker
   seen before the body has a paragraph besides the headline is skipped instead, because
   sites also put tag lists and share bars above the article.
2. *Chrome lines* are dropped wherever they stand: metadata (``کد خبر``, ``کد خبرنگار``,
   ``تاریخ انتشار``, a date with little else, ``منبع:``...), share / print / "read more"
   links, lone numbers and view counts (``۰ نفر``), Latin-only scraps (``T T``), menus
   and breadcrumbs.
3. The *headline* is the first substantial line (five words or more); everything before it
   is header chrome.
4. After the headline, a line is kept when it is substantial or short but carries sentence
   punctuation; other short lines (section names, captions, counters) are chrome.
5. A line repeating an earlier kept line (e.g. the headline repeated under a photo) is
   dropped.

Ranges cover whole lines without their line break; kept lines separated only by blank
lines are merged into one range.
"""

from __future__ import annotations

import re

from kg_builder.text.dates import find_dates
from kg_builder.text.letters import fold

__all__ = ["body_ranges"]

_SCRAP_WORDS = 5  # a line with no Persian letter and fewer words is a scrap (A+ A-)
_WORD = re.compile(r"[^\W_][\w\u200c]*")
_PERSIAN_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_SQUASH = re.compile(r"[\s\u200c\u200d\u200e\u200fـ]+")

# (marker on the squashed line, the most words the line may have to count as the marker)
_FOOTER_MARKERS: tuple[tuple[str, int], ...] = (
    ("ارسالنظر", 8), ("ارسالدیدگاه", 8), ("نظرشما", 10), ("نظرات", 4), ("دیدگاه", 3),
    ("دیدگاهها", 4), ("شمادرحالپاسخ", 12), ("اولینفردیباشید", 14), ("اولیننفرباشید", 14),
    ("نظراتخوانندگان", 10), ("نظراتکاربران", 10), ("پاسخبهنظر", 8),
    ("اخبارمرتبط", 4), ("خبرهایمرتبط", 4), ("مطالبمرتبط", 4), ("مطالبپیشنهادی", 4),
    ("اخبارپیشنهادی", 4), ("پیشنهادسردبیر", 4), ("بیشترازاین", 6),
    ("پربیننده", 4), ("پربازدید", 4), ("پربحث", 4), ("پرخواننده", 4), ("داغترین", 4),
    ("آخریناخبار", 4), ("آخرینخبرها", 4), ("تازهترینها", 4), ("خبرهایداغ", 4), ("اخبارداغ", 4),
    ("برچسب", 4), ("کلماتکلیدی", 4), ("کلیدواژه", 4), ("تگها", 3),
    ("پایانپیام", 4), ("انتهایپیام", 4), ("انتهایخبر", 4),
    ("captcha", 3), ("کدامنیتی", 6), ("کپچا", 3),
    ("تمامیحقوق", 20), ("کلیهحقوق", 20), ("©", 20), ("copyright", 20),
    ("قیمتبکلینک", 10), ("بکلینک", 6), ("رپورتاژ", 6), ("تبلیغات", 3), ("پیوندها", 3),
)
# a body paragraph that ends with one of these is the last paragraph
_END_OF_MESSAGE = re.compile(r"(?:پایان|انتهای)[\s\u200c]*(?:پیام|خبر)[\s/.]*[\u0600-\u06FF]{0,3}\s*$")

_CHROME_MARKERS: tuple[tuple[str, int], ...] = (
    ("کدخبر", 14), ("کدخبرنگار", 14), ("شناسهخبر", 14), ("کدمطلب", 14), ("شمارهخبر", 14),
    ("تاریخانتشار", 12), ("زمانانتشار", 12), ("تاریخخبر", 12), ("منتشرشده", 12),
    ("بهروزرسانی", 12), ("آخرینبهروزرسانی", 12), ("بروزرسانی", 12), ("تعدادبازدید", 6),
    ("بازدید", 3), ("اشتراکگذاری", 6), ("اشتراک", 4), ("نسخهچاپی", 4), ("چاپ", 3),
    ("پرینت", 3), ("ذخیره", 3), ("لینککوتاه", 6), ("کپیشد", 4), ("کپیلینک", 4),
    ("ارسالبهدوستان", 6), ("بیشتربخوانید", 12), ("بخوانید", 3), ("عضویتدرکانال", 14),
    ("دانلود", 3), ("صفحهاصلی", 12), ("خانه", 2), ("printer", 3), ("share", 3),
)
_LABEL = re.compile(
    r"^\s*(?:منبع|نویسنده|خبرنگار|عکاس|عکس|مترجم|ترجمه|تنظیم|ویراستار|سردبیر|دبیر|تهیه[\s\u200c]*کننده|"
    r"گزارش|گروه|سرویس|سرویس[\s\u200c]*خبری)\s*[:：]"
)
_META_WORDS = re.compile(
    r"(?:کد|شناسه|تاریخ|زمان|ساعت|انتشار|منتشر|شده|خبر|خبرنگار|به[\s\u200c]*روز[\s\u200c]*رسانی|"
    r"بروزرسانی|بازدید|مطلب)(?![^\W\d_])|\d+"
)
_NUMBERISH = re.compile(r"^[\d\s.,/|:\-–—+%٫٬()]+$")
_COUNTER = re.compile(r"^\d+\s*(?:نفر|بازدید|نظر|دیدگاه|پسند|لایک|دقیقه|ثانیه|کامنت)$")
_CHANNEL = re.compile(r"(?:کانال|صفحه)[\s\u200c]*(?:\S+[\s\u200c]+){0,3}(?:تلگرام|ایتا|بله|روبیکا|سروش|اینستاگرام|واتساپ)")
_NAV_SEPARATORS = re.compile(r"[|»›>]")
_SENTENCE_PUNCT = re.compile(r"[.!?؟…؛»]|:\s*\S+\s+\S+")


def _squash(line: str) -> str:
    return _SQUASH.sub("", fold(line)).strip(":：/|-–—•*·.،,»«()[]{}").lower()


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _matches(squashed: str, words: int, markers: tuple[tuple[str, int], ...]) -> bool:
    return any(squashed.startswith(m) and words <= limit for m, limit in markers)


def _is_date_line(line: str) -> bool:
    dates = find_dates(line)
    if not dates:
        return False
    rest = line
    for d in reversed(dates):
        rest = rest[:d.start] + " " + rest[d.end:]
    rest = _META_WORDS.sub(" ", fold(rest))
    return _words(rest) <= 3 and any(d.year is not None or d.has_time for d in dates)


_LIST_LABELS = ("خبرهایداغ", "اخبارداغ", "آخریناخبار", "آخرینخبرها", "پربیننده", "پربازدید", "اخبارمرتبط",
                "خبرهایمرتبط", "تیتراخبار", "سرخط", "اخبارفوری", "خبرفوری", "برچسب")


def _is_chrome(line: str, squashed: str, words: int) -> bool:
    folded = fold(line.strip())
    if _matches(squashed, words, _CHROME_MARKERS):
        return True
    head, colon, _ = _SQUASH.sub("", fold(line)).partition(":")
    if colon and head.startswith(_LIST_LABELS):
        return True  # a ticker or list: "خبرهای داغ: headline | headline"
    if words <= 8 and _LABEL.match(folded):
        return True
    if _NUMBERISH.match(folded) or _COUNTER.match(folded):
        return True
    if not _PERSIAN_LETTER.search(folded) and words < _SCRAP_WORDS:
        return True  # "T T", "A+ A-", stray Latin scraps
    if _CHANNEL.search(folded) and words <= 16:
        return True
    if len(_NAV_SEPARATORS.findall(folded)) >= 2:
        parts = [p for p in _NAV_SEPARATORS.split(folded) if p.strip()]
        if parts and max(_words(p) for p in parts) <= 4:
            return True  # menu or breadcrumb
    return words <= 12 and _is_date_line(line)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        e = end - 1 if end > pos and text[end - 1] == "\r" else end
        spans.append((pos, e))
        if nl < 0:
            break
        pos = nl + 1
    return spans


def body_ranges(text: str, min_words: int = 5) -> list[tuple[int, int]]:
    """Spans of the article body in ``text`` (headline, lead, paragraphs), in order; a line of
    fewer than ``min_words`` words is not body unless it ends a sentence."""
    seen: set[str] = set()
    headline = False
    paragraphs = 0
    gap = False  # a dropped non-blank line since the last kept one
    ranges: list[tuple[int, int]] = []
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        squashed = _squash(line)
        words = _words(line)
        if _matches(squashed, words, _FOOTER_MARKERS):
            if headline and paragraphs:
                break
            gap = True
            continue
        if _is_chrome(line, squashed, words):
            gap = True
            continue
        if not headline:
            if words < min_words:
                gap = True
                continue
            headline = True
        elif words < min_words and not _SENTENCE_PUNCT.search(fold(line)):
            gap = True
            continue
        elif squashed in seen:
            gap = True
            continue
        else:
            paragraphs += 1
        seen.add(squashed)
        if ranges and not gap:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
        gap = False
        if paragraphs and _END_OF_MESSAGE.search(fold(line)):
            break
    return ranges
