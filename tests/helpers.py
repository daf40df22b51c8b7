"""Shared test fixtures' logic: build graphs once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


def snapshot(path: Path) -> frozenset[str]:
    """Every quad of a store directory and of its hidden store."""
    import pyoxigraph as ox

    from kg_builder.outputs.store import HIDDEN_STORE

    return frozenset(str(q) for d in (path, path / HIDDEN_STORE) for q in ox.Store.read_only(str(d)))


def interrupted_run(store: Path, argv: list[str], start: Path, delay: float, sig: int) -> tuple[frozenset, int]:
    """Run ``kg-builder argv --store STORE`` on a copy of the store ``start`` and send it ``sig`` after
    ``delay`` seconds (unless it is done); returns the store's state afterwards and the exit code."""
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(start, store)
    proc = subprocess.Popen([sys.executable, "-m", "kg_builder", *argv, "--store", str(store), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        proc.wait(delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(sig)
    code = proc.wait(60)
    return snapshot(store), code
