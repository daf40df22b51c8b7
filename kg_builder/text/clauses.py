"""Where a sentence's main clause begins, and which words are finite verbs.

News sentences open with tags before their subject: a dateline or outlet tag
(«شیراز - ایرنا -», «خبر تبریز :», «- ایسنا/خراسان شمالی»), an attribution («به گزارش
خبرگزاری X،»), a discourse word («همچنین،»). ``opening`` skips them; ``verb_before`` tells
whether a finite verb stands in a stretch of text (a subject comes before its verb). The
finite forms are made from hazm's verb list (past and present stems, MIT).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import lexicons
from .patterns import WORD

_TAG_WORDS = r"[^\s\-–_:؛|.!?؟«»\"]+"
# A tag: up to six words ending in a dash, underscore, colon, semicolon or bar («شیراز - ایرنا -»),
# or a dash that opens the sentence.
_TAG = re.compile(rf"\s*(?:[-–_]\s*)?(?:{_TAG_WORDS}(?:[ \u200c/]+{_TAG_WORDS}){{0,5}}\s*[-–_:؛|]+\s*)")
_ATTRIBUTION = re.compile(r"\s*به\s+(?:گزارش|نقل\s+از)\s[^،,؛:\n.]{1,120}?[،,؛:]\s*")
_DISCOURSE = re.compile(r"\s*(?:همچنین|سپس|نیز|بنابراین|در\s+ادامه(?:\s+این\s+\S+)?|در\s+این\s+\S+)\s*[،,]?\s+")
_DASH = re.compile(r"\s*[-–_]+\s*")


def opening(text: str, start: int, end: int) -> int:
    """Offset in ``text[start:end]`` where the main clause begins, past tags and attributions."""
    pos = start
    for _ in range(4):
        for rx in (_ATTRIBUTION, _TAG, _DISCOURSE, _DASH):
            m = rx.match(text, pos, end)
            if m and m.end() > pos and not verb_before(text, pos, m.end()):
                pos = m.end()
                break
        else:
            break
    while pos < end and text[pos] in " \t\u200c":
        pos += 1
    return pos


_WORDS = re.compile(WORD)
_NOT_VERB_AFTER = re.compile(r"\s*و\s*گو|\u200cو\u200cگو|وگو")  # گفت و گو is a conversation, not «said»


@lru_cache(maxsize=1)
def finite_verbs() -> frozenset[str]:
    """Third-person finite forms (past, present, continuous, negative) of hazm's verbs, and copulas;
    not the forms that are nouns or adjectives too (نشست a meeting, پرداخت a payment, برد a win)."""
    out = {"است", "هست", "نیست", "بود", "نبود", "باشد", "نباشد", "اند", "شد", "نشد", "شود", "نشود", "می‌شود"}
    for line in lexicons.verb_stems():
        past, present = line
        for form in (past, f"{past}ند", f"ن{past}"):
            out.add(form)
        for pre in ("می\u200c", "نمی\u200c", "می", "نمی"):
            out.update({f"{pre}{present}د", f"{pre}{present}ند", f"{pre}{past}"})
    return frozenset(w for w in out if not lexicons.nominal(w))


def verb_before(text: str, start: int, end: int) -> bool:
    """Does a finite verb stand in ``text[start:end]``?"""
    verbs = finite_verbs()
    for m in _WORDS.finditer(text, start, end):
        if m.group(0) in verbs and not _NOT_VERB_AFTER.match(text, m.end()):
            return True
    return False
