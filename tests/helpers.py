"""Shared test fixtures' logic: build graphs once per session."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "articles"
QUERIES = ROOT / "examples" / "queries"
GOLDEN = Path(__file__).resolve().parent / "golden"


@lru_cache(maxsize=None)
def built(directory: str):
    from kg_builder import build

    return build([directory])


def rows(result, name: str) -> list[dict]:
    from kg_builder import query

    return query(result.graph, (QUERIES / f"{name}.rq").read_text(encoding="utf-8")).as_dicts()
