"""Resolve stage: each fact module, in table order, turns the article's mentions into
entities and facts. Entity keys are natural and global, so the same thing is one node
across articles."""

from __future__ import annotations

from dataclasses import replace

from .. import packs
from ..config import Config
from ..facts import MODULES
from ..facts.base import Resolution
from ..model import Document, Metadata


def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with its metadata, the entities it names and the facts it states."""
    res = Resolution(doc, config, packs.load(config.domain.packs))
    for module in MODULES:
        module.resolve(res)
    return replace(doc, metadata=res.need(Metadata), entities=tuple(res.entities.values()), facts=tuple(res.facts))
