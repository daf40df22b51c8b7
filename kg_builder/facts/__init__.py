"""The fact modules, in the order they resolve an article.

Each module holds one kind of fact: its records, its detector, its resolver and its
mapping to RDF (see ``facts.base``). The stages loop over ``MODULES``; what a module
``REQUIRES`` must be assigned by a module (a mention by any detector, since every
detector runs before resolution; anything else by a module earlier in the table).
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Mention, Named
from . import bodies, groups, hotline, metadata, people, places, posts, programmes, statistics
from .base import FactModule, Quads, named

MODULES: tuple[FactModule, ...] = (metadata, people, places, hotline, programmes, groups, bodies, posts, statistics)


def _check(modules: tuple[FactModule, ...]) -> None:
    everything = {cls for m in modules for cls in m.ASSIGNS}
    earlier: set[type] = set()
    for m in modules:
        for need in m.REQUIRES:
            if need not in everything or (not issubclass(need, Mention) and need not in earlier):
                raise RuntimeError(f"{m.__name__} requires {need.__name__}, which no earlier fact module assigns")
        earlier.update(m.ASSIGNS)


def _dispatch(modules: tuple[FactModule, ...]) -> dict[type, Callable]:
    table: dict[type, Callable] = {Named: named}
    for m in modules:
        for cls, mapping in m.QUADS.items():
            if cls in table:
                raise RuntimeError(f"{cls.__name__} is mapped to RDF twice")
            table[cls] = mapping
    return table


_check(MODULES)
QUADS = _dispatch(MODULES)


def to_quads(record: object, q: Quads) -> None:
    """Map a record (an entity, a fact, an article's metadata) by its class."""
    try:
        mapping = QUADS[type(record)]
    except KeyError:
        raise TypeError(f"no RDF mapping for {type(record).__name__}") from None
    mapping(record, q)
