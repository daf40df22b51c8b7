"""Sentence ranges of a text: split after . ! ? ؟ before white space, and at line breaks."""

from __future__ import annotations

import re

_SENT_END = re.compile(r"[.!?؟]+(?=\s)|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence, in order."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out
