"""Regular-expression pieces for Persian words as news writes them (spaced, half-spaced or joined)."""

from __future__ import annotations

import re
from collections.abc import Iterable

SEP = r"[ \u200c]?"  # between the words of a name: space, half-space or nothing
LETTER = r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]"
WORD = rf"{LETTER}+(?:\u200c{LETTER}+)*"
B = r"(?<![\w\u200c])"  # word start
E = r"(?![\w\u200c])"  # word end

_SPACING = re.compile("[ \u200c]")


def squash(text: str) -> str:
    """Lookup key of a written form: spaces and half-spaces removed (the patterns allow either)."""
    return _SPACING.sub("", text)


def flexible(phrase: str, inner: bool = False) -> str:
    """Regex for a phrase whose words may be written spaced, half-spaced or joined.

    ``inner`` also lets a half-space stand between any two letters of a word
    (توانبخشی / توان‌بخشی), for the short rule tables; gazetteers list their variants.
    """
    parts = re.split(r"[ \u200c]+", phrase.strip())
    if inner:
        parts = ["\u200c?".join(re.escape(ch) for ch in p) for p in parts]
        return SEP.join(parts)
    return SEP.join(re.escape(p) for p in parts)


def alternation(phrases: Iterable[str], inner: bool = False) -> str:
    """Regex matching any of ``phrases``, longest first (ties in a fixed order, so matching is
    the same in every process)."""
    return "|".join(flexible(p, inner) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def keyed(table: dict) -> dict:
    """``table`` keyed by its keys' squashed forms, for ``lookup`` (the first key wins when two are
    written alike); made once per pack, so a lookup is one hash probe."""
    out: dict = {}
    for k, v in table.items():
        out.setdefault(squash(k), v)
    return out


def lookup(surface: str | None, table: dict):
    """The entry of a ``keyed`` table whose key is written like ``surface`` (spacing aside), or None."""
    return table.get(squash(surface)) if surface else None
