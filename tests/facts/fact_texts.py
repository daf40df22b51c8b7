"""Small texts through the text layer and the detectors, and resolution up to one fact module."""

from __future__ import annotations

from kg_builder import packs
from kg_builder.config import Config, load
from kg_builder.facts import MODULES
from kg_builder.facts.base import Resolution
from kg_builder.model import Document
from kg_builder.stages import clean, mentions

HEAD = "کد خبر: 4455667\n۱۲ مهر ۱۴۰۲ - ۱۰:۳۰\n\n"


def document(text: str, config: Config | None = None) -> Document:
    """``text`` cleaned and with every detector's mentions (offsets into the cleaned text)."""
    config = config or load()
    doc = clean.run(Document(path="t.txt", source="t.txt", raw=text), config)
    return mentions.run(doc, config)


def resolved(text: str, upto, config: Config | None = None) -> Resolution:
    """The resolution of ``text`` after the fact modules up to and including ``upto`` ran."""
    config = config or load()
    res = Resolution(document(text, config), config, packs.load(config.domain.packs))
    for module in MODULES:
        module.resolve(res)
        if module is upto:
            return res
    raise ValueError(f"{upto} is not a fact module")
