"""Clean stage: normalise the text (exact offset map kept) and find the article body."""

from __future__ import annotations

from dataclasses import replace

from ..config import Config
from ..model import Document
from ..text.boilerplate import body_ranges
from ..text.controls import neutralise
from ..text.normalise import normalise
from ..text.offsets import Rewrite


def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with ``rewrite`` (normalised text + offset map) and ``body`` ranges.

    Control characters and non-characters in the raw text are replaced one for one first
    (``controls.neutralise``): every quote, label and headline is then text that any output format
    holds (XML cannot hold a form feed or ESC), and every offset still indexes the file's text."""
    raw = neutralise(doc.raw)
    rw = normalise(Rewrite.identity(raw), zwnj=config.clean.zwnj)
    return replace(doc, raw=raw, rewrite=rw, body=tuple(body_ranges(rw.text, config.clean.min_body_words)))
