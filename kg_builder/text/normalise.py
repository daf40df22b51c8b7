"""Character-level normalisation of Persian text, offset-tracked.

hazm's Normalizer does the same kind of work but returns no offsets, and provenance
must stay exact; so these passes run through ``Rewrite`` and hazm's lexicons are used
where they matter (ZWNJ repair, in ``zwnj``).
"""

from __future__ import annotations

import re

from . import letters
from .offsets import Rewrite

# Removed outright: byte-order mark, zero-width space/joiner, direction marks (the Arabic letter
# mark too), and the letters' marks (kashida, diacritics).
_DROP = re.compile(f"[\ufeff\u200b\u200d\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069{letters.MARKS}]+")

# One character for one character, so spans stay exact per character: letters and digits
# from the shared table (its TEXT tier), odd spaces and tabs to a plain space, and U+FFFD (what
# the clean stage left of a control character, or a decoder of a lost one) to a space: it parts words.
_TABLE = {
    **letters.table(letters.TEXT),
    **{c: " " for c in (0x00A0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
                        0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000, 0x0009, 0xFFFD)},
}

_SPACES = re.compile(r" {2,}")
_SPACED_ZWNJ = re.compile(r" *\u200c[ \u200c]*")


def characters(rw: Rewrite) -> Rewrite:
    """Drop invisible marks and diacritics, unify letters, digits and spaces."""
    rw = rw.sub(_DROP, "")
    rw = rw.translate(_TABLE)
    rw = rw.sub(_SPACES, " ")
    return rw.sub(_SPACED_ZWNJ, "\u200c")


def normalise(rw: Rewrite, zwnj: bool = True) -> Rewrite:
    """All normalisation passes; ``zwnj`` restores missing half-spaces."""
    rw = characters(rw)
    if zwnj:
        from . import zwnj as zwnj_repair

        rw = rw.apply(zwnj_repair.edits(rw.text))
    return rw


def normalise_text(text: str, zwnj: bool = True) -> str:
    """Normalised form of a plain string."""
    return normalise(Rewrite.identity(text), zwnj).text
