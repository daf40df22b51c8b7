"""The streamed build: same bytes for any number of worker processes, the same graph as a build in
memory, and a store updated incrementally that equals a clean build of the same inputs."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from helpers import ROOT, SEEDS

from kg_builder import build
from kg_builder.cli import main
from kg_builder.outputs.store import HIDDEN_STORE

OWN = ROOT / "tests" / "articles"


def _quads(path) -> set[str]:
    fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE}[path.suffix]
    return {str(q) for q in ox.parse(path=str(path), format=fmt)}


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nq"])
def test_any_number_of_workers_writes_the_same_bytes(tmp_path, suffix):
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    assert main(["build", str(OWN), "-o", str(one), "-q", "-j", "1"]) == 0
    assert main(["build", str(OWN), "-o", str(two), "-q", "-j", "2"]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_the_stream_is_the_graph_a_build_in_memory_gives(tmp_path):
    streamed = tmp_path / "kg.trig"
    assert main(["build", str(SEEDS), "-o", str(streamed), "-q"]) == 0
    in_memory = tmp_path / "memory.trig"
    build([SEEDS]).write(in_memory)
    assert _quads(streamed) == _quads(in_memory)


def _store(path) -> set[str]:
    """Every quad of a store directory and of its hidden store (quarantine, entity versions)."""
    return {str(q) for d in (path, path / HIDDEN_STORE) for q in ox.Store.read_only(str(d))}


def test_an_incremental_store_equals_a_clean_build_of_the_same_inputs(tmp_path):
    inputs = tmp_path / "articles"
    shutil.copytree(OWN, inputs)
    store = tmp_path / "store"
    assert main(["build", str(inputs), "--store", str(store), "-q"]) == 0
    files = sorted(inputs.glob("*.txt"))
    changed, deleted = files[0], files[1]
    changed.write_text(changed.read_text(encoding="utf-8").replace("مدیرکل", "مدیر کل", 1), encoding="utf-8")
    deleted.unlink()
    (inputs / "999_added.txt").write_text(files[2].read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["build", str(inputs), "--store", str(store), "-q"]) == 0
    clean = tmp_path / "clean"
    assert main(["build", str(inputs), "--store", str(clean), "-q"]) == 0
    assert _store(store) == _store(clean)


def test_an_unchanged_store_build_reads_nothing_again(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", str(SEEDS), "--store", str(store)]) == 0
    capsys.readouterr()
    before = _store(store)
    assert main(["build", str(SEEDS), "--store", str(store)]) == 0
    assert "0 built, 0 skipped, 5 unchanged in the store" in capsys.readouterr().out
    assert _store(store) == before


def test_a_store_keeps_articles_built_from_elsewhere(tmp_path):
    store = tmp_path / "store"
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    assert main(["build", str(first), "--store", str(store), "-q"]) == 0
    assert main(["build", str(second), "--store", str(store), "-q"]) == 0
    sources = {q.object.value for q in ox.Store.read_only(str(store)).quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/kg-builder/ontology#sourceFile"), None)}
    assert sources == {first.name, second.name}


def test_a_failed_write_leaves_the_old_output_and_no_temporary_file(tmp_path):
    out = tmp_path / "kg.ttl"
    out.write_text("old", encoding="utf-8")
    assert main(["build", str(tmp_path / "nothing-here"), "-o", str(out), "-q"]) == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".*.tmp"))
