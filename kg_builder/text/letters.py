"""The one table for folding Persian letters and digits; every other module takes its folding here.

Every mapping is one character to one character, so a folded string has the length of the
original and an offset into one is an offset into the other: that is what keeps the spans
of the normalised text (and so provenance) exact.

Groups (``{character: replacement}``):

============  ==========================  ==============================================
``DIGITS``    ۰-۹ ٠-٩ -> 0-9              Persian and Arabic-Indic digits to ASCII
``YEH_KAF``   ي ى ك -> ی ی ک              Arabic yeh, alef maksura and kaf to Persian
``TEH_HEH``   ة ۀ ۃ -> ه                  teh marbuta, heh with yeh, teh marbuta goal
``HEH_FORMS`` ە ھ -> ه                    ae and heh doachashmee (Kurdish, Urdu keyboards)
``HAMZA``     أ إ ٱ -> ا, ؤ -> و, ئ -> ی  hamza and wasla seats to their plain letter
============  ==========================  ==============================================

Tiers, from weakest to strongest; modules pick the one they need:

``LOOKUP`` = YEH_KAF + HEH_FORMS
    The canonical form of ZWNJ repair's word lists (``zwnj.canon``). ة and ۀ stay: they never
    join the next letter while ه does, so folding them would change what a ZWNJ after them
    means. The shipped ``zwnj_*.tsv.gz`` resources were built with exactly this tier.
``LETTERS`` = YEH_KAF + TEH_HEH
    The Arabic variants the normalised text never contains (``normalise.characters``).
``TEXT`` = LETTERS + DIGITS
    What ``normalise`` applies to the text, and ``fold`` below: the letters and digits that
    dates, numbers, metadata and boilerplate recognise (a no-op on normalised text).
``COMPARE`` = TEXT + HEH_FORMS + HAMZA
    For comparing names only, never for text whose spelling is kept: evaluation against
    gold names (``evaluate.norm``) and search in the graph viewer (``visualise``, and the
    HTML page, whose script receives this table in its data).

``MARKS`` (diacritics, superscript alef, tatweel) are dropped rather than mapped; they are
here because the same modules skip them.
"""

from __future__ import annotations

__all__ = [
    "COMPARE",
    "DIGITS",
    "HAMZA",
    "HEH_FORMS",
    "LETTERS",
    "LOOKUP",
    "MARKS",
    "TEH_HEH",
    "TEXT",
    "YEH_KAF",
    "fold",
    "table",
]

DIGITS: dict[str, str] = {
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # ۰-۹ extended Arabic-Indic (Persian)
    **{chr(0x0660 + i): str(i) for i in range(10)},  # ٠-٩ Arabic-Indic
}
YEH_KAF: dict[str, str] = {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"}  # ي ى ك -> ی ی ک
TEH_HEH: dict[str, str] = {"\u0629": "\u0647", "\u06c0": "\u0647", "\u06c3": "\u0647"}  # ة ۀ ۃ -> ه
HEH_FORMS: dict[str, str] = {"\u06d5": "\u0647", "\u06be": "\u0647"}  # ە ھ -> ه
HAMZA: dict[str, str] = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # أ إ ٱ -> ا
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u06cc",  # ئ -> ی
}

LOOKUP: dict[str, str] = {**YEH_KAF, **HEH_FORMS}
LETTERS: dict[str, str] = {**YEH_KAF, **TEH_HEH}
TEXT: dict[str, str] = {**LETTERS, **DIGITS}
COMPARE: dict[str, str] = {**TEXT, **HEH_FORMS, **HAMZA}

#: Dropped, not mapped: Arabic diacritics (fathatan .. U+065F), superscript alef, tatweel.
MARKS: str = "".join(chr(c) for c in (*range(0x064B, 0x0660), 0x0670, 0x0640))


def table(tier: dict[str, str]) -> dict[int, str]:
    """``str.translate`` table of a tier."""
    return str.maketrans(tier)


_TEXT = table(TEXT)


def fold(text: str) -> str:
    """Fold digits to ASCII and Arabic letter variants to Persian (``TEXT``), one character for one."""
    return text.translate(_TEXT)
