"""A store goes from one complete state to the next: article identity, removals and interrupted writes.

The interrupt tests kill real ``kg-builder`` processes at points spread over their run;
``benchmarks/interrupts.py`` runs many more of them and records the result."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import ROOT, SEEDS, interrupted_run, snapshot
from hypothesis import given, strategies as st

from kg_builder import iri
from kg_builder.cli import main
from kg_builder.outputs import swap
from kg_builder.outputs.store import Transaction

OWN = ROOT / "tests" / "articles"
SOURCE_FILE = ox.NamedNode("https://w3id.org/kg-builder/ontology#sourceFile")


def sources(path: Path) -> set[str]:
    return {q.object.value for q in ox.Store.read_only(str(path)).quads_for_pattern(None, SOURCE_FILE, None)}


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if ".kg-builder-" in p.name)


def text(n: int) -> str:
    return sorted(SEEDS.glob("*.txt"))[n].read_text(encoding="utf-8")


# ---------------------------------------------------------------- point 1: one article per file name

@pytest.mark.parametrize("names", [
    ("خبر ۱.txt", "خبر_۱.txt", "خبر\u200c۱.txt", "خبر-۱.txt", "خبر۱.txt"),  # spacing and half-spaces
    ("news 1.txt", "news_1.txt", "news1.txt"),
    ("x.txt", "x", "x.TXT", "x.txt.txt"),  # a suffix, or none
    ("h0123456789ab.txt", "h0123456789ab"),  # a name shaped like a hash
])
def test_file_names_that_differ_make_different_articles(names):
    assert len({iri.article(n) for n in names}) == len(names)


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_an_article_iri_is_one_path_segment_and_distinct_names_get_distinct_iris(a, b):
    for name in (a, b):
        segment = iri.article(name).removeprefix(iri.DATA_IRI + "article/")
        assert segment and "/" not in segment and iri.slug(segment) == segment
    assert (iri.article(a) == iri.article(b)) == (a == b)


@given(st.lists(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=20).map("".join))
def test_any_key_gets_an_iri_even_one_holding_a_lone_surrogate(key):
    for made in (iri.mint("person", key), iri.article(key or "x"), iri.hashed(key, 1)):
        assert made.isascii()


def test_plain_names_keep_the_article_iris_they_had():
    assert iri.article("101_fars_amblyopia_screening.txt").endswith("/article/101_fars_amblyopia_screening")


def test_files_whose_names_differ_only_in_spacing_are_separate_articles_in_a_batch_and_a_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "خبر ۱.txt").write_text(text(0), encoding="utf-8")
    (folder / "خبر_۱.txt").write_text(text(1), encoding="utf-8")
    assert main(["build", str(folder), "-o", str(tmp_path / "kg.ttl"), "-q"]) == 0
    store = tmp_path / "store"
    assert main(["build", str(folder / "خبر ۱.txt"), "--store", str(store), "-q"]) == 0
    assert main(["build", str(folder / "خبر_۱.txt"), "--store", str(store), "-q"]) == 0
    assert sources(store) == {"خبر ۱.txt", "خبر_۱.txt"}
    assert main(["remove", "خبر ۱.txt", "--store", str(store), "-q"]) == 0
    assert sources(store) == {"خبر_۱.txt"}


def test_a_file_named_as_a_stored_article_from_another_file_is_refused_naming_both(tmp_path, capsys):
    first, second = tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"
    for path, n in ((first, 0), (second, 1)):
        path.parent.mkdir()
        path.write_text(text(n), encoding="utf-8")
    store = tmp_path / "store"
    assert main(["build", str(first), "--store", str(store), "-q"]) == 0
    before = snapshot(store)
    capsys.readouterr()
    assert main(["build", str(second), "--store", str(store), "--keep-missing", "-q"]) == 2
    message = capsys.readouterr().err
    assert str(second) in message and str(first) in message and "[E104]" in message
    assert snapshot(store) == before
    # the first file moved away: the second is the same article read from its new place
    first.unlink()
    assert main(["build", str(second), "--store", str(store), "--keep-missing", "-q"]) == 0
    assert snapshot(store) != before and sources(store) == {"x.txt"}


# ---------------------------------------------------------------- point 16: removals

def test_a_store_after_removals_equals_a_clean_build_of_what_is_left(tmp_path):
    everything = sorted(OWN.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    store, clean = tmp_path / "store", tmp_path / "clean"
    assert main(["build", *map(str, everything), "--store", str(store), "-q"]) == 0
    gone, kept = everything[::3], [f for i, f in enumerate(everything) if i % 3]
    assert main(["remove", *(f.name for f in gone), "--store", str(store), "-q"]) == 0
    assert main(["build", *map(str, kept), "--store", str(clean), "-q"]) == 0
    assert snapshot(store) == snapshot(clean)
    assert main(["remove", *(f.name for f in kept), "--store", str(store), "-q"]) == 0
    assert snapshot(store) == frozenset()


def test_a_build_interrupted_after_dropping_articles_leaves_nothing_that_remove_cannot_reach(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    store = tmp_path / "store"
    assert main(["build", str(inputs), "--store", str(store), "-q"]) == 0
    before = snapshot(store)
    sorted(inputs.glob("*.txt"))[0].unlink()  # its article is dropped, its entities to be merged again

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("kg_builder.outputs.store.remerge", interrupted)
    assert main(["build", str(inputs), "--store", str(store), "-q"]) == 130
    monkeypatch.undo()
    assert snapshot(store) == before
    assert main(["remove", *(f.name for f in sorted(SEEDS.glob("*.txt"))), "--store", str(store), "-q"]) == 0
    assert snapshot(store) == frozenset()


# ---------------------------------------------------------------- point 2: one complete state to the next

def emptied(store: Path) -> tuple[frozenset[str], Transaction]:
    """A store of the sample articles, and a transaction that has emptied its copy of it."""
    assert main(["build", str(SEEDS), "--store", str(store), "-q"]) == 0
    t = Transaction(store)
    t.store.clear()
    t.hidden.clear()
    return snapshot(store), t


def test_an_aborted_transaction_leaves_the_store_as_it_was_and_no_copy(tmp_path):
    store = tmp_path / "store"
    before, t = emptied(store)
    t.abort()
    assert snapshot(store) == before and leftovers(store) == []


def test_a_second_writer_is_refused_while_one_changes_the_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", str(SEEDS), "--store", str(store), "-q"]) == 0
    t = Transaction(store)
    try:
        assert main(["remove", sorted(SEEDS.glob("*.txt"))[0].name, "--store", str(store)]) == 4
        assert "another kg-builder process is changing this store" in capsys.readouterr().err
    finally:
        t.abort()


@pytest.mark.parametrize("atomic", [True, False])
def test_an_exchange_interrupted_at_any_step_is_finished_or_undone_by_the_next_writer(tmp_path, atomic):
    store = tmp_path / "store"
    old, t = emptied(store)
    t.store.flush()
    t.hidden.flush()
    t.store = t.hidden = None
    work, dead = t.work, 2 ** 22 + 1  # a process id above Linux's default pid_max: never alive
    if atomic:
        assert swap.exchange(work, store) == work
        shutil.rmtree(work)  # the old content, deleted as commit does
        new = snapshot(store)
        assert new == frozenset()
    else:  # killed between the fallback's renames: the store directory is missing
        os.rename(work, swap.sibling(store, "ready", dead))
        os.rename(store, swap.sibling(store, "old", dead))
    t._unlock()
    swap.recover(store)
    assert snapshot(store) in (old, frozenset()) and leftovers(store) == []


def test_a_build_or_remove_killed_at_any_point_leaves_the_old_or_the_new_store(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in sorted(OWN.glob("*.txt"))[:6]:
        shutil.copy(f, inputs)
    start = tmp_path / "start"
    assert main(["build", str(inputs), "--store", str(start), "-q"]) == 0
    old = snapshot(start)
    files = sorted(inputs.glob("*.txt"))
    files[0].unlink()
    files[1].write_text(text(0), encoding="utf-8")
    for f in sorted(SEEDS.glob("*.txt"))[1:]:
        shutil.copy(f, inputs)
    clean = tmp_path / "clean"
    assert main(["build", str(inputs), "--store", str(clean), "-q"]) == 0
    new = snapshot(clean)
    removed = tmp_path / "removed"
    shutil.copytree(start, removed)
    assert main(["remove", files[2].name, "--store", str(removed), "-q"]) == 0
    after_remove = snapshot(removed)
    for delay, sig in ((1.0, signal.SIGKILL), (3.0, signal.SIGKILL), (2.5, signal.SIGINT)):
        state, code = interrupted_run(tmp_path / "store", ["build", str(inputs)], start, delay, sig)
        assert state in (old, new), (delay, sig, code)
        if sig == signal.SIGINT:
            assert code in (0, -signal.SIGINT)  # done, or ended by the Ctrl-C whenever it came
        if sig == signal.SIGINT or state == new:
            assert leftovers(tmp_path / "store") == [] or code == -signal.SIGKILL
        # the next build finishes the job from whatever state it finds, and cleans up
        assert main(["build", str(inputs), "--store", str(tmp_path / "store"), "-q"]) == 0
        assert snapshot(tmp_path / "store") == new and leftovers(tmp_path / "store") == []
    for delay in (1.0,):
        state, _ = interrupted_run(tmp_path / "store", ["remove", files[2].name], start, delay, signal.SIGKILL)
        assert state in (old, after_remove)
