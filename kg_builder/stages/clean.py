"""Clean stage: normalise the text (exact offset map kept) and find the article body."""

from __future__ import annotations

from dataclasses import replace

from ..config import Config
from ..model import Document
from ..text.boilerplate import body_ranges
from ..text.normalise import normalise
from ..text.offsets import Rewrite


def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with ``rewrite`` (normalised text + offset map) and ``body`` ranges."""
    rw = normalise(Rewrite.identity(doc.raw), zwnj=config.clean.zwnj)
    return replace(doc, rewrite=rw, body=tuple(body_ranges(rw.text, config.clean.min_body_words)))
