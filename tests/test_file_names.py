"""A file name the builder cannot use, or a bug met mapping one article, costs that article only."""

from __future__ import annotations

import json
import os

import pyoxigraph as ox

from kg_builder.cli import main

TINY = "مدیرکل بهزیستی استان زنجان گفت: ۳۰ درصد مددجویان از خدمات بهره‌مند شدند.\n"


def sources(path) -> set[str]:
    return {q.object.value for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG)
            if q.predicate.value.endswith("#sourceFile")}


def test_a_file_name_that_is_not_utf8_is_refused_by_name_and_the_batch_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TINY, encoding="utf-8")
    # bytes that are not UTF-8 (Windows-1256, say): Python gives them as lone surrogates
    bad = os.fsdecode(bytes(folder) + b"/\xff\xfe khabar.txt")
    with open(os.fsencode(bad), "w", encoding="utf-8") as f:
        f.write(TINY)
    out, summary = tmp_path / "kg.trig", tmp_path / "summary.json"
    for inputs in ([str(folder)], [bad, str(folder / "good.txt")]):
        assert main(["build", *inputs, "-o", str(out), "-q", "-j", "1", "--summary-json", str(summary)]) == 2
        lines = capsys.readouterr().err.splitlines()
        assert len(lines) == 1 and "in/\\udcff\\udcfe khabar.txt: " in lines[0]
        assert lines[0].endswith("[E102]") and "file name is not UTF-8" in lines[0]
        assert sources(out) == {"good.txt"}
        assert [e["code"] for e in json.loads(summary.read_text(encoding="utf-8"))["skipped"]] == ["E102"]


def test_a_bug_met_mapping_one_article_is_that_articles_error(tmp_path, capsys, monkeypatch):
    from kg_builder.stages import rdf

    mapped = rdf.article_quads

    def broken(doc):
        if doc.source == "broken.txt":
            raise RuntimeError("a bug in the mapping")
        return mapped(doc)

    monkeypatch.setattr(rdf, "article_quads", broken)
    for name in ("broken.txt", "good.txt"):
        (tmp_path / name).write_text(TINY, encoding="utf-8")
    out = tmp_path / "kg.trig"
    assert main(["build", str(tmp_path / "broken.txt"), str(tmp_path / "good.txt"), "-o", str(out), "-q",
                 "-j", "1"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "broken.txt" in lines[0] and lines[0].endswith("[E900]"), lines
    assert "RuntimeError: a bug in the mapping" in lines[0]
    assert sources(out) == {"good.txt"}


def test_a_backslash_in_a_file_name_is_part_of_its_base_name(tmp_path, capsys):
    # on POSIX a base name may hold a backslash; the shapes refused it, and the graph did not conform
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a\\b.txt").write_text(TINY, encoding="utf-8")
    out = tmp_path / "kg.trig"
    assert main(["build", str(tmp_path / "in"), "-o", str(out), "-q", "-j", "1"]) == 0
    assert main(["validate", str(out)]) == 0
    assert sources(out) == {"a\\b.txt"}


def test_a_stdin_name_that_is_not_utf8_is_refused_by_name(tmp_path):
    import subprocess
    import sys

    # argv bytes that are not UTF-8 reach Python as lone surrogates, as a directory listing's do
    name = b"\xff\x1bkhabar.txt"
    command = [sys.executable, "-m", "kg_builder", "build", "-", b"--stdin-name", name, "-q"]
    proc = subprocess.run([*command, "-o", tmp_path / "kg.ttl"], input=TINY.encode(), capture_output=True,
                          check=False)
    lines = proc.stderr.decode("utf-8").splitlines()
    assert proc.returncode == 2
    assert lines[0].startswith("kg-builder: skipped \\udcff\\x1bkhabar.txt: the file name is not UTF-8")
    assert lines[0].endswith("[E102]") and "E900" not in proc.stderr.decode()
